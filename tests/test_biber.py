"""biber (the biblatex back end) reads the biblatex export without a warning and keeps every entry."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


# --- biber --validate-datamodel ---------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
MIXED = ROOT / "tests" / "data" / "mixed-catalogue.json"
_DATAMODEL = re.compile(r"Datamodel: Entry '([^']+)' \([^)]*\): (.*)$", re.MULTILINE)


def _lacks(*fields: str) -> Callable[[dict[str, Any]], bool]:
    return lambda record: not any(record.get(f) for f in fields)


# Complaints of the data model that the record itself explains: (message pattern, check, reason).
# Never "Invalid field": socsopr writes only the fields the data model allows on each type.
DATAMODEL_EXPLAINED = [
    (r"^Missing mandatory field 'author'$", _lacks("author"),
     "the source names no author (a book or pamphlet by an editor or compiler, or by no one)"),
    (r"^Missing mandatory field - one of 'author, editor' must be defined$",
     _lacks("author", "editor", "compiler"), "the source names no author or editor"),
    (r"^Missing mandatory field 'editor'$", _lacks("editor", "compiler"), "the periodical's source names no editor"),
    (r"^Missing mandatory field - one of 'date, year' must be defined$", _lacks("issued"),
     "the source gives no date"),
    (r"^Missing mandatory field 'type'$", lambda r: r.get("type") == "report" and not r.get("genre"),
     "biblatex wants a report's kind (technical, research …); the record does not say it and socsopr"
     " does not invent one"),
]


def _records(name: str, shipped: Catalogue) -> list[dict[str, Any]]:
    if name == "shipped":
        return list(shipped.records())
    return list(Catalogue.in_memory(json.loads(MIXED.read_text("utf-8"))).records())


@pytest.mark.parametrize("name", ["shipped", "mixed"])
def test_biber_validates_the_biblatex_export_against_the_data_model(shipped: Catalogue, tmp_path: Path,
                                                                    name: str) -> None:
    """``biber --tool --validate-datamodel``: no "Invalid field", and no complaint the data does not explain."""
    records = _records(name, shipped)
    source = tmp_path / f"{name}.bib"
    source.write_text(export(records, "biblatex"), encoding="utf-8")
    done = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-encoding=UTF-8", source.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "Invalid field" not in log
    assert "Invalid entry type" not in log
    by_key = {r["id"]: r for r in records}
    unexplained = [
        f"{key}: {message}" for key, message in _DATAMODEL.findall(log)
        if not any(re.search(p, message) and holds(by_key[key]) for p, holds, _ in DATAMODEL_EXPLAINED)
    ]
    assert unexplained == [], "\n".join(unexplained)
    other = [line for line in log.splitlines() if re.search(r"\b(WARN|ERROR)\b", line) and "Datamodel:" not in line]
    assert other == [], "\n".join(other)
