"""Options shared by several commands, declared once (``Annotated`` types for Typer)."""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from catalogue import Catalogue
    from catalogue.search.filters import Filters

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        envvar="SOCSOPR_DB",
        help="Catalogue file to use [default: socsopr's file in your user data folder].",
        show_default=False,
        dir_okay=False,
    ),
]


def _complete_formats(incomplete: str) -> list[str]:
    from catalogue.formats import export_formats

    return [f.name for f in export_formats() if f.name.startswith(incomplete)] + (
        ["table"] if "table".startswith(incomplete) else []
    )


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format", "-f",
        metavar="FORMAT",
        help="Output: table, tsv, csv, json, markdown, ids, or any export format "
        "[default: table on a terminal, tsv in a pipe].",
        autocompletion=_complete_formats,
        show_default=False,
    ),
]


# --- filters shared by list, search, export, cite and stats ------------------------------

_FILTER_PANEL = "Filters (repeat an option for OR; different options combine with AND)"
TypeFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--type", "-t", metavar="TYPE",
        help="CSL type or genre: book, pamphlet, periodical, leaflet …",
                 rich_help_panel=_FILTER_PANEL, show_default=False),
]
AuthorFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--author", "-a", metavar="NAME",
        help="A name in any role, any script: Ovsyannikov, Овсянников.",
                 rich_help_panel=_FILTER_PANEL, show_default=False),
]
YearFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--year", "-y", metavar="YEARS",
        help="A year or range: 2006, 2005..2007, ..2000, 2008..",
                 rich_help_panel=_FILTER_PANEL, show_default=False),
]
PlaceFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--place", metavar="PLACE",
        help="Place of publication, any script.", rich_help_panel=_FILTER_PANEL,
                 show_default=False),
]
PublisherFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--publisher", metavar="PUBLISHER",
        help="Publisher, any script.", rich_help_panel=_FILTER_PANEL,
                 show_default=False),
]
TagFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--tag", metavar="TAG",
        help="A tag of the record.", rich_help_panel=_FILTER_PANEL, show_default=False),
]
LanguageFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--language", metavar="LANG",
        help="Language code, e.g. ru, en.", rich_help_panel=_FILTER_PANEL,
                 show_default=False),
]


def make_filters(
    types: list[str] | None = None,
    authors: list[str] | None = None,
    years: list[str] | None = None,
    places: list[str] | None = None,
    publishers: list[str] | None = None,
    tags: list[str] | None = None,
    languages: list[str] | None = None,
) -> Filters:
    """The library's ``Filters`` from the filter options (a bad year exits 2)."""
    from catalogue.search.filters import Filters

    return Filters.from_options(
        types=types or (), authors=authors or (), years=years or (), places=places or (),
        publishers=publishers or (), tags=tags or (), languages=languages or (),
    )


_FILTER_PARAMETERS = (
    ("type_", TypeFilter), ("author", AuthorFilter), ("year", YearFilter), ("place", PlaceFilter),
    ("publisher", PublisherFilter), ("tag", TagFilter), ("language", LanguageFilter),
)


def with_filters(command: F) -> F:
    """Give a command the shared filter options; it receives them as one ``filters`` argument.

    The seven options are added to the command's signature (before ``db``) for
    Typer to read, and turned into the library's ``Filters`` when it runs, so a
    command declares ``filters: Filters`` instead of seven parameters.
    """
    signature = inspect.signature(command)
    parameters = []
    for parameter in signature.parameters.values():
        if parameter.name == "filters":
            continue
        annotation = parameter.annotation
        if isinstance(annotation, str):  # postponed annotations: resolve them as typing would
            annotation = eval(annotation, command.__globals__)
        parameters.append(parameter.replace(annotation=annotation))
    at = next((i for i, p in enumerate(parameters) if p.name == "db"), len(parameters))
    parameters[at:at] = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=annotation)
        for name, annotation in _FILTER_PARAMETERS
    ]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        values = [kwargs.pop(name, None) for name, _annotation in _FILTER_PARAMETERS]
        return command(*args, filters=make_filters(*values), **kwargs)

    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run  # type: ignore[return-value]


def complete_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    """Record keys for shell completion; must be fast, as it runs on every TAB."""
    from catalogue.search.index_file import cached_keys
    from catalogue.store.files import default_path
    from catalogue.store.storage import read_keys

    db = ctx.params.get("db") or os.environ.get("SOCSOPR_DB") or default_path()
    try:
        keys = cached_keys(Path(db)) or read_keys(Path(db))  # search's index spares parsing the file
    except Exception:  # completion must never print a traceback into the shell
        return []
    low = incomplete.lower()
    return [k for k in keys if k.lower().startswith(low)]


def db_path(db: Path | None) -> Path:
    """The catalogue file: ``--db``, else ``SOCSOPR_DB`` (handled by Typer), else the default."""
    if db is not None:
        return db
    from catalogue.store.files import default_path

    return default_path()


def lock_timeout() -> float:
    """Seconds to wait for another process's lock (``SOCSOPR_LOCK_TIMEOUT``, default 30)."""
    try:
        return float(os.environ.get("SOCSOPR_LOCK_TIMEOUT", "30"))
    except ValueError:
        return 30.0


def open_catalogue(db: Path | None, *, writable: bool = False, lazy: bool | None = None) -> Catalogue:
    """Open the catalogue a command works on, saying so when it is created from the shipped data.

    ``lazy``: parse records only as they are read (see ``Catalogue.open``); for
    commands that look up a few keys or read every record once.
    """
    from catalogue import Catalogue
    from socsopr_cli.console import note

    path = db_path(db)
    cat = Catalogue.open(path, writable=writable, lock_timeout=lock_timeout(), lazy=lazy)
    if cat.created:
        note(f"Created the catalogue {path} from the shipped Socialist Resistance records.")
    return cat
