"""The catalogue file: TinyDB over a storage of our own that writes atomically and deterministically.

The file holds ``{"format": "socsopr-catalogue", "records": {"<key>": {...}, ...}, "version": 1}``
with sorted keys, a 2-space indent and UTF-8, one record per citation key;
``layout`` encodes and decodes it (whole, or one record at a time) and ``files``
reads, locks and replaces it.

Writes never touch the file in place (``files.atomic_write``). The storage
buffers TinyDB's writes in memory until ``flush``, so one command is one atomic
write: a command that fails half-way writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from catalogue.errors import CorruptStore
from catalogue.model.record import Record
from catalogue.store import layout
from catalogue.store.files import atomic_write, read_bytes
from catalogue.store.layout import Raw, parse_records

RECORDS_TABLE = layout.RECORDS


def shipped_catalogue_bytes() -> bytes:
    """The Socialist Resistance catalogue that ships inside the package."""
    return resources.files("catalogue.data").joinpath("socsopr.json").read_bytes()


def read_keys(path: Path) -> list[str]:
    """Only the keys of a catalogue file (for shell completion); empty if it cannot be read."""
    try:
        data = path.read_bytes()
        spans = layout.scan(data)
        return list(spans) if spans is not None else sorted(parse_records(path, data))
    except (OSError, CorruptStore):
        return []


# --- TinyDB -----------------------------------------------------------------------------


def as_document(record: Record) -> Document:
    """A record as a TinyDB document whose id is its citation key."""
    return Document(record, doc_id=record["id"])


class KeyedTable(Table):
    """A TinyDB table whose document ids are citation keys, not counters.

    Over a lazy ``CatalogueStorage`` every TinyDB operation still sees parsed
    records: reads parse the whole table, writes parse each record they touch.
    """

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:  # pragma: no cover - every insert names its key
        raise TypeError("records are inserted with their citation key as document id")

    def _read_table(self) -> dict[str, Mapping[str, Any]]:
        storage = self._storage
        if isinstance(storage, CatalogueStorage):
            return dict(zip(storage.table(), storage.iter_records(sort=False), strict=True))
        return super()._read_table()  # pragma: no cover - socsopr always gives its own storage

    def _update_table(self, updater: Callable[[dict[Any, Mapping[str, Any]]], None]) -> None:
        storage = self._storage
        if not isinstance(storage, CatalogueStorage):  # pragma: no cover
            super()._update_table(updater)
            return

        def parsing(table: dict[Any, Mapping[str, Any]]) -> None:
            view = _ParsedOnAccess(table, storage.parse)
            updater(view)
            table.clear()
            table.update(view)

        super()._update_table(parsing)


class _ParsedOnAccess(dict[str, Any]):
    """A table whose still-unparsed records are parsed (and kept) when an operation looks them up."""

    def __init__(self, table: dict[str, Any], parse: Callable[[str, Raw], Record]) -> None:
        super().__init__(table)
        self._parse = parse

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, tuple):
            value = self._parse(key, value)
            super().__setitem__(key, value)
        return value


class CatalogueStorage(Storage):
    """TinyDB storage over one catalogue file; writes are buffered until ``flush``.

    The records table maps each key to its record, or, for a catalogue opened
    ``lazily``, to a ``layout.Raw`` span of the file's text until something
    reads that record. TinyDB's inserts and removals by document id pass the
    values through untouched; records are read through ``get`` and
    ``iter_records`` (never TinyDB's queries, which would need every record
    parsed). ``flush`` writes changed records fresh and copies the rest of the
    text verbatim, after checking that every span still unread parses.
    """

    def __init__(self, path: Path | None, records: dict[str, Record | Raw], text: bytes = b"") -> None:
        self.path = path
        self._tables: dict[str, dict[str, Record | Raw]] = {RECORDS_TABLE: records}
        self._text = text
        self._checked = not any(isinstance(value, tuple) for value in records.values())

    @classmethod
    def from_file(cls, path: Path, *, lazy: bool = False) -> CatalogueStorage:
        """The storage of the catalogue file at ``path``; ``lazy`` leaves records unparsed until read.

        A file not in the canonical layout is always parsed whole (and refused if damaged).
        """
        data = read_bytes(path)
        if lazy and (spans := layout.scan(data)) is not None:
            return cls(path, dict(spans), data)
        return cls(path, dict(parse_records(path, data)))

    def read(self) -> dict[str, dict[str, Record | Raw]]:
        return self._tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._tables = data

    def table(self) -> dict[str, Record | Raw]:
        """Key to record (or still-unread span): for membership, counting and TinyDB."""
        return self._tables.setdefault(RECORDS_TABLE, {})

    def get(self, key: str) -> Record | None:
        """The record with exactly this key, parsed if it was still text; ``None`` if there is none."""
        value = self.table().get(key)
        return self.parse(key, value) if isinstance(value, tuple) else value

    def parse(self, key: str, raw: Raw) -> Record:
        """The record held as text at ``raw``; ``CorruptStore`` if it is damaged."""
        return layout.parse(self._where(), self._text, key, raw)

    def iter_records(self, *, sort: bool = True) -> Iterator[Record]:
        """Every record (in key order unless not ``sort``), parsed one at a time; nothing is kept."""
        table = self.table()
        for key in sorted(table) if sort else list(table):
            value = table[key]
            yield self.parse(key, value) if isinstance(value, tuple) else value
        self._checked = True

    def check(self) -> None:
        """``CorruptStore`` unless every record still held as text parses (once per storage)."""
        if not self._checked:
            for key, value in self.table().items():
                if isinstance(value, tuple):
                    layout.parse(self._where(), self._text, key, value)
            self._checked = True

    def release(self) -> None:
        """Forget the records and the file's text (the catalogue was closed)."""
        self._tables = {RECORDS_TABLE: {}}
        self._text = b""
        self._checked = True

    def flush(self) -> None:
        """Write the buffered records to the file, atomically (nothing to do in memory)."""
        if self.path is None:
            return
        self.check()
        atomic_write(self.path, layout.assemble(self._text, self.table()))

    def _where(self) -> Path:
        return self.path or Path("<memory>")


def open_tinydb(storage: CatalogueStorage) -> tuple[TinyDB, KeyedTable]:
    """A TinyDB over an existing storage object, and its records table."""

    class _DB(TinyDB):
        table_class = KeyedTable
        default_table_name = RECORDS_TABLE

    db = _DB(storage=_Given(storage))
    table = db.table(RECORDS_TABLE)
    assert isinstance(table, KeyedTable)
    return db, table


class _Given:
    """Hands TinyDB an already-built storage object (TinyDB wants a class to call)."""

    def __init__(self, storage: CatalogueStorage) -> None:
        self._storage = storage

    def __call__(self) -> CatalogueStorage:
        return self._storage
