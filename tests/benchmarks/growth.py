"""How each socsopr command's time and memory grow with the catalogue: 1k, 10k, 100k and 1M records.

    python tests/benchmarks/growth.py                          # 1k 10k 100k 1M
    python tests/benchmarks/growth.py --sizes 1k 10k --runs 3  # a quick check

Opt-in, never run by pytest or CI (pip install -e '.[bench]' for the plot).
Every command runs as a whole process on generate.py's catalogue (kept in
--workdir, /tmp/growth by default, and reused: a million records take minutes
to generate); the time is the median of 3 runs (at 1M one run, three for a
command under 10 s), the memory the highest peak resident size of the runs
(os.wait4's ru_maxrss: the process or a child it waited for, such as pandoc),
beside the file's size. A process is killed after --timeout seconds and
recorded as timed out. An untimed pass of every command on the smallest
catalogue goes first, so that no timed run compiles bytecode.

The search index lives in a cache folder of the run's own (SOCSOPR_CACHE_DIR):
"search (index build)" is a search with an empty cache, "search (index warm)"
one with an up-to-date index, "search after add (first)" the first search after
an add changed the file. Writes (add, edit, remove, undo) change a working copy,
a record at a time, so the catalogue stays within a few records of its size.

Writes tests/benchmarks/results/growth.csv, prints a summary with the slope of
log time against log records (least squares from 10k up, and between the two
largest sizes) and plots docs/performance/growth.png.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from processes import run_limited  # (this folder: the script's own)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CSV_PATH = HERE / "results" / "growth.csv"
PLOT_PATH = ROOT / "docs" / "performance" / "growth.png"
CITED_KEYS = 300
COMPLETION_PREFIX = "r0001"  # generated keys are r<6 digits>y<year>: 100 keys start so at every size from 1k
SEARCH = "Ovsyannikov"
ADDED = "Growthson"  # the author of the records the benchmark adds, a name no generated record has
QUICK = 10.0  # seconds: a command this quick runs 3 times even at 1M records


@dataclass
class Run:
    """One process: seconds, exit code, peak resident size (KiB), lines printed, killed or not."""

    seconds: float
    code: int
    peak_kib: int
    lines: int
    timed_out: bool


@dataclass
class Result:
    """A command at one size: the runs' median time and highest peak."""

    size: int
    command: str
    runs: list[Run]
    file_bytes: int

    @property
    def timed_out(self) -> bool:
        return any(r.timed_out for r in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_kib for r in self.runs) / 1024

    def row(self, timeout: float) -> dict[str, object]:
        mib = self.file_bytes / 2**20
        return {
            "records": self.size, "command": self.command, "runs": len(self.runs),
            "median_s": "" if self.timed_out else f"{self.median:.4f}",
            "min_s": f"{min(r.seconds for r in self.runs):.4f}", "max_s": f"{max(r.seconds for r in self.runs):.4f}",
            "peak_rss_mib": f"{self.peak_mib:.1f}", "file_mib": f"{mib:.1f}",
            "peak_over_file": f"{self.peak_mib / mib:.2f}" if mib else "",
            "exit_codes": " ".join(sorted({str(r.code) for r in self.runs})),
            "output_lines": self.runs[-1].lines,
            "note": f"> {timeout:.0f} s (timed out)" if self.timed_out else "",
        }


def run_once(argv: list[str], env: dict[str, str], timeout: float) -> Run:
    """Run one process to its end, counting its output lines; kill its group after ``timeout`` s."""

    def count_lines(out: IO[bytes]) -> int:
        lines = 0
        while chunk := out.read(1 << 20):  # counted, not kept: an export of 1M records is ~1 GB
            lines += chunk.count(b"\n")
        return lines

    done, lines = run_limited(argv, env, timeout, count_lines)
    return Run(done.seconds, done.code, done.peak_kib, lines, done.timed_out)


class Bench:
    """One catalogue size: its working copy, its cache folder, its environment, its results."""

    def __init__(self, socsopr: str, size: int, workdir: Path, runs: int, timeout: float,
                 quiet: bool = False) -> None:
        self.socsopr, self.size, self.runs, self.timeout, self.quiet = socsopr, size, runs, timeout, quiet
        self.pristine = workdir / f"catalogue-{size}.json"
        self.db = workdir / f"work-{size}.json"
        self.cache = workdir / f"cache-{size}"
        self.env = {**os.environ, "SOCSOPR_DB": str(self.db), "SOCSOPR_CACHE_DIR": str(self.cache),
                    "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"}
        # An installed package runs from cached bytecode; keep it on, as bench_cli.py does.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.results: list[Result] = []
        self.index_bytes = 0

    def prepare(self, regenerate: bool) -> None:
        """Generate the catalogue once (in a child: a big parent inflates children's peaks), copy it to work on."""
        if regenerate or not self.pristine.exists():
            print(f"generating {self.size:,} records …", file=sys.stderr)
            started = time.perf_counter()
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(self.size), str(self.pristine)],
                           check=True)
            print(f"  {time.perf_counter() - started:.0f} s", file=sys.stderr)
        self.clean()
        shutil.copyfile(self.pristine, self.db)
        # A file written less than 2 s before its index is built is "racy": every search would hash
        # it until the next change. A user's catalogue is rarely that fresh: date the copy back.
        then = time.time() - 60
        os.utime(self.db, (then, then))

    def clean(self) -> None:
        """Remove the working copy, its lock and history, and the search cache."""
        shutil.rmtree(self.cache, ignore_errors=True)
        self.db.unlink(missing_ok=True)
        for sidecar in self.db.parent.glob(self.db.name + ".*"):
            if sidecar.is_file():
                sidecar.unlink()
            else:
                shutil.rmtree(sidecar)

    def time(self, command: str, argv: list[str] | Callable[[int], list[str]], runs: int | None = None,
             clear_cache: bool = False, env: dict[str, str] | None = None) -> Result:
        """Median of ``runs`` runs of ``socsopr ARGV`` (ARGV may depend on the run's number)."""
        taken: list[Run] = []
        wanted = runs or self.runs
        i = 0
        while i < wanted:
            if clear_cache:
                shutil.rmtree(self.cache, ignore_errors=True)
            args = argv(i) if callable(argv) else argv
            taken.append(run_once([self.socsopr, *args], env or self.env, self.timeout))
            if taken[-1].timed_out:
                break  # a second run would only time out again
            if i == 0 and runs is None and taken[0].seconds < QUICK:
                wanted = max(wanted, 3)  # a quick command gets a median even where one run is the rule
            i += 1
        return self.record(command, taken)

    def record(self, command: str, taken: list[Run]) -> Result:
        result = Result(self.size, command, taken, self.db.stat().st_size)
        self.results.append(result)
        if self.quiet:
            return result
        shown = f"> {self.timeout:.0f} s (timed out)" if result.timed_out else f"{result.median:8.3f} s"
        print(f"{self.size:>9,}  {command:<34} {shown}  peak {result.peak_mib:7.0f} MiB"
              f"  exit {result.runs[-1].code}  lines {result.runs[-1].lines}", file=sys.stderr)
        return result

    def keys(self) -> list[str]:
        """Keys spread evenly over the catalogue (read from a child's 'list --format ids', a few kept)."""
        proc = subprocess.Popen([self.socsopr, "list", "--format", "ids"], env=self.env, stdout=subprocess.PIPE,
                                text=True)
        assert proc.stdout is not None
        step = max(1, self.size // CITED_KEYS)
        kept = [line.strip() for n, line in enumerate(proc.stdout) if n % step == 0]
        proc.wait()
        return kept[:CITED_KEYS]

    def all_commands(self) -> None:
        keys = self.keys()
        middle = keys[len(keys) // 2]
        search = ["search", "--format", "ids", SEARCH]
        self.time("--version (start-up floor)", ["--version"])
        self.time("search (index build)", search, clear_cache=True)
        run_once([self.socsopr, *search], self.env, self.timeout)
        self.time("search (index warm)", search)
        self.index_bytes = sum(f.stat().st_size for f in self.cache.rglob("*") if f.is_file())
        completion = {**self.env, "_SOCSOPR_COMPLETE": "complete_bash",
                      "COMP_WORDS": f"socsopr show {COMPLETION_PREFIX}", "COMP_CWORD": "2"}
        self.time("completion of keys (index warm)", [], env=completion)
        self.time("list", ["list", "--format", "tsv"])
        self.time("list --sort title", ["list", "--sort", "title", "--format", "tsv"])
        self.time("show KEY", ["show", "--format", "json", middle])
        self.time("check", ["check", "--format", "tsv"])
        self.time("stats", ["stats", "--format", "json"])
        self.time("export bibtex", ["export", "--format", "bibtex"])
        self.time("export csl-json", ["export", "--format", "csl-json"])
        self.time(f"cite -s apa ({len(keys)} keys)", ["cite", "--style", "apa", *keys])
        # Writes change one record of the working copy each; the first search after each add is timed.
        adds, searches = [], []
        for i in range(self.runs):
            adds.append(run_once([self.socsopr, "add", "--yes", "--type", "book", "--title",
                                  f"Growth benchmark record {i}", "--author", f"{ADDED}, T{i}.", "--year", "2024"],
                                 self.env, self.timeout))
            searches.append(run_once([self.socsopr, *search], self.env, self.timeout))
        self.record("add", adds)
        self.record("search after add (first)", searches)
        # Every generated query's hits grow with the catalogue; the records just added are a query
        # whose hits (one to three) do not, which tells a search's cost per hit from its cost per record.
        # (the file dated back and the index rebuilt first: one built within 2 s of a write is "racy")
        then = time.time() - 60
        os.utime(self.db, (then, then))
        run_once([self.socsopr, "search", "--format", "ids", ADDED], self.env, self.timeout)
        self.time("search, ≤3 hits (index warm)", ["search", "--format", "ids", ADDED])
        self.time("edit KEY --set title", lambda i: ["edit", middle, "--set", f"title=Growth benchmark edit {i}"])
        self.time("remove KEY", lambda i: ["remove", "--yes", keys[1 + i]])
        self.time("history", ["history", "--format", "tsv"])
        self.time("undo", ["undo", "--yes"])


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log time against log records."""
    if len(points) < 2:
        return None
    xs, ys = [math.log10(n) for n, _ in points], [math.log10(max(t, 1e-6)) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else None


def summary(results: list[Result], timeout: float, index_bytes: dict[int, int]) -> str:
    """A table: time at each size, slopes, peak memory against the file at the largest size."""
    sizes = sorted({r.size for r in results})
    commands = list(dict.fromkeys(r.command for r in results))
    by = {(r.size, r.command): r for r in results}
    heads = ["command", *(f"{_short(s)} s" for s in sizes), "slope ≥10k", "slope top2",
             *(f"peak {_short(s)} MiB" for s in sizes[-2:]), f"peak/file {_short(sizes[-1])}"]
    rows = []
    for command in commands:
        cells = [command]
        points = []
        for size in sizes:
            result = by.get((size, command))
            if result is None:
                cells.append("–")
            elif result.timed_out:
                cells.append(f">{timeout:.0f}")
            else:
                cells.append(f"{result.median:.3f}")
                points.append((size, result.median))
        fit = slope([p for p in points if p[0] >= 10_000])
        top = slope([p for p in points if p[0] in sizes[-2:]]) if len(sizes) >= 2 else None
        cells += [f"{fit:.2f}" if fit is not None else "–", f"{top:.2f}" if top is not None else "–"]
        for size in sizes[-2:]:
            result = by.get((size, command))
            cells.append(f"{result.peak_mib:.0f}" if result else "–")
        last = by.get((sizes[-1], command))
        cells.append(f"{last.peak_mib / (last.file_bytes / 2**20):.1f}×" if last else "–")
        rows.append(cells)
    files = {r.size: r.file_bytes for r in results}
    widths = [max(len(c) for c in column) for column in zip(heads, *rows, strict=True)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.append("")
    lines.append("catalogue file (search index in the cache): " + ", ".join(
        f"{_short(s)} {files[s] / 2**20:.1f} MiB ({index_bytes.get(s, 0) / 2**20:.1f} MiB)" for s in sizes))
    return "\n".join(lines)


def _short(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k" if size >= 1000 else str(size)


def write_csv(results: list[Result], timeout: float, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [r.row(timeout) for r in results]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def plot(results: list[Result], path: Path) -> None:
    """Log-log: seconds per command against records; peak memory and file size against records."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    commands = list(dict.fromkeys(r.command for r in results))
    sizes = sorted({r.size for r in results})
    fig, (left, right) = plt.subplots(1, 2, figsize=(15, 7), gridspec_kw={"width_ratios": [3, 2]})
    colours = plt.colormaps["tab20"]
    for n, command in enumerate(commands):
        mine = sorted((r for r in results if r.command == command and not r.timed_out), key=lambda r: r.size)
        style = "--" if n % 2 else "-"
        left.plot([r.size for r in mine], [r.median for r in mine], style, marker="o", markersize=3,
                  color=colours(n % 20), label=command)
        capped = [r for r in results if r.command == command and r.timed_out]
        left.plot([r.size for r in capped], [r.runs[-1].seconds for r in capped], "x", color=colours(n % 20))
    for n, command in enumerate(commands):
        mine = sorted((r for r in results if r.command == command), key=lambda r: r.size)
        right.plot([r.size for r in mine], [r.peak_mib for r in mine], "-", marker=".", color=colours(n % 20),
                   linewidth=0.8)
    files = {r.size: r.file_bytes / 2**20 for r in results}
    right.plot(sizes, [files[s] for s in sizes], "k--", linewidth=2, label="catalogue file")
    for axis, title, unit in ((left, "time per command (median, whole process)", "seconds"),
                              (right, "peak resident memory (each command) and file size", "MiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("records in the catalogue")
        axis.set_ylabel(unit)
        axis.set_title(title, fontsize=10)
        axis.grid(True, which="both", linewidth=0.3)
        axis.set_xticks(sizes, [_short(s) for s in sizes])
    timeout = max((r.runs[-1].seconds for r in results if r.timed_out), default=None)
    if timeout is not None:
        left.axhline(timeout, color="grey", linestyle=":", linewidth=1)
    if len(sizes) > 1:  # a guide: what time proportional to the records would look like
        top = max((r.median for r in results if not r.timed_out), default=1.0)
        left.plot(sizes, [top * s / sizes[-1] for s in sizes], ":", color="black", linewidth=1,
                  label="∝ records (guide)")
    for axis in (left, right):
        axis.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
        axis.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    left.legend(fontsize=7, loc="upper left", ncol=2)
    right.legend(fontsize=8, loc="upper left")
    fig.suptitle(f"socsopr growth: generate.py catalogues, {os.cpu_count()} cores, Python "
                 f"{platform.python_version()} (x: timed out)", fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_size(text: str) -> int:
    """1000, 10k, 1M."""
    factor = {"k": 1000, "m": 1_000_000}.get(text[-1].lower(), 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def _memory_total() -> str:
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        return "RAM unknown"


def console_script() -> str:
    """This Python's socsopr, not a version manager's shim on PATH (which adds ~100 ms a process)."""
    beside = Path(sys.executable).with_name("socsopr")
    found = str(beside) if beside.is_file() else shutil.which("socsopr")
    if found is None:
        sys.exit("socsopr is not installed for this Python (pip install -e '.[bench]')")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_size, nargs="+", default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command below 1M records (median)")
    parser.add_argument("--runs-1m", type=int, default=1, help="runs at 1M records and above")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a process is killed")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/growth"), help="catalogues and caches")
    parser.add_argument("--regenerate", action="store_true", help="generate the catalogues even if present")
    parser.add_argument("--csv", type=Path, default=CSV_PATH)
    parser.add_argument("--plot", type=Path, default=PLOT_PATH)
    parser.add_argument("--summary", type=Path, help="also write the summary table to this file")
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args()
    socsopr = console_script()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    index_bytes: dict[int, int] = {}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = os.getloadavg()[0]
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    # Modules edited since their bytecode was cached compile on first import: one untimed pass of
    # every command on the smallest catalogue, so that no timed run pays for that.
    print("warm-up pass (untimed) …", file=sys.stderr)
    warm = Bench(socsopr, min(args.sizes), args.workdir, 1, args.timeout, quiet=True)
    warm.prepare(args.regenerate)
    warm.all_commands()
    warm.clean()
    for size in sorted(args.sizes):
        bench = Bench(socsopr, size, args.workdir, args.runs if size < 1_000_000 else args.runs_1m, args.timeout)
        bench.prepare(args.regenerate)
        bench.all_commands()
        results += bench.results
        index_bytes[size] = bench.index_bytes
        write_csv(results, args.timeout, args.csv)  # after each size: a later failure keeps what was measured
        bench.clean()
    finished = time.strftime("%H:%M UTC", time.gmtime())
    text = (f"growth.py, {started} to {finished}, socsopr at {commit}; {os.cpu_count()} cores, "
            f"{_memory_total()}, Python {platform.python_version()}; runs: {args.runs} (median), {args.runs_1m} at "
            f"1M; timeout {args.timeout:.0f} s; load average (1 min) {load_start:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end; a child's peak includes what it inherits from this script, "
            f"whose own peak was {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB\n\n"
            f"{summary(results, args.timeout, index_bytes)}\n")
    print(text)
    if args.summary:
        args.summary.write_text(text, encoding="utf-8")
    if not args.no_plot:
        plot(results, args.plot)
        print(f"plot: {args.plot}", file=sys.stderr)
    print(f"csv: {args.csv}", file=sys.stderr)


if __name__ == "__main__":
    main()
