"""Showing records: rich tables for people, export formats for programs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from socsopr_cli.console import console, literal, stdout_is_terminal, write_data

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from catalogue.model.record import Record

TABLE = "table"


def choose_format(
    requested: str | None, only: Sequence[str] | None = None, what: str = "output format",
    piped: str = "tsv",
) -> str:
    """The output format: as asked, else a table on a terminal and ``piped`` in a pipe.

    An unknown one is refused before any work is done (``UnknownFormat``, exit 2):
    one of ``only`` when given, else a table or any export format.
    """
    fmt = requested.lower() if requested else (TABLE if stdout_is_terminal() else piped)
    if only is not None:
        if fmt not in only:
            from catalogue.errors import UnknownFormat

            raise UnknownFormat(fmt, only, what)
    elif fmt != TABLE:
        from catalogue.formats import get_exporter

        get_exporter(fmt)
    return fmt


def records_table(
    records: Sequence[Record], extra_columns: Sequence[tuple[str, Sequence[Any]]] = (),
    highlight: Callable[[str, str], Sequence[tuple[int, int]]] | None = None,
) -> Table:
    """A rich table of records: key, title, names, year, type, pages, place.

    ``highlight(column, shown text)`` gives spans of the Title, Names and Place
    cells to emphasise (search's matched words).
    """
    from rich.table import Table

    from catalogue.formats.tables import names_text
    from catalogue.model.record import places, year_text

    table = Table(show_lines=False, header_style="bold", expand=False)
    table.add_column("Key", style="cyan", no_wrap=True, max_width=24, overflow="ellipsis")
    table.add_column("Title", ratio=3, min_width=24)
    table.add_column("Names", ratio=2, min_width=14)
    table.add_column("Year", no_wrap=True)
    table.add_column("Type", no_wrap=True)
    table.add_column("Pages", justify="right", no_wrap=True)
    table.add_column("Place", min_width=8)
    for name, _values in extra_columns:
        table.add_column(name, justify="right")
    for i, rec in enumerate(records):
        pages = rec.get("number-of-pages")
        table.add_row(
            literal(rec.get("id", "")),
            _marked(literal(rec.get("title", "")), "title", highlight),
            _marked(literal(names_text(rec)), "names", highlight),
            literal(year_text(rec)),
            literal(rec.get("genre") or rec.get("type", "")),
            literal("" if pages is None else pages),
            _marked(literal("; ".join(places(rec))), "place", highlight),
            *(literal(values[i]) for _name, values in extra_columns),
        )
    return table


def _marked(
    text: Text, column: str, highlight: Callable[[str, str], Sequence[tuple[int, int]]] | None
) -> Text:
    """The cell with the spans ``highlight`` names styled (the text itself is never markup)."""
    if highlight is not None:
        for start, end in highlight(column, text.plain):
            text.stylize("bold reverse", start, end)
    return text


def emit_records(records: Iterable[Record], fmt: str) -> None:
    """Print records in a format: a table for people or the named export format (read once)."""
    if fmt == TABLE:
        console().print(records_table(list(records)))
        return
    from catalogue.formats import export

    write_data(export(records, fmt))


_FIELD_ORDER = (
    "id", "type", "genre", "title", "title-short", "original-title", "author", "editor",
    "compiler", "translator", "issued", "publisher-place", "publisher", "number-of-pages",
    "language", "note", "remarks", "source", "tags", "added", "modified",
)


def record_panel(record: Record) -> Table:
    """One record in full: every field on its own row, in a reader's order."""
    from rich.table import Table

    from catalogue.model.names import format_gost
    from catalogue.model.record import NAME_ROLES, year_text

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column("Field", style="bold", no_wrap=True)
    table.add_column("Value")
    fields = [f for f in _FIELD_ORDER if f in record] + sorted(set(record) - set(_FIELD_ORDER))
    for field in fields:
        value = record[field]
        if field in NAME_ROLES:
            shown = "; ".join(format_gost(n) for n in value)
        elif field == "issued":
            shown = year_text(record) or str(value)
        elif field == "tags":
            shown = ", ".join(value)
        elif isinstance(value, dict | list):
            import orjson

            shown = orjson.dumps(value).decode()
        else:
            shown = str(value)
        table.add_row(literal(field), literal(shown))
    return table
