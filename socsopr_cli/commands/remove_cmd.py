"""``socsopr remove``: take records out of the catalogue (one undoable change)."""


from typing import Annotated

import typer

from socsopr_cli.options import DbOption, complete_keys

# -y is --year wherever it is taken; here it was --yes, and still is for a while
DEPRECATED_SHORT = {"remove": {"-y": "--yes"}}


def remove(
    keys: Annotated[
        list[str], typer.Argument(
            metavar="KEY...", help="Citation keys of the records.", autocompletion=complete_keys
        )
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Remove records. On a terminal, shows them and asks first (--yes skips).

    An unknown key exits 3 and nothing is removed. 'socsopr undo' brings them back.

    \b
    Example:
      socsopr remove ovsyannikov2005hands --yes
    """
    from socsopr_cli.console import note
    from socsopr_cli.interaction import can_prompt, confirm
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import print_records

    with open_catalogue(db) as cat:
        doomed = list({r["id"]: r for r in (cat.get(k) for k in keys)}.values())
    if can_prompt() and not yes:
        print_records(doomed, stderr=True)
        what = "this record" if len(doomed) == 1 else f"these {len(doomed)} records"
        if not confirm(f"Remove {what}?", yes=yes):
            note("Nothing was removed.")
            return
    with open_catalogue(db, writable=True) as cat:
        removed = cat.remove(r["id"] for r in doomed)
        cat.save("remove " + " ".join(r["id"] for r in removed))
    them = "it" if len(removed) == 1 else "them"
    note(f"Removed {', '.join(r['id'] for r in removed)}; 'socsopr undo' brings {them} back.")
