"""The ``socsopr`` command: a Typer app whose subcommands are built only when used.

Typer builds every command's parameters from its signature whenever the app
runs; with fifteen commands that cost more than Python's own start-up. So the
commands live in a table (name -> module, function) and the group builds, and
imports, only the one that runs. ``socsopr --help`` reads each command's first
docstring sentence from its module's source and imports none of them. Command
modules import only Typer at the top; the library and rich are imported inside
the commands.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

HELP = """A bibliographic catalogue for the terminal.

Ships with the publications of Socialist Resistance (СоцСопр, Russia, 1998–2011).

\b
Where the catalogue lives (one JSON file), first found wins:
  --db FILE      on any command; it must exist ('socsopr init --db FILE' makes one)
  $SOCSOPR_DB    the environment variable
  {default}
                 the default, made from the shipped records on first use
Search indexes and crash logs: $SOCSOPR_CACHE_DIR, else {cache}.

\b
Examples:
  socsopr search socialism --limit 3
  socsopr list --year 1998–2007
  socsopr edit ovsyannikov2006why --set year=2007
  socsopr COMMAND --help     every command's options, with examples

\b
Exit codes:
  0    success
  1    no match (search, list, cite with filters; nothing to undo or redo)
  2    usage error (unknown option or format, malformed query term)
  3    bad input data (invalid record, unknown key, likely duplicate)
  4    catalogue file problem (missing, damaged, locked, read-only)
  70   internal error: a bug in socsopr (the traceback goes to a crash log)
  130  interrupted (Ctrl-C); the message says whether the change had been saved
"""

# name -> (module in socsopr_cli.commands, function); the order is the order of `socsopr --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("list_cmd", "list_records"),
    "show": ("show_cmd", "show"),
    "search": ("search_cmd", "search"),
    "browse": ("browse_cmd", "browse"),
    "stats": ("stats_cmd", "stats"),
    "cite": ("cite_cmd", "cite"),
    "styles": ("styles_cmd", "styles"),
    "export": ("export_cmd", "export"),
    "import": ("import_cmd", "import_files"),
    "add": ("add_cmd", "add"),
    "edit": ("edit_cmd", "edit"),
    "remove": ("remove_cmd", "remove"),
    "merge": ("merge_cmd", "merge"),
    "undo": ("history_cmd", "undo"),
    "redo": ("history_cmd", "redo"),
    "history": ("history_cmd", "history"),
    "names": ("names_cmd", "names"),
    "check": ("check_cmd", "check"),
    "init": ("init_cmd", "init"),
    "git": ("git_cmd", "git"),
}


def command_function(name: str) -> Callable[..., Any]:
    """The function behind a subcommand (imports its module)."""
    module, function = COMMANDS[name]
    return getattr(importlib.import_module(f"socsopr_cli.commands.{module}"), function)  # type: ignore[no-any-return]


def _build(name: str) -> typer.core.TyperCommand:
    module = importlib.import_module(f"socsopr_cli.commands.{COMMANDS[name][0]}")
    func = getattr(module, COMMANDS[name][1])
    group = getattr(module, "GROUP", None)  # a command with subcommands (names): its Typer, func its help
    if group is not None:
        from socsopr_cli.parsing import plain_usage

        subcommands = typer.main.get_group(group)
        subcommands.name = name
        for subcommand in subcommands.commands.values():
            plain_usage(subcommand)
        return subcommands  # type: ignore[return-value]
    from socsopr_cli.parsing import SocsoprCommand

    single = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    # a module may set COMMAND_CLASS (search: QueryCommand, options anywhere among query terms),
    # CONTEXT (click context settings) and DEPRECATED_SHORT (retired short options that still work)
    single.command(name, cls=getattr(module, "COMMAND_CLASS", SocsoprCommand),
                   context_settings=getattr(module, "CONTEXT", None))(func)
    command = typer.main.get_command(single)
    command.name = name
    command.deprecated_short = getattr(module, "DEPRECATED_SHORT", {}).get(name, {})  # type: ignore[attr-defined]
    return command  # type: ignore[return-value]


class LazyCommands(MutableMapping[str, Any]):
    """The group's command table: every name is known at once, a command is built when looked up."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = _build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._built]))

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self._built))


class LazyGroup(TyperGroup):
    """A command group that builds a subcommand the first time it is asked for, and the one place
    where what a command raises becomes a message and an exit code."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands()

    # ctx is click's Context, which Typer vendors privately: typed Any rather than imported from there
    def invoke(self, ctx: Any) -> Any:
        from socsopr_cli.context import RUN

        RUN.reset()
        try:
            return super().invoke(ctx)
        except (typer.Exit, TyperException):
            raise  # a result or a usage error the command (or click) has already worded
        except Exception as exc:
            _exit_for(exc)
        except KeyboardInterrupt:
            _interrupted()
        finally:
            RUN.refresh_indexes()  # after the command has said what it did

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        # Ctrl-C while the command line is read: Typer would turn it into a silent exit 130
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            _interrupted()

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        # the real default paths of this machine (platformdirs' folders), only when the help is shown
        from socsopr_cli.context import default_cache, default_catalogue

        saved = self.help
        self.help = HELP.format(default=default_catalogue(), cache=default_cache())
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = saved

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, summary(name)) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _exit_for(exc: Exception) -> NoReturn:
    """Word a library error, report a broken pipe as nothing, and a bug as exit 70 with a crash log."""
    import os

    from catalogue.errors import CatalogueError
    from socsopr_cli.context import RUN
    from socsopr_cli.errors import ExitCode, report_crash, report_library_error, silence_stdout

    if isinstance(exc, CatalogueError):
        report_library_error(exc)
    if isinstance(exc, typer.Abort):  # Ctrl-C at a prompt
        _interrupted()
    if isinstance(exc, BrokenPipeError):  # the reader (head, less) went away: not worth a message
        silence_stdout()
        raise typer.Exit(int(ExitCode.OK)) from None
    if os.environ.get("SOCSOPR_DEBUG"):
        raise exc
    report_crash(exc, RUN.cache_dir, RUN.catalogue)


def _interrupted() -> NoReturn:
    """Ctrl-C: say truthfully whether a change had already been written."""
    from socsopr_cli.errors import ExitCode

    _say_interrupted()
    raise typer.Exit(int(ExitCode.INTERRUPTED))


def _say_interrupted() -> None:
    import sys

    from socsopr_cli.console import visible
    from socsopr_cli.context import RUN

    if RUN.committed:
        saved = visible(RUN.committed[-1])
        message = f"interrupted after the change was saved to {saved} ('socsopr undo' takes it back)"
    else:
        message = "interrupted; nothing was written"
    # not through rich: the interrupt may have cut its console off in the middle of a print, leaving it
    # buffering for good, and this sentence must be seen
    sys.stderr.write(f"error: {message}.\n")
    sys.stderr.flush()


def summary(name: str) -> str:
    """The first sentence of a command's help, for the list of commands.

    Read from the command module's source where the docstring's first paragraph
    is plain text there, so that ``socsopr --help`` imports no command module
    (each would declare all its options and import what they name); else from
    the imported function.
    """
    module, function = COMMANDS[name]
    try:
        source = (Path(__file__).parent / "commands" / f"{module}.py").read_text(encoding="utf-8")
    except OSError:
        source = ""
    paragraph = _source_first_paragraph(source, function)
    if paragraph is None:
        paragraph = (inspect.getdoc(command_function(name)) or "").split("\n\n", 1)[0]
    paragraph = " ".join(paragraph.split())
    end = paragraph.find(". ")
    return paragraph if end < 0 else paragraph[: end + 1]


def _source_first_paragraph(source: str, function: str) -> str | None:
    """The first paragraph of a module-level function's docstring as the source spells it, or ``None``
    where the literal would need evaluating (a backslash, another quote) or is not found."""
    start = source.find(f"\ndef {function}(")
    if start < 0:
        return None
    opening = source.find('\n    """', start)
    if opening < 0 or "\ndef " in source[start + 1:opening] or not source[:opening].rstrip().endswith(":"):
        return None
    body = opening + len('\n    """')
    closing = source.find('"""', body)
    if closing < 0:
        return None
    paragraph = inspect.cleandoc(source[body:closing]).split("\n\n", 1)[0]
    return None if "\\" in paragraph else paragraph


app = typer.Typer(
    name="socsopr",
    cls=LazyGroup,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"socsopr {version('socsopr')}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """A bibliographic catalogue for the terminal."""


def main() -> None:
    """Console-script entry point: run the command, flush its output, exit at once.

    By the time a command returns, every file socsopr wrote is closed and
    fsynced and every lock released, so nothing is left for the interpreter's
    teardown but freeing each object one by one (a measurable share of a short
    command; see the README's speed notes). ``os._exit`` skips it once stdout
    and stderr are flushed.
    """
    import contextlib
    import os
    import sys

    # (the cyclic collector's threshold is raised by socsopr_cli.entry, before Typer is imported)
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # while Typer builds the command line, before any command runs
        from socsopr_cli.errors import ExitCode

        _say_interrupted()
        code = int(ExitCode.INTERRUPTED)
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message") prints the message and exits 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # the reader went away (| head), or it is closed
            stream.flush()
    os._exit(code)
