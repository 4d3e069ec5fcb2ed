"""An open catalogue: adding, updating, removing, saving as one step, history and undo."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.errors import (
    CorruptStore,
    DuplicateKey,
    HistoryConflict,
    NothingToUndo,
    RecordNotFound,
    StoreError,
    ValidationError,
)
from catalogue.store.history import MAX_CHANGES, Change, History, history_path, state_of
from catalogue.store.session import init_catalogue

BOOK = {"type": "book", "title": "Why Socialism?", "author": [{"family": "Ovsyannikov", "given": "I. A."}],
        "issued": {"date-parts": [[2006]]}}


@pytest.fixture
def empty(db_path: Path) -> Path:
    init_catalogue(db_path, empty=True)
    return db_path


def test_add_generates_key_and_timestamps() -> None:
    cat = Catalogue.in_memory(clock=lambda: "2026-01-02T03:04:05Z")
    rec = cat.add(BOOK)
    assert rec["id"] == "ovsyannikov2006why"
    assert rec["added"] == rec["modified"] == "2026-01-02T03:04:05Z"
    assert cat.get("OVSYANNIKOV2006WHY") is cat.get("ovsyannikov2006why")


def test_add_many_is_all_or_nothing() -> None:
    cat = Catalogue.in_memory()
    with pytest.raises(ValidationError):
        cat.add_many([BOOK, {"type": "book"}])
    assert len(cat) == 0
    with pytest.raises(DuplicateKey):
        cat.add_many([{**BOOK, "id": "x"}, {**BOOK, "id": "X"}])
    assert len(cat) == 0


def test_keys_are_unique_case_insensitively() -> None:
    cat = Catalogue.in_memory([{**BOOK, "id": "Smith2001"}])
    with pytest.raises(DuplicateKey):
        cat.add({**BOOK, "id": "smith2001"})
    assert "SMITH2001" in cat


def test_unknown_key_suggests_close_ones(shipped: Catalogue) -> None:
    with pytest.raises(RecordNotFound) as info:
        shipped.get("ovsyanikov2006why")
    assert info.value.suggestions[0] == "ovsyannikov2006why"
    with pytest.raises(RecordNotFound) as info:
        shipped.get("qqqqqqqqqqqqqqq")
    assert info.value.suggestions == []


def test_read_only_catalogue_refuses_changes(shipped: Catalogue) -> None:
    with pytest.raises(StoreError, match="read-only"):
        shipped.add(BOOK)


def test_update_keeps_added_sets_modified_and_can_rename() -> None:
    times = (f"{year}-01-01T00:00:00Z" for year in itertools.count(2020))
    cat = Catalogue.in_memory(clock=lambda: next(times))
    rec = cat.add(BOOK)
    updated = cat.update(rec["id"], {**rec, "title": "Why Socialism? Second edition"})
    assert updated["added"] == "2020-01-01T00:00:00Z"
    assert updated["modified"] == "2021-01-01T00:00:00Z"
    renamed = cat.update(rec["id"], {**updated, "id": "why2006"})
    assert renamed["id"] == "why2006" and "ovsyannikov2006why" not in cat
    with pytest.raises(ValidationError):
        cat.update("why2006", {**renamed, "number-of-pages": -3})
    assert cat.get("why2006")["title"] == "Why Socialism? Second edition"


def test_remove_unknown_key_removes_nothing(shipped: Catalogue, db_path: Path) -> None:
    with Catalogue.open(db_path, writable=True) as cat:
        with pytest.raises(RecordNotFound):
            cat.remove(["close2001imf", "nope"])
        assert "close2001imf" in cat


def test_save_is_one_history_entry_and_undo_reverts_it_exactly(empty: Path) -> None:
    with Catalogue.open(empty, writable=True) as cat:
        cat.add(BOOK)
        cat.save("add")
    first_state = empty.read_bytes()
    with Catalogue.open(empty, writable=True) as cat:
        cat.add_many({**BOOK, "title": f"Brochure {i}"} for i in range(500))
        rec = cat.get("ovsyannikov2006why")
        cat.update(rec["id"], {**rec, "note": "changed"})
        change = cat.save("import many.bib")
    assert change is not None and change.counts() == {"added": 500, "changed": 1, "removed": 0}
    with Catalogue.open(empty, writable=True) as cat:
        assert [c.command for c in cat.history()] == ["import many.bib", "add"]
        undone = cat.undo()
        assert undone.command == "import many.bib"
    assert empty.read_bytes() == first_state
    with Catalogue.open(empty, writable=True) as cat:
        cat.undo()
        assert len(cat) == 0
        with pytest.raises(NothingToUndo):
            cat.undo()


def test_save_without_changes_writes_nothing(empty: Path) -> None:
    before = empty.read_bytes()
    with Catalogue.open(empty, writable=True) as cat:
        rec = cat.add(BOOK)
        cat.remove([rec["id"]])
        assert cat.save("noop") is None
    assert empty.read_bytes() == before
    assert not history_path(empty).exists()


def test_undo_of_remove_and_rename(empty: Path) -> None:
    with Catalogue.open(empty, writable=True) as cat:
        rec = cat.add(BOOK)
        cat.save("add")
    with Catalogue.open(empty, writable=True) as cat:
        cat.update(rec["id"], {**cat.get(rec["id"]), "id": "renamed"})
        cat.save("edit")
    with Catalogue.open(empty, writable=True) as cat:
        cat.remove(["renamed"])
        cat.save("remove")
    with Catalogue.open(empty, writable=True) as cat:
        cat.undo()
        assert "renamed" in cat
        cat.undo()
        assert "renamed" not in cat and cat.get(rec["id"]) == rec


def test_undo_refuses_when_records_changed_outside_the_history(empty: Path) -> None:
    with Catalogue.open(empty, writable=True) as cat:
        cat.add(BOOK)
        cat.save("add")
    # someone edits the file by hand (or merges from git) after the change
    text = empty.read_text().replace("Why Socialism?", "Why Socialism? (hand-edited)")
    empty.write_text(text)
    with Catalogue.open(empty, writable=True) as cat, pytest.raises(HistoryConflict, match="changed outside"):
        cat.undo()
    assert "hand-edited" in empty.read_text()


def test_undo_refuses_while_changes_are_unsaved(empty: Path) -> None:
    with Catalogue.open(empty, writable=True) as cat:
        cat.add({**BOOK, "id": "saved2006"})
        cat.save("add saved")
    with Catalogue.open(empty, writable=True) as cat:
        cat.add({**BOOK, "id": "pending2006", "title": "Pending"})
        with pytest.raises(HistoryConflict, match="unsaved changes"):
            cat.undo()
    with Catalogue.open(empty) as cat:  # nothing was written: the pending record is not there
        assert cat.keys() == ["saved2006"]


def test_an_entry_that_never_landed_is_skipped(empty: Path) -> None:
    """A process killed between writing the history and the catalogue leaves such an entry."""
    with Catalogue.open(empty, writable=True) as cat:
        cat.add(BOOK)
        cat.save("add")
    state = state_of([empty.read_bytes()])
    journal = History.read(empty, state)
    rec = journal.changes()[-1].after["ovsyannikov2006why"]
    assert rec is not None
    phantom = Change.of(2, "2026-01-01T00:00:00Z", "edit ovsyannikov2006why", {rec["id"]: rec},
                        {rec["id"]: {**rec, "note": "lost"}}, base=state, hash="1-00000000-00000001")
    journal.append(phantom)  # the catalogue write never happened
    with Catalogue.open(empty, writable=True) as cat:
        assert [c.command for c in cat.history()] == ["add"]
        assert cat.undoable().command == "add"
        undone = cat.undo()  # skips the phantom edit and undoes the add
        assert undone.command == "add"
        assert len(cat) == 0
    text = history_path(empty).read_bytes()
    assert b"edit ovsyannikov2006why" not in text  # the next write dropped it


def test_history_keeps_a_bounded_number_of_entries(empty: Path) -> None:
    for i in range(MAX_CHANGES + 5):
        with Catalogue.open(empty, writable=True) as cat:
            cat.add({**BOOK, "title": f"T{i}"})
            cat.save(f"add {i}")
    with Catalogue.open(empty) as cat:
        changes = cat.history()
        status = cat.history_status()
    assert len(changes) <= MAX_CHANGES and status.dropped == MAX_CHANGES + 5 - len(changes)
    assert changes[0].command == f"add {MAX_CHANGES + 4}"
    assert changes[0].number == MAX_CHANGES + 5


# --- writers over records kept as text: any sequence of changes gives exactly the full dump ------

_titles = st.sampled_from(["Why Socialism?", "Почему социализм?", 'He said "hi"', "Ёлки {и} палки", "A – B"])
_change = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 30), _titles),
    st.tuples(st.just("edit"), st.integers(0, 30), _titles),
    st.tuples(st.just("rename"), st.integers(0, 30), st.integers(31, 60)),
    st.tuples(st.just("remove"), st.integers(0, 60), st.just("")),
)
_batch = st.one_of(st.just("undo"), st.lists(_change, min_size=1, max_size=4))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.sets(st.integers(0, 30), max_size=12), batches=st.lists(_batch, max_size=6))
def test_any_sequence_of_saved_changes_and_undos_writes_what_a_model_says(
    tmp_path: Path, start: set[int], batches: list[object]
) -> None:
    """Commands over a lazily opened catalogue: after each, the file is exactly the full dump of a
    model of the changes (key -> title), undo included."""
    from catalogue.store.layout import dump_records

    path = tmp_path / f"cat-{len(list(tmp_path.iterdir()))}.json"
    init_catalogue(path, empty=True)
    states: list[dict[str, str]] = [{}]  # the model after each change in the history
    seed = {f"k{n:02d}": f"Title {n}" for n in sorted(start)}
    with Catalogue.open(path, writable=True) as cat:
        cat.add_many({"id": k, "type": "book", "title": t} for k, t in seed.items())
        if cat.save("seed"):
            states.append(seed)
    for batch in batches:
        with Catalogue.open(path, writable=True) as cat:
            if batch == "undo":
                with contextlib.suppress(NothingToUndo):
                    cat.undo()
                    states.pop()
            else:
                model = dict(states[-1])
                for op, n, arg in batch:  # type: ignore[union-attr]
                    key = f"k{n:02d}"
                    if op == "add" and key not in cat:
                        cat.add({"id": key, "type": "book", "title": str(arg)}, allow_duplicates=True)
                        model[key] = str(arg)
                    elif op == "edit" and key in cat:
                        cat.update(key, {**cat.get(key), "title": str(arg)})
                        model[key] = str(arg)
                    elif op == "rename" and key in cat and f"k{arg:02d}" not in cat:
                        cat.update(key, {**cat.get(key), "id": f"k{arg:02d}"})
                        model[f"k{arg:02d}"] = model.pop(key)
                    elif op == "remove" and key in cat:
                        cat.remove([key])
                        del model[key]
                if cat.save("batch") is not None:
                    states.append(model)
        with Catalogue.open(path) as reader:  # parsed whole
            records = {r["id"]: r for r in reader.records()}
        assert {k: r["title"] for k, r in records.items()} == states[-1]
        assert path.read_bytes() == dump_records(records)


# --- what a save reads again, and what it takes on trust --------------------------------------


def _parses_while(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> int:
    """How many records were parsed from the file's bytes while ``action`` ran."""
    from catalogue.store import layout

    count = [0]
    parse = layout.parse

    def counted(*args: Any) -> Any:
        count[0] += 1
        return parse(*args)

    monkeypatch.setattr(layout, "parse", counted)
    try:
        action()
    finally:
        monkeypatch.setattr(layout, "parse", parse)
    return count[0]


def _add(path: Path, key: str, year: int | None = 2001) -> None:
    with Catalogue.open(path, writable=True) as cat:
        record: dict[str, Any] = {"id": key, "type": "book", "title": f"Title {key}"}
        if year is not None:
            record["issued"] = {"date-parts": [[year]]}
        cat.add(record)
        cat.save("add")


def test_a_file_as_socsopr_wrote_it_is_not_parsed_again_to_save(db_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _add(db_path, "first-key", 1812)  # the shipped records, then one more: a state the history names
    with Catalogue.open(db_path) as cat:
        count = len(cat)
    parsed = _parses_while(monkeypatch, lambda: _add(db_path, "second-key", 1812))
    assert parsed < count / 2, "only the records that hold the new record's year were read, for duplicates"


def test_a_file_changed_by_hand_is_checked_whole_before_a_save(db_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _add(db_path, "first-key", 1812)
    data = db_path.read_bytes()
    db_path.write_bytes(data.replace(b'"title": "Title first-key"', b'"title": "Title first key"'))
    with Catalogue.open(db_path) as cat:
        count = len(cat)
    parsed = _parses_while(monkeypatch, lambda: _add(db_path, "second-key", 1812))
    assert parsed >= count - 1, "every untouched record was parsed before the file was written"


def test_a_damaged_record_after_a_socsopr_write_still_stops_the_next_save(db_path: Path) -> None:
    _add(db_path, "first-key", 1812)
    data = db_path.read_bytes()
    db_path.write_bytes(data.replace(b'"title": "Title first-key"', b'"title": "Title first-key" oops'))
    with pytest.raises(CorruptStore):
        _add(db_path, "second-key", 1812)
    assert b"oops" in db_path.read_bytes() and b"second-key" not in db_path.read_bytes()
