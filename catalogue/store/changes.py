"""The history of changes as people and programs read it (``socsopr history``)."""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.model.jsontext import json_text
from catalogue.store.history import Change

MAX_KEYS_SHOWN = 5


def describe(change: Change) -> str:
    """``change #3 (add ovsyannikov2006why, 2026-11-26T10:00:00Z): 1 added``."""
    counts = ", ".join(f"{n} {what}" for what, n in change.counts().items() if n)
    if change.authorities:
        n = len(change.authorities)
        counts = ", ".join(filter(None, (counts, f"{n} authorit{'ies' if n != 1 else 'y'}")))
    return f"change #{change.number} ({change.command}, {change.time}): {counts or 'nothing'}"


def keys_text(change: Change, limit: int = MAX_KEYS_SHOWN) -> str:
    """The record keys a change touched, then the authorities (``names:ovsyannikov-i-a``)."""
    keys = [*change.keys, *(f"names:{i}" for i in change.authorities)]
    shown = ", ".join(keys[:limit])
    return shown + (f" … (+{len(keys) - limit})" if len(keys) > limit else "")


def change_rows(changes: Sequence[Change]) -> list[tuple[str, ...]]:
    """Rows of the history table: number, time, command, added, changed, removed, keys."""
    rows: list[tuple[str, ...]] = []
    for change in changes:
        counts = change.counts()
        rows.append((
            str(change.number), change.time, change.command, str(counts["added"]),
            str(counts["changed"]), str(counts["removed"]), keys_text(change),
        ))
    return rows


def changes_tsv(changes: Sequence[Change]) -> str:
    header = "number\ttime\tcommand\tadded\tchanged\tremoved\tkeys\n"
    return header + "".join(
        "\t".join(v.replace("\t", " ") for v in (*row[:6], ",".join(
            [*c.keys, *(f"names:{i}" for i in c.authorities)]))) + "\n"
        for row, c in zip(change_rows(changes), changes, strict=True)
    )


def changes_json(changes: Sequence[Change]) -> str:
    """Number, time, command, counts and keys of each change (not the records themselves)."""
    data = [
        {"number": c.number, "time": c.time, "command": c.command, **c.counts(), "keys": c.keys,
         **({"authorities": list(c.authorities)} if c.authorities else {})}
        for c in changes
    ]
    return json_text(data)
