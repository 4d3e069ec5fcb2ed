"""The ``socsopr`` command: a Typer app with one module per command.

Command modules import only Typer at the top; the library and rich are imported
inside the commands, so ``socsopr --help`` and shell completion start fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from socsopr_cli.commands import (
    add_cmd,
    check_cmd,
    cite_cmd,
    edit_cmd,
    export_cmd,
    history_cmd,
    import_cmd,
    init_cmd,
    list_cmd,
    remove_cmd,
    search_cmd,
    show_cmd,
    stats_cmd,
    styles_cmd,
)

HELP = """A bibliographic catalogue for the terminal.

Ships with the publications of Socialist Resistance (СоцСопр, Russia, 1998–2011).

Exit codes: 0 success, 1 no match, 2 usage error, 3 bad input data,
4 catalogue file problem.
"""

app = typer.Typer(
    name="socsopr",
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


# The order here is the order of `socsopr --help`.
app.command("init")(init_cmd.init)
app.command("list")(list_cmd.list_records)
app.command("show")(show_cmd.show)
app.command("search", context_settings=search_cmd.CONTEXT)(search_cmd.search)
app.command("cite")(cite_cmd.cite)
app.command("styles")(styles_cmd.styles)
app.command("stats")(stats_cmd.stats)
app.command("export")(export_cmd.export)
app.command("import")(import_cmd.import_files)
app.command("add")(add_cmd.add)
app.command("edit")(edit_cmd.edit)
app.command("remove")(remove_cmd.remove)
app.command("undo")(history_cmd.undo)
app.command("history")(history_cmd.history)
app.command("check")(check_cmd.check)


def main() -> None:
    """Console-script entry point."""
    app()
