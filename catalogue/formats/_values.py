"""Numbers and nesting in imported values, read so that no input can crash a reader.

Only ASCII digits make a number (``str.isdigit`` is true for ``²`` and ``٣``,
which ``int`` refuses or reads as something else), and never more than
``MAX_DIGITS`` of them, far from Python's 4,300-digit conversion limit and
within the 64 bits the catalogue file can hold.  JSON values nested deeper than
``MAX_NESTING`` are refused: no record needs them and the catalogue's writer
cannot write them.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DIGITS = 9
MAX_NESTING = 32
_WHOLE = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


class ValueProblem(ValueError):
    """A field whose value cannot be read as what the field holds; the message is one sentence."""


def whole_number(text: str) -> int | None:
    """``text`` (spaces around it allowed) as a whole number of ASCII digits, or None."""
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def shown(value: Any, limit: int = 40) -> str:
    """A value for a message: ``repr``, cut short when long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether lists and dicts in ``value`` nest more than ``limit`` levels (found without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
