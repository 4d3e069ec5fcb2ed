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

LISTING_MEMO_VERSION = 1  # raise when what a line or a sort key holds changes
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

    def compute(key: str, span: memo.Raw) -> list[Any]:
        record = layout.parse(path, data, key, span)
        lines = export([record], fmt).split("\n")
        sort_key, then = key_of(record)
        if len(lines) != head + 2 or lines[-1]:  # not one line (a key holding a line break)
            return [None, sort_key, then]
        return [lines[head], sort_key, then]

    remembered = memo.RecordMemo(cache_dir, path, f"list-{fmt}-{by}", _version())
    lines: list[str] = []
    add_line, add_key = lines.append, ordering.add_key
    for line, sort_key, then in remembered.derive(data, spans, compute, _sound):
        if line is None:
            return None
        add_line(line)
        add_key(sort_key, then)
    heading = export([], fmt).split("\n")[:head]
    return "\n".join([*heading, *map(lines.__getitem__, ordering.positions()), ""]), len(lines)


def _sound(value: Any) -> bool:
    """Whether a remembered value has the shape ``compute`` gives: [line or None, key, second key]."""
    return (type(value) is list and len(value) == 3 and (value[0] is None or type(value[0]) is str)
            and type(value[1]) is str and (value[2] is None or type(value[2]) in (int, str)))


def _version() -> str:
    """Everything besides a record's bytes its line and key depend on: this module's version and the
    code that makes them (the exporters, the model)."""
    from catalogue.store.memo import code_stamp

    package = Path(__file__).resolve().parent.parent
    return f"list {LISTING_MEMO_VERSION} {code_stamp([package / 'formats', package / 'model'])}"
