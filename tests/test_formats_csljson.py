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


# --- #12: Zotero, keys, remarks, languages -----------------------------------------------------


def _item(record: dict) -> dict:
    return json.loads(export([record], "csl-json"))[0]


def test_key_is_citation_key_and_id() -> None:
    item = _item({"id": "maier1872trud_i_kapital_perevod", "type": "book", "title": "T"})
    assert item["id"] == item["citation-key"] == "maier1872trud_i_kapital_perevod"
    (back,) = get_importer("csl-json")('[{"id": "ITEM-1", "citation-key": "doe2001", "type": "book", "title": "T"}]', "in.json")
    assert back["id"] == "doe2001"


def test_remarks_go_to_custom_never_to_note_and_come_back() -> None:
    record = {"id": "k", "type": "book", "title": "T", "note": "Public.", "remarks": "Seen only a copy.",
              "custom": {"other-tool": 1}}
    item = _item(record)
    assert item["custom"] == {"other-tool": 1, "remarks": "Seen only a copy."} and item["note"] == "Public."
    (back,) = get_importer("csl-json")(json.dumps([item]), "in.json")
    assert back["remarks"] == "Seen only a copy." and back["note"] == "Public." and back["custom"] == {"other-tool": 1}


def test_types_zotero_does_not_know_are_books_with_the_type_in_a_note_line() -> None:
    record = {"id": "k", "type": "pamphlet", "title": "T", "number-of-pages": 16, "note": "Public.",
              "compiler": [{"family": "Kozlovsky", "given": "S. A."}, {"literal": "Study Circle"}]}
    item = _item(record)
    assert item["type"] == "book" and item["number-of-pages"] == 16 and item["compiler"] == record["compiler"]
    assert item["note"] == "type: pamphlet\ncompiler: Kozlovsky || S. A.\ncompiler: Study Circle\nPublic."
    (back,) = get_importer("csl-json")(json.dumps([item]), "in.json")
    assert back == {**record, "_line": 1}


def test_a_page_count_zotero_would_drop_is_a_note_line_too() -> None:
    item = _item({"id": "k", "type": "report", "title": "T", "number-of-pages": 40})
    assert item["type"] == "report" and item["note"] == "number-of-pages: 40"
    assert "note" not in _item({"id": "k", "type": "thesis", "title": "T", "number-of-pages": 40})


def test_zoteros_own_export_of_note_lines_is_read() -> None:
    """Zotero exports its Extra as note: our lines come back from Zotero without the variables."""
    text = json.dumps([{"id": "x", "citation-key": "k", "type": "book", "title": "T",
                        "note": "type: pamphlet\ncompiler: Kozlovsky || S. A.\nnumber-of-pages: 16\nThe public note"}])
    (back,) = get_importer("csl-json")(text, "in.json")
    assert back["type"] == "pamphlet" and back["compiler"] == [{"family": "Kozlovsky", "given": "S. A."}]
    assert back["number-of-pages"] == 16 and back["note"] == "The public note"


def test_a_note_that_only_looks_like_lines_stays_a_note() -> None:
    (back,) = get_importer("csl-json")(json.dumps([{"id": "k", "type": "book", "title": "T",
                                                   "note": "Seen: in the archive, 1999"}]), "in.json")
    assert back["note"] == "Seen: in the archive, 1999"


@pytest.mark.parametrize(("value", "tag"), [("Russian", "ru"), ("rus", "ru"), ("Русский", "ru"), ("en_GB", "en-GB")])
def test_languages_are_bcp47_on_import_and_export(value: str, tag: str) -> None:
    (back,) = get_importer("csl-json")(json.dumps([{"id": "k", "type": "book", "title": "T", "language": value}]), "in.json")
    assert back["language"] == tag and "_warnings" not in back
    assert _item({"id": "k", "type": "book", "title": "T", "language": value})["language"] == tag


def test_a_language_that_is_no_language_is_kept_with_a_warning() -> None:
    (back,) = get_importer("csl-json")('[{"id": "k", "type": "book", "title": "T", "language": "qqq-zzz unknown"}]', "in.json")
    assert back["language"] == "qqq-zzz unknown"
    assert back["_warnings"] == ["in.json:1: item 1: language 'qqq-zzz unknown' is not a language code or name; kept as it is"]


def test_utf8_keys_are_passed_to_the_import_as_they_are() -> None:
    (back,) = get_importer("csl-json")('[{"id": "1", "citation-key": "Овсянников2006", "type": "book", "title": "T"}]', "in.json")
    assert back["id"] == "Овсянников2006"  # the import keeps it when KEY_PATTERN allows it
