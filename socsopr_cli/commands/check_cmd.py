"""``socsopr check``: validate the whole catalogue and list what looks wrong."""


from typing import Annotated

import typer

from socsopr_cli.options import DbOption, formats_option


def check(
    output: formats_option("Output: table, tsv or json") = None,  # type: ignore[valid-type]
    gost: Annotated[
        bool, typer.Option("--gost", help="Also check that each record holds what a complete GOST "
                           "description of its kind needs (a book: place, publisher, year, pages; an "
                           "article: journal, year, number, pages; an electronic resource: URL and access "
                           "date …).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Check every record: schema, fields the type needs, plausible year (1450 to now) and
    page count, well-formed keys unique ignoring case, likely duplicates across scripts,
    names that look swapped; with --gost, the elements of a complete GOST description.

    A table of findings on a terminal, tab-separated in a pipe, --format json for
    programs. Exit 3 when anything is found, 0 when the catalogue is clean.

    \b
    Example:
      socsopr check --gost
    """
    from catalogue.curation.checks import check_catalogue, records_with_findings
    from socsopr_cli.console import console, literal, note, write_data
    from socsopr_cli.context import settings
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.render import choose_format

    fmt = choose_format(output, ("table", "tsv", "json"), "check format")
    from socsopr_cli.options import open_catalogue

    with open_catalogue(db) as cat:  # one record at a time, what is unchanged since the last check remembered
        findings = check_catalogue(cat, settings(db).cache_dir, gost=gost)
        count = len(cat)
    if fmt == "json":
        from catalogue.curation.checks import findings_as_json
        from catalogue.model.jsontext import json_text

        write_data(json_text(findings_as_json(findings)))
    elif fmt == "tsv":
        rows = "".join([f"{f.key}\t{f.check}\t{f.problem}\n" for f in findings])
        if rows.count("\t") != 2 * len(findings) or rows.count("\n") != len(findings):
            rows = "".join(  # a tab or a line break in a value: each made a space
                "\t".join(v.replace("\t", " ").replace("\n", " ") for v in (f.key, f.check, f.problem)) + "\n"
                for f in findings
            )
        write_data("key\tcheck\tproblem\n" + rows)
    elif findings:
        from rich.table import Table

        table = Table(header_style="bold")
        table.add_column("Key", style="cyan", no_wrap=True)
        table.add_column("Check", no_wrap=True)
        table.add_column("Problem")
        for f in findings:
            table.add_row(literal(f.key), literal(f.check), literal(f.problem))
        console().print(table)
    if findings:
        keys = records_with_findings(findings)
        fail(f"{len(findings)} problem{'s' if len(findings) != 1 else ''} in {len(keys)} of "
             f"{count} records", ExitCode.BAD_DATA)
    note(f"The catalogue is clean: {count} records checked.")
