"""``socsopr list``: every record, sorted, as a table or in any output format."""


from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from catalogue.model.record import Record
    from catalogue.search.filters import Filters

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
    from socsopr_cli.render import TABLE, check_format, choose_format

    fmt = choose_format(output)
    check_format(fmt)
    # Every exporter reads its records once, in order: in key order (the file's own order) `list`
    # hands it records parsed one at a time out of the file, so a large catalogue is never held whole.
    streamable = sort is SortField.id and not reverse and fmt != TABLE
    if streamable and _streamed(db, filters, limit, fmt):
        return
    from catalogue.model.sorting import sorted_keys
    from socsopr_cli.console import note
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import emit_records

    # Sorted: one pass keeps only the sort keys, then the records are read again in that order
    # (a table, shown on a terminal, holds them; an export format takes them one at a time).
    with open_catalogue(db, lazy=True) as cat:
        order = sorted_keys(filters.select(cat.iter_records()), sort.value, reverse=reverse)[:limit]
        if not order and filters:
            from socsopr_cli.errors import ExitCode, fail

            fail("no record matches these filters", ExitCode.NO_MATCH)
        if not order and fmt == TABLE:
            note("The catalogue is empty; add records with 'socsopr add' or 'socsopr import'.")
            return
        emit_records((cat.get(key) for key in order), fmt)


def _streamed(db: Path | None, filters: "Filters", limit: int | None, fmt: str) -> bool:
    """List straight from the file's canonical layout; False when it cannot (then load it all)."""
    from itertools import islice

    from catalogue.formats import export
    from catalogue.store.files import read_bytes
    from catalogue.store.layout import iter_records
    from socsopr_cli.console import write_data
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import db_path

    path = db_path(db)
    records = iter_records(path, read_bytes(path)) if path.exists() else None
    if records is None:
        return False
    shown = 0

    def counted() -> "Iterator[Record]":
        nonlocal shown
        for record in islice((r for r in records if filters.matches(r)) if filters else records, limit):
            shown += 1
            yield record

    text = export(counted(), fmt)
    if not shown and filters:
        fail("no record matches these filters", ExitCode.NO_MATCH)
    write_data(text)
    return True
