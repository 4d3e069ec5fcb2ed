"""Flat tables of records: CSV (safe for spreadsheets), TSV and GitHub markdown."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from catalogue.formats import exporter
from catalogue.model.names import display_name
from catalogue.model.record import NAME_ROLES, Record, places, year_text

COLUMNS = ("key", "type", "names", "title", "year", "place", "publisher", "pages", "language", "tags")
ROLE_MARKS = {"author": "", "editor": " (ed.)", "compiler": " (comp.)", "translator": " (transl.)"}
# A spreadsheet runs a cell as a formula when it starts with one of these, and some trim leading
# blanks and control characters first; a tab or CR at the start is refused outright.
_FORMULA_CHARS = "=+-@"
_BLANKS = "".join(chr(c) for c in (*range(0x21), *range(0x7F, 0xA1))) + (
    "\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
    "\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u202f\u205f\u2060"
    "\u2066\u2067\u2068\u2069\u3000\ufeff"
)
_FORMULA_FIRST = frozenset(_FORMULA_CHARS)
_RISKY_FIRST = frozenset(_FORMULA_CHARS + _BLANKS)


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
        _year_text(get("issued"), record),
        _place_text(get("publisher-place")),
        str(get("publisher", "")),
        "" if pages is None else str(pages),
        str(get("language", "")),
        ", ".join(tags) if tags else "",
    ]


def _year_text(issued: object, record: Record) -> str:
    """``year_text``, with the common case (one date) read directly."""
    if type(issued) is dict:
        parts = issued.get("date-parts")
        if type(parts) is list and len(parts) == 1:
            first = parts[0]
            if type(first) is list and first and type(first[0]) is int:
                return str(first[0])
    return year_text(record)


def _place_text(place: object) -> str:
    if not place:
        return ""
    text = str(place)
    return text if ";" not in text else "; ".join(places({"publisher-place": text}))


def _one_line(value: str) -> str:
    """The cell on one line: each run of blanks holding a tab, CR or LF becomes one space."""
    return " ".join(value.split()) if ("\t" in value or "\n" in value or "\r" in value) else value


def spreadsheet_safe(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (CSV injection), with a leading ``'``.

    A cell is a formula when it starts with ``= + - @``, also after blanks or
    control characters (which spreadsheets may trim), or starts with a tab or CR.
    """
    if value[:1] not in _RISKY_FIRST:  # nearly every cell
        return value
    rest = value.lstrip(_BLANKS)
    lead = value[:len(value) - len(rest)]
    if rest[:1] in _FORMULA_FIRST or "\t" in lead or "\r" in lead:
        return "'" + value
    return value


@exporter("csv", description="one row per record, comma-separated, safe for spreadsheets", extension="csv")
def export_csv(records: Iterable[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # the csv module quotes a cell holding LF (the line end) but not one holding a bare CR, at
    # which a spreadsheet starts a new row: rows with a CR are written with every cell quoted
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for record in records:
        cells = [spreadsheet_safe(cell) for cell in row(record)]
        (quoted if "\r" in "".join(cells) else writer).writerow(cells)
    return out.getvalue()


# in TSV text: a cell after the first of its line that may need ``spreadsheet_safe`` (a literal tab first,
# so the search skips from tab to tab), and the first cell of a line after the first
_RISKY_CLASS = "[" + re.escape(_FORMULA_CHARS + _BLANKS.replace("\t", "").replace("\n", "")) + "]"
_TSV_RISKY_CELL = re.compile("\t" + _RISKY_CLASS)
_TSV_RISKY_LINE = re.compile("\n" + _RISKY_CLASS)


@exporter("tsv", description="one row per record, tab-separated, for pipes and awk", extension="tsv")
def export_tsv(records: Iterable[Record]) -> str:
    """TSV: a cell never holds a tab, CR or LF (blanks around them become a space) nor starts a formula."""
    lines = ["\t".join(COLUMNS)]
    separators = len(COLUMNS) - 1
    for record in records:
        line = "\t".join(row(record))
        if line.count("\t") != separators or "\n" in line or "\r" in line:  # rare: a break inside a cell
            line = "\t".join(_one_line(c) for c in row(record))
        lines.append(line)
    text = "\n".join(lines) + "\n"
    # a cell a spreadsheet could run, looked for once over the whole text (rare: then cell by cell)
    if _TSV_RISKY_CELL.search(text) or _TSV_RISKY_LINE.search(text):
        text = "\n".join("\t".join(map(spreadsheet_safe, line.split("\t"))) for line in lines) + "\n"
    return text


def _markdown_cell(value: str) -> str:
    value = _one_line(value).replace("\\", "\\\\").replace("|", "\\|")
    return value.replace("<", "&lt;").replace(">", "&gt;")


@exporter("markdown", description="a table that renders on GitHub", extension="md")
def export_markdown(records: Iterable[Record]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines.extend("| " + " | ".join(_markdown_cell(c) for c in row(r)) + " |" for r in records)
    return "\n".join(lines) + "\n"
