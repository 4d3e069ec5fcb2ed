"""Values derived from each record, remembered across runs by the record's bytes.

A command that derives something from every record of a large catalogue (the findings
of ``check``, an exporter's text) asks a ``RecordMemo`` for what it derived last time
from records with the very same bytes, derives only the rest, and leaves the lot for
the next run: the cost follows the records that changed, not the catalogue's size.

A record is known by the XXH3-64 of its bytes in the file (key and body, as the search
index knows it), so a memo needs the canonical layout (``layout.scan``); a file in any
other layout has nothing to be remembered by, and every value is derived.

A memo lives in the cache folder, one file per catalogue and kind, and is a cache in
every sense: missing, damaged, of another version or hostile, it reads as empty (each
remembered value must also pass the caller's ``valid`` test), and a memo that cannot
be stored is simply not stored. The file: a JSON header line (kind, version, source,
count, byte order, checksum of the rest), then the fingerprints as 64-bit integers,
then the values as one JSON array in the same order.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from catalogue.errors import StoreError
from catalogue.store import files

if TYPE_CHECKING:
    from array import array

V = TypeVar("V")
Raw = tuple[int, int, int]  # a record's start (its key's line), body start and end in the file

MIN_RECORDS = 2_000  # a smaller catalogue derives everything afresh sooner than it reads a memo
# the memos of one catalogue may take this many times its file's size (and at least MIN_BUDGET bytes):
# beyond, the least recently used go (five export formats, check and two list orders take about eight)
BUDGET = 10
MIN_BUDGET = 1 << 28
_MAGIC = b"socsopr-memo\n"


def fingerprints(data: bytes, spans: Sequence[Raw]) -> array[int]:
    """Each record's fingerprint (XXH3-64 of its bytes from its key's line to its end), in order."""
    from array import array

    import xxhash  # (here, not at the top: a small catalogue asks for MIN_RECORDS and nothing else)

    digest = xxhash.xxh3_64_intdigest
    view = memoryview(data)
    return array("Q", [digest(view[start:end]) for start, _body, end in spans])


class RecordMemo:
    """What was derived from each record of one catalogue, of one ``kind`` and ``version``.

    ``version`` names everything besides a record's bytes that its value depends on
    (the code's version, options, the current year …): a memo of another version is
    not read. ``source`` is the catalogue file the memo belongs to.
    """

    def __init__(self, cache_dir: Path, source: Path, kind: str, version: str) -> None:
        self.path = files.cache_file(cache_dir, source, f"memo-{kind}", ".bin")
        self.source = source
        self.header = {"kind": kind, "version": version, "source": str(source.resolve()),
                       "byteorder": sys.byteorder}

    def derive(self, data: bytes, spans: Mapping[str, Raw], compute: Callable[[str, Raw], V],
               valid: Callable[[Any], bool], prints: array[int] | None = None) -> Iterator[V]:
        """The value of each record in ``spans`` (in its order): remembered when a record with the
        same bytes had one that is ``valid``, else ``compute(key, span)``. The memo is stored again,
        holding exactly these records' values, once the last value has been given (not when the
        caller stops early). ``prints``: the records' ``fingerprints``, when the caller has them."""
        places = list(spans.values())
        if prints is None:
            prints = fingerprints(data, places)
        known = self._load() if len(places) >= MIN_RECORDS else {}
        values: list[Any] = []
        fresh = 0
        for (key, span), fingerprint in zip(spans.items(), prints, strict=True):
            value = known.get(fingerprint, _MISSING)
            if value is _MISSING or not valid(value):
                value = compute(key, span)
                fresh += 1
            values.append(value)
            yield value
        if fresh and len(places) >= MIN_RECORDS:
            self._store(prints, values)

    def _load(self) -> dict[int, Any]:
        from array import array

        import xxhash

        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        with contextlib.suppress(ValueError, TypeError, KeyError, orjson.JSONDecodeError):
            if not raw.startswith(_MAGIC):
                return {}
            eol = raw.index(b"\n", len(_MAGIC))
            header = orjson.loads(raw[len(_MAGIC):eol])
            body = memoryview(raw)[eol + 1:]
            if not isinstance(header, dict) or any(header.get(k) != v for k, v in self.header.items()):
                return {}
            count = header["count"]
            if type(count) is not int or count < 0 or header["checksum"] != xxhash.xxh3_64_intdigest(body):
                return {}
            prints = array("Q")
            prints.frombytes(body[:8 * count])
            values = orjson.loads(body[8 * count:])
            if len(prints) != count or not isinstance(values, list) or len(values) != count:
                return {}
            with contextlib.suppress(OSError):
                os.utime(self.path)  # used: the memos kept within the budget are the ones last used
            return dict(zip(prints, values, strict=True))
        return {}

    def _store(self, prints: array[int], values: list[Any]) -> None:
        import xxhash

        try:
            body = prints.tobytes() + orjson.dumps(values)
        except (TypeError, orjson.JSONEncodeError):  # a value that is no JSON: nothing remembered
            return
        checksum = xxhash.xxh3_64_intdigest(body)
        header = orjson.dumps({**self.header, "count": len(prints), "checksum": checksum})
        with contextlib.suppress(OSError, StoreError):
            files.atomic_write(self.path, [_MAGIC, header, b"\n", body], durable=False)
            self._trim()

    def _trim(self) -> None:
        """Remove this catalogue's least recently used memos (of any kind: a format no longer exported,
        an order no longer listed) while they take more than their budget (``BUDGET``, ``MIN_BUDGET``)."""
        suffix = files.cache_file(self.path.parent, self.source, "memo", ".bin").name[len("memo"):]
        found = []
        for memo in self.path.parent.glob(f"memo-*{suffix}"):
            with contextlib.suppress(OSError):
                status = memo.stat()
                found.append((status.st_mtime_ns, status.st_size, memo))
        budget = max(BUDGET * self.source.stat().st_size, MIN_BUDGET)
        kept = 0
        for _time, size, memo in sorted(found, key=lambda entry: entry[0], reverse=True):
            kept += size
            if kept > budget and memo != self.path:
                with contextlib.suppress(OSError):
                    memo.unlink()


_MISSING = object()


def code_stamp(sources: Iterable[Path]) -> str:
    """The Python files in ``sources`` (files, or folders of them) as Python's bytecode cache judges a
    module's source — name, size and time of change — in one number: for a memo's version, so that
    values remembered by other code are not taken should the code change without its version."""
    import xxhash

    stamp = xxhash.xxh3_64()
    for source in sources:
        try:
            files_ = sorted(source.glob("*.py")) if source.is_dir() else [source]
            for file in files_:
                info = file.stat()
                stamp.update(f"{file.name} {info.st_size} {info.st_mtime_ns}\n".encode())
        except OSError:  # a module gone is a change like any other
            stamp.update(f"{source} ?\n".encode())
    return f"{stamp.intdigest():016x}"
