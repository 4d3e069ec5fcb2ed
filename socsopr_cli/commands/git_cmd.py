"""``socsopr git``: a catalogue shared in git — the merge driver, setting it up, resolving conflicts."""

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from socsopr_cli.options import DbOption

GROUP = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False,
                    no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})

DRIVER = "socsopr"
HISTORY_DRIVER = "socsopr-history"


@GROUP.callback()
def git() -> None:
    """Share a catalogue in git: merges record by record, never text conflicts.

    'socsopr git setup' (once per clone) tells git to merge the catalogue file
    with socsopr: records changed on different sides always merge, a record
    changed on both sides merges field by field, and a field both sides changed
    differently becomes a conflict record (the field 'conflicts', ours kept)
    that 'socsopr check' lists and 'socsopr git resolve' settles. The file
    always stays valid JSON. The history of changes ('undo') stays on each
    machine: it is ignored by git, and undo refuses to reach back past a merge.

    Examples:

      socsopr git setup

      git pull        # merges with socsopr

      socsopr check   # lists conflict records, if any

      socsopr git resolve ovsyannikov2006why title theirs

    Exit codes: 0 done, 1 merged with conflicts (merge-driver), 2 usage,
    3 no such conflict, 4 not a git repository or a catalogue file problem.
    """


@GROUP.command("setup")
def setup(db: DbOption = None) -> None:
    """Register socsopr's merge driver in this clone's git config and .gitattributes.

    Writes merge.socsopr.driver into .git/config (a clone's own setting: run it
    in every clone), 'FILE merge=socsopr' into the repository's .gitattributes
    (commit it), and the catalogue's history and lock files into .gitignore.
    Running it again changes nothing; after moving socsopr to another
    environment, run it again to point git at the new one.

    \b
    Example:
      socsopr git setup --db catalogue.json
    """
    from socsopr_cli.console import note
    from socsopr_cli.options import catalogue_path

    path = catalogue_path(db).absolute()
    top = _toplevel(path.parent)
    try:
        relative = path.resolve().relative_to(top.resolve())
    except ValueError:
        _not_a_repository(path)
    driver = f"{_own_command()} git merge-driver %O %A %B %P"
    _git(top, "config", "merge.socsopr.name", "socsopr: catalogue records, field by field")
    _git(top, "config", f"merge.{DRIVER}.driver", driver)
    _git(top, "config", f"merge.{HISTORY_DRIVER}.name", "socsopr: keep this clone's own undo history")
    _git(top, "config", f"merge.{HISTORY_DRIVER}.driver", "true")
    name = relative.as_posix()
    added = _add_lines(top / ".gitattributes", [
        f"{_pattern(name, attributes=True)} merge={DRIVER}",
        f"{_pattern(name + '.history', attributes=True)} merge={HISTORY_DRIVER}"])
    added += _add_lines(top / ".gitignore", [_pattern(name + ".history"), _pattern(name + ".lock")])
    what = f"; added {', '.join(added)} (commit them)" if added else ""
    note(f"git merges {relative.as_posix()} with socsopr in {top}{what}.")


@GROUP.command("merge-driver")
def merge_driver(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="The common ancestor's version (git's %O).")],
    ours: Annotated[Path, typer.Argument(metavar="OURS", help="Our version; the merge goes here (%A).")],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="Their version (%B).")],
    name: Annotated[str | None, typer.Argument(metavar="PATH", help="The file's name in the repository (%P).",
                                               show_default=False)] = None,
) -> None:
    """Merge three versions of a catalogue file (git runs it; see 'socsopr git setup').

    Writes the merge into OURS, atomically. Exit 0: merged cleanly. Exit 1: merged,
    with conflict records (valid JSON; git marks the file conflicted until you
    resolve them and 'git add' it). Exit 4: a version cannot be read as a
    catalogue; OURS is left untouched and git keeps it as a conflict.

    \b
    Example:
      socsopr git merge-driver base.json ours.json theirs.json catalogue.json
    """
    from catalogue.errors import StoreError
    from catalogue.store.merging import merge_files
    from socsopr_cli.console import note
    from socsopr_cli.errors import ExitCode, fail

    shown = name or str(ours)
    try:
        result = merge_files(base, ours, theirs)
    except StoreError as exc:
        side = {base.absolute(): "the common ancestor's", ours.absolute(): "our",
                theirs.absolute(): "their"}.get(exc.path.absolute(), "a")
        fail(f"{side} version of {shown} {exc.problem}; nothing was merged", ExitCode.CATALOGUE_FILE)
    problems = []
    if result.conflicted:
        keys = ", ".join(result.conflicted[:10]) + (" …" if len(result.conflicted) > 10 else "")
        many = "s" if len(result.conflicted) != 1 else ""
        problems.append(f"{len(result.conflicted)} conflict record{many} ({keys})")
    if result.authority_conflicts:
        problems.append("authorities changed on both sides, ours kept: "
                        + ", ".join(result.authority_conflicts))
    if result.clashes:
        pairs = ", ".join(" and ".join(pair) for pair in result.clashes)
        problems.append(f"keys equal ignoring case: {pairs}")
    if problems:
        # git reads any exit but 0 as "conflicted": the file is valid JSON, yet the person must look at it
        fail(f"merged {shown} with {'; '.join(problems)}: 'socsopr check' lists them, 'socsopr git resolve "
             f"KEY FIELD ours|theirs' settles one, then 'git add {shown}'", ExitCode.NO_MATCH)
    note(f"merged {shown} record by record.")


@GROUP.command("resolve")
def resolve(
    key: Annotated[str, typer.Argument(metavar="KEY", help="The conflict record's key.")],
    field: Annotated[str, typer.Argument(
        metavar="FIELD", help="The field in conflict (as 'socsopr check' names it), or 'record'.")],
    side: Annotated[str, typer.Argument(metavar="SIDE", help="The version to keep: ours, theirs or base.")],
    db: DbOption = None,
) -> None:
    """Settle one conflict of a git merge by keeping ours, theirs or base.

    The record keeps that side's value of FIELD (no value, if that side had
    none) and the conflict entry goes; for 'record' (removed on one side,
    changed on the other) the side that removed it removes it. One undoable
    change. 'socsopr edit KEY --set FIELD=…' sets any other value; then resolve
    with ours to drop the entry.

    \b
    Example:
      socsopr git resolve ovsyannikov2006why title theirs
    """
    from catalogue.store.merging import resolve as resolved_record
    from socsopr_cli.console import note
    from socsopr_cli.options import open_catalogue

    with open_catalogue(db, writable=True) as cat:
        record = cat.get(key)
        result = resolved_record(record, field, side)
        if result is None:
            cat.remove([record["id"]])
        else:
            cat.update(record["id"], result, expected=record)
        cat.save(f"git resolve {record['id']} {field} {side}")
    left = "" if result is None or not result.get("conflicts") else (
        f"; still in conflict: {', '.join(e['field'] for e in result['conflicts'])}")
    done = "removed it" if result is None else f"took {field} from {side}"
    note(f"Resolved {record['id']}: {done}{left}; 'socsopr undo' takes it back.")


# --- git -----------------------------------------------------------------------------------------


def _own_command() -> str:
    """How git runs this socsopr whatever environment is active: this Python, by its absolute path."""
    import shlex
    import sys

    return f"{shlex.quote(str(Path(sys.executable).absolute()))} -m socsopr_cli"


def _git(where: Path, *args: str) -> str:
    import shutil
    import subprocess

    from socsopr_cli.errors import ExitCode, fail

    if shutil.which("git") is None:
        fail("git is not installed (or not on PATH); install it to share a catalogue",
             ExitCode.CATALOGUE_FILE)
    done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = " ".join(done.stderr.split()) or f"exit {done.returncode}"
        fail(f"git {args[0]} failed in {where}: {message}", ExitCode.CATALOGUE_FILE)
    return done.stdout


def _toplevel(folder: Path) -> Path:
    import subprocess

    if not folder.is_dir():
        _not_a_repository(folder)
    done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        _not_a_repository(folder)
    return Path(done.stdout.strip())


def _not_a_repository(path: Path) -> NoReturn:
    from socsopr_cli.errors import ExitCode, fail

    fail(f"{path} is not inside a git repository's working tree; run 'git init' in its folder first (or "
         "name a catalogue inside one with --db)", ExitCode.CATALOGUE_FILE)


def _pattern(relative: str, *, attributes: bool = False) -> str:
    """A .gitignore (or, ``attributes``, .gitattributes) pattern matching exactly this file from the
    repository's root: glob characters escaped; in .gitattributes, where whitespace ends a pattern, a
    space or tab is written as ``[[:space:]]``."""
    escaped = "".join("\\" + c if c in "*?[\\" else c for c in relative)
    if attributes:
        return "/" + escaped.replace(" ", "[[:space:]]").replace("\t", "[[:space:]]")
    return "/" + (escaped[:-1] + "\\ " if escaped.endswith(" ") else escaped)


def _add_lines(path: Path, lines: list[str]) -> list[str]:
    """Append the lines a file lacks (as whole lines); the ones added, as ``FILE: LINE``."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        from socsopr_cli.errors import ExitCode, fail

        fail(f"{path} cannot be read ({exc})", ExitCode.CATALOGUE_FILE)
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in lines if line not in present]
    if not missing:
        return []
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(line + "\n" for line in missing), encoding="utf-8")
    return [f"{path.name}: {line}" for line in missing]
