"""Time socsopr beside pubs, papis and cobib on the same generated library, as whole processes.

    python tests/benchmarks/peers.py                        # 10,000 records, median of 3 runs
    python tests/benchmarks/peers.py --records 1000 --runs 5 --keep

Opt-in, never run by pytest or CI: it installs the current pubs, papis and cobib
from PyPI, each into its own virtual environment in a temporary folder. The
library is generate.py's, exported to BibTeX by socsopr; every tool imports
that one file, non-interactively, into a library of its own, with HOME and the
XDG folders pointed into the temporary folder (the user's own configuration and
libraries are never read or written). Then each times, as whole processes, the
same operations: import (into an empty library, every run), list every record,
an author search in Latin and in Cyrillic script, and an export to BibTeX.

The read operations run once untimed first, so that every tool's cache (papis's
database, cobib's parsed YAML, socsopr's search index) is warm. Hits are the
distinct generated keys in the output; an export's count is its '@' entries.
A tool whose import of 1,000 records (a probe, run once) projects past
--budget seconds at --records is measured at 1,000 records instead, and says so.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from processes import run_limited  # (this folder: the script's own)

HERE = Path(__file__).resolve().parent
KEY = re.compile(rb"r\d{6}y\d{4}")
ENTRY = re.compile(rb"^@\w+\{", re.MULTILINE)
QUERIES = ("Ovsyannikov", "Овсянников")
PROBE_RECORDS = 1000


class InstallFailed(Exception):
    """pip could not install a tool; carries pip's last lines."""


@dataclass
class Timing:
    """One process: seconds, exit code, peak memory (KiB) and what it printed."""

    seconds: float
    code: int
    peak_kib: int
    stdout: bytes
    timed_out: bool = False


@dataclass
class Cell:
    """The median of an operation's runs, or the reason it has none."""

    seconds: float | None = None
    peak_kib: int = 0
    count: int | None = None
    note: str = ""

    def text(self, unit: str) -> str:
        if self.seconds is None:
            return f"n/a ({self.note})"
        shown = f"{self.seconds:.2f} s"
        if self.count is not None:
            shown += f" · {self.count} {unit}"
        return shown + (f" ({self.note})" if self.note else "")


@dataclass
class Row:
    """One tool's results."""

    tool: str
    version: str = ""
    records: int = 0
    cells: dict[str, Cell] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def timed(argv: list[str], env: dict[str, str], cwd: Path, timeout: float) -> Timing:
    """Run one process to its end (or kill its group after ``timeout`` s)."""
    done, out = run_limited(argv, env, timeout, lambda stdout: stdout.read(), cwd=cwd)
    return Timing(done.seconds, done.code, done.peak_kib, out, done.timed_out)


class Tool:
    """A bibliography manager driven from the command line, in an isolated home."""

    name = ""
    requirements: tuple[str, ...] = ()
    pins = ""  # why a requirement is pinned, printed under the table

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.venv = root / "venv"

    def install(self) -> None:
        """A fresh virtual environment with the tool in it (kept if it is there already)."""
        if (self.venv / "bin" / self.name).exists():
            return
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True, capture_output=True)
        done = subprocess.run([str(self.venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
                               "-q", *self.requirements], capture_output=True, text=True)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if not line.startswith("WARNING: Location")]
            raise InstallFailed("\n    ".join(lines[-6:]) or f"pip exited {done.returncode}")
        if not (self.venv / "bin" / self.name).exists():
            raise InstallFailed(f"pip installed {' '.join(self.requirements)} but no '{self.name}' command")

    def version(self) -> str:
        code = f"import importlib.metadata as m; print(m.version({self.name!r}))"
        return subprocess.run([str(self.venv / "bin" / "python"), "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip()

    def env(self) -> dict[str, str]:
        """A minimal environment: no variable of the user's reaches the tool but PATH."""
        home = str(self.home)
        return {
            "PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": home, "USERPROFILE": home,
            "XDG_CONFIG_HOME": f"{home}/.config", "XDG_DATA_HOME": f"{home}/.local/share",
            "XDG_CACHE_HOME": f"{home}/.cache", "XDG_STATE_HOME": f"{home}/.local/state",
            "XDG_RUNTIME_DIR": f"{home}/.run",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "TERM": "dumb",
            "NO_COLOR": "1", "COLUMNS": "200", "EDITOR": "false", "VISUAL": "false",
            "SOCSOPR_CACHE_DIR": f"{home}/.cache/socsopr",
        }

    def fresh_library(self) -> None:
        """Remove the tool's home and make an empty library in a new one."""
        shutil.rmtree(self.home, ignore_errors=True)
        for sub in (".config", ".local/share", ".cache", ".local/state", ".run"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        for argv in self.setup():
            subprocess.run(argv, env=self.env(), cwd=self.root, check=True, capture_output=True)

    def bin(self, command: str) -> str:
        return str(self.venv / "bin" / command)

    def setup(self) -> list[list[str]]:
        """Commands that make an empty library (after any configuration file is written)."""
        raise NotImplementedError

    def import_argv(self, bib: Path) -> list[str]:
        raise NotImplementedError

    def list_argv(self) -> list[str]:
        raise NotImplementedError

    def author_argv(self, name: str) -> list[str] | str:
        """The search, or the reason the tool has none."""
        raise NotImplementedError

    def export_argv(self, out: Path) -> list[str]:
        """Export every record as BibTeX, to stdout or to ``out``."""
        raise NotImplementedError


class Socsopr(Tool):
    name = "socsopr"

    def __init__(self, root: Path, executable: str) -> None:
        super().__init__(root)
        self.executable = executable
        self.db = self.home / "catalogue.json"

    def install(self) -> None:
        """The socsopr installed for this Python: the one under test."""

    def version(self) -> str:
        from importlib.metadata import version

        commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        return f"{version('socsopr')} ({commit})" if commit else version("socsopr")

    def env(self) -> dict[str, str]:
        # The bytecode cache stays on, as in an installed package; the one socsopr is this Python's.
        return {**super().env(), "PATH": f"{Path(self.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def setup(self) -> list[list[str]]:
        return [[self.executable, "init", "--empty", "--db", str(self.db)]]

    def import_argv(self, bib: Path) -> list[str]:
        return [self.executable, "import", "--db", str(self.db), str(bib)]

    def list_argv(self) -> list[str]:
        return [self.executable, "list", "--db", str(self.db), "--format", "tsv"]

    def author_argv(self, name: str) -> list[str] | str:
        return [self.executable, "list", "--db", str(self.db), "--author", name, "--format", "ids"]

    def export_argv(self, out: Path) -> list[str]:
        return [self.executable, "export", "--db", str(self.db), "--format", "bibtex"]


class Pubs(Tool):
    name = "pubs"
    # pubs 0.9.0 asks for bibtexparser>=1.0 but imports 1.x modules (pyparsing through bparser):
    # with bibtexparser 2.x, which pip picks, it fails at start-up with ModuleNotFoundError.
    requirements = ("pubs", "bibtexparser<2")
    pins = "pubs: bibtexparser<2 (pubs 0.9.0 runs only on bibtexparser 1.x; with 2.x it cannot start)"

    def conf(self) -> str:
        return str(self.home / "pubsrc")

    def setup(self) -> list[list[str]]:
        return [[self.bin("pubs"), "-c", self.conf(), "init", "-p", str(self.home / "pubs")]]

    def import_argv(self, bib: Path) -> list[str]:
        return [self.bin("pubs"), "-c", self.conf(), "import", str(bib)]

    def list_argv(self) -> list[str]:
        return [self.bin("pubs"), "-c", self.conf(), "list"]

    def author_argv(self, name: str) -> list[str] | str:
        return [self.bin("pubs"), "-c", self.conf(), "list", f"author:{name}"]

    def export_argv(self, out: Path) -> list[str]:
        return [self.bin("pubs"), "-c", self.conf(), "export"]


class Papis(Tool):
    name = "papis"
    # papis 0.16.1 on bibtexparser 2.x stops the whole import at an entry with a translator and
    # no author (TypeError on the split names, then UnboundLocalError in its error path) and drops
    # translators elsewhere; it supports bibtexparser 1.x as well, which reads every entry.
    requirements = ("papis", "bibtexparser<2")
    pins = ("papis: bibtexparser<2 (papis 0.16.1 with bibtexparser 2.x stops the import at an entry with "
            "a translator and no author: UnboundLocalError)")

    def setup(self) -> list[list[str]]:
        config = self.home / ".config" / "papis" / "config"
        config.parent.mkdir(parents=True, exist_ok=True)
        library = self.home / "papers"
        library.mkdir()
        config.write_text(f"[settings]\ndefault-library = bench\n\n[bench]\ndir = {library}\n")
        return []

    def import_argv(self, bib: Path) -> list[str]:
        return [self.bin("papis"), "bibtex", "read", str(bib), "import", "--all"]

    def list_argv(self) -> list[str]:
        return [self.bin("papis"), "list", "--all", "--format", "{doc[ref]}\t{doc[author]}\t{doc[title]}"]

    def author_argv(self, name: str) -> list[str] | str:
        return [self.bin("papis"), "list", "--all", "--format", "{doc[ref]}", f"author:{name}"]

    def export_argv(self, out: Path) -> list[str]:
        return [self.bin("papis"), "export", "--all", "--format", "bibtex"]


class Cobib(Tool):
    name = "cobib"
    requirements = ("cobib",)

    def conf(self) -> str:
        return str(self.home / "cobib.py")

    def setup(self) -> list[list[str]]:
        home = self.home
        Path(self.conf()).write_text(
            "from cobib.config import config\n"
            f"config.database.file = '{home}/cobib/literature.yaml'\n"
            f"config.database.cache = '{home}/.cache/cobib/'\n"
            f"config.logging.logfile = '{home}/cobib.log'\n"
            "config.database.git = False\n"
        )
        (home / "cobib").mkdir()
        return [[self.bin("cobib"), "-c", self.conf(), "init"]]

    def import_argv(self, bib: Path) -> list[str]:
        return [self.bin("cobib"), "-c", self.conf(), "add", "--skip-download", "-b", str(bib)]

    def list_argv(self) -> list[str]:
        return [self.bin("cobib"), "-c", self.conf(), "-p", "list"]

    def author_argv(self, name: str) -> list[str] | str:
        return [self.bin("cobib"), "-c", self.conf(), "-p", "list", "++author", name]

    def export_argv(self, out: Path) -> list[str]:
        return [self.bin("cobib"), "-c", self.conf(), "export", "--bibtex", "--", str(out)]


def median_cell(runs: list[Timing], count: Callable[[Timing], int] | None, timeout: float) -> Cell:
    """The median run's seconds, the highest peak, and the count of the last run."""
    if any(t.timed_out for t in runs):
        return Cell(note=f"> {timeout:.0f} s (timed out)")
    failed = [t for t in runs if t.code not in (0, 1)]
    if failed:
        return Cell(note=f"exit {failed[0].code}")
    return Cell(statistics.median(t.seconds for t in runs), max(t.peak_kib for t in runs),
                count(runs[-1]) if count else None)


def keys_in(t: Timing) -> int:
    return len(set(KEY.findall(t.stdout)))


def measure(tool: Tool, bib: Path, records: int, runs: int, timeout: float) -> Row:
    """Import ``runs`` times into empty libraries, then time the read operations ``runs`` times each."""
    row = Row(tool.name, tool.version(), records)
    env, out = tool.env(), tool.root / "export.bib"
    imports = []
    for _ in range(runs):
        tool.fresh_library()
        imports.append(timed(tool.import_argv(bib), env, tool.root, timeout))
        if imports[-1].timed_out or imports[-1].code != 0:
            break
    row.cells["import"] = median_cell(imports, None, timeout)
    if row.cells["import"].seconds is None:
        for op in ("list", *QUERIES, "export"):
            row.cells[op] = Cell(note="import failed")
        return row
    operations: list[tuple[str, list[str] | str, Callable[[Timing], int]]] = [
        ("list", tool.list_argv(), keys_in),
        *((query, tool.author_argv(query), keys_in) for query in QUERIES),
        ("export", tool.export_argv(out), lambda t: len(ENTRY.findall(_read(out) or t.stdout))),
    ]
    for op, argv, count in operations:
        if isinstance(argv, str):
            row.cells[op] = Cell(note=argv)
            continue
        timed(argv, env, tool.root, timeout)  # warm-up: caches built, as a user's would be
        results = []
        for _ in range(runs):
            out.unlink(missing_ok=True)
            results.append(timed(argv, env, tool.root, timeout))
            if results[-1].timed_out:
                break
        row.cells[op] = median_cell(results, count, timeout)
    return row


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def expected_in_child(catalogue: Path) -> str:
    """expected_hits, in a child process: a forked child's peak memory starts at its parent's size,
    and parsing the catalogue here would raise every tool's measured peak to this script's."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import peers; from pathlib import Path; "
            "print(peers.expected_hits(Path(sys.argv[2])))")
    return subprocess.run([sys.executable, "-c", code, str(HERE), str(catalogue)], capture_output=True, text=True,
                          check=True).stdout.strip()


def expected_hits(catalogue: Path) -> str:
    """What an author search could find: exact spellings, names beginning so, other roles."""
    import orjson

    data = orjson.loads(catalogue.read_bytes())
    records = list(data["records"].values() if isinstance(data, dict) and "records" in data else data)

    def count(roles: tuple[str, ...], match: Callable[[str], bool]) -> int:
        return sum(any(match(n.get("family", "")) for role in roles for n in r.get(role, ())) for r in records)

    def begins(family: str) -> bool:
        return family.startswith(QUERIES)

    latin = count(("author",), lambda f: f == QUERIES[0])
    cyrillic = count(("author",), lambda f: f == QUERIES[1])
    return (f"{latin} records have the author {QUERIES[0]} (Latin script), {cyrillic} {QUERIES[1]} (Cyrillic); "
            f"{count(('author',), lambda f: f.startswith(QUERIES[1]))} an author whose name begins {QUERIES[1]} "
            f"(generated names include {QUERIES[1]}а, {QUERIES[1]}ский, {QUERIES[1]}ич), "
            f"{count(('author',), begins)} an author's name beginning so in either script, "
            f"{count(('author', 'editor', 'translator'), begins)} counting editors and translators.")


def library(records: int, work: Path, socsopr: str) -> tuple[Path, Path]:
    """generate.py's catalogue of ``records`` and socsopr's BibTeX export of it."""
    catalogue, bib = work / f"generated-{records}.json", work / f"generated-{records}.bib"
    if not bib.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(records), str(catalogue)], check=True)
        subprocess.run([socsopr, "export", "--db", str(catalogue), "--format", "bibtex", "--output", str(bib)],
                       check=True, env={**os.environ, "SOCSOPR_CACHE_DIR": str(work / "cache")})
    return catalogue, bib


def console_script() -> str:
    """This Python's socsopr, not a version manager's shim on PATH (which adds ~100 ms a process)."""
    beside = Path(sys.executable).with_name("socsopr")
    found = str(beside) if beside.is_file() else shutil.which("socsopr")
    if found is None:
        sys.exit("socsopr is not installed for this Python (pip install -e .)")
    return found


def render(rows: list[Row], args: argparse.Namespace, expected: dict[int, str],
           pins: list[str], elapsed: float) -> str:
    """The report: header, the table of times, peak memory, notes."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"peers.py, {now}: {args.records:,} generated records (generate.py, half Cyrillic), exported to BibTeX by socsopr;",
        f"median of {args.runs} runs, whole processes; {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average (1 min) {args.load_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "Versions: " + ", ".join(f"{r.tool} {r.version}" for r in rows if r.version) + ".",
        "",
    ]
    for size, text in sorted(expected.items()):
        lines.append(f"At {size:,} records: {text}")
    lines.append("")
    heads = ["tool", "records", "import", "list (records)", "author Ovsyannikov (hits)", "author Овсянников (hits)",
             "export bibtex (entries)"]
    units = {"list": "records", QUERIES[0]: "hits", QUERIES[1]: "hits", "export": "entries"}
    table = [[r.tool, f"{r.records:,}", r.cells["import"].text(""),
              *(r.cells[op].text(units[op]) if op in r.cells else "n/a" for op in ("list", *QUERIES, "export"))]
             for r in rows]
    lines += _table(heads, table)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += ["", f"Peak memory (MB, highest of the runs; a child's peak includes what it inherits from this "
                  f"script, whose own peak was {own:.0f} MB):", ""]
    memory = [[r.tool, *(f"{r.cells[op].peak_kib / 1024:.0f}" if op in r.cells and r.cells[op].peak_kib else "–"
                         for op in ("import", "list", *QUERIES, "export"))] for r in rows]
    lines += _table(["tool", "import", "list", "author Ovsyannikov", "author Овсянников", "export"], memory)
    notes = [f"- {r.tool}: {note}" for r in rows for note in r.notes] + [f"- pinned: {p}" for p in pins]
    if notes:
        lines += ["", "Notes:", *notes]
    lines += ["", f"Commands: see {Path(__file__).name} (one class per tool); whole run {elapsed / 60:.1f} min."]
    return "\n".join(lines) + "\n"


def _shown(argv: list[str] | str, root: Path) -> str:
    """A command line as the notes show it: the tool's name, paths shortened, cells as typed."""
    if isinstance(argv, str):
        return argv
    words = [Path(argv[0]).name] + [a.replace(str(root) + "/", "") for a in argv[1:]]
    return " ".join(f"'{w}'" if (" " in w or "{" in w) else w for w in words)


def _table(heads: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(c)) for c in column) for column in zip(heads, *rows, strict=False)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10000, help="library size (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each operation; the median is shown")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (venvs, libraries)")
    parser.add_argument("--workdir", type=Path, help="use (and keep) this folder; venvs already in it are reused")
    parser.add_argument("--budget", type=float, default=600.0,
                        help="seconds one import may take; a tool projected past it runs at 1,000 records")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds before a process is killed")
    parser.add_argument("--tools", nargs="+", default=["socsopr", "pubs", "papis", "cobib"])
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    args.load_start = os.getloadavg()[0]
    started = time.perf_counter()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="socsopr-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    socsopr = console_script()
    kinds: dict[str, Callable[[Path], Tool]] = {
        "socsopr": lambda root: Socsopr(root, socsopr), "pubs": Pubs, "papis": Papis, "cobib": Cobib,
    }
    unknown = set(args.tools) - kinds.keys()
    if unknown:
        parser.error(f"unknown tool(s) {', '.join(sorted(unknown))}; choose from {', '.join(kinds)}")
    tools = [kinds[name](work / name) for name in args.tools]
    print(f"working in {work}", file=sys.stderr)

    failed: dict[str, str] = {}

    def install(tool: Tool) -> None:
        print(f"installing {tool.name} …", file=sys.stderr)
        try:
            tool.install()
        except InstallFailed as error:
            failed[tool.name] = str(error)
            print(f"error: {tool.name} could not be installed:\n    {error}", file=sys.stderr)

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(install, tools))

    expected: dict[int, str] = {}
    rows: list[Row] = []
    for tool in tools:
        if tool.name in failed:
            row = Row(tool.name, "not installed")
            row.cells = {op: Cell(note="install failed") for op in ("import", "list", *QUERIES, "export")}
            row.notes.append("pip failed: " + failed[tool.name].replace("\n    ", " / "))
            rows.append(row)
            continue
        records = args.records
        if records > PROBE_RECORDS and tool.name != "socsopr":
            _catalogue, probe_bib = library(PROBE_RECORDS, work, socsopr)
            tool.fresh_library()
            probe = timed(tool.import_argv(probe_bib), tool.env(), tool.root, args.timeout)
            projected = probe.seconds * records / PROBE_RECORDS
            print(f"{tool.name}: probe import of {PROBE_RECORDS:,} records {probe.seconds:.1f} s "
                  f"(exit {probe.code}); {records:,} projected {projected:.0f} s", file=sys.stderr)
            if probe.timed_out or probe.code != 0 or projected > args.budget:
                records = PROBE_RECORDS
        catalogue, bib = library(records, work, socsopr)
        if records not in expected:
            expected[records] = expected_in_child(catalogue)
        print(f"timing {tool.name} at {records:,} records …", file=sys.stderr)
        row = measure(tool, bib, records, args.runs, args.timeout)
        row.notes.append("author search: " + _shown(tool.author_argv(QUERIES[0]), tool.root))
        if records != args.records:
            row.notes.append(f"measured at {records:,} records: its import of {PROBE_RECORDS:,} took "
                             f"{probe.seconds:.0f} s, {args.records:,} would take about "
                             f"{probe.seconds * args.records / PROBE_RECORDS / 60:.0f} min (--budget {args.budget:.0f} s)")
        rows.append(row)
        print(f"  done in {(time.perf_counter() - started) / 60:.1f} min", file=sys.stderr)

    pins = [t.pins for t in tools if t.pins]
    report = render(rows, args, expected, pins, time.perf_counter() - started)
    print(report)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
    if args.keep or args.workdir:
        print(f"kept {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
