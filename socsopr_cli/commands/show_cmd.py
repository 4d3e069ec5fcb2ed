"""``socsopr show``: one record in full."""


from typing import Annotated

import typer

from socsopr_cli.options import DbOption, FormatOption, complete_keys


def show(
    key: Annotated[str, typer.Argument(
        metavar="KEY", help="Citation key of the record.", autocompletion=complete_keys
    )],
    output: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Show one record in full. An unknown key exits 3 and suggests the closest keys."""
    from socsopr_cli.console import console, write_data
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import TABLE, choose_format, record_panel

    fmt = choose_format(output)
    with open_catalogue(db) as cat:  # one record is read, not the whole file
        record = cat.get(key)
    if fmt == TABLE:
        console().print(record_panel(record))
    elif fmt == "json":

        from catalogue.model.jsontext import json_text

        write_data(json_text(record, sort_keys=True))
    else:
        from catalogue.formats import export

        write_data(export([record], fmt))
