"""``socsopr init``: create a catalogue file explicitly."""


from typing import Annotated

import typer

from socsopr_cli.options import DbOption


def init(
    empty: Annotated[
        bool, typer.Option("--empty", help="Start with no records instead of the shipped ones.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing catalogue; the old file is kept as NAME.bak.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create the catalogue: the shipped Socialist Resistance records, or --empty.

    An existing catalogue is never overwritten unless --force is given, and then
    it is kept beside the new one as a backup. Exit 4 if the file exists.

    \b
    Example:
      socsopr init --empty --db my-library.json
    """
    from catalogue.store.creating import init_catalogue
    from socsopr_cli.console import note
    from socsopr_cli.context import settings

    config = settings(db)
    path = config.db
    backup = init_catalogue(path, empty=empty, force=force, lock_timeout=config.lock_timeout)
    if backup is not None:
        note(f"Kept the previous catalogue as {backup}.")
    what = "an empty catalogue" if empty else "the shipped Socialist Resistance catalogue"
    note(f"Created {what} at {path}.")
