"""``socsopr list``: every record, sorted, as a table or in any output format."""


from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from catalogue.model.record import Record
    from catalogue.search.filters import Filters

from socsopr_cli.options import (
    ColumnsOption,
    DbOption,
    FormatOption,
    positive_count,
    with_filters,
)

# what --sort takes, as people name the columns (and the record's own names) -> the library's sort
SORT_FIELDS = {
    "key": "id", "id": "id", "title": "title", "year": "year", "issued": "year", "date": "year",
    "names": "author", "name": "author", "author": "author", "type": "type",
}
# the formats that write a line for each record, after a head of so many lines: sorted in one reading
LINE_PER_RECORD = {"tsv": 1, "ids": 0}
# -s was --sort here and is --style in cite: one meaning per short option (see the README's Options)
DEPRECATED_SHORT = {"list": {"-s": "--sort"}}


@with_filters
def list_records(
    filters: "Filters",
    sort: Annotated[
        str, typer.Option("--sort", metavar="FIELD", help="Order by key, title, year, names (the first "
                          "name) or type.")
    ] = "key",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", callback=positive_count, metavar="N", help="Show at most N records."),
    ] = None,
    output: FormatOption = None,
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """List the records of the catalogue.

    A table on a terminal; tab-separated values when piped (use --format for
    csv, json, markdown, ids or an export format such as bibtex). Filters that
    match nothing exit 1.

    \b
    Examples:
      socsopr list --year 1998–2007 --sort year
      socsopr list --author Ovsyannikov --format ids
    """
    from socsopr_cli.render import TABLE, choose_format

    by = SORT_FIELDS.get(sort.strip().lower())
    if by is None:
        from catalogue.errors import UnknownFormat

        raise UnknownFormat(sort, ["key", "title", "year", "names", "type"], "sort field")
    chosen = None
    if columns is not None:  # the table module is loaded only for a table
        from socsopr_cli.render import table_columns
        from socsopr_cli.tables import LIST_COLUMNS

        output, chosen = table_columns(columns, output, LIST_COLUMNS)
    fmt = choose_format(output)
    from socsopr_cli.console import note
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import emit_records

    with open_catalogue(db) as cat:
        shown = -1
        if by == "id" and not reverse and fmt != TABLE:
            # in key order, every format takes the records one at a time as the file gives them:
            # a large catalogue is never held whole
            shown = _listed(cat.iter_records(), filters, limit, fmt)
        elif fmt in LINE_PER_RECORD and limit is None:
            listed = None
            if not filters:  # the whole catalogue: what is unchanged since the last listing is remembered
                from catalogue.curation.listing import sorted_listing
                from socsopr_cli.context import settings

                listed = sorted_listing(cat, settings(db).cache_dir, fmt, by, reverse=reverse)
            if listed is not None:
                from socsopr_cli.console import write_data

                write_data(listed[0])
                shown = listed[1]
            else:
                shown = _sorted_lines(cat.iter_records(), filters, by, reverse, fmt)
        if shown < 0:
            from catalogue.model.sorting import sorted_keys

            # sorted: one pass keeps only the sort keys, then the records are read again in that order
            order = sorted_keys(filters.select(cat.iter_records()), by, reverse=reverse)[:limit]
            if not order and fmt == TABLE and not filters:
                note("The catalogue is empty; add records with 'socsopr add' or 'socsopr import'.")
                return
            shown = len(order)
            if order:
                emit_records((cat.get(key) for key in order), fmt, chosen)
    if not shown and filters:
        fail("no record matches these filters", ExitCode.NO_MATCH)


def _sorted_lines(records: "Iterator[Record]", filters: "Filters", by: str, reverse: bool, fmt: str) -> int:
    """A format of a line per record (``LINE_PER_RECORD``), sorted, from one reading of the records:
    each one's line is made as the file gives them, in key order, while its sort key is kept; then
    the lines are written in the sort's order. What a line says depends on its record alone (in TSV
    no cell holds a line break, and a cell is made safe for spreadsheets by its own text), so this
    is the export of the sorted records. How many were written; -1, and nothing written, when the
    text was not a line per record after all (a key with a line break in it): the caller then
    reads the records again the plain way."""
    from catalogue.formats import export
    from catalogue.model.sorting import Ordering
    from socsopr_cli.console import write_data

    ordering = Ordering(by, reverse=reverse)
    add = ordering.add

    def seen() -> "Iterator[Record]":
        for record in filters.select(records):
            add(record)
            yield record

    text = export(seen(), fmt)
    positions = ordering.positions()
    if positions:
        head = LINE_PER_RECORD[fmt]
        lines = text.split("\n")  # the head, a line per record, and "" after the last line feed
        del text  # not held beside its lines and their new order
        if len(lines) != head + len(ordering) + 1 or lines[-1]:
            return -1
        body = lines[head:-1]
        write_data("\n".join([*lines[:head], *map(body.__getitem__, positions), ""]))
    return len(positions)


def _listed(records: "Iterator[Record]", filters: "Filters", limit: int | None, fmt: str) -> int:
    """Write the records that pass the filters, at most ``limit``, in ``fmt``; how many there were."""
    from itertools import islice

    from catalogue.formats import export
    from socsopr_cli.console import write_data

    shown = 0

    def counted() -> "Iterator[Record]":
        nonlocal shown
        for record in islice(filters.select(records), limit):
            shown += 1
            yield record

    text = export(counted(), fmt)
    if shown or not filters:
        write_data(text)
    return shown
