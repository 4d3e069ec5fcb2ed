"""Time ``cite`` on generated records: socsopr's GOST, APA through socsopr, and plain citeproc-py.

    python tests/benchmarks/bench_cite.py [COUNT]      (default 10,000)

"plain citeproc-py" is the library used directly with its own HTML formatter on
the same items (compilers dropped, as they crash it), so the difference is the
cost of socsopr's workarounds and escaping.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from catalogue.cite.engine import bibliography, style_path
from tests.benchmarks.generate import generate


def plain_citeproc(records: list[dict[str, object]], style: str) -> int:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    drop = {"tags", "added", "modified", "compiler"}
    items = [{k: v for k, v in r.items() if k not in drop} for r in records]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bib = CitationStylesBibliography(
            CitationStylesStyle(str(style_path(style)), validate=False), CiteProcJSON(items), formatter.plain
        )
        for item in items:
            bib.register(Citation([CitationItem(str(item["id"]).lower())]))
        return len(bib.bibliography())


def timed(label: str, func, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func(*args)
    elapsed = time.perf_counter() - start
    print(f"{label:<40} {elapsed:8.2f} s")
    return elapsed


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    records = list(generate(count).values())
    print(f"{count} generated records")
    # plain citeproc-py first: socsopr's workarounds patch citeproc-py's classes in this process
    timed("plain citeproc-py, apa", plain_citeproc, records, "apa")
    timed("socsopr cite --style apa", bibliography, records, "apa")
    timed("socsopr cite --style gost", bibliography, records, "gost")
    timed("socsopr cite --style gost --locale ru", bibliography, records, "gost", "ru-RU")


if __name__ == "__main__":
    main()
