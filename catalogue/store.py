"""The catalogue file: TinyDB over a storage of our own that writes atomically and deterministically.

The file holds ``{"format": "socsopr-catalogue", "records": {"<key>": {...}, ...}, "version": 1}``
with sorted keys, a 2-space indent and UTF-8, one record per citation key
(``layout`` writes it and reads records out of it one at a time).

Writes never touch the file in place: a temporary file in the same folder is
written, flushed and fsynced, then renamed over the old one, and the folder is
fsynced.  The storage buffers TinyDB's writes in memory until ``flush``, so one
command is one atomic write: a command that fails half-way writes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from catalogue import layout
from catalogue.errors import CorruptStore, StoreError, StoreLocked
from catalogue.layout import FORMAT, VERSION, Raw
from catalogue.model import Record

RECORDS_TABLE = layout.RECORDS
DEFAULT_LOCK_TIMEOUT = 30.0


def default_path() -> Path:
    """Where the catalogue lives when neither ``--db`` nor ``SOCSOPR_DB`` says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("socsopr") / "catalogue.json"


def lock_path(path: Path) -> Path:
    """The separate file locked around every change (never the data file itself)."""
    return path.with_name(path.name + ".lock")


def shipped_catalogue_bytes() -> bytes:
    """The Socialist Resistance catalogue that ships inside the package."""
    return resources.files("catalogue.data").joinpath("socsopr.json").read_bytes()


# --- encoding ---------------------------------------------------------------------------


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large acyclic JSON tree is built.

    Parsing creates hundreds of thousands of dicts and lists, and each batch of
    them triggers a collection that walks everything built so far: more than
    half the load time of a 100,000-record catalogue. JSON data holds no cycles,
    so nothing is lost by pausing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_document(path: Path, data: bytes, kind: str, body_field: str) -> Any:
    """The body of a versioned document, or ``CorruptStore`` saying what is wrong with it."""
    try:
        with collector_paused():
            document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CorruptStore(
            path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}); "
            "the file was left untouched, so repair it or restore it from a backup"
        ) from None
    if not isinstance(document, dict) or document.get("format") != kind:
        raise CorruptStore(path, f"is not a {kind} file; the file was left untouched")
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise CorruptStore(path, "has no valid format version; the file was left untouched")
    if version > VERSION:
        raise CorruptStore(
            path, f"was written by a newer socsopr (format version {version}, this one reads "
            f"{VERSION}); upgrade socsopr to use it"
        )
    return document.get(body_field)


def parse_records(path: Path, data: bytes) -> dict[str, Record]:
    """Records by key from the catalogue file's bytes; refuses anything that is not ours."""
    records = load_document(path, data, FORMAT, RECORDS_TABLE)
    if not isinstance(records, dict) or not all(isinstance(r, dict) for r in records.values()):
        raise CorruptStore(path, "has no valid 'records' object; the file was left untouched")
    return records


def read_keys(path: Path) -> list[str]:
    """Only the keys of a catalogue file (for shell completion); empty if it cannot be read."""
    try:
        data = path.read_bytes()
        spans = layout.scan(data)
        return list(spans) if spans is not None else sorted(parse_records(path, data))
    except (OSError, CorruptStore):
        return []


# --- the file system --------------------------------------------------------------------


def atomic_write(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces written in turn) so that a reader sees
    the old file or the new, never half.

    A failure (disk full, no permission) is ``StoreError`` and leaves the old file as it was.
    """
    try:
        _replace_atomically(path, data)
    except OSError as exc:
        raise StoreError(
            path, f"cannot be written ({exc.strerror or exc}); it was left as it was"
        ) from None


def _replace_atomically(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as tmp:
            if isinstance(data, bytes):
                tmp.write(data)
            else:
                tmp.writelines(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # folders cannot be opened on some systems; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_for_reading(path: Path) -> BinaryIO:
    """The catalogue file opened for reading, or ``StoreError`` saying why it cannot be."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise StoreError(path, "does not exist; create it with 'socsopr init'") from None
    except IsADirectoryError:
        raise StoreError(path, "is a folder, not a catalogue file") from None
    except OSError as exc:
        raise StoreError(path, f"cannot be read ({exc.strerror})") from None


def read_bytes(path: Path) -> bytes:
    """The whole catalogue file, or ``StoreError`` saying why it cannot be read."""
    with open_for_reading(path) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise StoreError(path, f"cannot be read ({exc.strerror})") from None


@contextlib.contextmanager
def locked(path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock of the catalogue at ``path``; wait at most ``timeout`` seconds."""
    from filelock import FileLock, Timeout

    lock_file = lock_path(path)
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            path, f"cannot be used: its folder cannot be created ({exc.strerror or exc})"
        ) from None
    try:
        # filelock takes a lock file it may not create for one held by someone else and waits out
        # the timeout; find out at once whether it can be created at all.
        os.close(os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise StoreError(
            path, f"cannot be locked: the lock file {lock_file} cannot be created ({exc.strerror or exc})"
        ) from None
    try:
        lock = FileLock(str(lock_file), timeout=timeout)
        lock.acquire()
    except Timeout:
        raise StoreLocked(
            path, f"is locked by another socsopr process (lock file {lock_file}); "
            f"waited {timeout:g} s, try again when it has finished"
        ) from None
    except OSError as exc:
        raise StoreError(path, f"cannot be locked ({exc.strerror})") from None
    try:
        yield
    finally:
        lock.release()


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
