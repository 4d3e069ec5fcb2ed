"""The README's Tour runs as written: every command, in order, as a real process in an empty folder with
its own catalogue; each exits as the README says (0 unless its comment says ``[exit N]``)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from conftest import ROOT, run_process


def tour_lines() -> list[str]:
    """The lines of the ``sh`` blocks of the README's Tour section, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("\n## Tour\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", tour, re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def split_comment(line: str) -> tuple[str, str]:
    """The command and its comment (after `` # ``; no tour command holds a quoted ``#``)."""
    parts = re.split(r"\s#(?:\s|$)", line, maxsplit=1)
    return parts[0].strip(), parts[1] if len(parts) > 1 else ""


def expected_code(line: str) -> int:
    comment = split_comment(line)[1]
    found = re.search(r"\[exit (\d+)\]", comment)
    return int(found.group(1)) if found else 0


def test_the_tour_has_the_commands_the_issue_asks_for() -> None:
    lines = [split_comment(line)[0] for line in tour_lines()]
    assert "socsopr search socialism --limit 3" in lines
    assert "socsopr list --year 1998–2007" in lines
    assert any(line.startswith("socsopr search Прогресс --format ids") for line in lines)
    assert all(line.startswith(("socsopr ", "export ")) for line in lines), "a line the test cannot run"


def test_every_tour_command_runs_as_written(tmp_path: Path, isolated_catalogue: Path) -> None:
    """SOCSOPR_DB is the test's own catalogue (the autouse fixture); ``export`` lines change it for the
    lines after them, as in a shell; ``> FILE`` writes the output into the scratch folder."""
    scratch = tmp_path / "tour"
    scratch.mkdir()
    env: dict[str, str] = {}
    for line in tour_lines():
        command = split_comment(line)[0]
        words = shlex.split(command.replace("$PWD", str(scratch)))
        if words[0] == "export":
            name, _equals, value = words[1].partition("=")
            env[name] = value
            continue
        target = None
        if ">" in words:
            at = words.index(">")
            target, words = words[at + 1], words[:at]
        result = run_process(*words[1:], env=env, cwd=scratch)
        assert "Traceback" not in result.stderr, f"{line}\n{result.stderr}"
        assert result.returncode == expected_code(line), (
            f"{command}: exit {result.returncode}, the README says {expected_code(line)}\n{result.stderr}")
        if target is not None:
            (scratch / target).write_text(result.stdout, encoding="utf-8")
    # the archivist's changes went to their own catalogue: the default one was only ever read
    assert not Path(str(isolated_catalogue) + ".history").exists()
    mine = scratch / "my-library.json"
    assert mine.exists() and Path(str(mine) + ".history").exists()


@pytest.mark.skipif(os.name == "nt", reason="the tour is written for a POSIX shell")
def test_the_quick_start_installs_into_a_virtual_environment() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first = re.findall(r"```sh\n(.*?)```", quick, re.S)[0].strip()
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . && socsopr ")
    assert "pipx install ." in quick and "externally-managed-environment" in quick
