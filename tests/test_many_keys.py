"""Looking up many keys (cite, export --keys) maps the file once instead of searching its text per key."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from catalogue import Catalogue
from catalogue.store import layout
from catalogue.store.files import atomic_write

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import generate

RECORDS = dict(sorted(generate(200, seed=4).items()))


def test_one_key_reads_the_text_and_more_keys_map_the_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.json"
    atomic_write(path, layout.dump_records(RECORDS))
    direct: list[str] = []
    scans: list[int] = []
    read_record, scan = layout.read_record, layout.scan

    def looked_up(data: bytes, key: str) -> Any:
        direct.append(key)
        return read_record(data, key)

    def scanned(data: bytes) -> Any:
        scans.append(1)
        return scan(data)

    monkeypatch.setattr(layout, "read_record", looked_up)
    monkeypatch.setattr(layout, "scan", scanned)
    keys = list(RECORDS)[::10]
    with Catalogue.open(path) as cat:
        got = [cat.get(key) for key in keys]
    assert [record["id"] for record in got] == keys
    assert got == [RECORDS[key] for key in keys]
    assert len(direct) == 1 and len(scans) == 1
    with Catalogue.open(path) as cat:  # show KEY: one record read, nothing mapped
        assert cat.get(keys[3]) == RECORDS[keys[3]]
    assert len(direct) == 2 and len(scans) == 1
