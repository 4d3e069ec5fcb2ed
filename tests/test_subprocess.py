"""A few runs of the real, installed ``socsopr`` command (not CliRunner)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import socsopr_command


def socsopr(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([socsopr_command(), *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def test_list_in_a_pipe_is_tsv_and_messages_go_to_stderr(db_path: Path) -> None:
    result = socsopr("list")
    assert result.returncode == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0][:4] == ["key", "type", "names", "title"]
    assert len(rows) == 20 and all(len(r) == 10 for r in rows)
    assert "Created the catalogue" in result.stderr
    assert "\x1b[" not in result.stdout


def test_help_lists_every_command() -> None:
    result = socsopr("--help")
    assert result.returncode == 0
    for command in ("init", "list", "show"):
        assert f"\n  {command} " in result.stdout


def test_errors_are_one_sentence_and_an_exit_code(db_path: Path) -> None:
    result = socsopr("show", "nosuchkey")
    assert result.returncode == 3
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    db_path.write_text("{broken")
    result = socsopr("list")
    assert result.returncode == 4 and result.stderr.count("error:") == 1
    assert db_path.read_text() == "{broken"


def test_exit_codes_and_writes_survive_the_quick_exit(db_path: Path) -> None:
    """main() flushes and leaves with os._exit: the code, the output and the written file all arrive."""
    assert socsopr("search", "xyzzy").returncode == 1
    usage = socsopr("list", "--format", "nosuch")
    assert usage.returncode == 2 and "nosuch" in usage.stderr
    added = socsopr("add", "--title", "Quick Exit", "--year", "2010", "--yes")
    assert added.returncode == 0 and added.stdout.strip()
    key = added.stdout.strip()
    assert json.loads(db_path.read_text(encoding="utf-8"))["records"][key]["title"] == "Quick Exit"
    listed = socsopr("list", "--format", "ids")
    assert listed.returncode == 0 and key in listed.stdout.split()


def test_json_output_is_utf8_and_unescaped(db_path: Path, tmp_path: Path) -> None:
    result = socsopr("list", "--format", "json")
    records = json.loads(result.stdout)
    assert len(records) == 19


def test_python_dash_m_works(db_path: Path) -> None:
    import sys

    result = subprocess.run([sys.executable, "-m", "socsopr_cli", "show", "close2001imf", "--format", "ids"],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout == "close2001imf\n"


def test_stdout_closed_early_is_not_an_error(db_path: Path) -> None:
    pipeline = subprocess.run(f"'{socsopr_command()}' list --format json | head -c 10", shell=True,
                              capture_output=True, text=True, timeout=60)
    assert "Traceback" not in pipeline.stderr and "BrokenPipe" not in pipeline.stderr


def _complete(words: str) -> list[str]:
    env = {"_SOCSOPR_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = socsopr(env=env)
    assert result.returncode == 0 and result.stderr == ""
    return result.stdout.split()


def test_shell_completion_of_commands_options_and_keys(db_path: Path) -> None:
    socsopr("list")  # seed the catalogue
    assert _complete("socsopr li") == ["list"]
    assert "--format" in _complete("socsopr list --fo")
    assert _complete("socsopr show ovsyannikov2006w") == [
        "ovsyannikov2006we", "ovsyannikov2006why", "ovsyannikov2006world"
    ]
    assert _complete("socsopr show nothing-like-it") == []
