"""A damaged or forged search index cache is never trusted: every search answers as with no cache.

Each attack writes a cache file for the test's catalogue, then checks that every
query (text, phrase, typo, exclusion, filters on every column) and reading every
record give exactly what a freshly built index gives, and that once used the
cache file is rewritten valid. Attacks with stale checksums test the checksums;
"forged" attacks recompute them, so the structural checks alone must catch them.
(A forgery consistent in every checksum and every structural rule is an index
like any other: nothing short of rebuilding could tell it apart.)
"""

from __future__ import annotations

import os
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import xxhash
from conftest import test_cache

from catalogue import Catalogue
from catalogue.search import index_file
from catalogue.search.filters import Filters, YearRange
from catalogue.search.index import NO_YEAR, POSITION_BITS, RECORD_SHIFT
from catalogue.search.index_file import MAGIC, CachedIndex, identity, index_path, open_index
from catalogue.search.query import parse_query
from catalogue.search.ranking import search
from catalogue.store import layout

QUERIES: list[tuple[str, Filters]] = [
    ("socialism", Filters()),
    ("ovsyannikov", Filters()),
    ('"why socialism"', Filters()),
    ("socilism", Filters()),
    ("congress -third", Filters()),
    ("year:1998", Filters()),
    ("", Filters(types=("pamphlet",), years=(YearRange(2006, 2007),))),
    ("", Filters(tags=("leaflet",), languages=("ru",))),
    ("", Filters.from_options(authors=["Овсянников"], places=["Moscow"])),
]
EVERY_RECORD = ("<every record>", Filters())

Sections = dict[str, bytearray]
Attack = Callable[[dict[str, Any], Sections], bytes]


# --- the cache file taken apart and put together -----------------------------------------------


def decode(data: bytes) -> tuple[dict[str, Any], Sections]:
    eol = data.index(b"\n", len(MAGIC))
    header = orjson.loads(data[len(MAGIC) + 9:eol])
    sections: Sections = {}
    at = eol + 1
    for name, _kind, length, _crc in header["sections"]:
        sections[name] = bytearray(data[at:at + length])
        at += length
    return header, sections


def encode(header: dict[str, Any], sections: Sections, fix: bool = True) -> bytes:
    """The file; ``fix`` recomputes each section's length and checksum (a forgery, not damage)."""
    if fix:
        for entry in header["sections"]:
            entry[2], entry[3] = len(sections[entry[0]]), xxhash.xxh3_64_intdigest(sections[entry[0]])
    head = orjson.dumps(header)
    return MAGIC + b"%08x " % zlib.crc32(head) + head + b"\n" + b"".join(sections[e[0]] for e in header["sections"])


def as_array(sections: Sections, name: str, typecode: str) -> array[int]:
    out = array(typecode)
    out.frombytes(sections[name])
    return out


def word_number(sections: Sections, word: str) -> int:
    return list(orjson.loads(sections["vocab"])).index(word)


# --- answers --------------------------------------------------------------------------------------


def answer(index: Any, query: tuple[str, Filters]) -> list[Any]:
    text, filters = query
    if query is EVERY_RECORD:
        return list(index.fetch(range(index.count)))
    hits = search(index, parse_query(text), filters).hits
    return [(h.score, r) for h, r in zip(hits, index.fetch([h.number for h in hits]), strict=True)]


def answers(db: Path, queries: list[tuple[str, Filters]]) -> list[list[Any]]:
    with open_index(db, test_cache()) as index:
        return [answer(index, q) for q in queries]


def assert_cache_valid(db: Path) -> None:
    """The cache file passes every check, eager and lazy, without a repair."""
    with open(db, "rb") as handle:
        where = index_path(db, test_cache())
        index = index_file._parse(where.read_bytes(), identity(db, os.fstat(handle.fileno())), handle, where)
        assert isinstance(index, CachedIndex)

        def no_repair() -> None:
            raise AssertionError("the rewritten cache needed a repair")

        index.repair = no_repair  # type: ignore[method-assign]
        for word in range(len(index.vocab)):
            index.postings_of(word)
        for record in range(index.count):
            index.year_span(record)
        for name in ("keys", "types", "languages", "tags"):
            assert len(index.column(name)) == index.count
        assert list(index.fetch(range(index.count))) == list(layout.parse_records(db, db.read_bytes()).values())


@pytest.fixture
def pristine(shipped: Catalogue, db_path: Path) -> tuple[bytes, list[list[Any]]]:
    """A valid cache file of the shipped catalogue, and the answers of a freshly built index."""
    expected = []
    for query in [*QUERIES, EVERY_RECORD]:
        index_path(db_path, test_cache()).unlink(missing_ok=True)
        expected += answers(db_path, [query])
    assert all(expected), "every query finds something, or the test proves little"
    return index_path(db_path, test_cache()).read_bytes(), expected


def check(db: Path, tampered: bytes, expected: list[list[Any]]) -> None:
    cache = index_path(db, test_cache())
    for query, wanted in zip([*QUERIES, EVERY_RECORD], expected, strict=True):
        cache.write_bytes(tampered)
        assert answers(db, [query]) == [wanted], query
    cache.write_bytes(tampered)
    assert answers(db, [*QUERIES, EVERY_RECORD]) == expected  # all through one index
    assert_cache_valid(db)


def attack(pristine: tuple[bytes, list[list[Any]]], db: Path, how: Attack) -> None:
    header, sections = decode(pristine[0])
    check(db, how(header, sections), pristine[1])


# --- damage: the checksums catch it ---------------------------------------------------------------

SECTION_NAMES = ["vocab", "keys", "types", "languages", "tags", "starts", "postings", "years", "spans"]


@pytest.mark.parametrize("name", SECTION_NAMES)
@pytest.mark.parametrize("where", [0.0, 0.5, 1.0])
def test_a_flipped_byte_in_any_section(pristine: Any, db_path: Path, name: str, where: float) -> None:
    def flip(header: dict[str, Any], sections: Sections) -> bytes:
        body = sections[name]
        body[min(int(len(body) * where), len(body) - 1)] ^= 0x20
        return encode(header, sections, fix=False)

    attack(pristine, db_path, flip)


@pytest.mark.parametrize("keep", [0, 10, len(MAGIC), len(MAGIC) + 5, 0.3, 0.6, 0.9, -1])
def test_a_truncated_file(pristine: Any, db_path: Path, keep: float) -> None:
    data = pristine[0]
    cut = int(len(data) * keep) if isinstance(keep, float) else keep if keep >= 0 else len(data) - 1
    check(db_path, data[:cut], pristine[1])


@pytest.mark.parametrize("damage", ["appended", "header byte", "header crc", "no newline", "magic"])
def test_damage_around_the_sections(pristine: Any, db_path: Path, damage: str) -> None:
    data = bytearray(pristine[0])
    eol = data.index(b"\n", len(MAGIC))
    if damage == "appended":
        data += b"\0" * 8
    elif damage == "header byte":
        data[eol - 20] ^= 0x01
    elif damage == "header crc":
        data[len(MAGIC)] ^= 0x01
    elif damage == "no newline":
        data = data[:eol]
    else:
        data[0] ^= 0x01
    check(db_path, bytes(data), pristine[1])


# --- forged headers: valid checksum, wrong types and values --------------------------------------

HEADER_FORGERIES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "not an object": lambda h: [h],
    "version as text": lambda h: {**h, "version": str(h["version"])},
    "byteorder": lambda h: {**h, "byteorder": 1},
    "source as text": lambda h: {**h, "source": "x"},
    "source of another file": lambda h: {**h, "source": {**h["source"], "ino": h["source"]["ino"] + 1}},
    "fold": lambda h: {**h, "fold": None},
    "count as text": lambda h: {**h, "count": str(h["count"])},
    "count negative": lambda h: {**h, "count": -1},
    "count true": lambda h: {**h, "count": True},
    "count fraction": lambda h: {**h, "count": 17.5},
    "count huge": lambda h: {**h, "count": 2**63 - 1},
    "count one more": lambda h: {**h, "count": h["count"] + 1},
    "count one less": lambda h: {**h, "count": h["count"] - 1},
    "built_ns as text": lambda h: {**h, "built_ns": "now"},
    "built_ns missing": lambda h: {k: v for k, v in h.items() if k != "built_ns"},
    "hash as number": lambda h: {**h, "hash": 5},
    "sections as text": lambda h: {**h, "sections": "vocab"},
    "sections as object": lambda h: {**h, "sections": {"vocab": 1}},
    "section as text": lambda h: {**h, "sections": ["vocab", *h["sections"][1:]]},
    "section too short": lambda h: {**h, "sections": [h["sections"][0][:3], *h["sections"][1:]]},
    "section name a number": lambda h: {**h, "sections": [[1, *h["sections"][0][1:]], *h["sections"][1:]]},
    "section length as text": lambda h: {**h, "sections": [[*h["sections"][0][:2], "9", 0],
                                                            *h["sections"][1:]]},
    "section length negative": lambda h: {**h, "sections": [[*h["sections"][0][:2], -1, 0], *h["sections"][1:]]},
    "section length huge": lambda h: {**h, "sections": [[*h["sections"][0][:2], 2**40, 0], *h["sections"][1:]]},
    "crc as fraction": lambda h: {**h, "sections": [[*h["sections"][0][:3], 0.5], *h["sections"][1:]]},
    "section missing": lambda h: {**h, "sections": h["sections"][1:]},
    "section twice": lambda h: {**h, "sections": [h["sections"][0], *h["sections"]]},
    "unknown section": lambda h: {**h, "sections": [*h["sections"], ["extra", "json", 0, 0]]},
    "unknown typecode": lambda h: {**h, "sections": [[n, "d" if n == "years" else k, ln, c]
                                                     for n, k, ln, c in h["sections"]]},
    "array as json": lambda h: {**h, "sections": [[n, "json" if n == "starts" else k, ln, c]
                                                  for n, k, ln, c in h["sections"]]},
    "json as array": lambda h: {**h, "sections": [[n, "Q" if n == "vocab" else k, ln, c]
                                                  for n, k, ln, c in h["sections"]]},
    "kind a list": lambda h: {**h, "sections": [[n, ["I"] if n == "postings" else k, ln, c]
                                                for n, k, ln, c in h["sections"]]},
}


@pytest.mark.parametrize("forgery", list(HEADER_FORGERIES))
def test_a_forged_header(pristine: Any, db_path: Path, forgery: str) -> None:
    def forge(header: dict[str, Any], sections: Sections) -> bytes:
        head = orjson.dumps(HEADER_FORGERIES[forgery](header))
        body = b"".join(sections[e[0]] for e in header["sections"])
        return MAGIC + b"%08x " % zlib.crc32(head) + head + b"\n" + body

    attack(pristine, db_path, forge)


# --- forged sections: checksums recomputed, the structure is wrong --------------------------------


def _postings(first: Callable[[int, int], int]) -> Attack:
    """Replace the first posting of the word ``socialism`` with ``first(posting, count)``."""
    def forge(header: dict[str, Any], sections: Sections) -> bytes:
        kind = next(k for n, k, _l, _c in header["sections"] if n == "postings")
        postings, starts = as_array(sections, "postings", kind), as_array(sections, "starts", "Q")
        at = starts[word_number(sections, "socialism")]
        postings[at] = first(postings[at], header["count"])
        sections["postings"] = bytearray(postings.tobytes())
        return encode(header, sections)
    return forge


def _array_edit(name: str, typecode: str, edit: Callable[[array[int], int], object]) -> Attack:
    def forge(header: dict[str, Any], sections: Sections) -> bytes:
        values = as_array(sections, name, typecode)
        edit(values, header["count"])
        sections[name] = bytearray(values.tobytes())
        return encode(header, sections)
    return forge


def _json_edit(name: str, edit: Callable[[Any], Any]) -> Attack:
    def forge(header: dict[str, Any], sections: Sections) -> bytes:
        sections[name] = bytearray(orjson.dumps(edit(orjson.loads(sections[name]))))
        return encode(header, sections)
    return forge


def _raw(name: str, body: bytes) -> Attack:
    def forge(header: dict[str, Any], sections: Sections) -> bytes:
        sections[name] = bytearray(body)
        return encode(header, sections)
    return forge


def _set(values: array[int], at: int, value: int) -> array[int]:
    values[at] = value
    return values


def _swap(values: array[int], i: int, j: int) -> None:
    values[i], values[j] = values[j], values[i]


def _postings_as_wider(header: dict[str, Any], sections: Sections) -> bytes:
    """The postings' bytes read as 64-bit numbers (their typecode changed)."""
    for entry in header["sections"]:
        if entry[0] == "postings":
            entry[1] = "Q"
    body = sections["postings"]
    sections["postings"] = body[: len(body) // 8 * 8]
    starts = as_array(sections, "starts", "Q")
    starts[-1] = len(sections["postings"]) // 8
    for i in range(len(starts)):
        starts[i] = min(starts[i], starts[-1])
    sections["starts"] = bytearray(starts.tobytes())
    return encode(header, sections)


SECTION_FORGERIES: dict[str, Attack] = {
    "posting of a record beyond the count": _postings(lambda p, n: (n << RECORD_SHIFT) | (p & 0xFFF)),
    "posting of the last possible record": _postings(lambda p, n: 0xFFFFFFFF),
    "posting in an unknown field": _postings(lambda p, n: p | (0xF << POSITION_BITS)),
    "postings read as wider numbers": _postings_as_wider,
    "vocab reversed": _json_edit("vocab", lambda v: v[::-1]),
    "vocab with a number": _json_edit("vocab", lambda v: [1, *v[1:]]),
    "vocab with a duplicate": _json_edit("vocab", lambda v: [v[0], *v[:-1]]),
    "vocab one word short": _json_edit("vocab", lambda v: v[:-1]),
    "vocab an object": _json_edit("vocab", lambda v: dict.fromkeys(v, 0)),
    "vocab not json": _raw("vocab", b'["a", '),
    "starts not from zero": _array_edit("starts", "Q", lambda s, n: _set(s, 0, 1)),
    "starts past the postings": _array_edit("starts", "Q", lambda s, n: _set(s, len(s) - 1, s[-1] + 1)),
    "starts decreasing": _array_edit("starts", "Q", lambda s, n: _set(s, 3, s[4] + 1)),
    "starts one short": _array_edit("starts", "Q", lambda s, n: s.pop()),
    "years unpaired": _array_edit("years", "i", lambda y, n: _set(y, 2 * 5, NO_YEAR)),
    "years unpaired the other way": _array_edit("years", "i", lambda y, n: _set(
        y, 2 * next(i for i in range(n) if y[2 * i] == NO_YEAR) + 1, 2000)),
    "years one short": _array_edit("years", "i", lambda y, n: y.pop()),
    "span huge": _array_edit("spans", "q", lambda s, n: _set(s, 1, 2**40)),
    "span negative": _array_edit("spans", "q", lambda s, n: _set(s, 2, -5)),
    "span empty": _array_edit("spans", "q", lambda s, n: _set(s, 5, s[4])),
    "span backwards": _array_edit("spans", "q", lambda s, n: _swap(s, 6, 7)),
    "spans overlapping": _array_edit("spans", "q", lambda s, n: _set(s, 9, s[12])),
    "span of another record": _array_edit("spans", "q", lambda s, n: (_set(s, 8, s[10]), _set(s, 9, s[11]))),
    "span inside a record": _array_edit("spans", "q", lambda s, n: _set(s, 14, s[14] + 3)),
    "last span past the file": _array_edit("spans", "q", lambda s, n: _set(s, len(s) - 1, s[-1] + 1)),
    "spans one pair short": _array_edit("spans", "q", lambda s, n: (s.pop(), s.pop())),
    "spans all zero": _array_edit("spans", "q", lambda s, n: s.__setitem__(slice(None), array("q", [0] * len(s)))),
    "keys one short": _json_edit("keys", lambda k: k[:-1]),
    "keys with a number": _json_edit("keys", lambda k: [*k[:-1], 7]),
    "keys out of order": _json_edit("keys", lambda k: [k[1], k[0], *k[2:]]),
    "keys an object": _json_edit("keys", lambda k: {"keys": k}),
    "types of lists": _json_edit("types", lambda t: [[x] for x in t]),
    "languages not json": _raw("languages", b"\xff\xfe"),
    "tags null": _json_edit("tags", lambda t: None),
}


@pytest.mark.parametrize("forgery", list(SECTION_FORGERIES))
def test_a_forged_section(pristine: Any, db_path: Path, forgery: str) -> None:
    attack(pristine, db_path, SECTION_FORGERIES[forgery])


def test_the_forgeries_are_valid_files_apart_from_what_they_forge(pristine: Any) -> None:
    """Guard for the tests above: an untouched file taken apart and put together is the same file."""
    assert encode(*decode(pristine[0])) == pristine[0]


def test_a_repair_while_records_are_read_rewrites_the_cache(pristine: Any, db_path: Path) -> None:
    """A span found wrong only when its record is read: the output goes on from a rebuilt index."""
    header, sections = decode(pristine[0])
    keys = orjson.loads(sections["keys"])
    third = keys.index(pristine[1][0][2][1]["id"])  # the third hit of "socialism" reads another's bytes
    other = (third + 1) % len(keys)
    index_path(db_path, test_cache()).write_bytes(_array_edit("spans", "q", lambda s, n: (
        _set(s, 2 * third, s[2 * other]), _set(s, 2 * third + 1, s[2 * other + 1])))(header, sections))
    with open_index(db_path, test_cache()) as index:
        hits = search(index, parse_query("socialism")).hits  # searching needs no span
        assert isinstance(index, CachedIndex)
        records = list(index.fetch([h.number for h in hits]))
    assert [(h.score, r) for h, r in zip(hits, records, strict=True)] == pristine[1][0]
    assert_cache_valid(db_path)


def test_a_huge_year_is_indexed_at_the_column_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A year beyond 32 bits once crashed every search of the catalogue holding it."""
    db = tmp_path / "years.json"
    records = {"big": {"id": "big", "type": "book", "title": "Far future", "issued": {"date-parts": [[10**12]]}},
               "low": {"id": "low", "type": "book", "title": "Far past", "issued": {"date-parts": [[-(10**12)]]}}}
    db.write_bytes(layout.dump_records(records))
    for _ in ("built", "cached"):
        with open_index(db, test_cache()) as index:
            assert [index.keys[h.number] for h in search(index, parse_query("far year:3000..")).hits] == ["big"]
            assert [index.keys[h.number] for h in search(index, parse_query("far year:..1000")).hits] == ["low"]
