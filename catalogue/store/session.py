"""An open catalogue: look records up, change them, save the change as one undoable step."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from catalogue.errors import DuplicateKey, HistoryConflict, NothingToUndo, RecordNotFound, StoreError
from catalogue.model.record import Record, check, now_utc
from catalogue.store import files, history, layout
from catalogue.store import storage as store
from catalogue.store.history import Change


class Catalogue:
    """A catalogue of records, opened from a file (``Catalogue.open``) or held in memory.

    Changes (``add``, ``update``, ``remove``) stay in memory until ``save``, which
    writes the file atomically and records the change in the history.  A writable
    catalogue holds the file's lock from ``open`` to ``close``.
    """

    def __init__(
        self,
        storage: store.CatalogueStorage,
        *,
        writable: bool = True,
        created: bool = False,
        clock: Callable[[], str] = now_utc,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._storage = storage
        self._db, self._table = store.open_tinydb(storage)
        self.writable = writable
        self.created = created
        self._clock = clock
        self._on_close = on_close
        self._before: dict[str, Record | None] = {}
        self._lower: dict[str, str] | None = None

    # --- opening and closing -----------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        writable: bool = False,
        create: bool = True,
        lock_timeout: float = files.DEFAULT_LOCK_TIMEOUT,
        lazy: bool | None = None,
    ) -> Catalogue:
        """Open the catalogue file at ``path``; a missing one is created from the shipped data.

        A writable catalogue is locked until ``close``.  Readers take no lock: the
        file is only ever replaced whole, so they always read a committed state.

        ``lazy`` (the default for writers) maps the file and parses a record only
        when it is read: for a few records, or every record one at a time
        (``iter_records``). Without it the file is parsed whole at once, the fastest
        way to get every record as a list (``records``).
        """
        path = Path(path)
        lock: contextlib.ExitStack = contextlib.ExitStack()
        created = False
        try:
            if writable:
                lock.enter_context(files.locked(path, lock_timeout))
            if not path.exists():
                if not create:
                    raise StoreError(path, "does not exist; create it with 'socsopr init'")
                created = _seed(path, lock_timeout, already_locked=writable)
            # A writer changes a few records: the rest stay text until read, and are copied back.
            storage = store.CatalogueStorage.from_file(path, lazy=writable if lazy is None else lazy)
        except BaseException:
            lock.close()
            raise
        return cls(storage, writable=writable, created=created, on_close=lock.close)

    @classmethod
    def in_memory(cls, records: Iterable[Record] = (), *, clock: Callable[[], str] = now_utc) -> Catalogue:
        """An empty (or given) catalogue that lives in memory only; for tests and conversions."""
        catalogue = cls(store.CatalogueStorage(None, {}), clock=clock)
        catalogue.add_many(records)
        catalogue._before.clear()
        return catalogue

    @property
    def path(self) -> Path | None:
        return self._storage.path

    def close(self) -> None:
        """Release the lock and the file's contents; unsaved changes are dropped.

        Records already returned stay valid; the catalogue itself reads as empty.
        """
        self._db.close()
        self._storage.release()
        self._lower = None
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- reading -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._storage.table())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._keys_by_lower()

    def records(self) -> list[Record]:
        """All records, ordered by key."""
        return list(self._storage.iter_records())

    def iter_records(self) -> Iterator[Record]:
        """All records, ordered by key, one at a time: a writer reads them without holding them all."""
        return self._storage.iter_records()

    def keys(self) -> list[str]:
        return sorted(self._storage.table())

    def get(self, key: str) -> Record:
        """The record with this key (case-insensitive), or ``RecordNotFound`` with suggestions."""
        actual = self._keys_by_lower().get(key.lower())
        record = None if actual is None else self._storage.get(actual)
        if record is None:
            raise RecordNotFound(key, self.suggest_keys(key))
        return record

    def suggest_keys(self, key: str, limit: int = 3) -> list[str]:
        """The keys closest to a mistyped one."""
        from rapidfuzz import fuzz, process

        found = process.extract(
            key.lower(), list(self._keys_by_lower()), scorer=fuzz.WRatio, limit=limit, score_cutoff=60
        )
        lower = self._keys_by_lower()
        return [lower[match] for match, _score, _index in found]

    def _keys_by_lower(self) -> dict[str, str]:
        if self._lower is None:
            self._lower = {k.lower(): k for k in self._storage.table()}
        return self._lower

    # --- changing ----------------------------------------------------------------------

    def add(self, record: Mapping[str, Any]) -> Record:
        """Validate and insert one record; a missing ``id`` is generated. Returns the stored record."""
        return self.add_many([record])[0]

    def add_many(
        self, records: Iterable[Mapping[str, Any]], *, already_validated: bool = False
    ) -> list[Record]:
        """Validate and insert records in one step; nothing is inserted if any is invalid.

        ``already_validated``: the caller ran ``model.validate`` on every record, its
        ``id`` included, and found nothing; the second check is skipped (imports).
        """
        records = list(records)
        if not records:
            return []
        from catalogue.model.keys import make_key  # romanisation tables: only when keys are made
        taken = self._keys_by_lower()
        now = self._clock()
        prepared: list[Record] = []
        new_keys: dict[str, str] = {}
        for record in records:
            rec = dict(record)
            if not rec.get("id"):
                rec["id"] = make_key(rec, taken.keys() | new_keys.keys())
            key = str(rec["id"])
            if key.lower() in taken or key.lower() in new_keys:
                raise DuplicateKey(key)
            rec.setdefault("added", now)
            rec.setdefault("modified", rec["added"])
            if not already_validated or rec["added"] is not now or rec["modified"] is not now:
                check(rec)
            new_keys[key.lower()] = key
            prepared.append(rec)
        self._require_writable()
        self._table.insert_multiple(store.as_document(rec) for rec in prepared)
        for rec in prepared:
            self._before.setdefault(rec["id"], None)
            taken[rec["id"].lower()] = rec["id"]
        return prepared

    def update(self, key: str, record: Mapping[str, Any]) -> Record:
        """Replace a record; a different ``id`` in ``record`` renames it. ``modified`` is set."""
        old = self.get(key)
        old_key = old["id"]
        rec = dict(record)
        new_key = str(rec.get("id") or old_key)
        rec["id"] = new_key
        if new_key.lower() != old_key.lower() and new_key in self:
            raise DuplicateKey(new_key)
        if "added" in old:
            rec.setdefault("added", old["added"])
        rec["modified"] = self._clock()
        check(rec)
        self._require_writable()
        self._before.setdefault(old_key, old)
        self._table.remove(doc_ids=[old_key])
        self._before.setdefault(new_key, self._storage.get(new_key))
        self._table.insert(store.as_document(rec))
        lower = self._keys_by_lower()
        lower.pop(old_key.lower(), None)
        lower[new_key.lower()] = new_key
        return rec

    def remove(self, keys: Iterable[str]) -> list[Record]:
        """Remove records by key; if any key is unknown, nothing is removed."""
        found = [self.get(k) for k in keys]
        self._require_writable()
        doomed = list(dict.fromkeys(r["id"] for r in found))
        for rec in found:
            self._before.setdefault(rec["id"], rec)
        self._table.remove(doc_ids=doomed)
        lower = self._keys_by_lower()
        for key in doomed:
            lower.pop(key.lower(), None)
        return found

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(self.path or "<memory>", "was opened read-only")

    # --- saving and history ------------------------------------------------------------

    @property
    def has_changes(self) -> bool:
        return bool(self._pending_change())

    def _pending_change(self) -> dict[str, tuple[Record | None, Record | None]]:
        current = {key: self._storage.get(key) for key in self._before}
        return {key: (before, current[key]) for key, before in self._before.items() if before != current[key]}

    def save(self, command: str) -> Change | None:
        """Write every change since opening (or the last save) as one undoable step."""
        pending = self._pending_change()
        if not pending:
            self._before.clear()
            return None
        self._require_writable()
        self._storage.check()  # a damaged record anywhere: refuse before the history is written
        change = Change(
            number=0, time=self._clock(), command=command,
            before={k: b for k, (b, _a) in pending.items()},
            after={k: a for k, (_b, a) in pending.items()},
        )
        if self.path is not None:
            changes = history.read_history(self.path)
            change = Change(
                number=(changes[-1].number + 1) if changes else 1, time=change.time,
                command=command, before=change.before, after=change.after,
            )
            history.write_history(self.path, [*changes, change])
            self._storage.flush()
        self._before.clear()
        return change

    def history(self) -> list[Change]:
        """The saved changes, newest first."""
        if self.path is None:
            return []
        return list(reversed(history.read_history(self.path)))

    def undo(self) -> Change:
        """Revert the newest change exactly and drop it from the history; saves at once.

        Refused while this catalogue holds unsaved changes: undo writes the file, and
        would write them too without a history entry of their own.
        """
        self._require_writable()
        if self.path is None:
            raise NothingToUndo("an in-memory catalogue keeps no history")
        if self.has_changes:
            raise HistoryConflict(self.path, "has unsaved changes; save them (or drop them) before undo")
        changes = history.read_history(self.path)
        read: dict[str, Record | None] = {}

        def current(key: str) -> Record | None:
            if key not in read:
                read[key] = self._storage.get(key)
            return read[key]

        while changes:
            change = changes[-1]
            if all(current(k) == change.after.get(k) for k in change.keys):
                break
            if all(current(k) == change.before.get(k) for k in change.keys):
                changes.pop()  # never landed (killed mid-save) or already reverted
                continue
            raised = [k for k in change.keys if current(k) != change.after.get(k)]
            raise HistoryConflict(
                self.path, f"records {', '.join(raised[:5])} have changed since change "
                f"#{change.number} ({change.command}); undo refused so nothing is lost",
            )
        else:
            raise NothingToUndo("there is no change to undo")
        keys = change.keys
        present = [k for k in keys if current(k) is not None]
        if present:
            self._table.remove(doc_ids=present)  # type: ignore[arg-type]
        restored = [rec for k in keys if (rec := change.before.get(k)) is not None]
        if restored:
            self._table.insert_multiple(store.as_document(r) for r in restored)
        self._lower = None
        self._storage.flush()
        history.write_history(self.path, changes[:-1])
        self._before.clear()
        return change


def _seed(path: Path, lock_timeout: float, *, already_locked: bool) -> bool:
    """Create a missing catalogue from the shipped data; False if another process just did."""
    lock = contextlib.nullcontext() if already_locked else files.locked(path, lock_timeout)
    with lock:
        if path.exists():
            return False
        data = store.shipped_catalogue_bytes()
        layout.parse_records(path, data)  # refuse to seed from a broken package
        files.atomic_write(path, data)
    return True


def init_catalogue(
    path: Path, *, empty: bool = False, force: bool = False,
    lock_timeout: float = files.DEFAULT_LOCK_TIMEOUT,
) -> Path | None:
    """Create a catalogue file: the shipped records, or none. Returns the backup of a replaced file.

    An existing file is refused unless ``force``; then it is kept as ``<name>.bak``
    (or ``.bak1``, ``.bak2`` … when that exists).
    """
    from catalogue.errors import StoreExists

    with files.locked(path, lock_timeout):
        backup = None
        if path.exists():
            if not force:
                raise StoreExists(path, "already exists; use --force to replace it (it is kept as a backup)")
            backup = _free_backup_name(path)
            shutil.copy2(path, backup)
        data = layout.dump_records({}) if empty else store.shipped_catalogue_bytes()
        files.atomic_write(path, data)
        hist = history.history_path(path)
        if hist.exists():
            hist.replace(_free_backup_name(hist))
    return backup


def _free_backup_name(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak{n}")
        n += 1
    return candidate
