"""TinyDB over the catalogue's storage, through TinyDB's public ``Storage`` interface.

TinyDB is the product's database layer: inserts and removals of records go
through its ``Table``, whose document ids are citation keys. What socsopr
adds is a ``Storage`` whose ``read`` hands TinyDB the table as it is — records
not yet read stay spans of the file's text, which TinyDB's inserts and
removals by id move around untouched — while socsopr's own writes run
(``CatalogueStorage`` then changes one record of 100,000 without parsing the
rest). Any other use of TinyDB's API (queries, ``all()``, ``update``) reads
through ``read`` outside such a write, and is handed every record parsed.

Only one private TinyDB method is overridden: ``_get_next_id``, which would
count up integer ids; a record is always inserted under its key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from catalogue.model.record import Record
from catalogue.store.storage import RECORDS_TABLE, CatalogueStorage


class KeyedTable(Table):
    """A TinyDB table whose document ids are citation keys, not counters."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        raise TypeError("records are inserted with their citation key as document id")


class TinyStorage(Storage):
    """TinyDB's view of a ``CatalogueStorage``."""

    def __init__(self, records: CatalogueStorage) -> None:
        self.records = records
        self._raw = False

    @contextlib.contextmanager
    def raw(self) -> Iterator[None]:
        """Within: TinyDB is handed unread records as spans (for inserts and removals by key)."""
        self._raw = True
        try:
            yield
        finally:
            self._raw = False

    def read(self) -> dict[str, dict[str, Any]]:
        table = self.records.table() if self._raw else self.records.parse_all()
        return {RECORDS_TABLE: table}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.records.replace_table(data.get(RECORDS_TABLE, {}))


class RecordsTable:
    """The records table of one open catalogue, as TinyDB keeps it."""

    def __init__(self, records: CatalogueStorage) -> None:
        storage = TinyStorage(records)

        class _DB(TinyDB):
            table_class = KeyedTable
            default_table_name = RECORDS_TABLE

        self.storage = storage
        self.db = _DB(storage=lambda: storage)
        self.table = self.db.table(RECORDS_TABLE)

    def insert(self, records: list[Record]) -> None:
        with self.storage.raw():
            self.table.insert_multiple(Document(record, doc_id=record["id"]) for record in records)

    def remove(self, keys: list[str]) -> None:
        if keys:
            with self.storage.raw():
                self.table.remove(doc_ids=keys)  # type: ignore[arg-type]

    def close(self) -> None:
        self.db.close()
