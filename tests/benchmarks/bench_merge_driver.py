"""Timing of the git merge driver: two 100,000-record catalogues with 100 changes each.

Run: python tests/benchmarks/bench_merge_driver.py [N] [CHANGES]   (defaults 100,000 and 100)

Each side makes CHANGES changes to a copy of the base (a third edits a field, a
third adds records, a sixth removes, a sixth edits tags), a few of the edits on
the same records as the other side (different fields, and one field both sides
change: conflict records). ``socsopr git merge-driver`` runs as a subprocess, as
git runs it, five times; the median is printed. The target is under 3 s.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate

from catalogue.store.layout import dump_records

TARGET = 3.0


def side(base: dict[str, dict[str, Any]], changes: int, seed: int, name: str) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    records = {key: dict(record) for key, record in base.items()}
    keys = sorted(base)
    shared = keys[:10]  # both sides touch these: different fields merge, 'note' both change conflicts
    for n in range(changes):
        what = n % 6
        if n < 10:
            key = shared[n]
            field = "publisher" if name == "ours" else "edition"
            records[key][field] = f"{field} by {name}"
            if n < 2:
                records[key]["note"] = f"note by {name}"
        elif what in (0, 1):
            records[rng.choice(keys)]["title"] = f"Corrected by {name} #{n}"
        elif what in (2, 3):
            key = f"{name}{n:04d}x2024"
            records[key] = {"id": key, "type": "book", "title": f"Added by {name} #{n}",
                            "issued": {"date-parts": [[2024]]}}
        elif what == 4:
            records.pop(rng.choice(keys[10:]), None)
        else:
            key = rng.choice(keys)
            records[key]["tags"] = sorted({*records[key].get("tags", []), f"{name}-tag"})
    return dict(sorted(records.items()))


def main(n: int, changes: int) -> None:
    socsopr = Path(sys.executable).with_name("socsopr")  # the installed command, not a shim on PATH
    started = time.perf_counter()
    base = generate(n)
    ours, theirs = side(base, changes, 1, "ours"), side(base, changes, 2, "theirs")
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        for name, records in (("base", base), ("ours", ours), ("theirs", theirs)):
            (where / f"{name}.json").write_bytes(dump_records(dict(sorted(records.items()))))
        size = (where / "base.json").stat().st_size
        print(f"{n:,} records ({size / 1e6:.0f} MB), {changes} changes on each side; "
              f"generated in {time.perf_counter() - started:.1f} s")
        env = {**os.environ}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        times = []
        for _round in range(5):
            shutil.copy(where / "ours.json", where / "merged.json")
            start = time.perf_counter()
            done = subprocess.run([str(socsopr), "git", "merge-driver", str(where / "base.json"),
                                   str(where / "merged.json"), str(where / "theirs.json"), "catalogue.json"],
                                  capture_output=True, text=True, env=env, check=False)
            times.append(time.perf_counter() - start)
            assert done.returncode in (0, 1), done.stderr
        print(f"merge-driver exit {done.returncode}: {done.stderr.strip()[:160]}")
        median = statistics.median(times)
        print(f"merge-driver: median {median:.2f} s of 5 (min {min(times):.2f}, max {max(times):.2f}); "
              f"target < {TARGET:g} s: {'met' if median < TARGET else 'MISSED'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 100)
