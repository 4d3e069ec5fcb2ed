"""``socsopr edit``: change fields, names and tags of one record, or edit it as JSON in $EDITOR."""


from typing import Annotated

import typer

from socsopr_cli.options import DbOption, complete_keys

_PANEL = "Changes (repeatable, applied in this order)"


def edit(
    key: Annotated[str, typer.Argument(
        metavar="KEY", help="Citation key of the record.", autocompletion=complete_keys
    )],
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

    \b
    Examples:
      socsopr edit ovsyannikov2006why --set year=2007 --set pages=40
      socsopr edit ovsyannikov2006why --add-name editor='Kozlovsky S. A.' --add-tag checked
    """
    from catalogue.model.editing import Edits, apply_edits
    from socsopr_cli.console import note
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.interaction import can_prompt
    from socsopr_cli.options import open_catalogue

    edits = Edits(set_ or (), unset or (), add_name or (), remove_name or (), add_tag or (), remove_tag or ())
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
        new = dict(edited) if edited is not None else apply_edits(old, edits)
        new["id"] = rename or old["id"]
        if without_times(new) == without_times(old):
            note(f"{old['id']}: nothing to change.")
            return
        # from the editor: refused if another process changed the record while the person edited it
        stored = cat.update(old["id"], new, expected=snapshot)
        renamed = stored["id"] != old["id"]
        cat.save(f"edit {old['id']}" + (f" -> {stored['id']}" if renamed else ""))
    _say_what_changed(old, stored)


def _say_what_changed(old: dict[str, object], new: dict[str, object]) -> None:
    """``Changed ovsyannikov2006why:`` and one line per field: ``year: 2006 → 2007``, ``+ pages: 20``."""
    from catalogue.model.fields import field_changes
    from socsopr_cli.console import note

    lines = []
    for name, before, after in field_changes(old, new):
        if name == "key":
            continue
        if before is None:
            lines.append(f"  + {name}: {after}")
        elif after is None:
            lines.append(f"  - {name}: {before}")
        else:
            lines.append(f"  {name}: {before} → {after}")
    renamed = f" (was {old['id']})" if new["id"] != old["id"] else ""
    note(f"Changed {new['id']}{renamed}:" + "".join("\n" + line for line in lines))


def without_times(record: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if k != "modified"}
