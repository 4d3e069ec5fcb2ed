"""An open catalogue: look records up, change them, save the change as one undoable step."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from catalogue.errors import (
    AmbiguousName,
    AuthorityNotFound,
    ChangedMeanwhile,
    CorruptStore,
    DuplicateKey,
    HistoryConflict,
    InvalidAuthority,
    LikelyDuplicate,
    NothingToUndo,
    RecordNotFound,
    StoreError,
    StoreMissing,
    ValidationError,
)
from catalogue.model.record import Record, now_utc
from catalogue.store import files, layout
from catalogue.store.catalogue_file import CatalogueFile, closest_keys
from catalogue.store.layout import Raw

# validation is imported where a record is checked: reading commands never need it
if TYPE_CHECKING:
    from catalogue.model.authority import Authority, AuthorityIndex
    from catalogue.model.duplicates import DuplicateIndex
    from catalogue.model.keys import TakenKeys
    from catalogue.store.history import Change, History
    from catalogue.store.storage import CatalogueStorage
    from catalogue.store.tinydb_table import RecordsTable

LockWait = files.LockWait
__all__ = ["Catalogue", "HistoryStatus", "LockWait"]


def __getattr__(name: str) -> Any:
    # ``init_catalogue`` lives in ``catalogue.store.creating``; still found here, loaded on first use
    # (opening a catalogue does not need it)
    if name == "init_catalogue":
        from catalogue.store.creating import init_catalogue

        return init_catalogue
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Written(NamedTuple):
    """What the newest save, undo or redo of a catalogue wrote: the file, its bytes in pieces and, when
    the writer copied records from the file it read, where each record lies in them (``None``
    otherwise); and the file's status the moment it took the old one's place, the lock still held
    (``None`` if it could not be read). A search index can be brought up to date from it without
    reading the file again."""

    path: Path
    pieces: list[bytes | memoryview]
    spans: dict[str, Raw] | None
    status: os.stat_result | None
    before: str | None = None  # the state (``history.state_of``) of the file this one replaced
    # the keys whose bytes may differ from the replaced file's: every other record was copied as it was
    touched: frozenset[str] | None = None


class HistoryStatus(NamedTuple):
    """What the history can honestly say about itself."""

    dropped: int  # older changes no longer kept (the size policy)
    detached: bool  # the file was changed outside socsopr after the newest change
    limit: int  # how many entries the history keeps


class Catalogue:
    """A catalogue of records, opened from a file (``Catalogue.open``) or held in memory.

    Changes (``add``, ``update``, ``remove``) stay in memory until ``save``, which
    records the change in the history and then replaces the file atomically: the
    replacement is the one moment the change happens. A writable catalogue holds
    the file's lock from ``open`` to ``close``.
    """

    def __init__(
        self,
        source: CatalogueFile | None,
        *,
        writable: bool = True,
        created: bool = False,
        clock: Callable[[], str] = now_utc,
        on_close: Callable[[], None] | None = None,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._file = source
        self._storage: CatalogueStorage | None = None
        if source is None:  # in memory
            from catalogue.store.storage import CatalogueStorage

            self._storage = CatalogueStorage()
        self._table: RecordsTable | None = None
        self.writable = writable
        self.created = created
        self._clock = clock
        self._on_close = on_close
        self._on_commit = on_commit
        self._before: dict[str, Record | None] = {}
        self._names_before: dict[str, Authority | None] = {}  # authorities changed since the last save
        self._names: AuthorityIndex | None = None
        self._lower: dict[str, str] | None = None
        self._aliases: dict[str, str] | None = None  # lower-cased alias -> key of the record holding it
        self._state: str | None = None  # the file's state as last read or written
        self.last_written: Written | None = None

    # --- opening and closing -----------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        writable: bool = False,
        create: bool = True,
        lock_timeout: float = files.DEFAULT_LOCK_TIMEOUT,
        on_wait: Callable[[files.LockWait], None] | None = None,
        on_commit: Callable[[], None] | None = None,
        holder: str = "",
        cache_dir: Path | None = None,
    ) -> Catalogue:
        """Open the catalogue file at ``path``; a missing one is created from the shipped data
        unless ``create`` is false (then ``StoreMissing``). ``cache_dir``: where what is derived
        from a large file (its records' places, ``spans_cache``) may be kept between runs.

        A symbolic link is followed: the real file is read, locked, written and
        given the history. A writable catalogue is locked until ``close``
        (``on_wait`` hears about a wait for another process's lock; ``holder``
        says who we are to such a waiter) and refused when the file may not be
        replaced (read-only, several hard links). ``on_commit`` runs the moment
        a save or undo has replaced the file. Readers take no lock: the file is
        only ever replaced whole, so they always read a committed state.
        """
        given = Path(path)
        real = files.real_path(given)
        lock = contextlib.ExitStack()
        created = False
        if real.is_dir():
            raise StoreError(given, "is a folder, not a catalogue file")
        if not create and not real.exists():  # before locking: a mistyped name leaves no lock file behind
            raise StoreMissing(given)
        try:
            if writable:
                lock.enter_context(files.locked(real, lock_timeout, on_wait=on_wait, holder=holder))
            if not real.exists():
                if not create:
                    raise StoreMissing(given)
                from catalogue.store.creating import seed_if_missing

                created = seed_if_missing(real, lock_timeout, already_locked=writable)
            if writable:
                files.check_writable(real)
            source = CatalogueFile.read(real, cache_dir)
            try:
                source.check()
            except BaseException:
                source.close()
                raise
        except BaseException:
            lock.close()
            raise
        return cls(source, writable=writable, created=created, on_close=lock.close, on_commit=on_commit)

    @classmethod
    def in_memory(cls, records: Iterable[Record] = (), *, clock: Callable[[], str] = now_utc) -> Catalogue:
        """An empty (or given) catalogue that lives in memory only; for tests and conversions."""
        catalogue = cls(None, clock=clock)
        catalogue.add_many(records)
        catalogue._before.clear()
        return catalogue

    @property
    def path(self) -> Path | None:
        """The real file (links followed), or ``None`` in memory."""
        return self._file.path if self._file is not None else None

    def close(self) -> None:
        """Release the lock and the file's contents; unsaved changes are dropped.

        Records already returned stay valid; the catalogue itself reads as empty.
        """
        if self._table is not None:
            self._table.close()
            self._table = None
        self._storage = None
        path = Path("<closed>")
        if self._file is not None:
            self._file.close()
            path = self._file.path
        self._file = CatalogueFile(path, layout.EMPTY)
        self._lower = None
        self._aliases = None
        self._names = None
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
        return len(self._storage.table()) if self._storage is not None else len(self._source())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._keys_by_lower()

    def records(self) -> list[Record]:
        """All records, ordered by key (the whole file parsed at once when nothing changed)."""
        if self._storage is None:
            return self._source().records()
        return list(self._storage.iter_records())

    def iter_records(self) -> Iterator[Record]:
        """All records, ordered by key, one at a time: 100,000 are never all held."""
        if self._storage is None:
            return self._source().iter_records()
        return self._storage.iter_records()

    def keys(self) -> list[str]:
        if self._storage is None:
            return self._source().keys()
        return sorted(self._storage.table())

    def get(self, key: str) -> Record:
        """The record with this key (case-insensitive) or alias (the key of a record merged into it),
        or ``RecordNotFound`` with suggestions. Aliases are looked up only when no key matches."""
        if self._storage is None:
            source = self._source()
            record = source.get(key)
            if record is not None:
                return record
            actual = self._keys_by_lower().get(key.lower()) or self.alias_owner(key)
            record = None if actual is None else source.get(actual)
        else:
            actual = self._keys_by_lower().get(key.lower()) or self.alias_owner(key)
            record = None if actual is None else self._storage.get(actual)
        if record is None:
            raise RecordNotFound(key, self.suggest_keys(key))
        return record

    def alias_owner(self, key: str) -> str | None:
        """The key of the record that holds ``key`` (ignoring case) among its ``aliases``, or ``None``."""
        return self._aliases_by_lower().get(key.lower())

    def aliases(self) -> dict[str, str]:
        """Every alias (lower-cased) with the key of the record holding it."""
        return dict(self._aliases_by_lower())

    def _aliases_by_lower(self) -> dict[str, str]:
        if self._aliases is None:
            found: dict[str, str] = {}
            for record in self._records_with_aliases():
                for alias in record.get("aliases") or ():
                    if isinstance(alias, str):
                        found.setdefault(alias.lower(), str(record.get("id")))
            self._aliases = found
        return self._aliases

    def _records_with_aliases(self) -> Iterator[Record]:
        """The records that hold ``aliases``; a span is parsed only when its text names the field."""
        table = self._storage.table() if self._storage is not None else self._source().table()
        source = self._file if self._file is not None and self._file.path is not None else None
        data = source.data if source is not None and source.canonical else b""
        named = source is not None and bool(data) and source.mentions_aliases()
        for key, value in table.items():
            if isinstance(value, tuple):
                if named and data.find(layout.ALIASES_FIELD, value[1], value[2]) >= 0:
                    assert source is not None
                    record = source.parse(key, value)
                    if "aliases" in record:
                        yield record
            elif "aliases" in value:
                yield value

    def suggest_keys(self, key: str, limit: int = 3) -> list[str]:
        """The keys closest to a mistyped one."""
        return closest_keys(key, self._keys_by_lower(), limit)

    def _keys_by_lower(self) -> dict[str, str]:
        if self._lower is None:
            keys = self._storage.table() if self._storage is not None else self._source().table()
            self._lower = {k.lower(): k for k in keys}
        return self._lower

    def _source(self) -> CatalogueFile:
        if self._file is None:
            raise StoreError("<closed>", "was closed")
        return self._file

    # --- changing ----------------------------------------------------------------------

    def add(self, record: Mapping[str, Any], *, allow_duplicates: bool = False) -> Record:
        """Validate and insert one record; a missing ``id`` is generated. Returns the stored record.

        A record that looks like one already there (same title, first name and
        year, in any script) is refused with ``LikelyDuplicate`` unless ``allow_duplicates``.
        """
        return self.add_many([record], allow_duplicates=allow_duplicates)[0]

    def add_many(
        self, records: Iterable[Mapping[str, Any]], *, allow_duplicates: bool = True,
        already_validated: bool = False,
    ) -> list[Record]:
        """Validate and insert records in one step; nothing is inserted if any is invalid.

        ``already_validated``: the caller ran ``model.validate`` on every record, its
        ``id`` included, and found nothing; the second check is skipped (imports).
        """
        from catalogue.model.validation import check

        records = list(records)
        if not records:
            return []
        self._require_writable()
        taken = self._keys_by_lower()
        aliases = self._aliases_by_lower()
        now = self._clock()
        prepared: list[Record] = []
        new_keys: dict[str, str] = {}
        fresh: TakenKeys | None = None  # every key in use, made once for all the records without one
        for record in records:
            rec = dict(record)
            if not rec.get("id"):
                if fresh is None:
                    from catalogue.model import keys  # romanisation tables: only when keys are made

                    fresh = keys.TakenKeys([*taken, *new_keys])
                rec["id"] = keys.make_key(rec, fresh)
            if not isinstance(rec["id"], str):
                check(rec)  # a ValidationError naming the problem (a number, a list …)
            key = rec["id"]
            if key.lower() in taken or key.lower() in new_keys or key.lower() in aliases:
                raise DuplicateKey(key)
            rec.setdefault("added", now)
            rec.setdefault("modified", rec["added"])
            if not already_validated or rec["added"] is not now or rec["modified"] is not now:
                check(rec)
            new_keys[key.lower()] = key
            if fresh is not None:
                fresh.add(key)
            prepared.append(rec)
        if not allow_duplicates:
            self._refuse_likely_duplicates(prepared)
        if any("aliases" in rec for rec in prepared):
            self._refuse_taken_aliases(prepared, set())
            self._aliases = None
        self._records_table().insert(prepared)
        for rec in prepared:
            self._before.setdefault(rec["id"], None)
            taken[rec["id"].lower()] = rec["id"]
        return prepared

    def likely_duplicates(self, record: Mapping[str, Any]) -> list[str]:
        """Keys of the records that look like the same work (same title, first name and year)."""
        return self._duplicate_index([record]).matches(record)

    def _duplicate_index(self, records: list[Mapping[str, Any]]) -> DuplicateIndex:
        from catalogue.model.duplicates import DuplicateIndex
        from catalogue.model.record import year_of

        years = {year_of(r) for r in records}
        names = self.authority_index() if self.authorities() else None
        # same year first: a cheap filter before folding titles and names of the whole catalogue
        return DuplicateIndex((r for r in self._records_maybe_of(years) if year_of(r) in years),
                              names=names or None)

    def _records_maybe_of(self, years: set[int | None]) -> Iterator[Record]:
        """The records whose first year may be one of ``years`` (and maybe others): a record still
        held as bytes (in the canonical layout, so indented as ``dump`` does) is parsed only if it holds
        one of the years where the first number of ``issued``'s date parts goes."""
        if None in years or self._file is None:
            yield from self.iter_records()
            return
        source = self._source()
        table = self._storage.table() if self._storage is not None else source.table()
        spans = source.spans()
        if spans is None:  # another layout: every record is parsed already
            yield from (value for value in table.values() if not isinstance(value, tuple))
            return
        # the places of the years in the whole file, then the records holding them (by their starts)
        data = source.data
        hits: set[int] = set()
        for year in years:
            needle = b"[\n" + b" " * 12 + str(year).encode()
            at = data.find(needle)
            while at >= 0:
                hits.add(at)
                at = data.find(needle, at + 1)
        from bisect import bisect_right

        keys = list(spans)
        starts = [start for start, _body, _end in spans.values()]
        holders = {keys[bisect_right(starts, at) - 1] for at in hits if at >= starts[0]} if starts else set()
        for key, value in table.items():
            if not isinstance(value, tuple):
                yield value
            elif key in holders and spans.get(key) == value:
                yield source.parse(key, value)

    def _refuse_likely_duplicates(self, records: list[Record]) -> None:
        existing = self._duplicate_index(list(records))
        for record in records:
            matches = existing.matches(record)
            if matches:
                raise LikelyDuplicate(str(record.get("title", "")), matches)

    def update(
        self, key: str, record: Mapping[str, Any], *, expected: Mapping[str, Any] | None = None
    ) -> Record:
        """Replace a record; a different ``id`` in ``record`` renames it. ``modified`` is set.

        ``expected``: the record as the caller read it earlier; if it has changed
        since (another process wrote it), ``ChangedMeanwhile`` and nothing changes.
        """
        from catalogue.model.validation import check

        old = self.get(key)
        old_key = old["id"]
        if expected is not None and dict(expected) != old:
            raise ChangedMeanwhile(self.path or "<memory>", old_key)
        rec = dict(record)
        new_key = str(rec.get("id") or old_key)
        rec["id"] = new_key
        if new_key.lower() != old_key.lower() and (new_key in self or self.alias_owner(new_key) is not None):
            raise DuplicateKey(new_key)
        if rec.get("aliases") != old.get("aliases") and isinstance(rec.get("aliases"), list):
            self._refuse_taken_aliases([rec], {old_key.lower()})
        if "added" in old:
            rec.setdefault("added", old["added"])
        rec["modified"] = self._clock()
        check(rec)
        self._require_writable()
        table = self._records_table()
        storage = self._writer()
        self._before.setdefault(old_key, old)
        table.remove([old_key])
        self._before.setdefault(new_key, storage.get(new_key))
        table.insert([rec])
        lower = self._keys_by_lower()
        lower.pop(old_key.lower(), None)
        lower[new_key.lower()] = new_key
        if new_key != old_key or "aliases" in rec or "aliases" in old:
            self._aliases = None
        if new_key != old_key:
            self._move_links(old_key, new_key)
        return rec

    def update_many(self, pairs: Iterable[tuple[Record, Mapping[str, Any]]], *,
                    already_validated: bool = False) -> list[Record]:
        """Replace many records in one step (a batch edit): ``(old, new)`` pairs, ``old`` as this
        catalogue returned it, ``new`` under the same key. ``modified`` is set on each.

        Every new record is validated first; if any is invalid, ``ValidationError`` lists the
        problems (``key: problem``) and nothing changes. ``already_validated``: the caller ran
        ``model.validate`` on each new record (its times aside) and found nothing. The fields a
        record keeps as they were are not checked again (``model.validation.validate_change``).
        """
        from catalogue.model.validation import validate_change

        self._require_writable()
        storage = self._writer()
        table = storage.table()
        now = self._clock()
        prepared: list[tuple[Record, Record]] = []
        problems: list[str] = []
        for old, record in pairs:
            key = old["id"]
            if key not in table:
                raise RecordNotFound(key, self.suggest_keys(key))
            rec = dict(record)
            if rec.get("id") != key:
                raise DuplicateKey(str(rec.get("id")))  # a batch never renames
            if "added" in old:
                rec.setdefault("added", old["added"])
            rec["modified"] = now
            if not already_validated:
                problems += [f"{key}: {p}" for p in validate_change(old, rec)]
            if rec.get("aliases") != old.get("aliases"):
                problems.append(f"{key}: aliases change only by merging")
            prepared.append((old, rec))
        if problems:
            bad = len({p.split(": ", 1)[0] for p in problems})
            shown = problems[:_MAX_PROBLEMS_SHOWN]
            if len(problems) > len(shown):
                shown.append(f"… and {len(problems) - len(shown):,} more problems")
            error = ValidationError(shown)
            error.headline = (f"{bad:,} of the {len(prepared):,} changed records would be invalid; "
                              "nothing was changed")
            raise error
        if not prepared:
            return []
        keys = [old["id"] for old, _rec in prepared]
        for old, _rec in prepared:
            self._before.setdefault(old["id"], old)
        records_table = self._records_table()
        records_table.remove(keys)
        records_table.insert([rec for _old, rec in prepared])
        return [rec for _old, rec in prepared]

    def merge(self, merged: Mapping[str, Any], absorbed: Iterable[str]) -> Record:
        """Replace the record under ``merged["id"]`` by ``merged`` and remove the ``absorbed`` records in
        one step (one change when saved). ``merged["aliases"]`` may hold the absorbed keys and their
        aliases; an alias that is another record's key or alias is ``DuplicateKey``, nothing changed.
        Authorities' links to an absorbed record move to the kept one."""
        from catalogue.model.validation import check

        kept = self.get(str(merged.get("id")))
        gone = [self.get(k) for k in absorbed]
        involved = {kept["id"].lower(), *(r["id"].lower() for r in gone)}
        if len(involved) != len(gone) + 1:
            raise DuplicateKey(kept["id"])  # the same record twice: the caller words it better
        rec = {**merged, "id": kept["id"]}
        check(rec)
        taken = self._keys_by_lower()
        owners = self._aliases_by_lower()
        for alias in rec.get("aliases") or ():
            low = alias.lower()
            if low == kept["id"].lower():
                raise DuplicateKey(alias)
            owner = owners.get(low) or kept["id"]
            if (low in taken and low not in involved) or owner.lower() not in involved:
                raise DuplicateKey(alias)
        self.remove([r["id"] for r in gone])
        stored = self.update(kept["id"], rec)
        for record in gone:
            self._move_links(record["id"], kept["id"])
        self._aliases = None
        return stored

    def remove(self, keys: Iterable[str]) -> list[Record]:
        """Remove records by key; if any key is unknown, nothing is removed."""
        found = [self.get(k) for k in keys]
        self._require_writable()
        doomed = list(dict.fromkeys(r["id"] for r in found))
        for rec in found:
            self._before.setdefault(rec["id"], rec)
        self._records_table().remove(doomed)
        lower = self._keys_by_lower()
        for key in doomed:
            lower.pop(key.lower(), None)
        if any("aliases" in rec for rec in found):
            self._aliases = None
        return found

    def _refuse_taken_aliases(self, records: list[Record], own: set[str]) -> None:
        """``DuplicateKey`` when an alias of these records is a key or another record's alias."""
        taken = self._keys_by_lower()
        owners = self._aliases_by_lower()
        for rec in records:
            mine = {rec["id"].lower(), *own}
            for alias in rec.get("aliases") or ():
                low = alias.lower() if isinstance(alias, str) else ""
                if (low in taken and low not in own) or low == rec["id"].lower():
                    raise DuplicateKey(alias)
                if low in owners and owners[low].lower() not in mine:
                    raise DuplicateKey(alias)

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(self.path or "<memory>", "was opened read-only")

    def _writer(self) -> CatalogueStorage:
        if self._storage is None:
            from catalogue.store.storage import CatalogueStorage

            self._storage = CatalogueStorage(self._source())
        return self._storage

    def _records_table(self) -> RecordsTable:
        if self._table is None:
            from catalogue.store.tinydb_table import RecordsTable

            self._table = RecordsTable(self._writer())
        return self._table

    # --- authorities --------------------------------------------------------------------

    def authorities(self) -> dict[str, Authority]:
        """Every authority (person or organisation) by id, sorted; read from the file when first asked."""
        if self._storage is not None:
            return self._storage.authorities()
        return self._source().authorities()

    def authority_index(self) -> AuthorityIndex:
        """The authorities, ready to resolve names (made once, again after a change)."""
        if self._names is None:
            from catalogue.model.authority import AuthorityIndex

            self._names = AuthorityIndex(self.authorities())
        return self._names

    def find_authority(self, wanted: str) -> Authority:
        """The authority with this id, or the one this name (any form, any script) stands for.

        ``AmbiguousName`` when the name fits several equally well, ``AuthorityNotFound``
        (with the closest ids) when it fits none.
        """
        authorities = self.authorities()
        text = " ".join(wanted.split())
        if text in authorities:
            return authorities[text]
        if text.lower() in authorities:
            return authorities[text.lower()]
        fitting = self.authorities_fitting(text)
        if len(fitting) == 1:
            return authorities[fitting[0]]
        if fitting:
            raise AmbiguousName(text, fitting)
        from catalogue.store.catalogue_file import closest_keys

        raise AuthorityNotFound(wanted, closest_keys(text, {k.lower(): k for k in authorities}))

    def authorities_fitting(self, text: str) -> list[str]:
        """Ids of the authorities a typed name fits best: exact forms if any, else compatible initials."""
        from catalogue.model.names import parse_name

        index = self.authority_index()
        literal = text[1:] if text.startswith("=") else text
        exact, compatible = set(index.candidates({"literal": literal.strip()})[0]), set()
        try:
            name = parse_name(text)
        except ValueError:
            name = None
        if name is not None and "literal" not in name:
            person_exact, person_compatible = index.candidates(name)
            exact |= set(person_exact)
            compatible |= set(person_compatible)
            if "given" not in name:  # a family name alone: every person of that family
                compatible |= set(index.with_family(name))
        return sorted(exact or compatible)

    def put_authority(self, authority: Mapping[str, Any]) -> Authority:
        """Add an authority, or replace the one with its id; ``InvalidAuthority`` lists what is wrong."""
        from catalogue.model.authority import problems

        self._require_writable()
        stored = dict(authority)
        found = problems(stored)
        if found:
            raise InvalidAuthority(str(stored.get("id")), found)
        table = self._writer().authorities()
        ident = stored["id"]
        self._names_before.setdefault(ident, table.get(ident))
        table[ident] = stored
        self._names = None
        return stored

    def remove_authority(self, ident: str) -> Authority:
        """Remove an authority by id (``AuthorityNotFound`` if there is none)."""
        self._require_writable()
        table = self._writer().authorities()
        if ident not in table:
            raise AuthorityNotFound(ident)
        self._names_before.setdefault(ident, table[ident])
        self._names = None
        removed: Authority = table.pop(ident)
        return removed

    def linked_records(self, ident: str) -> list[tuple[str, Record]]:
        """``(roles, record)`` of every record whose names, publisher or links resolve to ``ident``."""
        from catalogue.model.record import CSL_NAME_FIELDS

        index = self.authority_index()
        out = []
        for record in self.iter_records():
            roles = sorted({role for role, found in index.of_record(record, sorted(CSL_NAME_FIELDS))
                            if found == ident})
            if roles:
                out.append((", ".join(roles), record))
        return out

    def _move_links(self, old_key: str, new_key: str) -> None:
        """A renamed record keeps its links, a merged one passes them on (part of the same change)."""
        for authority in list(self.authorities().values()):
            links = authority.get("links") or {}
            if old_key in links:
                moved = dict(links)
                link = moved.pop(old_key)
                moved.setdefault(new_key, link)
                self.put_authority({**authority, "links": dict(sorted(moved.items()))})

    # --- saving and history ------------------------------------------------------------

    @property
    def has_changes(self) -> bool:
        return bool(self._pending_change()) or bool(self._pending_names())

    def _pending_names(self) -> dict[str, tuple[Authority | None, Authority | None]]:
        if not self._names_before:
            return {}
        current = self._writer().authorities()
        return {ident: (before, current.get(ident)) for ident, before in self._names_before.items()
                if before != current.get(ident)}

    def _pending_change(self) -> dict[str, tuple[Record | None, Record | None]]:
        if not self._before:
            return {}
        storage = self._writer()
        current = {key: storage.get(key) for key in self._before}
        return {key: (before, current[key]) for key, before in self._before.items() if before != current[key]}

    def save(self, command: str) -> Change | None:
        """Write every change since opening (or the last save) as one undoable step.

        The history records the change first, naming the file's state before and
        after; then the file is replaced. Killed in between, the file is as it was
        and the history line is known never to have landed.
        """
        from catalogue.store.history import Change, History, state_of

        pending = self._pending_change()
        names = self._pending_names()
        if not pending and not names:
            self._before.clear()
            self._names_before.clear()
            return None
        self._require_writable()
        storage = self._writer()
        journal = None
        if self.path is not None:
            base = self._file_state()
            journal = History.read(self.path, base)
            self._trust_if_written_by_socsopr(journal, base)
        spans: dict[str, Raw] = {}
        pieces = storage.pieces(spans)  # a damaged record anywhere: refused here, before anything is written
        new_state = state_of(pieces)
        sides = ({k: b for k, (b, _a) in pending.items()}, {k: a for k, (_b, a) in pending.items()})
        name_sides = ({k: b for k, (b, _a) in names.items()}, {k: a for k, (_b, a) in names.items()})
        change = Change.of(0, self._clock(), command, *sides, None, None, *name_sides)
        if self.path is not None and journal is not None:
            change = Change.of(journal.next_number(), change.time, command, *sides, base, new_state,
                               *name_sides)
            journal.append(change)
            self._replace(pieces, new_state, spans, change.keys)
        self._before.clear()
        self._names_before.clear()
        return change

    def _trust_if_written_by_socsopr(self, journal: History, state: str) -> None:
        """Take every record of the file as sound when its state is one a save, undo or redo wrote
        (each of them parsed every record it copied, or wrote it fresh): a write then copies the
        untouched records without parsing them all again (0.3 s at 100,000 records). A file
        changed since by hand, by git or by a killed writer is named by no line, and is checked."""
        if journal.names(state) and self._file is not None:
            self._file.verified = True

    def _file_state(self) -> str:
        if self._state is None:
            self._state = self._source().state()
        return self._state

    def _replace(self, pieces: list[bytes | memoryview], new_state: str, spans: dict[str, Raw],
                 changed: Iterable[str]) -> None:
        """Replace the file with ``pieces`` (a change of the records ``changed``), and say what was
        written (``last_written``)."""
        path = self.path
        assert path is not None
        status: list[os.stat_result] = []
        before = self._state
        # records written afresh rather than copied: the changed ones, and any parsed on the way
        fresh = {key: value for key, value in self._writer().table().items() if type(value) is not tuple}
        touched = frozenset(changed).union(fresh)

        def replaced() -> None:
            with contextlib.suppress(OSError):
                status.append(os.stat(path))  # ours: every socsopr writer waits for the lock we hold
            if self._on_commit is not None:
                self._on_commit()

        files.atomic_write(path, pieces, on_replaced=replaced)
        self._state = new_state
        size = sum(map(len, pieces))
        cache_dir = self._file.cache_dir if self._file is not None else None
        if spans and self._file is not None and cache_dir is not None and size >= layout.LARGE_FILE:
            from catalogue.store import spans_cache

            # the records copied were copied byte for byte: the new text names aliases if the old one
            # did or a record written afresh holds them
            aliases = self._file.mentions_aliases() or any("aliases" in record for record in fresh.values())
            spans_cache.remember(new_state, size, spans_cache.Found(spans, aliases), path, cache_dir)
        self.last_written = Written(path, pieces, spans or None, status[0] if status else None,
                                    before, touched)

    def history(self) -> list[Change]:
        """The changes that happened and are not undone, newest first."""
        from catalogue.store.history import History

        if self.path is None:
            return []
        return list(reversed(History.read(self.path, self._file_state()).changes()))

    def history_status(self) -> HistoryStatus:
        """How much older history was dropped, and whether the file changed outside socsopr."""
        from catalogue.store.history import MAX_CHANGES, History

        if self.path is None:
            return HistoryStatus(0, False, MAX_CHANGES)
        journal = History.read(self.path, self._file_state())
        return HistoryStatus(journal.dropped, journal.detached, MAX_CHANGES)

    def undoable(self) -> Change:
        """The change ``undo`` would revert, checked; ``NothingToUndo`` or ``HistoryConflict`` otherwise."""
        from catalogue.store.history import History

        if self.path is None:
            raise NothingToUndo("an in-memory catalogue keeps no history")
        return self._undo_target(History.read(self.path, self._file_state()))

    def _undo_target(self, journal: History) -> Change:
        assert self.path is not None
        changes = journal.changes()
        if not changes:
            if journal.dropped:
                raise NothingToUndo(
                    f"there is no change left to undo: the history keeps the newest "
                    f"{_limit()} entries and {journal.dropped} older change"
                    f"{'s were' if journal.dropped != 1 else ' was'} dropped", journal.dropped,
                )
            raise NothingToUndo("there is no change to undo")
        change = changes[-1]
        if journal.detached or (change.hash is not None and change.hash != self._file_state()):
            raise HistoryConflict(
                self.path, f"was changed outside socsopr after change #{change.number} ({change.command}), "
                "so undo cannot restore what that change replaced; nothing was undone"
            )
        return change

    def undo(self, expected: int | None = None) -> Change:
        """Revert the newest change exactly and record the undo; saves at once.

        ``expected``: the number of the change the caller means (as shown to a
        person); if the newest change is another one, ``HistoryConflict``. The
        records are checked to be exactly what that change left, and the ones it
        restores to be valid records under valid keys. Refused while this
        catalogue holds unsaved changes: undo writes the file, and would write
        them too without a history entry of their own.
        """
        from catalogue.store.history import Change

        base, journal = self._history_for("undo")
        assert self.path is not None  # (_history_for refuses an in-memory catalogue)
        change = self._undo_target(journal)
        if expected is not None and change.number != expected:
            raise HistoryConflict(
                self.path, f"has change #{change.number} ({change.command}) as its newest change now, "
                f"not #{expected}; nothing was undone"
            )
        pieces, new_state, spans = self._put_back(
            journal, change, left=f"change #{change.number} ({change.command})", verb="undone",
            now=(change.after, change.names_after), back=(change.before, change.names_before),
        )
        marker = Change(
            number=change.number, time=self._clock(), command=f"undo #{change.number}", keys=change.keys,
            counts_=change.counts_, base=base, hash=new_state, authorities=change.authorities,
        )
        journal.append(marker, kind="undo")
        self._replace(pieces, new_state, spans, change.keys)
        self._before.clear()
        return change

    def _history_for(self, verb: str) -> tuple[str, History]:
        """The file's state and its journal, for an ``undo`` or ``redo`` (``verb``), which saves at once:
        refused while this catalogue holds unsaved changes, which would be written without an entry."""
        from catalogue.store.history import History

        self._require_writable()
        if self.path is None:
            raise NothingToUndo("an in-memory catalogue keeps no history")
        if self.has_changes:
            raise HistoryConflict(self.path, f"has unsaved changes; save them (or drop them) before {verb}")
        base = self._file_state()
        journal = History.read(self.path, base)
        self._trust_if_written_by_socsopr(journal, base)
        return base, journal

    def _put_back(
        self, journal: History, change: Change, *, left: str, verb: str,
        now: tuple[Mapping[str, Record | None], Mapping[str, Authority | None]],
        back: tuple[Mapping[str, Record | None], Mapping[str, Authority | None]],
    ) -> tuple[list[bytes | memoryview], str, dict[str, Raw]]:
        """Put one side of ``change`` (``back``: its records and authorities) in place of the other
        (``now``), for undo and redo: the records and authorities it touched must be exactly ``now``
        (what ``left`` left), and what comes back valid under free keys; nothing is written otherwise.
        The new file's pieces, state and record spans."""
        from catalogue.store.history import state_of

        assert self.path is not None
        (records_now, names_expected), (records, names) = now, back
        storage = self._writer()
        changed = [k for k in change.keys if storage.get(k) != records_now.get(k)]
        if changed:
            raise HistoryConflict(
                self.path, f"records {', '.join(changed[:5])} are not what {left} left; nothing was {verb}"
            )
        names_now = storage.authorities()
        moved = [i for i in change.authorities if names_now.get(i) != names_expected.get(i)]
        if moved:
            raise HistoryConflict(
                self.path, f"authorities {', '.join(moved[:5])} are not what {left} left; nothing was {verb}"
            )
        _check_restorable(journal.path, change.number, records)
        _check_restorable_names(journal.path, change.number, names)
        _check_unique(journal.path, change, storage.table(), records)
        table = self._records_table()
        table.remove([k for k in change.keys if storage.get(k) is not None])
        table.insert([rec for k in change.keys if (rec := records.get(k)) is not None])
        for ident, authority in names.items():
            if authority is None:
                names_now.pop(ident, None)
            else:
                names_now[ident] = authority
        self._names = None
        self._lower = None
        self._aliases = None
        spans: dict[str, Raw] = {}
        pieces = storage.pieces(spans)
        return pieces, state_of(pieces), spans

    def redoable(self) -> Change:
        """The undone change ``redo`` would re-apply; ``NothingToUndo`` or ``HistoryConflict`` otherwise."""
        from catalogue.store.history import History

        if self.path is None:
            raise NothingToUndo("an in-memory catalogue keeps no history")
        return self._redo_target(History.read(self.path, self._file_state()))

    def _redo_target(self, journal: History) -> Change:
        assert self.path is not None
        undone = journal.undone()
        if not undone:
            raise NothingToUndo("there is no undone change to redo (a change made after an undo ends "
                                "what can be redone)")
        change = undone[-1]
        if journal.detached:
            raise HistoryConflict(
                self.path, f"was changed outside socsopr after change #{change.number} ({change.command}) "
                "was undone, so redo cannot apply it to what is there now; nothing was redone"
            )
        return change

    def redo(self, expected: int | None = None) -> Change:
        """Re-apply the change undone last, exactly, as one new change of its own; saves at once.

        The new change names the one it re-applies (``Change.redoes``), so a further
        redo re-applies the change undone before it, and ``undo`` takes the redo
        back like any change. ``expected``: the number of the undone change the
        caller means (as shown to a person); another one is ``HistoryConflict``.
        The records must be exactly what the undo left, and the ones the change
        brings back valid records under keys still free; nothing is written otherwise.
        """
        from dataclasses import replace

        from catalogue.store.history import Change

        base, journal = self._history_for("redo")
        assert self.path is not None  # (_history_for refuses an in-memory catalogue)
        change = self._redo_target(journal)
        if expected is not None and change.number != expected:
            raise HistoryConflict(
                self.path, f"has change #{change.number} ({change.command}) as the one to redo now, "
                f"not #{expected}; nothing was redone"
            )
        before, after = change.before, change.after
        names_before, names_after = change.names_before, change.names_after
        pieces, new_state, spans = self._put_back(
            journal, change, left=f"the undo of change #{change.number} ({change.command})", verb="redone",
            now=(before, names_before), back=(after, names_after),
        )
        original = change.command
        while original.startswith("redo #") and " (" in original and original.endswith(")"):
            original = original.split(" (", 1)[1][:-1]  # "redo #5 (redo #3 (add x))" names "add x" once
        redone = Change.of(
            journal.next_number(), self._clock(), f"redo #{change.number} ({original})", before, after,
            base, new_state, names_before, names_after,
        )
        redone = replace(redone, redoes=change.number)
        journal.append(redone)
        self._replace(pieces, new_state, spans, change.keys)
        self._before.clear()
        return redone

    def raw_records(self) -> tuple[bytes, dict[str, Raw]] | None:
        """The file's bytes and each record's span in them (``layout.Raw``), by key in key order, when
        the records are exactly what a file in the canonical layout holds (nothing changed since it
        was opened); ``None`` for another layout, a catalogue in memory or one with changes."""
        if self._storage is not None or self._file is None:
            return None
        spans = self._file.spans()
        return None if spans is None else (self._file.data, spans)


_MAX_PROBLEMS_SHOWN = 20  # of a batch edit's invalid records


def authorities_of(path: Path | str) -> AuthorityIndex:
    """The authorities of the catalogue file at ``path``, read alone (for filters that run before the
    catalogue is opened); the shipped ones when there is no file yet, as it is created from them."""
    from catalogue.model.authority import AuthorityIndex

    real = files.real_path(Path(path))
    if not real.exists():
        from catalogue.store.storage import shipped_catalogue_bytes

        return AuthorityIndex(layout.parse_authorities(real, shipped_catalogue_bytes()))
    source = CatalogueFile.read(real)
    try:
        return AuthorityIndex(source.authorities())
    finally:
        source.close()


def _limit() -> int:
    from catalogue.store.history import MAX_CHANGES

    return MAX_CHANGES


def _check_restorable(where: Path, number: int, records: Mapping[str, Record | None]) -> None:
    """``CorruptStore`` unless every record an undo would restore is valid under a valid key."""
    from catalogue.model.validation import validate

    problems = []
    for key, record in records.items():
        if record is None:
            continue
        found = validate(record)
        if record.get("id") != key:
            found.append("its id is not its key")
        problems += [f"{key}: {p}" for p in found]
    if problems:
        raise CorruptStore(
            where, f"holds invalid records in change #{number} ({'; '.join(problems[:3])}); "
            "nothing was undone"
        )


def _check_restorable_names(where: Path, number: int, authorities: Mapping[str, Authority | None]) -> None:
    """``CorruptStore`` unless every authority an undo would restore is valid under its id."""
    from catalogue.model.authority import problems

    found = [f"{ident}: {p}" for ident, authority in authorities.items() if authority is not None
             for p in problems(authority, ident)]
    if found:
        raise CorruptStore(
            where, f"holds invalid authorities in change #{number} ({'; '.join(found[:3])}); "
            "nothing was undone"
        )


def _check_unique(
    where: Path, change: Change, table: Mapping[str, object],
    records: Mapping[str, Record | None] | None = None,
) -> None:
    """``CorruptStore`` if a record the undo restores (or ``records``, what a redo brings back) would
    share its key, ignoring case, with another."""
    touched = set(change.keys)  # a set: a batch edit touches 100,000 keys
    taken = {k.lower(): k for k in table if k not in touched}
    clashes = []
    for key, record in (change.before if records is None else records).items():
        if record is None:
            continue
        if key.lower() in taken:
            clashes.append(f"{key} clashes with {taken[key.lower()]}")
        taken[key.lower()] = key
    if clashes:
        raise CorruptStore(
            where, f"holds records in change #{change.number} whose keys are already taken ignoring case "
            f"({'; '.join(clashes[:3])}); nothing was undone"
        )
