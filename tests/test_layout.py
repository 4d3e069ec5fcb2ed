"""Records read straight out of the canonical layout equal what the full load gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from catalogue import Catalogue
from catalogue.errors import CorruptStore
from catalogue.formats import export
from catalogue.layout import iter_records, read_record
from catalogue.session import init_catalogue
from socsopr_cli.app import app


def test_iter_records_equals_the_full_load(db_path: Path) -> None:
    init_catalogue(db_path)
    with Catalogue.open(db_path, writable=True) as cat:  # add awkward keys and values too
        cat.add({"id": "a/b:c.d+e", "type": "book", "title": 'He said "\\n" {and} }', "note": "line\nbreak"})
        cat.save("add")
    with Catalogue.open(db_path) as cat:
        expected = cat.records()
    records = iter_records(db_path)
    assert records is not None
    assert list(records) == expected
    for record in expected:
        assert read_record(db_path, record["id"]) == record


def test_an_empty_catalogue_streams_nothing(db_path: Path) -> None:
    init_catalogue(db_path, empty=True)
    records = iter_records(db_path)
    assert records is not None and list(records) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: json.dumps(json.loads(text)),  # compact: another layout
        lambda text: text.replace('"version": 1', '"version": 2'),
        lambda text: text.replace("\n    },\n    \"doyle", "\n    },\n\n    \"doyle"),  # extra line
        lambda text: text[:-2],  # cut short
    ],
)
def test_any_other_layout_is_left_to_the_full_loader(db_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    init_catalogue(db_path)
    db_path.write_text(damage(db_path.read_text(encoding="utf-8")), encoding="utf-8")
    assert iter_records(db_path) is None


def test_a_damaged_record_is_corrupt_store(db_path: Path) -> None:
    init_catalogue(db_path)
    text = db_path.read_text(encoding="utf-8").replace('"title": "Why Socialism?"', '"title": "Why Socialism?" 5')
    db_path.write_text(text, encoding="utf-8")
    records = iter_records(db_path)
    assert records is not None
    with pytest.raises(CorruptStore, match="damaged record at line"):
        list(records)


def test_streamed_list_prints_what_the_full_load_prints(db_path: Path, runner: CliRunner) -> None:
    init_catalogue(db_path)
    with Catalogue.open(db_path) as cat:
        records = cat.records()
    for fmt in ("tsv", "csv", "markdown", "ids"):
        result = runner.invoke(app, ["list", "--format", fmt])
        assert result.exit_code == 0 and result.stdout == export(records, fmt)
    result = runner.invoke(app, ["list", "--format", "ids", "--limit", "2", "--author", "Ovsyannikov"])
    assert result.stdout.split() == ["ovsyannikov2005hands", "ovsyannikov2006we"]


def test_list_of_a_damaged_file_exits_4_with_nothing_on_stdout(db_path: Path, runner: CliRunner) -> None:
    init_catalogue(db_path)
    text = db_path.read_text(encoding="utf-8").replace('"title": "Why Socialism?"', '"title": "Why Socialism?" 5')
    db_path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["list", "--format", "tsv"])
    assert result.exit_code == 4 and result.stdout == "" and "damaged record at line" in result.stderr
