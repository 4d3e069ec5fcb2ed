"""The change history: a journal beside the catalogue file that cannot disagree with it.

Every change is one line of ``NAME.history`` (``catalogue.json`` →
``catalogue.json.history``), appended and synced *before* the catalogue file
is replaced, and naming the state of the file it starts from (``base``) and
the state it leaves (``hash``): the file's length with an XXH3-128 checksum of its
bytes. Replacing the catalogue file is the one moment a change happens, so:

- a line whose ``hash`` is the file's state, and every line before it, happened;
- lines after it never landed (the writer was killed or the disk filled up
  between the two writes): they are ignored and the next write drops them;
- a file whose state no line names was changed outside socsopr (by hand, by
  git, from a backup, or the history belongs to another file): the history is
  still listed, but nothing is undone, because undo could not restore what it
  names.

An undo is a line too (``kind: undo``), so undoing is itself recorded and
committed the same way. A redo is a change line like any other (so undoing it
is an ordinary undo, and an older socsopr reads it as a change) whose head
names the change it re-applies (``redo: N``): it takes that change off the
list of undone changes instead of clearing the list as a new change does.
A line is ``HEAD<TAB>BODY``: the head (number, time, command, counts, keys,
states) is read to list and check the history, the body (each key's record
before and after) only to undo (or redo) that change.

Size policy: the journal keeps the newest ``MAX_CHANGES`` changes within
``MAX_BYTES``; when a write would pass either, the journal is rewritten with
the newest changes that fit (the newest one always stays, however large, so
an import can be undone; so does the change an undo takes back, so that a
batch edit of 100,000 records can be redone) and the header counts what was dropped.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from catalogue.errors import CorruptStore, StoreError
from catalogue.model.record import Record
from catalogue.store.files import atomic_write

if TYPE_CHECKING:
    from catalogue.model.authority import Authority

FORMAT = "socsopr-history"
VERSION = 2
MAX_CHANGES = 100  # lines: a change or an undo
MAX_BYTES = 64 * 1024 * 1024
SUFFIX = ".history"


# --- states and paths ------------------------------------------------------------------


def state_of(pieces: Iterable[bytes | memoryview]) -> str:
    """The state of a file's bytes (given whole or in pieces): its length and XXH3-128 checksum, as text.

    A fast non-cryptographic checksum (a save hashes the file before and after,
    so it must cost little next to writing it): this tells versions of one file
    apart, it does not resist forgery (undo checks the records themselves as well).
    """
    import xxhash

    digest = xxhash.xxh3_128()
    length = 0
    for piece in pieces:
        digest.update(piece)
        length += len(piece)
    return f"{length:x}-{digest.hexdigest()}"


def history_path(catalogue_path: Path) -> Path:
    """``catalogue.json`` → ``catalogue.json.history`` in the same folder (one per file name)."""
    return catalogue_path.with_name(catalogue_path.name + SUFFIX)


def legacy_history_path(catalogue_path: Path) -> Path:
    """Where socsopr 0.1 kept the history of ``NAME.json``: ``NAME.history.json``."""
    return catalogue_path.with_name(catalogue_path.stem + ".history.json")


# --- changes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One command's change: when, which command, which keys, and the file states around it.

    ``before``/``after`` (each key's record, ``None`` for "no record") are read
    from the journal only when asked for.
    """

    number: int
    time: str
    command: str
    keys: list[str]
    counts_: tuple[int, int, int] = (0, 0, 0)
    base: str | None = None
    hash: str | None = None
    _body: Callable[[], tuple[dict[str, Record | None], dict[str, Record | None]]] | None = field(
        default=None, repr=False, compare=False
    )
    authorities: tuple[str, ...] = ()  # ids of the authorities the change touched (not counted above)
    _names: Callable[[], tuple[dict[str, Authority | None], dict[str, Authority | None]]] | None = field(
        default=None, repr=False, compare=False
    )
    redoes: int | None = None  # the number of the undone change this one re-applies (a redo)

    @classmethod
    def of(
        cls, number: int, time: str, command: str,
        before: Mapping[str, Record | None], after: Mapping[str, Record | None],
        base: str | None = None, hash: str | None = None,
        names_before: Mapping[str, Authority | None] | None = None,
        names_after: Mapping[str, Authority | None] | None = None,
    ) -> Change:
        keys = sorted(set(before) | set(after))
        added = sum(1 for k in keys if before.get(k) is None)
        removed = sum(1 for k in keys if after.get(k) is None)
        body = (dict(before), dict(after))
        names = (dict(names_before or {}), dict(names_after or {}))
        return cls(number, time, command, keys, (added, len(keys) - added - removed, removed), base, hash,
                   lambda: body, tuple(sorted(set(names[0]) | set(names[1]))), lambda: names)

    @property
    def names_before(self) -> dict[str, Authority | None]:
        """Each touched authority as it was before (``None``: there was none)."""
        return self._names()[0] if self._names is not None else {}

    @property
    def names_after(self) -> dict[str, Authority | None]:
        """Each touched authority as the change left it (``None``: removed)."""
        return self._names()[1] if self._names is not None else {}

    @property
    def before(self) -> dict[str, Record | None]:
        return self._records()[0]

    @property
    def after(self) -> dict[str, Record | None]:
        return self._records()[1]

    def _records(self) -> tuple[dict[str, Record | None], dict[str, Record | None]]:
        if self._body is None:
            return {}, {}
        return self._body()

    def counts(self) -> dict[str, int]:
        """How many records the change added, changed and removed."""
        added, changed, removed = self.counts_
        return {"added": added, "changed": changed, "removed": removed}

    def head(self, kind: str = "change") -> dict[str, Any]:
        added, changed, removed = self.counts_
        head = {"added": added, "base": self.base, "changed": changed, "command": self.command,
                "hash": self.hash, "keys": self.keys, "kind": kind, "number": self.number,
                "removed": removed, "time": self.time}
        if self.authorities:  # only then: a change of records alone is written as before authorities
            head["authorities"] = list(self.authorities)
        if self.redoes is not None:
            head["redo"] = self.redoes
        return dict(sorted(head.items()))


class Line(NamedTuple):
    """One line of the journal: its head, and where its body lies in the file's bytes."""

    head: dict[str, Any]
    raw: bytes  # the whole line, newline included, for copying it on a rewrite
    body: tuple[int, int]

    @property
    def kind(self) -> str:
        return str(self.head.get("kind"))

    @property
    def hash(self) -> str | None:
        value = self.head.get("hash")
        return value if isinstance(value, str) else None


@dataclass
class History:
    """The journal of one catalogue file, read, and resolved against the file's current state."""

    path: Path
    data: bytes = b""
    lines: list[Line] = field(default_factory=list)
    dropped: int = 0
    torn: bool = False  # the last line was cut short (a writer killed while appending)
    legacy: bool = False  # read from socsopr 0.1's history file; rewritten on the next write
    landed: int = 0  # how many lines happened (the rest never landed)
    detached: bool = False  # the file's state is named by no line: changed outside socsopr

    # --- reading -------------------------------------------------------------------

    @classmethod
    def read(cls, catalogue_path: Path, state: str | None) -> History:
        """The history of the catalogue at ``catalogue_path``, resolved against its ``state``.

        ``state`` ``None`` (not known) takes every line as landed.
        """
        path = history_path(catalogue_path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            legacy = _read_legacy(catalogue_path, path)
            if legacy is None:
                return cls(path)
            legacy._resolve(state)
            return legacy
        except IsADirectoryError:
            raise StoreError(path, "is a folder, not the catalogue's history file") from None
        except OSError as exc:
            raise StoreError(path, f"cannot be read ({exc.strerror or exc})") from None
        history = cls._parse(path, data)
        history._resolve(state)
        return history

    @classmethod
    def _parse(cls, path: Path, data: bytes) -> History:
        end = data.find(b"\n")
        header = _loads(data[:end]) if end >= 0 else None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise CorruptStore(path, "is not a socsopr history file; it was left untouched (move it away "
                               "to start a new history)")
        version = header.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise CorruptStore(path, f"was written by a newer socsopr (history version {version!r}); "
                               "upgrade socsopr to use it")
        dropped = header.get("dropped")
        history = cls(path, data, dropped=dropped if isinstance(dropped, int) and dropped >= 0 else 0)
        pos = end + 1
        while pos < len(data):
            nl = data.find(b"\n", pos)
            if nl < 0:  # no newline: the append was cut short
                history.torn = True
                break
            tab = data.find(b"\t", pos, nl)
            head = _loads(data[pos:tab]) if tab >= 0 else None
            if not _valid_head(head):
                history.torn = nl + 1 >= len(data)
                if history.torn:
                    break
                line_number = data.count(b"\n", 0, pos) + 1
                raise CorruptStore(path, f"has a damaged entry at line {line_number}; it was left untouched "
                                   "(move it away to start a new history)")
            assert isinstance(head, dict)
            history.lines.append(Line(head, data[pos:nl + 1], (tab + 1, nl)))
            pos = nl + 1
        return history

    def _resolve(self, state: str | None) -> None:
        """Find which lines happened: up to the last one that names the file's current state."""
        if state is None or not self.lines:
            self.landed = len(self.lines)
            return
        for i in range(len(self.lines) - 1, -1, -1):
            if self.lines[i].hash == state:
                self.landed = i + 1
                return
        if self.legacy:  # 0.1 recorded no states: trusted as it was, undo compares records
            self.landed = len(self.lines)
            return
        self.landed = len(self.lines)
        self.detached = True

    def names(self, state: str) -> bool:
        """Whether a line that happened names ``state``: a file in that state is as socsopr wrote it."""
        return any(line.hash == state for line in self.lines[:self.landed])

    # --- the changes that can be undone ---------------------------------------------

    def changes(self) -> list[Change]:
        """The changes that happened and are not undone, oldest first."""
        return self._stacks()[0]

    def undone(self) -> list[Change]:
        """The undone changes a redo can re-apply, the one undone last at the end; a new change
        (other than a redo) empties the list."""
        return self._stacks()[1]

    def _stacks(self) -> tuple[list[Change], list[Change]]:
        done: list[Change] = []
        undone: list[Change] = []
        for line in self.lines[: self.landed]:
            if line.kind == "undo":
                if done and done[-1].number == line.head.get("number"):
                    undone.append(done.pop())
                continue
            redoes = line.head.get("redo")
            if isinstance(redoes, int) and undone and undone[-1].number == redoes:
                undone.pop()
            else:
                undone.clear()
            done.append(self._change(line))
        return done, undone

    def next_number(self) -> int:
        numbers = [int(line.head["number"]) for line in self.lines[: self.landed]]
        return max(numbers, default=self.dropped) + 1

    def _change(self, line: Line) -> Change:
        head = line.head
        start, end = line.body
        # the body is parsed once, when first asked for: a batch edit's holds 200,000 records, and
        # undo reads both sides and the authorities several times
        read: dict[str, Any] = {}

        def loaded() -> Any:
            if "body" not in read:
                read["body"] = _loads(self.data[start:end])
            return read["body"]

        def body() -> tuple[dict[str, Record | None], dict[str, Record | None]]:
            if "records" not in read:
                read["records"] = _body(self.path, b"", head, loaded=loaded())
            return read["records"]  # type: ignore[no-any-return]

        def names() -> tuple[dict[str, Authority | None], dict[str, Authority | None]]:
            if "authorities" not in read:
                read["authorities"] = _body(self.path, b"", head, "authorities", loaded=loaded())
            return read["authorities"]  # type: ignore[no-any-return]

        return Change(
            number=int(head["number"]), time=str(head["time"]), command=str(head["command"]),
            keys=[str(k) for k in head["keys"]],
            counts_=(int(head["added"]), int(head["changed"]), int(head["removed"])),
            base=head.get("base"), hash=head.get("hash"), _body=body,
            authorities=tuple(head.get("authorities", ())), _names=names,
            redoes=head["redo"] if isinstance(head.get("redo"), int) else None,
        )

    # --- writing ---------------------------------------------------------------------

    def append(self, change: Change, kind: str = "change") -> None:
        """Record a change (or an undo) before the catalogue file is replaced; synced to disk.

        Appends one line, or rewrites the journal when it must drop lines that
        never landed, convert a 0.1 history, or keep within the size policy.
        """
        line = _line(change, kind)
        kept = self.lines[: self.landed]
        needs_rewrite = (
            self.legacy or self.torn or self.landed < len(self.lines) or not self.data
            or len(self.data) + len(line) > MAX_BYTES
            or len(kept) >= MAX_CHANGES
        )
        if not needs_rewrite:
            _append_synced(self.path, line)
            return
        lines = [ln.raw for ln in kept]
        dropped = self.dropped
        size = sum(map(len, lines))
        while lines and (len(lines) >= MAX_CHANGES or size + len(line) > MAX_BYTES):
            first = _loads(lines[0].split(b"\t", 1)[0])
            is_change = isinstance(first, dict) and first.get("kind") == "change"
            if kind == "undo" and is_change and first.get("number") == change.number:
                break  # the change this undo takes back stays, however large, so that it can be redone
            if is_change:
                dropped += 1
            size -= len(lines.pop(0))
        header = orjson.dumps({"dropped": dropped, "format": FORMAT, "version": VERSION}) + b"\n"
        atomic_write(self.path, [header, *lines, line])
        if self.legacy:
            with contextlib.suppress(OSError):
                os.replace(legacy_history_path(self.path.with_name(self.path.name[: -len(SUFFIX)])),
                           str(self.path) + ".0.1.bak")


def _line(change: Change, kind: str) -> bytes:
    before, after = (change.before, change.after) if kind == "change" else ({}, {})
    body: dict[str, Any] = {"after": after, "before": before}
    if kind == "change" and change.authorities:
        body = {"after": after, "authorities": {"after": change.names_after, "before": change.names_before},
                "before": before}
    return orjson.dumps(change.head(kind)) + b"\t" + orjson.dumps(body) + b"\n"


def _append_synced(path: Path, line: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, line) if len(line) < (1 << 20) else _write_all(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(path, f"cannot be written ({exc.strerror or exc}); the catalogue was left as it "
                         "was") from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _loads(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None


def _valid_head(head: Any) -> bool:
    if not isinstance(head, dict):
        return False
    kinds = {"change": True, "undo": True}
    return (
        head.get("kind") in kinds and isinstance(head.get("number"), int)
        and isinstance(head.get("time"), str) and isinstance(head.get("command"), str)
        and isinstance(head.get("keys"), list)
        and all(isinstance(k, str) for k in head["keys"])
        and all(isinstance(head.get(n), int) for n in ("added", "changed", "removed"))
        and all(head.get(s) is None or isinstance(head.get(s), str) for s in ("base", "hash"))
        and (isinstance(head.get("authorities", []), list)
             and all(isinstance(k, str) for k in head.get("authorities", [])))
        and (head.get("redo") is None or isinstance(head.get("redo"), int))
    )


def _body(path: Path, data: bytes, head: Mapping[str, Any], table: str = "records", *, loaded: Any = None,
          ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of one change, checked: objects keyed by the change's own keys (or, for the
    ``authorities`` table, by the authority ids it names). ``loaded``: ``data`` already parsed."""
    body = _loads(data) if loaded is None else loaded
    problem = CorruptStore(path, f"holds a damaged record of change #{head.get('number')}; nothing was "
                           "undone")
    if not isinstance(body, dict):
        raise problem
    keys = set(head["keys"])
    if table == "authorities":
        keys = set(head.get("authorities", ()))
        if not keys:
            return {}, {}
        body = body.get("authorities")
        if not isinstance(body, dict):
            raise problem
    sides = []
    for side in ("before", "after"):
        value = body.get(side)
        if not isinstance(value, dict) or not set(value) <= keys:
            raise problem
        if not all(v is None or (isinstance(v, dict) and v.get("id") == k) for k, v in value.items()):
            raise problem
        sides.append(value)
    return sides[0], sides[1]


def _read_legacy(catalogue_path: Path, path: Path) -> History | None:
    """socsopr 0.1's ``NAME.history.json`` (a JSON document) as a journal to be rewritten, if there is one."""
    if catalogue_path.suffix != ".json":
        return None  # 0.1 named the history by the stem: only NAME.json can claim it
    legacy = legacy_history_path(catalogue_path)
    try:
        data = legacy.read_bytes()
    except OSError:
        return None
    document = _loads(data)
    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(entries, list):
        return None
    history = History(path, legacy=True)
    blob = b""
    for entry in entries:
        try:
            change = Change.of(int(entry["number"]), str(entry["time"]), str(entry["command"]),
                               dict(entry.get("before") or {}), dict(entry.get("after") or {}))
        except (TypeError, KeyError, ValueError):
            raise CorruptStore(legacy, "holds a malformed history entry; it was left untouched") from None
        raw = _line(change, "change")
        tab = raw.index(b"\t")
        history.lines.append(Line(change.head(), raw, (len(blob) + tab + 1, len(blob) + len(raw) - 1)))
        blob += raw
    history.data = blob
    return history

