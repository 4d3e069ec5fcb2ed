"""Time socsopr as whole processes on generated catalogues of 1k, 10k and 100k records.

    python tests/benchmarks/bench_cli.py                 # 1000 10000 100000, 5 runs each
    python tests/benchmarks/bench_cli.py --sizes 1000 10000 --runs 3

Each command is timed beside its floor measured in the same run: ``python -c
"import typer, rich"`` for ``--help``; for the others, the same Python loading
the catalogue file with orjson and scanning titles and names for a substring.
Prints medians, ratios to the floor and peak memory against the file's size.
The search index is built once before timing (it is rebuilt only when the
catalogue changes); the time of that build is shown on its own row. Bytecode
caching is left on (PYTHONDONTWRITEBYTECODE is removed), as in an installed package.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_SCAN = """
import sys, orjson
data = orjson.loads(open(sys.argv[1], 'rb').read())
needle = sys.argv[2].lower()
hits = [r for r in data['records'].values()
        if needle in (r.get('title', '') + ' ' + ' '.join(n.get('family', '') for n in r.get('author', ()))).lower()]
print(len(hits))
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Seconds, exit code and peak memory (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss


def median_of(argv: list[str], env: dict[str, str], runs: int, before: list[str] | None = None,
              reset: tuple[Path, Path] | None = None) -> tuple[float, int, int]:
    times, peak, code = [], 0, 0
    for _ in range(runs):
        if reset is not None:
            shutil.copyfile(*reset)
        seconds, code, rss = run(argv, env)
        times.append(seconds)
        peak = max(peak, rss)
    return statistics.median(times), code, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    socsopr = _console_script()
    work = Path(tempfile.mkdtemp(prefix="socsopr-bench-"))
    env = dict(os.environ, SOCSOPR_CACHE_DIR=str(work / "cache"), NO_COLOR="1")
    # An installed package runs from cached bytecode; with PYTHONDONTWRITEBYTECODE set (as on some
    # sandboxes) every socsopr process would compile its own modules from source first.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows: list[tuple[str, str, float, float, str, str]] = []
    help_floor, _, _ = median_of([sys.executable, "-c", "import typer, rich"], env, args.runs)
    help_time, _, _ = median_of([socsopr, "--help"], env, args.runs)
    rows.append(("-", "--help", help_time, help_floor, "1.3", ""))
    for size in args.sizes:
        # generated in a child process: a forked child's peak memory starts at its parent's size
        path = work / f"catalogue-{size}.json"
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), str(size), str(path)],
                       check=True)
        pristine = work / f"pristine-{size}.json"
        shutil.copyfile(path, pristine)
        mb = path.stat().st_size / 2**20
        env["SOCSOPR_DB"] = str(path)
        floor, _, floor_rss = median_of([sys.executable, "-c", FLOOR_SCAN, str(path), "socialism"], env, args.runs)
        start = time.perf_counter()
        run([socsopr, "search", "-f", "ids", "socialism"], env)
        rows.append((str(size), "search: index build (once per change)", time.perf_counter() - start,
                     floor, "-", ""))
        search_target = "0.5" if size >= 100000 else "1.0"
        cases = [
            ("list --format tsv", ["list", "--format", "tsv"], "1.5", None),
            ("search Ovsyannikov (name)", ["search", "-f", "tsv", "Ovsyannikov"], search_target, None),
            ("search революция (title word)", ["search", "-f", "tsv", "революция"], search_target, None),
            ("search socilism (typo)", ["search", "-f", "tsv", "socilism"], search_target, None),
            ("show KEY", ["show", "-f", "json", _first_key(path)], "1.5", None),
            ("add", ["add", "--type", "book", "--title", "Benchmark record", "--author", "Bench, A.",
                     "--year", "2024"], "2.0", (pristine, path)),
        ]
        for label, argv, target, reset in cases:
            seconds, code, rss = median_of([socsopr, *argv], env, args.runs, reset=reset)
            memory = f"{rss / 1024 / mb:.1f}×" if mb else ""
            label = label if code == 0 else f"{label} (exit {code})"
            rows.append((str(size), label, seconds, floor, target, memory))
        rows.append((str(size), "floor: orjson load + scan", floor, floor, "", f"{floor_rss / 1024 / mb:.1f}×"))
    print(f"{'records':>8}  {'command':<40} {'median s':>9} {'floor s':>8} {'ratio':>6} {'target':>7}  peak/file")
    for size, label, seconds, floor, target, memory in rows:
        ratio = seconds / floor
        print(f"{size:>8}  {label:<40} {seconds:9.3f} {floor:8.3f} {ratio:5.2f}× {'≤' + target if target not in ('', '-') else '':>7}  {memory}")
    shutil.rmtree(work, ignore_errors=True)


def _console_script() -> str:
    """The ``socsopr`` that pip installed for this Python.

    Not whatever ``socsopr`` is first on PATH: a version manager's shim there (pyenv's is
    a bash script that runs ``pyenv exec``) adds about 100 ms to every process timed.
    """
    beside = Path(sys.executable).with_name("socsopr")
    found = str(beside) if beside.is_file() else shutil.which("socsopr")
    if found is None:
        sys.exit("socsopr is not installed for this Python (pip install .)")
    print(f"timing {found}", file=sys.stderr)
    return found


def _first_key(path: Path) -> str:
    """The first record's key, read without parsing the file (a big parent inflates children's peak RSS)."""
    data = path.read_bytes()
    start = data.index(b'\n    "') + 6
    return data[start:data.index(b'"', start)].decode()


if __name__ == "__main__":
    main()
