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
    "parallel-title": "titles",
    "parallel-titles": "titles",
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
        elif field == "titles" and isinstance(value, list):
            from catalogue.model.titles import shown_titles

            text = shown_titles(value)
        elif isinstance(value, dict | list):
            text = _json(value)
        else:
            text = str(value)
        rows.append((shown_name(field), text))
    return rows


def _json(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode()


# the order a record is read in: what it is, who, where and when, then the rest alphabetically
READING_ORDER = (
    "id", "type", "genre", "title", "titles", "title-short", "original-title", "author", "editor",
    "compiler", "translator", "issued", "publisher-place", "publisher", "number-of-pages",
    "language", "note", "remarks", "source", "tags", "added", "modified",
)


def field_lines(record: Mapping[str, Any]) -> str:
    """The record as ``field: value`` lines under the names people see (a line break inside a value
    continues on a line indented by two spaces, as in e-mail headers)."""
    rows = shown_fields(record, READING_ORDER)
    return "".join(f"{name}: {value.replace(chr(10), chr(10) + '  ')}\n" for name, value in rows)


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """``(shown name, old text, new text)`` of each field that differs (``None``: absent), in reading
    order; ``modified`` is left out (every edit sets it)."""
    before = dict(shown_fields({k: v for k, v in old.items() if k != "modified"}, READING_ORDER))
    after = dict(shown_fields({k: v for k, v in new.items() if k != "modified"}, READING_ORDER))
    names = list(dict.fromkeys([*after, *before]))
    order = {shown_name(f): i for i, f in enumerate(READING_ORDER)}
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


def summary_line(record: Mapping[str, Any]) -> str:
    """One line that says what a record is: ``Ovsyannikov I. A. Why Socialism? Moscow, 2006. 36 pages
    (pamphlet)`` — made of the fields alone, so it never fails on an odd record."""
    shown = dict(shown_fields(record, READING_ORDER))
    roles = (("author", ""), ("editor", " (ed.)"), ("compiler", " (comp.)"), ("translator", " (trans.)"))
    names = "; ".join(shown[role] + mark for role, mark in roles if shown.get(role))
    where = ", ".join(v for v in (shown.get("place"), shown.get("year")) if v)
    pages = f"{shown['pages']} pages" if shown.get("pages") else ""
    parts = [p for p in (names, shown.get("title", "(no title)"), where, pages) if p]
    text = " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)
    return text.removesuffix(".") + (f" ({shown['type']})" if shown.get("type") else "")
