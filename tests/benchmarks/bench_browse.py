"""Time 'socsopr browse' on a generated catalogue: time to first screen and per-keystroke updates.

    python tests/benchmarks/bench_browse.py                  # 100,000 records
    python tests/benchmarks/bench_browse.py --records 10000 --catalogue /tmp/cat10k.json

Measured headless through textual's pilot (``App.run_test``), in this process:

- first screen: from creating the app to its first frame (the query box and the
  loading indicator), and to the first results on screen, with a cold index
  (the cache folder empty: the index is built in a worker first) and a warm one;
- per keystroke: each query typed one key at a time (``--rounds`` times); from
  the key press to the results of the query so far being on screen (the newest
  query wins: a key is not pressed before the answer to the previous one is
  shown), median, 95th percentile and worst, and the search alone (ranking and
  reading the shown records); the first key of each query (one letter, a prefix
  of most of the catalogue) apart.

With tmux on PATH the whole command is also timed in a real terminal: from
starting 'python -m socsopr_cli browse' (this checkout's code, not whatever copy
is installed) to the first results on the screen (``capture-pane``), cold and
warm. Then the whole 'socsopr search -f ids s' process (81% of the records
match), with and without ``--limit 20``. The machine's load average is printed:
on a shared machine the numbers move with it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

QUERIES = ("socialism", "Овсянников", "revolution workers", "type:pamphlet year:2005..2007",
           "history -crisis", "ovsjannikov")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def first_screen(db: Path, cache: Path) -> tuple[float, float]:
    """Seconds from creating the app to its first frame, and to the first results on screen."""
    started = time.perf_counter()
    from socsopr_cli.browse.app import BrowseApp

    app = BrowseApp(db, cache)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = time.perf_counter() - started
        while app.page is None:
            await pilot.pause(0.001)
        results = app.shown_at - started
    return screen, results


async def keystrokes(db: Path, cache: Path, rounds: int = 1) -> tuple[list[float], list[float], list[int]]:
    """Per key: seconds from the press to the results on screen, the search's own seconds, and the
    length of the query after the key (the queries typed ``rounds`` times)."""
    from socsopr_cli.browse.app import BrowseApp

    app = BrowseApp(db, cache)
    updates: list[float] = []
    searches: list[float] = []
    lengths: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.page is None:
            await pilot.pause(0.005)
        for query in QUERIES * rounds:
            app.query_one("#query").value = ""  # type: ignore[attr-defined]
            await _settled(pilot, app)
            for length, char in enumerate(query, 1):
                pressed = time.perf_counter()
                await pilot.press({" ": "space"}.get(char, char))
                await _settled(pilot, app)
                updates.append(app.shown_at - pressed)
                lengths.append(length)
                if app.page is not None:
                    searches.append(app.page.seconds)
    return updates, searches, lengths


async def _settled(pilot: object, app: object) -> None:
    loop = app.loop  # type: ignore[attr-defined]
    while loop is None or app.shown_generation != loop.latest:  # type: ignore[attr-defined]
        await pilot.pause(0.0005)  # type: ignore[attr-defined]
        loop = app.loop  # type: ignore[attr-defined]


def in_tmux(db: Path, cache: Path, expected: str) -> float | None:
    """Seconds from starting 'socsopr browse' in tmux to ``expected`` on its screen (None without tmux)."""
    if shutil.which("tmux") is None:
        return None
    # this checkout's code, whatever copy of socsopr is installed
    command = f"cd {shlex.quote(str(ROOT))} && {shlex.quote(sys.executable)} -m socsopr_cli"
    socket = f"socsopr-bench-{os.getpid()}"
    tmux = ["tmux", "-L", socket]
    env = ["-e", f"SOCSOPR_CACHE_DIR={cache}", "-e", f"PATH={os.environ['PATH']}", "-e", "LANG=C.UTF-8"]
    started = time.perf_counter()
    subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40", *env,
                    f"{command} browse --db {shlex.quote(str(db))}"], check=True)
    try:
        while time.perf_counter() - started < 120:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True,
                                    text=True).stdout
            if expected in screen:
                return time.perf_counter() - started
            time.sleep(0.005)
        return float("nan")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def search_process(db: Path, cache: Path, runs: int, words: tuple[str, ...] = ("-f", "ids", "s")) -> list[float]:
    """Seconds of the whole 'search' process (this checkout's code), after one run that warms the cache."""
    command = [sys.executable, "-m", "socsopr_cli", "search", *words, "--db", str(db)]
    env = {**os.environ, "SOCSOPR_CACHE_DIR": str(cache)}
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return times[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--catalogue", type=Path, help="use (or write) the generated catalogue here")
    parser.add_argument("--runs", type=int, default=3, help="first-screen runs, cold and warm")
    parser.add_argument("--keys-only", action="store_true", help="time the keystrokes only")
    parser.add_argument("--cache", type=Path, help="the search index cache folder to use (keys only)")
    parser.add_argument("--rounds", type=int, default=1, help="type the queries this many times")
    parser.add_argument("--search-runs", type=int, default=5,
                        help="also time the whole 'socsopr search -f ids s' process this many times (0: not)")
    args = parser.parse_args()
    from tests.benchmarks.generate import write_catalogue

    scratch = Path(tempfile.mkdtemp(prefix="socsopr-bench-browse-"))
    db = args.catalogue or scratch / f"catalogue-{args.records}.json"
    if not db.exists():
        write_catalogue(args.records, db)
    print(f"catalogue: {db} ({db.stat().st_size / 1e6:.0f} MB, {args.records:,} records); "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (a shared machine: "
          "the numbers move with its load)")
    expected = f"{args.records:,} records"

    rows = []
    for kind in ("cold", "warm") if not args.keys_only else ():
        screens, results, real = [], [], []
        for _ in range(args.runs):
            cache = scratch / f"cache-{kind}"
            if kind == "cold" and cache.exists():
                shutil.rmtree(cache)
            screen, first = asyncio.run(first_screen(db, cache))
            screens.append(screen)
            results.append(first)
            if kind == "cold":
                shutil.rmtree(cache)
            seconds = in_tmux(db, cache, expected)
            if seconds is not None:
                real.append(seconds)
        rows.append((kind, screens, results, real))
    if rows:
        print(f"\nfirst screen ({args.runs} runs each, median; in-process through the pilot):")
    for kind, screens, results, real in rows:
        line = (f"  {kind} index: first frame {statistics.median(screens) * 1000:6.0f} ms, "
                f"first results {statistics.median(results) * 1000:6.0f} ms")
        if real:
            line += f"; the real command in tmux, start to results: {statistics.median(real) * 1000:6.0f} ms"
        print(line)

    if args.keys_only:
        (scratch / "cache-warm").mkdir(exist_ok=True)
    updates, searches, lengths = asyncio.run(keystrokes(db, args.cache or scratch / "cache-warm", args.rounds))
    print(f"\nper keystroke ({len(updates)} keys over {len(QUERIES)} queries, typed {args.rounds} time(s): "
          f"{', '.join(QUERIES)}):")
    for label, chosen in (("every key", lambda n: True), ("the first key (one letter)", lambda n: n == 1),
                          ("every later key", lambda n: n > 1)):
        ms = [u * 1000 for u, n in zip(updates, lengths, strict=True) if chosen(n)]
        search_ms = [s * 1000 for s, n in zip(searches, lengths, strict=True) if chosen(n)]
        print(f"  {label}: key to results on screen median {statistics.median(ms):.0f} ms, "
              f"p95 {percentile(ms, 0.95):.0f} ms, worst {max(ms):.0f} ms; the search alone median "
              f"{statistics.median(search_ms):.0f} ms, p95 {percentile(search_ms, 0.95):.0f} ms")
    print(f"  load average now {os.getloadavg()[0]:.2f}")
    if args.search_runs:
        for words in (("-f", "ids", "s"), ("-f", "ids", "s", "--limit", "20")):
            times = [t * 1000 for t in search_process(db, args.cache or scratch / "cache-warm", args.search_runs,
                                                      words)]
            print(f"\nthe whole 'socsopr search {' '.join(words)}' process ({args.search_runs} runs, warm index): "
                  f"median {statistics.median(times):.0f} ms, best {min(times):.0f} ms, worst {max(times):.0f} ms")
        print(f"  load average now {os.getloadavg()[0]:.2f}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
