"""The change history kept beside the catalogue file, so every change can be undone.

Each entry holds what one command replaced (``before``) and what it wrote
(``after``), per key; ``None`` means "no record".  The history lives in its own
file (``<name>.history.json``) so that the catalogue file itself stays a clean,
mergeable list of records for git.  It is written before the catalogue file: a
process killed between the two leaves an entry whose ``before`` is still the
current state, which ``undo`` recognises and drops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogue.model.record import Record
from catalogue.store.files import atomic_write
from catalogue.store.layout import dump_document, load_document

FORMAT = "socsopr-history"
ENTRIES = "entries"
MAX_ENTRIES = 100


@dataclass(frozen=True)
class Change:
    """One command's change: when, which command, and each key's state before and after."""

    number: int
    time: str
    command: str
    before: dict[str, Record | None] = field(default_factory=dict)
    after: dict[str, Record | None] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return sorted(set(self.before) | set(self.after))

    def counts(self) -> dict[str, int]:
        """How many records the change added, changed and removed."""
        added = sum(1 for k in self.keys if self.before.get(k) is None)
        removed = sum(1 for k in self.keys if self.after.get(k) is None)
        return {"added": added, "changed": len(self.keys) - added - removed, "removed": removed}

    def to_json(self) -> dict[str, Any]:
        return {
            "after": self.after, "before": self.before, "command": self.command,
            "number": self.number, "time": self.time,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(
            number=int(data["number"]), time=str(data["time"]), command=str(data["command"]),
            before=dict(data.get("before") or {}), after=dict(data.get("after") or {}),
        )


def history_path(catalogue_path: Path) -> Path:
    """``catalogue.json`` -> ``catalogue.history.json`` in the same folder."""
    return catalogue_path.with_name(catalogue_path.stem + ".history.json")


def read_history(catalogue_path: Path) -> list[Change]:
    """The changes of a catalogue, oldest first; none when there is no history file."""
    path = history_path(catalogue_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    entries = load_document(path, data, FORMAT, ENTRIES)
    from catalogue.errors import CorruptStore

    try:
        return [Change.from_json(e) for e in entries]
    except (TypeError, KeyError, ValueError):
        raise CorruptStore(path, "holds a malformed history entry; the file was left untouched") from None


def write_history(catalogue_path: Path, changes: list[Change]) -> None:
    """Replace the history file atomically, keeping the newest ``MAX_ENTRIES`` changes."""
    kept = changes[-MAX_ENTRIES:]
    atomic_write(history_path(catalogue_path), dump_document(FORMAT, ENTRIES, [c.to_json() for c in kept]))
