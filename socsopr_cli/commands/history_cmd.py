"""``socsopr history`` and ``socsopr undo``: the change log kept by the store, and reverting it."""


from typing import Annotated

import typer

from socsopr_cli.options import MAX_COUNT, DbOption, FormatOption

# -y is --year wherever it is taken; here it was --yes, and still is for a while
DEPRECATED_SHORT = {"undo": {"-y": "--yes"}}


def history(
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, max=MAX_COUNT, metavar="N", help="Show at most N changes."),
    ] = None,
    output: FormatOption = None,
    db: DbOption = None,
) -> None:
    """List the saved changes, newest first: number, time, command, what changed.

    A table on a terminal; tab-separated in a pipe; --format json for programs.
    """
    from catalogue.store.changes import change_rows, changes_json, changes_tsv
    from socsopr_cli.console import console, literal, note, write_data
    from socsopr_cli.render import choose_format

    fmt = choose_format(output, ("table", "tsv", "json"), "history format")
    from socsopr_cli.options import open_catalogue

    with open_catalogue(db) as cat:
        changes = cat.history()[:limit]
        status = cat.history_status()
    if status.detached:
        note("The catalogue was changed outside socsopr after the newest change listed here; undo will "
             "refuse to revert it.")
    if status.dropped and (limit is None or len(changes) < limit):
        note(f"{status.dropped} older change{'s were' if status.dropped != 1 else ' was'} dropped: the "
             f"history keeps the newest {status.limit} entries (and at most 64 MB).")
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


def undo(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
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

    expected = None
    if can_prompt() and not yes:
        with open_catalogue(db) as cat:
            newest = cat.undoable()
        if not confirm(f"Undo {describe(newest)}?", yes=yes):
            note("Nothing was undone.")
            return
        expected = newest.number  # exactly the change the person said yes to
    with open_catalogue(db, writable=True) as cat:
        change = cat.undo(expected=expected)
    note(f"Undid {describe(change)}.")
