"""The fast ranking (scores by bytes and sets, hits ordered only as far as read) gives exactly the
ranked list, scores and marked words of the plain one: a dict per posting, then a full sort (#15).

``reference_search`` is the ranking as it was written before, kept here as the specification.
"""

from __future__ import annotations

import json
import string
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.search.filters import Filters
from catalogue.search.index import (
    FIELD_BITS,
    POSITION_BITS,
    RECORD_SHIFT,
    SEPARATOR,
    SearchIndex,
    build_index,
)
from catalogue.search.index_file import open_index
from catalogue.search.query import NAME_FIELDS, PLACE, PUBLISHER, Query, Term, parse_query
from catalogue.search.ranking import (
    EXACT,
    FIELD_PENALTY,
    PREFIX,
    Hits,
    _phrase_matches,
    _word_tiers,
    contains_records,
    search,
)
from catalogue.store.files import atomic_write
from catalogue.store.layout import dump_records

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate, write_catalogue

DATA = Path(__file__).parent / "data"
FIELD_MASK = (1 << FIELD_BITS) - 1

Ranked = tuple[list[tuple[int, int]], dict[int, set[str]]]


def reference_search(index: SearchIndex, query: Query, filters: Filters | None = None) -> Ranked:
    """``(record, score)`` best first and the matched words by field, computed the plain way."""
    matched: dict[int, set[str]] = {}
    scores: dict[int, int] | None = None
    totals: dict[int, int] = {}
    for term in sorted(query.positive, key=lambda t: -len("".join(t.words))):
        found = _reference_matches(index, term, matched, within=scores)
        if scores is not None:
            found = {r: min(s, scores[r]) for r, s in found.items() if r in scores}
        scores = found
        for r, s in found.items():
            totals[r] = totals.get(r, 0) + s
        if not scores:
            return [], matched
    candidates: Iterable[int] = scores if scores is not None else range(index.count)
    keep = _reference_passes(index, query, filters or Filters(), candidates)
    keys = index.keys
    best = scores or {}
    hits = sorted(keep, key=lambda r: (-best.get(r, EXACT), -totals.get(r, 0), keys[r], r))
    return [(r, best.get(r, EXACT)) for r in hits], matched


def _reference_matches(
    index: SearchIndex, term: Term, matched: dict[int, set[str]], within: dict[int, int] | None
) -> dict[int, int]:
    if term.phrase:
        return _phrase_matches(index, term, matched)
    best: dict[int, int] = {}
    tiers = _word_tiers(index, term.words[0], fuzzy=not term.exclude)
    if term.exclude:
        tiers = [(n, tier) for n, tier in tiers if tier >= PREFIX]
    for number, tier in tiers:
        for p in index.postings_of(number):
            f = (p >> POSITION_BITS) & FIELD_MASK
            r = p >> RECORD_SHIFT
            if f not in term.fields or (within is not None and r not in within):
                continue
            score = tier - FIELD_PENALTY.get(f, 0)
            if score > best.get(r, -1):
                best[r] = score
            matched.setdefault(f, set()).add(index.vocab[number])
    return best


def _reference_passes(index: SearchIndex, query: Query, filters: Filters, candidates: Iterable[int]) -> list[int]:
    keep = list(candidates)
    for term in query.terms:
        if term.kind == "text" and not term.exclude:
            continue
        if term.kind == "text":
            excluded = set(_reference_matches(index, term, {}, None))
            keep = [r for r in keep if r not in excluded]
            continue
        keep = [r for r in keep if _reference_holds(index, term, r) != term.exclude]
    if filters.types:
        types = index.column("types")
        keep = [r for r in keep if any(t in filters.types for t in types[r].split(SEPARATOR))]
    if filters.years:
        keep = [r for r in keep if any(y.overlaps(index.year_span(r)) for y in filters.years)]
    if filters.languages:
        languages = index.column("languages")
        keep = [r for r in keep if languages[r].startswith(filters.languages)]
    if filters.tags:
        tags = index.column("tags")
        keep = [r for r in keep if any(t in filters.tags for t in tags[r].split(SEPARATOR))]
    for needles, fields in ((filters.authors, NAME_FIELDS), (filters.places, frozenset({PLACE})),
                            (filters.publishers, frozenset({PUBLISHER}))):
        if needles:
            allowed = set().union(*(contains_records(index, n, fields) for n in needles))
            keep = [r for r in keep if r in allowed]
    return keep


def _reference_holds(index: SearchIndex, term: Term, record: int) -> bool:
    if term.kind == "year":
        assert term.years is not None
        return term.years.overlaps(index.year_span(record))
    if term.kind == "type":
        return term.value in index.column("types")[record].split(SEPARATOR)
    return index.column("languages")[record].startswith(term.value)


def assert_same(index: SearchIndex, text: str, filters: Filters | None = None) -> None:
    query = parse_query(text)
    expected, expected_words = reference_search(index, query, filters)
    result = search(index, query, filters)
    assert [tuple(h) for h in result.hits] == expected, text
    assert result.matched == expected_words, text
    assert len(result.hits) == len(expected), text
    for cut in (1, 3, 50, 200):  # a page first, from a result not yet ordered, then the rest
        fresh = search(index, query, filters).hits
        assert [tuple(h) for h in fresh[:cut]] == expected[:cut], (text, cut)
        assert len(fresh) == len(expected)
        assert [tuple(h) for h in fresh] == expected, (text, cut)
    if expected:
        middle = len(expected) // 2
        assert tuple(search(index, query, filters).hits[middle]) == expected[middle], text

LETTERS = list(string.ascii_lowercase) + list("абвгдежзиклмнопрстуфхцчшщэюяё")
QUERIES = [
    *LETTERS, "so", "soc", "socialism", "socilism", "Овсянников", "ovsjannikov", "Ов", "rev", "revolution w",
    "revolution workers", "history -crisis", "history -c", "-s", "s o", "a b c", '"why socialism"', '"s"',
    "o'brien", "title:s", "author:k", "publisher:p", "place:m", "place:М.", "note:a", "tag:b", "name:ov",
    "type:pamphlet", "type:pamphlet year:2005..2007", "year:..2000 s", "language:ru t", "-year:2006 w",
    "-type:book r", "-author:a s", "-\"the state\" th", "socialism -socialism", "xyzzy", "s -xyzzy",
    "М.", "worker", "strug", "капитализм", "капиталим", "rabochii klass",
]
FILTERS = [
    None, Filters(types=("pamphlet",)), Filters.from_options(years=["2005..2007"]),
    Filters.from_options(tags=["newspaper"]), Filters.from_options(places=["Москва"]),
    Filters.from_options(authors=["Ovsyannikov"]), Filters.from_options(languages=["ru"]),
    Filters.from_options(publishers=["Progress"]),
]


@pytest.fixture(scope="module")
def generated() -> SearchIndex:
    """A generated catalogue in memory, its records in the order generated (not in key order)."""
    return build_index(list(generate(3000).values()))


@pytest.fixture(scope="module")
def generated_file(tmp_path_factory: pytest.TempPathFactory) -> Iterable[SearchIndex]:
    """A generated catalogue's file and its cached index, as ``search`` and ``browse`` read them."""
    folder = tmp_path_factory.mktemp("generated")
    db = write_catalogue(4000, folder / "catalogue.json")
    open_index(db, folder / "cache").close()  # built and kept, then read from the cache
    with open_index(db, folder / "cache") as index:
        yield index


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterable[SearchIndex]:
    """tests/data/mixed-catalogue.json as a catalogue file (every type, role, script and field)."""
    folder = tmp_path_factory.mktemp("mixed")
    records = json.loads((DATA / "mixed-catalogue.json").read_text(encoding="utf-8"))
    atomic_write(folder / "mixed.json", dump_records({r["id"]: r for r in records}))
    with open_index(folder / "mixed.json", folder / "cache") as index:
        yield index


@pytest.mark.parametrize("text", QUERIES)
def test_generated_catalogue_ranks_as_before(generated: SearchIndex, text: str) -> None:
    assert_same(generated, text)


@pytest.mark.parametrize("text", QUERIES)
def test_generated_file_ranks_as_before(generated_file: SearchIndex, text: str) -> None:
    assert_same(generated_file, text)


@pytest.mark.parametrize("text", QUERIES)
def test_mixed_catalogue_ranks_as_before(mixed: SearchIndex, text: str) -> None:
    assert_same(mixed, text)


@pytest.mark.parametrize("filters", FILTERS[1:])
@pytest.mark.parametrize("text", ["", "s", "socialism", "history -crisis", "type:pamphlet r", "a b"])
def test_filters_rank_as_before(generated: SearchIndex, mixed: SearchIndex, text: str, filters: Filters) -> None:
    assert_same(generated, text, filters)
    assert_same(mixed, text, filters)


def test_the_mixed_catalogue_is_what_the_test_reads() -> None:
    records = json.loads((DATA / "mixed-catalogue.json").read_text(encoding="utf-8"))
    assert len(records) > 20 and len({r["id"] for r in records}) == len(records)


def _words(index: SearchIndex) -> list[str]:
    step = max(1, len(index.vocab) // 300)
    return index.vocab[::step]


TOKENS = st.one_of(
    st.sampled_from(LETTERS),
    st.text(alphabet="aeiostrnkvабвоп", min_size=1, max_size=5),
    st.sampled_from(["socialism", "revolution", "workers", "history", "Овсянников", "капитализм", "crisis"]),
)
FIELDS = st.sampled_from(["", "", "", "title:", "author:", "place:", "note:", "tag:", "publisher:"])


@st.composite
def queries(draw: st.DrawFn) -> str:
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        word = draw(TOKENS)
        kind = draw(st.sampled_from(["word", "word", "word", "exclude", "phrase", "year", "type"]))
        if kind == "year":
            first = draw(st.integers(1995, 2012))
            terms.append(f"year:{first}..{first + draw(st.integers(0, 6))}")
        elif kind == "type":
            terms.append(f"type:{draw(st.sampled_from(['book', 'pamphlet', 'article-journal', 'x']))}")
        elif kind == "phrase":
            terms.append(f'"{word} {draw(TOKENS)}"')
        else:
            terms.append(("-" if kind == "exclude" else "") + draw(FIELDS) + word)
    return " ".join(terms)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=queries(), word=st.integers(0, 299))
def test_any_query_ranks_as_before(generated: SearchIndex, mixed: SearchIndex, text: str, word: int) -> None:
    vocab = _words(generated)
    text = f"{text} {vocab[word % len(vocab)][:3]}" if word % 3 == 0 else text
    assert_same(generated, text)
    assert_same(mixed, text)


def test_the_posting_layout_is_the_one_the_byte_masks_read() -> None:
    # ranking reads a posting's field from the low bits of the byte after its position
    assert POSITION_BITS % 8 == 0 and FIELD_BITS <= 8
    assert RECORD_SHIFT == POSITION_BITS + FIELD_BITS


def test_hits_read_like_a_list(generated: SearchIndex) -> None:
    hits = search(generated, parse_query("s")).hits
    assert isinstance(hits, Hits) and len(hits) > 200
    whole = list(search(generated, parse_query("s")).hits)
    assert hits[5] == whole[5] and hits[:10] == whole[:10]
    assert hits[-1] == whole[-1] and hits[::-1] == whole[::-1] and hits[10:20:3] == whole[10:20:3]
    assert hits == whole and bool(hits) and list(hits) == whole
    assert not search(generated, parse_query("xyzzy")).hits
