"""``socsopr check``."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run
from typer.testing import CliRunner

from catalogue import Catalogue


def test_the_shipped_catalogue_is_clean(runner: CliRunner) -> None:
    code, out, err = run("check", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    assert "clean: 19 records" in err


def test_findings_exit_3_in_every_format(runner: CliRunner, db_path: Path) -> None:
    run("add", "--gost", "Овсянников И. А. Why socialism — М., 2006.", "--force")
    run("add", "--title", "Old", "--year", "1200")
    with Catalogue.open(db_path, writable=True) as cat:
        cat.update("close2001imf", {**cat.get("close2001imf"), "author": [{"family": "K.", "given": "Doyle"}]})
        cat.save("test")
    code, out, err = run("check", "--format", "json")
    assert code == 3
    findings = json.loads(out)
    assert {(f["key"], f["check"]) for f in findings} == {
        ("ovsyannikov2006why", "duplicate"), ("ovsyannikov2006whya", "duplicate"),
        ("old1200", "year"), ("close2001imf", "names"),
    }
    assert "4 problems in 4 of 21 records" in err
    code, out, _err = run("check")
    assert code == 3 and out.startswith("key\tcheck\tproblem\n") and len(out.splitlines()) == 5
    code, out, _err = run("check", "--format", "table")
    assert code == 3 and "Problem" in out and "old1200" in out


def test_a_corrupt_catalogue_exits_4(runner: CliRunner, db_path: Path) -> None:
    db_path.write_text("{not json", encoding="utf-8")
    code, out, err = run("check")
    assert (code, out) == (4, "") and "is not valid JSON" in err


# --- check --gost: the elements of a complete GOST description ------------------------------

_COMPLETE = [
    {"id": "book", "type": "book", "title": "Книга", "publisher-place": "М.", "publisher": "Наука",
     "issued": {"date-parts": [[2001]]}, "number-of-pages": 300},
    {"id": "article", "type": "article-journal", "title": "Статья", "container-title": "Вопросы философии",
     "issued": {"date-parts": [[2001]]}, "issue": "5", "page": "3–15"},
    {"id": "web", "type": "webpage", "title": "FastAPI", "URL": "https://fastapi.tiangolo.com/",
     "accessed": {"date-parts": [[2026, 6, 20]]}},
    {"id": "thesis", "type": "thesis", "title": "Тема", "genre": "дис. ... канд. ист. наук",
     "publisher": "МГУ", "publisher-place": "М.", "issued": {"date-parts": [[2005]]}, "number-of-pages": 200},
]


def _catalogue_of(db_path: Path, records: list[dict[str, object]]) -> None:
    from catalogue.model.jsontext import json_text

    source = db_path.with_suffix(".import.json")
    source.write_text(json_text(records), encoding="utf-8")
    code, _out, err = run("import", "--format", "csl-json", str(source))
    assert code == 0, err
    with Catalogue.open(db_path, writable=True) as cat:  # only these records: the seed goes
        present = cat.keys()
        cat.remove([k for k in present if k not in {r["id"] for r in records}])
        cat.save("test")


def test_check_gost_is_clean_for_complete_descriptions(runner: CliRunner, db_path: Path) -> None:
    _catalogue_of(db_path, _COMPLETE)
    code, out, err = run("check", "--gost", "--format", "json")
    assert (code, json.loads(out)) == (0, []), err
    assert "clean: 4 records" in err


def test_check_gost_names_each_missing_element(runner: CliRunner, db_path: Path) -> None:
    article = {k: v for k, v in _COMPLETE[1].items() if k != "page"}
    web = {k: v for k, v in _COMPLETE[2].items() if k != "accessed"}
    book = {k: v for k, v in _COMPLETE[0].items() if k not in ("publisher", "number-of-pages")}
    thesis = {k: v for k, v in _COMPLETE[3].items() if k != "genre"}
    _catalogue_of(db_path, [article, web, book, thesis])
    code, out, err = run("check")  # without --gost the records are fine
    assert code == 0, out
    code, out, err = run("check", "--gost")  # a pipe: TSV
    assert code == 3
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0] == ["key", "check", "problem"]
    found = {(key, problem.rsplit(" (", 1)[1].split(")")[0]) for key, check, problem in rows[1:] if check == "gost"}
    assert found == {("article", "page"), ("web", "accessed"), ("book", "publisher"),
                     ("book", "number-of-pages"), ("thesis", "genre")}
    assert "5 problems in 4 of 4 records" in err and err.count("\n") == 1
    assert "a journal article needs the pages of the part (page)" in out


def test_check_gost_in_a_real_process(db_path: Path) -> None:
    from conftest import run_process

    done = run_process("check", "--gost", "--format", "tsv")  # the shipped records: no publishers
    assert done.returncode == 3 and done.stderr.endswith("error: 24 problems in 17 of 19 records.\n")
    assert "left1998vanguard\tgost\ta serial needs the place of publication (publisher-place)" in done.stdout
