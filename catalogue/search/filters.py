"""Record filters shared by list, search, export, cite and stats.

Values given for one filter are alternatives (OR); different filters must all
hold (AND).  Text filters compare search keys, so they ignore script, case,
accents and competing romanisations: ``--author Овсянников`` finds Ovsyannikov.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from catalogue.errors import BadQuery
from catalogue.model.record import NAME_ROLES, Record, days_in_month, names, places, year_range

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex

# Names and search keys (with their romanisation tables) are imported only by a filter that
# compares text: `list` without filters, the commonest command, never needs them.

# A year is one to four ASCII digits (never other scripts' digits or superscripts); a date
# (2007-10, 2007-10-05) counts as its year.  A range joins two with "..", an en or em dash,
# or a hyphen between years; ".." may leave either end open.  Commas list alternatives.
# (Compiled when a year is first read: most commands that load the filters read none.)
_DATE = r"([0-9]{1,4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?"
_CLOSED_RANGE = rf"{_DATE}\s*[–—]\s*{_DATE}|([0-9]{{1,4}})\s*-\s*([0-9]{{3,4}})"
_FORMS = "a year or a range like 2006, 2005..2007, 2005-2007, ..2000, 2008.. or a list 2006,2008"


class YearRange(NamedTuple):
    """Inclusive bounds; ``None`` is open."""

    first: int | None
    last: int | None

    def overlaps(self, span: tuple[int, int] | None) -> bool:
        if span is None:
            return False
        lo, hi = span
        return (self.first is None or hi >= self.first) and (self.last is None or lo <= self.last)


class Years(tuple[YearRange, ...]):
    """Alternative year ranges (``2006,2008..2010``): a span matches when it overlaps any."""

    __slots__ = ()

    def overlaps(self, span: tuple[int, int] | None) -> bool:
        return any(years.overlaps(span) for years in self)


def parse_years(text: str, term: str | None = None) -> Years:
    """Comma-separated years and ranges (see ``parse_year_range``); anything else is ``BadQuery``."""
    return Years(parse_year_range(part, term or text) for part in text.split(","))


def parse_year_range(text: str, term: str | None = None) -> YearRange:
    """``2006``, ``2005..2007``, ``2005-2007``, ``2005–2007``, ``..2000`` or ``2008..``; a date such as
    ``2007-10-05`` stands for its year.  Anything else, an impossible date or a range that
    ends before it begins is ``BadQuery`` naming ``term`` (the term as typed) or ``text``."""
    shown = _short(term or text)
    body = text.strip()
    if ".." in body:
        first_text, _dots, last_text = body.partition("..")
        if not first_text.strip() and not last_text.strip():
            raise BadQuery(f"{shown!r} is not {_FORMS}")
        first = _year_of_date(first_text, shown) if first_text.strip() else None
        last = _year_of_date(last_text, shown) if last_text.strip() else None
    elif (match := re.fullmatch(_CLOSED_RANGE, body)) is not None:
        if match.group(7) is not None:  # 2005-2007
            first, last = int(match.group(7)), int(match.group(8))
        else:
            first = _checked_year(match.groups()[0:3], shown)
            last = _checked_year(match.groups()[3:6], shown)
    else:
        first = last = _year_of_date(body, shown)
    if first is not None and last is not None and first > last:
        raise BadQuery(f"{shown!r} is an empty range: {first} is after {last}")
    return YearRange(first, last)


def _short(text: str) -> str:
    """Text to quote in a message: a whole term, unless it runs on (a paste gone wrong)."""
    return text if len(text) <= 60 else text[:60] + "…"


def _year_of_date(text: str, shown: str) -> int:
    match = re.fullmatch(_DATE, text.strip())
    if match is None:
        raise BadQuery(f"{shown!r} is not {_FORMS}")
    return _checked_year(match.groups(), shown)


def _checked_year(parts: tuple[str | None, ...], shown: str) -> int:
    """The year of ``(year, month, day)`` digit strings (month and day may be ``None``)."""
    year = int(parts[0] or "")
    month, day = (int(p) if p is not None else None for p in parts[1:])
    if month is not None and not 1 <= month <= 12:
        raise BadQuery(f"{shown!r} names month {month}, which no year has")
    if month is not None and day is not None and not 1 <= day <= days_in_month(year, month):
        raise BadQuery(f"{shown!r} names {year}-{month:02d}-{day:02d}, a day that does not exist")
    return year


def name_texts(
    record: Mapping[str, Any], roles: Iterable[str] = NAME_ROLES, authorities: AuthorityIndex | None = None
) -> list[str]:
    """Every name of the given roles as text that search keys can be made from; with ``authorities``,
    every form of the authorities those names (and the record's links in those roles) resolve to."""
    from catalogue.model.names import format_gost, sort_name

    roles = tuple(roles)
    out = []
    for _role, name in names(record, roles):
        out.append(sort_name(name))
        if "given" in name:
            out.append(format_gost(name))
    if authorities:
        for ident in dict.fromkeys(i for role, i in authorities.of_record(record, roles) if role in roles):
            out += authorities.texts(ident)
    return out


class NameSource:
    """A catalogue's authorities for the name filters, read only when a filter first compares a name."""

    def __init__(self, load: Callable[[], AuthorityIndex]) -> None:
        self._load = load
        self._index: AuthorityIndex | None = None

    def __call__(self) -> AuthorityIndex:
        if self._index is None:
            self._index = self._load()
        return self._index


def place_tokens(place: str) -> tuple[tuple[str, ...], ...]:
    """The index word of the authority place ``place`` names (``#moscow#``), as a one-word text; none
    for a place the authority does not know."""
    from catalogue.model.places import find_place

    found = find_place(place)
    return ((found.token,),) if found else ()


def place_needles(values: Iterable[str]) -> tuple[str, ...]:
    """What ``--place`` values look for: a form of an authority place stands for the place itself
    (its token: ``М.`` finds Moscow, never Perm), any other text is a search key found inside any
    form of a record's places (``Mosk`` finds Москва)."""
    from catalogue.model.places import find_place

    needles = []
    for value in values:
        place = find_place(value)
        if place is not None:
            needles.append(place.token)
        else:
            needles.extend(_search_keys([value]))
    return tuple(needles)


def place_texts(record: Mapping[str, Any]) -> list[str]:
    """The search keys of every form of a record's places, and their authority tokens."""
    from catalogue.model.places import find_place, place_forms
    from catalogue.model.translit import search_key

    out: list[str] = []
    for place in places(record):
        out.extend(search_key(form) for form in place_forms(place))
        found = find_place(place)
        if found is not None:
            out.append(found.token)
    return out


def _search_keys(texts: Iterable[str]) -> tuple[str, ...]:
    texts = tuple(texts)
    if not texts:
        return ()
    from catalogue.model.translit import search_key

    return tuple(search_key(t) for t in texts)


def _contains(haystacks: Iterable[str], needles: tuple[str, ...], folded: Iterable[str] = ()) -> bool:
    """Whether a needle is in one of the texts, or in one of the texts ``folded`` already."""
    from catalogue.model.translit import search_key

    keys = [*(search_key(h) for h in haystacks), *folded]
    return any(n in k for n in needles for k in keys)


def _authority_keys(record: Mapping[str, Any], roles: Iterable[str], authorities: AuthorityIndex | None
                    ) -> list[str]:
    """The search keys of every form of the authorities a record resolves to in ``roles``."""
    if not authorities:
        return []
    roles = tuple(roles)
    name_roles = [r for r in roles if r != "publisher"]
    idents = dict.fromkeys(i for role, i in authorities.of_record(record, name_roles) if role in roles)
    return [key for ident in idents for key in authorities.keys(ident)]


def _worth_resolving(authorities: AuthorityIndex | None, needles: tuple[str, ...]) -> AuthorityIndex | None:
    """``authorities`` if a form of one of them holds a needle (else no record can match through them)."""
    if not authorities:
        return None
    return authorities if authorities.holds(needles) else None


class Filters(NamedTuple):
    """What ``--type --author --year --place --publisher --tag --language`` ask for."""

    types: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    years: tuple[YearRange, ...] = ()
    places: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    authorities: NameSource | None = None  # names resolve to authorities when given

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
        authorities: Callable[[], AuthorityIndex] | None = None,
    ) -> Filters:
        """Filters from option values as typed; a malformed year is ``BadQuery``. ``authorities``
        loads the catalogue's authorities, read only if an author or publisher filter compares names."""
        return cls(
            types=tuple(t.strip().lower() for t in types),
            authors=_search_keys(authors),
            years=tuple(r for y in years for r in parse_years(y)),
            places=place_needles(places),
            publishers=_search_keys(publishers),
            tags=tuple(t.strip().casefold() for t in tags),
            languages=tuple(lang.strip().lower() for lang in languages),
            authorities=NameSource(authorities) if authorities is not None else None,
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
        names = None
        if self.authorities is not None and (self.authors or self.publishers):
            names = self.authorities()
        if self.authors and not _contains(name_texts(record), self.authors, _authority_keys(
                record, NAME_ROLES, _worth_resolving(names, self.authors))):
            return False
        if self.places and not any(n in k for n in self.places for k in place_texts(record)):
            return False
        return not (
            self.publishers and not _contains([str(record.get("publisher", ""))], self.publishers,
                                              _authority_keys(record, ("publisher",),
                                                              _worth_resolving(names, self.publishers)))
        )

    def apply(self, records: Iterable[Record]) -> list[Record]:
        """The records that pass."""
        if not self:
            return list(records)
        return [r for r in records if self.matches(r)]

    def select(self, records: Iterable[Record]) -> Iterator[Record]:
        """The records that pass, one at a time (for records read one at a time)."""
        return iter(records) if not self else (r for r in records if self.matches(r))
