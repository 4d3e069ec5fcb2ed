"""JSON text as socsopr prints it for people and programs: indented two spaces, UTF-8, a final newline."""

from __future__ import annotations

from typing import Any

import orjson


def json_text(value: Any, *, sort_keys: bool = False) -> str:
    """``value`` as indented JSON text ending in a newline (keys sorted when asked)."""
    option = orjson.OPT_INDENT_2 | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    return orjson.dumps(value, option=option).decode() + "\n"
