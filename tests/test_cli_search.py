"""``socsopr search`` through CliRunner and through the installed command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import process_argv
from typer.testing import CliRunner

from socsopr_cli.app import app


def test_finds_in_any_script_and_ranks(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "-f", "ids", "Овсяников"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split()[0] == "ovsyannikov2005hands"


def test_json_adds_the_score(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "-f", "json", "socilism"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert records[0]["id"] == "ovsyannikov2006why" and records[0]["score"] == 60
    assert [r["score"] for r in records] == sorted((r["score"] for r in records), reverse=True)


@pytest.mark.parametrize("fmt", ["tsv", "csv", "markdown", "ids", "table"])
def test_every_list_format_works(runner: CliRunner, fmt: str) -> None:
    result = runner.invoke(app, ["search", "-f", fmt, "why", "socialism"])
    assert result.exit_code == 0, result.stderr
    assert "ovsyannikov2006why" in result.stdout


def test_table_has_a_score_column_and_prints_data_literally(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "-f", "table", "socialism"])
    assert "Score" in result.stdout and "Why Socialism?" in result.stdout


def test_filters_and_exclusions(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "-f", "ids", "--year", "2006", "--type", "pamphlet",
                                 "ovsyannikov", "-world"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["ovsyannikov2006we", "ovsyannikov2006why"]


def test_only_filters(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "-f", "ids", "--place", "Ярославль"])
    assert result.stdout.split() == ["ovsyannikov2005hands"]


def test_no_match_exits_1_with_a_message(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "xyzzy"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "nothing matches 'xyzzy'" in result.stderr


@pytest.mark.parametrize(("argv", "named"), [
    (["year:abc"], "year:abc"), (["autor:x"], "autor"), (['"open'], "quote"),
    (["--", "socialism", "--year", "2006"], "--year"), ([], "search for"), (["-f", "nope", "x"], "nope"),
])
def test_usage_errors_exit_2_naming_the_problem(runner: CliRunner, argv: list[str], named: str) -> None:
    result = runner.invoke(app, ["search", *argv])
    assert result.exit_code == 2
    assert named in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_limit_and_terminal_note(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "-f", "ids", "-n", "2", "socialism"])
    assert len(result.stdout.split()) == 2


def test_corrupt_catalogue_exits_4(runner: CliRunner, db_path: Path) -> None:
    db_path.write_text("{")
    result = runner.invoke(app, ["search", "socialism"])
    assert result.exit_code == 4 and "not valid JSON" in result.stderr


def test_installed_command_in_a_real_process(db_path: Path) -> None:
    run = subprocess.run([*process_argv("search"), "OVSJANNIKOV", "--", "-world"], capture_output=True, text=True,
                         env=dict(os.environ), timeout=60)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("key\t") and len(lines) == 5  # TSV in a pipe
    missing = subprocess.run([*process_argv("search"), "xyzzy"], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_ids_are_the_keys_of_the_records_json_gives(db_path: Path) -> None:
    """`-f ids` prints keys from the index without reading the records: the same keys, in the same order."""
    import orjson
    from conftest import run

    for query in (["socialism"], ["type:pamphlet"], ["ovsyannikov", "--limit", "2"], ["-year:2006"]):
        ids = run("search", "-f", "ids", *query)
        whole = run("search", "-f", "json", *query)
        assert ids.code == whole.code
        if whole.code == 0:
            assert ids.out.split() == [r["id"] for r in orjson.loads(whole.out)]
