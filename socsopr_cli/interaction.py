"""Talking to a person at a terminal: whether we may ask, asking, and showing a record on stderr."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from catalogue.model.record import Record


def can_prompt() -> bool:
    """Whether a person can answer: stdin and stderr are terminals (never so in tests or pipes)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def confirm(question: str, *, yes: bool) -> bool:
    """True when ``--yes`` was given, nobody can be asked, or the person says yes."""
    if yes or not can_prompt():
        return True
    return typer.confirm(question, default=False, err=True)


def show_record(record: Record, heading: str = "") -> None:
    """A record in full on stderr (stdout carries data only), with its GOST line under it."""
    from catalogue.gost.render import render
    from socsopr_cli.console import err_console, literal
    from socsopr_cli.render import record_panel

    if heading:
        err_console().print(literal(heading, style="bold"))
    err_console().print(record_panel(record))
    if record.get("title"):
        err_console().print(literal("GOST: " + render(record, "en"), style="dim"), soft_wrap=True)
