"""``socsopr list``: every record, sorted, as a table or in any output format."""


from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from catalogue.filters import Filters

from socsopr_cli.errors import exits_cleanly
from socsopr_cli.options import (
    DbOption,
    FormatOption,
    with_filters,
)


class SortField(StrEnum):
    id = "id"
    title = "title"
    year = "year"
    author = "author"
    type = "type"


@exits_cleanly
@with_filters
def list_records(
    filters: "Filters",
    sort: Annotated[SortField, typer.Option("--sort", "-s", help="Order by this field.")] = SortField.id,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N records.")
    ] = None,
    output: FormatOption = None,
    db: DbOption = None,
) -> None:
    """List the records of the catalogue.

    A table on a terminal; tab-separated values when piped (use --format for
    csv, json, markdown, ids or an export format such as bibtex).
    """
    from catalogue.sorting import sort_records
    from socsopr_cli.console import note
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import check_format, choose_format, emit_records

    fmt = choose_format(output)
    check_format(fmt)
    with open_catalogue(db) as cat:
        records = filters.apply(cat.records())
    records = sort_records(records, sort.value, reverse=reverse)
    if limit is not None:
        records = records[:limit]
    if not records and filters:
        from socsopr_cli.errors import ExitCode, fail

        fail("no record matches these filters", ExitCode.NO_MATCH)
    if not records and fmt == "table":
        note("The catalogue is empty; add records with 'socsopr add' or 'socsopr import'.")
        return
    emit_records(records, fmt)
