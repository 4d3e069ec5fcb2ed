"""``socsopr check``: everything that looks wrong in a catalogue, as a list of findings.

Each finding names the record, the check that found it and the problem in one
sentence. The checks: the rules of a valid record (``invalid``: the validator every
door applies, so a file edited by hand is reported, never a crash), fields a type
needs, a plausible year, a plausible page count, keys unique ignoring case, likely
duplicates across scripts, names whose parts look swapped, and ``conflict``: fields a git
merge could not join (``store.merging``). With ``gost=True``
also ``gost``: the elements a complete GOST description of the record's kind needs
(``catalogue.gost.completeness``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from catalogue.model.duplicates import DuplicateIndex
from catalogue.model.record import CSL_NAME_FIELDS, KEY_PATTERN, MAX_KEY_LENGTH, OPEN_END
from catalogue.model.validation import validate

EARLIEST_YEAR = 1450  # printing with movable type in Europe
MAX_PAGES = 10_000

# Fields a CSL type needs beyond id, type and title (which the validator requires).
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "article-journal": ("container-title",),
    "article-magazine": ("container-title",),
    "article-newspaper": ("container-title",),
    "chapter": ("container-title",),
    "entry-dictionary": ("container-title",),
    "entry-encyclopedia": ("container-title",),
    "paper-conference": ("container-title",),
    "review-book": ("reviewed-title",),
    "thesis": ("publisher",),
    "webpage": ("URL",),
}
_INITIALS_ONLY = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]?\.?[\s-]*)+$")
_HAS_INITIAL = re.compile(r"(?:^|\s)[A-ZА-ЯЁ][a-zа-яё]?\.(?=\s|$)")


@dataclass(frozen=True)
class Finding:
    """One problem: which record, which check, what is wrong."""

    key: str
    check: str
    problem: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def check_records(
    records: Iterable[object], *, this_year: int | None = None, gost: bool = False
) -> list[Finding]:
    """Every finding for the records, ordered by key and then by check; never an exception.

    One pass: each record is checked and forgotten, so a catalogue read one record
    at a time is never held whole; only keys and what finds duplicates (title, first name, year) are kept.
    A record the validator refuses is reported with its problems (check ``invalid``)
    and skipped by the other checks, which may then rely on its fields' types.
    """
    year_now = this_year or datetime.now(UTC).year
    findings: list[Finding] = []
    by_lower = _KeysByLower()
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)  # lower-cased alias -> (alias, holder)
    works = DuplicateIndex()
    plain_families: set[str | None] = {None}  # family names with no initial in them (None: an organisation)
    for number, item in enumerate(records, 1):
        problems = validate(item)
        if problems:
            key = _shown_key(item, number)
            findings.extend(Finding(key, "invalid", p) for p in problems)
            own = item.get("id") if isinstance(item, Mapping) else None
            if isinstance(own, str) and len(own) <= MAX_KEY_LENGTH and KEY_PATTERN.match(own):
                by_lower.add(own)
            continue
        # valid: a mapping whose id is a citation key, which is then also the key shown
        record: Mapping[str, Any] = item  # type: ignore[assignment]
        key = record["id"]
        by_lower.add(key)
        # each check below is asked only when its field could give a finding: most records give none
        for name in REQUIRED_BY_TYPE.get(record["type"], ()):
            if not record.get(name):
                findings.extend(_required(record, key))
                break
        dates = record["issued"].get("date-parts") if "issued" in record else None
        if dates and (len(dates) != 1 or not EARLIEST_YEAR <= dates[0][0] <= year_now):
            findings.extend(_years(record, key, year_now))
        if record.get("number-of-pages", 0) > MAX_PAGES:
            findings.extend(_pages(record, key))
        roles = CSL_NAME_FIELDS.intersection(record)
        if roles and not _plain_families(record, roles, plain_families):
            findings += _swapped_names(record, key, roles)
        if "conflicts" in record:
            findings.extend(_merge_conflicts(record, key))
        for alias in record.get("aliases") or ():
            aliases[alias.lower()].append((alias, key))
        if gost:
            findings.extend(_gost_elements(record, key))
        works.add(record)
    findings.extend(_key_clashes(by_lower.clashing()))
    findings.extend(_alias_clashes(aliases, by_lower))
    findings.extend(_duplicates(works))
    return sorted(findings, key=lambda f: (f.key.lower(), _ORDER.get(f.check, 9), f.problem))


_ORDER = {"invalid": 0, "conflict": 0, "required": 1, "year": 2, "pages": 3, "key": 4, "names": 5,
          "duplicate": 6, "gost": 7}


def _shown_key(record: object, number: int) -> str:
    """The record's key as a finding names it: its ``id``, or its place when that is no key."""
    own = record.get("id") if isinstance(record, Mapping) else None
    if isinstance(own, str) and own.strip():
        return own if len(own) <= MAX_KEY_LENGTH else own[:MAX_KEY_LENGTH] + "…"
    return f"(record {number}, no key)"


def _required(record: Mapping[str, Any], key: str) -> Iterable[Finding]:
    for name in REQUIRED_BY_TYPE.get(str(record.get("type")), ()):
        if not record.get(name):
            yield Finding(key, "required", f"a {record['type']} needs {name}, which is missing")


def _years(record: Mapping[str, Any], key: str, year_now: int) -> Iterable[Finding]:
    """Years that are possible (the validator allows up to next year) but unlikely for a print."""
    issued = record.get("issued")
    for date in issued.get("date-parts", ()) if issued else ():
        if date == OPEN_END:  # "2007–": the end of a range still open
            continue
        year = date[0]
        if year > year_now:
            yield Finding(key, "year", f"year {year} is in the future")
        elif year < EARLIEST_YEAR:
            yield Finding(key, "year", f"year {year} is before {EARLIEST_YEAR}, earlier than printed books")


def _pages(record: Mapping[str, Any], key: str) -> Iterable[Finding]:
    pages = record.get("number-of-pages")
    if isinstance(pages, int) and not isinstance(pages, bool) and pages > MAX_PAGES:
        yield Finding(key, "pages", f"{pages} pages is more than any one volume holds (over {MAX_PAGES:,})")


def _plain_families(record: Mapping[str, Any], roles: Iterable[str], plain: set[str | None]) -> bool:
    """Whether every name of a valid record in these roles has a family name in ``plain`` (family names
    in which ``_swapped_names`` finds nothing, whatever the given name); if not, its own such ones are
    added, and the answer is no."""
    for role in roles:
        for name in record[role]:
            if name.get("family") not in plain:
                families = {str(each.get("family", "")) for part in roles for each in record[part]}
                plain.update(family for family in families if not family or (
                    not _INITIALS_ONLY.match(family) and not _HAS_INITIAL.search(family)))
                return False
    return True


def _swapped_names(record: Mapping[str, Any], key: str, roles: Iterable[str]) -> list[Finding]:
    """Personal names in these roles whose parts look swapped or hold initials where they should not."""
    found: list[Finding] = []
    for role in sorted(roles):
        people = record[role]
        if not isinstance(people, list):
            continue
        for i, name in enumerate(people, 1):
            if not isinstance(name, dict) or "literal" in name:
                continue
            family, given = str(name.get("family", "")), str(name.get("given", ""))
            trouble = _name_trouble(family, given)
            if trouble is _SWAPPED:
                found.append(Finding(
                    key, "names",
                    f"{role} #{i} has initials {family!r} as family name and {given!r} as given: swapped?",
                ))
            elif trouble is _INITIAL_IN_FAMILY:
                found.append(Finding(key, "names", f"{role} #{i} has initials in the family name {family!r}"))
    return found


_SWAPPED, _INITIAL_IN_FAMILY = "swapped", "initial in family"


@lru_cache(maxsize=65536)  # a catalogue's names recur from record to record
def _name_trouble(family: str, given: str) -> str | None:
    """What looks wrong with a personal name: initials as its family name and a full given name
    (swapped), or an initial inside the family name; None when neither does."""
    if family and _INITIALS_ONLY.match(family) and given and not _INITIALS_ONLY.match(given):
        return _SWAPPED
    if family and _HAS_INITIAL.search(family):
        return _INITIAL_IN_FAMILY
    return None


def _gost_elements(record: Mapping[str, Any], key: str) -> Iterable[Finding]:
    from catalogue.gost.completeness import missing_elements

    for _element, problem in missing_elements(record):
        yield Finding(key, "gost", problem)


def _merge_conflicts(record: Mapping[str, Any], key: str) -> Iterable[Finding]:
    """The fields a git merge could not join (``store.merging``), each with the command that settles it."""
    for entry in record.get("conflicts") or ():
        name = entry["field"]
        if name == "record":
            removed = "ours" if entry.get("ours") == "removed" else "theirs"
            yield Finding(key, "conflict", f"a git merge found the record removed on one side ({removed}) "
                          f"and changed on the other: 'socsopr git resolve {key} record ours|theirs'")
        else:
            yield Finding(key, "conflict", f"a git merge found {name} changed differently on both sides "
                          f"(ours kept): 'socsopr git resolve {key} {name} ours|theirs|base'")


class _KeysByLower:
    """The keys seen, by their lower case: one string each, a list only where keys clash
    (100,000 keys, a handful of clashes)."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}
        self._more: dict[str, list[str]] = {}

    def add(self, key: str) -> None:
        low = key.lower()
        if low in self._first:
            self._more.setdefault(low, [self._first[low]]).append(key)
        else:
            self._first[low] = key

    def get(self, low: str, default: Iterable[str] = ()) -> Iterable[str]:
        """The keys whose lower case is ``low``, in the order they came."""
        if low in self._more:
            return self._more[low]
        return (self._first[low],) if low in self._first else default

    def clashing(self) -> list[list[str]]:
        """The keys of each lower case held by two or more, in the order each case first came."""
        return [self._more[low] for low in self._first if low in self._more] if self._more else []


def _key_clashes(clashing: Iterable[list[str]]) -> Iterable[Finding]:
    for keys in clashing:
        for i, key in enumerate(keys):
            others = ", ".join(k for j, k in enumerate(keys) if j != i)
            yield Finding(key, "key", f"the key clashes with {others} (keys are compared ignoring case)")


def _alias_clashes(
    aliases: Mapping[str, list[tuple[str, str]]], by_lower: _KeysByLower
) -> Iterable[Finding]:
    """An alias (the key of a record merged into another) that is also a key or another record's alias
    (two clones of a catalogue merged in git can bring that about): it would name two records."""
    for low, holders in aliases.items():
        for alias, holder in holders:
            others = [*by_lower.get(low, ()), *(h for _a, h in holders if h != holder)]
            if others:
                yield Finding(holder, "key", f"its alias {alias} also names {', '.join(others)} "
                              "(keys and aliases are compared ignoring case)")


def _duplicates(works: DuplicateIndex) -> Iterable[Finding]:
    for group in works.groups():
        for key in group:
            others = ", ".join(k for k in group if k != key)
            joined = f"'socsopr merge {' '.join(group)}' joins them"
            problem = f"looks like the same work as {others} (title, first name, year); {joined}"
            yield Finding(key, "duplicate", problem)


def findings_as_json(findings: Iterable[Finding]) -> list[dict[str, str]]:
    return [f.to_json() for f in findings]


def records_with_findings(findings: Iterable[Finding]) -> list[str]:
    """The keys that have at least one finding, in order."""
    return list(dict.fromkeys(f.key for f in findings))
