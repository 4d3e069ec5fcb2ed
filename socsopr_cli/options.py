"""Options shared by several commands, declared once (``Annotated`` types for Typer)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from catalogue import Catalogue
    from catalogue.model.authority import AuthorityIndex
    from catalogue.search.filters import Filters
    from catalogue.store.session import LockWait

F = TypeVar("F", bound=Callable[..., Any])

MAX_COUNT = 1_000_000_000  # --limit, --top: more than any catalogue holds, and bounded


def positive_count(value: int | None) -> int | None:
    """``--limit``/``--top``: a whole number from 1 (checked here rather than by an IntRange, whose
    help would print ``[1<=x<=1000000000]``)."""
    if value is not None and not 1 <= value <= MAX_COUNT:
        raise typer.BadParameter(f"{value} is not a count from 1 to {MAX_COUNT:,}")
    return value

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        help="Catalogue file to use; it must exist [default: $SOCSOPR_DB, else catalogue.json in your "
        "user data folder, created on first use].",
        show_default=False,
    ),
]


def complete_formats(kind: str, extra: tuple[str, ...] = ()) -> Callable[[str], list[str]]:
    """Shell completion of format names: ``kind`` is "export" or "import"; ``extra`` are added names."""

    def complete(incomplete: str) -> list[str]:
        from catalogue.formats import export_formats, import_formats

        names = [f.name for f in (export_formats() if kind == "export" else import_formats())]
        return [n for n in [*names, *extra] if n.startswith(incomplete)]

    return complete


def formats_option(formats: str, default: str = "table on a terminal, tsv in a pipe") -> Any:
    """A --format option for a command that takes only some formats, its help naming exactly those:
    ``output: formats_option("table, tsv or json") = None``."""
    return Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                     help=f"{formats} [default: {default}]."),
    ]


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format", "-f",
        metavar="FORMAT",
        help="Output: table, tsv, csv, json, markdown, ids, or any export format "
        "[default: table on a terminal, tsv in a pipe].",
        autocompletion=complete_formats("export", ("table",)),
        show_default=False,
    ),
]

ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns", metavar="COLUMNS",
        help="A table of these columns, in this order: key,title,names,year,type,pages,place,publisher,"
        "language,tags (search: score) [default: as many as fit the terminal].",
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
        help="A year, range or list: 2006, 1998–2007 (or 1998-2007, 1998..2007), ..2000, 2008.., 2006,2008.",
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
    db: Path | None = None,
) -> Filters:
    """The library's ``Filters`` from the filter options (a bad year exits 2); names resolve to the
    authorities of the catalogue (read only when an author or publisher filter needs them)."""
    from catalogue.search.filters import Filters

    if not any((types, authors, years, places, publishers, tags, languages)):
        return Filters()  # none given: what from_options would make, without loading the place table

    def authorities() -> AuthorityIndex:
        from catalogue.store.session import authorities_of

        return authorities_of(catalogue_path(db))

    return Filters.from_options(
        types=types or (), authors=authors or (), years=years or (), places=places or (),
        publishers=publishers or (), tags=tags or (), languages=languages or (),
        authorities=authorities if authors or publishers else None,
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
        filters = make_filters(*values, db=kwargs.get("db"))  # type: ignore[misc]  # seven values, then db
        return command(*args, filters=filters, **kwargs)

    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run  # type: ignore[return-value]


def complete_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    """Record keys for shell completion; must be fast, as it runs on every TAB."""
    try:
        from catalogue import Catalogue
        from catalogue.search.index_file import cached_keys
        from socsopr_cli.context import settings

        config = settings(ctx.params.get("db"))
        db = config.db
        keys = cached_keys(db, config.cache_dir)  # search's index spares reading the file
        if keys is None:
            with Catalogue.open(db, create=False) as cat:
                keys = cat.keys()
    except Exception:  # completion must never print a traceback into the shell
        return []
    low = incomplete.lower()
    return [k for k in keys if k.lower().startswith(low)]


def catalogue_path(db: Path | None) -> Path:
    """The catalogue file this run works on (``--db``, ``SOCSOPR_DB`` or the default)."""
    from socsopr_cli.context import settings

    return settings(db).db


def open_catalogue(db: Path | None, *, writable: bool = False) -> Catalogue:
    """Open the catalogue a command works on, saying so when it is created from the shipped data.

    A file named with ``--db`` must exist. A writer waiting for another
    process's lock says who holds it and how long it will still wait.
    """
    import sys

    from catalogue import Catalogue
    from socsopr_cli.console import note
    from socsopr_cli.context import RUN, settings

    config = settings(db)
    cat = Catalogue.open(
        config.db, writable=writable, create=not config.explicit, lock_timeout=config.lock_timeout,
        on_wait=_waiting() if writable else None, on_commit=lambda: RUN.committed.append(config.db),
        holder=" ".join(["socsopr", *sys.argv[1:2]]), cache_dir=config.cache_dir,
    )
    if cat.created:
        note(f"Created the catalogue {config.db} from the shipped Socialist Resistance records.")
    if writable:
        RUN.writers.append((cat, config.cache_dir))
    return cat


def _waiting() -> Callable[[LockWait], None]:
    """Tell the person about a wait for the lock: after a second, then every five."""
    from socsopr_cli.console import note

    last = [-10.0]

    def waiting(wait: LockWait) -> None:
        if wait.waited - last[0] < 5:
            return
        last[0] = wait.waited
        who = wait.holder or "another socsopr process"
        note(f"Waiting for {who} to finish writing the catalogue ({wait.remaining:.0f} s more at most).")

    return waiting
