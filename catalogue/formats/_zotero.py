"""What Zotero's CSL-JSON importer keeps, and the ``note`` lines that carry the rest.

Facts from Zotero's own mapping (zotero-schema ``schema.json``: ``csl.types``,
``csl.names``, the fields of each item type; zotero/utilities
``itemFromCSLJSON``):

- a CSL type Zotero does not list (``pamphlet``, ``periodical``, ``collection``,
  ``classic`` …) becomes a Zotero "Document", which has no page count
  (``numPages``); a Zotero "Book" has the page count, publisher, place, author,
  editor, translator and contributor. Those types are written as CSL ``book``;
- ``number-of-pages`` is kept only by Book, Manuscript, Standard and Thesis;
- a CSL name variable Zotero does not map (``compiler``, ``curator``,
  ``editorial-director``, ``illustrator``) is dropped, person and all.

What Zotero would drop goes into leading ``note`` lines in the "cheater
syntax" Zotero keeps in its Extra field and citeproc-js (Zotero's engine) and
pandoc's citeproc read as CSL variables, printing the note without them:
``type: pamphlet``, ``compiler: Family || Given``, ``number-of-pages: 24``.
The variables themselves are written too, so a processor that reads CSL
1.0.2 directly needs no note lines; :func:`read_note_lines` reads the lines
back (from our files and from Zotero's own exports) without doubling anything.
"""

from __future__ import annotations

import re
from typing import Any

from catalogue.formats._values import whole_number
from catalogue.model.record import CSL_NAME_FIELDS, CSL_TYPES, Record

# CSL types Zotero turns into a Document, written as the CSL type of a Zotero Book.
ZOTERO_TYPE = {"pamphlet": "book", "periodical": "book", "collection": "book", "classic": "book"}
# CSL types whose Zotero item type has a page count (numPages).
_KEEPS_PAGE_COUNT = frozenset({"book", "manuscript", "standard", "thesis"})
# CSL name variables missing from Zotero's csl.names mapping.
_DROPPED_NAMES = ("compiler", "curator", "editorial-director", "illustrator")

_NOTE_LINE = re.compile(r"([a-z][a-z-]*): *(\S.*)")


def _name_text(name: dict[str, Any]) -> str:
    if "literal" in name:
        return " ".join(str(name["literal"]).split())
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    return " ".join(f"{family} || {given}".split()) if given else " ".join(family.split())


def _read_name(text: str) -> dict[str, Any]:
    family, bar, given = text.partition("||")
    if not bar:
        return {"literal": text.strip()}
    name = {"family": family.strip(), "given": given.strip()}
    return {k: v for k, v in name.items() if v} or {"literal": text.strip()}


def note_lines(record: Record, csl_type: str) -> list[str]:
    """The ``note`` lines that keep in Zotero what its CSL importer drops from this record."""
    lines = []
    get = record.get
    if csl_type != get("type"):
        lines.append(f"type: {get('type')}")
    for role in _DROPPED_NAMES:
        people = get(role)
        if people:
            lines += [f"{role}: {_name_text(n)}" for n in people if _name_text(n)]
    count = get("number-of-pages")
    if count is not None and csl_type not in _KEEPS_PAGE_COUNT:
        lines.append(f"number-of-pages: {count}")
    return lines


def read_note_lines(record: Record) -> None:
    """Take the leading ``variable: value`` lines out of ``record['note']`` into their fields.

    A name already in its variable (as our own export writes both) is not added
    twice; a line that is not a type, a name or a page count ends the reading, and
    it and the rest stay the note.
    """
    note = record.get("note")
    if not isinstance(note, str) or ":" not in note:
        return
    lines = note.split("\n")
    used = 0
    for line in lines:
        m = _NOTE_LINE.fullmatch(line.strip())
        if m is None:
            break
        variable, value = m.group(1), m.group(2).strip()
        if variable == "type" and value in CSL_TYPES:
            record["type"] = value
        elif variable in CSL_NAME_FIELDS:
            name = _read_name(value)
            people = record.setdefault(variable, [])
            if all(_name_text(p) != _name_text(name) for p in people if isinstance(p, dict)):
                people.append(name)
        elif variable == "number-of-pages" and whole_number(value):
            record.setdefault("number-of-pages", whole_number(value))
        else:
            break
        used += 1
    if used:
        rest = "\n".join(lines[used:])
        if rest.strip():
            record["note"] = rest
        else:
            del record["note"]
