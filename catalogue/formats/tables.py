"""Flat tables of records: CSV (safe for spreadsheets), TSV and GitHub markdown."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from catalogue.formats import exporter
from catalogue.model.names import display_name
from catalogue.model.record import NAME_ROLES, Record, places, year_text

COLUMNS = ("key", "type", "names", "title", "year", "place", "publisher", "pages", "language", "tags")
ROLE_MARKS = {"author": "", "editor": " (ed.)", "compiler": " (comp.)", "translator": " (transl.)"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def names_text(record: Record) -> str:
    """All names of a record in one cell: ``Ovsyannikov I. A.; Kozlovsky S. A. (ed.)``."""
    parts: list[str] = []
    get = record.get
    for role in NAME_ROLES:  # plain loops: this runs for every row of every table
        people = get(role)
        if people:
            mark = ROLE_MARKS[role]
            for name in people:
                parts.append(display_name(name) + mark if mark else display_name(name))
    return "; ".join(parts)


def row(record: Record) -> list[str]:
    """The fixed columns of one record, as text."""
    get = record.get
    pages = get("number-of-pages")
    tags = get("tags")
    return [
        str(get("id", "")),
        str(get("type", "")),
        names_text(record),
        str(get("title", "")),
        year_text(record),
        _place_text(get("publisher-place")),
        str(get("publisher", "")),
        "" if pages is None else str(pages),
        str(get("language", "")),
        ", ".join(tags) if tags else "",
    ]


def _place_text(place: object) -> str:
    if not place:
        return ""
    text = str(place)
    return text if ";" not in text else "; ".join(places({"publisher-place": text}))


def _one_line(value: str) -> str:
    return " ".join(value.split()) if ("\t" in value or "\n" in value or "\r" in value) else value


def spreadsheet_safe(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


@exporter("csv", description="one row per record, comma-separated, safe for spreadsheets", extension="csv")
def export_csv(records: Iterable[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([spreadsheet_safe(cell) for cell in row(record)])
    return out.getvalue()


@exporter("tsv", description="one row per record, tab-separated, for pipes and awk", extension="tsv")
def export_tsv(records: Iterable[Record]) -> str:
    lines = ["\t".join(COLUMNS)]
    separators = len(COLUMNS) - 1
    for record in records:
        line = "\t".join(row(record))
        if line.count("\t") != separators or "\n" in line or "\r" in line:  # rare: breaks inside a cell
            line = "\t".join(_one_line(c) for c in row(record))
        lines.append(line)
    return "\n".join(lines) + "\n"


def _markdown_cell(value: str) -> str:
    value = _one_line(value).replace("\\", "\\\\").replace("|", "\\|")
    return value.replace("<", "&lt;").replace(">", "&gt;")


@exporter("markdown", description="a table that renders on GitHub", extension="md")
def export_markdown(records: Iterable[Record]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines.extend("| " + " | ".join(_markdown_cell(c) for c in row(r)) + " |" for r in records)
    return "\n".join(lines) + "\n"
