"""Every real-world file in ../shared/corpus imports, or fails cleanly with file:line messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalogue import Catalogue
from catalogue.curation.importing import import_texts
from catalogue.errors import ParseError
from tests.conftest import SHARED, shared_path

CORPUS = sorted(p for p in (SHARED / "corpus").rglob("*") if p.suffix in (".bib", ".json")) if SHARED.exists() else []
# Files that must fail, and why: a deliberate syntax error, entries without titles.
MUST_FAIL = {
    "ropensci-unbalanced_braces.bib": "the @misc entry cannot be read",
    "bibtexparser-crossref_cascading_cycle.bib": "title is missing",
    "manubot-null-date-parts-csl-raw.json": "title is missing",
}
_PROBLEM = re.compile(r"^.+:\d+: .+")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_file_imports_or_fails_cleanly(path: Path) -> None:
    shared_path("corpus")
    catalogue = Catalogue.in_memory()
    source = str(path.relative_to(SHARED))
    text = path.read_text(encoding="utf-8")
    if path.name in MUST_FAIL:
        with pytest.raises(ParseError) as caught:
            import_texts(catalogue, [(source, text)])
        assert all(_PROBLEM.match(p) and p.startswith(source) for p in caught.value.problems)
        assert any(MUST_FAIL[path.name] in p for p in caught.value.problems)
        assert len(catalogue) == 0
        return
    report = import_texts(catalogue, [(source, text)])
    assert report.imported and not report.invalid
    assert len(catalogue) == len(report.imported)


def test_biblatex_examples_read_accents_strings_and_crossref() -> None:
    path = shared_path("corpus", "bib", "biblatex-examples.bib")
    catalogue = Catalogue.in_memory()
    import_texts(catalogue, [(path.name, path.read_text(encoding="utf-8"))])
    assert len(catalogue) >= 85
    assert any("ö" in str(r.get("author", "")) or "é" in str(r.get("author", "")) for r in catalogue.records())
    assert all("\\" not in r["title"] for r in catalogue.records())


def test_xampl_reads_the_standard_types() -> None:
    path = shared_path("corpus", "bib", "ropensci-xampl_standard.bib")
    catalogue = Catalogue.in_memory()
    import_texts(catalogue, [(path.name, path.read_text(encoding="utf-8"))])
    book = catalogue.get("book-full")
    assert book["author"] == [{"family": "Knuth", "given": "Donald E."}]
    assert book["issued"] == {"date-parts": [[1981, 1]]}
    assert catalogue.get("booklet-full")["type"] == "pamphlet"
