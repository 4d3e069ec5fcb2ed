"""Showing records: rich tables for people, export formats for programs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from socsopr_cli.console import console, literal, stdout_is_terminal, write_data

if TYPE_CHECKING:
    from rich.table import Table

    from catalogue.model.record import Record
    from socsopr_cli.tables import Column, Shown

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


def table_columns(
    requested: str | None, fmt: str | None, allowed: Sequence[str]
) -> tuple[str | None, list[str] | None]:
    """``--columns`` read against ``--format``: the format (a table when none was asked for, even in a
    pipe) and the column names, or ``(fmt, None)`` without it. With another format it is a usage error."""
    if requested is None:
        return fmt, None
    from socsopr_cli.tables import column_names

    if fmt is not None and fmt.lower() != TABLE:
        from catalogue.errors import UsageProblem

        raise UsageProblem(f"--columns chooses the columns of a table; it does not go with --format {fmt}")
    return TABLE, column_names(requested, allowed)


def print_records(
    records: Sequence[Record], *, columns: Sequence[str] | None = None,
    extra: dict[str, Sequence[Any]] | None = None,
    highlight: Callable[[str, str], Sequence[tuple[int, int]]] | None = None, stderr: bool = False,
) -> None:
    """Records for people, fitted to the console's width (``socsopr_cli.tables``), and a dim line
    naming the columns that did not fit.

    ``columns`` are the ones asked for (``--columns``); ``extra`` adds columns
    by name (search's ``score``); ``highlight(column, shown text)`` gives spans
    of the title, names and place to emphasise (search's matched words).
    ``stderr`` prints on the message console (remove's confirmation).
    """
    from socsopr_cli.console import err_console
    from socsopr_cli.tables import records_view

    width = (err_console() if stderr else console()).width
    _print_shown(records_view(records, width, columns=columns, extra=extra, highlight=highlight), stderr)


def print_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], priority: Sequence[str] | None = None
) -> None:
    """Rows for people as a table fitted to the console's width, and a dim line naming the columns
    that did not fit (``socsopr_cli.tables.fitted_table``; ``priority``: column names, most wanted first)."""
    from socsopr_cli.tables import fitted_table

    _print_shown(fitted_table(columns, rows, console().width, priority))


def _print_shown(shown: Shown, stderr: bool = False) -> None:
    """A fitted table, then its footer on stderr (stdout flushed first, so the two arrive in order)."""
    from socsopr_cli.console import err_console, literal

    out = err_console() if stderr else console()
    out.print(shown.renderable)
    if shown.footer:
        out.file.flush()
        err_console().print(literal(shown.footer, "dim"))  # wrapped between words at the width


def emit_records(records: Iterable[Record], fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print records in a format: a table for people or the named export format (read once)."""
    if fmt == TABLE:
        print_records(list(records), columns=columns)
        return
    from catalogue.formats import export

    write_data(export(records, fmt))


_FIELD_ORDER = (
    "id", "type", "genre", "title", "title-short", "original-title", "author", "editor",
    "compiler", "translator", "issued", "publisher-place", "publisher", "number-of-pages",
    "language", "note", "remarks", "source", "tags", "added", "modified",
)


def record_panel(record: Record) -> Table:
    """One record in full: every field on its own row, in a reader's order, under the names users
    type (year, pages, place …: those of ``show`` in a pipe and of ``edit --set``)."""
    from rich.table import Table

    from catalogue.model.fields import shown_fields

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column("Field", style="bold", no_wrap=True)
    table.add_column("Value")
    for name, shown in shown_fields(record, _FIELD_ORDER):
        table.add_row(literal(name), literal(shown))
    return table
