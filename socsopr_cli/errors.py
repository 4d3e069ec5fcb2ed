"""Exit codes, and the one place that turns what a command raised into a message and an exit code.

``socsopr_cli.app`` calls ``exit_for`` for anything a command lets through. The
library's errors carry data and speak of the catalogue; the hints that name a
flag or a command live here, in ``HINTS``. Anything that is not a
``CatalogueError`` is a bug: exit 70 with one line on stderr and the traceback
in a crash log (``SOCSOPR_DEBUG=1`` lets the traceback through instead).
"""

from __future__ import annotations

import sys
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from catalogue.errors import CatalogueError


class ExitCode(IntEnum):
    """What ``socsopr`` exits with; documented in the README and in ``socsopr --help``."""

    OK = 0
    NO_MATCH = 1
    USAGE = 2
    BAD_DATA = 3
    CATALOGUE_FILE = 4
    INTERNAL = 70  # EX_SOFTWARE: a bug in socsopr
    INTERRUPTED = 130


DOCUMENTED = frozenset(int(code) for code in ExitCode)


def exit_code_for(exc: BaseException) -> ExitCode:
    """The documented exit code of a library error (``INTERNAL`` for anything else)."""
    from catalogue import errors

    if isinstance(exc, errors.InvalidData):
        return ExitCode.BAD_DATA
    if isinstance(exc, errors.UsageProblem):
        return ExitCode.USAGE
    if isinstance(exc, errors.NothingToUndo):
        return ExitCode.NO_MATCH
    if isinstance(exc, errors.StoreError):
        return ExitCode.CATALOGUE_FILE
    return ExitCode.INTERNAL


def hint_for(exc: CatalogueError) -> str:
    """What the person can do about a library error, in the command line's words ('' if nothing)."""
    from catalogue import errors

    if isinstance(exc, errors.FormatNotRecognised):
        return "name it with --format"
    if isinstance(exc, errors.StoreMissing):
        return f"create it with 'socsopr init --db {exc.path}'"
    if isinstance(exc, errors.StoreExists):
        return "use --force to replace it (the old file is kept as a backup)"
    if isinstance(exc, errors.LikelyDuplicate):
        return "add it anyway with --force"
    if isinstance(exc, errors.ChangedMeanwhile):
        return "run the command again"
    if "catalogue.curation.exporting" in sys.modules:  # not loaded: no ExportTargetRefused raised
        from catalogue.curation.exporting import ExportTargetRefused

        if isinstance(exc, ExportTargetRefused):
            return "use --force to replace it" if exc.replaceable else "choose another output file"
    if isinstance(exc, errors.StoreLocked):
        return "SOCSOPR_LOCK_TIMEOUT sets how many seconds to wait"
    if isinstance(exc, errors.CorruptStore) and "damaged record at line" in exc.problem:
        return "correct that line by hand or restore the file from a backup"
    return ""


def fail(message: str, code: ExitCode, details: list[str] | None = None) -> NoReturn:
    """Print one error sentence (and optional detail lines) on stderr and exit."""
    from socsopr_cli.console import print_error

    print_error(_sentence(message), details)
    raise typer.Exit(int(code))


def report_library_error(exc: CatalogueError) -> NoReturn:
    """The message of a library error on stderr, with its hint; exit with its code."""
    code = exit_code_for(exc)
    if "catalogue.model.editing" in sys.modules:  # a BadEdit comes from there: not loaded, none raised
        from catalogue.model.editing import BadEdit

        if isinstance(exc, BadEdit):  # the library names the edit; the command line names its option
            fail(f"--{exc.edit}: {exc.problem}" + ("; use --rename NEWKEY" if exc.renaming else ""), code)
    problems = getattr(exc, "problems", None)
    hint = hint_for(exc)
    if problems and len(problems) > 1:
        headline = getattr(exc, "headline", None) or f"{len(problems)} problems"
        fail(headline + (f"; {hint}" if hint else ""), code, problems)
    fail(str(exc).rstrip(".") + (f"; {hint}" if hint else ""), code)


def report_crash(exc: BaseException, cache_dir: Path | None, catalogue: Path | None) -> NoReturn:
    """An unexpected exception: one line on stderr, the traceback in a crash log, exit 70.

    When the catalogue file holds records that break the rules (edited by hand),
    that is said instead, with exit 4: the damage, not socsopr, is the cause
    the person can act on.
    """
    damage = _catalogue_damage(catalogue)
    log = write_crash_log(exc, cache_dir)
    where = f"; details in {log}" if log else ""
    if damage:
        fail(f"{catalogue} holds records socsopr cannot use ({damage}); 'socsopr check' lists them and "
             f"'socsopr edit KEY' fixes one{where}", ExitCode.CATALOGUE_FILE)
    fail(f"internal error ({type(exc).__name__}: {_one_line(exc)}); this is a bug in socsopr, please report "
         f"it{where}", ExitCode.INTERNAL)


def write_crash_log(exc: BaseException, cache_dir: Path | None) -> Path | None:
    """The traceback, command line and versions in ``crash-<time>-<pid>.log`` (``None``: not written)."""
    import os
    import platform
    import tempfile
    import time
    import traceback

    folder = cache_dir or Path(tempfile.gettempdir())
    try:
        from importlib.metadata import version

        ours = version("socsopr")
    except Exception:  # the crash report must not crash
        ours = "?"
    text = (
        f"socsopr {ours} on Python {platform.python_version()} ({sys.platform})\n"
        f"command: {sys.argv!r}\n\n" + "".join(traceback.format_exception(exc))
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path


def _catalogue_damage(path: Path | None) -> str:
    """The first invalid record of the catalogue file, as ``key: problem`` ('' when none or unreadable)."""
    if path is None:
        return ""
    try:
        from catalogue import Catalogue
        from catalogue.model.validation import validate

        with Catalogue.open(path, create=False) as cat:
            for record in cat.iter_records():
                problems = validate(record)
                if problems:
                    return f"{record.get('id')!r}: {problems[0]}"
    except Exception:  # the diagnosis must not hide the crash it explains
        return ""
    return ""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + ("…" if len(text) > 200 else "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ":")) else text + "."


def silence_stdout() -> None:
    """Send further output to /dev/null (the reader of a pipe went away)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
