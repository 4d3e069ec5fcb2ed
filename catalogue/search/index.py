"""The search index: every searchable word of a catalogue folded once, with where it occurs.

An index holds a sorted vocabulary of search keys (``translit.search_key`` words)
and, for each word, its postings: one integer per occurrence packing the record
number, the field (``query.FIELD_NAMES``) and the word's position in that field.
Beside them sit the few plain columns filters need (type, genre, years,
language, tags) and, for an index of a file, where each record's bytes lie in
that file, so a query reads only the records it shows.  ``index_file`` keeps it
on disk between runs.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from catalogue.model.places import place_forms
from catalogue.model.record import Record, places, year_range
from catalogue.model.titles import title_texts
from catalogue.model.translit import search_key
from catalogue.search.filters import name_texts, place_tokens
from catalogue.search.query import (
    AUTHOR,
    COMPILER,
    EDITOR,
    NOTE,
    PLACE,
    PUBLISHER,
    TAGS,
    TITLE,
    TRANSLATOR,
)

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex

POSITION_BITS = 8
FIELD_BITS = 4
RECORD_SHIFT = POSITION_BITS + FIELD_BITS
LAST_POSITION = (1 << POSITION_BITS) - 1  # positions from here on are all stored as this one
NO_YEAR = -(2**31)
_YEAR_LIMIT = 2**31 - 1  # years beyond the column's range are kept at its ends (order is what filters use)
SEPARATOR = "\x1f"  # between the values of one column cell (tags, type and genre)

_ROLE_FIELDS = (("author", AUTHOR), ("editor", EDITOR), ("compiler", COMPILER), ("translator", TRANSLATOR))
# where the forms of an authority a record resolves to are indexed, by the role it has there
# (an issuing body, such as the organisation behind a congress's documents, is searched as an author)
_AUTHORITY_FIELDS = {**dict(_ROLE_FIELDS), "publisher": PUBLISHER, "issuing body": AUTHOR}


class WordFolder:
    """``search_key`` split into words, remembered per text and per whitespace-separated token.

    Folding is the slow part of indexing (romanisation); a catalogue repeats its
    names, places, publishers and words, so each distinct one is folded once.
    """

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, ...]] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        self._names: dict[tuple[tuple[str, Any], ...], list[tuple[str, ...]]] = {}
        self._authorities: dict[str, list[tuple[str, ...]]] = {}
        self._places: dict[str, list[tuple[str, ...]]] = {}

    def __call__(self, text: str) -> tuple[str, ...]:
        found = self._texts.get(text)
        if found is not None:
            return found
        out: list[str] = []
        cache = self._tokens
        for token in text.split():
            words = cache.get(token)
            if words is None:
                words = cache[token] = tuple(search_key(token).split())
            out.extend(words)
        folded = tuple(out)
        if len(text) <= 80:  # short texts (names, places, publishers, tags) recur; long ones rarely
            self._texts[text] = folded
        return folded

    def name(self, name: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """A name's words in both forms the filters compare (``Family Given`` and ``Family I. A.``)."""
        key = tuple(sorted(name.items()))
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = [self(t) for t in name_texts({"author": [name]}, ("author",))]
        return found

    def authority(self, names: AuthorityIndex, ident: str) -> list[tuple[str, ...]]:
        """The words of every form of an authority (folded once per authority)."""
        found = self._authorities.get(ident)
        if found is None:
            found = self._authorities[ident] = [self(t) for t in names.texts(ident)]
        return found

    def place(self, place: str) -> list[tuple[str, ...]]:
        """A place's words under every form of the place authority (``М.``, ``Москва``, ``Moscow``),
        each distinct folding once, then the authority's own token (see ``filters.place_needles``)."""
        found = self._places.get(place)
        if found is None:
            found = self._places[place] = [
                *dict.fromkeys(self(form) for form in place_forms(place)), *place_tokens(place)
            ]
        return found


def folded_fields(
    record: Mapping[str, Any], fold: WordFolder, names: AuthorityIndex | None = None
) -> Iterable[tuple[int, list[tuple[str, ...]]]]:
    """``(field number, folded texts)`` of every searchable field of a record; with ``names``, also
    every form of each authority its names, publisher and links resolve to, in the field of its role."""
    titles = [fold(str(record[f])) for f in ("title", "title-short", "original-title") if record.get(f)]
    if record.get("titles"):  # the parallel titles: translations, the original, romanisations given
        titles += [fold(text) for text in title_texts(record)]
    if titles:
        yield TITLE, titles
    for role, number in _ROLE_FIELDS:
        people = record.get(role)
        if people:
            yield number, [words for person in people for words in fold.name(person)]
    if record.get("publisher"):
        yield PUBLISHER, [fold(str(record["publisher"]))]
    if record.get("publisher-place"):
        yield PLACE, [words for p in places(record) for words in fold.place(p)]
    notes = [fold(str(record[name])) for name in ("note", "remarks") if record.get(name)]
    if notes:
        yield NOTE, notes
    if record.get("tags"):
        yield TAGS, [fold(str(t)) for t in record["tags"]]
    if names:
        by_field: dict[int, list[tuple[str, ...]]] = {}
        for role, ident in dict.fromkeys(names.of_record(record, [r for r, _f in _ROLE_FIELDS])):
            by_field.setdefault(_AUTHORITY_FIELDS[role], []).extend(fold.authority(names, ident))
        yield from by_field.items()


class DamagedIndex(Exception):
    """A part of a cached index proved inconsistent where it was first used: the index must be rebuilt.

    Raised only by an index read from the cache (``index_file``), and caught by
    ``ranking.search``, which has the index repair itself and searches again.
    """


class SearchIndex:
    """What search and filters need of a catalogue, without the records themselves.

    ``fetch`` returns records by number: from memory, or read from the catalogue
    file when the index belongs to one. ``close`` releases the catalogue file an
    index reads from. (A plain class: a dataclass costs a search's start-up a millisecond.)
    """

    def __init__(
        self, *, count: int, vocab: list[str],
        starts: array[int],  # postings of vocab[i] are postings[starts[i]:starts[i+1]]
        postings: array[int],
        years: array[int],  # first, last year of each record; NO_YEAR when unknown
        column_loader: Callable[[str], list[str]], fetcher: Callable[[Sequence[int]], Iterable[Record]],
        _columns: dict[str, list[str]] | None = None, close: Callable[[], None] = lambda: None,
    ) -> None:
        self.count = count
        self.vocab = vocab
        self.starts = starts
        self.postings = postings
        self.years = years
        self.column_loader = column_loader
        self.fetcher = fetcher
        self._columns = {} if _columns is None else _columns
        self.close = close

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def repair(self) -> None:
        """Rebuild a damaged index in place (an index built in memory has nothing to repair)."""

    # --- columns (decoded on first use) ------------------------------------------------

    def column(self, name: str) -> list[str]:
        """``keys``, ``types`` (type and genre), ``languages`` or ``tags`` (case-folded), per record."""
        if name not in self._columns:
            self._columns[name] = self.column_loader(name)
        return self._columns[name]

    @property
    def keys(self) -> list[str]:
        return self.column("keys")

    def fetch(self, numbers: Sequence[int]) -> Iterator[Record]:
        """The records with these numbers, in the order given, one at a time (read while iterated)."""
        return iter(self.fetcher(numbers))

    # --- words ----------------------------------------------------------------------------

    def word_number(self, word: str) -> int | None:
        i = bisect_left(self.vocab, word)
        return i if i < len(self.vocab) and self.vocab[i] == word else None

    def words_starting(self, prefix: str) -> range:
        """Numbers of the words that start with ``prefix`` (the vocabulary is sorted)."""
        lo = bisect_left(self.vocab, prefix)
        hi = bisect_left(self.vocab, prefix + "\uffff", lo)
        return range(lo, hi)

    def postings_of(self, word_number: int) -> array[int]:
        return self.postings[self.starts[word_number]:self.starts[word_number + 1]]

    def year_span(self, record: int) -> tuple[int, int] | None:
        first = self.years[2 * record]
        return None if first == NO_YEAR else (first, self.years[2 * record + 1])


class IndexParts:
    """The parts of an index, built from records read one at a time (``add``), none of them kept."""

    def __init__(self, folder: WordFolder | None = None, names: AuthorityIndex | None = None) -> None:
        self.count = 0
        self._fold = folder or WordFolder()
        self._names = names or None
        self._by_word: dict[str, list[int]] = {}
        self.years = array("i")  # first, last year of each record; NO_YEAR when unknown
        self.columns: dict[str, list[str]] = {"keys": [], "types": [], "languages": [], "tags": []}

    def add(self, rec: Mapping[str, Any]) -> None:
        """Index the next record (numbered in the order added)."""
        self._add_postings(self.count, rec)
        span = year_range(rec)
        if span is None:
            self.years.extend((NO_YEAR, NO_YEAR))
        else:
            first, last = span
            if not (NO_YEAR < first <= _YEAR_LIMIT and NO_YEAR < last <= _YEAR_LIMIT):
                first, last = (max(NO_YEAR + 1, min(y, _YEAR_LIMIT)) for y in span)
            self.years.extend((first, last))
        columns = self.columns
        columns["keys"].append(str(rec.get("id", "")))
        columns["types"].append(f"{rec.get('type', '')}{SEPARATOR}{str(rec.get('genre', '')).lower()}")
        columns["languages"].append(str(rec.get("language", "")).lower())
        columns["tags"].append(SEPARATOR.join(str(t).casefold() for t in rec.get("tags") or ()))
        self.count += 1

    def _add_postings(self, number: int, rec: Mapping[str, Any]) -> None:
        by_word = self._by_word
        base = number << RECORD_SHIFT
        for field_number, texts in folded_fields(rec, self._fold, self._names):
            head = base | (field_number << POSITION_BITS)
            position = 0
            for words in texts:
                for word in words:
                    entry = head | (position if position < LAST_POSITION else LAST_POSITION)
                    found = by_word.get(word)
                    if found is None:
                        by_word[word] = [entry]
                    elif found[-1] != entry:  # the same word twice at the last position: once is enough
                        found.append(entry)
                    position += 1
                position += 1  # a gap, so that a phrase never runs from one name or place into the next

    def postings(self) -> tuple[list[str], array[int], array[int]]:
        """The sorted vocabulary, the start of each word's postings, and the postings."""
        by_word = self._by_word
        vocab = sorted(by_word)
        typecode = "I" if self.count < 1 << (32 - RECORD_SHIFT) else "Q"
        starts = array("Q", [0])
        postings = array(typecode)
        for word in vocab:
            postings.extend(by_word[word])
            starts.append(len(postings))
        return vocab, starts, postings


Progress = Callable[[int, int], None]  # records done, records in all
PROGRESS_EVERY = 2000


def build_index(
    records: Iterable[Record],
    fetcher: Callable[[Sequence[int]], Iterable[Record]] | None = None,
    folder: WordFolder | None = None,
    names: AuthorityIndex | None = None,
    progress: tuple[Progress, int] | None = None,
) -> SearchIndex:
    """An index of records, read once in order; ``fetcher`` reads them again by number (without
    one, the records are kept in memory and returned from there). ``names``: the catalogue's
    authorities, whose forms are indexed with the records that resolve to them. ``progress``:
    a callback told every ``PROGRESS_EVERY`` records how many are done, and how many there are."""
    kept: list[Record] = []
    parts = IndexParts(folder, names)
    tell, total = progress or (None, 0)
    for record in records:
        parts.add(record)
        if fetcher is None:
            kept.append(record)
        if tell is not None and not parts.count % PROGRESS_EVERY:
            tell(parts.count, total)
    vocab, starts, postings = parts.postings()
    columns, years = parts.columns, parts.years

    def from_memory(numbers: Sequence[int]) -> list[Record]:
        return [kept[n] for n in numbers]

    def no_column(name: str) -> list[str]:
        raise KeyError(name)

    return SearchIndex(
        count=parts.count, vocab=vocab, starts=starts, postings=postings, years=years,
        column_loader=no_column, fetcher=fetcher or from_memory, _columns=columns,
    )
