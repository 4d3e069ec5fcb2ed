"""MARC through the command line: ``socsopr import FILE.mrc``, ``socsopr export -f marc``, a pipe, a terminal.

ISO 2709 is written as UTF-8: a pipe or a file gets the exporter's bytes exactly; on a terminal the
record, field and subfield delimiters (control characters) are shown as escapes like any other
control character (``\\x1e``), so the terminal shows the record and is never driven by it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import process_argv
from typer.testing import CliRunner

from catalogue import Catalogue
from catalogue.formats import export
from socsopr_cli import console
from socsopr_cli.app import app
from socsopr_cli.errors import ExitCode

CORPUS = Path(__file__).resolve().parent / "corpus" / "marc"
GOLDEN = {"marc": "export.mrc", "marcxml": "export.marcxml.xml", "unimarc": "export.unimarc.iso"}


def _records(db: Path) -> list[dict]:
    with Catalogue.open(db) as cat:
        return cat.records()


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_the_shipped_catalogue_exported(runner: CliRunner, golden, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["export", "-f", fmt])
    assert result.exit_code == 0, result.stderr
    golden(GOLDEN[fmt], result.stdout)


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_export_to_a_file_and_import_into_a_new_catalogue(
    runner: CliRunner, tmp_path: Path, db_path: Path, fmt: str
) -> None:
    out = tmp_path / f"all.{GOLDEN[fmt].rsplit('.', 1)[1]}"
    result = runner.invoke(app, ["export", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0 and f"Exported 19 records to {out} ({fmt})" in result.stderr
    assert out.read_bytes() == export(_records(db_path), fmt).encode("utf-8")
    again = runner.invoke(app, ["export", "-f", fmt, "-o", str(out)])  # a previous export is replaced
    assert again.exit_code == 0, again.stderr
    fresh = tmp_path / "fresh.json"
    assert runner.invoke(app, ["init", "--empty", "--db", str(fresh)]).exit_code == 0
    result = runner.invoke(app, ["import", "--db", str(fresh), str(out)])
    assert result.exit_code == 0 and "Imported 19, updated 0" in result.stderr, result.stderr
    assert [r["id"] for r in _records(fresh)] == [r["id"] for r in _records(db_path)]


def test_real_records_imported_by_extension_and_undone(runner: CliRunner, db_path: Path) -> None:
    runner.invoke(app, ["list"])  # create the catalogue
    before = db_path.read_bytes()
    result = runner.invoke(app, ["import", str(CORPUS / "rsl-002986648.mrc"), str(CORPUS / "rkp-cp1251.mrc"),
                                 str(CORPUS / "nlr-009670326-rusmarc.iso"), str(CORPUS / "batch.xml"),
                                 str(CORPUS / "marc8.mrc")])
    assert result.exit_code == 0, result.stderr
    assert "Imported 11, updated 0, skipped 0, invalid 0." in result.stderr
    titles = {r["title"] for r in _records(db_path)}
    assert "Господа нашего Иисуса Христа Новый Завет: На славянском и руском языке" in titles
    assert "Психологический тренинг с подростками" in titles and "The White House" in titles
    assert "Escape from loneliness" in titles  # MARC-8
    assert runner.invoke(app, ["undo"]).exit_code == 0 and db_path.read_bytes() == before


def test_a_round_trip_through_the_command_line_keeps_the_records(runner: CliRunner, tmp_path: Path,
                                                                 db_path: Path) -> None:
    out = tmp_path / "all.mrc"
    assert runner.invoke(app, ["export", "-f", "marc", "-o", str(out)]).exit_code == 0
    before = {r["id"]: r for r in _records(db_path)}
    result = runner.invoke(app, ["import", str(out)])
    # MARC 21 keeps every field of the shipped records: each comes back identical to itself
    assert result.exit_code == 0 and "Imported 0, updated 0, skipped 19, invalid 0." in result.stderr
    assert result.stderr.count("identical to") == 19, result.stderr
    assert {r["id"]: r for r in _records(db_path)} == before


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda data: data[:-30], "is cut off"),
    (lambda data: b"x" + data[1:], "does not start with a record length"),
    (lambda data: data[:24] + b"\x1e\x1e\x1e" + data[27:], "directory"),
])
def test_a_damaged_file_imports_nothing(runner: CliRunner, tmp_path: Path, db_path: Path, damage, expected) -> None:  # type: ignore[no-untyped-def]
    runner.invoke(app, ["list"])
    before = db_path.read_bytes()
    good = (CORPUS / "rsl-002986648.mrc").read_bytes() * 2
    bad = tmp_path / "bad.mrc"
    bad.write_bytes(damage(good))
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == ExitCode.BAD_DATA
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "so nothing was imported" in errors[0], result.stderr
    details = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert expected in details[0] and f"{bad}:" in details[0] and "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_a_damaged_windows_1251_file_imports_nothing(runner: CliRunner, tmp_path: Path, db_path: Path) -> None:
    runner.invoke(app, ["list"])
    before = db_path.read_bytes()
    bad = tmp_path / "bad.mrc"
    bad.write_bytes((CORPUS / "rkp-cp1251.mrc").read_bytes()[:-100])
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == ExitCode.BAD_DATA
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        "error: 1 problem in the input, so nothing was imported (fix them, or import the rest with "
        "--skip-invalid)."]
    assert f"{bad}:6: record 6 (byte 4366) is cut off" in result.stderr and db_path.read_bytes() == before
    assert runner.invoke(app, ["import", "--skip-invalid", str(bad)]).exit_code == 0  # the five before it


def test_xml_that_is_not_marc_imports_nothing(runner: CliRunner, tmp_path: Path, db_path: Path) -> None:
    runner.invoke(app, ["list"])
    before = db_path.read_bytes()
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    result = runner.invoke(app, ["import", "-f", "marcxml", str(feed)])
    assert result.exit_code == ExitCode.BAD_DATA and "not MARCXML" in result.stderr
    assert db_path.read_bytes() == before


def test_stdout_in_a_pipe_is_the_exporters_bytes(runner: CliRunner, db_path: Path) -> None:
    result = runner.invoke(app, ["export", "-f", "marc"])
    assert result.exit_code == 0
    made = export(_records(db_path), "marc")
    assert result.stdout_bytes == made.encode("utf-8") and b"\x1e" in result.stdout_bytes


def test_on_a_terminal_the_delimiters_are_shown_not_sent(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "stdout_is_terminal", lambda: True)
    result = runner.invoke(app, ["export", "-f", "marc"])
    assert result.exit_code == 0
    assert not any(ch in result.stdout for ch in "\x1d\x1e\x1f") and "\\x1e" in result.stdout


def test_the_installed_command_pipes_exact_bytes_and_reads_them_back(tmp_path: Path, db_path: Path) -> None:
    done = subprocess.run(process_argv("export", "-f", "marc"), capture_output=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout == export(_records(db_path), "marc").encode("utf-8")
    source = tmp_path / "piped.mrc"
    source.write_bytes(done.stdout)
    shown = subprocess.run(process_argv("show", "-f", "json", "doyle1993revolution"),
                           capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert shown.returncode == 0, shown.stderr
    imported = subprocess.run(process_argv("import", "--dry-run", "--on-duplicate", "update", str(source)),
                              capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert imported.returncode == 0, imported.stderr
    assert b"Would import 0, would update 0, skipped 19" in imported.stderr  # each identical to itself
    assert json.loads(shown.stdout)["title"] == "1968. Revolution month. Lessons from the general strike"


def test_the_installed_command_reads_windows_1251_marc_from_stdin(db_path: Path) -> None:
    data = (CORPUS / "rkp-cp1251.mrc").read_bytes()
    done = subprocess.run(process_argv("import", "--dry-run", "-"), input=data, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"Would import 6, would update 0" in done.stderr
