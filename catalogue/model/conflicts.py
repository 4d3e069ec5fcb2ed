"""Conflict records: what the git merge driver leaves where both sides changed one field.

A record in conflict keeps one side's values and lists the others in ``conflicts``:
``[{"field": "title", "base": …, "ours": …, "theirs": …}]`` (``field`` ``record`` when one
side removed the record and the other changed it). ``check`` reports them; changing a field
in conflict (``edit --set``/``--unset``, a batch edit, the editor) settles its entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogue.model.record import Record

CONFLICTS = "conflicts"
WHOLE_RECORD = "record"  # the ``field`` of a conflict entry about the record itself (removed vs changed)
_ABSENT: Any = object()


def settle_conflicts(before: Mapping[str, Any], after: Record) -> Record:
    """``after`` without the conflict entries of the fields an edit changed from ``before``: setting
    (or unsetting) a field in conflict settles it (``record`` entries stay)."""
    entries = after.get(CONFLICTS)
    if not isinstance(entries, list) or entries != before.get(CONFLICTS):
        return after  # no conflicts, or the edit set them itself

    def edited(entry: Any) -> bool:
        name = entry.get("field") if isinstance(entry, dict) else None
        return isinstance(name, str) and name != WHOLE_RECORD and before.get(name, _ABSENT) != after.get(
            name, _ABSENT)

    kept = [e for e in entries if not edited(e)]
    if len(kept) == len(entries):
        return after
    settled = dict(after)
    if kept:
        settled[CONFLICTS] = kept
    else:
        settled.pop(CONFLICTS)
    return settled
