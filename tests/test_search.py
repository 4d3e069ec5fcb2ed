"""Ranked search over an index: spellings, typos and their cut-off, ranking, terms and filters."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from catalogue import Catalogue
from catalogue.search.filters import Filters
from catalogue.search.index import SearchIndex, build_index
from catalogue.search.query import parse_query
from catalogue.search.ranking import EXACT, highlight_spans, search, typos_allowed

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate

OVSYANNIKOV = ["ovsyannikov2005hands", "ovsyannikov2006we", "ovsyannikov2006why",
               "ovsyannikov2006world", "ovsyannikov2007faq"]


@pytest.fixture
def index(shipped: Catalogue) -> SearchIndex:
    return build_index(shipped.records())


def keys(index: SearchIndex, text: str, filters: Filters | None = None) -> list[str]:
    return [index.keys[h.number] for h in search(index, parse_query(text), filters).hits]


@pytest.mark.parametrize("spelling", ["Овсянников", "ovsyannikov", "Ovsiannikov", "OVSJANNIKOV", "Овсяников"])
def test_every_spelling_finds_the_same_records(index: SearchIndex, spelling: str) -> None:
    assert keys(index, spelling) == OVSYANNIKOV


def test_a_typo_is_forgiven(index: SearchIndex) -> None:
    assert keys(index, "socilism")[0] == "ovsyannikov2006why"


@pytest.mark.parametrize("nonsense", ["xyzzy", "qwertyuiop", "1234", "zzyzx"])
def test_no_absurd_matches(index: SearchIndex, nonsense: str) -> None:
    assert keys(index, nonsense) == []


def test_typo_cut_off_grows_with_the_word() -> None:
    assert [typos_allowed(w) for w in ("abc", "abcd", "abcdefg", "abcdefgh")] == [0, 1, 1, 2]


def test_exact_outranks_prefix_outranks_fuzzy() -> None:
    records = [
        {"id": "fuzzy", "type": "book", "title": "Socialisn"},
        {"id": "prefix", "type": "book", "title": "Socialismo"},
        {"id": "exact", "type": "book", "title": "Socialism"},
        {"id": "note", "type": "book", "title": "Other", "note": "socialism"},
    ]
    idx = build_index(records)
    result = search(idx, parse_query("socialism"))
    ranked = [(idx.keys[h.number], h.score) for h in result.hits]
    assert [k for k, _ in ranked] == ["exact", "note", "prefix", "fuzzy"]
    assert ranked[0][1] == EXACT and ranked[1][1] < EXACT and ranked[1][1] > ranked[2][1]


def test_every_term_must_match_and_the_weakest_decides(index: SearchIndex) -> None:
    assert keys(index, "why socialism") == ["ovsyannikov2006why"]
    assert keys(index, "socialism ovsyannikov")[:2] == ["ovsyannikov2006why", "ovsyannikov2007faq"]


def test_phrases(index: SearchIndex) -> None:
    assert keys(index, '"why socialism"') == ["ovsyannikov2006why"]
    assert keys(index, '"socialism why"') == []
    assert keys(index, '"socialis"') == []  # quoted: whole words only
    assert keys(index, "left-vanguard") == ["left1998vanguard"]  # one token, several words


@pytest.mark.parametrize(("text", "expected"), [
    ("author:Kozlovsky", ["kozlovsky2006education", "ovsyannikov2005hands"]),
    ("editor:Kozlovsky", ["ovsyannikov2005hands"]),
    ("place:Yaroslavl", ["ovsyannikov2005hands"]),
    ("type:leaflet", ["socialistlet"]),
    ("tag:extremist-list", ["socialistlet"]),
    ("language:en", []),
    ("year:2006 author:ovsyannikov", ["ovsyannikov2006we", "ovsyannikov2006why", "ovsyannikov2006world"]),
    ("year:..1995", ["doyle1993revolution"]),
    ("socialism -author:ovsyannikov -year:..2007 -let",
     ["rabochayavlast", "socialist2008resistance", "student2008defense"]),
])
def test_field_terms_and_exclusions(index: SearchIndex, text: str, expected: list[str]) -> None:
    assert sorted(keys(index, text)) == sorted(expected)


def test_publisher_and_note_terms(index: SearchIndex) -> None:
    assert "student2008defense" in keys(index, "publisher:socialist")
    assert "close2001imf" in keys(index, "note:translation")


def test_filters_combine_with_the_query(index: SearchIndex) -> None:
    filters = Filters.from_options(years=["2006"], types=["pamphlet"])
    assert keys(index, "ovsyannikov", filters) == ["ovsyannikov2006we", "ovsyannikov2006why",
                                                   "ovsyannikov2006world"]
    assert keys(index, "ovsyannikov", Filters.from_options(years=["2006"], types=["book"])) == []


def test_field_term_ranks_within_its_field(index: SearchIndex) -> None:
    assert keys(index, "title:socialism")[:2] == ["ovsyannikov2006why", "ovsyannikov2007faq"]
    assert "socialist2008resistance" not in keys(index, "title:socialism")[:2]


@pytest.mark.parametrize("options", [
    {"authors": ["Kozlov"]}, {"authors": ["ovsyannikov i"]}, {"authors": ["Овсянников", "doyle"]},
    {"places": ["moscow"]}, {"places": ["petersburg"]}, {"publishers": ["resistance"]},
    {"types": ["book", "leaflet"]}, {"years": ["2000..2005"]}, {"languages": ["ru"]},
    {"tags": ["theory", "History"]}, {"authors": ["ivan"], "years": ["1950.."], "types": ["book"]},
    {"authors": ["ov i"]}, {"places": ["new york"]},
])
def test_filters_through_the_index_equal_the_shared_filters(options: dict[str, list[str]]) -> None:
    records = list(generate(600).values())
    idx = build_index(records)
    filters = Filters.from_options(**options)  # type: ignore[arg-type]
    expected = sorted(r["id"] for r in filters.apply(records))
    assert sorted(keys(idx, "", filters)) == expected


def test_matched_words_are_kept_by_field_for_highlighting(index: SearchIndex) -> None:
    result = search(index, parse_query("Овсянников socilism"))
    assert "ovsianikov" in result.words_for({1})
    assert "socialism" in result.words_for({0})


def test_highlight_spans_cover_words_as_written() -> None:
    text = "Why Socialism? Овсянников И. А."
    spans = highlight_spans(text, {"socialism", "ovsianikov"})
    assert [text[a:b] for a, b in spans] == ["Socialism", "Овсянников"]
    assert highlight_spans(text, set()) == []
