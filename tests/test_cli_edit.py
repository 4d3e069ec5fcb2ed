"""``socsopr edit``: options, rename, errors, and the $EDITOR path with a fake editor."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from conftest import run
from typer.testing import CliRunner

from catalogue import Catalogue


def record(db_path: Path, key: str) -> dict[str, object]:
    with Catalogue.open(db_path) as cat:
        return cat.get(key)


def test_set_add_and_remove_update_modified_and_keep_the_key(runner: CliRunner, db_path: Path) -> None:
    before = record(db_path, "ovsyannikov2006why")
    code, out, err = run(
        "edit", "ovsyannikov2006why", "--set", "number-of-pages=38", "--set", "publisher=Socialist Resistance",
        "--add-name", "editor=S. A. Kozlovsky", "--add-tag", "checked", "--remove-tag", "book-or-brochure",
        "--unset", "note",
    )
    assert (code, out) == (0, ""), err
    after = record(db_path, "ovsyannikov2006why")
    assert after["number-of-pages"] == 38 and after["publisher"] == "Socialist Resistance"
    assert after["editor"] == [{"family": "Kozlovsky", "given": "S. A."}]
    assert after["tags"] == ["checked"] and "note" not in after
    assert after["added"] == before["added"] and after["modified"] != before["modified"]


def test_rename(runner: CliRunner, db_path: Path) -> None:
    code, _out, err = run("edit", "OVSYANNIKOV2006WHY", "--rename", "why2006")
    assert code == 0 and "was ovsyannikov2006why" in err
    with Catalogue.open(db_path) as cat:
        assert "why2006" in cat and "ovsyannikov2006why" not in cat
    code, _out, err = run("edit", "why2006", "--rename", "close2001imf")
    assert code == 3 and "already exists" in err


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["nokey", "--set", "title=x"], 3, "no record has the key 'nokey'"),
        (["ovsyannikov2006why", "--set", "title"], 2, "is not FIELD=VALUE"),
        (["ovsyannikov2006why", "--set", "id=x"], 2, "--rename"),
        (["ovsyannikov2006why", "--set", "type=novel"], 3, "is not a CSL type"),
        (["ovsyannikov2006why", "--unset", "title"], 3, "title is missing"),
        (["ovsyannikov2006why", "--remove-name", "author=Shibanov I."], 3, "no author"),
        (["ovsyannikov2006why", "--rename", "bad key"], 3, "is not a citation key"),
        (["ovsyannikov2006why"], 2, "nothing to change"),
    ],
)
def test_errors(runner: CliRunner, db_path: Path, args: list[str], code: int, words: str) -> None:
    run("list")
    before = db_path.read_bytes()
    got, out, err = run("edit", *args)
    assert (got, out) == (code, "")
    assert words in err
    assert db_path.read_bytes() == before


def test_an_edit_that_changes_nothing_saves_nothing(runner: CliRunner, db_path: Path) -> None:
    code, _out, err = run("edit", "ovsyannikov2006why", "--add-tag", "book-or-brochure")
    assert code == 0 and "nothing to change" in err
    with Catalogue.open(db_path) as cat:
        assert cat.history() == []


def fake_editor(tmp_path: Path, script: str) -> str:
    """An executable that edits the file given as its argument with a Python snippet."""
    path = tmp_path / "fake-editor"
    path.write_text(f"#!/usr/bin/env python3\nimport sys, pathlib\np = pathlib.Path(sys.argv[1])\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_editor_path_saves_the_edited_record(
    runner: CliRunner, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "p.write_text(p.read_text().replace('Why Socialism?', 'Why?'))"))
    code, _out, err = run("edit", "ovsyannikov2006why", "--editor")
    assert code == 0, err
    assert record(db_path, "ovsyannikov2006why")["title"] == "Why?"


def test_editor_reopens_with_the_errors_until_valid(
    runner: CliRunner, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # first round: break the type; second round: the errors are in the file as // lines, fix it
    script = (
        "t = p.read_text()\n"
        "if '// error:' in t:\n"
        "    (p.parent / 'seen.txt').write_text(t)\n"
        "    t = t.replace('\"novel\"', '\"book\"')\n"
        "else:\n"
        "    t = t.replace('\"pamphlet\"', '\"novel\"')\n"
        "p.write_text(t)"
    )
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, script))
    code, _out, err = run("edit", "ovsyannikov2006why", "-e", input="y\n")
    assert code == 0, err
    assert '"novel" is not a CSL type' in err
    assert record(db_path, "ovsyannikov2006why")["type"] == "book"


def test_editor_give_up_writes_nothing(
    runner: CliRunner, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("list")
    before = db_path.read_bytes()
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "p.write_text(p.read_text().replace('{', '[', 1))"))
    code, _out, err = run("edit", "ovsyannikov2006why", "--editor", input="n\n")
    assert code == 0 and "not valid JSON" in err and "Nothing was changed" in err
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "p.write_text('')"))
    code, _out, err = run("edit", "ovsyannikov2006why", "--editor")
    assert code == 0 and "Nothing was changed" in err
    assert db_path.read_bytes() == before


def test_changing_the_key_in_the_editor_is_refused(
    runner: CliRunner, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "p.write_text(p.read_text().replace('ovsyannikov2006why', 'x'))"))
    code, _out, err = run("edit", "ovsyannikov2006why", "--editor", input="n\n")
    assert code == 0 and "--rename" in err
    with Catalogue.open(db_path) as cat:
        assert "x" not in cat


def test_a_missing_editor_is_one_sentence(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    code, _out, err = run("edit", "ovsyannikov2006why", "--editor")
    assert code == 2 and "cannot start the editor" in err
