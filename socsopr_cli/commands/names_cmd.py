"""``socsopr names``: persons and organisations (authority records) and the forms of their names."""


from typing import TYPE_CHECKING, Annotated, Any

import typer

from socsopr_cli.options import DbOption, formats_option

if TYPE_CHECKING:
    from catalogue import Catalogue
    from catalogue.model.authority import Authority

GROUP = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False,
                    no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})

WantedArgument = Annotated[str, typer.Argument(
    metavar="ID-OR-NAME", help="An authority's id (ovsyannikov-i-a) or any form of its name, in any script.",
    show_default=False)]


@GROUP.callback()
def names() -> None:
    """Persons and organisations under every form of their names (authority records).

    A record keeps each name as its source gave it; a name resolves to the
    authority one of whose forms it is, compared like search does (script, case
    and romanisation aside), so 'Овсянников И. А.', 'Ovsyannikov I. A.' and the
    initials-only 'Ovsyannikov I.' are one person to search, --author, stats and
    the duplicate check. Initials resolve when they fit exactly one authority;
    a record linked to an authority (names link) settles a name two of them fit.

    Every change is one step of the history: 'socsopr undo' takes it back.

    Examples:

      socsopr names list

      socsopr names show 'Ovsyannikov I.'

      socsopr names add 'Ovsyannikov, I. A.' --variant 'Овсянников, И. А.'

      socsopr names add 'Socialist Resistance' --organisation --variant СоцСопр

      socsopr names add-variant socialist-resistance 'Соцсопротивление'

      socsopr names merge ovsyannikov-i-a ovsyannikov-i

    Exit codes: 0 done, 1 nothing listed, 2 usage, 3 an unknown or ambiguous
    name or an invalid authority, 4 a catalogue file problem.
    """


@GROUP.command("list")
def list_names(
    kind: Annotated[str | None, typer.Option(
        "--kind", metavar="KIND", help="Only persons or only organisations (person, organisation).",
        show_default=False)] = None,
    output: formats_option("table, tsv or json") = None,  # type: ignore[valid-type]
    db: DbOption = None,
) -> None:
    """List the authorities: id, kind, preferred form, other forms, dates.

    A table on a terminal; tab-separated in a pipe (one header line); --format json
    for programs. An empty list exits 1.

    \b
    Example:
      socsopr names list --kind person
    """
    from catalogue.errors import UsageProblem
    from socsopr_cli.errors import ExitCode, fail
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import choose_format

    fmt = choose_format(output, ("table", "tsv", "json"), "names format")
    if kind is not None and kind not in ("person", "organisation"):
        raise UsageProblem(f"--kind must be person or organisation, not {kind!r}")
    with open_catalogue(db) as cat:
        found = [a for a in cat.authorities().values() if kind is None or a["kind"] == kind]
    if not found:
        fail("the catalogue has no authorities" + (f" of kind {kind}" if kind else "")
             + "; 'socsopr names add' makes one", ExitCode.NO_MATCH)
    _emit_list(found, fmt)


def _emit_list(found: "list[Authority]", fmt: str) -> None:
    from catalogue.model.authority import display
    from socsopr_cli.console import write_data

    if fmt == "json":
        from catalogue.model.jsontext import json_text

        write_data(json_text(found))
        return
    rows = [(a["id"], a["kind"], display(a["name"]), "; ".join(display(v) for v in a.get("variants", ())),
             a.get("dates", "")) for a in found]
    if fmt == "tsv":
        lines = ["id\tkind\tname\tvariants\tdates"]
        lines += ["\t".join(" ".join(str(c).split()) for c in row) for row in rows]
        write_data("\n".join(lines) + "\n")
        return
    from socsopr_cli.render import print_table
    from socsopr_cli.tables import Column

    # an id is folded rather than cut: it is what 'names show' takes
    columns = (Column("id", "Id", wrap=True, min_width=20, style="cyan"), Column("kind", "Kind"),
               Column("name", "Name", wrap=True, min_width=16, weight=2),
               Column("variants", "Other forms", wrap=True, min_width=16, weight=3), Column("dates", "Dates"))
    print_table(columns, [[str(c) for c in row] for row in rows], ("name", "id", "variants", "dates", "kind"))


@GROUP.command("show")
def show(
    wanted: WantedArgument,
    output: formats_option("table or json", "table") = None,  # type: ignore[valid-type]
    db: DbOption = None,
) -> None:
    """Show one authority: every form of its name, dates, note, sources, and every record linked.

    A record is linked when one of its names, its publisher or a link (names link)
    resolves to the authority. Text on a terminal and in a pipe; --format json for
    programs. A name that fits several authorities asks which on a terminal and
    exits 3 elsewhere, naming their ids.

    \b
    Example:
      socsopr names show 'Ovsyannikov I.'
    """
    from socsopr_cli.options import open_catalogue
    from socsopr_cli.render import choose_format

    fmt = choose_format(output, ("table", "json"), "names format", piped="table")
    with open_catalogue(db) as cat:
        authority = _pick(cat, wanted)
        linked = cat.linked_records(authority["id"])
    if fmt == "json":
        from catalogue.model.jsontext import json_text
        from socsopr_cli.console import write_data

        write_data(json_text({"authority": authority,
                              "records": [{"key": r["id"], "roles": roles} for roles, r in linked]}))
        return
    _print_authority(authority, linked)


def _print_authority(authority: "Authority", linked: "list[tuple[str, dict[str, Any]]]") -> None:
    from rich.table import Table

    from catalogue.model.authority import IDENTIFIERS, display
    from catalogue.model.record import year_text
    from socsopr_cli.console import console, literal

    out = console()
    heading = f"{display(authority['name'])}  ({authority['kind']}, {authority['id']})"
    out.print(literal(heading, style="bold"))
    if authority.get("dates"):
        out.print(literal(f"Dates: {authority['dates']}"))
    for field in IDENTIFIERS:
        if authority.get(field):
            out.print(literal(f"{field.upper() if field != 'wikidata' else 'Wikidata'}: {authority[field]}"))
    out.print(literal("Forms:"))
    out.print(literal(f"  {display(authority['name'])}  (preferred)"))
    for variant in authority.get("variants", ()):
        out.print(literal(f"  {display(variant)}"))
    for related in authority.get("related", ()):
        where = f" [{related['authority']}]" if related.get("authority") else ""
        out.print(literal(f"{related['relation'].capitalize()}: {related['name']}{where}"))
    if authority.get("note"):
        out.print(literal(f"Note: {authority['note']}"), soft_wrap=True)
    for source in authority.get("sources", ()):
        out.print(literal(f"Source: {source}"), soft_wrap=True)
    if not linked:
        out.print(literal("No record is linked."))
        return
    table = Table(title=f"{len(linked)} record{'s' if len(linked) != 1 else ''}", title_justify="left",
                  header_style="bold")
    for column in ("Key", "As", "Year", "Title"):
        table.add_column(column, no_wrap=column in ("Key", "Year"))
    for roles, record in linked:
        table.add_row(literal(record["id"]), literal(roles), literal(year_text(record)),
                      literal(record.get("title", "")))
    out.print(table)


@GROUP.command("add")
def add(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="The preferred form: 'Family, Given' for a person, the name of an organisation.",
        show_default=False)],
    organisation: Annotated[bool, typer.Option(
        "--organisation", "--org", help="An organisation (its name is kept as typed).")] = False,
    variants: Annotated[list[str] | None, typer.Option(
        "--variant", metavar="FORM", help="Another form of the name, in any script (repeatable).",
        show_default=False)] = None,
    dates: Annotated[str | None, typer.Option(
        "--dates", metavar="FROM/TO", help="Life or existence: 1998, 1998/2011, 1998-05/2011-03-07, /2011.",
        show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="A note.",
                                             show_default=False)] = None,
    viaf: Annotated[str | None, typer.Option("--viaf", metavar="ID", show_default=False,
                                             help="VIAF identifier.")] = None,
    wikidata: Annotated[str | None, typer.Option("--wikidata", metavar="QID", show_default=False,
                                                 help="Wikidata item (Q…).")] = None,
    orcid: Annotated[str | None, typer.Option("--orcid", metavar="ID", show_default=False,
                                              help="ORCID iD.")] = None,
    ident: Annotated[str | None, typer.Option(
        "--id", metavar="ID", help="The id [default: made from the name, e.g. ovsyannikov-i-a].",
        show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Add a person or an organisation; its id is printed on stdout.

    Exit 3 when the id is taken or the authority is invalid. Example:
    socsopr names add 'Ovsyannikov, I. A.' --variant 'Овсянников, И. А.' --variant 'Ovsyannikov, I.'
    """
    from catalogue.errors import InvalidAuthority
    from catalogue.model.authority import make_id, parse_form
    from socsopr_cli.console import note as tell
    from socsopr_cli.console import write_data
    from socsopr_cli.options import open_catalogue

    kind = "organisation" if organisation else "person"
    try:
        preferred = parse_form(name, kind)
        forms = [parse_form(v, kind) for v in variants or ()]
    except ValueError as exc:
        raise InvalidAuthority(ident or "new", [str(exc)]) from None
    with open_catalogue(db, writable=True) as cat:
        taken = cat.authorities()
        if ident is not None and ident in taken:
            raise InvalidAuthority(ident, ["an authority with this id already exists"])
        authority: dict[str, Any] = {"id": ident or make_id(preferred, taken), "kind": kind,
                                     "name": preferred}
        if forms:
            authority["variants"] = forms
        for field, value in (("dates", dates), ("note", note), ("viaf", viaf), ("wikidata", wikidata),
                             ("orcid", orcid)):
            if value is not None:
                authority[field] = value
        stored = cat.put_authority(authority)
        cat.save(f"names add {stored['id']}")
    write_data(stored["id"] + "\n")
    tell(f"Added {stored['id']}; 'socsopr undo' takes it back.")


@GROUP.command("add-variant")
def add_variant(
    wanted: WantedArgument,
    forms: Annotated[list[str], typer.Argument(
        metavar="FORM...", help="Forms to add: 'Family, Given' for a person, the name of an organisation.",
        show_default=False)],
    db: DbOption = None,
) -> None:
    """Add forms of a name (any script or romanisation) to an authority. Example:
    socsopr names add-variant ovsyannikov-i-a 'Овсянников, И. А.'
    """
    from catalogue.errors import InvalidAuthority
    from catalogue.model.authority import parse_form, with_variants

    def change(cat: "Catalogue", authority: "Authority") -> str:
        try:
            typed = [parse_form(f, authority["kind"]) for f in forms]
        except ValueError as exc:
            raise InvalidAuthority(authority["id"], [str(exc)]) from None
        cat.put_authority(with_variants(authority, typed))
        return f"names add-variant {authority['id']}"

    _change(wanted, change, db)


@GROUP.command("rename")
def rename(
    wanted: WantedArgument,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The new preferred form.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Make another form the preferred one (the old one stays a variant; the id stays). Example:
    socsopr names rename ovsyannikov-i-a 'Овсянников, И. А.'
    """
    from catalogue.errors import InvalidAuthority
    from catalogue.model.authority import parse_form, renamed

    def change(cat: "Catalogue", authority: "Authority") -> str:
        try:
            form = parse_form(name, authority["kind"])
        except ValueError as exc:
            raise InvalidAuthority(authority["id"], [str(exc)]) from None
        cat.put_authority(renamed(authority, form))
        return f"names rename {authority['id']}"

    _change(wanted, change, db)


@GROUP.command("merge")
def merge(
    keep: Annotated[str, typer.Argument(metavar="KEEP", help="The authority that stays (id or name).",
                                        show_default=False)],
    other: Annotated[str, typer.Argument(metavar="OTHER", help="The one merged into it and removed.",
                                         show_default=False)],
    db: DbOption = None,
) -> None:
    """Merge two authorities that are one person or organisation, as one undoable change.

    OTHER's forms become variants of KEEP, with its links, sources and identifiers
    KEEP lacks; OTHER is removed. Exit 2 when both name the same authority.
    Example: socsopr names merge ovsyannikov-i-a ovsyannikov-i
    """
    from catalogue.errors import UsageProblem
    from catalogue.model.authority import merged

    def change(cat: "Catalogue", authority: "Authority") -> str:
        gone = _pick(cat, other)
        if gone["id"] == authority["id"]:
            raise UsageProblem(f"{keep!r} and {other!r} are the same authority ({authority['id']})")
        cat.remove_authority(gone["id"])
        cat.put_authority(merged(authority, gone))
        return f"names merge {authority['id']} {gone['id']}"

    _change(keep, change, db)


@GROUP.command("link")
def link(
    wanted: WantedArgument,
    keys: Annotated[list[str], typer.Argument(metavar="KEY...", help="Citation keys of the records.",
                                              show_default=False)],
    role: Annotated[str, typer.Option(
        "--role", metavar="ROLE",
        help="What the authority is to the records: author, editor, compiler, translator, publisher, "
        "issuing body.")] = "issuing body",
    unlink: Annotated[bool, typer.Option("--unlink", help="Remove the links instead.")] = False,
    db: DbOption = None,
) -> None:
    """Link records to an authority where no name form does (the body behind a congress's documents),
    or to settle a name that two authorities fit. Example:
    socsopr names link cwi-section-in-the-cis third2001congress --role 'issuing body'
    """
    from catalogue.errors import UsageProblem
    from catalogue.model.authority import LINK_ROLES

    if role not in LINK_ROLES:
        raise UsageProblem(f"--role must be one of {', '.join(LINK_ROLES)}, not {role!r}")

    def change(cat: "Catalogue", authority: "Authority") -> str:
        links = dict(authority.get("links", {}))
        for key in keys:
            actual = cat.get(key)["id"]  # an unknown key: exit 3, nothing changes
            if unlink:
                links.pop(actual, None)
            else:
                links[actual] = role
        changed = {k: v for k, v in authority.items() if k != "links"}
        if links:
            changed["links"] = dict(sorted(links.items()))
        cat.put_authority(changed)
        return f"names {'unlink' if unlink else 'link'} {authority['id']} {' '.join(keys)}"

    _change(wanted, change, db)


def _change(wanted: str, change: Any, db: Any) -> None:
    """Open the catalogue for writing, apply ``change`` to the authority ``wanted`` names, save it."""
    from socsopr_cli.console import note
    from socsopr_cli.options import open_catalogue

    with open_catalogue(db, writable=True) as cat:
        authority = _pick(cat, wanted)
        command = change(cat, authority)
        saved = cat.save(command)
    if saved is None:
        note(f"Nothing changed: {authority['id']} already was so.")
    else:
        note(f"Saved {authority['id']}; 'socsopr undo' takes it back.")


def _pick(cat: "Catalogue", wanted: str) -> "Authority":
    """The authority ``wanted`` names; when a name fits several, ask on a terminal (else exit 3)."""
    from catalogue.errors import AmbiguousName
    from socsopr_cli.interaction import can_prompt

    try:
        return cat.find_authority(wanted)
    except AmbiguousName as exc:
        if not can_prompt():
            raise
        from catalogue.model.authority import display
        from socsopr_cli.console import err_console, literal

        authorities = cat.authorities()
        for number, ident in enumerate(exc.candidates, 1):
            err_console().print(literal(f"{number}. {display(authorities[ident]['name'])}  ({ident})"))
        choice = typer.prompt(f"'{wanted}' fits these; which one (1-{len(exc.candidates)})", type=int,
                              err=True)
        if not 1 <= choice <= len(exc.candidates):
            raise
        return authorities[exc.candidates[choice - 1]]
