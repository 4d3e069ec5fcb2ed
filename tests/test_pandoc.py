"""pandoc 2.17 (the consumer our exports must satisfy) reads the bibtex, biblatex and csl-json exports."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from catalogue import Catalogue
from catalogue.formats import export
from catalogue.model.record import is_open_range, year_range

pytestmark = pytest.mark.tools("pandoc")

READERS = {"bibtex": ("bibtex", "bib"), "biblatex": ("biblatex", "bib"), "csl-json": ("csljson", "json")}


def _typographic(text: str) -> str:
    # pandoc's readers make quotes typographic (' -> ’, "they" -> “they”), as LaTeX itself prints them.
    return text.replace("’", "'").replace("“", '"').replace("”", '"')


def _names(item: dict, roles: tuple[str, ...] = ("author", "editor", "compiler", "translator")) -> list[str]:
    return [n.get("literal") or f"{n.get('family')}, {n.get('given')}" for role in roles for n in item.get(role, [])]


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_pandoc_reads_every_entry_without_warnings(shipped: Catalogue, tmp_path: Path, fmt: str) -> None:
    reader, ext = READERS[fmt]
    source = tmp_path / f"export.{ext}"
    source.write_text(export(shipped.records(), fmt), encoding="utf-8")
    done = subprocess.run(["pandoc", "-f", reader, "-t", "csljson", str(source)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    items = {i["id"]: i for i in json.loads(done.stdout)}
    assert set(items) == set(shipped.keys())
    for record in shipped.records():
        item = items[record["id"]]
        assert _typographic(item["title"]) == record["title"]
        # pandoc 2.17's CSL-JSON reader predates CSL 1.0.2 and drops `compiler`; classic BibTeX carries it in
        # the GOST styles' `compiler` field, which pandoc does not read (as an editor, styles printed
        # "под ред." for a compiler, #12); biblatex as editor + editortype = {compiler}.
        roles = ("author", "editor", "translator") + (("compiler",) if fmt == "biblatex" else ())
        assert sorted(map(_typographic, _names(item))) == sorted(_names(record, roles))
        parts = item.get("issued", {}).get("date-parts") or []
        if fmt == "bibtex" and is_open_range(record):
            # classic BibTeX has no open range: 'year = {2007–}' is what .bst styles print, and
            # pandoc's bibtex reader, which wants digits, reads no date from it
            assert not parts
        elif year_range(record):
            assert year_range({"issued": {"date-parts": parts}}) == year_range(record)
            assert parts == record["issued"]["date-parts"]
        else:
            assert not parts
        assert item.get("publisher-place") == record.get("publisher-place")
        assert item.get("publisher") == record.get("publisher")
        pages = item.get("number-of-pages")
        assert (int(pages) if pages is not None else None) == record.get("number-of-pages")
        assert item.get("language", "").startswith("ru")  # so pandoc does not title-case the titles
