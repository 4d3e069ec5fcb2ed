"""socsopr's own JSON (full records, catalogue fields included), the bare list of keys, and
JSON arrays written one item at a time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from catalogue.errors import ParseError
from catalogue.formats import exporter, importer
from catalogue.model.record import Record

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def dump_array(items: Iterable[Any]) -> str:
    """``orjson.dumps(list(items), indent 2, sorted keys)`` plus a newline, without holding the items.

    The items are dumped a batch at a time, each batch as an array whose brackets are cut off: the
    same text as dumping the whole list, holding only one batch of items.
    """
    pieces: list[bytes] = []
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == _BATCH:
            pieces.append(_dump_batch(batch))
            batch = []
    if batch:
        pieces.append(_dump_batch(batch))
    if not pieces:
        return "[]\n"
    whole = b"[\n  " + b",\n  ".join(pieces) + b"\n]\n"  # one copy; the pieces go before the decode
    del pieces
    return whole.decode()


def dump_item(item: Any) -> str:
    """One item as ``dump_array`` writes it inside its array (its lines indented for that place)."""
    return _dump_batch([item]).decode()


def join_items(items: list[str]) -> str:
    """The array ``dump_array`` writes, from its items as ``dump_item`` gives them."""
    if not items:
        return "[]\n"
    ends = list(items)  # the brackets go with the first and last item: the text is built in one copy
    ends[0] = "[\n  " + ends[0]
    ends[-1] += "\n]\n"
    return ",\n  ".join(ends)


# Items dumped per orjson call: large enough that the calls cost nothing, small enough not to hold much.
_BATCH = 1024


def _dump_batch(batch: list[Any]) -> bytes:
    """The items of a non-empty batch as they stand inside the indented array, without its brackets."""
    return orjson.dumps(batch, option=_OPTIONS)[4:-2]  # b"[\n  " … b"\n]"


def parse_json(text: str, source: str) -> Any:
    """JSON text as Python data, or ``ParseError`` with ``file:line`` of the fault."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ParseError([f"{source}:{exc.lineno}: not valid JSON ({exc.msg})"]) from None


@exporter("json", description="full socsopr records as a JSON array", extension="json")
def export_json(records: Iterable[Record]) -> str:
    return dump_array(records)


@importer("json", description="socsopr records as a JSON array", extension="json")
def import_json(text: str, source: str) -> list[Record]:
    """Records as they are (the import validates them), each with the line it starts on.

    An item that is not an object, or nests deeper than ``_values.MAX_NESTING``, is a problem.
    """
    from catalogue.formats import LINE_KEY
    from catalogue.formats._values import MAX_NESTING, too_deep
    from catalogue.formats.csljson import item_lines

    data = parse_json(text, source)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ParseError([f"{source}:1: expected a JSON array of record objects"])
    lines = item_lines(text)
    records: list[Record] = []
    problems: list[str] = []
    for i, item in enumerate(data):
        where = f"{source}:{lines[i] if i < len(lines) else 1}: item {i + 1}"
        if not isinstance(item, dict):
            problems.append(f"{where} is not a JSON object")
        elif too_deep(item):
            problems.append(f"{where} nests lists and objects more than {MAX_NESTING} deep")
        else:
            records.append({**item, LINE_KEY: lines[i] if i < len(lines) else 1})
    if problems:
        raise ParseError(problems, records)
    return records


@exporter("ids", description="one citation key per line", extension="txt")
def export_ids(records: Iterable[Record]) -> str:
    return "".join(f"{r['id']}\n" for r in records)
