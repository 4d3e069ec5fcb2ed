"""Sorted ``list`` in one reading (#16) writes what sorting the records and then exporting them writes.

``list --sort … --format tsv`` (and ``ids``) makes each record's line as the file
gives the records and puts the lines in order afterwards (``list_cmd._sorted_lines``), and
every sorted listing orders records by ``sorting.Ordering`` (one text key, year
and type in two stable passes). Both are checked here against the plain form:
``sort_records`` with its tuple keys, then the exporter over the sorted records
— on hostile values (control characters, tabs and line breaks in cells, formula
starts, NUL, ё, values of the wrong type), through the command line on a
canonical file, on one in another layout, and with the cache folder damaged.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import run, test_cache
from hypothesis import given
from hypothesis import strategies as st

from catalogue.formats import export
from catalogue.model.sorting import SORT_KEYS, Ordering, sort_records, sorted_keys
from catalogue.search.filters import Filters
from catalogue.store import layout
from socsopr_cli import console
from socsopr_cli.commands import list_cmd
from socsopr_cli.commands.list_cmd import LINE_PER_RECORD

ORDERS = sorted(SORT_KEYS)
SORT_OPTIONS = {"id": "key", "title": "title", "author": "names", "year": "year", "type": "type"}

# few characters, so that titles, names and years tie often (the sort must be stable) and cells
# hold everything the TSV writer treats apart: tabs, line breaks, formula starts, blanks, controls
_CHARS = list("aZ ёеЁй\u0306«\"'\t\n\r\x0b\x1c\x85\u2028=+-@\0\1\x1b\u202e;, 1")
_TEXT = st.text(st.sampled_from(_CHARS), max_size=5)
_ODD = st.one_of(st.integers(-3, 3), st.booleans(), st.none(), st.lists(_TEXT, max_size=2))
_NAME = st.one_of(
    st.fixed_dictionaries({"family": _TEXT}, optional={"given": _TEXT}),
    st.fixed_dictionaries({"literal": _TEXT}),
    st.fixed_dictionaries({"family": _ODD}),
)
_ISSUED = st.one_of(
    st.builds(lambda y: {"date-parts": [[y]]}, st.integers(-2, 3000)),
    st.builds(lambda y, z: {"date-parts": [[y], [z]]}, st.integers(1990, 1992), st.integers(0, 1993)),
    st.just({"date-parts": [["1999"]]}), st.just({"literal": "c. 1900"}), st.just({"date-parts": []}),
    _TEXT,
)
_RECORD = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(_TEXT, _ODD), "type": st.one_of(st.sampled_from(["book", "article", ""]), _ODD),
        "author": st.one_of(st.lists(_NAME, max_size=2), _ODD), "editor": st.lists(_NAME, max_size=1),
        "compiler": st.lists(_NAME, max_size=1), "issued": _ISSUED, "publisher-place": _TEXT,
        "publisher": _TEXT, "number-of-pages": st.one_of(st.integers(0, 9), _TEXT), "language": _TEXT,
        "tags": st.lists(_TEXT, max_size=2),
    },
)


def _with_keys(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct keys, in key order (as a catalogue file gives its records), some sharing a beginning."""
    for i, record in enumerate(records):
        record["id"] = f"k{i:03d}" + ("\0x" if i % 4 == 1 else "")
    return records


def _plain(
    records: list[dict[str, Any]], by: str, reverse: bool, limit: int | None = None, fmt: str = "tsv"
) -> str:
    """What sorted ``list`` wrote before: the records sorted by the tuple keys, then exported."""
    ordered = sort_records(records, by, reverse=reverse)[:limit]
    return export(ordered, fmt) if ordered else ""


@given(st.lists(_RECORD, max_size=14), st.sampled_from(ORDERS), st.booleans())
def test_ordering_gives_the_order_of_the_tuple_keys(records: list[dict[str, Any]], by: str, reverse: bool) -> None:
    records = _with_keys(records)
    ordering = Ordering(by, reverse=reverse)
    for record in records:
        ordering.add(record)
    expected = [r["id"] for r in sort_records(records, by, reverse=reverse)]
    assert [records[i]["id"] for i in ordering.positions()] == expected
    assert sorted_keys(iter(records), by, reverse=reverse) == expected


@given(st.lists(_RECORD, max_size=14), st.sampled_from(ORDERS), st.booleans(), st.sampled_from(["tsv", "ids"]))
def test_sorted_lines_are_the_export_of_the_sorted_records(
    records: list[dict[str, Any]], by: str, reverse: bool, fmt: str
) -> None:
    records = _with_keys(records)
    written: list[str] = []
    real = console.write_data
    console.write_data = written.append  # type: ignore[assignment]  # (a fixture would outlive an example)
    try:
        expected: object = (_plain(records, by, reverse, fmt=fmt), len(records))  # never the slower way round
    except Exception:  # a value the exporter cannot take (a name that is not a mapping …): the
        expected = Exception  # fast path fails too, maybe at another record, as it meets them in another order
    try:
        shown = list_cmd._sorted_lines(iter(records), Filters(), by, reverse, fmt)
        got: object = ("".join(written), shown)
    except Exception:
        got = Exception
    finally:
        console.write_data = real
    assert got == expected


def test_a_key_with_a_line_break_is_listed_the_plain_way() -> None:
    records = [{"id": "a\nb", "title": "B"}, {"id": "c", "title": "A"}]
    written: list[str] = []
    real = console.write_data
    console.write_data = written.append  # type: ignore[assignment]
    try:
        assert list_cmd._sorted_lines(iter(records), Filters(), "title", False, "ids") == -1
        assert list_cmd._sorted_lines(iter(records), Filters(), "title", False, "tsv") == 2
    finally:
        console.write_data = real
    assert written == [_plain(records, "title", False)]


def _hostile_catalogue(count: int, seed: int) -> list[dict[str, Any]]:
    """Records as an archivist's catalogue may hold them after hand edits: odd values everywhere."""
    rng = random.Random(seed)

    def text() -> str:
        return "".join(rng.choice([*_CHARS, "Москва", "ёлка", "Émile", "=SUM(A1)", "van "]) for _ in range(4))

    records = []
    for i in range(count):
        record: dict[str, Any] = {"id": f"r{i:05d}", "type": rng.choice(["book", "article-journal", "chapter"])}
        if rng.random() < 0.9:
            record["title"] = text() if rng.random() < 0.95 else rng.randint(0, 5)
        if rng.random() < 0.8:
            record["author"] = [{"family": text(), "given": text()} if rng.random() < 0.8 else {"literal": text()}
                                for _ in range(rng.randint(1, 3))]
        elif rng.random() < 0.5:
            record["editor"] = [{"family": text()}]
        if rng.random() < 0.85:
            record["issued"] = {"date-parts": [[rng.randint(1900, 1905)]]} if rng.random() < 0.9 else {"literal": text()}
        for field in ("publisher-place", "publisher", "language"):
            if rng.random() < 0.5:
                record[field] = text()
        if rng.random() < 0.2:
            record["tags"] = [text()]
        records.append(record)
    return records


def _cli(*args: str) -> str:
    code, out, err = run("list", *args)
    assert code == 0, err
    return out


@pytest.mark.parametrize("by", ORDERS)
def test_sorted_list_through_the_command_line_on_both_layouts(db_path: Path, by: str) -> None:
    records = _hostile_catalogue(300, seed=len(by))
    canonical = layout.dump_records({r["id"]: r for r in records})
    other = json.dumps({"format": "socsopr-catalogue", "records": {r["id"]: r for r in reversed(records)},
                        "version": 1}, indent=1, ensure_ascii=True).encode()
    for data in (canonical, other):
        db_path.write_bytes(data)
        for reverse in ((), ("--reverse",)):
            expected = _plain(records, by, bool(reverse))
            assert _cli("--sort", SORT_OPTIONS[by], "--format", "tsv", *reverse) == expected
        assert _cli("--sort", SORT_OPTIONS[by], "-f", "tsv", "-n", "250") == _plain(records, by, False, 250)
        assert _cli("--sort", SORT_OPTIONS[by], "-f", "tsv", "-n", "7") == _plain(records, by, False, 7)
        assert _cli("--sort", SORT_OPTIONS[by], "-f", "ids", "-r") == _plain(records, by, True, fmt="ids")


def test_sorted_list_with_filters_and_nothing_left(db_path: Path) -> None:
    records = _hostile_catalogue(200, seed=5)
    db_path.write_bytes(layout.dump_records({r["id"]: r for r in records}))
    kept = list(Filters.from_options(years=["1901..1902"]).select(records))
    assert 0 < len(kept) < len(records)
    assert _cli("--sort", "title", "-f", "tsv", "--year", "1901..1902") == _plain(kept, "title", False)
    code, out, _err = run("list", "--sort", "title", "-f", "tsv", "--year", "1800")
    assert (code, out) == (1, "")
    db_path.write_bytes(layout.EMPTY)
    assert run("list", "--sort", "year", "-f", "tsv") == (0, "", "")
    assert run("list", "--sort", "year", "-f", "ids") == (0, "", "")


def test_a_damaged_record_stops_a_sorted_list_before_anything_is_written(db_path: Path) -> None:
    records = _hostile_catalogue(50, seed=3)
    data = layout.dump_records({r["id"]: r for r in records})
    db_path.write_bytes(data.replace(b'"id": "r00031"', b'"id": "r00032"'))
    for fmt in LINE_PER_RECORD:
        code, out, err = run("list", "--sort", "title", "-f", fmt)
        assert (code, out) == (4, "")
        assert "damaged record" in err and "r00031" in err


def test_sorted_ids_with_a_key_that_holds_a_line_break(db_path: Path) -> None:
    records = [{"id": "a\nb", "type": "book", "title": "B"}, {"id": "c", "type": "book", "title": "A"}]
    db_path.write_bytes(layout.dump_records({r["id"]: r for r in records}))
    assert _cli("--sort", "title", "-f", "ids") == "c\na\nb\n"
    assert _cli("--sort", "title", "-f", "tsv") == _plain(records, "title", False)


def _generated(count: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    return list(generate(count).values())


def test_a_damaged_cache_changes_nothing(db_path: Path) -> None:
    """A catalogue large enough for the cache folder to remember things about it (over 2 MiB): the
    sorted listing is the same when the cache is fresh, when every file in it is damaged, and when
    it is gone."""
    records = _generated(3400)
    records[7]["title"] = "=cmd|' /C calc'!A0\tand\na line"
    records[8]["author"] = [{"family": "\x1b[31mRed\x1b[0m", "given": "ё"}]
    db_path.write_bytes(layout.dump_records({r["id"]: r for r in records}))
    assert db_path.stat().st_size > 1 << 21
    expected = {by: _plain(records, by, True) for by in ORDERS}
    for by in ORDERS:
        assert _cli("--sort", SORT_OPTIONS[by], "-f", "tsv", "-r") == expected[by]
    run("search", "-f", "ids", "socialism")  # the search index is cached too
    cached = [p for p in test_cache().rglob("*") if p.is_file()]
    for damage in ("flip", "truncate"):
        for path in cached:
            data = bytearray(path.read_bytes())
            if damage == "flip":
                for i in range(len(data) // 3, len(data), max(1, len(data) // 50)):
                    data[i] ^= 0x5A
            else:
                del data[len(data) // 2:]
            path.write_bytes(bytes(data))
        for by in ORDERS:
            assert _cli("--sort", SORT_OPTIONS[by], "-f", "tsv", "-r") == expected[by], damage
    for path in cached:
        path.unlink(missing_ok=True)
    assert _cli("--sort", "title", "-f", "tsv", "-r") == expected["title"]
    assert _cli("-f", "tsv") == export(records, "tsv")
