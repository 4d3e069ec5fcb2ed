"""``socsopr stats``: json for programs, bars for people."""

from __future__ import annotations

import json
from typing import Any

from socsopr_cli.app import app


def test_json_numbers(runner: Any) -> None:
    result = runner.invoke(app, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["records"] == 19 and data["pages"] == 345
    assert data["by_year"]["2006"] == 6
    assert data["names"][0] == {"name": "Ovsyannikov I. A.", "records": 5, "roles": {"author": 4, "editor": 1}}


def test_json_is_the_default_in_a_pipe_and_filters_apply(runner: Any) -> None:
    result = runner.invoke(app, ["stats", "--type", "periodical"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["records"] == 3


def test_table_has_bars_by_year(runner: Any) -> None:
    result = runner.invoke(app, ["stats", "-f", "table"])
    assert result.exit_code == 0
    assert "19 records, 345 pages" in result.stdout
    assert "By year" in result.stdout and "█" * 40 in result.stdout  # 2006, the largest year
    assert "Ovsyannikov I. A." in result.stdout and "author 4, editor" in result.stdout


def test_errors(runner: Any) -> None:
    none = runner.invoke(app, ["stats", "--year", "1900"])
    assert none.exit_code == 1 and "no record matches" in none.stderr and none.stdout == ""
    bad = runner.invoke(app, ["stats", "-f", "csv"])
    assert bad.exit_code == 2 and "unknown stats format 'csv'" in bad.stderr
