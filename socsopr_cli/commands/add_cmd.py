"""``socsopr add``: one new record, from options, a GOST catalogue line, or prompts."""


from typing import Annotated, Any

import typer

from socsopr_cli.options import DbOption

_NAMES = "Names (repeatable; any form: 'Ovsyannikov I. A.', 'I. A. Ovsyannikov', '=Organisation')"
_FIELDS = "Fields"


def _repeat(flag: str, metavar: str, help_: str, panel: str = _FIELDS) -> Any:
    return typer.Option(flag, metavar=metavar, help=help_, rich_help_panel=panel, show_default=False)


def add(
    gost: Annotated[
        str | None,
        typer.Option("--gost", "-g", metavar="LINE", help="A GOST 7.1 description to read the fields from."),
    ] = None,
    type_: Annotated[
        str | None, _repeat("--type", "TYPE", "CSL type [default: book, or pamphlet under 49 pages].")
    ] = None,
    title: Annotated[str | None, _repeat("--title", "TEXT", "Title, with ': subtitle' if any.")] = None,
    parallel_title: Annotated[
        list[str] | None,
        _repeat("--parallel-title", "LANG=TEXT", "The title in another language or script (repeatable): "
                "'en=Why Socialism?' (a translation), 'original:ru=Почему социализм?', "
                "'romanization:ru-Latn=Pochemu socializm?'."),
    ] = None,
    title_translation: Annotated[
        str | None, _repeat("--title-translation", "TEXT", "The title translated into English "
                            "(short for --parallel-title en=TEXT).")
    ] = None,
    author: Annotated[list[str] | None, _repeat("--author", "NAME", "An author.", _NAMES)] = None,
    editor: Annotated[list[str] | None, _repeat("--editor", "NAME", "An editor.", _NAMES)] = None,
    compiler: Annotated[list[str] | None, _repeat("--compiler", "NAME", "A compiler.", _NAMES)] = None,
    translator: Annotated[list[str] | None, _repeat("--translator", "NAME", "A translator.", _NAMES)] = None,
    year: Annotated[
        str | None,
        typer.Option("--year", "-y", metavar="YEAR", rich_help_panel=_FIELDS, show_default=False,
                     help="2006, 2007-10, or a range 1998-2007 (also 1998–2007, 1998..2007, 2007..)."),
    ] = None,
    place: Annotated[list[str] | None, _repeat("--place", "PLACE", "Place of publication (repeatable).")]
    = None,
    publisher: Annotated[str | None, _repeat("--publisher", "NAME", "Publisher.")] = None,
    pages: Annotated[str | None, _repeat("--pages", "N", "Number of pages.")] = None,
    language: Annotated[str | None, _repeat("--language", "LANG", "Language code, e.g. ru, en.")] = None,
    note: Annotated[str | None, _repeat("--note", "TEXT", "A public note (printed in bibliographies).")]
    = None,
    remarks: Annotated[
        str | None, _repeat("--remarks", "TEXT", "Internal remarks (shown and searched, never exported "
                            "into a bibliography).")
    ] = None,
    tag: Annotated[list[str] | None, _repeat("--tag", "TAG", "A tag (repeatable).")] = None,
    key: Annotated[str | None, _repeat("--key", "KEY", "Citation key [default: from name, year, title].")]
    = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Add even when a likely duplicate exists.")] = False,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Prompt for each field (default on a terminal)."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a record from options, from a GOST catalogue line, or by answering prompts.

    The new key is printed on stdout, what was added on stderr. Invalid data
    lists every problem and exits 3; a likely duplicate (same title, first name
    and year in any script) is refused with exit 3 unless --force. Not on a
    terminal, --title or --gost is required (exit 2 without).

    \b
    Examples:
      socsopr add --title 'Hands off education!' --editor 'Ovsyannikov I. A.' -y 2005
      socsopr add --gost 'Ovsyannikov I. A. Why Socialism? — М., 2006. — 36 с.'
      socsopr add --title 'Почему социализм?' --language ru --title-translation 'Why Socialism?'
    """
    from catalogue.model.editing import NewRecord, build_record, merge_options
    from socsopr_cli.adding import ask_fields, insert, read_gost
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.interaction import can_prompt

    fields = NewRecord(
        type=type_, title=title, year=year, places=place or (), publisher=publisher, pages=pages,
        language=language, note=note, tags=tag or (), key=key, remarks=remarks,
        parallel_titles=[*([f"en={title_translation}"] if title_translation else []),
                         *(parallel_title or ())],
        names={"author": author or [], "editor": editor or [], "compiler": compiler or [],
               "translator": translator or []},
    )
    asking = interactive or (gost is None and title is None and can_prompt())
    if asking:
        record = ask_fields(fields, gost)
    elif gost is not None:
        record = merge_options(read_gost(gost, language), build_record(fields, complete=False))
    elif title is None:
        fail("nothing to add: give --title (with --author, --year … as needed) or --gost LINE",
             ExitCode.USAGE)
    else:
        record = build_record(fields)
    new_key = insert(record, db=db, yes=yes, force=force, ask=_confirm if asking else None)
    from catalogue.model.fields import summary_line
    from socsopr_cli.console import note as say  # `note` is the --note option here

    say(f"Added {new_key}: {summary_line({**record, 'id': new_key})}")
    typer.echo(new_key)  # the key alone on stdout, for scripts


def _confirm(question: str) -> bool:
    return typer.confirm(question, default=True, err=True)
