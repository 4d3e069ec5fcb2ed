"""``socsopr export`` through CliRunner and through the installed command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import process_argv
from typer.testing import CliRunner

from socsopr_cli.app import app

GOLDEN = {
    "bibtex": "export.bib", "biblatex": "export-biblatex.bib", "csl-json": "export.csl.json",
    "ris": "export.ris", "csv": "export.csv", "tsv": "export.tsv", "markdown": "export.md",
    "json": "export.json",
}


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_every_format_of_the_shipped_catalogue(runner: CliRunner, golden, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["export", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    if fmt == "json":  # timestamps of the shipped data are fixed, so the full records are stable
        assert '"added": "2026-11-26T00:00:00Z"' in text
    golden(GOLDEN[fmt], text)


def test_default_is_bibtex_and_filters_apply(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "--year", "2005", "--type", "pamphlet"])
    assert result.exit_code == 0
    assert result.stdout.startswith("@book{ovsyannikov2005hands,") and result.stdout.count("@") == 1
    assert "entrysubtype = {pamphlet}" in result.stdout  # plain.bst has no @booklet with a publisher


def test_output_file_is_written_and_catalogue_file_refused(runner: CliRunner, tmp_path: Path, db_path: Path) -> None:
    out = tmp_path / "out.ris"
    result = runner.invoke(app, ["export", "-f", "ris", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").count("ER  - ") == 19
    before = db_path.read_bytes()
    result = runner.invoke(app, ["export", "-o", str(db_path)])
    assert result.exit_code == 2
    assert "is the catalogue file itself" in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_unknown_format_and_no_match(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "--format", "docx"])
    assert result.exit_code == 2 and "unknown export format 'docx'" in result.stderr
    result = runner.invoke(app, ["export", "--author", "Nobody"])
    assert result.exit_code == 1 and result.stdout == ""


def test_installed_command_exports_in_a_pipe(db_path: Path) -> None:
    done = subprocess.run(process_argv("export", "-f", "csl-json", "--type", "periodical"),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert '"id": "left1998vanguard"' in done.stdout and "Traceback" not in done.stderr
