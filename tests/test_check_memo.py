"""``check`` through the records' memo (#16): the same findings, in the same order, as the plain check.

``check_catalogue`` remembers what each record gives the checks (``checks.record_facts``) by the
record's bytes (``store.memo``) and runs the checks across records over all of them every time.
Compared here with ``check_records`` over the same file read record by record (what ``check`` did
before): on catalogues full of invalid and odd records, keys and aliases clashing in case and likely
duplicates; after random edits, additions and removals between two checks; with a damaged or hostile
memo; with and without --gost and in another year; and through the command line, in-process and as
the installed command.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run, run_process, test_cache
from hypothesis import given, settings
from hypothesis import strategies as st
from test_check_speedups import _ODD, THIS_YEAR, digest, random_records

from catalogue import Catalogue
from catalogue.curation import checks
from catalogue.curation.checks import Finding, check_catalogue, check_records, facts_are_sound
from catalogue.errors import CorruptStore
from catalogue.store import layout, memo


def hostile_records(count: int, seed: int) -> dict[str, dict[str, Any]]:
    """``random_records`` (invalid types, control characters, likely duplicates in other cases and
    scripts, keys differing only in case) as a file holds them, by key, and a few made worse on purpose:
    a blank key, a key too long, keys and aliases clashing ignoring case, a tab in a key."""
    records: dict[str, dict[str, Any]] = {}
    for item in random_records(count, seed):
        if not isinstance(item, dict) or not all(isinstance(field, str) for field in item):
            continue  # (a file holds no such record)
        key = item.get("id")
        if not isinstance(key, str) or key in records:
            key = f"other{len(records)}"
        records[key] = {**item, "id": key}
    extra: list[dict[str, Any]] = [
        {"id": " ", "type": "book", "title": "A blank key"},
        {"id": "y" * 250, "type": "book", "title": "A key too long"},
        {"id": "Rec0003", "type": "book", "title": "Case of rec0003"},
        {"id": "REC0003", "type": "book", "title": "Case of rec0003 again"},
        {"id": "holder1", "type": "book", "title": "Holds an alias", "aliases": ["REC0004", "gone1"]},
        {"id": "holder2", "type": "book", "title": "Holds the same alias", "aliases": ["Gone1"]},
        {"id": "tab\tkey", "type": "book", "title": "Tab\tin the title\nand a line break"},
        {"id": "ctl", "type": "book", "title": "Control \x07 character \u202e here"},
        {"id": "twin1", "type": "book", "title": "Почему социализм?", "author": [{"family": "Овсянников"}],
         "issued": {"date-parts": [[2006]]}},
        {"id": "twin2", "type": "book", "title": "Pochemu sotsializm", "author": [{"family": "Ovsyannikov"}],
         "issued": {"date-parts": [[2006]]}},
        {"id": "future", "type": "book", "title": "Of a later year", "issued": {"date-parts": [[THIS_YEAR + 1]]}},
    ]
    for record in extra:
        records[record["id"]] = record
    return dict(sorted(records.items()))


def write(path: Path, records: dict[str, dict[str, Any]]) -> Path:
    path.write_bytes(layout.dump_records(dict(sorted(records.items()))))
    return path


def plain(path: Path, *, gost: bool = False, year: int = THIS_YEAR) -> list[Finding]:
    """What ``check`` found before the memo: every record read from the file, one at a time."""
    with Catalogue.open(path, create=False) as cat:
        return check_records(cat.iter_records(), this_year=year, gost=gost)


def remembered(path: Path, cache: Path, *, gost: bool = False, year: int = THIS_YEAR) -> list[Finding]:
    with Catalogue.open(path, create=False) as cat:
        return check_catalogue(cat, cache, this_year=year, gost=gost)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many records had their facts computed (not remembered), one count per call."""
    calls = [0]
    original = checks.record_facts

    def counting(*args: Any) -> checks.Facts:
        calls[0] += 1
        return original(*args)

    monkeypatch.setattr(checks, "record_facts", counting)
    return calls


@pytest.fixture
def small_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo from 5 records instead of ``memo.MIN_RECORDS``: small catalogues test the same path."""
    monkeypatch.setattr(memo, "MIN_RECORDS", 5)


def _memo_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("memo-check*")) if cache.exists() else []


# --- the same findings as the plain check ---------------------------------------------------------


# sha256 of the findings (as JSON, keys sorted) of hostile_records(400, seed) at THIS_YEAR without and with
# --gost, written by check_records before it was split into the facts of each record and the checks across
_BEFORE = {
    1: ("58ae3dc0438a20429da0874573712af87d875ca400603c7b3ebafd45bd7958c6",
        "c3be37a8096b98c0ae441f681ca259cb7cc95e553ba11782ec56be50533f65ab"),
    16: ("da54391d8a02f4e3325f93a2bc1988223ca7cb9ada766f84e17457b6d5acfc1d",
         "a6ae7444085de3a1a55d2f215658cf305ff73e27b933500191195a7dc192969b"),
    1917: ("7dbfb48c8bdc797c74e894f87886b01b4040c7ceb554b327b0c8f10a24813217",
           "920520e411efb5ac8c7dc0a26a82cda27296486a4290dbf01a9a9b01be0ef718"),
}


@pytest.mark.parametrize("seed", sorted(_BEFORE))
def test_the_memo_finds_what_the_plain_check_finds(seed: int, tmp_path: Path, small_memo: None,
                                                   counted: list[int]) -> None:
    path = write(tmp_path / "c.json", hostile_records(400, seed))
    size = len(layout.scan(path.read_bytes()) or ())
    for gost, before in zip((False, True), _BEFORE[seed], strict=True):
        expected = plain(path, gost=gost)
        assert digest(checks.findings_as_json(expected)) == before
        counted[0] = 0
        assert remembered(path, tmp_path / "cache", gost=gost) == expected
        assert counted[0] == size
        counted[0] = 0
        assert remembered(path, tmp_path / "cache", gost=gost) == expected  # every record remembered
        assert counted[0] == 0
    assert {f.check for f in expected} >= {"invalid", "required", "year", "names", "key", "duplicate",
                                           "conflict", "gost"}
    assert any(f.key.startswith("(record ") for f in expected)  # the blank key: shown by its place
    assert len(_memo_files(tmp_path / "cache")) == 2


def test_a_catalogue_of_memo_size_is_remembered_as_it_is(tmp_path: Path, counted: list[int]) -> None:
    records = hostile_records(memo.MIN_RECORDS + 100, 5)
    path = write(tmp_path / "c.json", records)
    expected = plain(path)
    counted[0] = 0
    assert remembered(path, tmp_path / "cache") == expected
    assert counted[0] == len(records)
    counted[0] = 0
    assert remembered(path, tmp_path / "cache") == expected
    assert counted[0] == 0


def test_below_memo_size_or_in_another_layout_the_plain_check_runs(tmp_path: Path, counted: list[int],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    records = hostile_records(60, 3)
    path = write(tmp_path / "c.json", records)
    expected = plain(path)
    assert remembered(path, tmp_path / "cache") == expected  # under memo.MIN_RECORDS
    assert _memo_files(tmp_path / "cache") == []
    monkeypatch.setattr(memo, "MIN_RECORDS", 5)
    other = tmp_path / "other.json"  # the same records, another layout (one line)
    other.write_bytes(json.dumps(json.loads(path.read_bytes())).encode())
    assert layout.scan(other.read_bytes()) is None
    assert remembered(other, tmp_path / "cache") == expected
    assert _memo_files(tmp_path / "cache") == []
    with Catalogue.open(path) as cat:
        assert check_catalogue(cat, None, this_year=THIS_YEAR) == expected  # no cache folder


def test_a_damaged_record_is_corrupt_store_as_before(tmp_path: Path, small_memo: None) -> None:
    path = write(tmp_path / "c.json", hostile_records(50, 2))
    remembered(path, tmp_path / "cache")
    data = path.read_bytes()
    spans = layout.scan(data)
    assert spans is not None
    key, (_start, body, end) = list(spans.items())[7]
    damaged = data[:body] + data[body:end].replace(json.dumps(key).encode(), b'"someone-else"', 1) + data[end:]
    path.write_bytes(damaged)
    with pytest.raises(CorruptStore):
        plain(path)
    with pytest.raises(CorruptStore):
        remembered(path, tmp_path / "cache")


# --- changes between two checks -------------------------------------------------------------------

_BASE = hostile_records(40, 7)
_FIELD_VALUES = [*_ODD, ("title", "Почему социализм?"), ("author", [{"family": "Ovsyannikov"}]),
                 ("issued", {"date-parts": [[2006]]}), ("aliases", ["Rec0001"]), ("aliases", ["HOLDER2"]),
                 ("type", "chapter"), ("type", "book"), ("note", "changed")]
_CHANGE = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 10**6), st.sampled_from(range(len(_FIELD_VALUES)))),
    st.tuples(st.just("add"), st.integers(0, 10**6), st.sampled_from(["new", "NEW", "rec0001", "Twin1", " x"])),
    st.tuples(st.just("remove"), st.integers(0, 10**6), st.just(0)),
)


@settings(max_examples=60)
@given(st.lists(_CHANGE, min_size=1, max_size=8))
def test_after_changes_the_memo_finds_what_a_fresh_check_finds(changes: list[tuple[str, int, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder, _memo_from(5):
        path, cache = Path(folder) / "c.json", Path(folder) / "cache"
        records = copy.deepcopy(_BASE)
        write(path, records)
        assert remembered(path, cache) == plain(path)
        for how, at, what in changes:
            keys = sorted(records)
            key = keys[at % len(keys)]
            if how == "edit":
                field, value = _FIELD_VALUES[what]
                if field != "id":
                    records[key] = {**records[key], field: copy.deepcopy(value)}
            elif how == "add":
                new = f"{what}{at}" if what.strip() else what
                records[new] = {**copy.deepcopy(records[key]), "id": new}
            elif len(records) > 1:
                del records[key]
        write(path, records)
        assert remembered(path, cache) == plain(path)
        assert remembered(path, cache) == plain(path)


@contextlib.contextmanager
def _memo_from(least: int) -> Iterator[None]:
    """``memo.MIN_RECORDS`` lowered inside a hypothesis example (a function fixture would span them all)."""
    before, memo.MIN_RECORDS = memo.MIN_RECORDS, least
    try:
        yield
    finally:
        memo.MIN_RECORDS = before


# --- a damaged or hostile memo reads as none --------------------------------------------------------


def _damages(raw: bytes) -> Iterator[tuple[str, bytes]]:
    yield "empty", b""
    yield "truncated", raw[: len(raw) // 2]
    yield "a byte flipped", raw[:-40] + bytes([raw[-40] ^ 0x55]) + raw[-39:]
    yield "garbage", os.urandom(len(raw))
    yield "another magic", b"socsopr-memo-x\n" + raw[13:]


_HOSTILE_VALUES: list[Any] = [
    5, None, True, [], ["w"], ["w", [], []] * 2, [1, [], []], ["w", [["nope", "x"]], []],
    ["w", [["required", 5]], []], ["w", [["required"]], []], ["w", "found", []], ["w", [], [5]],
    ["w", [], "alias"], {"invalid": ["x"]}, {"invalid": "x", "shown": None, "key": None},
    {"invalid": [], "shown": 3, "key": None}, {"invalid": [], "shown": None, "key": ["k"]},
    {"invalid": [], "shown": None, "key": None, "more": 1}, {"x": {"y": [1.5, -1, "z"]}},
]


def test_no_hostile_value_passes_for_facts() -> None:
    assert not [value for value in _HOSTILE_VALUES if facts_are_sound(value)]
    assert facts_are_sound("2006|6|ivanov|title")
    assert facts_are_sound(["w", [["gost", "x"], ["key", "y"]], ["a"]])
    assert facts_are_sound({"invalid": ["p"], "shown": None, "key": "k"})


def test_a_damaged_or_hostile_memo_changes_nothing(tmp_path: Path, small_memo: None, counted: list[int]) -> None:
    path = write(tmp_path / "c.json", hostile_records(120, 9))
    cache = tmp_path / "cache"
    expected = plain(path)
    assert remembered(path, cache) == expected
    [where] = _memo_files(cache)
    good = where.read_bytes()
    for _what, bad in _damages(good):
        where.write_bytes(bad)
        assert remembered(path, cache) == expected
    data = path.read_bytes()
    spans = layout.scan(data)
    assert spans is not None
    prints = memo.fingerprints(data, list(spans.values()))
    rng = random.Random(4)
    for gost in (False, True):  # values of every hostile shape, under a valid header and checksum
        values = [rng.choice(_HOSTILE_VALUES) for _ in prints]
        checks._memo(cache, path, THIS_YEAR, gost)._store(prints, values)
    counted[0] = 0
    assert remembered(path, cache) == expected
    assert counted[0] == len(spans)  # none of them taken
    assert remembered(path, cache, gost=True) == plain(path, gost=True)


# --- --gost and the year: values of their own -----------------------------------------------------


def test_gost_and_the_year_never_share_values(tmp_path: Path, small_memo: None, counted: list[int]) -> None:
    path = write(tmp_path / "c.json", hostile_records(150, 11))
    cache = tmp_path / "cache"
    variants = [(False, THIS_YEAR), (True, THIS_YEAR), (False, THIS_YEAR - 1), (True, THIS_YEAR + 3)]
    expected = {variant: plain(path, gost=variant[0], year=variant[1]) for variant in variants}
    assert len({json.dumps(checks.findings_as_json(found)) for found in expected.values()}) == 4
    for gost, year in [*variants, *variants]:
        assert remembered(path, cache, gost=gost, year=year) == expected[gost, year]
    counted[0] = 0
    for gost in (False, True, False, True):  # one memo with --gost and one without: no undoing each other
        assert remembered(path, cache, gost=gost, year=THIS_YEAR) == expected[gost, THIS_YEAR]
    assert counted[0] == 2 * len(layout.scan(path.read_bytes()) or ())  # the first of each (another year
    # was remembered last), then none
    assert {p.name.rsplit("-", 1)[0] for p in _memo_files(cache)} == {"memo-check", "memo-check-gost"}


def test_the_version_names_the_code_the_options_and_the_year(tmp_path: Path) -> None:
    stamp = checks._code_stamp()
    assert stamp != "?" and stamp == checks._code_stamp()
    versions = {checks._memo(tmp_path, tmp_path / "c.json", year, gost).header["version"]
                for gost in (False, True) for year in (2025, 2026)}
    assert len(versions) == 4 and all(stamp in version for version in versions)


# --- the command line --------------------------------------------------------------------------------


def _outputs() -> dict[tuple[str, ...], tuple[int, str, str]]:
    found: dict[tuple[str, ...], tuple[int, str, str]] = {}
    for argv in (("-f", "tsv"), ("-f", "json"), ("-f", "table"), ("--gost", "-f", "tsv"), ("--gost", "-f", "json")):
        result = run("check", *argv)
        found[argv] = (result.code, result.out, result.err)
    return found


def test_the_command_prints_what_it_printed_before(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(db_path, hostile_records(300, 21))
    monkeypatch.setattr(memo, "MIN_RECORDS", 10**9)  # no memo: the plain check
    before = _outputs()
    assert _memo_files(test_cache()) == []
    assert {code for code, _out, _err in before.values()} == {3}
    monkeypatch.setattr(memo, "MIN_RECORDS", 5)
    assert _outputs() == before  # the memos written
    assert len(_memo_files(test_cache())) == 2
    assert _outputs() == before  # and read
    tsv = before["-f", "tsv"][1]
    assert "\ntab key\tinvalid\t" in tsv  # a tab in a value made a space


def test_the_installed_command_remembers_and_prints_the_same(db_path: Path) -> None:
    records = hostile_records(memo.MIN_RECORDS + 50, 33)
    write(db_path, records)
    expected = checks.findings_as_json(plain(db_path, year=_this_year()))
    first = run_process("check", "--db", str(db_path), "-f", "json")
    assert first.returncode == 3, first.stderr
    assert json.loads(first.stdout) == expected
    assert len(_memo_files(test_cache())) == 1
    again = run_process("check", "--db", str(db_path), "-f", "json")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)


def _this_year() -> int:
    from datetime import UTC, datetime

    return datetime.now(UTC).year
