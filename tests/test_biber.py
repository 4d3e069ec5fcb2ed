"""biber (the biblatex back end) reads the biblatex export without a warning and keeps every entry."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from catalogue import Catalogue
from catalogue.formats import export

pytestmark = pytest.mark.tools("biber")


def run_biber(source: Path) -> tuple[str, str]:
    """biber in tool mode: parse the file as a LaTeX run would, write its own normalised copy."""
    done = subprocess.run(["biber", "--tool", "--output-encoding=UTF-8", source.name], cwd=source.parent,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr, (source.parent / f"{source.stem}_bibertool.bib").read_text("utf-8")


def test_biber_reads_the_shipped_catalogue_without_warnings(shipped: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "socsopr.bib"
    source.write_text(export(shipped.records(), "biblatex"), encoding="utf-8")
    log, rewritten = run_biber(source)
    assert not re.search(r"\b(WARN|ERROR)\b", log), log
    keys = set(re.findall(r"@\w+\{(\S+),", rewritten))
    assert keys == set(shipped.keys())
    for text in ("Ovsyannikov", "Yaroslavl and Moscow", "langid", "pagetotal"):
        assert text.lower() in rewritten.lower()


def test_biber_reads_cyrillic_and_specials(tmp_path: Path) -> None:
    cat = Catalogue.in_memory([{
        "id": "ovsyannikov2006pochemu", "type": "book", "title": "Почему социализм? 100% {и} $ & # _ ~ ^ \\ }",
        "author": [{"family": "Овсянников", "given": "И. А."}], "issued": {"date-parts": [[2006]]},
        "publisher-place": "Москва", "language": "ru", "number-of-pages": 36,
    }])
    source = tmp_path / "cyr.bib"
    source.write_text(export(cat.records(), "biblatex"), encoding="utf-8")
    log, rewritten = run_biber(source)
    assert not re.search(r"\b(WARN|ERROR)\b", log), log
    assert "Овсянников" in rewritten and "Почему социализм" in rewritten
    assert "\\cyr" not in rewritten
