"""CSL-JSON export (valid against the official schema) and import of Zotero/Crossref/DataCite files."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.errors import ParseError
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


# --- hostile input: a problem naming file:line and item, never a crash or a made-up value ---


def csl_problems(items: str, fmt: str = "csl-json") -> list[str]:
    with pytest.raises(ParseError) as caught:
        get_importer(fmt)(items, "in.json")
    return caught.value.problems


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ('"type": []', "type [] is not text"),
        ('"author": true', "author True is not a list of names"),
        ('"author": ["Smith"]', "author #1 'Smith' is not a name object (family, given or literal)"),
        ('"author": [{"family": 5}]', "author #1: family 5 is not text"),
        ('"author": [{}]', "author #1 has no family name or literal"),
        ('"title": 5', "title must be text, not int 5"),
        ('"publisher": {"a": 1}', "publisher must be text, not dict {'a': 1}"),
        ('"title": [5]', "title must be text, not a list [5]"),
        ('"issued": 2006', "issued 2006 is not a date object"),
        ('"issued": {"date-parts": [["²"]]}', "issued date ['²'] is not [year], [year, month] or [y, m, d]"),
        ('"issued": {"date-parts": [[99999999999999999999999]]}', "issued date [1e+23] is not [year], [year, month] or [y, m, d]"),
        ('"issued": {"date-parts": [["' + "9" * 5000 + '"]]}', "issued date ['9999999999999999999999999999999999999… is not [year], [year, month] or [y, m, d]"),
        ('"number-of-pages": "²"', "number-of-pages '²' is not a positive whole number"),
        ('"number-of-pages": "' + "9" * 5000 + '"', "number-of-pages '99999999999999999999999999999999999999… is not a positive whole number"),
        ('"number-of-pages": 18446744073709551615', "number-of-pages 18446744073709551615 is not a positive whole number"),
    ],
    ids=lambda v: v[:30],
)
def test_values_of_the_wrong_kind_are_problems_of_their_item(field: str, expected: str) -> None:
    text = '[\n  {"id": "fine", "type": "book", "title": "Fine"},\n  {"id": "a", "type": "book", "title": "T", ' + field + "}\n]"
    with pytest.raises(ParseError) as caught:
        get_importer("csl-json")(text, "in.json")
    assert caught.value.problems == [f"in.json:3: item 2: {expected}"]
    assert [r["id"] for r in caught.value.records] == ["fine"]


def test_repairs_stay_documented_shapes() -> None:
    (record,) = get_importer("csl-json")(
        '[{"id": "a", "type": "journal-article", "title": ["Crossref title"], "ISSN": ["1", "2"],'
        ' "issued": {"date-parts": [["2006", "3"]]}, "accessed": {"date-parts": [[null]]}, "volume": 5,'
        ' "number-of-pages": "120", "author": [{"given": "Acme"}, {"name": "Org"}]}]', "in.json")
    assert record["title"] == "Crossref title" and record["ISSN"] == "1, 2" and record["volume"] == 5
    assert record["issued"] == {"date-parts": [[2006, 3]]} and "accessed" not in record
    assert record["number-of-pages"] == 120 and record["author"] == [{"literal": "Acme"}, {"literal": "Org"}]


def test_an_unknown_type_is_a_document_with_a_warning() -> None:
    (record,) = get_importer("csl-json")('[{"id": "a", "type": "hologram", "title": "T"}]', "in.json")
    assert record["type"] == "document" and record["_warnings"] == [
        "in.json:1: item 1: type 'hologram' is not a CSL type; imported as document"
    ]


@pytest.mark.parametrize("fmt", ["csl-json", "json"])
def test_deep_nesting_is_refused_without_recursion(fmt: str) -> None:
    assert csl_problems("[" * 500 + "]" * 500, fmt) == ["in.json:1: item 1 is not a JSON object"]
    deep = '[{"id": "a", "type": "book", "title": "T", "custom": ' + '{"a": ' * 500 + "1" + "}" * 500 + "}]"
    assert csl_problems(deep, fmt) == ["in.json:1: item 1 nests lists and objects more than 32 deep"]
    assert csl_problems("[" * 5000 + "]" * 5000, fmt)[0].startswith("in.json:1: not valid JSON")
