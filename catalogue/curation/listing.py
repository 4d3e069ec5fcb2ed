"""``list --sort`` of a whole large catalogue from each record's line and sort key, remembered by its bytes.

A listing in a format of one line per record (TSV, keys) is the export of the
records in the sort's order, and each line depends on its record alone, as does
the record's sort key (``sorting.Ordering.key_of``). For a large file in the
canonical layout both are kept per record in a ``store.memo``: a listing after
a change parses the records that changed, not all of them. Anything else — a
filter, a limit, a small catalogue, another layout, a record whose text is not
one line — is listed by the caller the plain way (``None`` here).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalogue.store.session import Catalogue

LISTING_MEMO_VERSION = 2  # raise when what a line or a sort key holds changes
HEAD_LINES = {"tsv": 1, "ids": 0}  # the formats listed from the memo: lines of a head, then a line per record


def sorted_listing(cat: Catalogue, cache_dir: Path | None, fmt: str, by: str, *,
                   reverse: bool = False) -> tuple[str, int] | None:
    """The text of every record of ``cat`` in ``fmt`` sorted ``by`` (``sorting.Ordering``), and how
    many records it lists; ``None`` when it is not made from the memo (see the module)."""
    from catalogue.store import memo

    if fmt not in HEAD_LINES or cache_dir is None or cat.path is None:
        return None
    raw = cat.raw_records()
    if raw is None or len(raw[1]) < memo.MIN_RECORDS:
        return None
    from catalogue.formats import export
    from catalogue.model.sorting import Ordering
    from catalogue.store import layout

    data, spans = raw
    path = cat.path
    ordering = Ordering(by, reverse=reverse)
    key_of = ordering.key_of
    head = HEAD_LINES[fmt]

    last: list[Any] = [None, None]  # the record parsed last, by key: a new record is parsed once

    def parsed(key: str, span: memo.Raw) -> Any:
        if last[0] != key:
            last[:] = key, layout.parse(path, data, key, span)
        return last[1]

    def line(key: str, span: memo.Raw) -> str | None:
        lines = export([parsed(key, span)], fmt).split("\n")
        return lines[head] if len(lines) == head + 2 and not lines[-1] else None  # None: not one line

    def sort_key(key: str, span: memo.Raw) -> list[Any]:
        return list(key_of(parsed(key, span)))

    # the lines are kept once for every order, each order's sort keys apart
    version, prints = _version(), memo.fingerprints(data, list(spans.values()))  # hashed once for both
    texts = memo.RecordMemo(cache_dir, path, f"list-{fmt}", version).derive(
        data, spans, line, _a_line, prints)
    keys = memo.RecordMemo(cache_dir, path, f"list-key-{by}", version).derive(
        data, spans, sort_key, _a_key, prints)
    lines: list[str] = []
    add_line, add_key = lines.append, ordering.add_key
    for text, (order, then) in zip(texts, keys, strict=True):
        if text is None:
            return None
        add_line(text)
        add_key(order, then)
    heading = export([], fmt).split("\n")[:head]
    return "\n".join([*heading, *map(lines.__getitem__, ordering.positions()), ""]), len(lines)


def _a_line(value: Any) -> bool:
    return value is None or type(value) is str


def _a_key(value: Any) -> bool:
    """Whether a remembered value is what ``Ordering.key_of`` gives: [key, second key]."""
    return (type(value) is list and len(value) == 2 and type(value[0]) is str
            and (value[1] is None or type(value[1]) in (int, str)))


def _version() -> str:
    """Everything besides a record's bytes its line and key depend on: this module's version and the
    code that makes them (the exporters, the model)."""
    from catalogue.store.memo import code_stamp

    package = Path(__file__).resolve().parent.parent
    return f"list {LISTING_MEMO_VERSION} {code_stamp([package / 'formats', package / 'model'])}"
