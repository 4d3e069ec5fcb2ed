"""A catalogue written by the release before authorities opens, reads and upgrades without loss.

tests/data/old-release-catalogue.json and its .history were written by that
release (tests/data/old-release-catalogue.README says how); never rewrite them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from catalogue import Catalogue
from catalogue.store import layout
from tests.conftest import ROOT, run, run_process

OLD = ROOT / "tests" / "data" / "old-release-catalogue.json"


@pytest.fixture
def old(db_path: Path) -> Path:
    """The old release's catalogue and history, copied to the test's catalogue path."""
    shutil.copyfile(OLD, db_path)
    shutil.copyfile(OLD.with_name(OLD.name + ".history"), db_path.with_name(db_path.name + ".history"))
    return db_path


def _records(path: Path) -> dict[str, dict[str, object]]:
    return dict(orjson.loads(path.read_bytes())["records"])


def test_the_old_file_is_what_the_old_release_wrote() -> None:
    data = OLD.read_bytes()
    assert data.startswith(layout.HEAD) and data.endswith(layout.TAIL) and b'"authorities"' not in data


def test_reading_changes_nothing(old: Path) -> None:
    before = old.read_bytes(), old.with_name(old.name + ".history").read_bytes()
    for args in (["list", "-f", "ids"], ["stats"], ["search", "Овсянников"], ["history"], ["names", "list"],
                 ["show", "ovsyannikov2009kapitalizm"], ["check"]):
        result = run(*args)
        assert result.code in (0, 1), (args, result.err)
    assert run("names", "list").code == 1  # no authorities yet: nothing to list
    assert (old.read_bytes(), old.with_name(old.name + ".history").read_bytes()) == before


def test_the_history_of_the_old_release_is_kept_and_undoable(old: Path) -> None:
    history = run("history", "-f", "json")
    assert [c["command"] for c in orjson.loads(history.out)] == [
        "edit socialist2007", "remove rabochayavlast", "add rabochaya2007vlast", "add ovsyannikov2009kapitalizm"]
    assert run("undo", "--yes").code == 0  # the old release's own last change
    assert "editor" not in Catalogue.open(old).get("socialist2007")


def test_the_first_write_upgrades_without_loss(old: Path) -> None:
    records = _records(old)
    history = old.with_name(old.name + ".history").read_bytes()
    added = run("names", "add", "Ovsyannikov, I. A.", "--variant", "Овсянников, И.")
    assert added.code == 0, added.err
    data = old.read_bytes()
    assert data.startswith(layout.AUTHORITIES_HEAD) and data.endswith(layout.TAIL_2)  # version 2 now
    assert _records(old) == records  # every record, byte for byte as data
    assert old.with_name(old.name + ".history").read_bytes().startswith(history)  # the journal only grew
    names = orjson.loads(run("stats", "-f", "json").out)["names"]
    assert names[0] == {"name": "Ovsyannikov I. A.", "records": 7, "roles": {"author": 5, "editor": 2}}
    assert [c["command"] for c in orjson.loads(run("history", "-f", "json").out)][:2] == [
        "names add ovsyannikov-i-a", "edit socialist2007"]
    assert run("undo", "--yes").code == 0  # the upgrade itself is undone: the old bytes come back
    assert old.read_bytes() == OLD.read_bytes()
    assert run("undo", "--yes").code == 0  # and the old release's change below it still undoes


def test_a_record_write_keeps_the_old_layout(old: Path) -> None:
    """Without authorities a catalogue stays version 1: the previous release still reads it."""
    assert run("edit", "close2001imf", "--set", "note=checked").code == 0
    data = old.read_bytes()
    assert data.startswith(layout.HEAD) and data.endswith(layout.TAIL)
    assert {k: v for k, v in _records(old).items() if k != "close2001imf"} == {
        k: v for k, v in _records(OLD).items() if k != "close2001imf"}


def test_a_catalogue_with_authorities_is_refused_by_a_reader_of_version_1(old: Path) -> None:
    """What the previous release says of an upgraded file: 'written by a newer socsopr', not a silent loss."""
    run("names", "add", "Socialist Resistance", "--organisation")
    document = orjson.loads(old.read_bytes())
    assert document["version"] == 2 > 1  # the old release refuses any version above its own 1


def test_the_upgraded_file_in_a_real_process(old: Path) -> None:
    done = run_process("names", "add", "Socialist Resistance", "--organisation", "--variant", "СоцСопр")
    assert done.returncode == 0, done.stderr
    found = run_process("search", "-f", "ids", "СоцСопр")
    assert found.returncode == 0, found.stderr
    assert set(found.stdout.split()) == {"rabochaya2007vlast", "left1998vanguard", "socialist2007",
                                         "student2008defense", "socialistlet"}
