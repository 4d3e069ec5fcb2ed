"""A record written back as the GOST line ``parse_gost_line`` reads: shown while a record is built.

Deliberately plain (the heading names, title, responsibility, places, publisher,
year, pages), so that ``parse_gost_line(gost_preview(r))`` gives ``r`` back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogue.model import places, year_range
from catalogue.names import format_gost, format_gost_inverted
from catalogue.translit import has_cyrillic

# The reverse of gost_parse.PLACE_ABBREVIATIONS for the places a bibliography abbreviates.
_ABBREVIATED = {"Moscow": "М.", "Saint Petersburg": "СПб.", "Leningrad": "Л."}
_LABELS = {
    False: {"editor": "Ed.", "compiler": "Comp.", "translator": "Transl.", "pages": "p."},
    True: {"editor": "под ред.", "compiler": "сост.", "translator": "пер.", "pages": "с."},
}
MAX_HEADING_AUTHORS = 3  # GOST 7.1: up to three authors head the description


def gost_preview(record: Mapping[str, Any]) -> str:
    """The record as one GOST 7.1 line; empty parts are left out."""
    russian = has_cyrillic(str(record.get("title", "")))
    labels = _LABELS[russian]
    authors = list(record.get("author") or ())
    title_area = str(record.get("title", "")).replace(": ", " : ")
    statements = []
    if 0 < len(authors) <= MAX_HEADING_AUTHORS and not any("literal" in a for a in authors):
        title_area = ", ".join(format_gost(a) for a in authors) + " " + title_area
    elif authors:
        statements.append(", ".join(format_gost_inverted(a) for a in authors))
    for role in ("editor", "compiler", "translator"):
        people = record.get(role)
        if people:  # Russian role words take the genitive, which is not written here
            statements.append(f"{labels[role]} " + ", ".join(format_gost_inverted(p) for p in people))
    if statements:
        title_area += " / " + " ; ".join(statements)
    areas = [title_area]
    publication = " ; ".join(_ABBREVIATED.get(p, p) for p in places(record))
    if record.get("publisher"):
        publication = f"{publication or '[б. м.]'} : {record['publisher']}"
    span = year_range(record)
    if span:
        years = str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"
        publication = f"{publication}, {years}" if publication else years
    elif publication:
        publication += ", [б. г.]"
    if publication:
        areas.append(publication)
    if record.get("number-of-pages"):
        pages = _LABELS[russian or record.get("language") == "ru"]["pages"]
        areas.append(f"{record['number-of-pages']} {pages}")
    line = areas[0]
    for area in areas[1:]:
        line += (" — " if line.endswith((".", "?", "!")) else ". — ") + area
    return line
