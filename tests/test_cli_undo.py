"""``socsopr undo`` and ``socsopr history``."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run
from typer.testing import CliRunner

from catalogue import Catalogue


def test_every_change_is_one_entry_and_undo_reverts_them_newest_first(runner: CliRunner, db_path: Path) -> None:
    run("list")
    states = [db_path.read_bytes()]
    for args in (
        ["add", "--title", "New one", "--year", "2010"],
        ["edit", "new2010one", "--set", "title=New two"],
        ["edit", "new2010one", "--rename", "two2010"],
        ["remove", "two2010", "close2001imf"],
    ):
        code, _out, err = run(*args)
        assert code == 0, err
        states.append(db_path.read_bytes())
    code, out, _err = run("history", "--format", "json")
    entries = json.loads(out)
    assert [e["command"] for e in entries] == [
        "remove two2010 close2001imf", "edit new2010one -> two2010", "edit new2010one", "add new2010one",
    ]
    assert [e["number"] for e in entries] == [4, 3, 2, 1]
    assert entries[0]["removed"] == 2 and entries[3]["added"] == 1
    for expected in reversed(states[:-1]):
        code, _out, err = run("undo")
        assert code == 0 and err.startswith("Undid change #")
        assert json.loads(db_path.read_bytes())["records"] == json.loads(expected)["records"]
    code, _out, err = run("undo")
    assert code == 1 and "no change to undo" in err


def test_an_import_is_one_undo(runner: CliRunner, db_path: Path, tmp_path: Path) -> None:
    lines = "".join(f"- Brochure number {i}. — М., 2009. — {i + 1} с.\n" for i in range(50))
    source = tmp_path / "list.txt"
    source.write_text(lines, encoding="utf-8")
    code, _out, err = run("import", "--format", "gost", str(source))
    assert code == 0, err
    with Catalogue.open(db_path) as cat:
        assert len(cat) == 69
    code, _out, err = run("undo")
    assert code == 0 and "50 records (" in err and "and 47 more) are gone" in err
    with Catalogue.open(db_path) as cat:
        assert len(cat) == 19


def test_history_table_and_tsv(runner: CliRunner) -> None:
    code, _out, err = run("history")
    assert code == 0
    run("add", "--title", "[bold]Styled?", "--year", "2010")
    code, out, _err = run("history")
    assert out.startswith("number\ttime\tcommand") and "add bold2010styled" in out
    code, out, _err = run("history", "--format", "table")
    assert "add bold2010styled" in out and "Command" in out
    code, _out, err = run("history", "--format", "bibtex")
    assert code == 2 and "unknown history format" in err


def test_undo_refuses_when_the_records_changed_since(runner: CliRunner, db_path: Path) -> None:
    run("add", "--title", "New one", "--year", "2010")
    text = db_path.read_text(encoding="utf-8")  # a change the history does not know of
    db_path.write_text(text.replace('"title": "New one"', '"title": "Changed behind its back"'), encoding="utf-8")
    code, _out, err = run("undo")
    assert code == 4 and "changed outside socsopr" in err and "nothing was undone" in err
