"""Field names as people see them (``year``, ``pages``, ``place``, ``key``) and the record's CSL names.

``list`` shows Year, Pages and Place and ``add`` takes ``--year --pages --place``;
the record keeps CSL-JSON's ``issued``, ``number-of-pages`` and
``publisher-place``. Every command that takes a field name (``edit --set``,
``--unset``, ``list --sort``) reads both, and ``show`` prints the shown names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from catalogue.model.record import ALL_FIELDS

# shown name -> the record's field
ALIASES: dict[str, str] = {
    "key": "id",
    "year": "issued",
    "date": "issued",
    "pages": "number-of-pages",
    "place": "publisher-place",
    "tag": "tags",
    "remark": "remarks",
}
# the record's field -> the name shown for it (the first alias above)
SHOWN: dict[str, str] = {
    "id": "key", "issued": "year", "number-of-pages": "pages", "publisher-place": "place",
}
# "names" is every role at once: a name to show and sort by, not a field to set
NAMES = "names"

_BY_LOWER = {name.lower(): name for name in ALL_FIELDS}


def record_field(name: str) -> str | None:
    """The record's field for a name as typed (``year`` → ``issued``, ``url`` → ``URL``); ``None``
    when it names no field."""
    text = name.strip()
    if text in ALL_FIELDS:
        return text
    low = text.lower().replace("_", "-")
    return ALIASES.get(low) or _BY_LOWER.get(low)


def shown_name(field: str) -> str:
    """The name people see for a field (``issued`` → ``year``)."""
    return SHOWN.get(field, field)


def closest_fields(name: str, limit: int = 2) -> list[str]:
    """The shown names closest to a mistyped one (``yaer`` → ``year``)."""
    candidates = sorted({*ALIASES, NAMES, *(shown_name(f) for f in ALL_FIELDS)})
    return difflib.get_close_matches(name.strip().lower(), candidates, n=limit, cutoff=0.6)


def quoted(text: str) -> str:
    """A name or value quoted as JSON writes it (``"year"``), as the record is shown and edited."""
    import orjson

    return orjson.dumps(text).decode()


def shown_fields(record: Mapping[str, Any], order: Iterable[str]) -> list[tuple[str, str]]:
    """``(shown name, value as text)`` of every field of a record: those in ``order`` first, then the
    rest alphabetically. Names read as GOST writes them, a year range as ``1998–2007``."""
    from catalogue.model.names import format_gost
    from catalogue.model.record import CSL_NAME_FIELDS, year_text

    order = list(order)
    fields = [f for f in order if f in record] + sorted(set(record) - set(order))
    rows = []
    for field in fields:
        value = record[field]
        if field in CSL_NAME_FIELDS and isinstance(value, list):
            text = "; ".join(format_gost(n) for n in value if isinstance(n, dict))
        elif field == "issued":
            text = year_text(record) or _json(value)
        elif field == "tags" and isinstance(value, list):
            text = ", ".join(str(t) for t in value)
        elif isinstance(value, dict | list):
            text = _json(value)
        else:
            text = str(value)
        rows.append((shown_name(field), text))
    return rows


def _json(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode()
