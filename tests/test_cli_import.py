"""``socsopr import`` through CliRunner and through the installed command."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import process_argv
from typer.testing import CliRunner

from catalogue import Catalogue
from socsopr_cli.app import app

NEW = "@book{doe2001new, author = {Doe, J.}, title = {A New Book}, year = {2001}}\n"


def test_import_then_undo(runner: CliRunner, tmp_path: Path, db_path: Path) -> None:
    source = tmp_path / "new.bib"
    source.write_text(NEW, encoding="utf-8")
    result = runner.invoke(app, ["import", str(source)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and "Imported 1, updated 0, skipped 0, invalid 0." in result.stderr
    with Catalogue.open(db_path) as cat:
        assert cat.get("doe2001new")["author"] == [{"family": "Doe", "given": "J."}]


def test_invalid_input_exits_3_lists_file_line_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, db_path: Path
) -> None:
    runner.invoke(app, ["list"])  # create the catalogue
    before = db_path.read_bytes()
    source = tmp_path / "bad.bib"
    source.write_text(NEW + "@book{bad,\n  title = {never closed,\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(source)])
    assert result.exit_code == 3
    assert "nothing was imported" in result.stderr and f"{source}:2: the @book entry cannot be read" in result.stderr
    assert "Traceback" not in result.stderr and db_path.read_bytes() == before
    result = runner.invoke(app, ["import", "--skip-invalid", str(source)])
    assert result.exit_code == 0 and "Imported 1" in result.stderr


def test_dry_run_and_duplicates(runner: CliRunner, tmp_path: Path, db_path: Path) -> None:
    runner.invoke(app, ["list"])
    before = db_path.read_bytes()
    export = runner.invoke(app, ["export", "-f", "ris"]).stdout
    source = tmp_path / "all.ris"
    source.write_text(export, encoding="utf-8")
    result = runner.invoke(app, ["import", "--dry-run", "--on-duplicate", "keep-both", str(source)])
    assert result.exit_code == 0 and "Would import 19" in result.stderr and db_path.read_bytes() == before
    result = runner.invoke(app, ["import", "--on-duplicate", "error", str(source)])
    assert result.exit_code == 3 and "19 problems" in result.stderr


def test_bad_usage(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / "missing.bib")])
    assert result.exit_code == 2 and "is not a file" in result.stderr
    result = runner.invoke(app, ["import", "--format", "docx", "-"], input="x")
    assert result.exit_code == 2 and "unknown import format 'docx'" in result.stderr
    result = runner.invoke(app, ["import", "--on-duplicate", "merge", "-"], input="x")
    assert result.exit_code == 2


def test_installed_command_reads_stdin(db_path: Path) -> None:
    done = subprocess.run(process_argv("import", "-"), input=NEW, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Imported 1" in done.stderr and "Traceback" not in done.stderr
    shown = subprocess.run(process_argv("export", "-f", "ids", "--author", "Doe"), capture_output=True,
                           text=True, timeout=60, check=False)
    assert shown.stdout == "doe2001new\n"
