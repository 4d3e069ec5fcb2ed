"""``socsopr import``: other people's bibliographies into the catalogue, as one undoable step."""


from pathlib import Path
from typing import Annotated

import typer

from catalogue.curation.on_duplicate import OnDuplicate
from socsopr_cli.options import DbOption, complete_formats

# -n is "how many" (--limit, --top) wherever it is taken; here it was --dry-run, and still is for a while
DEPRECATED_SHORT = {"import": {"-n": "--dry-run"}}

# Files with more records than this show a progress bar on a terminal.
_SHOW_PROGRESS_FROM = 2000


def import_files(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Files to import; '-' reads stdin.")],
    input_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete_formats("import", ("auto",)),
                     help="auto (by extension and content), bibtex, biblatex, csl-json, ris, json, marc, "
                     "marcxml, unimarc, or any "
                     "other import format."),
    ] = "auto",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would happen; change nothing.")
    ] = False,
    on_duplicate: Annotated[
        OnDuplicate,
        typer.Option("--on-duplicate", metavar="ACTION",
                     help="skip, update, keep-both or error: for a record whose key or title+name+year is "
                     "already there, skip it, update the existing one, keep both (renaming the key), or "
                     "stop."),
    ] = OnDuplicate.skip,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid records even if some are invalid.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="A record that could not be read whole is invalid, not a warning "
                           "(a GOST line with parts no field takes).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Import BibTeX, biblatex, CSL-JSON, RIS, MARC (MARC 21, MARCXML, UNIMARC) or socsopr JSON files.

    All or nothing: an invalid record imports nothing (exit 3) and every problem
    is listed as file:line: reason, unless --skip-invalid is given. The import is
    one step of the history, so 'socsopr undo' takes it back.

    \b
    Examples:
      socsopr import --dry-run theirs.bib
      socsopr import theirs.bib zotero.json --on-duplicate update
    """
    from catalogue.curation.importing import decode_bytes, import_texts
    from catalogue.errors import ParseError
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import open_catalogue

    sources = []
    for path in files:
        name = str(path)
        if name == "-":
            import sys

            sources.append(("<stdin>", decode_bytes(sys.stdin.buffer.read(), "<stdin>")))
            continue
        if not path.is_file():
            fail(f"{path} is not a file that can be read; check the path", ExitCode.USAGE)
        try:
            data = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror or exc}", ExitCode.USAGE)
        sources.append((name, decode_bytes(data, name)))

    from socsopr_cli.console import progress_bar

    command = "import " + " ".join(str(f) for f in files)
    bar = progress_bar("Importing", _SHOW_PROGRESS_FROM)
    with open_catalogue(db, writable=not dry_run) as cat, bar as progress:
        try:
            report = import_texts(
                cat, sources, fmt=input_format.lower(), on_duplicate=on_duplicate.value,
                skip_invalid=skip_invalid, dry_run=dry_run, command=command, progress=progress, strict=strict,
            )
        except ParseError as exc:
            count = len(exc.problems)
            fail(
                f"{count} problem{'' if count == 1 else 's'} in the input, so nothing was imported "
                "(fix them, or import the rest with --skip-invalid)",
                ExitCode.BAD_DATA, exc.problems,
            )
    _summarise(report)


def _summarise(report) -> None:  # type: ignore[no-untyped-def]
    from socsopr_cli.console import err_console, note

    for line in report.warnings:
        note(f"warning: {line}")
    for line in report.renamed:
        note(f"renamed: {line}")
    for line in report.skipped:
        note(f"skipped: {line}")
    for line in report.updated:
        note(f"updated: {line}")
    for line in report.invalid:
        note(f"left out (invalid): {line}")
    verb = "Would import" if report.dry_run else "Imported"
    summary = (
        f"{verb} {len(report.imported)}, {'would update' if report.dry_run else 'updated'} "
        f"{len(report.updated)}, skipped {len(report.skipped)}, invalid {len(report.invalid)}."
    )
    if report.dry_run:
        summary += " Dry run: the catalogue is unchanged."
    elif report.change is not None:
        summary += " 'socsopr undo' takes it back."
    from rich.text import Text

    err_console().print(Text(summary), soft_wrap=True)
