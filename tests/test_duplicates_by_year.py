"""Catalogue.likely_duplicates looks only at records whose bytes hold the year, and finds what a look at
every record finds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.model.duplicates import DuplicateIndex
from catalogue.model.record import next_year
from catalogue.store import layout
from catalogue.store.files import atomic_write

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate

RECORDS = dict(sorted(generate(400, seed=21).items()))


def _every_record(records: dict[str, Any], record: dict[str, Any]) -> list[str]:
    return DuplicateIndex(records.values()).matches(record)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=st.integers(0, 399), year=st.one_of(st.none(), st.integers(1890, next_year())),  # a later year is invalid
       changed=st.booleans())
def test_the_same_matches_as_looking_at_every_record(tmp_path_factory: Any, pick: int, year: int | None,
                                                    changed: bool) -> None:
    path = tmp_path_factory.mktemp("dup") / "c.json"
    atomic_write(path, layout.dump_records(RECORDS))
    like = dict(list(RECORDS.values())[pick])
    like.pop("id")
    if year is not None:
        like["issued"] = {"date-parts": [[year]]}
    records = dict(RECORDS)
    with Catalogue.open(path, writable=True) as cat:
        if changed:  # a record changed in this session is looked at as it is now
            key = next(iter(RECORDS))
            records[key] = {**RECORDS[key], "title": like.get("title", ""), "issued": like.get("issued", {})}
            cat.update(key, records[key])
            records[key] = cat.get(key)
        assert sorted(cat.likely_duplicates(like)) == sorted(_every_record(records, like))
