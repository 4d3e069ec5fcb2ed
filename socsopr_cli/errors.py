"""Exit codes, and the one place that turns library errors into a message and an exit code."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import IntEnum
from typing import Any, NoReturn, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """What ``socsopr`` exits with; documented in the README and in ``socsopr --help``."""

    OK = 0
    NO_MATCH = 1
    USAGE = 2
    BAD_DATA = 3
    CATALOGUE_FILE = 4
    INTERRUPTED = 130


def exit_code_for(exc: BaseException) -> ExitCode:
    from catalogue import errors

    if isinstance(exc, errors.InvalidData):
        return ExitCode.BAD_DATA
    if isinstance(exc, errors.UsageProblem):
        return ExitCode.USAGE
    if isinstance(exc, errors.NothingToUndo):
        return ExitCode.NO_MATCH
    return ExitCode.CATALOGUE_FILE


def fail(message: str, code: ExitCode, details: list[str] | None = None) -> NoReturn:
    """Print one error sentence (and optional detail lines) on stderr and exit."""
    from socsopr_cli.console import print_error

    print_error(message, details)
    raise typer.Exit(int(code))


def exits_cleanly(func: F) -> F:
    """Run a command so that library errors become a message on stderr and an exit code."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        from catalogue.errors import CatalogueError

        try:
            return func(*args, **kwargs)
        except CatalogueError as exc:
            problems = getattr(exc, "problems", None)
            if problems and len(problems) > 1:
                headline = getattr(exc, "headline", None) or f"{len(problems)} problems"
                fail(_sentence(headline), exit_code_for(exc), problems)
            fail(_sentence(str(exc)), exit_code_for(exc))
        except (KeyboardInterrupt, typer.Abort):  # Ctrl-C, also at a prompt (where click says Abort)
            fail("interrupted; nothing was written", ExitCode.INTERRUPTED)
        except BrokenPipeError:
            # the reader (head, less) went away: not an error worth a message
            _silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None

    return run  # type: ignore[return-value]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ":")) else text + "."


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
