"""``socsopr export``: the catalogue (or the filtered part of it) in an interchange format."""


from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from catalogue.model.record import Record
    from catalogue.search.filters import Filters

from catalogue.model.romanization import systems_help
from socsopr_cli.options import (
    DbOption,
    complete_formats,
    with_filters,
)

# Above this many records the export shows a spinner on a terminal (it can take a second).
_SHOW_PROGRESS_FROM = 5000


@with_filters
def export(
    filters: "Filters",
    output_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", autocompletion=complete_formats("export"),
            help="bibtex, biblatex, csl-json, ris, marc, marcxml, unimarc, csv, tsv, markdown, json, ids …",
        ),
    ] = "bibtex",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", dir_okay=False,
                     help="Write to FILE (atomically) instead of stdout; '-' is stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing FILE that is not an export in this format.")
    ] = False,
    romanize: Annotated[
        str | None,
        typer.Option("--romanize", metavar="SYSTEM", show_default=False,
                     help="Write Cyrillic titles, names, places and publishers in Latin letters by SYSTEM: "
                     f"{systems_help()}."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export records for other tools: BibTeX/biblatex for LaTeX, CSL-JSON for pandoc and Zotero, RIS, tables.

    Every record by default; the filter options choose some. Writes to stdout
    unless -o FILE is given. Exits 1 when the filters match nothing.

    \b
    Examples:
      socsopr export > socsopr.bib
      socsopr export --format csl-json --year 2006 -o refs.json
      socsopr export --format biblatex --romanize gost-7.79-b
    """
    from catalogue.formats import export as export_records
    from catalogue.formats import get_exporter
    from socsopr_cli.console import note, write_data
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import catalogue_path, open_catalogue

    fmt = output_format.lower()
    get_exporter(fmt)
    if romanize is not None:
        from catalogue.model.romanization import system_name

        romanize = system_name(romanize)
    target = None if output is None or str(output) == "-" else output
    if target is not None:
        from catalogue.curation.exporting import check_export_target

        check_export_target(target, fmt, catalogue_path(db), force=force)
    exported = 0

    def counted(records: "Iterable[Record]") -> "Iterator[Record]":
        nonlocal exported
        for record in records:
            exported += 1
            yield record

    with open_catalogue(db) as cat, _spinner(len(cat), fmt):
        if filters:  # records are read, filtered and written one at a time: 100,000 are never all held
            selected = counted(filters.select(cat.iter_records()))
            text = export_records(_romanized(selected, romanize) if romanize else selected, fmt)
        else:  # every record: a large catalogue's texts are remembered from the last export (cache folder)
            from catalogue.curation.exporting import export_catalogue
            from socsopr_cli.context import settings

            text = export_catalogue(cat, fmt, settings(db).cache_dir, romanize=romanize)
            exported = len(cat)
    if not exported and filters:
        fail("no record matches these filters; nothing was exported", ExitCode.NO_MATCH)
    if target is None:
        write_data(text)
        return
    from catalogue.curation.exporting import write_export

    write_export(target, text)  # atomically; a failure (disk full, permission) is exit 4
    note(f"Exported {exported} record{'' if exported == 1 else 's'} to {target} ({fmt}).")


def _romanized(records: "Iterable[Record]", system: str) -> "Iterator[Record]":
    """The records with every Cyrillic text romanised (one at a time, as the export reads them)."""
    from catalogue.model.romanization import romanized_record

    for record in records:
        yield romanized_record(record, system)


def _spinner(count: int, fmt: str):  # type: ignore[no-untyped-def]
    """A spinner on stderr while a large export runs, only on a terminal."""
    import contextlib

    from socsopr_cli.console import err_console

    if count < _SHOW_PROGRESS_FROM or not err_console().is_terminal:
        return contextlib.nullcontext()
    return err_console().status(f"Exporting from {count} records as {fmt}…")
