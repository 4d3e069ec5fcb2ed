"""Time ``cite`` on generated records: APA through socsopr against plain ``pandoc --citeproc``, and GOST.

    python tests/benchmarks/bench_cite.py [COUNT ...] [--styles apa,ieee] [--pandoc-timeout S]
                                                                    (default 1000; 900 s)

socsopr renders a CSL style with pandoc 3.9 (the pypandoc_binary wheel): one run
for the whole list, or, for a long list in APA and the styles like it
(``catalogue.cite.batches``), a run per batch of ~80 records and one for the
order, shared among one pandoc process per usable processor; "plain pandoc" is
that same binary run by hand once on the same CSL-JSON (``export -f csl-json``)
with ``-t plain``. pandoc's own time grows faster than the square of the length
in those styles (1,000 APA records: ~17 s of CPU), so it is stopped after
``--pandoc-timeout`` seconds and shown as "> S". Each line also gives the CPU
time of the pandoc processes (the machine's load changes the wall time more),
and the load average is printed first.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from catalogue.cite.engine import bibliography, find_style, pandoc_binary
from catalogue.formats import export
from tests.benchmarks.generate import generate


def plain_pandoc(records: list[dict[str, Any]], style: str, timeout: float) -> bool:
    """One pandoc run over the whole list (export included, as in socsopr); False if stopped."""
    with tempfile.TemporaryDirectory() as folder:
        items = Path(folder) / "items.json"
        items.write_text(export(records, "csl-json"), encoding="utf-8")
        try:
            subprocess.run(
                [str(pandoc_binary()), "--from=markdown", "--to=plain", "--wrap=none", "--citeproc",
                 f"--bibliography={items}", f"--csl={find_style(style).path}"],
                input="---\nnocite: '@*'\n...\n", capture_output=True, text=True, check=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return False
        return True


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(label: str, func: Callable[..., Any], *args: Any) -> tuple[float, bool]:
    """Seconds taken, and whether the work finished (``func`` returns False when it was stopped)."""
    start, cpu = time.perf_counter(), _children_cpu()
    finished = func(*args) is not False
    elapsed = time.perf_counter() - start
    shown = f"{elapsed:8.2f} s" if finished else f"> {elapsed:.0f} s (stopped)"
    print(f"{label:<44} {shown}   (pandoc CPU {_children_cpu() - cpu:.2f} s)", flush=True)
    return elapsed, finished


def main() -> None:
    args = sys.argv[1:]
    styles = args[args.index("--styles") + 1].split(",") if "--styles" in args else ["apa", "ieee"]
    timeout = float(args[args.index("--pandoc-timeout") + 1]) if "--pandoc-timeout" in args else 900.0
    counts = [int(a) for i, a in enumerate(args) if a.isdigit() and not (i and args[i - 1].startswith("--"))]
    counts = counts or [1000]
    print("load average", " ".join(f"{load:.2f}" for load in os.getloadavg()))
    for count in counts:
        records = list(generate(count).values())
        print(f"{count} generated records")
        for style in styles:
            pandoc, finished = timed(f"plain pandoc 3.9 --citeproc, {style}", plain_pandoc, records, style, timeout)
            ours, _ = timed(f"socsopr cite --style {style}", bibliography, records, style)
            print(f"{'ratio':<44} {'' if finished else '< '}{ours / pandoc:.2f} x", flush=True)
        timed("socsopr cite --style gost", bibliography, records, "gost")


if __name__ == "__main__":
    main()
