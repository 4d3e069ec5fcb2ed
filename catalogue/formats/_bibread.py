"""Reading BibTeX/biblatex files into entries: bibtexparser splits, this module fills its gaps.

bibtexparser 2.1 (run with an empty parse stack, so values stay raw) finds the
blocks; here ``@string`` macros are resolved case-insensitively, including ``#``
concatenation and macros defined by other macros (upstream #396), month macros
are known, and ``crossref``/``xdata`` fields are inherited (cycles stop, never loop).
Values stay LaTeX; ``_latex.decode`` turns them into text later.

Bounds, so that no file can make the reader run out of time or memory:

- a value, once its macros are expanded, holds at most ``MAX_VALUE_CHARS``
  (100,000, the longest text a record may hold) characters, and macro expansion adds at most
  ``MAX_EXPANSION_CHARS`` (10,000,000) characters to a whole file: a ``@string``
  that doubles at every step ("billion laughs") stops there with a problem
  naming its line, and the macro stays undefined;
- a ``crossref``/``xdata`` chain is followed ``MAX_CROSSREF_DEPTH`` (64)
  parents deep, without recursion; a deeper chain or a loop is a warning;
- inheritance copies at most ``MAX_EXPANSION_CHARS`` characters into a file's
  entries (one long field inherited by thousands of children would otherwise
  make a catalogue thousands of times the file); past that it stops, with a problem.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November",
    "dec": "December",
}
MAX_VALUE_CHARS = 100_000
MAX_EXPANSION_CHARS = 10_000_000
MAX_CROSSREF_DEPTH = 64
_NUMBER = re.compile(r"^[0-9]+$")
# Entry types that hold data for other entries, never records of their own.
_DATA_ONLY = frozenset({"xdata", "set"})
# Fields a child inherits from its crossref parent under another name (biblatex's defaults).
_PARENT_TITLE_AS = {"title": "booktitle", "subtitle": "booksubtitle", "shorttitle": ""}


@dataclass(eq=False)  # entries are told apart by identity: two may hold the same fields
class BibEntry:
    """One entry: type and field names in lower case, values as resolved LaTeX."""

    entry_type: str
    key: str
    fields: dict[str, str]
    line: int
    warnings: list[str] = field(default_factory=list)
    # Parents left out of inheritance (a loop or a chain too deep), so they are not copied.
    skipped_parents: list[BibEntry] = field(default_factory=list, repr=False)
    incomplete: bool = False  # inheritance stopped at its bound before this entry got its fields


def read_entries(text: str, source: str) -> tuple[list[BibEntry], list[str]]:
    """The entries of a BibTeX/biblatex file and the problems (``file:line: reason``) of the rest."""
    from bibtexparser import model
    from bibtexparser.entrypoint import parse_string

    # bibtexparser logs every failed block; the failures are reported here instead.
    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        library = parse_string(text, parse_stack=[])
    finally:
        log.setLevel(level)
    macros = _Macros()
    entries: list[BibEntry] = []
    problems: list[str] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock | model.DuplicateFieldKeyBlock) and (
            block.ignore_error_block is not None
        ):
            block = block.ignore_error_block  # a doubled field: _read_fields keeps the first, as biber does
        if isinstance(block, model.String):
            try:
                value, missing = macros.resolve(str(block.value))
            except _TooLarge as exc:
                problems.append(f"{source}:{line}: @string {block.key} {exc}; it is left undefined")
                continue
            macros.define(str(block.key), value)
            problems.extend(
                f"{source}:{line}: @string {block.key} uses undefined macro {m!r}" for m in missing
            )
        elif isinstance(block, model.Entry):
            entry = BibEntry(str(block.entry_type).lower(), str(block.key), {}, line)
            try:
                _read_fields(entry, block.fields, macros, source)
            except _TooLarge as exc:
                problems.append(f"{source}:{line}: entry {entry.key!r}: {exc}")
                continue
            entries.append(entry)
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(f"{source}:{line}: {_failure(block)}")
    _inherit(entries, source, problems)
    return [e for e in entries if e.entry_type not in _DATA_ONLY and not e.incomplete], problems


def _read_fields(entry: BibEntry, fields: list[Any], macros: _Macros, source: str) -> None:
    for fld in fields:
        name = str(fld.key).lower()
        if name in entry.fields:
            entry.warnings.append(
                f"{source}:{(fld.start_line or 0) + 1}: entry {entry.key!r} gives field {name!r} again;"
                " the first one is kept"
            )
            continue
        try:
            value, missing = macros.resolve(str(fld.value))
        except _TooLarge as exc:
            raise _TooLarge(f"field {name} {exc}") from None
        entry.fields[name] = value
        entry.warnings.extend(
            f"{source}:{(fld.start_line or 0) + 1}: macro {m!r} is undefined; kept as text" for m in missing
        )


class _TooLarge(Exception):
    """A value whose macros expand beyond the bounds; the message completes "X …"."""


class _Macros:
    """``@string`` macros by lower-case name, and what expanding them has cost so far."""

    def __init__(self) -> None:
        self.values: dict[str, str] = dict(MONTH_MACROS)
        self.expanded = 0  # characters expansion has added to the file

    def define(self, name: str, value: str) -> None:
        self.values[name.lower()] = value

    def resolve(self, raw: str) -> tuple[str, list[str]]:
        """A raw value (``{…}``, ``"…"``, a number, a macro, or pieces joined by ``#``) as one text."""
        raw = raw.strip()
        if raw.startswith("{") and raw.endswith("}") and "#" not in raw:
            return raw[1:-1], []
        out: list[str] = []
        missing: list[str] = []
        size = 0
        for piece in _pieces(raw):
            if piece.startswith(("{", '"')):
                value = piece[1:-1]
            elif _NUMBER.match(piece):
                value = piece
            elif piece:
                found = self.values.get(piece.lower())
                if found is None:
                    missing.append(piece)
                    found = piece
                value = found
            else:
                continue
            size += len(value)
            if size > MAX_VALUE_CHARS:
                raise _TooLarge(f"expands to more than {MAX_VALUE_CHARS:,} characters")
            out.append(value)
        self.expanded += max(0, size - len(raw))
        if self.expanded > MAX_EXPANSION_CHARS:
            raise _TooLarge(
                f"takes macro expansion in this file past {MAX_EXPANSION_CHARS:,} characters"
            )
        return "".join(out), missing


def _failure(block: object) -> str:
    raw = str(getattr(block, "raw", "") or "")
    head = raw.lstrip().split("{", 1)[0].split("(", 1)[0].strip() or "block"
    error = getattr(block, "error", None)
    lines = str(getattr(error, "abort_reason", "") or error or "").strip().splitlines()
    reason = lines[-1].strip().rstrip(".") if lines else "it does not follow BibTeX syntax"
    return f"the {head} entry cannot be read, check its braces and quotes ({reason})"


def _pieces(raw: str) -> list[str]:
    """Split a raw value on ``#`` outside braces and quotes."""
    if "#" not in raw:
        return [raw]
    pieces: list[str] = []
    depth, quoted, last = 0, False, 0
    i = -1
    while i + 1 < len(raw):
        i += 1
        c = raw[i]
        if c == "\\":
            i += 1  # an escaped character is never structure
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            pieces.append(raw[last:i].strip())
            last = i + 1
    pieces.append(raw[last:].strip())
    return pieces


def _inherit(entries: list[BibEntry], source: str, problems: list[str]) -> None:
    """Copy missing fields from ``crossref`` and ``xdata`` parents, parents first; loops stop.

    A depth-first walk with a stack of its own, so a chain of any length cannot
    exhaust Python's recursion limit.
    """
    by_key = {e.key.lower(): e for e in entries}
    done: set[int] = set()
    budget = [MAX_EXPANSION_CHARS]  # characters inheritance may still copy
    for root in entries:
        if id(root) in done:
            continue
        stack: list[tuple[BibEntry, list[BibEntry]]] = [(root, _parents(root, by_key, source))]
        on_stack = {id(root)}
        while stack:
            entry, pending = stack[-1]
            if pending:
                parent = pending.pop(0)
                if id(parent) in done:
                    continue
                if id(parent) in on_stack:
                    entry.warnings.append(
                        f"{source}:{entry.line}: crossref/xdata of {entry.key!r} leads back to "
                        f"{parent.key!r}; the loop is not followed"
                    )
                    _forget(entry, parent)
                elif len(stack) >= MAX_CROSSREF_DEPTH:
                    entry.warnings.append(
                        f"{source}:{entry.line}: the crossref/xdata chain above {entry.key!r} is more than "
                        f"{MAX_CROSSREF_DEPTH} entries deep; {parent.key!r} and beyond are not followed"
                    )
                    _forget(entry, parent)
                else:
                    stack.append((parent, _parents(parent, by_key, source)))
                    on_stack.add(id(parent))
                continue
            stack.pop()
            on_stack.discard(id(entry))
            done.add(id(entry))
            for parent in _parents(entry, by_key, source, warn=False):
                if budget[0] < 0:
                    entry.incomplete = True
                    continue
                budget[0] -= _copy_fields(parent, entry)
                if budget[0] < 0:
                    entry.incomplete = True
                    problems.append(
                        f"{source}:{entry.line}: crossref/xdata inheritance copies more than "
                        f"{MAX_EXPANSION_CHARS:,} characters into this file's entries; {entry.key!r} "
                        "and the entries inheriting after it are left out"
                    )


def _parents(entry: BibEntry, by_key: dict[str, BibEntry], source: str, warn: bool = True) -> list[BibEntry]:
    """The entries ``entry`` inherits from, xdata first and then crossref, in order."""
    keys = [p.strip() for p in entry.fields.get("xdata", "").split(",") if p.strip()]
    if entry.fields.get("crossref", "").strip():
        keys.append(entry.fields["crossref"].strip())
    parents = []
    for key in keys:
        parent = by_key.get(key.lower())
        if parent is entry:
            if warn:
                entry.warnings.append(
                    f"{source}:{entry.line}: {entry.key!r} names itself as its crossref/xdata; ignored"
                )
            continue
        if parent is not None and all(p is not parent for p in entry.skipped_parents):
            parents.append(parent)
    return parents


def _forget(entry: BibEntry, parent: BibEntry) -> None:
    entry.skipped_parents.append(parent)


# Fields that say one thing together: a child with any of a group inherits none of it
# (its own ``year`` wins over the parent's ``date``, its ``address`` over a ``location``).
_FIELD_GROUPS = (frozenset({"date", "year", "month", "day"}), frozenset({"location", "address"}))


def _copy_fields(parent: BibEntry, entry: BibEntry) -> int:
    """Copy the parent's fields the entry lacks; the number of characters copied."""
    copied = 0
    own = {name for group in _FIELD_GROUPS if group & entry.fields.keys() for name in group}
    for name, value in parent.fields.items():
        if name in ("crossref", "xdata", "ids") or name in own:
            continue
        target = name
        if name in _PARENT_TITLE_AS and parent.entry_type not in _DATA_ONLY:
            target = _PARENT_TITLE_AS[name]
        if target and target not in entry.fields:
            entry.fields[target] = value
            copied += len(value)
    return copied
