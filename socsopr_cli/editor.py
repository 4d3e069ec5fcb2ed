"""Editing a record as pretty JSON in the user's $EDITOR, re-opened with the errors until it validates."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from catalogue.model.record import Record

_HEADER = (
    "// Edit the record, save and close the editor. Lines starting with // are ignored.\n"
    "// Empty the file to give up; the key changes only with --rename.\n"
)


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi, split the way a shell would."""
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def edit_in_editor(record: Record) -> Record | None:
    """The record as the person left it, valid; None when they give up (empty file or 'no')."""

    from catalogue.errors import CatalogueError
    from catalogue.model.jsontext import json_text
    from socsopr_cli.console import print_error

    text = _HEADER + json_text(record, sort_keys=True)
    with tempfile.TemporaryDirectory(prefix="socsopr-edit-") as folder:
        path = Path(folder) / (str(record["id"]).replace("/", "_") + ".json")  # keys may hold "/"
        while True:
            path.write_text(text, encoding="utf-8")
            _run_editor(path)
            text = path.read_text(encoding="utf-8")
            body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
            if not body.strip():
                return None
            try:
                problems = _problems(record, body)
            except CatalogueError as exc:
                problems = getattr(exc, "problems", None) or [str(exc)]
            else:
                if not problems:
                    from catalogue.model.editing import parse_edited_json

                    return parse_edited_json(body)
            print_error("the edited record is not valid", problems)
            if not typer.confirm("Open the editor again?", default=True, err=True):
                return None
            text = "".join(f"// error: {p}\n" for p in problems) + _HEADER + body.strip() + "\n"


def _problems(original: Record, body: str) -> list[str]:
    from catalogue.model.editing import parse_edited_json
    from catalogue.model.fields import quoted
    from catalogue.model.validation import validate

    edited = parse_edited_json(body, "the edited record")
    problems = validate(edited)
    if edited.get("id") != original["id"]:
        problems.insert(0, f"the key must stay {quoted(original['id'])}; change it with --rename")
    return problems


def _run_editor(path: Path) -> None:
    from socsopr_cli.errors import ExitCode, fail

    command = [*editor_command(), str(path)]
    try:
        result = subprocess.run(command, check=False)
    except OSError as exc:
        fail(f"cannot start the editor {command[0]!r} ({exc.strerror}); set $EDITOR", ExitCode.USAGE)
    if result.returncode != 0:
        fail(f"the editor {command[0]!r} exited with {result.returncode}; nothing was written",
             ExitCode.USAGE)
