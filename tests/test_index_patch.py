"""The search index patched after a change is the very index a full build makes (index_patch)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import run, run_process, test_cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import catalogue.search as search_package
import catalogue.search.index_file as index_file
from catalogue import Catalogue
from catalogue.errors import NothingToUndo
from catalogue.search.index import SearchIndex
from catalogue.search.index_file import index_path, open_index
from catalogue.search.index_patch import MIN_CHANGES, changes
from catalogue.search.query import parse_query
from catalogue.search.ranking import search
from catalogue.store import layout
from catalogue.store.files import atomic_write

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate

SEED = generate(120)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The cache folder of every full build of an index (a patch is not one)."""
    made: list[Path] = []
    build = index_file._build

    def counted(path: Path, data: bytes, source: dict[str, Any], handle: Any, where: Path,
                *rest: Any) -> SearchIndex:
        made.append(where.parent)
        return build(path, data, source, handle, where, *rest)

    monkeypatch.setattr(index_file, "_build", counted)
    yield made


def parts(index: SearchIndex) -> dict[str, Any]:
    return {"count": index.count, "vocab": index.vocab, "starts": list(index.starts),
            "postings": list(index.postings), "postings type": index.postings.typecode,
            "years": list(index.years), **{c: index.column(c) for c in ("keys", "types", "languages", "tags")}}


def assert_same_as_a_full_build(path: Path, tmp_path: Path) -> None:
    """The cached index of ``path`` (patched or not), as read back, equals one built afresh."""
    with open_index(path, test_cache()) as patched:
        got = parts(patched)
        fetched = list(patched.fetch(range(patched.count)))
    with open_index(path, test_cache()) as reread:  # the patch was cached, and reads back the same
        assert parts(reread) == got
    fresh = Path(tempfile.mkdtemp(dir=tmp_path))
    with open_index(path, fresh) as built:
        assert got == parts(built)
        assert fetched == list(built.fetch(range(built.count)))


def make(path: Path, records: dict[str, dict[str, Any]]) -> Path:
    atomic_write(path, layout.dump_records(dict(sorted(records.items()))))
    return path


def test_an_added_record_patches_the_index(db_path: Path, tmp_path: Path, builds: list[Path]) -> None:
    make(db_path, SEED)
    assert_same_as_a_full_build(db_path, tmp_path)
    builds.clear()
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "aaa-zapatista", "type": "book", "title": "Zapatista notes", "issued": {
            "date-parts": [[2001]]}, "author": [{"family": "Овсянников", "given": "И."}], "tags": ["chiapas"]})
        cat.save("add")
    assert_same_as_a_full_build(db_path, tmp_path)
    assert builds.count(test_cache()) == 0, "a patch, not a build, brought the index up to date"
    with open_index(db_path, test_cache()) as index:
        hits = search(index, parse_query("zapatista")).hits
        assert [r["id"] for r in index.fetch([h.number for h in hits])] == ["aaa-zapatista"]
        hits = search(index, parse_query("ovsyannikov chiapas")).hits
        assert "aaa-zapatista" in [r["id"] for r in index.fetch([h.number for h in hits])]


def test_removed_and_edited_records_leave_the_index(db_path: Path, tmp_path: Path, builds: list[Path]) -> None:
    make(db_path, SEED)
    assert_same_as_a_full_build(db_path, tmp_path)
    builds.clear()
    first, second, *_ = sorted(SEED)
    with Catalogue.open(db_path, writable=True) as cat:
        cat.remove([first])
        cat.update(second, {**cat.get(second), "title": "Quetzalcoatl"})
        cat.save("edit")
    assert_same_as_a_full_build(db_path, tmp_path)
    assert builds.count(test_cache()) == 0
    with open_index(db_path, test_cache()) as index:
        assert first not in index.keys
        numbers = [h.number for h in search(index, parse_query("quetzalcoatl")).hits]
        assert [r["id"] for r in index.fetch(numbers)] == [second]


def test_undo_redo_and_a_hand_edit_are_seen_by_their_bytes(db_path: Path, tmp_path: Path,
                                                            builds: list[Path]) -> None:
    make(db_path, SEED)
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "zz-new", "type": "pamphlet", "title": "Nothing to lose"})
        cat.save("add")
    assert_same_as_a_full_build(db_path, tmp_path)
    builds.clear()
    with Catalogue.open(db_path, writable=True) as cat:
        cat.undo()
    assert_same_as_a_full_build(db_path, tmp_path)
    with Catalogue.open(db_path, writable=True) as cat:
        cat.redo()
    assert_same_as_a_full_build(db_path, tmp_path)
    # by hand, in an editor that keeps the layout: one title changed, no history
    data = db_path.read_bytes()
    db_path.write_bytes(data.replace(b'"title": "Nothing to lose"', b'"title": "Chains to lose"'))
    assert_same_as_a_full_build(db_path, tmp_path)
    assert builds.count(test_cache()) == 0


def _indexed(tmp_path: Path) -> tuple[Path, Path]:
    """A catalogue of 40 seed records in a folder of its own, and the cache folder holding its index."""
    path = make(Path(tempfile.mkdtemp(dir=tmp_path)) / "c.json", dict(list(SEED.items())[:40]))
    cache = test_cache()
    open_index(path, cache).close()
    return path, cache


def change(cat: Catalogue, kind: str, n: int, extra: dict[str, dict[str, Any]]) -> None:
    """One step of a random sequence of changes, saved (or undone, or redone)."""
    keys = cat.keys()
    if kind == "undo":
        if cat.history():
            cat.undo()
        return
    if kind == "redo":
        with contextlib.suppress(NothingToUndo):
            cat.redo()
        return
    if kind == "add":
        record = dict(list(extra.values())[n % len(extra)])
        record["id"] = f"new{n}"
        if record["id"] in cat:
            return
        cat.add(record, allow_duplicates=True)
    elif kind == "remove" and keys:
        cat.remove([keys[n % len(keys)]])
    elif kind in ("edit", "retitle", "parse") and keys:
        key = keys[n % len(keys)]
        rec = cat.get(key)
        if kind == "parse":  # every record parsed on the way, one changed: all written afresh
            list(cat.records())
            rec = {**rec, "note": f"seen {n}"}
        elif kind == "edit":
            rec = {**rec, "tags": [f"tag{n}"], "publisher-place": "Ярославль"}
        else:
            rec = {**rec, "title": f"Revolution {n} betrayed"}
        cat.update(key, rec)
    else:
        return
    cat.save(kind)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["add", "remove", "edit", "retitle", "undo", "redo", "parse"]),
                                st.integers(0, 10_000)), min_size=1, max_size=6))
def test_any_sequence_of_changes_patches_to_a_full_build(tmp_path: Path, steps: list[tuple[str, int]]) -> None:
    path, cache = _indexed(tmp_path)
    extra = generate(40, seed=5)
    for kind, n in steps:
        with Catalogue.open(path, writable=True) as cat:
            change(cat, kind, n, extra)
        with open_index(path, cache) as patched:
            got = parts(patched)
        with open_index(path, Path(tempfile.mkdtemp(dir=tmp_path))) as built:
            assert got == parts(built)


def test_a_changed_authority_table_means_a_full_build(shipped: Catalogue, db_path: Path, tmp_path: Path,
                                                      builds: list[Path]) -> None:
    shipped.close()
    assert_same_as_a_full_build(db_path, tmp_path)  # the shipped catalogue, with authorities
    builds.clear()
    with Catalogue.open(db_path, writable=True) as cat:
        ident = next(iter(cat.authorities()))
        authority = dict(cat.authorities()[ident])
        authority["variants"] = [*authority.get("variants", []), {"literal": "Ovsjannikoff"}]
        cat.put_authority(authority)
        cat.save("names")
    assert_same_as_a_full_build(db_path, tmp_path)
    assert builds.count(test_cache()) == 1, "the forms of an authority are indexed with every record linked"


def test_many_changes_mean_a_full_build(db_path: Path, tmp_path: Path, builds: list[Path]) -> None:
    make(db_path, SEED)
    open_index(db_path, test_cache()).close()
    builds.clear()
    with Catalogue.open(db_path, writable=True) as cat:
        cat.remove(cat.keys()[: MIN_CHANGES + 1])
        cat.save("remove")
    assert_same_as_a_full_build(db_path, tmp_path)
    assert builds.count(test_cache()) == 1


def test_a_file_left_in_another_layout_is_built_whole(db_path: Path, tmp_path: Path, builds: list[Path]) -> None:
    make(db_path, SEED)
    open_index(db_path, test_cache()).close()
    builds.clear()
    document = orjson.loads(db_path.read_bytes())
    db_path.write_bytes(orjson.dumps(document))  # one line: no record spans to patch with
    assert_same_as_a_full_build(db_path, tmp_path)
    assert builds.count(test_cache()) >= 1


@pytest.mark.parametrize("section", ["hashes", "postings", "years", "keys", "vocab"])
def test_a_damaged_outdated_index_is_built_afresh(db_path: Path, tmp_path: Path, builds: list[Path],
                                                  section: str) -> None:
    make(db_path, SEED)
    open_index(db_path, test_cache()).close()
    cached = index_path(db_path, test_cache())
    data = bytearray(cached.read_bytes())
    eol = data.index(b"\n", len(index_file.MAGIC))
    header = orjson.loads(bytes(data[len(index_file.MAGIC) + 9:eol]))
    at = eol + 1
    for name, _kind, length, _crc in header["sections"]:
        if name == section:
            data[at + length // 2] ^= 0x41
            break
        at += length
    cached.write_bytes(bytes(data))
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "aaa-new", "type": "book", "title": "Zapatista notes"})
        cat.save("add")
    builds.clear()
    assert_same_as_a_full_build(db_path, tmp_path)
    assert builds.count(test_cache()) == 1


def current(path: Path) -> bool:
    """Whether the cached index of ``path`` belongs to the file as it is now (no patch or build due),
    once a patch under way (a write's child process) is over."""
    with index_file.patching(index_path(path, test_cache())), open(path, "rb") as handle:
        cached = index_file._read(index_path(path, test_cache()), index_file.identity(
            path, os.fstat(handle.fileno())), handle)
        if isinstance(cached, SearchIndex):
            cached.close = lambda: None
        return isinstance(cached, SearchIndex)


@pytest.mark.parametrize("command", [
    ["add", "--type", "book", "--title", "Zapatista notes", "--year", "2001", "--yes"],
    ["edit", "ovsyannikov2005hands", "--set", "year=2006"],
    ["remove", "ovsyannikov2005hands", "--yes"],
    ["edit", "ovsyannikov2005hands", "--set", "title=Chiapas"],
])
def test_a_write_leaves_the_index_up_to_date(db_path: Path, builds: list[Path], command: list[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_package, "REFRESH_FROM", 0)  # as for a large catalogue
    assert run("search", "socialism").code == 0  # builds the index
    builds.clear()
    done = run(*command)
    assert done.code == 0, done.err
    assert current(db_path) and builds == []
    assert run("undo", "--yes").code == 0
    assert current(db_path) and builds == []
    assert run("redo", "--yes").code == 0
    assert current(db_path) and builds == []


def test_a_small_catalogue_is_patched_by_its_next_search(db_path: Path, builds: list[Path]) -> None:
    """Below REFRESH_FROM records the write leaves the index alone (it stays as quick as it was)."""
    assert run("search", "socialism").code == 0
    builds.clear()
    assert run("add", "--type", "book", "--title", "Zapatista notes", "--yes").code == 0
    assert not current(db_path)
    found = run("search", "-f", "ids", "zapatista")
    assert found.code == 0 and len(found.out.split()) == 1 and "zapatista" in found.out
    assert current(db_path) and builds == [], "patched by the search, not built"


def test_the_installed_command_leaves_a_large_catalogues_index_up_to_date(db_path: Path) -> None:
    """The real command patches the index after its output: a search right after finds the new record."""
    make(db_path, generate(search_package.REFRESH_FROM, seed=11))
    assert run_process("search", "socialism").returncode == 0
    added = run_process("add", "--type", "book", "--title", "Zapatista notes", "--yes")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() and "Traceback" not in added.stderr
    found = run_process("search", "-f", "ids", "zapatista")
    assert found.stdout.split() == [added.stdout.split()[-1]]
    assert current(db_path)
    found = run_process("search", "-f", "ids", "zapatista")
    assert len(found.stdout.split()) == 1 and "zapatista" in found.stdout.lower()


def test_an_index_of_another_file_version_is_left_for_the_next_search(db_path: Path, builds: list[Path],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A file changed again after the write (another process) is not the one written: no refresh."""
    monkeypatch.setattr(search_package, "REFRESH_FROM", 0)
    assert run("search", "socialism").code == 0
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "zz-one", "type": "book", "title": "One"})
        cat.save("add")
        written = cat.last_written
    assert written is not None and written.spans is not None
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "zz-two", "type": "book", "title": "Two"})
        cat.save("add")
    assert index_file.refresh(written, test_cache()) is False
    assert not current(db_path)
    assert_found = run("search", "-f", "ids", "two")
    assert "zz-two" in assert_found.out.split()


def test_too_many_changes_are_declined() -> None:
    keys = [f"k{n:04}" for n in range(1000)]
    hashes = array("Q", range(1000))
    same = changes(keys, hashes, keys, hashes)
    assert same is not None and same.added == [] and list(same.new_of_old) == list(range(1000))
    assert same.old_of_new == list(range(1000))
    edited = changes(keys, hashes, keys, array("Q", [h + (n < 5) for n, h in enumerate(hashes)]))
    assert edited is not None and edited.added == [0, 1, 2, 3, 4]
    assert list(edited.new_of_old[:6]) == [-1, -1, -1, -1, -1, 5]
    assert edited.old_of_new[:6] == [1000, 1001, 1002, 1003, 1004, 5]
    moved = changes(keys, hashes, ["a", *keys[1:], "z"], array("Q", [7, *hashes[1:], 9]))
    assert moved is not None and moved.added == [0, 1000] and moved.new_of_old[0] == -1
    assert moved.old_of_new[0] == 1000 and moved.old_of_new[1000] == 1001 and moved.old_of_new[1] == 1
    assert changes(keys, hashes, keys[500:], hashes[500:]) is None
    assert changes([], array("Q"), ["a"], array("Q", [1])) == changes([], array("Q"), ["a"], array("Q", [1]))
    emptied = changes(keys[:3], hashes[:3], [], array("Q"))
    assert emptied is not None and list(emptied.new_of_old) == [-1, -1, -1] and emptied.added == []


def test_a_full_build_tells_its_progress(db_path: Path) -> None:
    make(db_path, generate(4500, seed=3))
    told: list[tuple[int, int]] = []
    with open_index(db_path, test_cache(), lambda done, total: told.append((done, total))):
        pass
    assert told == [(2000, 4500), (4000, 4500)]
    told.clear()
    with open_index(db_path, test_cache(), lambda done, total: told.append((done, total))):
        pass
    assert told == [], "a cached index is read, not built"


def test_search_shows_the_build_on_a_terminal(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from socsopr_cli import console

    make(db_path, generate(4500, seed=3))
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    monkeypatch.setattr(console, "err_console", lambda: terminal)
    monkeypatch.setattr(console, "stderr_is_terminal", lambda: True)
    assert run("search", "-f", "ids", "socialism").code == 0
    assert "Indexing the catalogue" in screen.getvalue()
    screen.truncate(0)
    assert run("search", "-f", "ids", "socialism").code == 0
    assert "Indexing" not in screen.getvalue()


def test_a_search_waits_for_a_patch_under_way(db_path: Path, builds: list[Path]) -> None:
    """While another process holds the index's lock (patching it), a search waits, then reads what
    that process wrote instead of building the index beside it."""
    import threading
    import time

    make(db_path, SEED)
    where = index_path(db_path, test_cache())
    lock = index_file.lock_index(where)
    assert lock is not None and index_file.lock_index(where, wait=0) is None
    opened: list[float] = []

    def search_now() -> None:
        with open_index(db_path, test_cache()):
            opened.append(time.monotonic())

    searcher = threading.Thread(target=search_now)
    searcher.start()
    time.sleep(0.3)
    assert opened == [], "the search waits while the lock is held"
    with open(db_path, "rb") as handle:  # the holder writes the index meanwhile
        index_file._build(db_path, db_path.read_bytes(), index_file.identity(db_path, os.fstat(handle.fileno())),
                          handle, where)
    builds.clear()
    released = time.monotonic()
    os.close(lock)
    searcher.join(10)
    assert opened and opened[0] >= released
    assert builds == [], "the search read the index the holder wrote"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["add", "remove", "edit", "retitle", "undo", "redo", "parse"]),
                                st.integers(0, 10_000)), min_size=1, max_size=6))
def test_a_write_refreshes_its_index_from_what_it_copied(tmp_path: Path, steps: list[tuple[str, int]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """After each write the index is refreshed from the keys the writer touched (no record of the
    file hashed again but those) and equals a full build of the file written."""
    import catalogue.search.index_patch as index_patch

    monkeypatch.setattr(search_package, "REFRESH_FROM", 0)
    quick: list[bool] = []
    known = index_patch.known_changes

    def counted(*args: Any) -> Any:
        found = known(*args)
        quick.append(found is not None)
        return found

    monkeypatch.setattr(index_patch, "known_changes", counted)
    path, cache = _indexed(tmp_path)
    extra = generate(40, seed=7)
    for kind, n in steps:
        with Catalogue.open(path, writable=True) as cat:
            change(cat, kind, n, extra)
            written = cat.last_written
        if written is None:  # the same edit twice: nothing to write
            continue
        assert written.touched is not None
        assert index_file.refresh(written, cache) is True
        assert current(path)
        with open_index(path, cache) as patched:
            got = parts(patched)
        with open_index(path, Path(tempfile.mkdtemp(dir=tmp_path))) as built:
            assert got == parts(built)
    assert all(quick)


def test_a_refresh_told_wrong_keys_falls_back_to_the_bytes(db_path: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer's account that leaves out an added record is caught (the kept keys do not line up):
    the records are compared by their bytes instead, and the index still equals a full build."""
    import catalogue.search.index_patch as index_patch

    monkeypatch.setattr(search_package, "REFRESH_FROM", 0)
    make(db_path, dict(list(SEED.items())[:40]))
    open_index(db_path, test_cache()).close()
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "zz-one", "type": "book", "title": "One"})
        cat.save("add")
        written = cat.last_written
    assert written is not None and written.before is not None
    assert index_patch.known_changes  # the quick path exists, and is not taken on a wrong account:
    lied = written._replace(touched=frozenset())
    assert index_file.refresh(lied, test_cache()) is True
    assert_same_as_a_full_build(db_path, tmp_path)
