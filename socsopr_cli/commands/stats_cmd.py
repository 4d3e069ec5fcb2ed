"""``socsopr stats``: the shape of the catalogue at a glance."""


from typing import TYPE_CHECKING, Annotated

import typer

from socsopr_cli.options import (
    DbOption,
    positive_count,
    with_filters,
)

if TYPE_CHECKING:
    from catalogue.curation.stats import Stats
    from catalogue.search.filters import Filters

BAR_WIDTH = 40


@with_filters
def stats(
    filters: "Filters",
    output: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT",
                     help="table or json [default: table on a terminal, json in a pipe].",
                     show_default=False),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-n", metavar="N", callback=positive_count,
                          help="How many frequent names to show.")
    ] = 10,
    db: DbOption = None,
) -> None:
    """Count the records by year (a bar chart), type, place and language; name the most
    frequent people and organisations with their roles; total the records and pages.

    Years are shown one by one (empty ones too) up to 20 distinct years, by
    decade beyond. The filters count a part of the catalogue; in a pipe the
    numbers come as JSON.

    \b
    Examples:
      socsopr stats
      socsopr stats --year 2000-2009 --top 5
    """
    from catalogue.curation.stats import collect
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import choose_format

    fmt = choose_format(output, ("table", "json"), "stats format", piped="json")
    with open_catalogue(db) as cat:  # counted one record at a time
        result = collect(filters.select(cat.iter_records()), top_names=top, authorities=cat.authority_index())
    if not result.records and filters:
        fail("no record matches these filters", ExitCode.NO_MATCH)
    if fmt == "json":

        from catalogue.model.jsontext import json_text
        from socsopr_cli.console import write_data

        write_data(json_text(result.as_dict()))
    else:
        _print_tables(result)


def _print_tables(result: "Stats") -> None:
    from rich.table import Table
    from rich.text import Text

    from catalogue.curation.stats import year_bins
    from socsopr_cli.console import console, literal

    out = console()
    out.print(Text(f"{result.records:,} records, {result.pages:,} pages "
                   f"(page counts known for {result.records_with_pages:,})", style="bold"))
    rows = year_bins(result.by_year)
    by_decade = any(label.endswith("0s") for label, _count in rows)
    years = Table(title="By decade" if by_decade else "By year", title_justify="left", show_header=False,
                  box=None)
    years.add_column("Year", no_wrap=True)
    years.add_column("Records", justify="right")
    years.add_column("Bar")
    most = max((count for _label, count in rows), default=1) or 1
    for label, count in rows:
        bar = "█" * max(1, round(count / most * BAR_WIDTH)) if count else ""
        years.add_row(literal(label), f"{count:,}", Text(bar, style="cyan"))
    out.print(years)
    for title, counts in (("By type", result.by_type), ("By place", result.by_place),
                          ("By language", result.by_language)):
        table = Table(title=title, title_justify="left", show_header=False, box=None,
                      min_width=len(title) + 4)
        table.add_column(title)
        table.add_column("Records", justify="right")
        for value, count in counts.items():
            table.add_row(literal(value), f"{count:,}")
        out.print(table)
    names = Table(title="Most frequent names", title_justify="left", header_style="bold")
    names.add_column("Name")
    names.add_column("Records", justify="right")
    names.add_column("Roles")
    for entry in result.names:
        roles = ", ".join(f"{role} {n}" if n > 1 else role for role, n in entry.roles.items())
        names.add_row(literal(entry.name), f"{entry.records:,}", literal(roles))
    out.print(names)
