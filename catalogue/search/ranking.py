"""Ranked search over an index: exact words first, then prefixes, parts of words, typos.

A record matches a query when it matches every positive text term and no
excluded one, and passes the year/type/language terms and the shared filters.
Each text term is scored by its best match in the record: a whole word (100),
the start of a word (85), a part of a word (75), one typo (60) or two (50),
less a little for minor fields (publisher, place, tags, note).  A record's
score is its weakest term's, so a record that matches every term exactly
always ranks above one that needed a typo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from catalogue.model.translit import search_key
from catalogue.search.filters import Filters
from catalogue.search.index import (
    FIELD_BITS,
    LAST_POSITION,
    POSITION_BITS,
    RECORD_SHIFT,
    SEPARATOR,
    DamagedIndex,
    SearchIndex,
)
from catalogue.search.query import NAME_FIELDS, NOTE, PLACE, PUBLISHER, TAGS, Query, Term

EXACT, PREFIX, INFIX, ONE_TYPO, TWO_TYPOS = 100, 85, 75, 60, 50
FIELD_PENALTY = {PUBLISHER: 3, PLACE: 3, TAGS: 4, NOTE: 6}  # title and names: none
_FIELD_MASK = (1 << FIELD_BITS) - 1
_PLACE_FIELDS = frozenset({PLACE})
_PUBLISHER_FIELDS = frozenset({PUBLISHER})


def typos_allowed(word: str) -> int:
    """The fuzzy cut-off: no typo in words under 4 letters, one up to 7, two from 8."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Hit(NamedTuple):
    """A matching record (by its number in the index) and its score, 0–100."""

    number: int
    score: int


class Result(NamedTuple):
    """The hits, best first, and the index words that matched, by field (for highlighting)."""

    hits: list[Hit]
    matched: dict[int, set[str]]

    def words_for(self, fields: Iterable[int]) -> set[str]:
        out: set[str] = set()
        for f in fields:
            out |= self.matched.get(f, set())
        return out


def search(index: SearchIndex, query: Query, filters: Filters | None = None) -> Result:
    """The records of ``index`` that match, best first (ties in key order).

    A cached index checks each part where it is first used; one found damaged
    is rebuilt from the catalogue file, and the search runs again on it.
    """
    try:
        return _search(index, query, filters)
    except DamagedIndex:
        index.repair()
        return _search(index, query, filters)


def _search(index: SearchIndex, query: Query, filters: Filters | None) -> Result:
    matched: dict[int, set[str]] = {}
    scores: dict[int, int] | None = None
    totals: dict[int, int] = {}
    for term in sorted(query.positive, key=lambda t: -len("".join(t.words))):  # rarest first
        found = _text_matches(index, term, matched, within=scores)
        if scores is not None:
            found = {r: min(s, scores[r]) for r, s in found.items() if r in scores}
        scores = found
        for r, s in found.items():
            totals[r] = totals.get(r, 0) + s
        if not scores:
            return Result([], matched)
    candidates: Iterable[int] = scores if scores is not None else range(index.count)
    keep = _passes(index, query, filters or Filters(), candidates)
    keys = index.keys
    best = scores or {}
    hits = sorted(keep, key=lambda r: (-best.get(r, EXACT), -totals.get(r, 0), keys[r]))
    return Result([Hit(r, best.get(r, EXACT)) for r in hits], matched)


# --- text terms -------------------------------------------------------------------------------


def _word_tiers(index: SearchIndex, word: str, fuzzy: bool) -> list[tuple[int, int]]:
    """``(word number, tier)`` of every index word that matches ``word``, best tier per word."""
    tiers: dict[int, int] = {}
    for number in index.words_starting(word):
        tiers[number] = EXACT if index.vocab[number] == word else PREFIX
    if len(word) >= 3:
        for number, candidate in enumerate(index.vocab):
            if word in candidate and number not in tiers:
                tiers[number] = INFIX
    limit = typos_allowed(word) if fuzzy else 0
    if limit:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        for _w, distance, number in process.extract(
            word, index.vocab, scorer=OSA.distance, score_cutoff=limit, limit=None
        ):
            if number not in tiers:
                tiers[number] = ONE_TYPO if distance <= 1 else TWO_TYPOS
    return list(tiers.items())


def _text_matches(
    index: SearchIndex, term: Term, matched: dict[int, set[str]], within: dict[int, int] | None = None
) -> dict[int, int]:
    """Best score per record for one text term; records the words that matched, by field."""
    if term.phrase:
        return _phrase_matches(index, term, matched)
    best: dict[int, int] = {}
    fields = term.fields
    tiers = _word_tiers(index, term.words[0], fuzzy=not term.exclude)
    if term.exclude:  # exclude what plainly says the word, never what merely resembles it
        tiers = [(n, tier) for n, tier in tiers if tier >= PREFIX]
    for number, tier in tiers:
        word = index.vocab[number]
        for p in index.postings_of(number):
            f = (p >> POSITION_BITS) & _FIELD_MASK
            if f not in fields:
                continue
            r = p >> RECORD_SHIFT
            if within is not None and r not in within:
                continue
            score = tier - FIELD_PENALTY.get(f, 0)
            if score > best.get(r, -1):
                best[r] = score
            matched.setdefault(f, set()).add(word)
    return best


def _phrase_matches(index: SearchIndex, term: Term, matched: dict[int, set[str]]) -> dict[int, int]:
    """Records holding the words in sequence; an unquoted term's last word may be a prefix."""
    steps: list[dict[int, int]] = []  # per position: word number -> tier
    for i, word in enumerate(term.words):
        last = i == len(term.words) - 1
        numbers = index.words_starting(word) if last and not term.quoted else []
        tiers = {n: (EXACT if index.vocab[n] == word else PREFIX) for n in numbers}
        exact = index.word_number(word)
        if exact is not None:
            tiers[exact] = EXACT
        if not tiers:
            return {}
        steps.append(tiers)
    found = _sequences(index, [list(s) for s in steps], term.fields)
    best: dict[int, int] = {}
    for first, last_word in found:
        r = first >> RECORD_SHIFT
        f = (first >> POSITION_BITS) & _FIELD_MASK
        score = min(EXACT, steps[-1][last_word]) - FIELD_PENALTY.get(f, 0)
        if score > best.get(r, -1):
            best[r] = score
        words = matched.setdefault(f, set())
        for step in steps[:-1]:
            words.update(index.vocab[n] for n in step)
        words.add(index.vocab[last_word])
    return best


def _sequences(
    index: SearchIndex, steps: list[list[int]], fields: frozenset[int]
) -> list[tuple[int, int]]:
    """Occurrences where a word of ``steps[0]`` is followed by one of ``steps[1]`` and so on.

    Returns ``(posting of the first word, word number at the last step)``.
    """
    later: list[dict[int, int]] = []
    for numbers in steps[1:]:
        at: dict[int, int] = {}
        for n in numbers:
            for p in index.postings_of(n):
                at[p] = n
        later.append(at)
    out = []
    for n in steps[0]:
        for p in index.postings_of(n):
            if (p >> POSITION_BITS) & _FIELD_MASK not in fields:
                continue
            if (p & LAST_POSITION) + len(later) >= LAST_POSITION:
                continue  # beyond the positions the index tells apart
            last_word = n
            for i, at in enumerate(later, 1):
                following = at.get(p + i)
                if following is None:
                    break
                last_word = following
            else:
                out.append((p, last_word))
    return out


# --- the other terms and the shared filters ---------------------------------------------------


def contains_records(index: SearchIndex, needle: str, fields: frozenset[int]) -> set[int]:
    """Records whose folded text in ``fields`` contains ``needle`` (a search key), like ``Filters``."""
    words = needle.split()
    if not words:
        return set(range(index.count))
    vocab = index.vocab
    if len(words) == 1:
        numbers = [n for n, w in enumerate(vocab) if words[0] in w]
        return {p >> RECORD_SHIFT for n in numbers for p in index.postings_of(n)
                if (p >> POSITION_BITS) & _FIELD_MASK in fields}
    steps = [[n for n, w in enumerate(vocab) if w.endswith(words[0])]]
    for middle in words[1:-1]:
        exact = index.word_number(middle)
        steps.append([] if exact is None else [exact])
    steps.append(list(index.words_starting(words[-1])))
    if not all(steps):
        return set()
    return {p >> RECORD_SHIFT for p, _last in _sequences(index, steps, fields)}


def _passes(index: SearchIndex, query: Query, filters: Filters, candidates: Iterable[int]) -> list[int]:
    """The candidates that pass the non-text terms, the exclusions and the filters."""
    keep = list(candidates)
    for term in query.terms:
        if term.kind == "text" and not term.exclude:
            continue
        if term.kind == "text":
            excluded = set(_text_matches(index, term, {}))
            keep = [r for r in keep if r not in excluded]
            continue
        keep = [r for r in keep if _term_holds(index, term, r) != term.exclude]
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
    for needles, fields in ((filters.authors, NAME_FIELDS), (filters.places, _PLACE_FIELDS),
                            (filters.publishers, _PUBLISHER_FIELDS)):
        if needles:
            allowed = set().union(*(contains_records(index, n, fields) for n in needles))
            keep = [r for r in keep if r in allowed]
    return keep


def _term_holds(index: SearchIndex, term: Term, record: int) -> bool:
    if term.kind == "year":
        assert term.years is not None
        return term.years.overlaps(index.year_span(record))
    if term.kind == "type":
        return term.value in index.column("types")[record].split(SEPARATOR)
    return index.column("languages")[record].startswith(term.value)


# --- showing what matched ----------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_WORD_CHARS = re.compile(r"\w")


def highlight_spans(text: str, words: set[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each word of ``text`` whose search key is among ``words``.

    Spans cover whole words as written (script and spelling as in the data),
    without the punctuation around them.
    """
    spans: list[tuple[int, int]] = []
    if not words:
        return spans
    for token in _TOKEN.finditer(text):
        folded = search_key(token.group()).split()
        if not any(w in words for w in folded):
            continue
        inner = [m.start() for m in _WORD_CHARS.finditer(token.group())]
        if inner:
            spans.append((token.start() + inner[0], token.start() + inner[-1] + 1))
    return spans
