"""Guards of the design: a pure library, light start-up, help everywhere, a README that tells the truth."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from socsopr_cli.app import app

ROOT = Path(__file__).resolve().parent.parent


def test_catalogue_imports_neither_typer_nor_rich() -> None:
    for path in (ROOT / "catalogue").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"typer", "rich", "click", "socsopr_cli"}, f"{path}: {name}"


def test_the_library_loads_without_the_cli() -> None:
    code = (
        "import sys, pkgutil, importlib, catalogue, catalogue.formats as f\n"
        "for m in pkgutil.walk_packages(catalogue.__path__, 'catalogue.'): importlib.import_module(m.name)\n"
        "f.export_formats()\n"
        "bad = [m for m in ('typer', 'rich', 'click', 'socsopr_cli') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_start_up_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from socsopr_cli.app import app\n"
        "heavy = ('catalogue', 'rich', 'tinydb', 'iuliia', 'bibtexparser', 'citeproc', 'rapidfuzz', 'orjson',"
        " 'lxml', 'platformdirs')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}  # type: ignore[attr-defined]


def test_every_command_has_help() -> None:
    runner = CliRunner()
    commands = _commands()
    assert {"init", "list", "show"} <= set(commands)
    for name, command in commands.items():
        assert (command.help or "").strip(), f"{name} has no help"  # type: ignore[attr-defined]
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout


def test_every_command_exits_cleanly() -> None:
    """Each command function is wrapped by exits_cleanly, so library errors never show a traceback."""
    for name, command in _commands().items():
        callback = command.callback  # type: ignore[attr-defined]
        assert hasattr(callback, "__wrapped__"), f"{name} is not decorated with @exits_cleanly"


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    quick = _readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    commands = [line for block in blocks for line in block.strip().splitlines()]
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && socsopr ")
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
    assert "set -euo pipefail" in ci


READ_ONLY = ("list", "show", "search", "export", "cite", "styles", "stats", "check", "history")


def _readme_read_only_commands() -> list[str]:
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", _readme(), re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("socsopr ") and line.split()[1] in READ_ONLY and not re.search(r"[|<>]", line):
                lines.append(line)
    return lines


@pytest.mark.parametrize("line", _readme_read_only_commands())
def test_readme_read_only_commands_run(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    monkeypatch.chdir(tmp_path)  # `export -o FILE` lines write here, not into the checkout

    args = shlex.split(line)[1:]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1, 3), f"{line}: exit {result.exit_code}\n{result.stderr}"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("argv", [["list", "-f", "tsv"], ["show", "-f", "json", "ovsyannikov2006why"],
                                  ["search", "-f", "tsv", "socialism"]])
def test_reading_commands_import_no_store_machinery(argv: list[str], tmp_path: Path) -> None:
    """list, show and search read the file (or the index) directly: no TinyDB, no lock, no rich in a pipe."""
    code = (
        "import sys\n"
        "from socsopr_cli.app import app\n"
        f"sys.argv = ['socsopr', *{argv!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('tinydb', 'rich', 'bibtexparser', 'citeproc') if m in sys.modules],"
        " file=sys.stderr)\n"
    )
    env = {**os.environ, "SOCSOPR_DB": str(tmp_path / "c.json"), "SOCSOPR_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "socsopr_cli", "init"], env=env, check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip(), result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
