"""Timings of batch edit and merge on a large catalogue, as a person runs them (the installed socsopr).

Run: python tests/benchmarks/bench_batch_edit.py [N]   (default N = 100,000 records)

Reports, each a fresh process on a catalogue of N generated records:
``edit --where 'type:book' --add-tag x --yes`` (about a third of the records),
``edit --where '' --add-tag y --yes`` (every record), the ``undo`` of the latter,
and ``merge`` of two records with ``--yes``. The target (issue 17): a batch edit of
100,000 records under 5 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0


def main(n: int) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from generate import write_catalogue

    socsopr = Path(sys.executable).with_name("socsopr")  # not a version manager's shim on PATH
    slow = []
    with tempfile.TemporaryDirectory() as folder:
        path = write_catalogue(n, Path(folder) / "big.json")
        env = {**os.environ, "SOCSOPR_DB": str(path), "SOCSOPR_CACHE_DIR": str(Path(folder) / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # time socsopr as an installed package runs
        runs = [
            ("batch edit of the books", ["edit", "--where", "type:book", "--add-tag", "x", "--yes"], True),
            ("batch edit of every record", ["edit", "--where", "", "--add-tag", "y", "--yes"], True),
            ("undo of that batch edit", ["undo", "--yes"], False),
            ("merge of two records", ["merge", "r000001y1971", "r000002y1931", "--keep-both", "author", "--yes"], False),
            ("undo of the merge", ["undo", "--yes"], False),
        ]
        for label, args, targeted in runs:
            start = time.perf_counter()
            done = subprocess.run([str(socsopr), *args], env=env, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - start
            said = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
            print(f"{label} on {n:,} records: {seconds:.2f} s (exit {done.returncode}) — {said}")
            if done.returncode != 0:
                return done.returncode
            if targeted and seconds > TARGET_SECONDS:
                slow.append(label)
    if slow:
        print(f"slower than {TARGET_SECONDS} s: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
