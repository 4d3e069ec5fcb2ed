"""``socsopr history`` and ``socsopr undo``: the change log kept by the store, and reverting it."""


from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from catalogue.store.history import Change

from socsopr_cli.errors import exits_cleanly
from socsopr_cli.options import DbOption, FormatOption


def _newest_changes(db: Path | None) -> "list[Change]":
    """The saved changes, newest first, read from the history file alone (not the whole catalogue)."""
    from catalogue.store.history import read_history
    from socsopr_cli.options import db_path, open_catalogue

    path = db_path(db)
    if not path.exists():
        open_catalogue(db, lazy=True).close()  # created from the shipped records, saying so
    return list(reversed(read_history(path)))


@exits_cleanly
def history(
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N changes.")
    ] = None,
    output: FormatOption = None,
    db: DbOption = None,
) -> None:
    """List the saved changes, newest first: number, time, command, what changed.

    A table on a terminal; tab-separated in a pipe; --format json for programs.
    """
    from catalogue.store.changes import change_rows, changes_json, changes_tsv
    from socsopr_cli.console import console, literal, note, write_data
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.render import choose_format

    fmt = choose_format(output)
    if fmt not in ("table", "tsv", "json"):
        fail(f"unknown history format {fmt!r}; choose one of: json, table, tsv", ExitCode.USAGE)
    changes = _newest_changes(db)[:limit]
    if fmt == "json":
        write_data(changes_json(changes))
        return
    if fmt == "tsv":
        write_data(changes_tsv(changes))
        return
    if not changes:
        note("No changes yet: the history starts with the first add, edit, remove or import.")
        return
    from rich.table import Table

    table = Table(header_style="bold")
    for column in ("#", "Time", "Command", "Added", "Changed", "Removed", "Keys"):
        numeric = column in ("#", "Added", "Changed", "Removed")
        table.add_column(column, justify="right" if numeric else "left")
    for row in change_rows(changes):
        table.add_row(*(literal(v) for v in row))
    console().print(table)


@exits_cleanly
def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Revert the newest change exactly (an import of 500 records is one undo). Repeatable.

    Exit 1 when there is nothing to undo; exit 4 when the records of that change
    have been changed since (nothing is reverted then).
    """
    from catalogue.store.changes import describe
    from socsopr_cli.console import note
    from socsopr_cli.interaction import can_prompt, confirm
    from socsopr_cli.options import open_catalogue

    if can_prompt() and not yes:
        newest = _newest_changes(db)[:1]
        if newest and not confirm(f"Undo {describe(newest[0])}?", yes=yes):
            note("Nothing was undone.")
            return
    with open_catalogue(db, writable=True) as cat:
        change = cat.undo()
    note(f"Undid {describe(change)}.")
