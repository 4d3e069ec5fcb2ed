"""One reading of a catalogue file: the single place that decides how its records are read.

A file in the canonical layout (the one socsopr writes) is *mapped*: each record
is found by its byte span and parsed only when something asks for it, so one
record of 100,000 costs one record's parse and every record one at a time
never holds them all. Any other layout (a hand-edited or git-merged file) is
parsed whole, checked more strictly (duplicate keys, an ``id`` that is not its
key), and then served the same way. Every reader — ``show``, ``list``,
``search``'s index, ``Catalogue`` and the writer's storage — starts here and
never makes that choice itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from catalogue.errors import RecordNotFound, StoreError
from catalogue.model.record import Record
from catalogue.store import files, layout
from catalogue.store.layout import Raw

if TYPE_CHECKING:
    from catalogue.model.authority import Authority


class CatalogueFile:
    """The bytes of a catalogue file, read once, and its records by key.

    Opened from a path, the file is kept open and its bytes are read when first
    needed, so ``history`` (which only hashes the file) never holds it whole and
    every read of one ``CatalogueFile`` sees the same version of the file.
    """

    def __init__(self, path: Path, data: bytes | None = None, handle: BinaryIO | None = None,
                 cache_dir: Path | None = None) -> None:
        self.path = path
        self.cache_dir = cache_dir  # where what is derived from the file may be kept (``spans_cache``)
        self._state: str | None = None
        self._data = data
        self._handle = handle
        self._scanned = False
        self._looked_up = False  # a key was looked for directly in the text (``get``)
        self._spans: dict[str, Raw] | None = None  # canonical layout: where each record lies
        self._aliases: bool | None = None  # whether the text holds ``layout.ALIASES_FIELD``
        self._parsed: dict[str, Record] | None = None  # every record, once parsed whole
        self._authorities: dict[str, Authority] | None = None
        self.verified = False  # every record has been parsed and found sound

    @classmethod
    def read(cls, path: Path | str, cache_dir: Path | None = None) -> CatalogueFile:
        """Open the file at ``path`` for reading; ``StoreError`` saying why when it cannot be.
        ``cache_dir``: where the places of a large file's records may be remembered."""
        path = Path(path)
        return cls(path, handle=files.open_for_reading(path), cache_dir=cache_dir)

    @property
    def data(self) -> bytes:
        """The file's bytes (read on first use)."""
        if self._data is None:
            assert self._handle is not None
            try:
                self._handle.seek(0)
                self._data = self._handle.read()
            except OSError as exc:
                raise StoreError(self.path, f"cannot be read ({exc.strerror or exc})") from None
            self.close()
        return self._data

    def close(self) -> None:
        """Let go of the open file (the bytes already read stay)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def pieces(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The file's bytes a megabyte at a time, without holding them all (unless already read)."""
        if self._data is not None or self._handle is None:
            yield self.data
            return
        self._handle.seek(0)
        while chunk := self._handle.read(size):
            yield chunk

    def check(self) -> None:
        """``CorruptStore`` now, rather than at the first read, unless the file looks like a catalogue.

        A file with the canonical head and tail is taken on trust until a record
        is read (each record is checked when parsed); any other is parsed whole now.
        """
        if self._data is None and self._handle is not None:
            head, tail = self._ends()
            if (head == layout.HEAD and tail == layout.TAIL) or (
                head.startswith(layout.AUTHORITIES_HEAD) and tail == layout.TAIL_2
            ):
                return
        data = self.data
        if layout.frame(data) is None:
            self.table()

    def _ends(self) -> tuple[bytes, bytes]:
        assert self._handle is not None
        try:
            size = os.fstat(self._handle.fileno()).st_size
            self._handle.seek(0)
            head = self._handle.read(len(layout.HEAD))
            self._handle.seek(max(0, size - len(layout.TAIL)))
            return head, self._handle.read(len(layout.TAIL))
        except OSError as exc:
            raise StoreError(self.path, f"cannot be read ({exc.strerror or exc})") from None

    # --- the one decision ------------------------------------------------------------------

    def spans(self) -> dict[str, Raw] | None:
        """Each record's span by key, in key order, for a canonical file; ``None`` for any other."""
        if not self._scanned:
            data = self.data
            if self.cache_dir is not None and len(data) >= layout.LARGE_FILE:
                from catalogue.store import spans_cache

                self._spans, self._aliases = spans_cache.lookup(data, self.state(), self.path, self.cache_dir)
            else:
                self._spans = layout.scan(data)
            self._scanned = True
        return self._spans

    def mentions_aliases(self) -> bool:
        """Whether the text holds the field name ``"aliases"`` anywhere: no record holds aliases if
        not. A large file's cache knows (``spans_cache``); else the text is searched, once."""
        if self._aliases is None:
            self.spans()
        if self._aliases is None:
            self._aliases = self.data.find(layout.ALIASES_FIELD) >= 0
        return self._aliases

    def state(self) -> str:
        """The file's state as the history names it (``history.state_of``: length and checksum)."""
        if self._state is None:
            from catalogue.store.history import state_of

            self._state = state_of([self._data] if self._data is not None else self.pieces())
        return self._state

    def table(self) -> dict[str, Record | Raw]:
        """Key to record, or to the record's still-unparsed span in ``data``, in key order."""
        spans = self.spans()
        if spans is not None:
            return spans  # type: ignore[return-value]
        if self._parsed is None:
            # another layout: parsed whole and checked strictly (duplicate keys, ids)
            self._parsed = dict(sorted(layout.parse_records(self.path, self.data, strict=True).items()))
        return self._parsed  # type: ignore[return-value]

    def authorities(self) -> dict[str, Authority]:
        """The authorities table by id, sorted, each checked (``CorruptStore`` naming a damaged one)."""
        if self._authorities is None:
            head = self._head_of_table() if self._data is None and self._handle is not None else None
            if head is not None:  # the table alone was read: a large file is not read for it
                self._authorities = layout.authorities_table(self.path, *head) if head[1] else {}
            else:
                self._authorities = layout.parse_authorities(self.path, self.data)
        return self._authorities

    def _head_of_table(self, size: int = 1 << 16) -> tuple[bytes, int] | None:
        """The first bytes of a canonical file up to the end of its authorities table (end 0: it has
        none), without reading the rest; ``None`` when that cannot be told from its ends."""
        head, tail = self._ends()
        if head == layout.HEAD and tail == layout.TAIL:
            return b"", 0
        if not (head.startswith(layout.AUTHORITIES_HEAD) and tail == layout.TAIL_2):
            return None
        assert self._handle is not None
        try:
            self._handle.seek(0)
            text = b""
            while chunk := self._handle.read(size):
                text += chunk
                end = text.find(layout.AUTHORITIES_TAIL, len(layout.AUTHORITIES_HEAD))
                if end >= 0:
                    return text, end + 4
                size *= 2
        except OSError as exc:
            raise StoreError(self.path, f"cannot be read ({exc.strerror or exc})") from None
        return None

    @property
    def canonical(self) -> bool:
        """Whether the file is in the layout socsopr writes (records are then read one by one)."""
        return self.spans() is not None

    # --- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.table())

    def keys(self) -> list[str]:
        """Every key, sorted."""
        return list(self.table())

    def parse(self, key: str, value: Record | Raw) -> Record:
        """The record behind a table value (parsing a span; ``CorruptStore`` if it is damaged)."""
        return layout.parse(self.path, self.data, key, value) if isinstance(value, tuple) else value

    def get(self, key: str) -> Record | None:
        """The record with exactly this key, or ``None``.

        Before the file is mapped, the first key asked for is looked for directly in the text:
        ``show KEY`` on a large catalogue reads one record and maps nothing. A second key maps the
        file (once), since each direct look goes through the whole text: ``cite`` of 300 keys.
        """
        if not self._scanned and not self._looked_up:
            self._looked_up = True
            found = layout.read_record(self.data, key)
            if found is not None:
                return found
        value = self.table().get(key)
        return None if value is None else self.parse(key, value)

    def find(self, key: str) -> Record:
        """The record with this key, compared ignoring case; ``RecordNotFound`` with the closest keys."""
        record = self.get(key)
        if record is not None:
            return record
        lower = {k.lower(): k for k in self.table()}
        actual = lower.get(key.lower())
        if actual is not None:
            return self.parse(actual, self.table()[actual])
        raise RecordNotFound(key, closest_keys(key, lower))

    def iter_records(self) -> Iterator[Record]:
        """Every record in key order, parsed one at a time; nothing is kept.

        Once every record has been read, ``verified`` is true: each one parsed.
        """
        spans = self.spans()
        if spans is not None:  # the common case, per record of 100,000: no indirection
            parse, path, data = layout.parse, self.path, self.data
            for key, raw in spans.items():
                yield parse(path, data, key, raw)
        else:
            yield from self.table().values()  # type: ignore[misc]
        self.verified = True

    def records(self) -> list[Record]:
        """Every record in key order, all at once.

        A canonical file is parsed whole in one go (quicker than record by record
        when every record is wanted), its ids checked against the map's keys.
        """
        spans = self.spans()
        if spans is None:
            return list(self.iter_records())
        if self._parsed is None:
            parsed = layout.parse_records(self.path, self.data)
            if list(parsed) != list(spans) or any(record.get("id") != key for key, record in parsed.items()):
                parsed = {key: self.parse(key, raw) for key, raw in spans.items()}  # damage: say where
            self._parsed = parsed
        return list(self._parsed.values())


def closest_keys(key: str, by_lower: dict[str, str], limit: int = 3) -> list[str]:
    """The keys closest to a mistyped one (``by_lower`` maps lower-cased keys to keys)."""
    from rapidfuzz import fuzz, process

    found = process.extract(key.lower(), list(by_lower), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [by_lower[match] for match, _score, _index in found]
