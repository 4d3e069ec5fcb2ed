"""``list --sort`` of a whole large catalogue from the records' remembered lines and keys
(``curation.listing``) writes what sorting the records and then exporting them writes."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import calls, run, run_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_list_speed_sorted import _RECORD, _hostile_catalogue

from catalogue import Catalogue
from catalogue.curation import listing
from catalogue.formats import export
from catalogue.model.sorting import SORT_KEYS, sort_records
from catalogue.store import layout, memo
from catalogue.store.files import atomic_write

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate

ORDERS = sorted(SORT_KEYS)
BASE = list(generate(60, seed=12).values()) + _hostile_catalogue(60, seed=3)


@pytest.fixture(autouse=True)
def small_catalogues_remember(monkeypatch: pytest.MonkeyPatch) -> None:
    """These catalogues count as large ones (whose records' lines are remembered)."""
    monkeypatch.setattr(memo, "MIN_RECORDS", 1)


def _file(folder: Path, records: list[dict[str, Any]]) -> Path:
    path = folder / "c.json"
    table: dict[str, Any] = {}
    for n, record in enumerate(records):
        key = f"r{n:04d}"
        table[key] = {**record, "id": key}
    atomic_write(path, layout.dump_records(dict(sorted(table.items()))))
    return path


def _plain(path: Path, by: str, reverse: bool, fmt: str) -> str:
    with Catalogue.open(path) as cat:
        records = cat.records()
    return export(sort_records(records, by, reverse=reverse), fmt)


def _listed(path: Path, cache: Path, by: str, reverse: bool, fmt: str) -> tuple[str, int] | None:
    with Catalogue.open(path) as cat:
        return listing.sorted_listing(cat, cache, fmt, by, reverse=reverse)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changed=st.lists(st.tuples(st.integers(0, len(BASE) - 1), _RECORD), max_size=4),
       by=st.sampled_from(ORDERS), reverse=st.booleans(), fmt=st.sampled_from(["tsv", "ids"]))
def test_remembered_lines_are_the_export_of_the_sorted_records(
    tmp_path: Path, changed: list[tuple[int, dict[str, Any]]], by: str, reverse: bool, fmt: str
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    cache = folder / "cache"
    path = _file(folder, BASE)
    first = _listed(path, cache, by, reverse, fmt)
    assert first == (_plain(path, by, reverse, fmt), len(BASE))
    records = list(BASE)
    for n, record in changed:  # changed by hand between two listings
        records[n] = record
    path = _file(folder, records)
    assert _outcome(lambda: _listed(path, cache, by, reverse, fmt)) == _outcome(
        lambda: (_plain(path, by, reverse, fmt), len(records)))


def _outcome(make: Any) -> object:
    """What ``make`` gives, or ``Exception``: a value no order or exporter can take (a name that is a
    number) fails the remembered way as it fails the plain way, maybe at another record first (the
    two meet the records' lines and keys in another order), as in test_list_speed_sorted."""
    try:
        return make()
    except Exception:
        return Exception


def test_only_the_changed_records_are_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, cache = _file(tmp_path, BASE), tmp_path / "cache"
    _listed(path, cache, "title", False, "tsv")
    parsed = calls(monkeypatch, layout, "parse", 2)
    with Catalogue.open(path, writable=True) as cat:
        cat.update("r0003", {**cat.get("r0003"), "title": "Changed"})
        cat.save("edit")
    parsed.clear()
    assert _listed(path, cache, "title", False, "tsv") == (_plain(path, "title", False, "tsv"), len(BASE))
    assert parsed == ["r0003"]
    parsed.clear()
    _listed(path, cache, "title", False, "tsv")
    assert parsed == []


def test_a_damaged_memo_changes_nothing(tmp_path: Path) -> None:
    path, cache = _file(tmp_path, BASE), tmp_path / "cache"
    expected = _listed(path, cache, "author", True, "tsv")
    for stored in cache.glob("memo-list-*"):
        raw = stored.read_bytes()
        stored.write_bytes(raw[: len(raw) // 2] + b"\xff" * 9 + raw[len(raw) // 2 + 9:])
    assert _listed(path, cache, "author", True, "tsv") == expected == (_plain(path, "author", True, "tsv"),
                                                                       len(BASE))


def test_what_is_not_a_line_per_record_is_left_to_the_plain_way(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    atomic_write(path, layout.dump_records({"a\nb": {"id": "a\nb", "type": "book", "title": "B"},
                                            "c": {"id": "c", "type": "book", "title": "A"}}))
    assert _listed(path, tmp_path / "cache", "title", False, "ids") is None
    assert _listed(path, None, "title", False, "tsv") is None  # type: ignore[arg-type]
    assert _listed(path, tmp_path / "cache", "title", False, "csv") is None


def test_the_command_lists_from_the_memo_and_says_the_same(tmp_path: Path, db_path: Path) -> None:
    _file(db_path.parent, BASE)
    db_path.unlink(missing_ok=True)
    (db_path.parent / "c.json").rename(db_path)
    expected = _plain(db_path, "year", False, "tsv")
    for _ in range(2):  # the memo made, then read
        done = run("list", "--sort", "year", "--format", "tsv")
        assert done.code == 0 and done.out == expected
    proc = run_process("list", "--sort", "year", "--format", "tsv")
    assert proc.returncode == 0 and proc.stdout == expected
