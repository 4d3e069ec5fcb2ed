"""``socsopr show``: one record in full."""


from typing import Annotated

import typer

from socsopr_cli.options import DbOption, complete_keys

FIELDS = "fields"
TABLE = "table"  # socsopr_cli.render.TABLE (a test ties the two), without importing render for json


def show(
    key: Annotated[str, typer.Argument(
        metavar="KEY", help="Citation key of the record.", autocompletion=complete_keys
    )],
    output: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                     help="table, fields ('field: value' lines), json, or any export format (bibtex, ris, "
                     "gost …) [default: table on a terminal, fields in a pipe]."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Show one record in full: every field, under the names list shows (year, pages, place).

    In a pipe it prints 'field: value' lines; --format chooses another form.
    An unknown key exits 3 and suggests the closest keys.

    \b
    Examples:
      socsopr show ovsyannikov2006why
      socsopr show ovsyannikov2006why --format bibtex
    """
    from socsopr_cli.console import stdout_is_terminal, write_data
    from socsopr_cli.options import open_catalogue

    wanted = output.lower() if output else (TABLE if stdout_is_terminal() else FIELDS)
    # fields and json are written here, not by an exporter: neither the format registry nor render
    if wanted in (FIELDS, "json"):
        fmt = wanted
    else:
        from socsopr_cli.render import choose_format

        fmt = choose_format(wanted)
    with open_catalogue(db) as cat:  # one record is read, not the whole file
        record = cat.get(key)
    if fmt == TABLE:
        _print_panel(record)
    elif fmt == FIELDS:
        from catalogue.model.fields import field_lines

        write_data(field_lines(record))
    elif fmt == "json":
        from catalogue.model.jsontext import json_text

        write_data(json_text(record, sort_keys=True))
    else:
        from catalogue.formats import export

        write_data(export([record], fmt))


def _print_panel(record: dict[str, object]) -> None:
    """Every field on its own row, names bold, values as written (never markup)."""
    from rich.table import Table

    from catalogue.model.fields import READING_ORDER, shown_fields
    from socsopr_cli.console import console, literal

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column("Field", style="bold", no_wrap=True)
    table.add_column("Value", overflow="fold")
    for name, value in shown_fields(record, READING_ORDER):
        table.add_row(literal(name), literal(value))
    console().print(table)
