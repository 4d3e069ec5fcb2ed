"""A write into a file changed outside socsopr parses only the records whose bytes it has not seen parse."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import calls

from catalogue import Catalogue
from catalogue.errors import CorruptStore
from catalogue.store import layout, memo
from catalogue.store.files import atomic_write

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate

RECORDS = dict(sorted(generate(memo.MIN_RECORDS + 50, seed=9).items()))


@pytest.fixture(autouse=True)
def large_files_only_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """These catalogues count as large ones (whose records' bytes are remembered)."""
    monkeypatch.setattr(layout, "LARGE_FILE", 0)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the records parsed from the file's bytes."""
    return calls(monkeypatch, layout, "parse", 2)


def _add(path: Path, cache: Path, key: str) -> None:
    with Catalogue.open(path, writable=True, cache_dir=cache) as cat:
        cat.add({"id": key, "type": "book", "title": key}, allow_duplicates=True)
        cat.save(f"add {key}")


def test_records_seen_to_parse_are_not_parsed_again(tmp_path: Path, parsed: list[str]) -> None:
    path, cache = tmp_path / "c.json", tmp_path / "cache"
    atomic_write(path, layout.dump_records(RECORDS))  # written by another program: nothing trusted
    _add(path, cache, "zz-first")
    assert len(parsed) >= len(RECORDS)
    with Catalogue.open(path) as cat:
        edited = {**RECORDS, "zz-first": cat.get("zz-first")}
    key = next(iter(RECORDS))
    edited[key] = {**RECORDS[key], "title": "Changed by hand"}
    atomic_write(path, layout.dump_records(edited))  # a hand edit (or a git pull) of one record
    parsed.clear()
    _add(path, cache, "zz-second")
    assert sorted(parsed) == [key, "zz-first"]  # the hand-edited bytes, and those the last write made


def test_a_broken_record_is_refused_whatever_was_remembered(tmp_path: Path) -> None:
    path, cache = tmp_path / "c.json", tmp_path / "cache"
    atomic_write(path, layout.dump_records(RECORDS))
    _add(path, cache, "zz-first")
    data = path.read_bytes()
    key = next(iter(RECORDS))
    broken = data.replace(f'"id": "{key}"'.encode(), b'"id": "someone-else"', 1)
    assert broken != data
    atomic_write(path, broken)
    with pytest.raises(CorruptStore):
        _add(path, cache, "zz-second")
    assert path.read_bytes() == broken, "nothing written"
