"""Hostile records at every door: the validator lists their problems, nothing crashes.

Each case is a record a careless or malicious source could hand over (a CSL-JSON
file, a BibTeX converter, a file edited by hand).  ``validate`` must name the
problem, ``check`` must raise ``ValidationError``, adding and editing must refuse
the record with that error, and ``check_records`` must report it as a finding.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from catalogue import Catalogue
from catalogue.curation.checks import check_records
from catalogue.errors import ValidationError
from catalogue.model.record import (
    KEY_PATTERN,
    MAX_KEY_LENGTH,
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
)
from catalogue.model.validation import check, validate

GOOD: dict[str, Any] = {
    "id": "ovsyannikov2006why",
    "type": "pamphlet",
    "title": "Why Socialism?",
    "author": [{"family": "Ovsyannikov", "given": "I. A."}],
    "issued": {"date-parts": [[2006, 5, 1]]},
    "publisher-place": "Moscow",
    "number-of-pages": 36,
    "volume": 2,
    "language": "ru",
    "note": "Translated title.\nThe original is in Russian;\tsee the article.",
    "tags": ["socialism"],
    "added": "2026-11-26T00:00:00Z",
    "modified": "2026-11-26T00:00:00.123Z",
}
NEXT_YEAR = datetime.now(UTC).year + 1


def with_(field: str, value: Any) -> dict[str, Any]:
    record = copy.deepcopy(GOOD)
    record[field] = value
    return record


def without(field: str) -> dict[str, Any]:
    record = copy.deepcopy(GOOD)
    del record[field]
    return record


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


# (record, a fragment of the problem it must produce)
HOSTILE: list[tuple[Any, str]] = [
    # field types
    (with_("author", "Smith"), "author must be a non-empty list of names"),
    (with_("author", True), "author must be a non-empty list of names"),
    (with_("author", ["Smith"]), 'author #1 is "Smith", not a name object'),
    (with_("author", [{"family": 5}]), "author #1: family must be text, not a number"),
    (with_("author", [{"family": "X", "given": ["I."]}]), "given must be text, not a list"),
    (with_("author", nested(5000)), "author #1 is a list, not a name object"),
    (with_("editor", [{"literal": None}]), "literal must be text, not null"),
    (with_("tags", [1, 2]), "tags must be a list of non-empty texts; #1 is 1"),
    (with_("tags", ["a", None]), "#2 is null"),
    (with_("publisher-place", 5), "publisher-place must be text, not a number"),
    (with_("publisher", {"name": "x"}), "publisher must be text, not an object"),
    (with_("title", 5), "title must be text, not a number"),
    (with_("title", ["Why"]), "title must be text, not a list"),
    (without("id"), "id is missing"),
    (with_("id", None), "id must be a citation key (text), not null"),
    (with_("id", 12), "id must be a citation key (text), not a number"),
    (with_("type", []), "type must be the name of a CSL type (text), not a list"),
    (with_("type", {"a": 1}), "type must be the name of a CSL type (text), not an object"),
    (without("type"), "type is missing"),
    (with_("custom", {"a": nested(100)}), "nested more than"),
    (with_("custom", []), "custom must be an object"),
    (with_("custom", {"a": float("nan")}), "which JSON cannot carry"),
    (with_("categories", "x"), "categories must be a list"),
    # dates
    (with_("issued", {"date-parts": []}), "one date or a range"),
    (with_("issued", {"date-parts": [[]]}), "is not [year]"),
    (with_("issued", {"date-parts": [[2006, "5"]]}), "is not [year]"),
    (with_("issued", {"date-parts": [[2006.0]]}), "is not [year]"),
    (with_("issued", {"date-parts": [[True]]}), "is not [year]"),
    (with_("issued", {"date-parts": [[2006, 13]]}), "month 13 is not 1-12"),
    (with_("issued", {"date-parts": [[2006, 0]]}), "month 0 is not 1-12"),
    (with_("issued", {"date-parts": [[2000, 2, 31]]}), "day 31 is not a day of 2000-02 (1-29)"),
    (with_("issued", {"date-parts": [[2001, 2, 29]]}), "day 29 is not a day of 2001-02 (1-28)"),
    (with_("issued", {"date-parts": [[2006, 4, 31]]}), "day 31 is not a day of 2006-04"),
    (with_("issued", {"date-parts": [[2999]]}), f"year 2999 is not a year from 1 to {NEXT_YEAR}"),
    (with_("issued", {"date-parts": [[0]]}), "year 0 is not a year"),
    (with_("issued", {"date-parts": [[2**70]]}), "year a 71-bit number is not a year"),
    (with_("issued", {"date-parts": [[2007], [1998]]}), "range 2007–1998 ends before it begins"),
    (with_("issued", {"date-parts": [[2006]], "season": 9}), "season 9 is not 1-4"),
    (with_("issued", "2006"), "date object"),
    (with_("issued", {"literal": 2006}), "literal must be text"),
    (with_("accessed", {"date-parts": [[NEXT_YEAR + 5, 1, 1]]}), "accessed year"),
    # numbers
    (with_("number-of-pages", 10**10), "over the limit of 1,000,000,000"),
    (with_("number-of-pages", 2**70), "a 71-bit number"),
    (with_("number-of-pages", 36.0), "not a positive whole number"),
    (with_("volume", 2**64), "is not a whole number from 0 to 1,000,000,000"),
    (with_("volume", -1), "is not a whole number from 0"),
    (with_("volume", 1e30), "must be a whole number or text, not 1e+30"),
    (with_("issue", True), "must be a whole number or text, not true"),
    (with_("page", [1, 2]), "must be a whole number or text, not a list"),
    # keys
    (with_("id", "abc\n"), "is not a citation key"),
    (with_("id", "abc def"), "is not a citation key"),
    (with_("id", "\u0301ключ"), "is not a citation key"),  # a combining mark first
    (with_("id", "и\u0306ключ"), "is not a citation key"),  # not NFC (й decomposed)
    (with_("id", "ключ,2020"), "is not a citation key"),
    (with_("id", "ключ{2020}"), "is not a citation key"),
    (with_("id", "a" * (MAX_KEY_LENGTH + 1)), f"a citation key has at most {MAX_KEY_LENGTH}"),
    # texts: length and characters
    (with_("note", "x" * (MAX_TEXT_LENGTH + 1)), "100,001 characters long, over the limit of 100,000"),
    (with_("title", "x" * (MAX_TEXT_LENGTH + 1)), "title is 100,001 characters long"),
    (with_("title", "Red \x1b[31malert"), "title holds a control character (U+001B) at character 5"),
    (with_("title", "Two\nlines"), "title holds a line break (U+000A)"),
    (with_("title", "tab\there"), "title holds a tab (U+0009)"),
    (with_("title", "nul\x00"), "U+0000"),
    (with_("title", "del\x7f"), "U+007F"),
    (with_("title", "c1\x85"), "U+0085"),
    (with_("title", "c1\x9b[2J"), "U+009B"),
    (with_("title", "evil\u202egnp.exe"), "U+202E"),
    (with_("title", "isolate\u2066x\u2069"), "U+2066"),
    (with_("title", "surrogate\ud800"), "U+D800"),
    (with_("note", "windows\r\nline"), "note holds a carriage return (U+000D)"),
    (with_("note", "bell\x07"), "U+0007"),
    (with_("author", [{"family": "Smith\x1b]0;pwned\x07"}]), "author #1 family holds a control character"),
    (with_("tags", ["two\nlines"]), "tags #1 holds a line break"),
    (with_("publisher-place", "Moscow\u202d"), "publisher-place holds a control character (U+202D)"),
    (with_("issued", {"literal": "spring\x1b"}), "issued literal holds a control character"),
    (with_("custom", {"k": ["fine", {"deep": "bad\x1b"}]}), "custom holds a control character"),
    # times
    (with_("added", "yesterday"), "is not an ISO 8601 UTC time"),
    (with_("added", "2026-02-31T00:00:00Z"), "is not an ISO 8601 UTC time"),
    (with_("added", "2026-01-01T24:00:00Z"), "is not an ISO 8601 UTC time"),
    (with_("modified", "2026-01-01T00:00:00Z\n"), "is not an ISO 8601 UTC time"),
    (with_("modified", "２０２６-01-01T00:00:00Z"), "is not an ISO 8601 UTC time"),
    (with_("modified", 1764547200), "is not an ISO 8601 UTC time"),
    # not a record at all
    ([], "a record must be a JSON object, not a list"),
    (None, "a record must be a JSON object, not null"),
    ("ovsyannikov2006why", "a record must be a JSON object, not text"),
    (2**100, "a record must be a JSON object, not a number"),
    ({**GOOD, 1: "x"}, "a field name must be text, not a number"),
    ({**GOOD, "x" * 10**6: 1}, "is unknown"),
]


@pytest.mark.parametrize(("record", "fragment"), HOSTILE, ids=[f"{i}:{f[:30]}" for i, (_r, f) in enumerate(HOSTILE)])
def test_the_validator_names_the_problem(record: Any, fragment: str) -> None:
    problems = validate(record)
    assert all(isinstance(p, str) for p in problems)
    assert any(fragment in p for p in problems), problems
    assert all(len(p) < 300 for p in problems), "a problem quotes a huge value whole"
    with pytest.raises(ValidationError) as caught:
        check(record)
    assert caught.value.problems == problems


def test_the_good_record_and_its_edges_are_valid() -> None:
    assert validate(GOOD) == []
    edges = [
        with_("issued", {"date-parts": [[2000, 2, 29]]}),
        with_("issued", {"date-parts": [[NEXT_YEAR]]}),
        with_("issued", {"date-parts": [[1], [2006, 12, 31]]}),
        with_("issued", {"date-parts": [[2007, 5], [2007]]}),  # compared where both are precise
        with_("issued", {"date-parts": [[2006]], "season": 2, "circa": True}),
        with_("id", "a" * MAX_KEY_LENGTH),
        with_("id", "Key_1:2.3+4/5-6"),
        with_("note", "x" * MAX_TEXT_LENGTH),
        with_("number-of-pages", MAX_NUMBER),
        with_("volume", "12-14"),
        with_("volume", 0),
        with_("title", "Ёлки: «кавычки» — and émigré ☭ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
        with_("custom", {"a": [1, 2.5, None, True, {"b": "two\nlines"}]}),
        with_("categories", ["history"]),
        with_("author", [{"family": "Smith", "static-ordering": False}, {"literal": "Socialist Resistance"}]),
    ]
    for record in edges:
        assert validate(record) == [], record


@pytest.mark.parametrize(("record", "fragment"), [case for case in HOSTILE if isinstance(case[0], dict)
                                                  and isinstance(case[0].get("id"), str)][:40])
def test_adding_and_editing_refuse_the_record(record: dict[str, Any], fragment: str) -> None:
    cat = Catalogue.in_memory()
    with pytest.raises(ValidationError) as caught:
        cat.add(record)
    assert any(fragment in p for p in caught.value.problems)
    cat.add(GOOD)
    edited = {**record, "id": GOOD["id"]}
    if validate(edited):  # (a key problem alone goes away with the good key)
        with pytest.raises(ValidationError):
            cat.update(GOOD["id"], edited)
    assert cat.get(GOOD["id"]) == {**GOOD}


def test_check_reports_a_catalogue_of_hostile_records_and_never_raises() -> None:
    records = [r for r, _fragment in HOSTILE]
    findings = check_records([*records, GOOD])
    invalid = {f.key for f in findings if f.check == "invalid"}
    assert len([f for f in findings if f.check == "invalid"]) >= len(records)
    assert "(record 1, no key)" not in invalid  # the first hostile record has a key
    assert any(k.startswith("(record ") for k in invalid)  # records without a usable id are numbered
    assert all(len(f.key) <= MAX_KEY_LENGTH + 1 for f in findings)
    # the good record (sharing a key with most hostile ones) is only reported for the key clash
    assert not [f for f in findings if f.key == GOOD["id"] and f.check not in ("invalid", "key")]


def test_key_pattern_refuses_a_trailing_newline_whichever_way_it_is_called() -> None:
    for call in (KEY_PATTERN.match, KEY_PATTERN.search, KEY_PATTERN.fullmatch):
        assert call("abc") and not call("abc\n") and not call("\nabc")
