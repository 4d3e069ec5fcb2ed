"""Conflict records left by the git merge driver are settled by editing the field in conflict."""

from __future__ import annotations

from pathlib import Path

from conftest import run
from typer.testing import CliRunner

from catalogue import Catalogue
from catalogue.model.conflicts import settle_conflicts
from catalogue.store.layout import dump_records

CONFLICT = {"field": "title", "base": "A", "ours": "B", "theirs": "C"}
RECORD_CONFLICT = {"field": "record", "ours": "changed", "theirs": "removed"}


def _catalogue(db_path: Path) -> None:
    record = {"id": "a2006", "type": "book", "title": "B", "publisher": "P",
              "conflicts": [CONFLICT, {"field": "publisher", "base": "P", "ours": "P", "theirs": "Q"}]}
    db_path.write_bytes(dump_records({"a2006": record}))


def test_edit_set_settles_the_field_it_sets_and_keeps_the_others(runner: CliRunner, db_path: Path) -> None:
    _catalogue(db_path)
    code, _out, err = run("edit", "a2006", "--set", "title=C")
    assert code == 0, err
    with Catalogue.open(db_path) as cat:
        record = cat.get("a2006")
    assert record["title"] == "C" and [c["field"] for c in record["conflicts"]] == ["publisher"]
    code, _out, err = run("edit", "a2006", "--unset", "publisher")
    assert code == 0, err
    with Catalogue.open(db_path) as cat:
        assert "conflicts" not in cat.get("a2006")
    code, _out, err = run("undo", "--yes")
    assert code == 0, err


def test_settling_never_touches_a_whole_record_conflict_or_an_unedited_field() -> None:
    before = {"id": "a", "title": "B", "conflicts": [RECORD_CONFLICT, CONFLICT]}
    assert settle_conflicts(before, {**before, "note": "x"}) == {**before, "note": "x"}
    after = settle_conflicts(before, {**before, "title": "C"})
    assert after["conflicts"] == [RECORD_CONFLICT]


def test_batch_edit_settles_too(runner: CliRunner, db_path: Path) -> None:
    _catalogue(db_path)
    code, _out, err = run("edit", "--where", "", "--set", "publisher=Q", "--yes")
    assert code == 0, err
    with Catalogue.open(db_path) as cat:
        assert [c["field"] for c in cat.get("a2006")["conflicts"]] == ["title"]
