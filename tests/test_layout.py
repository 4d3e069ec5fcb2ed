"""The canonical layout: records read out of it equal the full load; records written around
untouched text give exactly the bytes of a full dump."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tinydb import Query
from typer.testing import CliRunner

from catalogue import Catalogue
from catalogue.errors import CorruptStore
from catalogue.formats import export
from catalogue.store.history import history_path
from catalogue.store.layout import assemble, dump_catalogue, dump_records, iter_records, read_record, scan
from catalogue.store.session import init_catalogue
from socsopr_cli.app import app


def test_iter_records_equals_the_full_load(db_path: Path) -> None:
    init_catalogue(db_path)
    with Catalogue.open(db_path, writable=True) as cat:  # add awkward keys and values too
        cat.add({"id": "a/b:c.d+e", "type": "book", "title": 'He said "\\n" {and} }', "note": "line\nbreak"})
        cat.save("add")
    with Catalogue.open(db_path) as cat:
        expected = cat.records()
    records = iter_records(db_path, db_path.read_bytes())
    assert records is not None
    assert list(records) == expected
    for record in expected:
        assert read_record(db_path.read_bytes(), record["id"]) == record


def test_an_empty_catalogue_streams_nothing(db_path: Path) -> None:
    init_catalogue(db_path, empty=True)
    records = iter_records(db_path, db_path.read_bytes())
    assert records is not None and list(records) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: json.dumps(json.loads(text)),  # compact: another layout
        lambda text: text.replace('"version": 2', '"version": 1'),  # authorities claiming version 1
        lambda text: text.replace("\n    },\n    \"doyle", "\n    },\n\n    \"doyle"),  # extra line
        lambda text: text[:-2],  # cut short
    ],
)
def test_any_other_layout_is_left_to_the_full_loader(db_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    init_catalogue(db_path)
    db_path.write_text(damage(db_path.read_text(encoding="utf-8")), encoding="utf-8")
    assert iter_records(db_path, db_path.read_bytes()) is None


def test_a_damaged_record_is_corrupt_store(db_path: Path) -> None:
    init_catalogue(db_path)
    text = db_path.read_text(encoding="utf-8").replace('"title": "Why Socialism?"', '"title": "Why Socialism?" 5')
    db_path.write_text(text, encoding="utf-8")
    records = iter_records(db_path, db_path.read_bytes())
    assert records is not None
    with pytest.raises(CorruptStore, match="damaged record at line"):
        list(records)


def test_streamed_list_prints_what_the_full_load_prints(db_path: Path, runner: CliRunner) -> None:
    init_catalogue(db_path)
    with Catalogue.open(db_path) as cat:
        records = cat.records()
    for fmt in ("tsv", "csv", "markdown", "ids", "json", "bibtex", "biblatex", "csl-json", "ris", "gost"):
        result = runner.invoke(app, ["list", "--format", fmt])
        # (CliRunner reports CRLF, which RIS is written with, as LF; stdout_bytes are the real bytes)
        assert result.exit_code == 0 and result.stdout_bytes.decode() == export(records, fmt), fmt
    result = runner.invoke(app, ["list", "--format", "ids", "--limit", "2", "--author", "Ovsyannikov"])
    assert result.stdout.split() == ["ovsyannikov2005hands", "ovsyannikov2006we"]


def test_list_of_a_damaged_file_exits_4_with_nothing_on_stdout(db_path: Path, runner: CliRunner) -> None:
    init_catalogue(db_path)
    text = db_path.read_text(encoding="utf-8").replace('"title": "Why Socialism?"', '"title": "Why Socialism?" 5')
    db_path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["list", "--format", "tsv"])
    assert result.exit_code == 4 and result.stdout == "" and "damaged record at line" in result.stderr


# --- writing around records held as text ------------------------------------------------

_key = st.text(alphabet='abz09/:._-+"\\{}Яё \t', min_size=1, max_size=8)
_value = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)
_record_body = st.dictionaries(st.sampled_from(["title", "note", "x", "Z", "и"]), _value, max_size=4)


@given(
    before=st.dictionaries(_key, _record_body, max_size=8),
    after=st.dictionaries(_key, _record_body, max_size=8),
    keep=st.sets(_key, max_size=8),
)
def test_assemble_gives_the_bytes_of_a_full_dump(before, after, keep) -> None:  # type: ignore[no-untyped-def]
    """Records kept as text, changed, added and removed: the pieces are exactly a fresh dump."""
    old = {key: {**body, "id": key} for key, body in before.items()}
    data = dump_records(old)
    spans = scan(data)
    assert spans is not None and list(spans) == sorted(old)
    table: dict[str, Any] = {k: raw for k, raw in spans.items() if k in keep}  # untouched, still text
    table.update({k: {**body, "id": k} for k, body in after.items() if k not in keep})
    parsed = {k: old[k] if k in keep else v for k, v in table.items()}
    assert b"".join(assemble(data, table)) == dump_records(parsed)


@pytest.mark.parametrize(
    "text",
    [
        '{\n  "format": "socsopr-catalogue",\n  "records": {\n    "b": {\n      "id": "b"\n    },'
        '\n    "a": {\n      "id": "a"\n    }\n  },\n  "version": 1\n}\n',  # keys out of order
        '{\n  "format": "socsopr-catalogue",\n  "records": {\n    "a": {\n      "id": "a"\n    },'
        '\n    "a": {\n      "id": "a"\n    }\n  },\n  "version": 1\n}\n',  # a key twice
        '{\n  "format": "socsopr-catalogue",\n  "records": {\n    "a\\": {\n      "id": "a"\n    }'
        '\n  },\n  "version": 1\n}\n',  # a key that is not a JSON string
    ],
)
def test_scan_refuses_what_the_store_never_writes(text: str) -> None:
    assert scan(text.encode()) is None


def test_a_writer_copies_untouched_records_and_the_result_is_canonical(db_path: Path) -> None:
    init_catalogue(db_path)
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "aaa2001first", "type": "book", "title": "First"})
        cat.update("ovsyannikov2006why", {**cat.get("ovsyannikov2006why"), "note": "changed"})
        cat.remove(["doyle1993revolution"])
        cat.save("three changes")
    with Catalogue.open(db_path) as cat:
        records = {r["id"]: r for r in cat.records()}
        authorities = cat.authorities()
    assert db_path.read_bytes() == dump_catalogue(records, authorities)
    assert records["ovsyannikov2006why"]["note"] == "changed" and "doyle1993revolution" not in records


def test_a_writer_refuses_a_file_with_a_damaged_record_and_writes_nothing(db_path: Path) -> None:
    init_catalogue(db_path)
    text = db_path.read_text(encoding="utf-8").replace('"title": "Why Socialism?"', '"title": "Why Socialism?" 5')
    db_path.write_text(text, encoding="utf-8")
    with Catalogue.open(db_path, writable=True) as cat, pytest.raises(CorruptStore, match="damaged record"):
        cat.add({"type": "book", "title": "New"}, allow_duplicates=True)
        cat.save("add")
    assert db_path.read_text(encoding="utf-8") == text
    assert not history_path(db_path).exists()


def test_tinydb_operations_see_parsed_records_over_a_lazy_storage(db_path: Path) -> None:
    init_catalogue(db_path)
    from catalogue.store.files import atomic_write

    with Catalogue.open(db_path, writable=True) as cat:
        table = cat._records_table().table
        assert len(table) == 19
        assert table.get(doc_id="ovsyannikov2006why")["title"] == "Why Socialism?"
        assert len(table.search(Query().type == "periodical")) == 3
        table.update({"note": "via TinyDB"}, doc_ids=["ovsyannikov2006why"])
        table.update({"tags": ["x"]}, Query().title == "Why Socialism?")
        assert cat.get("ovsyannikov2006why")["note"] == "via TinyDB"
        atomic_write(db_path, cat._writer().pieces())
    with Catalogue.open(db_path) as cat:
        record = cat.get("ovsyannikov2006why")
    assert record["note"] == "via TinyDB" and record["tags"] == ["x"]


def test_a_writer_of_a_hand_edited_file_parses_it_whole_and_writes_the_canonical_layout(db_path: Path) -> None:
    init_catalogue(db_path)
    compact = json.dumps(json.loads(db_path.read_text(encoding="utf-8")), ensure_ascii=False)
    db_path.write_text(compact, encoding="utf-8")
    with Catalogue.open(db_path, writable=True) as cat:
        cat.remove(["doyle1993revolution"])
        cat.save("remove")
    with Catalogue.open(db_path) as cat:
        records = {r["id"]: r for r in cat.records()}
        authorities = cat.authorities()
    assert scan(db_path.read_bytes()) is not None
    assert db_path.read_bytes() == dump_catalogue(records, authorities) and len(records) == 18
