"""The shape of a collection: counts by year, type, place and language, frequent names, totals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from catalogue.model.duplicates import folded_text
from catalogue.model.names import format_gost
from catalogue.model.places import preferred_place
from catalogue.model.record import NAME_ROLES, places, year_of

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
    # One pass that only gathers the values as given (appending is the cheapest step there is);
    # they are counted at the end, and each distinct one (a few hundred places, languages and
    # years, a few thousand names in 100,000 records) turned into what is shown once.
    page_counts: list[Any] = []
    years: list[int | None] = []
    types: list[Any] = []
    given_places: list[Any] = []
    languages: list[Any] = []
    by_role: dict[str, list[str]] = {role: [] for role in NAME_ROLES}  # role -> a key per name
    name_records: list[str] = []  # each name's key once per record that has it
    shown: dict[str, str] = {}
    known: dict[tuple[Any, ...], tuple[str, str]] = {}  # a name's parts -> its key and shown form
    for record in records:
        get = record.get
        page_counts.append(get("number-of-pages"))
        years.append(year_of(record))
        types.append(get("genre") or get("type") or UNKNOWN)
        given_places.append(get("publisher-place") or "")
        languages.append(get("language") or UNKNOWN)
        # a link of the record's own can make a name resolve otherwise (AuthorityIndex.resolve)
        own = get("id")
        linked = authorities is not None and isinstance(own, str) and bool(authorities.links(own))
        here: list[str] = []
        for role in NAME_ROLES:
            people = get(role)
            if not people:
                continue
            role_keys = by_role[role]
            for name in people:
                if linked:
                    parts = None
                elif len(name) == 2 and "family" in name and "given" in name:  # most names: one tuple
                    parts = (name["family"], name["given"])
                else:
                    parts = (None, *name.items())  # never a pair of family and given
                try:
                    found = known.get(parts) if parts is not None else None
                except TypeError:  # a part that is no JSON value: never remembered
                    found = parts = None
                if found is None:  # the first time these parts come, so maybe the first of their key
                    found = _name_key(name, record, authorities)
                    shown.setdefault(*found)
                    if parts is not None:
                        known[parts] = found
                role_keys.append(found[0])
                here.append(found[0])
        if len(here) == 1:
            name_records += here
        elif here:
            name_records += set(here)
    stats.records = len(years)
    for pages in page_counts:
        if isinstance(pages, int) and not isinstance(pages, bool):
            stats.pages += pages
            stats.records_with_pages += 1
    name_count = Counter(name_records)
    role_counts = {role: Counter(keys) for role, keys in by_role.items()}
    where: Counter[str] = Counter()
    for given, count in Counter(given_places).items():
        for place in places({"publisher-place": given}) or [UNKNOWN]:
            where[preferred_place(place) if place != UNKNOWN else UNKNOWN] += count  # Москва, М.: Moscow
    by_year = {str(year) if year is not None else UNKNOWN: count for year, count in Counter(years).items()}
    known_years = sorted(y for y in by_year if y != UNKNOWN)
    stats.by_year = {y: by_year[y] for y in known_years}
    if UNKNOWN in by_year:
        stats.by_year[UNKNOWN] = by_year[UNKNOWN]
    stats.by_type = _ordered(Counter(map(str, types)))
    stats.by_place = _ordered(where)
    stats.by_language = _ordered(Counter(map(str, languages)))
    ranked = sorted(name_count, key=lambda k: (-name_count[k], shown[k]))[:top_names]
    stats.names = [
        NameCount(shown[k], name_count[k], {r: role_counts[r][k] for r in NAME_ROLES if role_counts[r][k]})
        for k in ranked
    ]
    return stats


def _name_key(
    name: dict[str, Any], record: Mapping[str, Any], authorities: AuthorityIndex | None
) -> tuple[str, str]:
    """The key a name is counted under and the form it is shown in: its authority's where it resolves to
    one, else its own, merged across scripts and spellings by the search key."""
    ident = authorities.resolve(name, record.get("id")) if authorities is not None else None
    if ident is not None:
        assert authorities is not None
        # never a search key: those hold letters, digits and spaces only
        return "@" + ident, format_gost(authorities.authorities[ident]["name"])
    text = format_gost(name)
    return folded_text(text), text


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
