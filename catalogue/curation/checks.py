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
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from catalogue.model.duplicates import groups_of_works, work_key
from catalogue.model.record import CSL_NAME_FIELDS, KEY_PATTERN, MAX_KEY_LENGTH, OPEN_END, next_year
from catalogue.model.validation import validate

if TYPE_CHECKING:
    from catalogue.store.memo import RecordMemo
    from catalogue.store.session import Catalogue

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


class Finding(NamedTuple):
    """One problem: which record, which check, what is wrong."""

    key: str
    check: str
    problem: str

    def to_json(self) -> dict[str, str]:
        return self._asdict()


def check_records(
    records: Iterable[object], *, this_year: int | None = None, gost: bool = False
) -> list[Finding]:
    """Every finding for the records, ordered by key and then by check; never an exception.

    One pass: each record is checked and forgotten, so a catalogue read one record
    at a time is never held whole; only keys and what finds duplicates (``Facts``) are kept.
    A record the validator refuses is reported with its problems (check ``invalid``)
    and skipped by the other checks, which may then rely on its fields' types.
    """
    year_now = this_year or datetime.now(UTC).year
    plain: set[str | None] = {None}  # family names with no initial in them (None: an organisation)
    keys: list[str] = []
    facts: list[Facts] = []
    for item in records:
        value = record_facts(item, year_now, gost, plain)
        keys.append(item["id"] if type(value) is not dict else "")  # type: ignore[index]  # (valid)
        facts.append(value)
    return combine(keys, facts)


CHECKS_VERSION = 1  # of what ``record_facts`` gives: raise it whenever a check changes


def check_catalogue(
    catalogue: Catalogue, cache_dir: Path | None, *, this_year: int | None = None, gost: bool = False
) -> list[Finding]:
    """``check_records`` of every record of an open catalogue: the same findings in the same order.

    A large file in the canonical layout is checked through a memo in ``cache_dir`` (``store.memo``):
    each record's ``Facts`` are remembered by its bytes, so a record unchanged since the last check
    is not parsed again; only the checks across records (``combine``) go over all of them every time.
    """
    from catalogue.store import memo

    year_now = this_year or datetime.now(UTC).year
    raw = catalogue.raw_records() if cache_dir is not None and catalogue.path is not None else None
    if raw is None or len(raw[1]) < memo.MIN_RECORDS:
        return check_records(catalogue.iter_records(), this_year=year_now, gost=gost)
    assert cache_dir is not None and catalogue.path is not None
    from catalogue.store import layout

    data, spans = raw
    path = catalogue.path
    plain: set[str | None] = {None}

    def compute(key: str, span: memo.Raw) -> Facts:
        return record_facts(layout.parse(path, data, key, span), year_now, gost, plain)

    remembered = _memo(cache_dir, path, year_now, gost)
    with layout.collector_paused():  # the memo's values and the findings: many objects, no cycles
        facts = list(remembered.derive(data, spans, compute, facts_are_sound))
        return combine(list(spans), facts)


def _memo(cache_dir: Path, path: Path, year_now: int, gost: bool) -> RecordMemo:
    """The memo of ``check_catalogue``: its version names everything besides a record's bytes that its
    ``Facts`` depend on; --gost has a memo of its own, so that checks with it and without it, in turn,
    do not undo each other's."""
    from catalogue.store.memo import RecordMemo

    # the year twice: the check's (a plausible year) and the clock's (the validator's latest year)
    version = f"{CHECKS_VERSION} {_code_stamp()} year {year_now} {next_year()}{' gost' if gost else ''}"
    return RecordMemo(cache_dir, path, "check-gost" if gost else "check", version)


def _code_stamp() -> str:
    """The modules whose code ``record_facts`` runs (``model``, ``gost``, this one), stamped
    (``memo.code_stamp``): values remembered by other code are not taken, should the checks change
    without ``CHECKS_VERSION``."""
    from pathlib import Path

    from catalogue.store.memo import code_stamp

    here = Path(__file__).resolve()
    return code_stamp([here, here.parent.parent / "model", here.parent.parent / "gost"])


# What the checks take from one record, as JSON (``store.memo`` keeps it between runs):
#   "work"                  a valid record with no finding of its own and no aliases (most records);
#   ["work", found, aliases]  a valid record, its findings as [check, problem] in their order within
#                           the record (``_within_record``), its aliases;
#   {"invalid": problems, "shown": the key a finding shows, or None for the record's place,
#    "key": the key counted among the keys, or None}   a record the validator refuses.
# "work" is ``duplicates.work_key``: title, first name and year, what finds likely duplicates.
Facts = str | list[Any] | dict[str, Any]


def record_facts(item: object, year_now: int, gost: bool, plain: set[str | None]) -> Facts:
    """The findings of one record on its own and what the checks across records need of it (``Facts``).

    ``plain`` holds family names in which ``_swapped_names`` finds nothing: it only spares work, and
    grows as records are checked."""
    problems = validate(item)
    if problems:
        own = item.get("id") if isinstance(item, Mapping) else None
        counted = isinstance(own, str) and len(own) <= MAX_KEY_LENGTH and KEY_PATTERN.match(own)
        return {"invalid": sorted(problems), "shown": _shown_key(own), "key": own if counted else None}
    # valid: a mapping whose id is a citation key, which is then also the key shown
    record: Mapping[str, Any] = item  # type: ignore[assignment]
    key = record["id"]
    found: list[list[str]] = []
    # each check below is asked only when its field could give a finding: most records give none
    for name in REQUIRED_BY_TYPE.get(record["type"], ()):
        if not record.get(name):
            found += [["required", problem] for problem in _required(record)]
            break
    dates = record["issued"].get("date-parts") if "issued" in record else None
    if dates and (len(dates) != 1 or not EARLIEST_YEAR <= dates[0][0] <= year_now):
        found += [["year", problem] for problem in _years(record, year_now)]
    if record.get("number-of-pages", 0) > MAX_PAGES:
        found += [["pages", problem] for problem in _pages(record)]
    roles = CSL_NAME_FIELDS.intersection(record)
    if roles and not _plain_families(record, roles, plain):
        found += [["names", problem] for problem in _swapped_names(record, roles)]
    if "conflicts" in record:
        found += [["conflict", problem] for problem in _merge_conflicts(record, key)]
    if gost:
        found += [["gost", problem] for problem in _gost_elements(record)]
    work = work_key(record)
    aliases = record.get("aliases")
    if not found and not aliases:
        return work
    if len(found) > 1:
        found.sort(key=_within_record)
    return [work, found, list(aliases or ())]


def _within_record(finding: list[str]) -> tuple[int, str]:
    """Where a finding ([check, problem]) goes among those of the same key."""
    return _ORDER.get(finding[0], 9), finding[1]


def combine(keys: list[str], facts: list[Facts]) -> list[Finding]:
    """Every finding, in order, from each record's key and ``Facts`` (in the records' order): its own
    and those across records (keys clashing ignoring case, aliases naming two records, duplicates).

    The key of a record the validator refused is not asked (its facts say what to count).

    Ordered as by key (ignoring case), check and problem, a sort that keeps the order of ties: the
    findings of one record come in that order already, so only the keys are sorted, and the
    findings of a key only where several records or the checks across records meet under it.
    """
    odd = [at for at, value in enumerate(facts) if type(value) is not str]
    works: list[str | None] = facts  # type: ignore[assignment]  # most facts are just the work
    counted = keys
    blocks: dict[str, list[Finding]] = {}  # the findings of each lower-cased key shown
    mixed: set[str] = set()  # the keys whose findings must be sorted
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)  # lower-cased alias -> (alias, holder)
    if odd:
        works = list(works)
        refused = False
        for at in odd:
            value = facts[at]
            if type(value) is list:
                shown = keys[at]
                works[at], found, held = value
                for alias in held:
                    aliases[alias.lower()].append((alias, shown))
                if not found:
                    continue
                findings = [Finding(shown, check, problem) for check, problem in found]
            else:
                invalid: dict[str, Any] = value  # type: ignore[assignment]
                refused = True
                works[at] = None
                shown = invalid["shown"]
                if shown is None:
                    shown = f"(record {at + 1}, no key)"
                findings = [Finding(shown, "invalid", problem) for problem in invalid["invalid"]]
            low = shown.lower()
            if low in blocks:
                blocks[low] += findings
                mixed.add(low)
            else:
                blocks[low] = findings
        if refused:
            counted = [key for key in (value["key"] if type(value) is dict else key
                                       for key, value in zip(keys, facts, strict=True)) if key is not None]
    by_lower = _KeysByLower.of(counted)
    across = [*_key_clashes(by_lower.clashing()), *_alias_clashes(aliases, by_lower),
              *_duplicates(groups_of_works(works, keys))]
    for finding in across:
        low = finding.key.lower()
        blocks.setdefault(low, []).append(finding)
        mixed.add(low)
    ordered: list[Finding] = []
    for low in sorted(blocks):
        ordered += sorted(blocks[low], key=_within_key) if low in mixed else blocks[low]
    return ordered


def _within_key(finding: Finding) -> tuple[int, str]:
    return _ORDER.get(finding.check, 9), finding.problem


def facts_are_sound(value: Any) -> bool:
    """Whether ``value`` has the shape of ``Facts`` (a remembered value may be damaged or hostile)."""
    if type(value) is str:
        return True
    if type(value) is list:
        if len(value) != 3 or type(value[0]) is not str or type(value[1]) is not list:
            return False
        for pair in value[1]:
            if type(pair) is not list or len(pair) != 2 or pair[0] not in _ORDER or type(pair[1]) is not str:
                return False
        return _strings(value[2])
    return (
        type(value) is dict and value.keys() == _INVALID_FIELDS and _strings(value["invalid"])
        and all(value[name] is None or type(value[name]) is str for name in ("shown", "key"))
    )


_INVALID_FIELDS = {"invalid", "shown", "key"}


def _strings(value: Any) -> bool:
    return type(value) is list and all(type(each) is str for each in value)


_ORDER = {"invalid": 0, "conflict": 0, "required": 1, "year": 2, "pages": 3, "key": 4, "names": 5,
          "duplicate": 6, "gost": 7}


def _shown_key(own: object) -> str | None:
    """A record's key as a finding names it, from its ``id``: ``None`` when that is no key (the finding
    then names the record's place)."""
    if isinstance(own, str) and own.strip():
        return own if len(own) <= MAX_KEY_LENGTH else own[:MAX_KEY_LENGTH] + "…"
    return None


def _required(record: Mapping[str, Any]) -> Iterable[str]:
    for name in REQUIRED_BY_TYPE.get(str(record.get("type")), ()):
        if not record.get(name):
            yield f"a {record['type']} needs {name}, which is missing"


def _years(record: Mapping[str, Any], year_now: int) -> Iterable[str]:
    """Years that are possible (the validator allows up to next year) but unlikely for a print."""
    issued = record.get("issued")
    for date in issued.get("date-parts", ()) if issued else ():
        if date == OPEN_END:  # "2007–": the end of a range still open
            continue
        year = date[0]
        if year > year_now:
            yield f"year {year} is in the future"
        elif year < EARLIEST_YEAR:
            yield f"year {year} is before {EARLIEST_YEAR}, earlier than printed books"


def _pages(record: Mapping[str, Any]) -> Iterable[str]:
    pages = record.get("number-of-pages")
    if isinstance(pages, int) and not isinstance(pages, bool) and pages > MAX_PAGES:
        yield f"{pages} pages is more than any one volume holds (over {MAX_PAGES:,})"


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


def _swapped_names(record: Mapping[str, Any], roles: Iterable[str]) -> list[str]:
    """Personal names in these roles whose parts look swapped or hold initials where they should not."""
    found: list[str] = []
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
                found.append(
                    f"{role} #{i} has initials {family!r} as family name and {given!r} as given: swapped?"
                )
            elif trouble is _INITIAL_IN_FAMILY:
                found.append(f"{role} #{i} has initials in the family name {family!r}")
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


def _gost_elements(record: Mapping[str, Any]) -> Iterable[str]:
    from catalogue.gost.completeness import missing_elements

    for _element, problem in missing_elements(record):
        yield problem


def _merge_conflicts(record: Mapping[str, Any], key: str) -> Iterable[str]:
    """The fields a git merge could not join (``store.merging``), each with the command that settles it."""
    for entry in record.get("conflicts") or ():
        name = entry["field"]
        if name == "record":
            removed = "ours" if entry.get("ours") == "removed" else "theirs"
            yield (f"a git merge found the record removed on one side ({removed}) "
                   f"and changed on the other: 'socsopr git resolve {key} record ours|theirs'")
        else:
            yield (f"a git merge found {name} changed differently on both sides "
                   f"(ours kept): 'socsopr git resolve {key} {name} ours|theirs|base'")


class _KeysByLower:
    """The keys seen, by their lower case: one string each, a list only where keys clash
    (100,000 keys, a handful of clashes)."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}
        self._more: dict[str, list[str]] = {}

    @classmethod
    def of(cls, keys: list[str]) -> _KeysByLower:
        """The keys, added in order."""
        found = cls()
        lows = list(map(str.lower, keys))
        found._first = dict(zip(lows, keys, strict=True))
        if len(found._first) < len(keys):  # some clash: added one by one
            found._first = {}
            for key in keys:
                found.add(key)
        return found

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


def _duplicates(groups: Iterable[list[str]]) -> Iterable[Finding]:
    for group in groups:
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
