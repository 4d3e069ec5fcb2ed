"""catalogue.store.memo: values remembered by each record's bytes, and a hostile memo read as none."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.store import layout, memo


def _catalogue(count: int, note: str = "") -> bytes:
    records = {f"r{n:06d}": {"id": f"r{n:06d}", "type": "book", "title": f"Title {n}{note if n % 7 == 0 else ''}"}
               for n in range(count)}
    return layout.dump_records(records)


def _run(cache: Path, source: Path, data: bytes, version: str = "1") -> tuple[list[str], list[str]]:
    """The values, and the keys whose value was computed (not remembered)."""
    computed: list[str] = []
    spans = layout.scan(data)
    assert spans is not None

    def compute(key: str, span: memo.Raw) -> str:
        computed.append(key)
        return f"{key}:{data[span[1]:span[2]].count(b'7')}"

    values = list(memo.RecordMemo(cache, source, "test", version).derive(data, spans, compute,
                                                                         lambda v: isinstance(v, str)))
    return values, computed


@pytest.fixture
def place(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "cache", tmp_path / "catalogue.json"


def test_unchanged_records_are_remembered_and_changed_ones_derived(place: tuple[Path, Path]) -> None:
    cache, source = place
    count = memo.MIN_RECORDS + 10
    first, computed = _run(cache, source, _catalogue(count))
    assert len(computed) == count
    again, computed = _run(cache, source, _catalogue(count))
    assert again == first and computed == []
    changed = _catalogue(count, note=" 7")
    values, computed = _run(cache, source, changed)
    assert computed == [f"r{n:06d}" for n in range(count) if n % 7 == 0]
    fresh = memo.RecordMemo(cache / "elsewhere", source, "test", "1")
    spans = layout.scan(changed)
    assert spans is not None
    assert values == list(fresh.derive(changed, spans, lambda k, s: f"{k}:{changed[s[1]:s[2]].count(b'7')}",
                                       lambda v: True))


def test_another_version_or_catalogue_reads_nothing(place: tuple[Path, Path]) -> None:
    cache, source = place
    data = _catalogue(memo.MIN_RECORDS)
    _run(cache, source, data)
    assert len(_run(cache, source, data, version="2")[1]) == memo.MIN_RECORDS
    assert len(_run(cache, source.with_name("other.json"), data)[1]) == memo.MIN_RECORDS


def test_a_small_catalogue_keeps_no_memo(place: tuple[Path, Path]) -> None:
    cache, source = place
    _run(cache, source, _catalogue(10))
    assert not cache.exists() or not list(cache.iterdir())


def test_invalid_remembered_values_are_derived_again(place: tuple[Path, Path]) -> None:
    cache, source = place
    data = _catalogue(memo.MIN_RECORDS)
    spans = layout.scan(data)
    assert spans is not None
    remembered = memo.RecordMemo(cache, source, "test", "1")
    list(remembered.derive(data, spans, lambda k, s: 12, lambda v: True))  # not what the reader accepts
    values, computed = _run(cache, source, data)
    assert len(computed) == memo.MIN_RECORDS and all(isinstance(v, str) for v in values)


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=400), junk=st.binary(max_size=64))
def test_a_damaged_memo_reads_as_empty(tmp_path_factory: pytest.TempPathFactory, cut: int, junk: bytes) -> None:
    folder = tmp_path_factory.mktemp("memo")
    cache, source = folder / "cache", folder / "catalogue.json"
    data = _catalogue(memo.MIN_RECORDS)
    expected, _ = _run(cache, source, data)
    (stored,) = cache.iterdir()
    raw = stored.read_bytes()
    stored.write_bytes(raw[:cut] + junk + raw[cut + len(junk) + 1:])
    values, _ = _run(cache, source, data)
    assert values == expected


def test_a_memo_that_cannot_be_stored_is_no_error(place: tuple[Path, Path]) -> None:
    cache, source = place
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the cache folder should be")
    values, computed = _run(cache, source, _catalogue(memo.MIN_RECORDS))
    assert len(values) == len(computed) == memo.MIN_RECORDS


def test_the_memos_of_a_catalogue_keep_within_their_budget(place: tuple[Path, Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Memos of kinds no longer used (a format not exported again) go first; the last used stay."""
    cache, source = place
    data = _catalogue(memo.MIN_RECORDS)
    source.write_bytes(data)
    spans = layout.scan(data)
    assert spans is not None

    def make(kind: str) -> Path:
        remembered = memo.RecordMemo(cache, source, kind, "1")
        list(remembered.derive(data, spans, lambda key, span: key * 3, lambda v: isinstance(v, str)))
        return remembered.path

    first = make("a")
    size = first.stat().st_size
    monkeypatch.setattr(memo, "BUDGET", 2.5 * size / len(data))  # room for two memos and a half
    monkeypatch.setattr(memo, "MIN_BUDGET", 0)
    made = [first, make("b")]
    time.sleep(0.01)
    made.append(make("c"))
    assert not made[0].exists() and made[1].exists() and made[2].exists()
    time.sleep(0.01)
    remembered = memo.RecordMemo(cache, source, "b", "1")  # b used again: c is now the least recent
    assert list(remembered.derive(data, spans, lambda key, span: "?", lambda v: isinstance(v, str))) == [
        key * 3 for key in spans]
    time.sleep(0.01)
    made.append(make("d"))
    assert made[1].exists() and not made[2].exists() and made[3].exists()
