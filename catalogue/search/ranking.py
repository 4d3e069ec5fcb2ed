"""Ranked search over an index: exact words first, then prefixes, parts of words, typos.

A record matches a query when it matches every positive text term and no
excluded one, and passes the year/type/language terms and the shared filters.
Each text term is scored by its best match in the record: a whole word (100),
the start of a word (85), a part of a word (75), one typo (60) or two (50),
less a little for minor fields (publisher, place, tags, note).  A record's
score is its weakest term's, so a record that matches every term exactly
always ranks above one that needed a typo.

A letter typed alone matches most of a large catalogue, so no posting is
looked at one at a time in Python: a term's postings are masked by field with
``bytes.translate`` and turned into sets of records a tier and a field class at
a time, and the hits are put in order only as far as they are read (a screen's
page, ``--limit``); their number is known at once.
"""

from __future__ import annotations

import heapq
import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from itertools import accumulate, compress, filterfalse, repeat
from operator import rshift
from typing import NamedTuple, overload

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

Levels = list[tuple[int, set[int]]]  # records by score, best first; each record in one level only


def typos_allowed(word: str) -> int:
    """The fuzzy cut-off: no typo in words under 4 letters, one up to 7, two from 8."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Hit(NamedTuple):
    """A matching record (by its number in the index) and its score, 0–100."""

    number: int
    score: int


class Hits(Sequence[Hit]):
    """The hits of a search, best first, put in order only as far as they are read.

    A broad query matches most of a catalogue while a screen shows a page of it:
    the count is known at once, and a slice such as ``hits[:200]`` orders only
    the records it returns (records that tie are in key order). The groups of
    records it is given, best first, become its own. A ``Hit`` is made as it is
    read: tens of thousands of tuples kept alive would wake the garbage collector.
    """

    def __init__(self, levels: Levels, keys: Sequence[str]) -> None:
        self._pending = [(score, records) for score, records in reversed(levels) if records]  # best last
        self._keys = keys
        self._numbers: list[int] = []  # the hits put in order so far
        self._scores: list[int] = []
        self._count = sum(len(records) for _score, records in self._pending)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> Hit: ...

    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...

    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        if isinstance(i, slice):
            start, stop, step = i.start, i.stop, i.step
            plain = (step is None or step > 0) and all(b is None or b >= 0 for b in (start, stop))
            self._rank(stop if plain and stop is not None else self._count)
            return list(map(_new_hit, zip(self._numbers[i], self._scores[i], strict=True)))
        self._rank(i + 1 if i >= 0 else self._count)
        return Hit(self._numbers[i], self._scores[i])

    def __iter__(self) -> Iterator[Hit]:
        self._rank(self._count)
        return map(_new_hit, zip(self._numbers, self._scores, strict=True))

    def columns(self, stop: int | None = None) -> tuple[list[int], list[int]]:
        """The record numbers and the scores of ``hits[:stop]`` (of every hit without ``stop``, a count
        from 0) as two lists, without a ``Hit`` made for each."""
        wanted = self._count if stop is None else min(stop, self._count)
        self._rank(wanted)
        return self._numbers[:wanted], self._scores[:wanted]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Hits({list(self)!r})"

    def _rank(self, wanted: int) -> None:
        """Put at least the first ``wanted`` hits in order (fewer when there are not so many)."""
        key = self._keys.__getitem__
        while len(self._numbers) < wanted and self._pending:
            score, records = self._pending[-1]
            need = wanted - len(self._numbers)
            if need * 8 < len(records):  # a few of many: pick them, leave the rest for later
                first = heapq.nsmallest(need, sorted(records), key=key)
                records.difference_update(first)
            else:
                first = sorted(sorted(records), key=key)
                self._pending.pop()
            self._numbers.extend(first)
            self._scores.extend(repeat(score, len(first)))


# Hit(number, score) made from a pair in C
_new_hit: Callable[[tuple[int, int]], Hit] = partial(tuple.__new__, Hit)


class Result(NamedTuple):
    """The hits, best first, and the index words that matched, by field (for highlighting)."""

    hits: Sequence[Hit]
    matched: dict[int, set[str]]

    def words_for(self, fields: Iterable[int]) -> set[str]:
        out: set[str] = set()
        for f in fields:
            out |= self.matched.get(f, set())
        return out


def hit_columns(hits: Sequence[Hit], stop: int | None = None) -> tuple[list[int], list[int]]:
    """The record numbers and the scores of ``hits[:stop]`` (all of them without ``stop``), as two lists."""
    if isinstance(hits, Hits):
        return hits.columns(stop)
    shown = hits[:stop] if stop is not None else hits
    return [h.number for h in shown], [h.score for h in shown]


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
    # records by (weakest term's score, sum of the terms' scores): the order of the results
    groups: dict[tuple[int, int], set[int]] | None = None
    for term in sorted(query.positive, key=lambda t: -len("".join(t.words))):  # rarest first
        within = None if groups is None else set().union(*groups.values())
        levels = _term_levels(index, term, matched, within)
        groups = {(s, s): found for s, found in levels} if groups is None else _combine(groups, levels)
        if not groups:
            return Result([], matched)
    filters = filters or Filters()
    keys = index.keys
    if groups is None:
        keep = _passes(index, query, filters, range(index.count))
        return Result(Hits([(EXACT, set(keep))], keys), matched)
    ordered = [(best, found) for (best, _total), found in sorted(groups.items(), key=_best_first)]
    if filters or len(query.terms) > len(query.positive):
        kept = set(_passes(index, query, filters, set().union(*groups.values())))
        ordered = [(best, found & kept) for best, found in ordered]
    return Result(Hits(ordered, keys), matched)


def _best_first(group: tuple[tuple[int, int], set[int]]) -> tuple[int, int]:
    (best, total), _found = group
    return -best, -total


def _combine(groups: dict[tuple[int, int], set[int]], levels: Levels) -> dict[tuple[int, int], set[int]]:
    """The records both in ``groups`` and among a further term's ``levels``, grouped anew."""
    out: dict[tuple[int, int], set[int]] = {}
    for (best, total), found in groups.items():
        for score, records in levels:
            both = found & records
            if both:  # the sum adds each term's score as capped by the terms before it
                weakest = min(best, score)
                key = (weakest, total + weakest)
                if key in out:
                    out[key] |= both
                else:
                    out[key] = both
    return out


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
        for number, distance in sorted(typo_matches(word, index.vocab, limit), key=_by_distance):
            if number not in tiers:
                tiers[number] = ONE_TYPO if distance <= 1 else TWO_TYPOS
    return list(tiers.items())


def _by_distance(match: tuple[int, int]) -> tuple[int, int]:
    return match[1], match[0]


def typo_matches(word: str, vocab: Sequence[str], limit: int) -> list[tuple[int, int]]:
    """``(word number, distance)`` of every word of the sorted ``vocab`` at most ``limit`` edits from
    ``word``: the optimal string alignment distance (insertions, deletions, substitutions and swaps
    of two adjacent letters), what ``rapidfuzz.distance.OSA`` counts (a test compares the two).

    The vocabulary is walked in order as a trie: the rows of the edit-distance table are kept for
    the letters a word shares with the one before it, and every word that starts with a prefix
    already more than ``limit`` edits away is skipped at once (``bisect``). A search pays for the
    few thousand prefixes near the word, less than importing rapidfuzz to scan them all would cost.
    """
    n = len(word)
    swaps: dict[tuple[str, str], set[int]] = {}  # (word[t - 2], word[t - 1]) -> the columns t
    for t in range(2, n + 1):
        swaps.setdefault((word[t - 2], word[t - 1]), set()).add(t)
    rows = [list(range(n + 1))]  # rows[j]: the table's row after the first j letters of ``held``
    held = ""
    found: list[tuple[int, int]] = []
    i, total = 0, len(vocab)
    while i < total:
        candidate = vocab[i]
        shared, most = 0, min(len(held), len(candidate))
        while shared < most and held[shared] == candidate[shared]:
            shared += 1
        del rows[shared + 1:]
        for j in range(shared, len(candidate)):
            letter = candidate[j]
            above = rows[j]
            left = j + 1
            row = [left]
            columns = swaps.get((letter, candidate[j - 1])) if j else None
            if columns is None:
                for diagonal, up, wanted in zip(above, above[1:], word, strict=False):  # above: one longer
                    cost = diagonal if wanted == letter else diagonal + 1
                    if up < cost:
                        cost = up + 1
                    if left < cost:
                        cost = left + 1
                    row.append(cost)
                    left = cost
            else:
                two_above = rows[j - 1]
                for t in range(1, n + 1):
                    diagonal = above[t - 1]
                    cost = diagonal if word[t - 1] == letter else diagonal + 1
                    if above[t] < cost:
                        cost = above[t] + 1
                    if left < cost:
                        cost = left + 1
                    if t in columns and two_above[t - 2] < cost - 1:
                        cost = two_above[t - 2] + 1
                    row.append(cost)
                    left = cost
            rows.append(row)
            if min(row) > limit and min(above) >= limit:
                # every later row is more than ``limit`` too: no word that starts so can match
                held = candidate[:j + 1]
                i = bisect_left(vocab, held + "\U0010ffff", i)
                break
        else:
            held = candidate
            if rows[-1][n] <= limit:
                found.append((i, rows[-1][n]))
            i += 1
    return found


def _term_levels(
    index: SearchIndex, term: Term, matched: dict[int, set[str]] | None, within: set[int] | None = None
) -> Levels:
    """A text term's records by their best score; records the words that matched, by field.

    ``within``: only these records count (the records the terms before it left), for the
    records and for the words marked. Without ``matched``, only which records match is
    wanted (one level). The postings are read word by word (a cached index checks each
    word's) but scored a tier and a field class at a time, with bytes and sets.
    """
    if term.phrase:
        by_score: dict[int, set[int]] = {}
        for r, s in _phrase_matches(index, term, {} if matched is None else matched).items():
            by_score.setdefault(s, set()).add(r)
        return sorted(by_score.items(), reverse=True)
    tiers = _word_tiers(index, term.words[0], fuzzy=not term.exclude)
    if term.exclude:  # exclude what plainly says the word, never what merely resembles it
        tiers = [(n, tier) for n, tier in tiers if tier >= PREFIX]
    by_tier: dict[int, list[int]] = {}
    for number, tier in tiers:
        by_tier.setdefault(tier, []).append(number)
    by_score = {}
    for tier, numbers in by_tier.items():
        chunks = [index.postings_of(n) for n in numbers]
        postings = array(chunks[0].typecode if chunks else "I")
        for chunk in chunks:
            postings.extend(chunk)
        if not postings:
            continue
        fields = postings.tobytes()[_field_byte(postings.itemsize)::postings.itemsize]
        inside = None
        if within is not None:
            inside = bytes(map(within.__contains__, map(rshift, postings, repeat(RECORD_SHIFT))))
        if matched is not None:
            ends = list(accumulate(map(len, chunks)))
            _note_words(index, numbers, ends, fields, term.fields, inside, matched)
        classes = _field_classes(term.fields) if matched is not None else _any_field(term.fields)
        for penalty, table in classes:
            mask = fields.translate(table)
            if inside is not None:
                mask = _both(mask, inside)
            if 1 not in mask:
                continue
            chosen = postings if 0 not in mask else compress(postings, mask)
            records = set(map(rshift, chosen, repeat(RECORD_SHIFT)))
            score = tier - penalty
            if score in by_score:
                by_score[score] |= records
            else:
                by_score[score] = records
    levels: Levels = []
    seen: set[int] = set()
    for score in sorted(by_score, reverse=True):
        new = by_score[score] - seen if seen else by_score[score]
        if new:
            levels.append((score, new))
            seen |= new
    return levels


def _term_records(index: SearchIndex, term: Term) -> set[int]:
    """Every record a text term matches, whatever its score."""
    return set().union(*(records for _score, records in _term_levels(index, term, None)))


def _note_words(
    index: SearchIndex, numbers: list[int], ends: list[int], fields: bytes, wanted: frozenset[int],
    inside: bytes | None, matched: dict[int, set[str]],
) -> None:
    """Add each word to ``matched`` under the fields (of ``wanted``) where it occurs (in records ``inside``).

    ``fields`` holds the field byte of each posting of the words ``numbers``, one after the
    other; word ``numbers[i]``'s end where ``ends[i]`` says.
    """
    shown = fields.translate(_field_table(wanted))
    if inside is not None:
        shown = _either(shown, inside.translate(_OUTSIDE))
    vocab = index.vocab
    start = 0
    for number, end in zip(numbers, ends, strict=True):
        found = set(shown[start:end])
        found.discard(_NOWHERE)
        for f in found:
            matched.setdefault(f, set()).add(vocab[number])
        start = end


_NOWHERE = 0xFF  # in a posting's field byte translated by ``_field_table``: a field not searched
_OUTSIDE = bytes([_NOWHERE] + [0] * 255)  # an ``inside`` flag of 0 becomes "nowhere"


def _field_byte(itemsize: int) -> int:
    """Where, in a posting's bytes, the byte that holds its field lies (in its low bits: the
    position takes whole bytes, ``POSITION_BITS``, and the field fits in the next one)."""
    return POSITION_BITS // 8 if sys.byteorder == "little" else itemsize - 1 - POSITION_BITS // 8


@lru_cache(maxsize=64)
def _field_table(wanted: frozenset[int]) -> bytes:
    """A ``bytes.translate`` table: a posting's field byte to its field, or ``_NOWHERE``."""
    return bytes(b & _FIELD_MASK if b & _FIELD_MASK in wanted else _NOWHERE for b in range(256))


@lru_cache(maxsize=64)
def _field_classes(wanted: frozenset[int]) -> list[tuple[int, bytes]]:
    """``(penalty, table)`` per penalty of the ``wanted`` fields, smallest penalty first: the table
    translates a posting's field byte to 1 when its field is one with that penalty, else 0."""
    penalties = sorted({FIELD_PENALTY.get(f, 0) for f in wanted})
    return [(p, bytes(int(b & _FIELD_MASK in wanted and FIELD_PENALTY.get(b & _FIELD_MASK, 0) == p)
                      for b in range(256))) for p in penalties]


@lru_cache(maxsize=64)
def _any_field(wanted: frozenset[int]) -> list[tuple[int, bytes]]:
    """One class for all the ``wanted`` fields (whether a record matches, not how well)."""
    return [(0, bytes(int(b & _FIELD_MASK in wanted) for b in range(256)))]


def _both(a: bytes, b: bytes) -> bytes:
    """Byte by byte ``a & b`` (of equal length)."""
    return (int.from_bytes(a, "little") & int.from_bytes(b, "little")).to_bytes(len(a), "little")


def _either(a: bytes, b: bytes) -> bytes:
    """Byte by byte ``a | b`` (of equal length)."""
    return (int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(len(a), "little")


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
    """The candidates that pass the non-text terms, the exclusions and the filters.

    A type, language, tag or year test depends on one value of the record; each is decided
    once per distinct value (on one record that has it), not once per record.
    """
    keep = list(candidates)
    for term in query.terms:
        if term.kind == "text" and not term.exclude:
            continue
        if term.kind == "text":
            keep = list(filterfalse(_term_records(index, term).__contains__, keep))
            continue
        keep = _keep_where(keep, _values_for(index, term.kind, keep), partial(_term_passes, index, term))
    if filters.types:
        types = index.column("types")
        keep = _keep_where(keep, _values_for(index, "type", keep),
                           lambda r: any(t in filters.types for t in types[r].split(SEPARATOR)))
    if filters.years:
        keep = _keep_where(keep, _values_for(index, "year", keep),
                           lambda r: any(y.overlaps(index.year_span(r)) for y in filters.years))
    if filters.languages:
        languages = index.column("languages")
        keep = _keep_where(keep, _values_for(index, "language", keep),
                           lambda r: languages[r].startswith(filters.languages))
    if filters.tags:
        tags = index.column("tags")
        keep = _keep_where(keep, _values_for(index, "tag", keep),
                           lambda r: any(t in filters.tags for t in tags[r].split(SEPARATOR)))
    for needles, fields in ((filters.authors, NAME_FIELDS), (filters.places, _PLACE_FIELDS),
                            (filters.publishers, _PUBLISHER_FIELDS)):
        if needles:
            allowed = set().union(*(contains_records(index, n, fields) for n in needles))
            keep = list(filter(allowed.__contains__, keep))
    return keep


def _keep_where(keep: list[int], values: list[Hashable], holds: Callable[[int], bool]) -> list[int]:
    """The records of ``keep`` for which ``holds``, asked once per distinct value (``values[i]``
    is the value of record ``keep[i]`` that decides it), of the last record that has it."""
    verdicts = {value: holds(r) for value, r in dict(zip(values, keep, strict=True)).items()}
    return list(compress(keep, map(verdicts.__getitem__, values)))


_COLUMNS = {"type": "types", "language": "languages", "tag": "tags"}


def _values_for(index: SearchIndex, kind: str, keep: list[int]) -> list[Hashable]:
    """Per record of ``keep``, the value a ``kind`` test reads: a column's cell, or the first and
    last year as the index stores them."""
    if kind != "year":
        return list(map(index.column(_COLUMNS[kind]).__getitem__, keep))
    years = index.years
    firsts, lasts = years[0::2], years[1::2]
    return list(zip(map(firsts.__getitem__, keep), map(lasts.__getitem__, keep), strict=True))


def _term_passes(index: SearchIndex, term: Term, record: int) -> bool:
    return _term_holds(index, term, record) != term.exclude


def _term_holds(index: SearchIndex, term: Term, record: int) -> bool:
    if term.kind == "year":
        assert term.years is not None
        return term.years.overlaps(index.year_span(record))
    if term.kind == "type":
        return term.value in index.column("types")[record].split(SEPARATOR)
    return index.column("languages")[record].startswith(term.value)


# --- showing what matched ----------------------------------------------------------------------

_TOKEN = r"\S+"  # patterns, compiled by ``re`` when a table first highlights (search -f tsv never does)
_WORD_CHARS = r"\w"


def highlight_spans(text: str, words: set[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each word of ``text`` whose search key is among ``words``.

    Spans cover whole words as written (script and spelling as in the data),
    without the punctuation around them.
    """
    spans: list[tuple[int, int]] = []
    if not words:
        return spans
    for token in re.finditer(_TOKEN, text):
        folded, inner = _token_words(token.group())
        if inner is not None and not words.isdisjoint(folded):
            spans.append((token.start() + inner[0], token.start() + inner[1]))
    return spans


@lru_cache(maxsize=1 << 16)
def _token_words(token: str) -> tuple[tuple[str, ...], tuple[int, int] | None]:
    """A token's search keys, and where its word characters start and end (a browser redraws
    the same titles at every key typed, and folding is the slow part)."""
    inner = [m.start() for m in re.finditer(_WORD_CHARS, token)]
    return tuple(search_key(token).split()), (inner[0], inner[-1] + 1) if inner else None
