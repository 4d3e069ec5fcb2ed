"""``socsopr remove``."""

from __future__ import annotations

from pathlib import Path

from conftest import run
from typer.testing import CliRunner

from catalogue import Catalogue


def test_remove_several_as_one_change(runner: CliRunner, db_path: Path) -> None:
    code, out, err = run("remove", "ovsyannikov2006why", "CLOSE2001IMF", "close2001imf")
    assert (code, out) == (0, "")
    assert "Removed ovsyannikov2006why, close2001imf" in err
    with Catalogue.open(db_path) as cat:
        assert len(cat) == 17
        assert [c.counts()["removed"] for c in cat.history()] == [2]


def test_an_unknown_key_removes_nothing(runner: CliRunner, db_path: Path) -> None:
    run("list")
    before = db_path.read_bytes()
    code, out, err = run("remove", "ovsyannikov2006why", "ovsyanikov2006wyh")
    assert (code, out) == (3, "")
    assert "no record has the key 'ovsyanikov2006wyh'" in err and "did you mean" in err
    assert db_path.read_bytes() == before


def test_remove_needs_a_key(runner: CliRunner) -> None:
    code, _out, _err = run("remove")
    assert code == 2
