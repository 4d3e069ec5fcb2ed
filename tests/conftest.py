"""Shared fixtures: every test runs against its own catalogue file and a fixed terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from catalogue import Catalogue

# No per-example deadline (a shared 2-core machine stalls now and then); in CI the examples
# are derived from the test, not drawn at random, so a run is repeatable.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "local")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


# Tests of the user's real tools (pandoc, biber, LaTeX) carry ``@pytest.mark.tools(...)``.
# Where a tool is missing they skip, except when SOCSOPR_REQUIRE_TOOLS is set (.ci/run sets
# it): there a missing tool fails the test, so CI can never pass by skipping them.
REQUIRE_TOOLS = bool(os.environ.get("SOCSOPR_REQUIRE_TOOLS"))


def missing_tools(commands: Sequence[str] = (), tex: Sequence[str] = ()) -> list[str]:
    """The commands not on PATH and the TeX files ``kpsewhich`` cannot find."""
    missing = [c for c in commands if shutil.which(c) is None]
    if tex and shutil.which("kpsewhich") is None:
        return [*missing, *tex]
    for name in tex:
        found = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False)
        if not found.stdout.strip():
            missing.append(name)
    return missing


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("tools"):
        missing = missing_tools(mark.args, mark.kwargs.get("tex", ()))
        if missing:
            message = f"not installed: {', '.join(missing)} (.ci/run installs them)"
            if REQUIRE_TOOLS:
                pytest.fail(message + "; SOCSOPR_REQUIRE_TOOLS is set, so this cannot skip")
            pytest.skip(message)


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test when the folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not beside the checkout (CI lays it there)")
    return path


@pytest.fixture(autouse=True)
def isolated_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point SOCSOPR_DB at a fresh path, fix the terminal, drop colour."""
    db = tmp_path / "catalogue.json"
    monkeypatch.setenv("SOCSOPR_DB", str(db))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("SOCSOPR_LOCK_TIMEOUT", "60")
    monkeypatch.setenv("SOCSOPR_CACHE_DIR", str(tmp_path / "cache"))  # search indexes
    monkeypatch.delenv("EDITOR", raising=False)
    return db


def calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, arg: int = -1) -> list[Any]:
    """Spy on ``owner.name`` for the test: the list of its calls' argument number ``arg`` (the last
    by default), growing as it is called; the function still does its work."""
    made: list[Any] = []
    real = getattr(owner, name)

    def spied(*args: Any) -> Any:
        made.append(args[arg])
        return real(*args)

    monkeypatch.setattr(owner, name, spied)
    return made


def test_cache() -> Path:
    """The test's cache folder (search indexes, crash logs): SOCSOPR_CACHE_DIR as the fixture set it."""
    return Path(os.environ["SOCSOPR_CACHE_DIR"])


test_cache.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
def db_path(isolated_catalogue: Path) -> Path:
    return isolated_catalogue


@pytest.fixture
def shipped(db_path: Path) -> Iterator[Catalogue]:
    """The shipped catalogue, opened read-only from the test's own file."""
    with Catalogue.open(db_path) as cat:
        yield cat


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner that keeps stdout and stderr apart and lets a crash through as the exception.

    With the default ``catch_exceptions=True`` a crash reads as "exit 1, empty
    output", which is exactly what "no match" looks like.
    """
    return CrashingRunner()


class CrashingRunner(CliRunner):
    """``invoke`` with ``catch_exceptions=False`` unless a test asks otherwise."""

    def invoke(self, *args: Any, **kwargs: Any) -> Result:
        kwargs.setdefault("catch_exceptions", False)
        return super().invoke(*args, **kwargs)


class Run(NamedTuple):
    code: int
    out: str
    err: str


def run(*args: str, input: str | None = None) -> Run:
    """``socsopr ARGS`` in-process through typer's CliRunner (crashes raise)."""
    from socsopr_cli.app import app

    result = CrashingRunner().invoke(app, list(args), input=input)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return Run(result.exit_code, result.stdout, result.stderr)


def socsopr_command() -> str:
    """The installed ``socsopr`` script of the interpreter running the tests (not whatever is on PATH)."""
    path = Path(sys.executable).parent / ("socsopr.exe" if os.name == "nt" else "socsopr")
    if not path.exists():
        pytest.skip(f"socsopr is not installed for {sys.executable} (pip install .)")
    return str(path)


def run_process(
    *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 120,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """The real, installed ``socsopr ARGS`` as a separate process (stdin closed unless ``input``)."""
    return subprocess.run(
        [socsopr_command(), *args], input=input, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, cwd=cwd,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def process_argv(*args: str) -> Sequence[str]:
    """The argv of the installed command, for tests that manage the process themselves (Popen)."""
    return [socsopr_command(), *args]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="Rewrite golden files under tests/golden/ from the current output.",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/NAME, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {name} did not exist; written now, review and commit it")
        assert text == path.read_text(encoding="utf-8"), f"output differs from tests/golden/{name}"

    return check
