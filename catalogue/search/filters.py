"""Record filters shared by list, search, export, cite and stats.

Values given for one filter are alternatives (OR); different filters must all
hold (AND).  Text filters compare search keys, so they ignore script, case,
accents and competing romanisations: ``--author Овсянников`` finds Ovsyannikov.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from catalogue.errors import BadQuery
from catalogue.model.record import NAME_ROLES, Record, names, places, year_range

# Names and search keys (with their romanisation tables) are imported only by a filter that
# compares text: `list` without filters, the commonest command, never needs them.

_YEAR_RANGE = re.compile(r"^\s*(-?\d{1,4})?\s*(\.\.)?\s*(-?\d{1,4})?\s*$")


class YearRange(NamedTuple):
    """Inclusive bounds; ``None`` is open."""

    first: int | None
    last: int | None

    def overlaps(self, span: tuple[int, int] | None) -> bool:
        if span is None:
            return False
        lo, hi = span
        return (self.first is None or hi >= self.first) and (self.last is None or lo <= self.last)


def parse_year_range(text: str, term: str | None = None) -> YearRange:
    """``2006``, ``2005..2007``, ``..2000`` or ``2008..``; anything else is ``BadQuery``."""
    match = _YEAR_RANGE.match(text)
    shown = term or text
    if not match or (match.group(1) is None and match.group(3) is None):
        raise BadQuery(f"{shown!r} is not a year or a range like 2005..2007, ..2000 or 2008..")
    first, dots, last = match.groups()
    if not dots:
        if last is not None:
            raise BadQuery(f"{shown!r} is not a year or a range like 2005..2007, ..2000 or 2008..")
        return YearRange(int(first), int(first))
    lo = int(first) if first is not None else None
    hi = int(last) if last is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise BadQuery(f"{shown!r} is an empty range: {lo} is after {hi}")
    return YearRange(lo, hi)


def name_texts(record: Mapping[str, Any], roles: Iterable[str] = NAME_ROLES) -> list[str]:
    """Every name of the given roles as text that search keys can be made from."""
    from catalogue.model.names import format_gost, sort_name

    out = []
    for _role, name in names(record, roles):
        out.append(sort_name(name))
        if "given" in name:
            out.append(format_gost(name))
    return out


def _search_keys(texts: Iterable[str]) -> tuple[str, ...]:
    texts = tuple(texts)
    if not texts:
        return ()
    from catalogue.model.translit import search_key

    return tuple(search_key(t) for t in texts)


def _contains(haystacks: Iterable[str], needles: tuple[str, ...]) -> bool:
    from catalogue.model.translit import search_key

    keys = [search_key(h) for h in haystacks]
    return any(n in k for n in needles for k in keys)


class Filters(NamedTuple):
    """What ``--type --author --year --place --publisher --tag --language`` ask for."""

    types: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    years: tuple[YearRange, ...] = ()
    places: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @classmethod
    def from_options(
        cls,
        *,
        types: Iterable[str] = (),
        authors: Iterable[str] = (),
        years: Iterable[str] = (),
        places: Iterable[str] = (),
        publishers: Iterable[str] = (),
        tags: Iterable[str] = (),
        languages: Iterable[str] = (),
    ) -> Filters:
        """Filters from option values as typed; a malformed year is ``BadQuery``."""
        return cls(
            types=tuple(t.strip().lower() for t in types),
            authors=_search_keys(authors),
            years=tuple(parse_year_range(y) for y in years),
            places=_search_keys(places),
            publishers=_search_keys(publishers),
            tags=tuple(t.strip().casefold() for t in tags),
            languages=tuple(lang.strip().lower() for lang in languages),
        )

    def __bool__(self) -> bool:
        return any((self.types, self.authors, self.years, self.places, self.publishers,
                    self.tags, self.languages))

    def matches(self, record: Mapping[str, Any]) -> bool:
        """Whether a record passes every filter given."""
        if self.types and not (
            record.get("type") in self.types or str(record.get("genre", "")).lower() in self.types
        ):
            return False
        if self.years and not any(y.overlaps(year_range(record)) for y in self.years):
            return False
        if self.languages and not any(
            str(record.get("language", "")).lower().startswith(lang) for lang in self.languages
        ):
            return False
        if self.tags and not any(t.casefold() in self.tags for t in record.get("tags") or ()):
            return False
        if self.authors and not _contains(name_texts(record), self.authors):
            return False
        if self.places and not _contains(places(record), self.places):
            return False
        return not (
            self.publishers and not _contains([str(record.get("publisher", ""))], self.publishers)
        )

    def apply(self, records: Iterable[Record]) -> list[Record]:
        """The records that pass."""
        if not self:
            return list(records)
        return [r for r in records if self.matches(r)]

    def select(self, records: Iterable[Record]) -> Iterator[Record]:
        """The records that pass, one at a time (for records read one at a time)."""
        return iter(records) if not self else (r for r in records if self.matches(r))
