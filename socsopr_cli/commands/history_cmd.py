"""``socsopr history``, ``undo`` and ``redo``: the change log kept by the store, reverting and re-applying."""


from typing import Annotated

import typer

from socsopr_cli.options import DbOption, positive_count

# -y is --year wherever it is taken; here it was --yes, and still is for a while
DEPRECATED_SHORT = {"undo": {"-y": "--yes"}, "redo": {"-y": "--yes"}}


HISTORY_FORMATS = ("table", "tsv", "json")


def history(
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", callback=positive_count, metavar="N", help="Show at most N changes."),
    ] = None,
    utc: Annotated[
        bool, typer.Option("--utc", help="Times in UTC as ISO 8601 (2026-12-03T12:05:00Z), not local time.")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                     help="table, tsv or json [default: table on a terminal, tsv in a pipe]."),
    ] = None,
    db: DbOption = None,
) -> None:
    """List the saved changes, newest first: number, time, command, what changed.

    A table on a terminal; tab-separated in a pipe; --format json for programs
    (its times are always UTC). Times are local (2026-12-03 14:05) unless --utc.

    \b
    Example:
      socsopr history --limit 5
    """
    from catalogue.store.changes import change_rows, changes_json, changes_tsv
    from socsopr_cli.console import note, write_data
    from socsopr_cli.render import choose_format

    fmt = choose_format(output, HISTORY_FORMATS, "history format")
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
        write_data(changes_tsv(changes, utc=utc))
        return
    if not changes:
        note("No changes yet: the history starts with the first add, edit, remove or import.")
        return
    from socsopr_cli.render import print_table
    from socsopr_cli.tables import Column

    columns = (Column("#", "#", justify="right"), Column("time", "Time"),
               Column("command", "Command", wrap=True, min_width=12, weight=2),
               Column("added", "Added", justify="right"), Column("changed", "Changed", justify="right"),
               Column("removed", "Removed", justify="right"),
               Column("keys", "Keys", wrap=True, min_width=16, weight=3))
    print_table(columns, [[str(v) for v in row] for row in change_rows(changes, utc=utc)],
                ("#", "time", "command", "keys", "added", "changed", "removed"))


def undo(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Revert the newest change exactly (an import of 500 records is one undo). Repeatable.

    On a terminal it says what the change did and asks first (--yes skips).
    'socsopr redo' re-applies what was undone. Exit 1 when there is nothing to
    undo; exit 4 when the records of that change have been changed since
    (nothing is reverted then).

    \b
    Example:
      socsopr undo --yes
    """
    from catalogue.store.changes import undo_question, undone_sentence
    from socsopr_cli.console import note
    from socsopr_cli.interaction import can_prompt, confirm
    from socsopr_cli.options import open_catalogue

    expected = None
    if can_prompt() and not yes:
        with open_catalogue(db) as cat:
            newest = cat.undoable()
        if not confirm(undo_question(newest), yes=yes):
            note("Nothing was undone.")
            return
        expected = newest.number  # exactly the change the person said yes to
    with open_catalogue(db, writable=True) as cat:
        change = cat.undo(expected=expected)
    note(undone_sentence(change) + " ('socsopr redo' applies it again.)")


def redo(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Re-apply the change undone last, as a new change that 'socsopr undo' takes back. Repeatable.

    After several undos, redo re-applies them newest-undone first; a new change
    (add, edit, remove, import) ends what can be redone. On a terminal it says
    what the change did and asks first (--yes skips). Exit 1 when there is
    nothing to redo; exit 4 when the records have been changed since the undo
    (nothing is written then).

    \b
    Example:
      socsopr undo && socsopr redo --yes
    """
    from catalogue.store.changes import redo_question, redone_sentence
    from socsopr_cli.console import note
    from socsopr_cli.interaction import can_prompt, confirm
    from socsopr_cli.options import open_catalogue

    expected = None
    if can_prompt() and not yes:
        with open_catalogue(db) as cat:
            undone = cat.redoable()
        if not confirm(redo_question(undone), yes=yes):
            note("Nothing was redone.")
            return
        expected = undone.number
    with open_catalogue(db, writable=True) as cat:
        change = cat.redo(expected=expected)
    note(redone_sentence(change))
