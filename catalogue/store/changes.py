"""The history of changes as people and programs read it (``socsopr history``)."""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.model.jsontext import json_text
from catalogue.store.history import Change

MAX_KEYS_SHOWN = 5


def local_time(stamp: str, *, utc: bool = False) -> str:
    """A change's time as people read it: ``2026-12-03 14:05`` in the local time zone (``utc``: the
    stored ISO 8601 UTC text as it is). A time that cannot be read is shown as stored."""
    if utc:
        return stamp
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def describe(change: Change) -> str:
    """``change #3 (remove ovsyannikov2006why, 2026-12-03 14:05)``: the change named for a person."""
    return f"change #{change.number} ({change.command}, {local_time(change.time)})"


def _records(n: int) -> str:
    return f"{n} record{'s' if n != 1 else ''}"


def _keys(keys: Sequence[str], limit: int = 3) -> str:
    """``a``, ``a and b``, ``a, b, c and 47 more``."""
    if len(keys) <= limit:
        return keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " and " + keys[-1]
    return ", ".join(keys[:limit]) + f" and {len(keys) - limit} more"


def _sorted_keys(change: Change) -> tuple[list[str], list[str], list[str]]:
    """The keys a change added, changed and removed (read from its body, which holds both sides)."""
    before, after = change.before, change.after
    added = [k for k in change.keys if before.get(k) is None]
    removed = [k for k in change.keys if after.get(k) is None]
    either = {*added, *removed}  # a set: an import or batch edit touches 100,000 keys
    changed = [k for k in change.keys if k not in either]
    return added, changed, removed


def what_it_did(change: Change) -> str:
    """``removed 1 record (ovsyannikov2006why)``, ``added 50 records (a, b, c and 47 more)`` …"""
    verbs = ("added", "changed", "removed")
    parts = [f"{verb} {_records(len(keys))} ({_keys(keys)})"
             for verb, keys in zip(verbs, _sorted_keys(change), strict=True) if keys]
    if change.authorities:
        n = len(change.authorities)
        parts.append(f"changed {n} authorit{'ies' if n != 1 else 'y'} ({_keys(list(change.authorities))})")
    if not parts:
        return "changed nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def undo_question(change: Change) -> str:
    """``Undo change #3 (remove x, 2026-12-03 14:05), which removed 1 record (x)?``"""
    return f"Undo {describe(change)}, which {what_it_did(change)}?"


def redo_question(change: Change) -> str:
    """``Redo change #3 (remove x, 2026-12-03 14:05), which removed 1 record (x)?``"""
    return f"Redo {describe(change)}, which {what_it_did(change)}?"


def _is(keys: Sequence[str], limit: int = 3) -> str:
    """``a is``, ``a and b are``, ``50 records (a, b, c and 47 more) are``."""
    if len(keys) > limit:
        return f"{_records(len(keys))} ({_keys(keys, limit)}) are"
    return f"{_keys(keys)} {'is' if len(keys) == 1 else 'are'}"


def undone_sentence(change: Change) -> str:
    """``Undid change #3 (remove x): x is back.`` — what the catalogue holds now, in plain words."""
    added, changed, removed = _sorted_keys(change)
    parts = [f"{_is(removed)} back"] if removed else []
    parts += [f"{_is(changed)} as before"] if changed else []
    parts += [f"{_is(added)} gone"] if added else []
    if change.authorities:
        n = len(change.authorities)
        parts.append(f"{n} authorit{'ies are' if n != 1 else 'y is'} as before")
    said = "; ".join(parts) or "nothing needed changing"
    return f"Undid change #{change.number} ({change.command}): {said}."


def redone_sentence(change: Change) -> str:
    """``Redid change #3 (remove x) as change #5: x is gone again.``"""
    added, changed, removed = _sorted_keys(change)
    parts = [f"{_is(added)} back"] if added else []
    parts += [f"{_is(changed)} changed again"] if changed else []
    parts += [f"{_is(removed)} gone again"] if removed else []
    if change.authorities:
        n = len(change.authorities)
        parts.append(f"{n} authorit{'ies are' if n != 1 else 'y is'} changed again")
    said = "; ".join(parts) or "nothing needed changing"
    original = change.command.split(" (", 1)[1][:-1] if " (" in change.command else change.command
    return f"Redid change #{change.redoes} ({original}) as change #{change.number}: {said}."


def keys_text(change: Change, limit: int = MAX_KEYS_SHOWN) -> str:
    """The record keys a change touched, then the authorities (``names:ovsyannikov-i-a``)."""
    keys = [*change.keys, *(f"names:{i}" for i in change.authorities)]
    shown = ", ".join(keys[:limit])
    return shown + (f" … (+{len(keys) - limit})" if len(keys) > limit else "")


def change_rows(changes: Sequence[Change], *, utc: bool = False) -> list[tuple[str, ...]]:
    """Rows of the history table: number, time (local, or UTC as stored), command, added, changed,
    removed, keys."""
    rows: list[tuple[str, ...]] = []
    for change in changes:
        counts = change.counts()
        rows.append((
            str(change.number), local_time(change.time, utc=utc), change.command, str(counts["added"]),
            str(counts["changed"]), str(counts["removed"]), keys_text(change),
        ))
    return rows


def changes_tsv(changes: Sequence[Change], *, utc: bool = False) -> str:
    header = "number\ttime\tcommand\tadded\tchanged\tremoved\tkeys\n"
    return header + "".join(
        "\t".join(v.replace("\t", " ") for v in (*row[:6], ",".join(
            [*c.keys, *(f"names:{i}" for i in c.authorities)]))) + "\n"
        for row, c in zip(change_rows(changes, utc=utc), changes, strict=True)
    )


def changes_json(changes: Sequence[Change]) -> str:
    """Number, time (ISO 8601 UTC, as stored), command, counts and keys of each change (not the records)."""
    data = [
        {"number": c.number, "time": c.time, "command": c.command, **c.counts(), "keys": c.keys,
         **({"authorities": list(c.authorities)} if c.authorities else {})}
        for c in changes
    ]
    return json_text(data)
