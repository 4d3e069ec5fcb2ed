"""Time ``cite`` on generated records: APA through socsopr against plain ``pandoc --citeproc``, and GOST.

    python tests/benchmarks/bench_cite.py [COUNT ...] [--styles apa,ieee]      (default 1000)

socsopr renders a CSL style with one run of pandoc 3.9 (the pypandoc_binary wheel)
for the whole list; "plain pandoc" is that same binary run by hand on the same
CSL-JSON (``export -f csl-json``) with ``-t plain``, so the difference is socsopr's
own cost: exporting the records, the temporary folder, the per-entry writer.
"""

from __future__ import annotations

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


def plain_pandoc(records: list[dict[str, Any]], style: str) -> None:  # export included, as in socsopr
    with tempfile.TemporaryDirectory() as folder:
        items = Path(folder) / "items.json"
        items.write_text(export(records, "csl-json"), encoding="utf-8")
        subprocess.run(
            [str(pandoc_binary()), "--from=markdown", "--to=plain", "--wrap=none", "--citeproc",
             f"--bibliography={items}", f"--csl={find_style(style).path}"],
            input="---\nnocite: '@*'\n...\n", capture_output=True, text=True, check=True,
        )
        return None


def timed(label: str, func: Callable[..., Any], *args: Any) -> float:
    start = time.perf_counter()
    func(*args)
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed:8.2f} s")
    return elapsed


def main() -> None:
    args = sys.argv[1:]
    styles = args[args.index("--styles") + 1].split(",") if "--styles" in args else ["apa", "ieee"]
    counts = [int(a) for a in args if a.isdigit()] or [1000]
    for count in counts:
        records = list(generate(count).values())
        print(f"{count} generated records")
        for style in styles:
            pandoc = timed(f"plain pandoc 3.9 --citeproc, {style}", plain_pandoc, records, style)
            ours = timed(f"socsopr cite --style {style}", bibliography, records, style)
            print(f"{'ratio':<44} {ours / pandoc:8.2f} x")
        timed("socsopr cite --style gost", bibliography, records, "gost")


if __name__ == "__main__":
    main()
