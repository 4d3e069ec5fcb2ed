"""Timings of the archivist workflow: GOST parsing, check, and one add/undo on a large catalogue.

Run: python tests/benchmarks/bench_archivist.py [N]   (default N = 100,000 records)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from catalogue import Catalogue
from catalogue.curation.checks import check_records
from catalogue.gost.parse import parse_gost_line
from catalogue.store.files import atomic_write
from catalogue.store.layout import dump_records

LINES = [
    "Ovsyannikov I. A. Why Socialism? — М., 2006. — 36 с.",
    "Hands off education! / Ed. I. A. Ovsyannikov, S. A. Kozlovsky. — Yaroslavl—Moscow, 2005. — 47 с.",
    "Овсянников И. А. Почему социализм? : ответы / под ред. С. А. Козловского. — М. : Прогресс, 2006. — 36 с.",
]


def timed(label: str, func, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args)
    print(f"{label}: {time.perf_counter() - start:.3f} s")
    return result


def main(n: int) -> None:
    lines = [LINES[i % 3].replace("2006", str(1900 + i % 120)) for i in range(10_000)]
    timed("parse 10,000 GOST lines", lambda: [parse_gost_line(line) for line in lines])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        # written by a child: a process started from a parent holding 100,000 records could
        # report the parent's pages in its own peak memory
        subprocess.run([sys.executable, __file__, "--write", str(n), str(path)], check=True)
        env = {**os.environ, "SOCSOPR_DB": str(path)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # time socsopr as an installed package runs
        socsopr = Path(sys.executable).with_name("socsopr")  # not a version manager's shim on PATH
        for args in (["add", "--gost", LINES[0]], ["edit", "key000001", "--set", "number-of-pages=10"],
                     ["remove", "--yes", "key000002"], ["undo"], ["history"], ["check"]):
            _run(f"socsopr {args[0]} on {n:,} records", [str(socsopr), *args], env, path)
        with Catalogue.open(path) as cat:
            timed(f"check_records on {n:,} records (in process)", check_records, cat.records())


def write(n: int, path: Path) -> None:
    records = {
        f"key{i:06d}": {"id": f"key{i:06d}", "type": "book", "title": f"Title number {i}",
                        "author": [{"family": f"Family{i % 5000}", "given": "I. A."}],
                        "issued": {"date-parts": [[1900 + i % 120]]}, "added": "2026-01-01T00:00:00Z",
                        "modified": "2026-01-01T00:00:00Z"}
        for i in range(n)
    }
    atomic_write(path, dump_records(records))


def _run(label: str, argv: list[str], env: dict[str, str], path: Path) -> None:
    size = path.stat().st_size
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    peak = usage.ru_maxrss * 1024 / size
    print(f"{label}: {seconds:.3f} s, exit {os.waitstatus_to_exitcode(status)}, peak memory {peak:.1f}x the file")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
