"""Fuzzing the search index loader: whatever bytes the cache file holds, search answers as with no cache.

A real index file of the shipped catalogue is mutated at random (bytes flipped,
set, cut out, inserted; the file cut short). Damage the checksums catch must
give exactly the answers of a fresh index; a forgery (checksums recomputed over
mutated sections) must never raise and never return anything but the
catalogue's own records. Every example must take well under a second. These
queries touch every section, so damage anywhere must also leave a rewritten,
valid cache file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.search.filters import Filters, YearRange
from catalogue.search.index_file import index_path, open_index
from catalogue.search.query import parse_query
from catalogue.search.ranking import search
from catalogue.store import layout
from catalogue.store.session import init_catalogue

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from conftest import test_cache
from test_index_attacks import assert_cache_valid, decode, encode

QUERIES = [("socialism", Filters()), ('"why socialism"', Filters()), ("socilism -faq", Filters()),
           ("", Filters(types=("pamphlet",), years=(YearRange(2006, 2007),), tags=("book-or-brochure",))),
           ("year:1998 language:ru", Filters())]
FUZZ = settings(max_examples=60, deadline=1000, suppress_health_check=[HealthCheck.too_slow])


def answers(db: Path) -> list[Any]:
    with open_index(db, test_cache()) as index:
        out: list[Any] = []
        for text, filters in QUERIES:
            hits = search(index, parse_query(text), filters).hits
            out.append([(h.score, r["id"]) for h, r in zip(hits, index.fetch([h.number for h in hits]),
                                                            strict=True)])
        out.append(list(index.fetch(range(index.count))))
        return out


class Catalogue:
    """The shipped catalogue in a file of its own, its pristine index file and the fresh answers."""

    def __init__(self, folder: Path) -> None:
        self.db = folder / "fuzz.json"
        init_catalogue(self.db)
        index_path(self.db, test_cache()).unlink(missing_ok=True)
        self.expected = answers(self.db)
        self.index = index_path(self.db, test_cache()).read_bytes()
        self.records = list(layout.parse_records(self.db, self.db.read_bytes()).values())


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    return Catalogue(tmp_path)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "set", "cut", "insert", "truncate"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip" and out:
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and out:
            out[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del out[at:at + draw(st.integers(1, 16))]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del out[at:]
    return bytes(out)


def test_a_mutated_index_answers_as_a_fresh_one(catalogue: Catalogue) -> None:
    @FUZZ
    @given(st.data())
    def run(data: st.DataObject) -> None:
        index_path(catalogue.db, test_cache()).write_bytes(data.draw(mutated(catalogue.index)))
        assert answers(catalogue.db) == catalogue.expected
        assert_cache_valid(catalogue.db)  # rewritten, unless the mutations cancelled out

    run()


def test_a_forged_index_never_raises_nor_invents_records(catalogue: Catalogue) -> None:
    sections = decode(catalogue.index)[1]

    @FUZZ
    @given(st.sampled_from(sorted(sections)), st.data())
    def run(name: str, data: st.DataObject) -> None:
        forged = {**sections, name: bytearray(data.draw(mutated(bytes(sections[name]))))}
        index_path(catalogue.db, test_cache()).write_bytes(encode(decode(catalogue.index)[0], forged))
        got = answers(catalogue.db)
        assert got[-1] == catalogue.records  # reading records by number always reads the right ones
        assert all(record_id in {r["id"] for r in catalogue.records} for hits in got[:-1] for _s, record_id in hits)

    run()
