"""``socsopr styles``: the citation styles ``cite --style`` accepts."""


from typing import Annotated

import typer


def styles(
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="[TEXT]",
            help="Show only styles whose id or title contains this text.", show_default=False),
    ] = None,
) -> None:
    """List the citation styles: gost (socsopr's own) and every CSL style installed.

    A table on a terminal, 'id<TAB>title' lines in a pipe. No match exits 1.

    \b
    Example:
      socsopr styles chicago
    """
    from catalogue.cite.engine import list_styles
    from socsopr_cli.console import console, literal, stdout_is_terminal, write_data
    from socsopr_cli.errors import ExitCode, fail

    found = list_styles(text)
    if not found:
        fail(f"no style matches {text!r}; try a shorter text", ExitCode.NO_MATCH)
    if not stdout_is_terminal():
        write_data("".join(f"{s.id}\t{s.title}\n" for s in found))
        return
    from rich.table import Table

    table = Table(header_style="bold")
    table.add_column("Style", style="cyan", no_wrap=True)
    table.add_column("Title")
    for info in found:
        table.add_row(literal(info.id), literal(info.title))
    console().print(table)
