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
    assert "clean: 18 records" in err


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
    assert "4 problems in 4 of 20 records" in err
    code, out, _err = run("check")
    assert code == 3 and out.startswith("key\tcheck\tproblem\n") and len(out.splitlines()) == 5
    code, out, _err = run("check", "--format", "table")
    assert code == 3 and "Problem" in out and "old1200" in out


def test_a_corrupt_catalogue_exits_4(runner: CliRunner, db_path: Path) -> None:
    db_path.write_text("{not json", encoding="utf-8")
    code, out, err = run("check")
    assert (code, out) == (4, "") and "is not valid JSON" in err
