"""catalogue.store.spans_cache: a large file's record spans read back only for the very same bytes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import xxhash
from conftest import calls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.store import layout, spans_cache
from catalogue.store.catalogue_file import CatalogueFile
from catalogue.store.files import atomic_write
from catalogue.store.history import state_of

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate

RECORDS = dict(sorted(generate(60, seed=3).items()))


@pytest.fixture(autouse=True)
def small_files_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "LARGE_FILE", 0)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per scan of a file's bytes."""
    return calls(monkeypatch, layout, "scan")


def _file(tmp_path: Path, records: dict[str, Any] = RECORDS) -> tuple[Path, bytes]:
    path = tmp_path / "catalogue.json"
    data = layout.dump_records(records)
    atomic_write(path, data)
    return path, data


def test_the_same_bytes_are_not_scanned_twice(tmp_path: Path, scans: list[int]) -> None:
    path, data = _file(tmp_path)
    cache = tmp_path / "cache"
    first = spans_cache.scan(data, state_of([data]), path, cache)
    again = spans_cache.scan(data, state_of([data]), path, cache)
    assert len(scans) == 1
    assert first == again == layout.scan(data) and first is not None and list(first) == sorted(RECORDS)


def test_other_bytes_are_scanned_again(tmp_path: Path, scans: list[int]) -> None:
    path, data = _file(tmp_path)
    cache = tmp_path / "cache"
    spans_cache.scan(data, state_of([data]), path, cache)
    changed = layout.dump_records({**RECORDS, "zz": {"id": "zz", "type": "book", "title": "Z"}})
    found = spans_cache.scan(changed, state_of([changed]), path, cache)
    assert len(scans) == 2 and found is not None and "zz" in found


def test_a_write_remembers_the_file_it_wrote(tmp_path: Path, scans: list[int]) -> None:
    path, _data = _file(tmp_path)
    cache = tmp_path / "cache"
    with Catalogue.open(path, writable=True, cache_dir=cache) as cat:
        cat.add({"id": "zz-one", "type": "book", "title": "One"})
        cat.save("add")
    scans.clear()
    source = CatalogueFile.read(path, cache)
    try:
        spans = source.spans()
    finally:
        source.close()
    written = path.read_bytes()
    assert scans == [] and spans == layout.scan(written) and spans is not None and "zz-one" in spans
    with Catalogue.open(path, writable=True, cache_dir=cache) as cat:  # and the next write is the same
        cat.remove(["zz-one"])
        cat.save("remove")
    assert path.read_bytes() == layout.dump_records(RECORDS)


@pytest.mark.parametrize("holds", [False, True])
def test_the_cache_knows_whether_the_text_names_aliases(tmp_path: Path, holds: bool,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    records = dict(RECORDS)
    if holds:
        first = next(iter(records))
        records[first] = {**records[first], "aliases": ["old-key"]}
    path, data = _file(tmp_path, records)
    cache = tmp_path / "cache"
    assert spans_cache.lookup(data, state_of([data]), path, cache).aliases is holds
    # were the text searched again, it would now find nothing: what is answered comes from the cache
    monkeypatch.setattr(layout, "ALIASES_FIELD", b"\x00never\x00")
    assert spans_cache.lookup(data, state_of([data]), path, cache).aliases is holds
    source = CatalogueFile.read(path, cache)
    try:
        assert source.mentions_aliases() is holds
    finally:
        source.close()


def test_a_write_that_gives_a_record_aliases_is_remembered_as_naming_them(tmp_path: Path,
                                                                          scans: list[int]) -> None:
    path, _data = _file(tmp_path)
    cache = tmp_path / "cache"
    first, second = list(RECORDS)[:2]
    with Catalogue.open(path, cache_dir=cache) as cat:
        assert cat.alias_owner("old-key") is None  # the text names no aliases: none is looked for
    with Catalogue.open(path, writable=True, cache_dir=cache) as cat:
        cat.merge({**cat.get(first), "aliases": [second]}, [second])
        cat.save("merge")
    scans.clear()
    with Catalogue.open(path, cache_dir=cache) as cat:
        assert cat.alias_owner(second) == first
    source = CatalogueFile.read(path, cache)
    try:
        assert source.mentions_aliases() is True
    finally:
        source.close()
    assert scans == []  # both known from what the write remembered


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.integers(min_value=0, max_value=10_000), junk=st.binary(min_size=1, max_size=16))
def test_a_damaged_cache_is_never_believed(tmp_path: Path, at: int, junk: bytes) -> None:
    path, data = _file(tmp_path)
    cache = tmp_path / "cache"
    spans_cache.scan(data, state_of([data]), path, cache)
    (stored,) = cache.glob("spans-*")
    raw = stored.read_bytes()
    at %= len(raw)
    stored.write_bytes(raw[:at] + junk + raw[at + len(junk):])
    assert spans_cache.scan(data, state_of([data]), path, cache) == layout.scan(data)


def _forged(tmp_path: Path, data: bytes, starts: list[int], bodies: list[int], keys: list[Any]) -> None:
    """A cache file with a valid checksum for the given spans."""
    from array import array

    body = array("q", [*starts, *bodies]).tobytes() + orjson.dumps(keys)
    header = orjson.dumps({"hash": state_of([data]), "count": len(keys), "byteorder": sys.byteorder,
                           "aliases": False, "checksum": xxhash.xxh3_64_intdigest(body)})
    (stored,) = (tmp_path / "cache").glob("spans-*")
    stored.write_bytes(spans_cache._MAGIC + header + b"\n" + body)


@pytest.mark.parametrize("forgery", ["swap-order", "shift-start", "body-outside", "not-text"])
def test_spans_that_do_not_tile_the_file_are_not_believed(tmp_path: Path, scans: list[int],
                                                          forgery: str) -> None:
    path, data = _file(tmp_path)
    cache = tmp_path / "cache"
    truth = spans_cache.scan(data, state_of([data]), path, cache)
    assert truth is not None
    keys: list[Any] = list(truth)
    starts = [s for s, _b, _e in truth.values()]
    bodies = [b for _s, b, _e in truth.values()]
    if forgery == "swap-order":
        keys[0], keys[1] = keys[1], keys[0]
    elif forgery == "shift-start":
        starts[0] += 1
    elif forgery == "body-outside":
        bodies[3] = starts[5]
    else:
        keys[2] = 7
    _forged(tmp_path, data, starts, bodies, keys)
    scans.clear()
    assert spans_cache.scan(data, state_of([data]), path, cache) == truth
    assert len(scans) == 1


def test_no_cache_folder_or_a_small_file_means_a_plain_scan(tmp_path: Path, scans: list[int],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path, data = _file(tmp_path)
    source = CatalogueFile.read(path)
    try:
        assert source.spans() == layout.scan(data)
    finally:
        source.close()
    monkeypatch.setattr(layout, "LARGE_FILE", len(data) + 1)
    cache = tmp_path / "cache"
    source = CatalogueFile.read(path, cache)
    try:
        assert source.spans() is not None
    finally:
        source.close()
    assert not cache.exists()


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    path, data = _file(tmp_path)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be")
    assert spans_cache.scan(data, state_of([data]), path, blocked) == layout.scan(data)


def test_a_few_states_of_a_file_are_kept(tmp_path: Path, scans: list[int]) -> None:
    """Going back to a recent version (a git branch, a copy put back) finds its spans; older ones go."""
    path, _data = _file(tmp_path)
    cache = tmp_path / "cache"
    versions = [layout.dump_records({**RECORDS, f"zz{n}": {"id": f"zz{n}", "type": "book", "title": "Z"}})
                for n in range(spans_cache.KEPT + 2)]
    for version in versions:
        spans_cache.scan(version, state_of([version]), path, cache)
    assert len(list(cache.glob("spans-*"))) == spans_cache.KEPT
    scans.clear()
    spans_cache.scan(versions[-spans_cache.KEPT], state_of([versions[-spans_cache.KEPT]]), path, cache)
    assert scans == []
    spans_cache.scan(versions[0], state_of([versions[0]]), path, cache)
    assert len(scans) == 1


def test_the_states_kept_are_the_last_used(tmp_path: Path, scans: list[int]) -> None:
    """A version read again and again (a pristine copy put back before every change) stays cached."""
    path, _data = _file(tmp_path)
    cache = tmp_path / "cache"
    versions = [layout.dump_records({**RECORDS, f"zz{n}": {"id": f"zz{n}", "type": "book", "title": "Z"}})
                for n in range(spans_cache.KEPT + 3)]
    pristine = versions[0]
    for version in versions[1:]:
        spans_cache.scan(pristine, state_of([pristine]), path, cache)
        spans_cache.scan(version, state_of([version]), path, cache)
    assert len(scans) == len(versions)  # the pristine one scanned once only
