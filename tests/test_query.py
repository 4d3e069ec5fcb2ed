"""The search query language: words, phrases, field terms, exclusions, malformed terms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.errors import BadQuery
from catalogue.model.translit import search_key
from catalogue.search.query import ALL_TEXT_FIELDS, AUTHOR, EDITOR, NAME_FIELDS, PLACE, TITLE, parse_query


def test_words_are_folded_search_keys() -> None:
    (term,) = parse_query("Овсянников").terms
    assert term.kind == "text" and term.words == ("ovsianikov",) and term.fields == ALL_TEXT_FIELDS
    assert not term.phrase and not term.exclude


def test_each_argument_is_read_and_terms_are_kept_in_order() -> None:
    query = parse_query(["why", "socialism year:2006"])
    assert [t.source for t in query.terms] == ["why", "socialism", "year:2006"]


def test_quoted_phrase_is_exact_and_in_sequence() -> None:
    (term,) = parse_query('"Why Socialism?"').terms
    assert term.phrase and term.quoted and term.words == ("vhi", "socialism")


def test_a_token_that_folds_to_several_words_is_an_unquoted_phrase() -> None:
    (term,) = parse_query("Jean-Paul").terms
    assert term.phrase and not term.quoted and term.words == tuple(search_key("Jean Paul").split())


@pytest.mark.parametrize(("text", "fields"), [
    ("author:Kozlovsky", NAME_FIELDS), ("name:Kozlovsky", NAME_FIELDS), ("editor:x", {EDITOR}),
    ("title:crisis", {TITLE}), ("place:Moscow", {PLACE}), ("AUTHOR:x", NAME_FIELDS),
])
def test_field_terms_restrict_the_fields(text: str, fields: set[int]) -> None:
    (term,) = parse_query(text).terms
    assert term.fields == frozenset(fields)


def test_field_term_with_a_quoted_value() -> None:
    (term,) = parse_query('author:"Ovsyannikov I. A."').terms
    assert term.fields == NAME_FIELDS and term.words == ("ovsianikov", "i", "a") and term.quoted


@pytest.mark.parametrize(("text", "ranges"), [
    ("year:2006", [(2006, 2006)]), ("year:2005..2007", [(2005, 2007)]), ("year:..2000", [(None, 2000)]),
    ("year:2008..", [(2008, None)]), ("year:2006-2007", [(2006, 2007)]), ("year:2006–2007", [(2006, 2007)]),
    ("year:2006,2008..2010", [(2006, 2006), (2008, 2010)]), ("year:2000-02-29", [(2000, 2000)]),
])
def test_year_terms(text: str, ranges: list[tuple[int | None, int | None]]) -> None:
    (term,) = parse_query(text).terms
    assert term.kind == "year" and term.years is not None
    assert [(r.first, r.last) for r in term.years] == ranges


@pytest.mark.parametrize("text", [
    "year:2000-02-31", "year:2001-02-29", "year:2006-13", "year:20066", "year:²⁰⁰⁶", "year:٢٠٠٦",
    "year:2006,", "year:9" + "9" * 5000, "year:2007..2005", "year:2005..2006..2007", "year:-2000",
])
def test_bad_year_terms_are_bad_queries_naming_the_term(text: str) -> None:
    with pytest.raises(BadQuery) as caught:
        parse_query(f"socialism {text}")
    assert repr(text)[:40].rstrip("'") in str(caught.value)


def test_a_list_of_years_matches_any_of_them() -> None:
    (term,) = parse_query("year:1998,2006").terms
    assert term.years is not None
    assert term.years.overlaps((2006, 2006)) and term.years.overlaps((1990, 1998))
    assert not term.years.overlaps((2001, 2005)) and not term.years.overlaps(None)


def test_type_and_language_terms() -> None:
    kinds = [(t.kind, t.value) for t in parse_query("type:Pamphlet language:ru").terms]
    assert kinds == [("type", "pamphlet"), ("language", "ru")]


def test_exclusions() -> None:
    terms = parse_query('-marx -"left vanguard" -author:doyle -year:1998').terms
    assert all(t.exclude for t in terms)
    assert [t.kind for t in terms] == ["text", "text", "text", "year"]
    assert terms[2].fields == NAME_FIELDS and AUTHOR in terms[2].fields


def test_a_lone_dash_and_punctuation_are_no_terms() -> None:
    assert not parse_query("- ? …")


def test_an_unknown_name_before_a_colon_without_value_is_a_word() -> None:
    (term,) = parse_query("Marxism:").terms
    assert term.words == ("marksism",)


@pytest.mark.parametrize(("text", "named"), [
    ("year:abc", "'year:abc'"), ("year:2007..2005", "'year:2007..2005'"), ("autor:x", "'autor:x'"),
    ('"why socialism', "'\"why socialism'"), ("type:", "'type:'"), ("title:", "'title:'"),
    ('author:""', "'author:\"\"'"),
])
def test_malformed_terms_are_bad_queries_naming_the_term(text: str, named: str) -> None:
    with pytest.raises(BadQuery) as caught:
        parse_query(["socialism", text])
    assert named in str(caught.value)


@given(st.text(max_size=40))
def test_any_text_parses_or_is_a_bad_query(text: str) -> None:
    try:
        query = parse_query(text)
    except BadQuery:
        return
    for term in query.terms:
        assert term.kind in ("text", "year", "type", "language")
        if term.kind == "text":
            assert term.words and all(w and " " not in w for w in term.words)
