"""Import and export of 10,000 generated BibTeX entries, beside bibtexparser's own bare parse and write.

Run: python tests/benchmarks/bench_interchange.py [N]
Target: socsopr's import and export within 2x of bibtexparser's parse and write of the same file.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import Any

FAMILIES = ["Ovsyannikov", "Kozlovsky", "Овсянников", "Müller", "Shibanov", "Doyle", "Yasin"]
WORDS = ["socialism", "CWI", "resistance", "{IMF}", "education", "Почему", "strike", "Grapes", "Almaty"]


def generate(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    chunks = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize() + f" {i}"
        authors = " and ".join(f"{rng.choice(FAMILIES)}, {rng.choice('IJSK')}. A." for _ in range(rng.randint(1, 3)))
        chunks.append(
            f"@book{{key{i},\n  author = {{{authors}}},\n  title = {{{title} \\& more}},\n"
            f"  year = {{{rng.randint(1950, 2020)}}},\n  address = {{Moscow}},\n  publisher = {{Socialist Resistance}},\n"
            f"  pagetotal = {{{rng.randint(5, 400)}}},\n  langid = {{russian}},\n  keywords = {{a, b}},\n}}\n"
        )
    return "\n".join(chunks)


def timed(label: str, func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {elapsed:6.2f} s")
    return elapsed, result


def main(n: int = 10_000) -> None:
    import bibtexparser

    from catalogue import Catalogue
    from catalogue.curation.importing import import_texts
    from catalogue.formats import export

    text = generate(n)
    print(f"{n} entries, {len(text) / 1e6:.1f} MB")
    bare_parse, library = timed("bibtexparser.parse_string (default stack)", lambda: bibtexparser.parse_string(text))
    bare_write, _ = timed(
        "bibtexparser.write_string (in-place unparse)",
        lambda: bibtexparser.write_string(
            library, unparse_stack=bibtexparser.middlewares.default_unparse_stack(allow_inplace_modification=True)
        ),
    )
    catalogue = Catalogue.in_memory()
    ours_import, report = timed(
        "socsopr import (parse, decode, validate, dedupe, add)",
        lambda: import_texts(catalogue, [("bench.bib", text)]),
    )
    assert len(report.imported) == n, (len(report.imported), report.skipped[:3], report.invalid[:3])
    records = catalogue.records()
    ours_export, _ = timed("socsopr export bibtex", lambda: export(records, "bibtex"))
    print(f"import / bare parse: {ours_import / bare_parse:.2f}x   export / bare write: {ours_export / bare_write:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
