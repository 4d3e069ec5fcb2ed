"""CSL-JSON export (valid against the official schema) and import of Zotero/Crossref/DataCite files."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.formats import export, get_importer
from catalogue.formats.csljson import item_lines
from tests.conftest import shared_path


def test_export_validates_against_the_official_schema(shipped: Catalogue, golden) -> None:  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_path("schema", "csl-data.json").read_text(encoding="utf-8"))
    text = export(shipped.records(), "csl-json")
    items = json.loads(text)
    jsonschema.validate(items, schema)
    assert len(items) == len(shipped)
    assert "Кириллица" not in text and "\\u04" not in text  # UTF-8, never escaped
    assert all("added" not in i and "tags" not in i for i in items)
    golden("export.csl.json", text)


def test_import_ignores_fields_outside_csl_and_repairs_shapes() -> None:
    text = json.dumps([{
        "id": "not a key", "type": "journal-article", "title": ["A title"], "ISSN": ["1", "2"],
        "reference": [{"key": 1}], "author": [{"family": "Ching", "given": "T", "ORCID": "x", "sequence": "first"}],
        "issued": {"date-parts": [["2018", "4"]]}, "number-of-pages": "12", "keyword": "a, b",
    }])
    (record,) = get_importer("csl-json")(text, "in.json")
    assert record["type"] == "article-journal"
    assert record["title"] == "A title" and record["ISSN"] == "1, 2"
    assert record["author"] == [{"family": "Ching", "given": "T"}]
    assert record["issued"] == {"date-parts": [[2018, 4]]}
    assert record["number-of-pages"] == 12 and record["tags"] == ["a", "b"]
    assert record["id"] == "not a key" and "reference" not in record  # the import will replace the key


def test_null_date_parts_are_dropped() -> None:
    (record,) = get_importer("csl-json")('[{"id": "x", "type": "entry", "title": "t", '
                                         '"issued": {"date-parts": [[null]]}}]', "in.json")
    assert "issued" not in record


def test_item_lines() -> None:
    assert item_lines('[\n  {"a": "{[}"},\n\n  {"b": [1, {"c": 2}]}\n]') == [2, 4]


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@given(st.lists(_json_value, max_size=6))
def test_an_array_dumped_item_by_item_is_the_whole_dump(items: list[object]) -> None:
    from catalogue.formats.native import dump_array

    whole = orjson.dumps(items, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    assert dump_array(iter(items)) == whole
