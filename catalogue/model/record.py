"""The record: a CSL-JSON item plus a few catalogue fields, the limits of a valid one, and reading it.

Records are plain dicts (they are JSON at both edges and there may be 100,000 of
them). What a valid one looks like is checked in ``validation``, the one validator
of every door (import, add, edit, undo, ``check``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

Record = dict[str, Any]

CSL_TYPES = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
})

# The roles socsopr edits and shows; the order is the order of display.
NAME_ROLES: tuple[str, ...] = ("author", "editor", "compiler", "translator")

CSL_NAME_FIELDS = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
    "organizer", "original-author", "performer", "producer", "recipient",
    "reviewed-author", "script-writer", "series-creator", "translator",
})
CSL_DATE_FIELDS = frozenset({
    "accessed", "available-date", "event-date", "issued", "original-date", "submitted",
})
CSL_NUMBER_FIELDS = frozenset({
    "chapter-number", "citation-number", "collection-number", "edition",
    "first-reference-note-number", "issue", "locator", "number", "number-of-pages",
    "number-of-volumes", "page", "page-first", "part", "printing", "section",
    "supplement", "version", "volume",
})
CSL_STRING_FIELDS = frozenset({
    "DOI", "ISBN", "ISSN", "PMCID", "PMID", "URL", "abstract", "annote", "archive",
    "archive-place", "archive_collection", "archive_location", "authority", "call-number",
    "citation-key", "citation-label", "collection-title", "container-title", "container-title-short",
    "dimensions", "division", "event", "event-place", "event-title", "genre",
    "journalAbbreviation", "jurisdiction", "keyword", "language", "medium", "note",
    "original-publisher", "original-publisher-place", "original-title", "part-title",
    "publisher", "publisher-place", "references", "reviewed-genre", "reviewed-title",
    "scale", "shortTitle", "source", "status", "title", "title-short", "volume-title",
    "volume-title-short", "year-suffix",
})
CSL_FIELDS = (
    CSL_NAME_FIELDS | CSL_DATE_FIELDS | CSL_NUMBER_FIELDS | CSL_STRING_FIELDS
    | {"id", "type", "categories", "custom"}
)
# Fields of the catalogue's own, never CSL variables. ``remarks`` are the curator's internal
# remarks ("title as given in the source …"): shown, searched and kept by the json and
# csl-json (``custom``) round trips, never printed in a bibliography, unlike the public ``note``.
# ``titles`` are the parallel titles (translations, the original, romanisations; see ``titles``), kept
# in ``custom`` by csl-json as well: CSL has one ``title`` and ``original-title`` and no languages for them.
# ``aliases`` are the keys of records merged into this one (``socsopr merge``): ``get`` resolves them
# to this record, so ``\cite{old}`` keeps working (biblatex writes them as ``ids``).
# ``conflicts`` are the fields a git merge could not join (``store.merging``): each entry names the
# field and holds the base, ours and theirs values; ``check`` reports them until they are resolved.
CATALOGUE_FIELDS = frozenset({"tags", "added", "modified", "remarks", "titles", "aliases", "conflicts"})
ALL_FIELDS = CSL_FIELDS | CATALOGUE_FIELDS


# --- the limits of a valid record ---------------------------------------------------------
# A key is short ASCII: it is typed on command lines and written into LaTeX sources.
MAX_KEY_LENGTH = 200
# One field's text: far beyond any title or abstract, well short of a file pasted by mistake.
MAX_TEXT_LENGTH = 100_000
# Page counts, volumes, issues and other numbers given as numbers.
MAX_NUMBER = 10**9
# Years of dates: from the first year of our era to next year (announced publications);
# ``check`` flags the implausible ones in between (before printing, in the future).
FIRST_YEAR = 1
# Fields whose text may run over several lines (and hold tabs); every other text is one line.
MULTILINE_FIELDS = frozenset({"note", "abstract", "annote", "remarks"})

class _KeyPattern:
    """What a citation key may be: a letter or digit of any script, then letters, digits,
    combining marks (Devanagari vowel signs, Hebrew points …) and ``_:.+/-``, in Unicode NFC.

    Never a space, comma, brace, ``%``, ``#``, ``~``, backslash, quote or control character: a
    key stands in ``\\cite{…}``, in ``@book{KEY,`` and on the command line as it is. biber reads
    UTF-8 keys; so does TeX Live's BibTeX (8-bit clean). The keys socsopr makes are ASCII.
    Built on first use (the marks' class is computed from the Unicode database, ~10 ms).
    """

    def _regex(self) -> re.Pattern[str]:
        return _key_regex()

    def match(self, key: str) -> re.Match[str] | None:
        if key.isascii():
            return _ASCII_KEY.match(key)
        return self._regex().match(key) if _is_nfc(key) else None

    search = fullmatch = match

    @property
    def pattern(self) -> str:
        return self._regex().pattern


_ASCII_KEY = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_:.+/-]*\Z")


def _is_nfc(text: str) -> bool:
    import unicodedata

    return unicodedata.is_normalized("NFC", text)


@lru_cache(maxsize=1)
def _key_regex() -> re.Pattern[str]:
    import unicodedata

    marks, start = [], None
    for code in range(0x300, 0x20000):  # no marks past the SMP but variation selectors (invisible)
        mark = unicodedata.category(chr(code)) in ("Mn", "Mc", "Me")
        if mark and start is None:
            start = code
        elif not mark and start is not None:
            marks.append(f"\\U{start:08x}-\\U{code - 1:08x}")
            start = None
    if start is not None:
        marks.append(f"\\U{start:08x}-\\U{0x1FFFF:08x}")
    # [^\W_]: a letter or digit of any script (\w is str.isalnum() and the underscore)
    return re.compile(rf"\A[^\W_][\w{''.join(marks)}:.+/-]*\Z")


KEY_PATTERN = _KeyPattern()
PLACE_SEPARATOR = "; "

Problems = list[str]


def now_utc() -> str:
    """The current time as the catalogue writes it: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def days_in_month(year: int, month: int) -> int:
    """How many days a month has (proleptic Gregorian calendar); ``month`` is 1–12."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def next_year() -> int:
    """The last year a date may have: announced publications carry next year's date."""
    return datetime.now(UTC).year + 1


# --- reading records -----------------------------------------------------------------


def year_of(record: Mapping[str, Any]) -> int | None:
    """The first year of ``issued``, if there is one."""
    try:
        year = record["issued"]["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return year if type(year) is int else None


# The end of an open range ("2007–", a serial still published): ``[[2007, 10], [0]]``, the
# form citeproc-js, pandoc's citeproc and Better BibTeX read and print as "2007–".
OPEN_END = [0]


def is_open_range(record: Mapping[str, Any]) -> bool:
    """Whether ``issued`` is a range with no end (``2007–``)."""
    try:
        parts = record["issued"]["date-parts"]
        return len(parts) == 2 and parts[1] == OPEN_END and type(parts[0][0]) is int and parts[0][0] > 0
    except (KeyError, IndexError, TypeError):
        return False


def year_range(record: Mapping[str, Any]) -> tuple[int, int] | None:
    """The first and last year of ``issued`` (equal for a single date; an open range runs to next year)."""
    try:  # (year_of inlined: this runs for every row of every table)
        parts = record["issued"]["date-parts"]
        first = parts[0][0]
    except (KeyError, IndexError, TypeError):
        return None
    if type(first) is not int:
        return None
    try:
        last = parts[1][0]
    except (KeyError, IndexError, TypeError):
        return first, first
    if last == 0:  # an open range: still running
        return first, max(first, next_year())
    return first, last if type(last) is int else first


def year_text(record: Mapping[str, Any]) -> str:
    """``2006``, ``1998–2007`` or ``2007–`` style text for tables; empty when unknown."""
    span = year_range(record)
    if span is None:
        return ""
    first, last = span
    if is_open_range(record):
        return f"{first}–"
    return str(first) if first == last else f"{first}–{last}"


def names(
    record: Mapping[str, Any], roles: Iterable[str] = NAME_ROLES
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(role, name)`` for every name in the given roles, in role order."""
    for role in roles:
        for name in record.get(role) or ():
            yield role, name


def first_name(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """The first author, else editor, else compiler: whoever heads the record."""
    for role in ("author", "editor", "compiler"):
        people = record.get(role)
        if people:  # (it also runs on records not yet validated, to make their keys)
            head = people[0] if isinstance(people, list) else None
            return dict(head) if isinstance(head, dict) else None
    return None


def places(record: Mapping[str, Any]) -> list[str]:
    """The places of publication; several are kept in one CSL string, ``; ``-separated."""
    place = record.get("publisher-place")
    return [p.strip() for p in place.split(";") if p.strip()] if place else []


def join_places(values: Iterable[str]) -> str:
    """The CSL ``publisher-place`` string for several places."""
    return PLACE_SEPARATOR.join(v.strip() for v in values if v.strip())
