"""``socsopr search``: ranked, script-insensitive, typo-tolerant search over the catalogue."""


from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from catalogue.search.filters import Filters

from socsopr_cli.options import (
    ColumnsOption,
    DbOption,
    FormatOption,
    positive_count,
    with_filters,
)
from socsopr_cli.parsing import QueryCommand

TABLE_LIMIT = 50
# Options anywhere: the ones search knows are taken from among the query terms, and -marx or
# -author:doyle, which are no options, stay exclusions (-- ends the options).
COMMAND_CLASS = QueryCommand


@with_filters
def search(
    filters: "Filters",
    query: Annotated[
        list[str] | None,
        typer.Argument(metavar="QUERY...", help="Words, \"phrases\", field terms, -exclusions.",
                       show_default=False),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", callback=positive_count, metavar="N", show_default=False,
                     help=f"Show at most N records [default: {TABLE_LIMIT} in a table, all otherwise]."),
    ] = None,
    output: FormatOption = None,
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """Search titles, names, publishers, places, notes and tags, best match first.

    Any script and spelling finds the same records (Овсянников, Ovsyannikov,
    Ovsiannikov, OVSJANNIKOV); typos are forgiven (socilism), but exact words
    always rank first. All terms must match:

    \b
      socialism              a word (or the start of one)
      '"why socialism"'      a phrase, exactly (quote it for the shell too)
      author:Kozlovsky       a name in any role; editor: compiler: translator:
      title: place: publisher: note: tag:   one field
      type:pamphlet  language:ru
      year:2006  year:2005-2007  year:..2000  year:2008..
      -word  -author:name    exclude

    Options may come anywhere (socsopr search socialism -marx --limit 3); a
    -word that is no option of search is an exclusion, and -- ends the
    options. No match exits 1 (like grep); a malformed term such as year:abc
    exits 2.

    \b
    Examples:
      socsopr search socialism --limit 3
      socsopr search Прогресс --format ids
      socsopr search author:Kozlovsky -hands --year 2005-2007
    """
    from catalogue.search.query import parse_query
    from catalogue.search.ranking import hit_columns
    from catalogue.search.ranking import search as run_search
    from socsopr_cli.render import TABLE, choose_format, table_columns

    chosen = None
    if columns is not None:  # the table module (its column definitions) only for --columns
        from socsopr_cli.tables import SEARCH_COLUMNS

        output, chosen = table_columns(columns, output, SEARCH_COLUMNS)
    fmt = choose_format(output)
    parsed = parse_query(query or [])
    if not parsed and not filters:
        from socsopr_cli.errors import ExitCode, fail  # (on a failure only: it builds an enum)

        fail("give something to search for, e.g. 'socsopr search socialism'", ExitCode.USAGE)
    from socsopr_cli.context import settings

    config = settings(db)
    if not config.db.exists():
        from socsopr_cli.options import open_catalogue

        open_catalogue(db).close()  # creates it from the shipped records, saying so (or says it is missing)
    from catalogue.search.index_file import open_index
    from socsopr_cli.console import progress_bar

    with progress_bar("Indexing the catalogue (once; later changes patch the index)") as progress:
        index = open_index(config.db, config.cache_dir, progress)
    with index:
        result = run_search(index, parsed, filters)
        if not result.hits:
            from socsopr_cli.errors import ExitCode, fail

            fail(f"nothing matches {' '.join(query or []) or 'these filters'!r}", ExitCode.NO_MATCH)
        shown = limit if limit is not None else (TABLE_LIMIT if fmt == TABLE else None)
        numbers, scores = hit_columns(result.hits, shown)
        if fmt == "ids":  # the index has every key: no record need be read (81k hits at 100k: 0.5 s)
            from socsopr_cli.console import write_data

            keys = index.keys
            write_data("".join(f"{keys[n]}\n" for n in numbers))
            return
        # read from the catalogue file one at a time while the output is made: never all held
        records = index.fetch(numbers)
        if fmt == TABLE:
            _print_table(list(records), scores, result, chosen)
            if len(numbers) < len(result.hits):
                from socsopr_cli.console import note

                note(f"Showing the best {len(numbers)} of {len(result.hits)} matches; --limit N shows more.")
            return
        from socsopr_cli.console import write_data

        if fmt == "json":
            from catalogue.formats.native import dump_array

            scored = ({**rec, "score": score} for rec, score in zip(records, scores, strict=True))
            write_data(dump_array(scored))
        else:
            from catalogue.formats import export

            write_data(export(records, fmt))


def _print_table(
    records: list[dict[str, object]], scores: list[int], result: object, columns: list[str] | None
) -> None:
    from catalogue.search.query import NAME_FIELDS, PLACE, TITLE
    from catalogue.search.ranking import Result, highlight_spans
    from socsopr_cli.render import print_records

    assert isinstance(result, Result)
    words = {"title": result.words_for({TITLE}), "names": result.words_for(NAME_FIELDS),
             "place": result.words_for({PLACE})}

    def highlight(column: str, text: str) -> list[tuple[int, int]]:
        return highlight_spans(text, words.get(column, set()))

    print_records(records, columns=columns, extra={"score": scores}, highlight=highlight)
