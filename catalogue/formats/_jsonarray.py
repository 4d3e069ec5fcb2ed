"""A JSON array written one item at a time: the bytes ``orjson`` gives for the whole list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def dump_array(items: Iterable[Any]) -> str:
    """``orjson.dumps(list(items), indent 2, sorted keys)`` plus a newline, without holding the items.

    Each item is dumped alone and indented one level (JSON strings hold no raw
    line breaks, so every line break is the layout's own).
    """
    pieces = [b"[\n  "]
    for item in items:
        pieces += (orjson.dumps(item, option=_OPTIONS).replace(b"\n", b"\n  "), b",\n  ")
    if len(pieces) == 1:
        return "[]\n"
    pieces[-1] = b"\n]\n"
    whole = b"".join(pieces)  # one copy; the pieces go before the text is decoded
    del pieces
    return whole.decode()
