"""The two consoles (data on stdout, messages on stderr) and safe display of data.

Data can never drive the terminal. Control characters (C0 but tab and line
feed, DEL, C1) and the bidirectional formatting characters that reorder what
is shown (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) are shown as the
escape Python would write for them (``\\x1b``, ``\\x9b``, ``\\u202e``), so an
escape sequence (OSC 52 clipboard writes, window titles, links, clearing the
screen, colours) or a reversed title is printed as text. Rich tables and
messages always get this (``visible``, ``literal``); data for programs
(``write_data``) gets it only when stdout is a terminal; written to a pipe or
a file it stays byte for byte what the exporter made.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"


@lru_cache(maxsize=1)
def _control() -> re.Pattern[str]:
    """The characters made visible: all controls but tab and line feed, and the bidi ones (compiled
    when first needed: a message or data on a terminal, never data in a pipe)."""
    return re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")


def _made_visible(text: str) -> str:
    # every character _control() finds is unprintable (Cc, Cf): printable text has none of them
    return text if text.isprintable() else _control().sub(_shown, text)


def _shown(match: re.Match[str]) -> str:
    return repr(match.group(0))[1:-1]


@lru_cache(maxsize=1)
def console() -> Console:
    """Where data goes (stdout)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@lru_cache(maxsize=1)
def err_console() -> Console:
    """Where messages go (stderr)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def visible(value: object) -> str:
    """Data as it can be shown on a terminal: control and bidi characters (ESC, U+202E …) made visible."""
    return _made_visible(str(value))


def literal(value: object, style: str = "") -> Text:
    """Data as rich ``Text``: never parsed as markup, control and bidi characters made visible."""
    from rich.text import Text

    return Text(visible(value), style=style)


def print_error(message: str, details: list[str] | None = None) -> None:
    """``error: message`` on stderr, with optional indented detail lines."""
    lines = ["error: " + visible(message), *("  - " + visible(line) for line in details or ())]
    if _written_plain(lines):
        return
    from rich.text import Text

    text = Text("error: ", style="bold red")
    text.append(visible(message))
    err_console().print(text, soft_wrap=True)
    for line in details or ():
        err_console().print(Text("  - " + visible(line)), soft_wrap=True)


def note(message: str) -> None:
    """An informational line on stderr (never on stdout, which carries data)."""
    shown = visible(message)
    if _written_plain([shown]):
        return
    from rich.text import Text

    err_console().print(Text(shown, style="dim"), soft_wrap=True)


def _written_plain(lines: list[str]) -> bool:
    """Write messages on stderr without rich where rich would write them unstyled and unchanged.

    Off a terminal, by rich's own rules (``TTY_COMPATIBLE``, ``FORCE_COLOR``,
    then ``isatty``), rich writes a soft-wrapped ``Text`` as it is with a line
    feed, but for a tab (expanded) or whitespace at the end of a line (maybe
    dropped): those, and a terminal, are left to rich (``False``). Importing
    rich is most of a short command's message otherwise.
    """
    if sys.platform == "win32" or any("\t" in line for line in lines):
        return False
    if any(part[-1:].isspace() for line in lines for part in line.split("\n")):
        return False
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible == "1":
        return False
    if compatible != "0":
        force = os.environ.get("FORCE_COLOR")
        if force is not None:
            if force != "":
                return False
        else:
            isatty = getattr(sys.stderr, "isatty", None)
            try:
                if isatty is not None and isatty():
                    return False
            except ValueError:  # a closed stream: rich counts it as no terminal
                pass
    sys.stderr.write("".join(line + "\n" for line in lines))
    sys.stderr.flush()
    return True


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def write_data(text: str) -> None:
    """Machine-readable output (no colour, no wrapping, no markup): as is, unless stdout is a terminal.

    On a terminal, control and bidi characters are made visible as in ``visible``.
    """
    if stdout_is_terminal():
        text = _made_visible(text)
    sys.stdout.write(text)
    sys.stdout.flush()


class progress_bar:
    """A progress bar on stderr for long work, only on a terminal and only from ``least`` items:
    ``with progress_bar("Importing") as update`` gives ``update(done, total)``, or ``None`` off a terminal."""

    def __init__(self, label: str, least: int = 2000) -> None:
        self.label, self.least = label, least
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not stderr_is_terminal() or not err_console().is_terminal:  # rich only for a terminal
            return None
        from rich.progress import Progress

        self.bar = Progress(console=err_console(), transient=True)

        def update(done: int, total: int) -> None:
            if total < self.least or self.bar is None:
                return
            if self.task is None:
                self.bar.start()
                self.task = self.bar.add_task(self.label, total=total)
            self.bar.update(self.task, completed=done)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
