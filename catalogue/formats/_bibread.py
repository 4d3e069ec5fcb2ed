"""Reading BibTeX/biblatex files into entries: bibtexparser splits, this module fills its gaps.

bibtexparser 2.1 (run with an empty parse stack, so values stay raw) finds the
blocks; here ``@string`` macros are resolved case-insensitively, including ``#``
concatenation and macros defined by other macros (upstream #396), month macros
are known, and ``crossref``/``xdata`` fields are inherited (cycles stop, never loop).
Values stay LaTeX; ``_latex.decode`` turns them into text later.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November",
    "dec": "December",
}
_NUMBER = re.compile(r"^\d+$")
# Entry types that hold data for other entries, never records of their own.
_DATA_ONLY = frozenset({"xdata", "set"})
# Fields a child inherits from its crossref parent under another name (biblatex's defaults).
_PARENT_TITLE_AS = {"title": "booktitle", "subtitle": "booksubtitle", "shorttitle": ""}


@dataclass
class BibEntry:
    """One entry: type and field names in lower case, values as resolved LaTeX."""

    entry_type: str
    key: str
    fields: dict[str, str]
    line: int
    warnings: list[str] = field(default_factory=list)


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
    macros: dict[str, str] = dict(MONTH_MACROS)
    entries: list[BibEntry] = []
    problems: list[str] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock) and block.ignore_error_block is not None:
            block = block.ignore_error_block
        if isinstance(block, model.String):
            value, missing = _resolve(str(block.value), macros)
            macros[str(block.key).lower()] = value
            problems.extend(
                f"{source}:{line}: @string {block.key} uses undefined macro {m!r}" for m in missing
            )
        elif isinstance(block, model.Entry):
            entry = BibEntry(str(block.entry_type).lower(), str(block.key), {}, line)
            fields = entry.fields
            for fld in block.fields:
                value, missing = _resolve(str(fld.value), macros)
                fields[str(fld.key).lower()] = value
                if missing:
                    entry.warnings.extend(
                        f"{source}:{(fld.start_line or 0) + 1}: macro {m!r} is undefined; kept as text"
                        for m in missing
                    )
            entries.append(entry)
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(f"{source}:{line}: {_failure(block)}")
    _inherit(entries)
    return [e for e in entries if e.entry_type not in _DATA_ONLY], problems


def _failure(block: object) -> str:
    raw = str(getattr(block, "raw", "") or "")
    head = raw.lstrip().split("{", 1)[0].split("(", 1)[0].strip() or "block"
    error = getattr(block, "error", None)
    lines = str(getattr(error, "abort_reason", "") or error or "").strip().splitlines()
    reason = lines[-1].strip().rstrip(".") if lines else "it does not follow BibTeX syntax"
    return f"the {head} entry cannot be read, check its braces and quotes ({reason})"


def _resolve(raw: str, macros: dict[str, str]) -> tuple[str, list[str]]:
    """A raw value (``{…}``, ``"…"``, a number, a macro, or pieces joined by ``#``) as one text."""
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and "#" not in raw:
        return raw[1:-1], []
    out: list[str] = []
    missing: list[str] = []
    for piece in _pieces(raw):
        if piece.startswith(("{", '"')):
            out.append(piece[1:-1])
        elif _NUMBER.match(piece):
            out.append(piece)
        elif piece:
            value = macros.get(piece.lower())
            if value is None:
                missing.append(piece)
                value = piece
            out.append(value)
    return "".join(out), missing


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


def _inherit(entries: list[BibEntry]) -> None:
    """Copy missing fields from ``crossref`` and ``xdata`` parents, parents first; cycles stop."""
    by_key = {e.key.lower(): e for e in entries}
    done: set[str] = set()

    def resolve(entry: BibEntry, visiting: set[str]) -> None:
        key = entry.key.lower()
        if key in done:
            return
        if key in visiting:
            entry.warnings.append(f"line {entry.line}: crossref/xdata of {entry.key!r} loops; stopped")
            return
        visiting.add(key)
        parents = [p.strip() for p in entry.fields.get("xdata", "").split(",") if p.strip()]
        if entry.fields.get("crossref"):
            parents.append(entry.fields["crossref"].strip())
        for parent_key in parents:
            parent = by_key.get(parent_key.lower())
            if parent is None:
                continue
            resolve(parent, visiting)
            for name, value in parent.fields.items():
                if name in ("crossref", "xdata", "ids"):
                    continue
                target = name
                if name in _PARENT_TITLE_AS and parent.entry_type not in _DATA_ONLY:
                    target = _PARENT_TITLE_AS[name]
                if target and target not in entry.fields:
                    entry.fields[target] = value
        visiting.discard(key)
        done.add(key)

    for entry in entries:
        resolve(entry, set())
