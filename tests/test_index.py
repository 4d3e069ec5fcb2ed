"""The search index file: cached, keyed to the catalogue file, rebuilt when stale or corrupt."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from conftest import test_cache
from hypothesis import given
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.search.index_file import index_path, open_index
from catalogue.search.query import parse_query
from catalogue.search.ranking import search
from catalogue.store import layout


def found(path: Path, text: str) -> list[str]:
    with open_index(path, test_cache()) as index:
        hits = search(index, parse_query(text)).hits
        return [r["id"] for r in index.fetch([h.number for h in hits])]


def test_built_once_then_read_from_the_cache(shipped: Catalogue, db_path: Path) -> None:
    assert found(db_path, "ovsyannikov")[0] == "ovsyannikov2005hands"
    cached = index_path(db_path, test_cache())
    assert cached.exists() and cached.parent == Path(os.environ["SOCSOPR_CACHE_DIR"])
    stamp = cached.stat().st_mtime_ns
    assert found(db_path, "ovsyannikov")[0] == "ovsyannikov2005hands"
    assert cached.stat().st_mtime_ns == stamp


def test_a_changed_catalogue_is_reindexed(shipped: Catalogue, db_path: Path) -> None:
    assert found(db_path, "zapatista") == []
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add({"id": "zap2001", "type": "book", "title": "Zapatista notes"})
        cat.save("add")
    assert found(db_path, "zapatista") == ["zap2001"]


def test_a_same_size_change_within_the_same_moment_is_seen(shipped: Catalogue, db_path: Path) -> None:
    assert found(db_path, "congress")
    data = db_path.read_bytes()
    stat = db_path.stat()
    db_path.write_bytes(data.replace(b"Congress", b"Kongress"))  # same size, in place
    os.utime(db_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert found(db_path, '"congress"') == []
    assert found(db_path, '"kongress"')


@pytest.mark.parametrize("damage", [b"", b"garbage", b"socsopr-search-index\n{}\n", None])
def test_a_corrupt_index_is_rebuilt_silently(shipped: Catalogue, db_path: Path, damage: bytes | None) -> None:
    found(db_path, "socialism")
    cached = index_path(db_path, test_cache())
    data = cached.read_bytes()
    cached.write_bytes(data[: len(data) // 2] if damage is None else damage)
    assert found(db_path, "socialism")[0] == "ovsyannikov2006why"


def test_an_unwritable_cache_still_searches(shipped: Catalogue, db_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SOCSOPR_CACHE_DIR", str(blocker / "cache"))
    assert found(db_path, "socialism")[0] == "ovsyannikov2006why"


def test_fetch_reads_every_record_from_the_file_built_and_cached(shipped: Catalogue, db_path: Path) -> None:
    records = list(layout.parse_records(db_path, db_path.read_bytes()).values())
    numbers = list(range(len(records)))[::-1]
    for _ in ("built", "cached"):
        with open_index(db_path, test_cache()) as index:
            assert list(index.fetch(numbers)) == [records[n] for n in numbers]


def test_a_hand_edited_layout_is_read_whole(shipped: Catalogue, db_path: Path) -> None:
    records = layout.parse_records(db_path, db_path.read_bytes())
    compact = orjson.dumps({"format": layout.FORMAT, "records": records, "version": 1})
    db_path.write_bytes(compact)
    for _ in ("built", "cached"):
        assert found(db_path, "socilism")[0] == "ovsyannikov2006why"
        with open_index(db_path, test_cache()) as index:
            assert [r["id"] for r in index.fetch([0, 1])] == list(records)[:2]


def test_a_corrupt_catalogue_is_refused(db_path: Path) -> None:
    from catalogue.errors import CorruptStore, StoreError

    db_path.write_text("{not json")
    with pytest.raises(CorruptStore):
        open_index(db_path, test_cache())
    with pytest.raises(StoreError):
        open_index(db_path.with_name("missing.json"), test_cache())


def test_cached_keys_for_completion(shipped: Catalogue, db_path: Path) -> None:
    from catalogue.search.index_file import cached_keys

    assert cached_keys(db_path, test_cache()) is None  # no index yet
    found(db_path, "socialism")
    assert cached_keys(db_path, test_cache()) == sorted(shipped.keys())
    assert cached_keys(db_path.with_name("missing.json"), test_cache()) is None


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяЕЁЙЯ abcxyzJé-.,«»?\n", max_size=30))
def test_folding_word_by_word_equals_the_search_key(text: str) -> None:
    from catalogue.model.translit import search_key
    from catalogue.search.index import WordFolder

    assert " ".join(WordFolder()(text)) == search_key(text)


def test_an_index_folded_differently_is_rebuilt(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A socsopr whose search keys changed must not trust an index an older one wrote."""
    from catalogue.search import index_file
    from catalogue.store.creating import init_catalogue

    db = tmp_path / "cat.json"
    init_catalogue(db)
    with index_file.open_index(db, test_cache()) as first:
        assert first.count == 19
    monkeypatch.setattr(index_file, "fold_fingerprint", lambda: "folded another way")
    built: list[int] = []
    real_build = index_file._build
    monkeypatch.setattr(index_file, "_build", lambda *a: built.append(1) or real_build(*a))
    with index_file.open_index(db, test_cache()) as second:
        assert second.count == 19
    assert built == [1]
