"""GOST 7.1 catalogue lines: one description of a book or brochure per line."""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, exporter, importer
from catalogue.model.record import Record

# A list bullet or number before a description: "- ", "* ", "• ", "— ", "12. ", "3) ".
_BULLET = re.compile(r"^\s*(?:[-*•–—]|\d{1,3}[.)])\s+")


@importer("gost", description="GOST 7.1 descriptions, one per line (list bullets allowed)", extension="txt")
def import_gost(text: str, source: str) -> list[Record]:
    """Records from GOST lines; blank lines are skipped, a line that is not a description is a problem.

    What a line holds that no field takes is kept in the record's note, so
    nothing of the source is lost silently.
    """
    from catalogue.gost.parse import NotAGostDescription, parse_gost_line

    records: list[Record] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            parsed = parse_gost_line(_BULLET.sub("", line, count=1))
        except NotAGostDescription as exc:
            problems.append(f"{source}:{number}: {exc.reason}")
            continue
        record = parsed.record
        if parsed.unplaced:
            left = "Not placed in any field: " + "; ".join(parsed.unplaced).rstrip(".") + "."
            record["note"] = f"{record['note']} {left}" if record.get("note") else left
        record[LINE_KEY] = number
        records.append(record)
    if problems:
        raise ParseError(problems, records)
    return records


@exporter("gost", description="GOST 7.1 descriptions in English, one per line", extension="txt")
def export_gost(records: Iterable[Record]) -> str:
    """One description per line (no numbers), alphabetical as a GOST list is; see catalogue.gost.render."""
    from catalogue.gost.render import render_all

    return "".join(line + "\n" for line in render_all(records, "en"))


@exporter("gost-ru", description="GOST 7.1 descriptions in Russian form (М., с., под ред.), one per line",
          extension="txt")
def export_gost_ru(records: Iterable[Record]) -> str:
    """As ``gost``, with the Russian abbreviations and terms."""
    from catalogue.gost.render import render_all

    return "".join(line + "\n" for line in render_all(records, "ru"))
