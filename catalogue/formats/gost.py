"""GOST 7.1 / 7.0.100 reference lists: one description per entry, as bibliographies print them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, WARNINGS_KEY, exporter, importer
from catalogue.model.record import Record

# A list number or bullet before a description: "12. ", "3) ", "[4] ", "- ", "– ", "— ", "• ", "* ".
# A number has at most three digits, so "1968. Revolution month" keeps its year.
_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|\[\d{1,3}\]|[-*•–—·▪])\s+")
# A line that cannot begin a description: it goes on with the one before (a wrapped line).
_CONTINUES = re.compile(
    r"^\s*(?:[a-zа-яё]|[—–-]\s|//|/\s|[:;,.)]|\d+\s*(?:с|p|pp|S)\.|(?:URL|Режим|С\.|P\.|№|Т\.)\s?)"
)
# ... unless the small letter begins a heading's surname particle ("van der Berg, J.", "de Souza, A.").
_PARTICLE_HEADING = re.compile(r"^\s*(?:(?:van|von|der|den|de|del|della|di|da|dos|du|la|le|ten|ter|zu)\s+)+"
                               r"[A-ZÀ-ÞА-ЯЁ][^,\s]*,\s")
# A line that ends inside an area: the description goes on in the next line.
_OPEN_END = re.compile(r"(?:[—–:;,/-]|//|\b(?:и|and|of|the|в|на|с|к|по|для))\s*$")


def entries(text: str) -> Iterator[tuple[int, str]]:
    """``(first line number, description)`` of a printed list: markers taken off, wrapped lines joined.

    In a list whose entries are numbered or bulleted (half of its lines or more start with
    a marker), a line without a marker goes on with the entry before, and so does one that
    starts with a dash unless the list's entries are dashed. Otherwise a line goes on with
    the one before when it cannot begin a description (a small letter, a dash, ``//``,
    ``С. 5``…) or the line before ends inside an area (a dash, a colon, a comma). A blank
    line ends an entry.
    """
    lines = text.splitlines()
    kinds = [_marker_kind(line) for line in lines if line.strip()]
    found = [k for k in kinds if k]
    kind = max(set(found), key=found.count) if found and len(found) * 2 >= len(kinds) > 1 else None
    start, parts = 0, list[str]()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            if parts:
                yield start, " ".join(parts)
            start, parts = 0, []
            continue
        body = _MARKER.sub("", line, count=1).strip()
        if kind:  # a dash starts an entry only in a list of dashes: elsewhere it is "— М., 2006" wrapped
            mark = _marker_kind(line)
            goes_on = bool(parts) and (mark is None or (mark in "—–-" and mark != kind))
        else:
            small_start = bool(_CONTINUES.match(line)) and not _PARTICLE_HEADING.match(line)
            goes_on = bool(parts) and (small_start or bool(_OPEN_END.search(parts[-1])))
        if goes_on:
            parts.append(line.strip())
            continue
        if parts:
            yield start, " ".join(parts)
        start, parts = number, [body]
    if parts:
        yield start, " ".join(parts)


def _marker_kind(line: str) -> str | None:
    """``1`` for a numbered entry, the bullet itself for a bulleted one, None without a marker."""
    found = _MARKER.match(line)
    if not found:
        return None
    mark = found.group().strip()
    return "1" if mark[0].isdigit() or mark.startswith("[") else mark


@importer("gost", description="GOST 7.1 / 7.0.100 reference lists (numbers, bullets, wrapped lines)",
          extension="txt")
def import_gost(text: str, source: str) -> list[Record]:
    """Records from a GOST list (``entries``); an entry that is not a description is a problem.

    What a line holds that no field takes is kept in the record's note, so nothing of
    the source is lost silently, and named in a warning (``import --strict`` refuses it).
    """
    from catalogue.gost.parse import NotAGostDescription, parse_gost_line

    records: list[Record] = []
    problems: list[str] = []
    for number, line in entries(text):
        try:
            parsed = parse_gost_line(line)
        except NotAGostDescription as exc:
            problems.append(f"{source}:{number}: {exc.reason}")
            continue
        record = parsed.record
        if parsed.unplaced:
            unplaced = "; ".join(parsed.unplaced).rstrip(".")
            left = f"Not placed in any field: {unplaced}."
            record["note"] = f"{record['note']} {left}" if record.get("note") else left
            record[WARNINGS_KEY] = [f"{source}:{number}: not placed in any field: {unplaced}"]
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
