"""Fuzzing records: whatever JSON arrives, validate answers in sentences; valid records break nothing.

Two strategies. ``json_values`` makes arbitrary JSON (nested, wrong types, huge
numbers and texts, control characters), alone and as the fields of a record;
``valid_records`` makes records the validator must accept.  Everything that
reads records after the door (statistics, sorting, filters, name formatting,
keys, ``check``) is run on valid ones and must never raise.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.curation.checks import check_records
from catalogue.curation.stats import collect
from catalogue.model.duplicates import content_key
from catalogue.model.keys import TakenKeys, base_key, make_key
from catalogue.model.names import (
    display_name,
    family_of,
    format_bibtex,
    format_gost,
    format_gost_inverted,
    initials,
    sort_name,
)
from catalogue.model.record import (
    ALL_FIELDS,
    CSL_NAME_FIELDS,
    CSL_TYPES,
    KEY_PATTERN,
    MAX_KEY_LENGTH,
    MAX_NUMBER,
    NAME_ROLES,
    names,
    year_text,
)
from catalogue.model.sorting import SORT_KEYS, sort_records, sorted_keys
from catalogue.model.validation import validate
from catalogue.search.filters import Filters, name_texts

NEXT_YEAR = datetime.now(UTC).year + 1
FIELDS = sorted(ALL_FIELDS)

# --- arbitrary JSON ---------------------------------------------------------------------------

_SPECIALS = [
    2**63, -(2**63) - 1, 2**64, 10**5000, float("inf"), float("nan"), -0.0, 1e308,
    "x" * 200_000, "\x1b[2J", "\u202e", "\ud800", "a\nb", "2000-02-31", "", " ",
]
# (drawn by index: hypothesis describes a sampled_from by the repr of its values, and
# the repr of a 5,000-digit number raises)
_SPECIAL = st.integers(0, len(_SPECIALS) - 1).map(lambda i: _SPECIALS[i])
_LEAVES = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | _SPECIAL
)
json_values = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4),
    max_leaves=25,
)


def deep(depth: int) -> Any:
    value: Any = "bottom"
    for i in range(depth):
        value = [value] if i % 2 else {"family": value}
    return value


hostile_records = st.one_of(
    json_values,
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=8),
    st.builds(lambda depth, field: {"id": "k", "type": "book", "title": "t", field: deep(depth)},
              st.integers(1, 3000), st.sampled_from(["author", "custom", "issued", "tags"])),
)

# --- valid records ----------------------------------------------------------------------------

_SAFE_CHARACTERS = st.characters(
    exclude_categories=("Cc", "Cs"),  # C0, DEL, C1 controls; lone surrogates
    exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)


def one_line(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(_SAFE_CHARACTERS, min_size=min_size, max_size=max_size)


def filled(max_size: int = 30) -> st.SearchStrategy[str]:
    return one_line(1, max_size).filter(lambda text: bool(text.strip()))


multi_line = st.text(st.one_of(_SAFE_CHARACTERS, st.sampled_from("\n\t")), max_size=60)

person = st.fixed_dictionaries(
    {"family": filled()},
    optional={"given": one_line(), "suffix": one_line(max_size=5),
              "non-dropping-particle": one_line(max_size=5), "dropping-particle": one_line(max_size=5)},
)
organisation = st.fixed_dictionaries({"literal": filled()})
name_lists = st.lists(person | organisation, min_size=1, max_size=3)


def date_parts(day: date, precision: int) -> list[int]:
    return [day.year, day.month, day.day][:precision]


_days = st.dates(min_value=date(1, 1, 1), max_value=date(NEXT_YEAR, 12, 31))
single_date = st.builds(lambda d, p: {"date-parts": [date_parts(d, p)]}, _days, st.integers(1, 3))
date_range = st.builds(
    lambda a, b, p: {"date-parts": [date_parts(min(a, b), p), date_parts(max(a, b), p)]},
    _days, _days, st.integers(1, 3),
)
dates = single_date | date_range | st.fixed_dictionaries({"literal": filled()})
times = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
)

valid_records = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_:.+/-]{0,40}", fullmatch=True),
        "type": st.sampled_from(sorted(CSL_TYPES)),
        "title": filled(60),
    },
    optional={
        "author": name_lists, "editor": name_lists, "compiler": name_lists, "translator": name_lists,
        "issued": dates, "original-date": dates,
        "publisher": one_line(), "publisher-place": one_line(), "container-title": one_line(),
        "genre": one_line(max_size=10), "language": one_line(max_size=8),
        "number-of-pages": st.integers(1, MAX_NUMBER),
        "volume": st.integers(0, MAX_NUMBER) | one_line(max_size=8),
        "note": multi_line, "abstract": multi_line,
        "tags": st.lists(filled(12), max_size=4, unique=True),
        "added": times, "modified": times,
    },
)

# --- the fuzzers ------------------------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_records)
def test_validate_answers_any_json_in_sentences_quickly(value: Any) -> None:
    started = time.perf_counter()
    problems = validate(value)
    assert time.perf_counter() - started < 1
    assert isinstance(problems, list) and all(isinstance(p, str) and p for p in problems)
    assert all(len(p) < 400 for p in problems)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(hostile_records, max_size=5))
def test_check_and_keys_never_crash_on_hostile_records(records: list[Any]) -> None:
    findings = check_records(records)
    assert all(isinstance(f.key, str) and f.problem for f in findings)
    taken = TakenKeys()
    for record in records:
        if isinstance(record, dict):
            key = make_key(record, taken)
            taken.add(key)
            assert KEY_PATTERN.match(key) and len(key) <= MAX_KEY_LENGTH


@settings(max_examples=300)
@given(valid_records)
def test_valid_records_are_valid(record: dict[str, Any]) -> None:
    assert validate(record) == []


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_records, max_size=6), st.sampled_from(sorted(SORT_KEYS)), st.booleans())
def test_readers_never_raise_on_valid_records(records: list[dict[str, Any]], by: str, reverse: bool) -> None:
    stats = collect(records)
    assert stats.records == len(records)
    assert sorted(r["id"] for r in sort_records(records, by, reverse=reverse)) == sorted(r["id"] for r in records)
    assert len(sorted_keys(records, by, reverse=reverse)) == len(records)
    some_name = next((format_gost(n) for r in records for _role, n in names(r)), "x")
    filters = Filters.from_options(
        types=[records[0]["type"]] if records else [], authors=[some_name], years=["1..2000,2001..", "2006"],
        places=["moscow"], publishers=["x"], tags=["a"], languages=["ru"],
    )
    for keep in (filters, Filters.from_options(authors=[some_name]), Filters.from_options(years=["..1500"])):
        assert len(keep.apply(records)) <= len(records)
    findings = check_records(records)
    assert not [f for f in findings if f.check == "invalid"]
    taken = TakenKeys()
    for record in records:
        year_text(record)
        content_key(record)
        name_texts(record, NAME_ROLES)
        key = make_key(record, taken)
        taken.add(key)
        assert validate({**record, "id": key}) == []
        assert base_key(record)
        for role in CSL_NAME_FIELDS & set(record):
            for name in record[role]:
                for show in (display_name, family_of, format_bibtex, format_gost, format_gost_inverted,
                             sort_name):
                    assert isinstance(show(name), str)
                initials(str(name.get("given", "")))
