"""The long fuzz run: N hostile examples per importer (default 10,000), alone and through the import.

Run: python tests/benchmarks/fuzz_importers.py [N] [FORMAT ...]

Prints for each importer the examples run, the exceptions that were not a
CatalogueError or broke a bound (must be 0; the first three are printed and their
inputs saved in the temporary folder), the slowest example and the total time, and the process's peak memory.
The strategies and the check are the CI fuzz tests' (tests/fuzz/hostile.py).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, Phase, given, settings

from tests.fuzz.hostile import FORMATS, TEXTS, check_importer


def run(fmt: str, n: int) -> tuple[int, int, float, float]:
    """Examples run, failures, slowest example (s), total (s) for one importer."""
    stats = {"runs": 0, "failures": 0, "slowest": 0.0}

    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(text=TEXTS[fmt])
    def example(text: str) -> None:
        stats["runs"] += 1
        started = time.perf_counter()
        try:
            check_importer(fmt, text)
        except Exception:  # every failure is counted and the run goes on
            stats["failures"] += 1
            if stats["failures"] <= 3:
                saved = Path(tempfile.gettempdir()) / f"fuzz-{fmt}-{int(stats['failures'])}.txt"
                saved.write_text(text, encoding="utf-8", errors="surrogatepass")
                print(f"--- {fmt}: input {text[:300]!r} (whole: {saved})", file=sys.stderr)
                traceback.print_exc(limit=4)
        stats["slowest"] = max(stats["slowest"], time.perf_counter() - started)

    started = time.perf_counter()
    example()
    return int(stats["runs"]), int(stats["failures"]), stats["slowest"], time.perf_counter() - started


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 10_000
    formats = argv[1:] or list(FORMATS)
    print(f"{'importer':10} {'examples':>9} {'exceptions':>10} {'slowest s':>10} {'total s':>9}")
    failed = 0
    for fmt in formats:
        runs, failures, slowest, total = run(fmt, n)
        failed += failures
        print(f"{fmt:10} {runs:9,} {failures:10} {slowest:10.3f} {total:9.1f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
