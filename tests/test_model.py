"""Record validation: every problem listed at once, nothing silently dropped."""

from __future__ import annotations

import copy

import pytest

from catalogue.errors import ValidationError
from catalogue.model.record import join_places, places, year_of, year_range, year_text
from catalogue.model.validation import check, validate

GOOD = {
    "id": "ovsyannikov2006why",
    "type": "pamphlet",
    "title": "Why Socialism?",
    "author": [{"family": "Ovsyannikov", "given": "I. A."}],
    "issued": {"date-parts": [[2006]]},
    "publisher-place": "Moscow",
    "number-of-pages": 36,
    "language": "ru",
    "tags": ["socialism"],
    "added": "2026-11-26T00:00:00Z",
    "modified": "2026-11-26T00:00:00Z",
}


def with_(**changes: object) -> dict[str, object]:
    record = copy.deepcopy(GOOD)
    for field, value in changes.items():
        field = field.replace("_", "-")
        if value is None:
            record.pop(field, None)
        else:
            record[field] = value
    return record


def test_a_good_record_is_valid() -> None:
    assert validate(GOOD) == []
    check(GOOD)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"type": "brochure"}, "not a CSL type"),
        ({"title": None}, "title is missing"),
        ({"title": "  "}, "title is missing"),
        ({"id": "has space"}, "not a citation key"),
        ({"id": None}, "id is missing"),
        ({"author": [{"given": "I."}]}, "no family name"),
        ({"author": []}, "non-empty list"),
        ({"author": [{"family": "X", "middle": "Y"}]}, "unknown parts"),
        ({"editor": [{"literal": ""}]}, "empty literal"),
        ({"issued": {"date-parts": [["2006"]]}}, "is not [year]"),
        ({"issued": {"date-parts": [[2006, 13]]}}, "month 13"),
        ({"issued": {"date-parts": []}}, "one date or a range"),
        ({"issued": "2006"}, "date object"),
        ({"number_of_pages": 0}, "positive whole number"),
        ({"number_of_pages": "36"}, "positive whole number"),
        ({"number_of_pages": True}, "positive whole number"),
        ({"tags": ["a", "a"]}, "same tag twice"),
        ({"tags": "a"}, "list of non-empty texts"),
        ({"added": "yesterday"}, "ISO 8601"),
        ({"publisher": 5}, "must be text"),
        ({"colour": "red"}, '"colour" is unknown'),
    ],
)
def test_each_rule(changes: dict[str, object], fragment: str) -> None:
    record = with_(**changes) if "colour" not in changes else {**GOOD, **changes}
    problems = validate(record)
    assert any(fragment in p for p in problems), problems


def test_every_problem_is_listed_at_once() -> None:
    bad = {**GOOD, "type": "x", "number-of-pages": -1, "foo": 1, "issued": {"date-parts": [[2006, 0]]}}
    del bad["title"]
    with pytest.raises(ValidationError) as info:
        check(bad)
    assert len(info.value.problems) == 5
    assert info.value.key == "ovsyannikov2006why"


def test_ranges_and_literal_dates() -> None:
    assert validate(with_(issued={"date-parts": [[1998], [2007]]})) == []
    assert validate(with_(issued={"date-parts": [[2007, 10]]})) == []
    assert validate(with_(issued={"literal": "1990s"})) == []
    assert validate(with_(issued={"season": 1})) != []


def test_year_helpers() -> None:
    assert year_of(GOOD) == 2006
    assert year_range(with_(issued={"date-parts": [[1998], [2007]]})) == (1998, 2007)
    assert year_text(with_(issued={"date-parts": [[1998], [2007]]})) == "1998–2007"
    assert year_text(with_(issued=None)) == ""
    assert year_of(with_(issued={"literal": "n.d."})) is None


def test_places() -> None:
    assert places({"publisher-place": "Yaroslavl; Moscow"}) == ["Yaroslavl", "Moscow"]
    assert places({}) == []
    assert join_places(["Yaroslavl", " Moscow ", ""]) == "Yaroslavl; Moscow"


def test_field_sets_match_the_official_csl_schema() -> None:
    import json

    from catalogue.model.record import CATALOGUE_FIELDS, CSL_FIELDS, CSL_TYPES
    from tests.conftest import shared_path

    schema = json.loads(shared_path("schema", "csl-data.json").read_text(encoding="utf-8"))["items"]
    assert set(schema["properties"]) == CSL_FIELDS
    assert set(schema["properties"]["type"]["enum"]) == CSL_TYPES
    assert not CATALOGUE_FIELDS & CSL_FIELDS
