"""``socsopr edit --where``: every selected record changed as one change, one undo, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run, run_process
from typer.testing import CliRunner

from catalogue import Catalogue
from catalogue.search.query import parse_query
from catalogue.search.selecting import record_matcher
from catalogue.store.session import init_catalogue


def many(path: Path, count: int) -> Path:
    """``count`` records: every third a pamphlet of 2006 tagged ``x``, every fifth by Овсянников."""
    init_catalogue(path, empty=True)
    records = []
    for n in range(count):
        record: dict[str, object] = {
            "id": f"rec{n:06d}", "type": "pamphlet" if n % 3 == 0 else "book", "title": f"Title number {n}",
            "issued": {"date-parts": [[2006 if n % 3 == 0 else 1999]]},
        }
        if n % 3 == 0:
            record["tags"] = ["x"]
        if n % 5 == 0:
            record["author"] = [{"family": "Овсянников", "given": "И. А."}]
        records.append(record)
    with Catalogue.open(path, writable=True) as cat:
        cat.add_many(records)
        cat.save(f"add {count} records")
    return path


def records_of(path: Path) -> dict[str, dict[str, object]]:
    return json.loads(path.read_bytes())["records"]  # type: ignore[no-any-return]


def history(path: Path) -> list[dict[str, object]]:
    code, out, err = run("history", "--format", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_a_batch_edit_of_10000_records_is_one_undo(runner: CliRunner, db_path: Path) -> None:
    many(db_path, 10_000)
    before = records_of(db_path)
    code, out, err = run("edit", "--where", "", "--add-tag", "checked", "--set", "publisher=Praxis", "--yes")
    assert (code, out) == (0, ""), err
    assert "10,000 records selected; 10,000 records will change (the first 3 shown):" in err
    assert "  rec000000:\n    publisher: Praxis" in err.replace("+ publisher", "publisher")
    after = records_of(db_path)
    assert all(r["publisher"] == "Praxis" and "checked" in r["tags"] for r in after.values())  # type: ignore[operator]
    assert after["rec000000"]["tags"] == ["x", "checked"]
    assert after["rec000000"]["added"] == before["rec000000"]["added"]
    entries = history(db_path)
    assert len(entries) == 2 and entries[0]["changed"] == 10_000
    assert entries[0]["command"] == "edit --where '' (10,000 records)"
    code, _out, err = run("undo", "--yes")
    assert code == 0, err
    assert records_of(db_path) == before
    code, _out, err = run("redo", "--yes")
    assert code == 0, err
    assert records_of(db_path) == after


def test_where_selects_as_search_reads_a_query(db_path: Path) -> None:
    many(db_path, 30)
    code, _out, err = run("edit", "--where", "type:pamphlet year:2006 tag:x author:Ovsyannikov",
                          "--add-tag", "both", "--yes")
    assert code == 0, err
    tagged = sorted(k for k, r in records_of(db_path).items() if "both" in r.get("tags", []))  # type: ignore[operator]
    assert tagged == ["rec000000", "rec000015"]  # multiples of 3 and 5, Cyrillic name found in Latin
    code, _out, err = run("edit", "--where", "-tag:x", "--remove-tag", "x", "--yes")
    assert code == 0 and "none needs changing" in err  # a tag the record lacks: the record stays


def test_a_query_selects_exactly_without_typos() -> None:
    matches = record_matcher(parse_query('title:"number 1"'))  # quoted: whole words as typed
    assert matches({"id": "a", "type": "book", "title": "Title number 1"})
    assert not matches({"id": "b", "type": "book", "title": "Title number 12"})
    assert record_matcher(parse_query("title:numb"))({"id": "b", "type": "book", "title": "Title number 12"})
    assert not record_matcher(parse_query("titel"))({"id": "c", "type": "book", "title": "Title"})
    assert record_matcher(parse_query("place:Moscow"))({"id": "d", "type": "book", "title": "T",
                                                         "publisher-place": "М."})
    assert record_matcher(parse_query(""))({"id": "e", "type": "book", "title": "T"})


def test_one_invalid_record_writes_nothing(db_path: Path) -> None:
    many(db_path, 300)
    before = db_path.read_bytes()
    code, out, err = run("edit", "--where", "type:pamphlet", "--set", "type=novel", "--yes")
    assert (code, out) == (3, "")
    assert "100 of the 100 changed records would be invalid; nothing was changed" in err
    assert "rec000000: type \"novel\" is not a CSL type" in err and "… and 80 more problems" in err
    assert db_path.read_bytes() == before
    assert len(history(db_path)) == 1


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--where", "tag:x", "--add-tag", "y"], 2, "add --yes"),
        (["--where", "nothing-like-this", "--add-tag", "y", "--yes"], 1, "no record matches"),
        (["--where", "tag:x", "--yes"], 2, "nothing to change"),
        (["rec000000", "--where", "tag:x", "--add-tag", "y", "--yes"], 2, "give no KEY"),
        (["--where", "year:abc", "--add-tag", "y", "--yes"], 2, "year"),
        (["--where", "", "--set", "yaer=2001", "--yes"], 2, "did you mean"),
        (["--add-tag", "y"], 2, "--where QUERY"),
    ],
)
def test_bad_batch_edits_change_nothing(db_path: Path, args: list[str], code: int, words: str) -> None:
    many(db_path, 30)
    before = db_path.read_bytes()
    got, out, err = run("edit", *args)
    assert (got, out) == (code, ""), err
    assert words in err and err.splitlines()[-1].startswith("error: ")  # after the preview, if any
    assert db_path.read_bytes() == before


def test_the_terminal_asks_first(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many(db_path, 30)
    before = db_path.read_bytes()
    monkeypatch.setattr("socsopr_cli.interaction.can_prompt", lambda: True)
    code, _out, err = run("edit", "--where", "tag:x", "--add-tag", "y", input="n\n")
    assert code == 0 and "Change 10 records?" in err and "Nothing was changed" in err
    assert db_path.read_bytes() == before
    code, _out, err = run("edit", "--where", "tag:x", "--add-tag", "y", input="y\n")
    assert code == 0 and "Changed 10 records" in err


def test_batch_edit_in_a_real_process(db_path: Path) -> None:
    many(db_path, 100)
    env = {"SOCSOPR_DB": str(db_path)}
    done = run_process("edit", "--where", "type:book", "--add-tag", "z", env=env)
    assert done.returncode == 2 and "add --yes" in done.stderr
    done = run_process("edit", "--where", "type:book", "--add-tag", "z", "--yes", env=env)
    assert done.returncode == 0, done.stderr
    assert sum("z" in r.get("tags", []) for r in records_of(db_path).values()) == 66  # type: ignore[operator]
    assert run_process("undo", "--yes", env=env).returncode == 0
    assert not any("z" in r.get("tags", []) for r in records_of(db_path).values())  # type: ignore[operator]


def test_a_batch_edit_larger_than_the_history_limit_can_still_be_undone_and_redone(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(db_path, 300)
    monkeypatch.setattr("catalogue.store.history.MAX_BYTES", 10_000)  # one change's body is larger
    before = records_of(db_path)
    assert run("edit", "--where", "", "--add-tag", "big", "--yes").code == 0
    after = records_of(db_path)
    code, _out, err = run("undo", "--yes")
    assert code == 0, err
    assert records_of(db_path) == before
    code, _out, err = run("redo", "--yes")
    assert code == 0, err
    assert records_of(db_path) == {k: {**r, "modified": after[k]["modified"]} for k, r in after.items()}
