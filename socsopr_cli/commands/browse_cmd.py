"""``socsopr browse``: the interactive browser (textual, loaded only here)."""


from socsopr_cli.options import DbOption


def browse(db: DbOption = None) -> None:
    """Browse the catalogue interactively: search as you type, read, copy, mark, export, cite.

    \b
    Example:
      socsopr browse
      socsopr browse --db my-library.json

    Type to search (the query language of 'socsopr search', filters included:
    type:pamphlet year:2005..2007 tag:x place:Москва); F2 shows a filter bar.
    Enter or Down goes to the results: Space marks a record, k copies its key,
    r its GOST reference, b its BibTeX (to the terminal's clipboard, OSC 52),
    c copies a GOST list of the marked records, e exports them to a file;
    / or Escape goes back to the query; q or Ctrl+Q quits. Needs a terminal:
    not on one, it exits 2 (use 'socsopr search' in scripts and pipes).
    """
    import sys

    from socsopr_cli.errors import ExitCode, fail

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("browse needs a terminal (stdin and stdout); in scripts and pipes use 'socsopr search'",
             ExitCode.USAGE)
    from socsopr_cli.context import settings

    config = settings(db)
    if not config.db.exists():
        from socsopr_cli.options import open_catalogue

        open_catalogue(db).close()  # creates it from the shipped records, saying so (or says it is missing)
    from socsopr_cli.browse.app import BrowseApp

    app = BrowseApp(config.db, config.cache_dir)
    app.run()
    if app.return_code:  # textual has shown the error and its traceback: a bug in socsopr
        fail("the browser stopped on an internal error (shown above)", ExitCode.INTERNAL)
