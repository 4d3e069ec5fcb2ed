"""``socsopr show``: one record in full."""


from typing import Annotated

import typer

from socsopr_cli.errors import exits_cleanly
from socsopr_cli.options import DbOption, FormatOption, complete_keys


@exits_cleanly
def show(
    key: Annotated[str, typer.Argument(
        metavar="KEY", help="Citation key of the record.", autocompletion=complete_keys
    )],
    output: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Show one record in full. An unknown key exits 3 and suggests the closest keys."""
    from socsopr_cli.console import console, write_data
    from socsopr_cli.options import db_path, open_catalogue
    from socsopr_cli.render import TABLE, check_format, choose_format, record_panel

    fmt = choose_format(output)
    check_format(fmt)
    from catalogue.store.files import read_bytes
    from catalogue.store.layout import read_record

    path = db_path(db)
    # one record, without loading them all
    record = read_record(read_bytes(path), key) if path.exists() else None
    if record is None:  # any doubt (case, layout, damage, missing file): the ordinary, checked way
        with open_catalogue(db, lazy=True) as cat:
            record = cat.get(key)
    if fmt == TABLE:
        console().print(record_panel(record))
    elif fmt == "json":
        import orjson

        write_data(orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n")
    else:
        from catalogue.formats import export

        write_data(export([record], fmt))
