"""The filters shared by list, search, export, cite and stats."""

from __future__ import annotations

import pytest

from catalogue import Catalogue
from catalogue.errors import BadQuery
from catalogue.search.filters import Filters, YearRange, parse_year_range, parse_years


@pytest.mark.parametrize(("text", "expected"), [
    ("2006", YearRange(2006, 2006)), ("2005..2007", YearRange(2005, 2007)), ("..2000", YearRange(None, 2000)),
    ("2008..", YearRange(2008, None)), (" 2005 .. 2007 ", YearRange(2005, 2007)),
    ("2005-2007", YearRange(2005, 2007)), ("2005–2007", YearRange(2005, 2007)), ("2005 — 2007", YearRange(2005, 2007)),
    ("2007-10", YearRange(2007, 2007)), ("2000-02-29", YearRange(2000, 2000)),
    ("1998-05–2007-10-05", YearRange(1998, 2007)), ("2007-10..2008", YearRange(2007, 2008)), ("0", YearRange(0, 0)),
])
def test_year_ranges(text: str, expected: YearRange) -> None:
    assert parse_year_range(text) == expected


@pytest.mark.parametrize("text", [
    "abc", "", "..", "2007..2005", "2007-2005", "20066", "2005 2007", "2006-", "-2000", "2006,2007",
    "2000-02-31", "2001-02-29", "2006-04-31", "2006-13", "2006-00", "2006-01-00", "2006-1-1-1",
    "²⁰⁰⁶", "2006²", "٢٠٠٦", "２００６", "1" * 5000, "2006..2007..2008", "2006...2007", "2006-05..2006-02-30",
])
def test_bad_year_ranges(text: str) -> None:
    with pytest.raises(BadQuery) as caught:
        parse_year_range(text)
    assert len(str(caught.value)) < 200


def test_impossible_dates_are_named() -> None:
    with pytest.raises(BadQuery, match="2000-02-31, a day that does not exist"):
        parse_year_range("2000-02-31")
    with pytest.raises(BadQuery, match="month 13"):
        parse_year_range("2000-13")


def test_a_list_of_years_and_ranges() -> None:
    assert parse_years("2006,2007") == (YearRange(2006, 2006), YearRange(2007, 2007))
    assert parse_years("..1998, 2006–2007") == (YearRange(None, 1998), YearRange(2006, 2007))
    for bad in ["2006,", ",2006", "2006,,2007", "2006,abc"]:
        with pytest.raises(BadQuery):
            parse_years(bad)
    assert Filters.from_options(years=["1998,2006"]).years == (YearRange(1998, 1998), YearRange(2006, 2006))


def test_open_range_overlaps_a_span() -> None:
    assert YearRange(2005, None).overlaps((1998, 2007))
    assert not YearRange(None, 1997).overlaps((1998, 2007))
    assert not YearRange(None, None).overlaps(None)


def keys(cat: Catalogue, **options: list[str]) -> list[str]:
    return [r["id"] for r in Filters.from_options(**options).apply(cat.records())]  # type: ignore[arg-type]


def test_author_in_any_script_and_role(shipped: Catalogue) -> None:
    assert keys(shipped, authors=["Козловский"]) == ["kozlovsky2006education", "ovsyannikov2005hands"]
    assert keys(shipped, authors=["OVSJANNIKOV"]) == keys(shipped, authors=["Овсянников"])


def test_or_within_an_option_and_across_options(shipped: Catalogue) -> None:
    either = keys(shipped, authors=["Doyle", "Kozlovsky"])
    assert "doyle1993revolution" in either and "kozlovsky2006education" in either
    assert keys(shipped, authors=["Doyle", "Kozlovsky"], years=["2006"]) == ["kozlovsky2006education"]
    assert keys(shipped, authors=["Doyle", "Kozlovsky"], years=["1993,2006"]) == [
        "doyle1993revolution", "kozlovsky2006education"]


def test_type_genre_place_publisher_tag_language(shipped: Catalogue) -> None:
    assert keys(shipped, types=["leaflet"]) == ["socialistlet"]
    assert keys(shipped, places=["yaroslavl"]) == ["ovsyannikov2005hands"]
    assert "student2008defense" in keys(shipped, publishers=["Socialist Resistance"])
    assert keys(shipped, tags=["Extremist-List"]) == ["socialistlet"]
    assert len(keys(shipped, languages=["ru"])) == len(shipped)
    assert keys(shipped, languages=["en"]) == []


def test_a_span_of_years_matches_a_range(shipped: Catalogue) -> None:
    assert "left1998vanguard" in keys(shipped, years=["2003"])  # a newspaper of 1998–2007


def test_no_filters_pass_everything(shipped: Catalogue) -> None:
    assert not Filters()
    assert len(Filters().apply(shipped.records())) == len(shipped)
