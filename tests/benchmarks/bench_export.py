"""Time whole-catalogue export and sorted listing as whole processes, each beside its floor.

    python tests/benchmarks/bench_export.py                     # 100000 records, 5 runs each
    python tests/benchmarks/bench_export.py --sizes 10000 --runs 7
    python tests/benchmarks/bench_export.py --runs 7 --memo warm edited --only "export -f bibtex"

The floor of a command is the least a Python program must do for the same output: load the
catalogue file with orjson (one call, the whole file) and build the same kind of text the
simplest way, with none of the command's escaping, mapping or checks:

- bibtex, biblatex: ``@type{key,`` and one ``field = {value},`` line per text field and name list;
- ris: one ``XX  - value`` line per text field and name, CRLF;
- csl-json, json: ``orjson.dumps`` of the records, indented, keys sorted;
- list --sort title -f tsv: the records sorted by their case-folded title, ten tab-joined columns.

Each export is timed three ways (``--memo``): ``cold``, with no memo of earlier exports in the cache folder
(what the first export of a catalogue costs: every record rendered, the memo written); ``warm``, the same
export again (every record's text remembered); ``edited``, after ``socsopr edit`` changed one record
(untimed) since the last export: one record rendered, its memo file written again.

Command and floor run in alternation (floor, command, floor, command …) so that a slow spell of a
shared machine falls on both; the medians of both and the median of the per-pair ratios are printed,
on the wall clock and in CPU seconds (user + system, which a busy machine disturbs less).
Output goes to /dev/null, as a pipe to a file would take it. Bytecode caching is left on.
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

_LOAD = """
import sys, orjson
records = orjson.loads(open(sys.argv[1], 'rb').read())['records'].values()
out = []
add = out.append
"""
FLOORS = {
    "bib": _LOAD + """
for r in records:
    add(f"@{r['type']}{{{r['id']},\\n")
    for role in ('author', 'editor', 'translator', 'compiler'):
        people = r.get(role)
        if people:
            add(f"  {role} = {{{' and '.join(n.get('family', '') + ', ' + n.get('given', '') for n in people)}}},\\n")
    for k, v in r.items():
        if type(v) is str:
            add(f"  {k} = {{{v}}},\\n")
    add("}\\n\\n")
sys.stdout.write("".join(out))
""",
    "ris": _LOAD + """
for r in records:
    add(f"TY  - {r['type']}\\r\\n")
    for role in ('author', 'editor', 'translator', 'compiler'):
        for n in r.get(role) or ():
            add(f"AU  - {n.get('family', '')}, {n.get('given', '')}\\r\\n")
    for k, v in r.items():
        if type(v) is str:
            add(f"{k[:2].upper()}  - {v}\\r\\n")
    add("ER  - \\r\\n\\r\\n")
sys.stdout.write("".join(out))
""",
    "json": _LOAD + """
sys.stdout.write(orjson.dumps(list(records), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())
""",
    "tsv": _LOAD + """
for r in sorted(records, key=lambda r: r.get('title', '').casefold()):
    names = '; '.join(n.get('family', '') + ' ' + n.get('given', '') for n in r.get('author', ()))
    year = str(r['issued']['date-parts'][0][0]) if 'issued' in r else ''
    add('\\t'.join((r['id'], r['type'], names, r.get('title', ''), year, r.get('publisher-place', ''),
                   r.get('publisher', ''), str(r.get('number-of-pages', '')), r.get('language', ''),
                   ', '.join(r.get('tags', ())))))
sys.stdout.write('\\n'.join(out) + '\\n')
""",
}
CASES = [
    ("list --sort title -f tsv", ["list", "--sort", "title", "-f", "tsv"], "tsv"),
    ("export -f bibtex", ["export", "-f", "bibtex"], "bib"),
    ("export -f biblatex", ["export", "-f", "biblatex"], "bib"),
    ("export -f csl-json", ["export", "-f", "csl-json"], "json"),
    ("export -f ris", ["export", "-f", "ris"], "ris"),
    ("export -f json", ["export", "-f", "json"], "json"),
]


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds of one process, on the clock and on the CPU (user + system); its output is thrown away
    and a failure stops the benchmark. The CPU seconds move less when the shared machine is busy."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv[:4])} … failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


MEMO_STATES = ("cold", "warm", "edited")


def forget_exports(cache: Path) -> None:
    """Remove every export memo from the cache folder (the next export starts cold)."""
    for memo in cache.glob("memo-export-*"):
        memo.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="labels of the cases to run (default: all)")
    parser.add_argument("--memo", nargs="+", choices=MEMO_STATES, default=list(MEMO_STATES),
                        help="how the exports find their memo (default: each way)")
    args = parser.parse_args()
    socsopr = str(Path(sys.executable).with_name("socsopr"))
    if not Path(socsopr).is_file():
        sys.exit("socsopr is not installed for this Python (pip install .)")
    work = Path(tempfile.mkdtemp(prefix="socsopr-bench-export-"))
    cache = work / "cache"
    env = dict(os.environ, SOCSOPR_CACHE_DIR=str(cache), NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package runs from cached bytecode
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'records':>8}  {'command':<34} {'median s':>9} {'floor s':>8} {'ratio':>6}   {'CPU s':>6} {'floor':>6}"
          f" {'ratio':>6}")
    try:
        for size in args.sizes:
            path = work / f"catalogue-{size}.json"
            subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), str(size), str(path)],
                           check=True)
            then = time.time() - 60  # not "racy" (see bench_cli.py)
            os.utime(path, (then, then))
            env["SOCSOPR_DB"] = str(path)
            run([socsopr, "list", "-f", "ids"], env)  # warm the page cache and the bytecode
            edited = subprocess.run([socsopr, "list", "-f", "ids"], env=env, capture_output=True, text=True,
                                    check=True).stdout.split()[0]
            edits = 0
            for label, argv, floor in CASES:
                if args.only and label not in args.only:
                    continue
                exporting = argv[0] == "export"
                for state in args.memo if exporting else ["cold"]:
                    floor_argv = [sys.executable, "-c", FLOORS[floor], str(path)]
                    times, floors = [], []
                    forget_exports(cache)
                    if state != "cold":
                        run([socsopr, *argv], env)  # the memo of this export
                    for _ in range(args.runs):
                        if state == "cold":
                            forget_exports(cache)
                        elif state == "edited":
                            edits += 1
                            run([socsopr, "edit", edited, "--set", f"note=Benchmark edit {edits}"], env)
                        floors.append(run(floor_argv, env))
                        times.append(run([socsopr, *argv], env))
                    columns = []
                    for clock in (0, 1):  # the wall clock, then the CPU
                        ours, least = [t[clock] for t in times], [f[clock] for f in floors]
                        ratio = statistics.median(t / f for t, f in zip(ours, least, strict=True))
                        columns.append(f"{statistics.median(ours):9.3f} {statistics.median(least):8.3f} "
                                       f"{ratio:5.2f}×")
                    shown = f"{label} ({state} memo)" if exporting else label
                    print(f"{size:>8}  {shown:<34} {columns[0]}  {columns[1]}", flush=True)
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
