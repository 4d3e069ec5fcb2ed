"""``socsopr merge``: several records of one work made one, field by field; the other keys become aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from socsopr_cli.options import DbOption, complete_keys

if TYPE_CHECKING:
    from catalogue.model.merging_records import Merge
    from catalogue.model.record import Record


def merge(
    keys: Annotated[list[str], typer.Argument(
        metavar="KEY KEY...", help="Citation keys (or aliases) of the records to merge.",
        autocompletion=complete_keys,
    )],
    prefer: Annotated[
        str | None, typer.Option("--prefer", metavar="KEY", show_default=False,
                                 help="The record whose key and values are kept (default: the first given).")
    ] = None,
    keep_both: Annotated[
        list[str] | None, typer.Option("--keep-both", metavar="FIELD", show_default=False,
                                       help="Keep every record's items of a list field (author, editor …, "
                                       "tags); a person named in two scripts is kept once. Repeatable.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Merge without asking (needed in scripts).")] = False,
    db: DbOption = None,
) -> None:
    """Merge records of one work (likely duplicates, 'socsopr check' lists them) into one.

    The preferred record keeps its key and, where the records differ, its
    values; a field only another record gives is filled from it. The other
    keys become aliases of the merged record: show, cite, export and edit
    still find it by them, and biblatex export writes them as ids, so
    existing \\cite{} commands keep working. Nothing is lost silently: every
    value not kept is noted in the merged record's remarks ("merged from KEY:
    year was 2007"). On a terminal the differing fields are shown side by side
    and you choose per field (a record's number, b for both lists, Enter for
    the shown choice); a script gives --prefer / --keep-both and must give
    --yes. One change: 'socsopr undo' restores the records as they were.

    Exit 3 for an unknown key or an alias already taken; exit 2 for fewer than
    two records, the same record twice, or --keep-both of a field that holds one value.

    \b
    Examples:
      socsopr merge ovsyannikov2006why ovsyannikov2006pochemu --keep-both author --yes
      socsopr merge a2006 b2006 c2006 --prefer b2006 --keep-both tags --keep-both author --yes
    """
    from catalogue.model.merging_records import merge_records
    from socsopr_cli.console import note
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.interaction import can_prompt, confirm
    from socsopr_cli.options import open_catalogue

    if len(keys) < 2:
        fail("a merge needs at least two records: give two keys or more", ExitCode.USAGE)
    asking = can_prompt() and not yes
    if not asking and not yes:
        fail("merge changes the catalogue; add --yes to merge from a script", ExitCode.USAGE)
    with open_catalogue(db, writable=True) as cat:
        records = [cat.get(key) for key in keys]
        names = cat.authority_index() or None
        result = merge_records(records, prefer=prefer, keep_both=keep_both or (), names=names)
        if asking:
            _show_differences(records, result)
            choices = _ask_choices(records, result)
            result = merge_records(records, prefer=prefer, keep_both=keep_both or (), choices=choices,
                                   names=names)
            _show_noted(result)
            absorbed = ", ".join(result.absorbed)
            if not confirm(f"Merge {absorbed} into {result.kept_key}?", yes=False):
                note("Nothing was merged.")
                return
        cat.merge(result.record, result.absorbed)
        cat.save(f"merge {result.kept_key} " + " ".join(result.absorbed))
    them = "its key is an alias" if len(result.absorbed) == 1 else "their keys are aliases"
    note(f"Merged {', '.join(result.absorbed)} into {result.kept_key}; {them} of it"
         + (f", and {len(result.noted)} value{'s' if len(result.noted) != 1 else ''} not kept "
            "are noted in its remarks" if result.noted else "")
         + ". 'socsopr undo' takes the merge back.")


def _show_differences(records: list[Record], result: Merge) -> None:
    """The differing fields side by side on stderr, one column per record, and the choice made so far."""
    from rich.table import Table

    from catalogue.model.fields import shown_fields, shown_name
    from socsopr_cli.console import err_console, literal

    table = Table(header_style="bold", title="Fields that differ")
    table.add_column("Field", style="cyan", no_wrap=True)
    for number, record in enumerate(records, 1):
        table.add_column(f"{number}: {record['id']}")
    table.add_column("Kept")
    for choice in result.fields:
        cells = [literal(shown_fields({choice.field: value}, ())[0][1] if value is not None else "—")
                 for value in choice.values]
        table.add_row(shown_name(choice.field), *cells, literal(_choice_label(records, choice.chosen)))
    err_console().print(table)


def _choice_label(records: list[Record], chosen: str) -> str:
    if chosen == "both":
        return "b (both)"
    number = next((i for i, r in enumerate(records, 1) if r["id"] == chosen), 0)
    return f"{number} ({chosen})"


def _ask_choices(records: list[Record], result: Merge) -> dict[str, str]:
    """A choice per differing field: a record's number, ``b`` for both (lists), Enter for the one shown."""
    from catalogue.model.fields import shown_name
    from catalogue.model.merging_records import BOTH, LIST_FIELDS
    from socsopr_cli.console import note

    choices: dict[str, str] = {}
    numbers = {str(i): str(r["id"]) for i, r in enumerate(records, 1)}
    for choice in result.fields:
        allowed = [*numbers, *(["b"] if choice.field in LIST_FIELDS else [])]
        default = "b" if choice.chosen == BOTH else next(n for n, k in numbers.items() if k == choice.chosen)
        while True:
            answer = typer.prompt(f"{shown_name(choice.field)} [{'/'.join(allowed)}]", default=default,
                                  err=True).strip().lower()
            if answer in allowed:
                break
            note(f"Answer one of {', '.join(allowed)}.")
        choices[choice.field] = BOTH if answer == "b" else numbers[answer]
    return choices


def _show_noted(result: Merge) -> None:
    from socsopr_cli.console import note

    if result.noted:
        note("Not kept, noted in the remarks:\n" + "\n".join(f"  {line}" for line in result.noted))
