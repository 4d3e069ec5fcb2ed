"""The two consoles (data on stdout, messages on stderr) and safe display of data."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
    """Data as it can be shown on a terminal: control characters (ESC …) made visible."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], str(value))


def literal(value: object, style: str = "") -> Text:
    """Data as rich ``Text``: never parsed as markup, control characters made visible."""
    from rich.text import Text

    return Text(visible(value), style=style)


def print_error(message: str, details: list[str] | None = None) -> None:
    """``error: message`` on stderr, with optional indented detail lines."""
    from rich.text import Text

    text = Text("error: ", style="bold red")
    text.append(visible(message))
    err_console().print(text, soft_wrap=True)
    for line in details or ():
        err_console().print(Text("  - " + visible(line)), soft_wrap=True)


def note(message: str) -> None:
    """An informational line on stderr (never on stdout, which carries data)."""
    from rich.text import Text

    err_console().print(Text(visible(message), style="dim"), soft_wrap=True)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def write_data(text: str) -> None:
    """Machine-readable output, written as is (no colour, no wrapping, no markup)."""
    sys.stdout.write(text)
    sys.stdout.flush()
