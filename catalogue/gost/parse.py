"""Reading a GOST 7.1 bibliographic description of a book or brochure into a record.

The form is the one of Russian library cards and printed bibliographies, in
English or Russian::

    Ovsyannikov I. A. Why Socialism? — М., 2006. — 36 с.
    Hands off education! / Ed. I. A. Ovsyannikov, S. A. Kozlovsky. — Yaroslavl—Moscow, 2005. — 47 с.
    Овсянников И. А. Почему социализм? : ответы / под ред. С. А. Козловского. — М. : Прогресс, 2006. — 36 с.

Areas are separated by ``. — `` (or `` — ``); the first is the title area
(heading names, title, `` / `` statement of responsibility), then come
publication (places, publisher, year), extent (pages), series and ISBN.
Nothing is invented: what cannot be placed is returned beside the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalogue.errors import InvalidData
from catalogue.gost.responsibility import parse_heading, parse_responsibility
from catalogue.model.record import FIRST_YEAR, Record, join_places, next_year

DEFAULT_LANGUAGE = "ru"
BOOK_MIN_PAGES = 49  # UNESCO: a book has 49 pages or more, a pamphlet fewer


class NotAGostDescription(InvalidData):
    """The text is not a bibliographic description at all (no title, or nothing after it)."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        shown = text if len(text) <= 60 else text[:57] + "..."
        super().__init__(f"{shown!r} is not a GOST description: {reason}")


@dataclass
class GostParse:
    """A parsed description: the record, the parts that found no field, and guesses made."""

    record: Record
    unplaced: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)


# ". — ", " — ", " – ", " -- ", ". - " between areas; a dash without spaces ("Yaroslavl—Moscow",
# "27—27 February") is part of the text.
_AREA_SEPARATOR = re.compile(r"\.?\s+(?:[—–]|--)\s+|\.\s+-\s+")
_YEAR = r"(?:\[?(?:c|cop\.|©|ок\.|ca\.)\s*)?\[?(\d{4})\??\]?"
_PUBLICATION = re.compile(
    rf"^(?:(?P<where>.*?)\s*,\s*)?(?:{_YEAR}(?:\s*[—–-]\s*(?P<last>\d{{4}}))?|(?P<undated>\[(?:б\.\s*г|s\.\s*a|n\.\s*d)\.\]))\.?$",
    re.IGNORECASE,
)
_PAGES = re.compile(
    r"^(?:\[\d+\]\s*,\s*)?(?:[IVXLCM]+\s*,\s*)?(\d+)(?:\s*,\s*\[\d+\])?\s*(?:с|c|p|pp|S|стр|л)\.?(?:\s*:\s*(.+))?$"
)
_ISBN = re.compile(r"^ISBN\s+([0-9Xx-]{10,17})\.?$", re.IGNORECASE)
_EDITION = re.compile(r"^(\d+)(?:-?е|-?e|st|nd|rd|th)\s+(?:изд|ed)[\w.]*(?:\s.*)?$", re.IGNORECASE)
_MATERIAL = re.compile(r"\s*\[(?:Текст|Text|Электронный ресурс|Electronic resource)\]", re.IGNORECASE)
_NO_PLACE = re.compile(r"^\[?(?:б\.\s*м|s\.\s*l)\.\]?$", re.IGNORECASE)
_NO_PUBLISHER = re.compile(r"^\[?(?:б\.\s*и|s\.\s*n)\.\]?$", re.IGNORECASE)
_QUOTED = re.compile(r'^(?:"([^"]+)"|«([^»]+)»|“([^”]+)”)$')

# A part of a title that ends in one of these before ". " is an abbreviation, not the title proper.
_ABBREVIATIONS = frozenset({
    "st", "dr", "mr", "mrs", "ms", "vs", "vol", "no", "etc", "т", "г", "гг", "им", "св",
})


def parse_gost_line(text: str, *, language: str | None = DEFAULT_LANGUAGE) -> GostParse:
    """Read one GOST 7.1 description; ``NotAGostDescription`` if the text is not one at all."""
    line = " ".join(text.replace("\u00a0", " ").split())
    if not line:
        raise NotAGostDescription(text, "the line is empty")
    areas = [a.strip() for a in _AREA_SEPARATOR.split(line)]
    result = GostParse(record={})
    record = result.record
    title_areas = [areas[0]]
    recognised = False
    for area in areas[1:]:
        if not area:
            continue
        if _read_area(area, record, result.unplaced):
            recognised = True
        elif recognised:
            result.unplaced.append(area[:-1] if area.endswith(").") else area)
        else:  # a dash inside the title: "Russia — the revolution. — М., 2006"
            title_areas.append(area)
    if not recognised:
        raise NotAGostDescription(text, "no place, year or page count after the title")
    after_title, result.unplaced = result.unplaced, []
    _read_title_area(" — ".join(title_areas), record, result)
    result.unplaced.extend(after_title)  # in the order of the line
    if not record.get("title"):
        raise NotAGostDescription(text, "there is no title")
    pages = record.get("number-of-pages")
    record["type"] = "pamphlet" if isinstance(pages, int) and pages < BOOK_MIN_PAGES else "book"
    if language:
        record["language"] = language
    return result


def _read_area(area: str, record: Record, unplaced: list[str]) -> bool:
    """Put one area after the title into the record; False if it is not one the parser knows."""
    if "issued" not in record and "publisher-place" not in record:
        match = _PUBLICATION.match(area)
        if match:
            _read_publication(match, record, unplaced)
            return True
    match = _PAGES.match(area)
    if match and "number-of-pages" not in record and int(match.group(1)) > 0:
        record["number-of-pages"] = int(match.group(1))
        if match.group(2):
            unplaced.append(match.group(2))
        return True
    match = _ISBN.match(area)
    if match and "ISBN" not in record:
        record["ISBN"] = match.group(1)
        return True
    match = _EDITION.match(area)
    if match and "edition" not in record and "issued" not in record:
        record["edition"] = int(match.group(1))
        return True
    return False


def _read_publication(match: re.Match[str], record: Record, unplaced: list[str]) -> None:
    year, last = match.group(2), match.group("last")
    if year and not FIRST_YEAR <= int(year) <= next_year():  # 0000, 9999: a number, not a year
        unplaced.append(year)
    elif year:
        dates = [[int(year)]]
        if last and last != year:
            if int(year) < int(last) <= next_year():
                dates.append([int(last)])
            else:
                unplaced.append(last)
        record["issued"] = {"date-parts": dates}
    places: list[str] = []
    publishers: list[str] = []
    for segment in re.split(r"\s*;\s*", match.group("where") or ""):
        where, colon, publisher = segment.partition(":")
        for place in re.split(r"\s*[—–]\s*", where.strip()):
            if place and not _NO_PLACE.match(place):
                places.append(place)  # as the source gives it: the place authority knows М. is Moscow
        publisher = publisher.strip()
        if colon and publisher and not _NO_PUBLISHER.match(publisher):
            quoted = _QUOTED.match(publisher)
            publishers.append(next(g for g in quoted.groups() if g) if quoted else publisher)
    if places:
        record["publisher-place"] = join_places(places)
    if publishers:
        record["publisher"] = "; ".join(publishers)


def _read_title_area(area: str, record: Record, result: GostParse) -> None:
    authors, rest = parse_heading(area)
    title, slash, responsibility = rest.partition(" / ")
    if not slash and rest.endswith(" /"):
        title = rest[:-2]
    title = _MATERIAL.sub("", title).strip()
    title, equals, parallel = title.partition(" = ")
    if equals and parallel.strip():
        result.unplaced.append("= " + parallel.strip())
    title = re.sub(r"\s+:\s+", ": ", title.strip())
    if title.endswith(" :"):
        title = title[:-2]
    if responsibility.strip():
        found = parse_responsibility(responsibility, authors, result.unplaced, result.guesses)
        record.update(found.roles)
        if found.translated_from:
            record["note"] = f"Translated from {found.translated_from}."
    elif authors:
        record["author"] = authors
    if title:
        record["title"] = title
        short = title_proper(title)
        if short:
            record["title-short"] = short


def title_proper(title: str) -> str | None:
    """The title without its other-title parts, when the title has such parts and it can tell."""
    match = re.search(r"(?<=[^\s.])([.:?!])\s+(?=\S)", title)
    if not match:
        return None
    mark = match.group(1)
    head = title[: match.start()] + (mark if mark in "?!" else "")
    head = head.strip()
    last_word = re.split(r"\s+", head)[-1].lower()
    if (
        not re.search(r"[^\W\d_]", head)  # "1968": a number alone is not a title proper
        or _QUOTED.match(head)  # '"Socialist Resistance"': a name set apart, not a title
        or len(last_word) == 1 or last_word in _ABBREVIATIONS
    ):
        return None
    return head
