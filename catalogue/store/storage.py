"""The records of an open catalogue, changed in memory and written back as one atomic file.

The file holds ``{"format": "socsopr-catalogue", "records": {"<key>": {...}, ...}, "version": 1}``
(with ``"authorities": {"<id>": {...}}`` before them and version 2 when there are authorities)
(``layout`` encodes it, ``files`` replaces it atomically). A ``CatalogueStorage``
starts from one reading of the file (``CatalogueFile``) and keeps each record
the command did not touch as its span of the file's text: ``pieces`` writes the
changed records fresh and copies the rest back verbatim, so changing one record
of 100,000 never parses the other 99,999. TinyDB sees this storage through
``tinydb_table`` and its public ``Storage`` interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from catalogue.model.record import Record
from catalogue.store import layout
from catalogue.store.catalogue_file import CatalogueFile
from catalogue.store.layout import Raw

RECORDS_TABLE = layout.RECORDS
PARSES_VERSION = "1"  # of the check ``layout.parse`` makes of a record's bytes (``store.memo``)


def shipped_catalogue_bytes() -> bytes:
    """The Socialist Resistance catalogue that ships inside the package."""
    from importlib import resources  # (tempfile, random, hashes: only for the shipped data)

    return resources.files("catalogue.data").joinpath("socsopr.json").read_bytes()


class CatalogueStorage:
    """Key to record (or to a still-unread span of the file's text), buffered until written."""

    def __init__(self, source: CatalogueFile | None = None) -> None:
        self.source = source
        self.path: Path | None = source.path if source is not None else None
        self._records: dict[str, Record | Raw] = dict(source.table()) if source is not None else {}
        self._checked = source is None or not source.canonical
        self._authorities: dict[str, Any] | None = None if source is not None else {}

    def authorities(self) -> dict[str, Any]:
        """The authorities table by id (read from the file when first asked for), changed in place."""
        if self._authorities is None:
            assert self.source is not None
            self._authorities = dict(self.source.authorities())
        return self._authorities

    def table(self) -> dict[str, Record | Raw]:
        """Key to record or span: for membership, counting, and TinyDB's inserts and removals."""
        return self._records

    def replace_table(self, records: dict[str, Record | Raw]) -> None:
        self._records = records

    def get(self, key: str) -> Record | None:
        """The record with exactly this key, parsed if it was still text; ``None`` if there is none."""
        value = self._records.get(key)
        return None if value is None else self._parse(key, value)

    def iter_records(self, *, sort: bool = True) -> Iterator[Record]:
        """Every record (in key order unless not ``sort``), parsed one at a time; nothing is kept."""
        records = self._records
        for key in sorted(records) if sort else list(records):
            yield self._parse(key, records[key])
        self._checked = True

    def parse_all(self) -> dict[str, Record]:
        """Every record parsed, and kept parsed (for a caller that works on the whole table)."""
        parsed = {key: self._parse(key, value) for key, value in self._records.items()}
        self._records = dict(parsed)
        self._checked = True
        return parsed

    def check(self) -> None:
        """``CorruptStore`` unless every record still held as text parses (once per storage)."""
        if self.source is not None and self.source.verified:
            self._checked = True  # every span was already parsed once (e.g. to look for duplicates)
        if not self._checked:
            source = self.source
            if (source is not None and source.cache_dir is not None and len(source.data) >= layout.LARGE_FILE
                    and (spans := source.spans()) is not None):
                self._check_remembered(source, spans)
            else:
                for key, value in self._records.items():
                    if isinstance(value, tuple):
                        self._parse(key, value)
            self._checked = True

    def _check_remembered(self, source: CatalogueFile, spans: dict[str, Raw]) -> None:
        """``check`` for a file in the canonical layout: a record whose very bytes parsed before (in any
        earlier run, ``store.memo``) is not parsed again; the file's other records are."""
        from catalogue.store.memo import RecordMemo

        records = self._records
        memo = RecordMemo(source.cache_dir or Path(), source.path, "parses", PARSES_VERSION)

        def parses(key: str, span: Raw) -> bool:
            if records.get(key) != span:  # replaced or removed in this session: not written, not checked
                return False
            source.parse(key, span)  # CorruptStore if it does not
            return True

        for _ok in memo.derive(source.data, spans, parses, lambda value: value is True):
            pass

    def pieces(self, spans: dict[str, Raw] | None = None) -> list[bytes | memoryview]:
        """The bytes of the file these records make, in pieces (untouched runs copied, not parsed);
        ``spans`` receives each record's place in them (see ``layout.assemble``)."""
        self.check()
        text = self.source.data if self.source is not None else b""
        return layout.assemble(text, self._records, self.authorities(), spans)

    def release(self) -> None:
        """Forget the records and the file's text (the catalogue was closed)."""
        self._records = {}
        self._authorities = {}
        self.source = None
        self._checked = True

    def _parse(self, key: str, value: Record | Raw) -> Record:
        if isinstance(value, tuple):
            assert self.source is not None, "spans come from a file"
            return self.source.parse(key, value)
        return value
