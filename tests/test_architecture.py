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
from conftest import CrashingRunner
from typer.testing import CliRunner

from socsopr_cli.app import app

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> str:
    """What a fresh Python prints running ``code`` (nothing imported before it)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


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
    out = _python(code)
    assert out.strip() == "[]"


def test_start_up_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from socsopr_cli.app import app\n"
        "heavy = ('catalogue', 'rich', 'tinydb', 'iuliia', 'bibtexparser', 'citeproc', 'rapidfuzz', 'orjson',"
        " 'lxml', 'platformdirs')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = _python(code)
    assert out.strip() == "[]"


def test_importing_the_cli_leaves_the_garbage_collector_alone() -> None:
    """Only the console script raises the collector's threshold; a program that imports the CLI keeps its own."""
    code = (
        "import gc\n"
        "before = gc.get_threshold()\n"
        "import socsopr_cli, socsopr_cli.entry, socsopr_cli.app\n"
        "print(gc.get_threshold() == before)\n"
    )
    out = _python(code)
    assert out.strip() == "True"


def test_the_console_script_raises_the_collectors_threshold_before_typer_loads() -> None:
    code = (
        "import gc, sys\n"
        "seen = []\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'typer':\n"
        "            seen.append(gc.get_threshold()[0])\n"
        "            raise SystemExit(0)\n"
        "sys.meta_path.insert(0, Spy())\n"
        "from socsopr_cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(seen)\n"
    )
    out = _python(code)
    assert out.strip() == "[50000]"


def _commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}  # type: ignore[attr-defined]


def test_every_command_has_help() -> None:
    runner = CrashingRunner()
    commands = _commands()
    assert {"init", "list", "show"} <= set(commands)
    for name, command in commands.items():
        assert (command.help or "").strip(), f"{name} has no help"  # type: ignore[attr-defined]
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout


# --- layering --------------------------------------------------------------------------------

# A package may import its own modules and those of lower ranks, never higher ones.
RANKS = {"errors": 0, "model": 1, "store": 2, "gost": 2, "search": 3, "formats": 3, "cite": 4, "curation": 5}
STORAGE_INTERNALS = {
    "catalogue.store.files", "catalogue.store.layout", "catalogue.store.storage", "catalogue.store.catalogue_file",
    "catalogue.store.history", "catalogue.store.tinydb_table", "catalogue.search.index",
}


def _imports(path: Path) -> list[str]:
    """Every module a file imports, at the top or inside functions (lazy imports count)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names]
    return found


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "catalogue" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANKS else None


def test_every_catalogue_module_belongs_to_a_ranked_package() -> None:
    for path in (ROOT / "catalogue").rglob("*.py"):
        parts = path.relative_to(ROOT / "catalogue").parts
        if parts in {("__init__.py",), ("errors.py",)} or parts[0] == "data":
            continue
        assert parts[0] in RANKS, f"{path}: put it in one of {sorted(RANKS)} (and give new packages a rank)"


def test_lower_packages_never_import_higher_ones() -> None:
    wrong = []
    for path in (ROOT / "catalogue").rglob("*.py"):
        parts = path.relative_to(ROOT / "catalogue").parts
        own = "errors" if parts == ("errors.py",) else parts[0] if parts[0] in RANKS else None
        if own is None:
            continue
        for module in _imports(path):
            other = _package_of(module)
            if other is not None and other != own and RANKS[other] > RANKS[own]:
                wrong.append(f"{path.relative_to(ROOT)} ({own}) imports {module} ({other})")
    assert not wrong, "\n".join(wrong)


def test_the_cli_imports_no_storage_internals() -> None:
    """Commands read and write through Catalogue; how the file is read is the store's business."""
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "socsopr_cli").rglob("*.py")
        for module in _imports(path)
        if any(module == m or module.startswith(m + ".") for m in STORAGE_INTERNALS)
    ]
    assert not wrong, "\n".join(wrong)


# --- the exit-code contract ----------------------------------------------------------------------


def test_the_cli_exits_only_through_documented_codes() -> None:
    """No literal exit status anywhere in the CLI: every exit names an ExitCode member."""
    from socsopr_cli.errors import ExitCode

    assert {int(c) for c in ExitCode} == {0, 1, 2, 3, 4, 70, 130}
    from socsopr_cli import entry

    assert entry.INTERRUPTED == ExitCode.INTERRUPTED
    wrong = []
    for path in (ROOT / "socsopr_cli").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name in {"sys.exit", "exit", "SystemExit", "os._exit"} and path.name not in {"app.py", "entry.py"}:
                wrong.append(f"{path.name}: {ast.unparse(node)}")
            if name in {"typer.Exit", "fail"}:
                text = ast.unparse(node)
                if "ExitCode." not in text and "code" not in text and text != "typer.Exit()":
                    wrong.append(f"{path.name}: {text}")
    assert not wrong, "\n".join(wrong)


def _damaged(db: Path) -> None:
    db.write_text('{"format": "socsopr-catalogue", "records": {"a": 5}, "version": 1}', encoding="utf-8")


SWEEP = [
    ["list"], ["list", "--year", "abc"], ["show", "nokey"], ["search", "socialism"], ["search", "year:abc"],
    ["stats"], ["cite"], ["cite", "--style", "nostyle"], ["export", "-f", "nosuch"], ["export"],
    ["import", "/nonexistent.bib"], ["add", "--title", "T"], ["edit", "nokey", "--set", "title=x"],
    ["remove", "nokey", "--yes"], ["undo", "--yes"], ["history"], ["check"], ["init"], ["styles", "zzzz"],
    ["list", "--bogus-option"], ["list", "--limit", "99999999999999999999999"],
]


@pytest.mark.parametrize("state", ["shipped", "damaged", "missing explicit"])
@pytest.mark.parametrize("argv", SWEEP, ids=lambda a: " ".join(a))
def test_every_command_exits_with_a_documented_code(
    argv: list[str], state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socsopr_cli.errors import DOCUMENTED

    db = tmp_path / "catalogue.json"
    args = list(argv)
    if state == "damaged":
        _damaged(db)
    elif state == "missing explicit":
        args += ["--db", str(tmp_path / "typo.json")]
    result = CrashingRunner().invoke(app, args)
    assert result.exit_code in DOCUMENTED, f"{argv}: exit {result.exit_code}\n{result.stderr}"
    assert result.exit_code != 70, f"{argv} crashed:\n{result.stderr}"
    assert "Traceback" not in result.stderr


def test_a_crash_exits_70_with_one_line_and_a_crash_log(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from catalogue.store import session
    from catalogue.store.creating import init_catalogue

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure")

    init_catalogue(tmp_path / "catalogue.json")
    monkeypatch.setattr(session.Catalogue, "get", boom)  # what show always calls
    result = runner.invoke(app, ["show", "ovsyannikov2006why"])
    assert result.exit_code == 70
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error (RuntimeError: injected failure)" in result.stderr.replace("\n", "")
    logs = list((tmp_path / "cache").glob("crash-*.log"))
    assert len(logs) == 1 and "injected failure" in logs[0].read_text() and "Traceback" in logs[0].read_text()
    assert str(logs[0]) in result.stderr.replace("\n", "")


def test_a_crash_in_the_real_command_exits_70_with_a_crash_log(tmp_path: Path) -> None:
    """The installed script, with a function broken by a sitecustomize module on PYTHONPATH."""
    from conftest import run_process

    from catalogue.store.creating import init_catalogue

    init_catalogue(tmp_path / "catalogue.json")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "from catalogue.store import session\n"
        "def boom(*a, **k):\n    raise RuntimeError('injected failure')\n"
        "session.Catalogue.get = boom\n", encoding="utf-8")
    done = run_process("show", "ovsyannikov2006why", env={"PYTHONPATH": str(hook), "COLUMNS": "500"})
    assert done.returncode == 70, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "RuntimeError: injected failure" in done.stderr
    assert "Traceback" not in done.stderr
    logs = list((tmp_path / "cache").glob("crash-*.log"))
    assert len(logs) == 1 and "Traceback" in logs[0].read_text()


def test_a_hand_damaged_record_that_breaks_a_command_is_reported_as_exit_4(
    runner: CliRunner, db_path: Path
) -> None:
    """A record with a field of the wrong type (written by hand) is named, never a crash."""
    from catalogue.store.layout import dump_records

    db_path.write_bytes(dump_records({"bad": {"id": "bad", "type": "book", "title": "T", "author": "Smith"}}))
    for argv in (["list", "-f", "table"], ["show", "bad"], ["stats", "-f", "json"], ["cite"],
                 ["export", "-f", "ris"], ["search", "smith"], ["list", "-f", "tsv"]):
        result = runner.invoke(app, argv)
        assert result.exit_code in (0, 4), f"{argv}: {result.exit_code} {result.stderr}"
        if result.exit_code == 4:
            assert "'bad'" in result.stderr and "socsopr check" in result.stderr


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    quick = _readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    commands = [line for block in blocks for line in block.strip().splitlines()]
    assert len(commands) == 2
    assert "pip install . && socsopr " in commands[0]
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
    result = CrashingRunner().invoke(app, args)
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
        "print([m for m in ('tinydb', 'rich', 'bibtexparser', 'citeproc', 'catalogue.model.validation')"
        " if m in sys.modules], file=sys.stderr)\n"
    )
    env = {**os.environ, "SOCSOPR_DB": str(tmp_path / "c.json"), "SOCSOPR_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "socsopr_cli", "init"], env=env, check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip(), result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"


def _modules_after(argv: list[str], env: dict[str, str]) -> list[str]:
    """The modules a run of ``socsopr ARGV`` has imported when it ends (stdout and stderr are pipes)."""
    code = (
        "import sys\n"
        "from socsopr_cli.app import app\n"
        f"sys.argv = ['socsopr', *{argv!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    modules: list[str] = eval(result.stderr.strip().splitlines()[-1])
    return modules


def test_the_main_help_imports_no_command_and_no_library(tmp_path: Path) -> None:
    """``socsopr --help`` reads the commands' summaries from their source and finds the default folders
    without platformdirs (Linux, no XDG folder set): no command module, nothing of the library."""
    env = {k: v for k, v in os.environ.items() if k not in {"SOCSOPR_DB", "XDG_DATA_HOME", "XDG_CACHE_HOME"}}
    env["HOME"] = str(tmp_path)
    loaded = _modules_after(["--help"], env)
    wrong = [m for m in loaded if m.startswith(("socsopr_cli.commands.", "catalogue", "rich"))]
    if sys.platform == "linux":
        wrong += [m for m in loaded if m.startswith("platformdirs")]
    assert not wrong


def test_the_summaries_read_from_the_source_are_the_docstrings() -> None:
    """What ``socsopr --help`` lists for each command is the first sentence of its help, read without
    importing the command (a first paragraph with a backslash escape would need the import)."""
    import inspect

    from socsopr_cli.app import COMMANDS, _source_first_paragraph, command_function, summary

    for name, (module, function) in COMMANDS.items():
        source = (ROOT / "socsopr_cli" / "commands" / f"{module}.py").read_text(encoding="utf-8")
        assert _source_first_paragraph(source, function) is not None, f"{name}: --help would import {module}"
        paragraph = " ".join((inspect.getdoc(command_function(name)) or "").split("\n\n", 1)[0].split())
        assert paragraph.startswith(summary(name)), name
    assert _source_first_paragraph('def f(x):\n    y = 1\n\n\ndef g():\n    """G."""\n', "f") is None
    assert _source_first_paragraph('def f(x):\n    """A \\"b\\"."""\n', "f") is None


@pytest.mark.parametrize("environment", [
    {}, {"XDG_DATA_HOME": "/elsewhere/data", "XDG_CACHE_HOME": "/elsewhere/cache"},
    {"XDG_DATA_HOME": "", "XDG_CACHE_HOME": ""}, {"XDG_DATA_HOME": "relative"}, {"HOME": "/"},
    {"HOME": "/home/someone/"}, {"HOME": "relative/home"},
], ids=repr)
def test_the_default_folders_are_platformdirs_folders(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    from socsopr_cli.context import default_cache, default_catalogue

    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "ANDROID_DATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert default_catalogue() == platformdirs.user_data_path("socsopr") / "catalogue.json"
    assert default_cache() == platformdirs.user_cache_path("socsopr")


@pytest.mark.parametrize(("argv", "unused"), [
    pytest.param(["list", "-f", "tsv"], ["catalogue.model.validation", "catalogue.model.places", "platformdirs"],
                 id="list"),
    pytest.param(["show", "-f", "json", "ovsyannikov2006why"], ["catalogue.formats", "catalogue.model.validation"],
                 id="show"),
    pytest.param(["search", "-f", "tsv", "socialism"], ["socsopr_cli.tables", "catalogue.model.validation", "rapidfuzz",
                                                     "socsopr_cli.errors"], id="search"),
])
def test_reading_commands_load_only_what_they_use(argv: list[str], unused: list[str], tmp_path: Path) -> None:
    """No validation for a command that writes nothing, no filter tables without a filter, no format
    registry for show's own json, no table layouts for search without --columns, no rapidfuzz for its
    typos and no exit codes (an enum) when it succeeds."""
    env = {**os.environ, "SOCSOPR_DB": str(tmp_path / "c.json"), "SOCSOPR_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "socsopr_cli", "init"], env=env, check=True, capture_output=True)
    loaded = _modules_after(argv, env)
    assert "catalogue.store.catalogue_file" in loaded or "catalogue.search.index_file" in loaded
    assert not [m for m in unused if m in loaded]


@pytest.mark.parametrize("argv", [
    ["add", "--type", "book", "--title", "Architecture record", "--author", "Tester, A.", "--year", "2024"],
    ["edit", "ovsyannikov2006why", "--set", "year=2001"],
], ids=lambda a: a[0])
def test_writing_commands_in_a_pipe_say_what_they_did_without_rich(argv: list[str], tmp_path: Path) -> None:
    """Off a terminal a message is written as rich would write it, without importing rich."""
    env = {**os.environ, "SOCSOPR_DB": str(tmp_path / "c.json"), "SOCSOPR_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "socsopr_cli", "init"], env=env, check=True, capture_output=True)
    loaded = _modules_after(argv, env)
    assert "catalogue.store.session" in loaded and "rich" not in loaded


@pytest.mark.parametrize("message", [
    "Added x: Parity A. Parity record. 2024 (book)", "", "two\nlines", "x" * 300, "a \u202e b \x1b[31m",
    "Змея 🐍 漢字", "space at the end  \nof a line", "a\ttab", "trailing ",
])
def test_a_message_off_a_terminal_is_what_rich_writes(message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from socsopr_cli import console

    def written(plain: bool) -> str:
        stream = io.StringIO()
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stderr", stream)
            if not plain:
                patch.setattr(console, "_written_plain", lambda lines: False)
            console.note(message)
            console.print_error(message, ["a detail", message])
        return stream.getvalue()

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert written(plain=True) == written(plain=False)


def test_ctrl_c_while_the_command_starts_is_one_sentence(tmp_path: Path) -> None:
    """SIGINT while Typer and the commands are still being imported: exit 130, no traceback."""
    import signal
    import time

    from conftest import process_argv

    # the catalogue made beforehand: a run that ends before the signal says nothing at all on stderr
    subprocess.run(process_argv("list", "--format", "ids"), capture_output=True, check=True)
    for delay in (0.0, 0.01, 0.02, 0.04, 0.06):
        proc = subprocess.Popen(process_argv("list", "--format", "ids"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        if "Traceback" in err and "/socsopr_cli/" not in err and "/catalogue/" not in err:
            continue  # Python's own start-up (site, .pth files of other packages), before socsopr runs
        assert "Traceback" not in err, err
        if proc.returncode == 130:
            assert err.strip().endswith(("nothing was written.", "('socsopr undo' takes it back).")), err
        else:  # finished before the signal arrived, or ended by it while Python itself was starting
            assert (proc.returncode == 0 or proc.returncode < 0) and not err, (proc.returncode, err)
