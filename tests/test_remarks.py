"""The curator's ``remarks``: kept, shown and searched, never printed in a bibliography."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run
from typer.testing import CliRunner

from catalogue import Catalogue
from catalogue.model.validation import validate

REMARK = "Checked against the Voronezh copy"


def test_the_shipped_curator_notes_are_remarks_not_public_notes(runner: CliRunner, db_path: Path) -> None:
    with Catalogue.open(db_path) as cat:
        records = cat.records()
    assert records and all("note" not in r for r in records)
    assert sum("Title as given in the source" in r.get("remarks", "") for r in records) == 15


def test_add_keeps_remarks_apart_from_the_note(runner: CliRunner, db_path: Path) -> None:
    code, out, err = run("add", "--title", "A Leaflet", "--year", "2009", "--note", "Public note.",
                         "--remarks", REMARK, "--key", "leaflet2009")
    assert (code, out) == (0, "leaflet2009\n"), err
    with Catalogue.open(db_path) as cat:
        record = cat.get("leaflet2009")
    assert (record["note"], record["remarks"]) == ("Public note.", REMARK)


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "ris", "csv", "tsv", "markdown"])
def test_no_bibliography_format_prints_remarks(runner: CliRunner, fmt: str) -> None:
    run("add", "--title", "A Leaflet", "--year", "2009", "--remarks", REMARK, "--key", "leaflet2009")
    code, out, err = run("export", "-f", fmt)
    assert code == 0, err
    assert REMARK not in out and "Title as given in the source" not in out


@pytest.mark.parametrize("style", ["gost", "apa"])
def test_formatted_references_leave_remarks_out(runner: CliRunner, style: str) -> None:
    code, out, err = run("cite", "--style", style)
    assert code == 0, err
    assert "Title as given in the source" not in out and "variable frequency" not in out


def test_json_keeps_remarks_through_export_and_import(runner: CliRunner, tmp_path: Path) -> None:
    run("add", "--title", "A Leaflet", "--year", "2009", "--remarks", REMARK, "--key", "leaflet2009")
    code, out, _err = run("export", "-f", "json")
    exported = {r["id"]: r for r in json.loads(out)}
    assert exported["leaflet2009"]["remarks"] == REMARK
    target = tmp_path / "other.json"
    code, _out, err = run("init", "--empty", "--db", str(target))
    assert code == 0, err
    source = tmp_path / "in.json"
    source.write_text(out, encoding="utf-8")
    code, _out, err = run("import", "-f", "json", "--db", str(target), str(source))
    assert code == 0, err
    with Catalogue.open(target) as cat:
        assert cat.get("leaflet2009")["remarks"] == REMARK


def test_remarks_are_searched_with_notes(runner: CliRunner) -> None:
    run("add", "--title", "A Leaflet", "--year", "2009", "--remarks", REMARK, "--key", "leaflet2009")
    for query in ("Voronezh copy", "remarks:voronezh", "note:checked"):
        code, out, err = run("search", "-f", "ids", query)
        assert (code, out) == (0, "leaflet2009\n"), (query, err)


def test_an_update_by_import_keeps_the_remarks_the_format_cannot_carry(
    runner: CliRunner, tmp_path: Path, db_path: Path
) -> None:
    run("add", "--title", "A Leaflet", "--year", "2009", "--remarks", REMARK, "--key", "leaflet2009")
    source = tmp_path / "in.ris"
    source.write_text("TY  - PAMP\nID  - leaflet2009\nTI  - A Leaflet\nPY  - 2009\nPB  - Vpered\nER  - \n",
                      encoding="utf-8")
    code, _out, err = run("import", "--on-duplicate", "update", str(source))
    assert code == 0, err
    with Catalogue.open(db_path) as cat:
        record = cat.get("leaflet2009")
    assert record["publisher"] == "Vpered" and record["remarks"] == REMARK


@pytest.mark.parametrize("value", [5, ["a"], {"a": 1}, "x" * 100_001])
def test_remarks_must_be_text_of_bounded_length(value: object) -> None:
    problems = validate({"id": "a2009", "type": "book", "title": "A", "remarks": value})
    assert problems and "remarks" in problems[0]


def test_remarks_may_run_over_several_lines() -> None:
    assert validate({"id": "a2009", "type": "book", "title": "A", "remarks": "one\ntwo\tthree"}) == []
