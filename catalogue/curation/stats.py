"""The shape of a collection: counts by year, type, place and language, frequent names, totals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from catalogue.model.names import format_gost
from catalogue.model.places import preferred_place
from catalogue.model.record import NAME_ROLES, names, places, year_of
from catalogue.model.translit import search_key

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex

UNKNOWN = "unknown"


@dataclass(frozen=True)
class NameCount:
    """A name, how many records carry it, and in which roles (role -> records)."""

    name: str
    records: int
    roles: dict[str, int]


@dataclass
class Stats:
    records: int = 0
    pages: int = 0
    records_with_pages: int = 0
    by_year: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    by_place: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    names: list[NameCount] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


def _ordered(counter: Counter[str]) -> dict[str, int]:
    """Most frequent first, ties alphabetically; ``unknown`` last."""
    known = sorted(((k, v) for k, v in counter.items() if k != UNKNOWN), key=lambda kv: (-kv[1], kv[0]))
    if UNKNOWN in counter:
        known.append((UNKNOWN, counter[UNKNOWN]))
    return dict(known)


def collect(
    records: Iterable[Mapping[str, Any]], top_names: int = 10, authorities: AuthorityIndex | None = None
) -> Stats:
    """Count a collection. Years are counted by the first year of ``issued``, in year order;
    a type is the ``genre`` where there is one (``leaflet``), else the CSL type; a record with
    several places counts once for each; names are merged across scripts and spellings, and
    with ``authorities`` every name that resolves to one person or organisation counts as it,
    under its preferred form (``Ovsyannikov I.`` and ``Овсянников И. А.`` are one person)."""
    if authorities is not None and not authorities:
        authorities = None
    stats = Stats()
    years: Counter[str] = Counter()
    types: Counter[str] = Counter()
    where: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    name_records: Counter[str] = Counter()
    name_roles: dict[str, Counter[str]] = {}
    shown: dict[str, str] = {}
    for record in records:
        stats.records += 1
        pages = record.get("number-of-pages")
        if isinstance(pages, int) and not isinstance(pages, bool):
            stats.pages += pages
            stats.records_with_pages += 1
        year = year_of(record)
        years[str(year) if year is not None else UNKNOWN] += 1
        types[str(record.get("genre") or record.get("type") or UNKNOWN)] += 1
        for place in places(record) or [UNKNOWN]:
            where[preferred_place(place) if place != UNKNOWN else UNKNOWN] += 1  # Москва, М.: Moscow
        languages[str(record.get("language") or UNKNOWN)] += 1
        seen: set[str] = set()
        for role, name in names(record, NAME_ROLES):
            ident = authorities.resolve(name, record.get("id")) if authorities is not None else None
            if ident is not None:
                assert authorities is not None
                key = "@" + ident  # never a search key: those hold letters, digits and spaces only
                text = format_gost(authorities.authorities[ident]["name"])
            else:
                text = format_gost(name)
                key = search_key(text)
            shown.setdefault(key, text)
            name_roles.setdefault(key, Counter())[role] += 1
            if key not in seen:
                seen.add(key)
                name_records[key] += 1
    known_years = sorted(y for y in years if y != UNKNOWN)
    stats.by_year = {y: years[y] for y in known_years}
    if UNKNOWN in years:
        stats.by_year[UNKNOWN] = years[UNKNOWN]
    stats.by_type = _ordered(types)
    stats.by_place = _ordered(where)
    stats.by_language = _ordered(languages)
    ranked = sorted(name_records, key=lambda k: (-name_records[k], shown[k]))[:top_names]
    stats.names = [
        NameCount(shown[k], name_records[k], {r: name_roles[k][r] for r in NAME_ROLES if name_roles[k][r]})
        for k in ranked
    ]
    return stats


MAX_YEAR_ROWS = 20  # more distinct years than this are shown by decade
MAX_GAP_FILL = 40  # a span of at most this many years shows its empty years too


def year_bins(by_year: Mapping[str, int], max_rows: int = MAX_YEAR_ROWS) -> list[tuple[str, int]]:
    """The rows of a chart by year: every year from the first to the last, empty ones too, when there
    are at most ``max_rows`` distinct years; else decades (``1990s``), empty decades too. Records
    without a year come last (``unknown``)."""
    known = {int(y): n for y, n in by_year.items() if y != UNKNOWN and y.lstrip("-").isdigit()}
    rows: list[tuple[str, int]] = []
    if len(known) > max_rows:
        decades: Counter[int] = Counter()
        for year, n in known.items():
            decades[year // 10 * 10] += n
        rows = [(f"{d}s", decades[d]) for d in range(min(decades), max(decades) + 1, 10)]
    elif known:
        first, last = min(known), max(known)
        span = range(first, last + 1) if last - first < MAX_GAP_FILL else sorted(known)
        rows = [(str(y), known.get(y, 0)) for y in span]
    if UNKNOWN in by_year:
        rows.append((UNKNOWN, by_year[UNKNOWN]))
    return rows
