"""The steps of ``socsopr add``: reading a GOST line, prompting for fields, the guarded insert."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from catalogue.model.editing import NewRecord
    from catalogue.model.record import Record


def read_gost(line: str, language: str | None = None) -> Record:
    """The record of a GOST line; what the parser could not place or had to guess goes to stderr."""
    from catalogue.gost.parse import DEFAULT_LANGUAGE, parse_gost_line
    from socsopr_cli.console import note

    parsed = parse_gost_line(line, language=language or DEFAULT_LANGUAGE)
    for part in parsed.unplaced:
        note(f"Not placed in any field: {part}")
    for guess in parsed.guesses:
        note(f"Guessed: {guess}")
    return parsed.record


# (prompt, field of NewRecord, name role or None); lists are typed with "; " between items.
_PROMPTS: tuple[tuple[str, str, str | None], ...] = (
    ("Title", "title", None),
    ("Authors (; between names)", "names", "author"),
    ("Editors", "names", "editor"),
    ("Compilers", "names", "compiler"),
    ("Translators", "names", "translator"),
    ("Year", "year", None),
    ("Places (; between places)", "places", None),
    ("Publisher", "publisher", None),
    ("Pages", "pages", None),
    ("Type", "type", None),
    ("Language", "language", None),
    ("Note", "note", None),
    ("Tags (, between tags)", "tags", None),
)


def ask_fields(fields: NewRecord, gost: str | None) -> Record:
    """Prompt for every field on stderr, showing the GOST form as the record is built."""
    from catalogue.errors import CatalogueError
    from catalogue.model.editing import build_record, default_type
    from socsopr_cli.console import print_error

    if gost is None:
        gost = typer.prompt(
            "GOST line to start from (Enter to type the fields)", default="", show_default=False, err=True
        )
    if gost.strip():
        fields = _fields_of(read_gost(gost, fields.language), fields)
    for label, attribute, role in _PROMPTS:
        while True:
            current = _shown(fields, attribute, role)
            if attribute == "type" and not current:
                current = default_type(build_record(fields, complete=False))
            answer = typer.prompt(label, default=current, show_default=bool(current), err=True)
            if attribute == "title" and not answer.strip():
                print_error("a record needs a title")
                continue
            candidate = _with(fields, attribute, role, answer)
            try:
                record = build_record(candidate)
            except CatalogueError as exc:
                print_error(str(exc))
                continue
            fields = candidate
            _show_line(record)
            break
    return build_record(fields)


def _shown(fields: NewRecord, attribute: str, role: str | None) -> str:
    value: Any = fields.names.get(role, []) if role else getattr(fields, attribute)
    if isinstance(value, list | tuple):
        return (", " if attribute == "tags" else "; ").join(value)
    return value or ""


def _with(fields: NewRecord, attribute: str, role: str | None, answer: str) -> NewRecord:
    answer = answer.strip()
    if role:
        return replace(fields, names={**fields.names, role: [answer] if answer else []})
    changes: dict[str, Any] = {attribute: ([answer] if answer else []) if attribute in ("places", "tags")
                               else answer or None}
    return replace(fields, **changes)


def _fields_of(record: Record, given: NewRecord) -> NewRecord:
    """Prompt defaults from a parsed record; options given on the command line win."""
    from catalogue.model.names import format_gost
    from catalogue.model.record import places, year_text

    names = {
        role: given.names.get(role) or ["; ".join(format_gost(n) for n in record.get(role, []))]
        for role in ("author", "editor", "compiler", "translator")
    }
    pages = record.get("number-of-pages")
    return replace(
        given,
        title=given.title or record.get("title"),
        names={r: [v for v in vs if v] for r, vs in names.items()},
        year=given.year or year_text(record).replace("–", "..") or None,
        places=given.places or ["; ".join(places(record))],
        publisher=given.publisher or record.get("publisher"),
        pages=given.pages or (str(pages) if pages else None),
        type=given.type or record.get("type"),
        language=given.language or record.get("language"),
        note=given.note or record.get("note"),
    )


def _show_line(record: Record) -> None:
    from catalogue.gost.render import render
    from socsopr_cli.console import err_console, literal

    err_console().print(literal("  " + render(record, "en"), style="cyan"), soft_wrap=True)


def insert(record: Record, *, db: Path | None, yes: bool, force: bool,
           ask: Callable[[str], bool] | None = None) -> str:
    """Validate, show and confirm (on a terminal), add and save; the new key.

    The catalogue refuses a likely duplicate unless ``force`` (``LikelyDuplicate``,
    exit 3 with the hint to use --force); on a terminal that is checked before
    the person is asked, too.
    """
    from catalogue.curation.checks import check_records
    from catalogue.errors import LikelyDuplicate, ValidationError
    from catalogue.model.keys import make_key
    from catalogue.model.validation import validate
    from socsopr_cli.console import note
    from socsopr_cli.errors import ExitCode
    from socsopr_cli.interaction import can_prompt, show_record
    from socsopr_cli.options import open_catalogue

    candidate = {**record, "id": record.get("id") or "new"}
    problems = validate(candidate)
    if problems:
        raise ValidationError(problems, record.get("id"))
    for finding in check_records([candidate]):
        note(f"Warning: {finding.problem} (socsopr check will list it)")
    if not yes and (ask is not None or can_prompt()):
        with open_catalogue(db) as cat:
            matches = [] if force else cat.likely_duplicates(record)
            if matches:
                raise LikelyDuplicate(str(record.get("title", "")), matches)
            taken = {k.lower() for k in cat.keys()}  # noqa: SIM118 (a catalogue, not a dict)
        preview = {"id": record.get("id") or make_key(record, taken), **record}
        show_record(preview, "The record to add:")
        question = ask or (lambda q: typer.confirm(q, default=True, err=True))
        if not question("Add this record?"):
            note("Nothing was added.")
            raise typer.Exit(int(ExitCode.OK))
    with open_catalogue(db, writable=True) as cat:
        stored = cat.add(record, allow_duplicates=force)
        cat.save(f"add {stored['id']}")
    return str(stored["id"])
