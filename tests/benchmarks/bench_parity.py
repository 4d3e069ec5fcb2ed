"""Two installed versions of socsopr side by side: is any command slower than it was?

    python -m venv /tmp/before && /tmp/before/bin/pip install 'git+file:///path/to/repo@COMMIT'
    python tests/benchmarks/bench_parity.py /tmp/before/bin/socsopr "$(which socsopr)" --sizes 1000 100000

Each command runs as a whole process, the two versions in alternation (before,
after, before, after …) so that a slow spell of a shared machine falls on both;
each version has its own folder: a copy of the catalogue, its history and its
cache folder (their search indexes differ).

Before timing, each version is brought to the state a catalogue in steady use
is in: a search builds the index, then an ``add`` and its ``undo`` leave the
catalogue as it was, named by its history, with whatever a write leaves in the
cache folder (an index refreshed to the file, remembered spans and checks). That
folder is put back as it was before every timed write, so that every write meets
what the one before it left (and not, say, an index of a file some earlier run
wrote and the reset took away). Prints the medians and the median of the per-pair
ratios (after / before): above 1.05 is a command more than 5 % slower.
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

HERE = Path(__file__).resolve().parent


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Seconds one run of ``argv`` takes; a run that fails stops the benchmark.

    A failing command is not the work being compared (an option one version
    does not know is refused in a fraction of the time the work takes), so a
    non-zero exit is an error of the benchmark, never a number.
    """
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace').strip()}")
    return elapsed


def first_key(path: Path) -> str:
    data = path.read_bytes()
    start = data.index(b'\n    "') + 6
    return data[start:data.index(b'"', start)].decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the socsopr command of the older version")
    parser.add_argument("after", help="the socsopr command of the newer version")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="socsopr-parity-"))
    base_env = dict(os.environ, NO_COLOR="1")
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"load average {os.getloadavg()[0]:.1f}; {args.runs} runs each, in alternation", file=sys.stderr)
    print(f"{'records':>8}  {'command':<34} {'before s':>9} {'after s':>8} {'after/before':>13}")
    for size in args.sizes:
        pristine = work / f"pristine-{size}.json"
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(pristine)], check=True)
        then = time.time() - 60
        os.utime(pristine, (then, then))
        sides = {}
        for side, command in (("before", args.before), ("after", args.after)):
            folder = work / side / str(size)
            folder.mkdir(parents=True)
            path = folder / "catalogue.json"
            shutil.copy2(pristine, path)
            env = dict(base_env, SOCSOPR_DB=str(path), SOCSOPR_CACHE_DIR=str(folder / "cache"))
            for warm_up in (["search", "-f", "ids", "socialism"],
                            ["add", "--type", "book", "--title", "Warm-up record", "--year", "2024"],
                            ["undo", "--yes"], ["search", "-f", "ids", "socialism"]):
                timed([command, *warm_up], env)
            if path.read_bytes() != pristine.read_bytes():
                sys.exit(f"{command} undo did not give the catalogue back as it was")
            kept = work / side / f"{size}-kept"
            shutil.copytree(folder, kept)
            sides[side] = (command, env, folder, kept)
        key = first_key(pristine)
        cases: list[tuple[str, list[str], bool]] = [
            ("--help", ["--help"], False),
            ("list --format tsv", ["list", "--format", "tsv"], False),
            ("search Ovsyannikov (name)", ["search", "-f", "tsv", "Ovsyannikov"], False),
            ("search революция (title word)", ["search", "-f", "tsv", "революция"], False),
            ("search socilism (typo)", ["search", "-f", "tsv", "socilism"], False),
            ("show KEY", ["show", "-f", "json", key], False),
            ("export -f bibtex", ["export", "-f", "bibtex"], False),
            ("add", ["add", "--type", "book", "--title", "Parity record", "--author", "Parity, A.",
                     "--year", "2024"], True),
            ("edit KEY --set issued=2001", ["edit", key, "--set", "issued=2001"], True),
        ]
        for label, argv, writes in cases:
            times: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(args.runs):
                for side in ("before", "after"):
                    command, env, folder, kept = sides[side]
                    if writes:
                        shutil.rmtree(folder)
                        shutil.copytree(kept, folder)
                        os.sync()  # the copy's dirty pages are not left for the write's fsync to flush
                    times[side].append(timed([command, *argv], env))
            ratio = statistics.median(a / b for a, b in zip(times["after"], times["before"], strict=True))
            print(f"{size:>8}  {label:<34} {statistics.median(times['before']):9.3f} "
                  f"{statistics.median(times['after']):8.3f} {ratio:12.2f}×", flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
