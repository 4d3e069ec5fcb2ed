"""``socsopr edit``: change fields, names and tags of one record, or edit it as JSON in $EDITOR."""


from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socsopr_cli.options import DbOption, complete_keys

if TYPE_CHECKING:
    from collections.abc import Iterator

    from catalogue.model.editing import Edits
    from catalogue.model.record import Record

_PANEL = "Changes (repeatable, applied in this order)"


def edit(
    key: Annotated[str | None, typer.Argument(
        metavar="[KEY]", help="Citation key of the record (or an alias of it); not with --where.",
        autocompletion=complete_keys, show_default=False,
    )] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="FIELD=VALUE", rich_help_panel=_PANEL, show_default=False,
                     help="Set a field: title=…, year=2006, pages=36, place=…, author='A B.; C D.' …"),
    ] = None,
    unset: Annotated[
        list[str] | None,
        typer.Option("--unset", metavar="FIELD", rich_help_panel=_PANEL, show_default=False,
                     help="Remove a field: pages, note, tags …"),
    ] = None,
    add_name: Annotated[
        list[str] | None,
        typer.Option("--add-name", metavar="ROLE=NAME", rich_help_panel=_PANEL, show_default=False,
                     help="Add a name: author=…, editor=…, compiler=…, translator=…"),
    ] = None,
    remove_name: Annotated[
        list[str] | None,
        typer.Option("--remove-name", metavar="ROLE=NAME", rich_help_panel=_PANEL, show_default=False,
                     help="Remove a name (any script; initials match given names)."),
    ] = None,
    add_tag: Annotated[
        list[str] | None,
        typer.Option("--add-tag", metavar="TAG", rich_help_panel=_PANEL, show_default=False,
                     help="Add a tag."),
    ] = None,
    remove_tag: Annotated[
        list[str] | None,
        typer.Option("--remove-tag", metavar="TAG", rich_help_panel=_PANEL, show_default=False,
                     help="Remove a tag."),
    ] = None,
    rename: Annotated[
        str | None, typer.Option("--rename", metavar="NEWKEY", help="Give the record a new key.")
    ] = None,
    where: Annotated[
        str | None,
        typer.Option("--where", metavar="QUERY", show_default=False,
                     help="Change every record this query selects (as search reads it, without typo "
                     "tolerance: 'type:pamphlet year:2006 tag:x place:Moscow author:Ovsyannikov'; '' "
                     "selects all), as one change."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="With --where: change without asking (needed "
                                      "in scripts).")] = False,
    in_editor: Annotated[
        bool, typer.Option("--editor", "-e", help="Edit the record as JSON in $EDITOR (the default on a "
                           "terminal with no other option).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Change one record; `modified` is updated and the key stays unless --rename.

    With no option on a terminal, the record opens in $EDITOR as JSON and comes
    back with the errors shown until it is valid or you empty the file to give
    up. Fields go by the names list shows (year, pages, place, publisher …) or
    their CSL names (issued, number-of-pages …). What changed is shown as a
    diff. Exit 3 for an unknown key, a name or tag the record lacks, or an
    invalid result (nothing is written); exit 2 for a malformed option.

    With --where QUERY instead of a key, the changes apply to every record the
    query selects, as one change that one 'socsopr undo' takes back: the count
    and a sample of the differences are shown first, and a terminal asks
    (--yes skips; a script must give --yes, or exit 2 and nothing is written).
    A name or tag to remove that a record lacks leaves that record as it was.
    If any changed record would be invalid, nothing is written and the problems
    are listed (exit 3); no record selected is exit 1.

    \b
    Examples:
      socsopr edit ovsyannikov2006why --set year=2007 --set pages=40
      socsopr edit ovsyannikov2006why --add-name editor='Kozlovsky S. A.' --add-tag checked
      socsopr edit --where 'type:pamphlet year:2006' --add-tag brochure --yes
    """
    from catalogue.model.conflicts import settle_conflicts
    from catalogue.model.editing import Edits, apply_edits
    from socsopr_cli.console import note
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.interaction import can_prompt
    from socsopr_cli.options import open_catalogue

    edits = Edits(set_ or (), unset or (), add_name or (), remove_name or (), add_tag or (), remove_tag or ())
    if where is not None:
        if key is not None or rename is not None or in_editor:
            fail("--where changes the records a query selects; give no KEY, --rename or --editor with it",
                 ExitCode.USAGE)
        if not edits:
            fail("nothing to change: give --set, --unset, --add-name, --remove-name, --add-tag or "
                 "--remove-tag with --where", ExitCode.USAGE)
        _batch_edit(where, edits, yes=yes, db=db)
        return
    if key is None:
        fail("name the record to change (KEY), or select records with --where QUERY", ExitCode.USAGE)
    use_editor = in_editor or (not edits and rename is None and can_prompt())
    snapshot = edited = None
    if use_editor:
        from socsopr_cli.editor import edit_in_editor

        with open_catalogue(db) as cat:
            snapshot = cat.get(key)
        edited = edit_in_editor(snapshot)
        if edited is None:
            note("Nothing was changed.")
            return
    elif not edits and rename is None:
        fail("nothing to change: give --set, --unset, --add-name, --remove-name, --add-tag, "
             "--remove-tag or --rename (or --editor)", ExitCode.USAGE)
    with open_catalogue(db, writable=True) as cat:
        old = cat.get(key)
        new = settle_conflicts(old, dict(edited)) if edited is not None else apply_edits(old, edits)
        new["id"] = rename or old["id"]
        if without_times(new) == without_times(old):
            note(f"{old['id']}: nothing to change.")
            return
        # from the editor: refused if another process changed the record while the person edited it
        stored = cat.update(old["id"], new, expected=snapshot)
        renamed = stored["id"] != old["id"]
        cat.save(f"edit {old['id']}" + (f" -> {stored['id']}" if renamed else ""))
    _say_what_changed(old, stored)


SAMPLE = 3  # records whose differences a batch edit shows before it asks


def _batch_edit(where: str, edits: "Edits", *, yes: bool, db: "Path | None") -> None:
    """``edit --where``: every selected record changed, previewed, confirmed, saved as one change."""
    from catalogue.model.editing import batch_edits
    from catalogue.search.query import parse_query
    from catalogue.search.selecting import record_matcher
    from socsopr_cli.console import note
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.interaction import can_prompt, confirm
    from socsopr_cli.options import open_catalogue

    query = parse_query(where)
    with open_catalogue(db, writable=True) as cat:
        names = cat.authority_index() if any(t.kind == "text" for t in query.terms) else None
        selects = record_matcher(query, names or None)
        selected = 0

        def chosen() -> "Iterator[Record]":
            nonlocal selected
            for record in cat.iter_records():
                if selects(record):
                    selected += 1
                    yield record

        pairs = list(batch_edits(chosen(), edits))
        if not selected:
            fail(f"no record matches {where!r}", ExitCode.NO_MATCH)
        if not pairs:
            note(f"{_count(selected)} selected; none needs changing.")
            return
        _preview(pairs, selected)
        if not yes:
            if not can_prompt():
                fail(f"edit --where would change {_count(len(pairs))}; add --yes to do so from a script",
                     ExitCode.USAGE)
            if not confirm(f"Change {_count(len(pairs))}?", yes=False):
                note("Nothing was changed.")
                return
        cat.update_many(pairs)
        cat.save(f"edit --where {where!r} ({_count(len(pairs))})")
    note(f"Changed {_count(len(pairs))}; 'socsopr undo' takes the whole change back.")


def _count(n: int) -> str:
    return f"{n:,} record{'s' if n != 1 else ''}"


def _preview(pairs: "list[tuple[Record, Record]]", selected: int) -> None:
    """The count and the differences of the first few records, on stderr."""
    from socsopr_cli.console import note

    lines = [f"{_count(selected)} selected; {_count(len(pairs))} will change"
             + (f" (the first {SAMPLE} shown):" if len(pairs) > SAMPLE else ":")]
    for old, new in pairs[:SAMPLE]:
        lines.append(f"  {old['id']}:")
        lines += _diff_lines(old, new, "    ")
    note("\n".join(lines))


def _diff_lines(old: "Record", new: "Record", indent: str) -> list[str]:
    """One line per changed field but the key: ``year: 2006 → 2007``, ``+ pages: 20``, ``- note: …``."""
    from catalogue.model.fields import field_changes

    lines = []
    for name, before, after in field_changes(old, new):
        if name == "key":
            continue
        if before is None:
            lines.append(f"{indent}+ {name}: {after}")
        elif after is None:
            lines.append(f"{indent}- {name}: {before}")
        else:
            lines.append(f"{indent}{name}: {before} → {after}")
    return lines


def _say_what_changed(old: dict[str, object], new: dict[str, object]) -> None:
    """``Changed ovsyannikov2006why:`` and one line per field: ``year: 2006 → 2007``, ``+ pages: 20``."""
    from socsopr_cli.console import note

    lines = _diff_lines(old, new, "  ")
    renamed = f" (was {old['id']})" if new["id"] != old["id"] else ""
    note(f"Changed {new['id']}{renamed}:" + "".join("\n" + line for line in lines))


def without_times(record: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if k != "modified"}
