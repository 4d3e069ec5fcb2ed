"""``socsopr redo``: re-applies the change undone last as one new, undoable, atomic change; and the
sentences of undo and redo."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from conftest import run

from catalogue import Catalogue
from catalogue.errors import HistoryConflict, NothingToUndo, StoreError
from catalogue.store import files
from catalogue.store.history import history_path
from catalogue.store.session import init_catalogue


def book(key: str) -> dict[str, object]:
    return {"id": key, "type": "book", "title": key.capitalize(), "issued": {"date-parts": [[2001]]}}


def catalogue_with(path: Path, *keys: str) -> Path:
    init_catalogue(path, empty=True)
    for key in keys:
        with Catalogue.open(path, writable=True) as cat:
            cat.add(book(key))
            cat.save(f"add {key}")
    return path


def records_of(path: Path) -> dict[str, object]:
    return json.loads(path.read_bytes())["records"]


def test_redo_reapplies_the_undone_change_as_one_new_entry(db_path: Path) -> None:
    run("list")
    shipped = records_of(db_path)
    code, _out, err = run("remove", "ovsyannikov2006why")
    assert code == 0, err
    removed = records_of(db_path)
    code, _out, err = run("undo")
    assert code == 0 and "Undid change #1 (remove ovsyannikov2006why): ovsyannikov2006why is back." in err
    assert records_of(db_path) == shipped
    code, _out, err = run("redo")
    assert code == 0, err
    assert "Redid change #1 (remove ovsyannikov2006why) as change #2: ovsyannikov2006why is gone again." in err
    assert records_of(db_path) == removed
    entries = json.loads(run("history", "--format", "json").out)
    assert [e["command"] for e in entries] == ["redo #1 (remove ovsyannikov2006why)"]
    assert entries[0]["removed"] == 1 and entries[0]["number"] == 2
    # the redo is undoable like any change, and redone again after that
    code, _out, err = run("undo")
    assert code == 0 and "ovsyannikov2006why is back" in err
    assert records_of(db_path) == shipped
    assert run("redo").code == 0
    assert records_of(db_path) == removed
    code, _out, err = run("redo")
    assert code == 1 and "no undone change to redo" in err


def test_several_undos_are_redone_in_reverse_order(db_path: Path) -> None:
    catalogue_with(db_path, "first", "second", "third")
    states = [db_path.read_bytes()]
    for _ in range(3):
        assert run("undo").code == 0
        states.append(db_path.read_bytes())
    with Catalogue.open(db_path) as cat:
        assert cat.keys() == []
        assert cat.redoable().command == "add first"
    for expected in ("first", "second", "third"):
        code, _out, err = run("redo")
        assert code == 0 and f"{expected} is back" in err
    with Catalogue.open(db_path) as cat:
        assert cat.keys() == ["first", "second", "third"]
        assert [c.command for c in cat.history()] == [
            "redo #3 (add third)", "redo #2 (add second)", "redo #1 (add first)"]


def test_a_new_change_after_an_undo_ends_what_can_be_redone(db_path: Path) -> None:
    catalogue_with(db_path, "first", "second")
    assert run("undo").code == 0
    assert run("add", "--title", "Other", "--year", "2003", "--key", "other").code == 0
    code, _out, err = run("redo")
    assert code == 1 and "no undone change to redo" in err


def test_redo_refuses_when_the_records_changed_after_the_undo(db_path: Path) -> None:
    catalogue_with(db_path, "first", "second")
    assert run("undo").code == 0
    with Catalogue.open(db_path) as cat:
        records = {r["id"]: r for r in cat.records()}
    records["second"] = book("second")  # by hand, the key the undone change had added
    from catalogue.store import layout

    db_path.write_bytes(layout.dump_records(records))
    before = (db_path.read_bytes(), history_path(db_path).read_bytes())
    code, _out, err = run("redo")
    assert code == 4 and "changed outside socsopr" in err and "nothing was redone" in err
    assert (db_path.read_bytes(), history_path(db_path).read_bytes()) == before


def test_redo_checks_the_exact_change_it_asked_about(db_path: Path) -> None:
    catalogue_with(db_path, "first", "second")
    assert run("undo").code == 0
    with Catalogue.open(db_path, writable=True) as cat:
        with pytest.raises(HistoryConflict, match="not #1"):
            cat.redo(expected=1)
        assert cat.redo(expected=2).redoes == 2


def test_a_redo_whose_file_write_failed_never_happened(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The redo's history line lands, the catalogue's replacement fails: the redo never happened, the
    change is still the one to redo, and a later redo writes it once."""
    catalogue_with(db_path, "first")
    assert run("undo").code == 0
    undone = db_path.read_bytes()
    original = files.atomic_write

    def refusing(path: Path, data: object, **kwargs: object) -> None:
        if Path(path) == db_path:
            raise StoreError(path, "cannot be written (No space left on device); it was left as it was")
        original(path, data, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(files, "atomic_write", refusing)
        code, _out, err = run("redo")
        assert code == 4 and "No space left" in err
    assert db_path.read_bytes() == undone
    with Catalogue.open(db_path) as cat:
        assert cat.history() == [] and cat.redoable().command == "add first"
    assert run("redo").code == 0
    with Catalogue.open(db_path) as cat:
        assert cat.keys() == ["first"] and [c.command for c in cat.history()] == ["redo #1 (add first)"]


def test_a_redo_line_is_an_ordinary_change_to_an_older_reader(db_path: Path) -> None:
    """The redo is written as a change line naming what it redoes: a socsopr without redo lists it and
    undoes it as a change (its head has every field a change has)."""
    catalogue_with(db_path, "first")
    assert run("undo").code == 0 and run("redo").code == 0
    last = history_path(db_path).read_bytes().splitlines()[-1]
    head = orjson.loads(last.split(b"\t", 1)[0])
    assert head["kind"] == "change" and head["redo"] == 1 and head["added"] == 1


def test_nothing_to_redo_in_a_fresh_catalogue(db_path: Path) -> None:
    code, _out, err = run("redo")
    assert code == 1 and "no undone change to redo" in err
    with Catalogue.in_memory() as cat, pytest.raises(NothingToUndo):
        cat.redo()


def test_undo_asks_in_plain_words(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue_with(db_path, "first", "second")
    monkeypatch.setattr("socsopr_cli.interaction.can_prompt", lambda: True)
    code, _out, err = run("undo", input="y\n")
    assert code == 0
    assert "Undo change #2 (add second, " in err and "which added 1 record (second)?" in err
    assert "Undid change #2 (add second): second is gone." in err
    code, _out, err = run("redo", input="y\n")
    assert code == 0 and "Redo change #2 (add second, " in err and "second is back" in err


def test_history_shows_local_time_and_utc_on_request(db_path: Path) -> None:
    catalogue_with(db_path, "first")
    out = run("history", "--format", "tsv").out
    time = out.splitlines()[1].split("\t")[1]
    assert len(time) == 16 and time[10] == " " and "T" not in time  # 2026-12-03 14:05
    out = run("history", "--format", "tsv", "--utc").out
    assert out.splitlines()[1].split("\t")[1].endswith("Z")
    code, _out, err = run("history", "--format", "csv")
    assert code == 2 and "unknown history format 'csv'" in err
    assert "table, tsv or json" in run("history", "--help").out
