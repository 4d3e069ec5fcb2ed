"""What a complete GOST description of each kind of record needs (``socsopr check --gost``).

The elements are the obligatory ones of GOST 7.1-2003 (4.2) and GOST R 7.0.100-2018 (5.4) that a
record must hold for socsopr to write them; where the standards let a list leave one out
(the publisher of a book in the short form of GOST R 7.0.5-2008), it is still asked for, as
a description of the whole standard needs it. Each kind:

- **book, pamphlet** (7.1-2003 5.7, 5.8): place, publisher, year, extent (number of pages).
- **article in a journal or magazine** (7.1-2003 7.1.5, 7.1.7, 7.1.8): host title, year, number
  or volume, pages of the part.
- **article in a newspaper** (7.1-2003 7.1.7): host title, year, number or date.
- **chapter, paper in proceedings** (7.1-2003 7.1.5, 7.1.8): host title, place, year, pages.
- **serial as a whole** (7.1-2003 7.2): place, year(s).
- **thesis and its abstract** (7.1-2003 5.2.4 example, 7.0.100-2018 6.2.5): degree data as other
  title information (``дис. ... канд. ист. наук``), place, year, extent.
- **electronic resource** (7.0.100-2018 6.10; 7.1-2003 5.8): URL and the date it was accessed.
- **web page**: its URL and access date (above); **archival document**: where it is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogue.model.record import places, year_range

# Element -> (what a reader calls it, the CSL fields any one of which gives it).
ELEMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "place": ("the place of publication", ("publisher-place",)),
    "publisher": ("the publisher", ("publisher",)),
    "year": ("the year", ("issued",)),
    "extent": ("the number of pages", ("number-of-pages",)),
    "host": ("the title of the host (journal, newspaper, book)", ("container-title",)),
    "number": ("the number or volume of the issue", ("issue", "volume")),
    "pages": ("the pages of the part", ("page",)),
    "degree": ("the degree data (genre: дис. ... канд. ист. наук)", ("genre",)),
    "url": ("the URL", ("URL",)),
    "accessed": ("the date the resource was accessed", ("accessed",)),
    "archive": ("the archive or library that keeps it", ("archive",)),
}

# Kind of description -> the elements it needs; a CSL type -> its kind.
NEEDED: dict[str, tuple[str, ...]] = {
    "book": ("place", "publisher", "year", "extent"),
    "journal article": ("host", "year", "number", "pages"),
    "newspaper article": ("host", "year", "number"),
    "chapter": ("host", "place", "year", "pages"),
    "serial": ("place", "year"),
    "thesis": ("degree", "place", "year", "extent"),
    "web page": ("url",),
    "archival document": ("archive",),
}
KIND_OF_TYPE: dict[str, str] = {
    "book": "book", "pamphlet": "book", "report": "book",
    "article-journal": "journal article", "article-magazine": "journal article",
    "article-newspaper": "newspaper article",
    "chapter": "chapter", "paper-conference": "chapter", "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter",
    "periodical": "serial", "thesis": "thesis", "webpage": "web page", "post-weblog": "web page",
    "manuscript": "archival document",
}


def description_kind(record: Mapping[str, Any]) -> str | None:
    """The kind of GOST description a record gets (a key of ``NEEDED``), None for a kind it lacks."""
    return KIND_OF_TYPE.get(str(record.get("type", "")))


def _has(record: Mapping[str, Any], element: str) -> bool:
    if element == "place":
        return bool(places(record))
    if element == "year":
        return year_range(record) is not None
    return any(record.get(name) not in (None, "", [], {}) for name in ELEMENTS[element][1])


def missing_elements(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(element, sentence)`` for every element the record's description lacks (see the module)."""
    kind = description_kind(record)
    needed = list(NEEDED.get(kind, ())) if kind else []
    if record.get("URL") or kind == "web page":  # an electronic resource: URL and access date
        needed += [e for e in ("url", "accessed") if e not in needed]
    what = kind or "record"
    what = f"{'an' if what[0] in 'aeiou' else 'a'} {what}"
    missing = []
    for element in needed:
        if not _has(record, element):
            label, fields = ELEMENTS[element]
            sentence = f"{what} needs {label} ({' or '.join(fields)}) for a complete GOST description"
            missing.append((element, sentence))
    return missing
