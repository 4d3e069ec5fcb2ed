"""The elements after the title of a GOST description, read from the end of a line.

GOST 7.1-2003 (4.1, 4.3) separates areas by ``. — ``; GOST R 7.0.5-2008 (4.4,
4.5) lets a reference list replace it by a plain full stop (``Анненков П. В.
Литературные воспоминания. СПб., 1909.``). Either way every element after the
title has a shape of its own, so they are taken one at a time from the end of
the text: the shortest tail after a separator that is a whole element of a kind
not yet taken. What is left is the title area (or the host's title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from catalogue.model.places import find_place
from catalogue.model.record import FIRST_YEAR, next_year

# Between elements: ". — " (GOST 7.1-2003 4.3), ". " (GOST R 7.0.5-2008 4.5) or ", " inside an area.
_BOUNDARY = re.compile(r"\.?\s+[—–]\s+|\.\s+-\s+|\s+-\s+|(?<=[^\s.])\.\s+|,\s+")
_INITIAL_BEFORE = re.compile(r"(?:^|[\s.])[A-ZА-ЯЁ]$")
_YEAR = r"\[?(?:c|cop\.|©|ок\.|ca\.)?\s*(\d{4})\??\]?"
_DASH = r"\s*[–—-]\s*"

_PAGE = re.compile(r"(?:[СсCc]|[Pp]p?|S)\.\s*([a-z]?\d+[a-zа-я]?(?:\s*[-–—]\s*[a-z]?\d+[a-zа-я]?)?)")
_EXTENT = re.compile(
    r"(?:\[\d+\]\s*,\s*)?(?:[IVXLCM]+\s*,\s*)?(\d+)(?:\s*,\s*\[\d+\])?\s*(?:с|c|p|pp|S|стр|л)\.?(?:\s*:\s*(.+))?"
)
_ISSUE = re.compile(r"(?:№№?|No\.|Nr\.|Iss\.)\s*(.+)")
_VOLUME = re.compile(r"(?:Тт?|T|Vol|vol|Bd)\.\s*([\dIVXLC]+(?:" + _DASH + r"\d+)?(?:\s*\([^)]*\))?)")
# A part's designation and title (7.1-2003 5.2.5) end before a statement of responsibility (" / ").
_PART = re.compile(r"((?:Вып|вып|Кн|кн|Ч|ч|Сб|сб|Pt|Iss|Part)\.\s*\S(?:(?! / ).)*)")
_YEARS = re.compile(rf"{_YEAR}(?:\s*г\.?)?(?:(?P<open>{_DASH}$)|{_DASH}(\d{{4}}))?")
_ISBN = re.compile(r"ISBN:?\s*([0-9Xx][0-9Xx-]{8,16}(?:\s*\([^)]*\))?(?:,\s*[0-9Xx-]{10,17})*)")
_DOI = re.compile(r"DOI:?\s*(10\.\S+)", re.IGNORECASE)
_EDITION = re.compile(
    r"(?:(\d+)-?е\s+изд\.?.*|Изд\.\s*(\d+)-?е.*|(\d+)(?:st|nd|rd|th)\s+ed\.?.*|\w*\s*изд\.?.*доп\.?)", re.I
)
# An edition statement that is its number alone, in the form socsopr writes it ("2-е изд.", "2nd ed."):
# read as the number; any other ("Изд. 2-е", "2-е изд., испр. и доп.") is kept as printed (7.1-2003 5.3).
_BARE_EDITION = r"\d+-?е\s+изд\.?|\d+(?:st|nd|rd|th)\s+ed\.?"
_SERIES = re.compile(r"\((.+)\)")
# "28 февр." / "28 Feb.": the day of a newspaper's issue (GOST 7.1-2003 7.1.7).
_MONTH_STEMS = (("янв", "jan"), ("фев", "feb"), ("мар", "mar"), ("апр", "apr"), ("ма[йя]", "may"),
                ("июн", "jun"), ("июл", "jul"), ("авг", "aug"), ("сен", "sep"), ("окт", "oct"),
                ("ноя", "nov"), ("дек", "dec"))
_DAY_MONTH = re.compile(r"(\d{1,2})\s+([A-Za-zА-Яа-яё]{3,9})\.?")
_PUBLICATION = re.compile(
    rf"(?P<where>[^:]+?)(?:\s*:\s*(?P<publisher>.+?))?,?\s+(?:{_YEAR}(?:\s*г\.)?(?:(?P<open>{_DASH}$)|"
    rf"{_DASH}(?P<last>\d{{4}}))?|(?P<undated>\[(?:б\.\s*г|s\.\s*a|n\.\s*d)\.\]))",
    re.IGNORECASE,
)
_NO_PLACE = re.compile(r"\[?(?:б\.\s*м|s\.\s*l)\.\]?", re.IGNORECASE)
_NO_PUBLISHER = re.compile(r"\[?(?:б\.\s*и|s\.\s*n)\.\]?", re.IGNORECASE)
_JOINT = re.compile(r"\s*;\s*|\s*[–—]\s*|(?<=\.)-|(?<=[а-яёa-z])-(?=[А-ЯЁA-Z][а-яёa-z]+$)|,\s+(?=[А-ЯЁA-Z])")
_ABBREVIATED_PLACE = re.compile(
    r"[A-ZА-ЯЁ][a-zа-яё]{0,3}\.|[A-ZА-ЯЁ][\w'-]+|Ростов н/Д|Н\. Новгород|\[[^\]]+\]"
)


@dataclass
class Elements:
    """What the tail of a description held, field by field (CSL names), and what was left."""

    fields: dict[str, Any] = field(default_factory=dict)
    rest: str = ""
    unplaced: list[str] = field(default_factory=list)


def plausible_place(text: str) -> bool:
    """A city as lists print it: one the place authority knows, ``М.``, one word, ``[б. м.]``, or
    up to three capitalised words that name no body (``New York``, ``Shelter Island``; not ``MIT
    Press``: 7.1-2003 5.7.7 gives the place as the source names it)."""
    text = text.strip()
    if find_place(text) or _ABBREVIATED_PLACE.fullmatch(text) or _NO_PLACE.fullmatch(text):
        return True
    return bool(_PLACE_WORDS.fullmatch(text)) and not _PUBLISHER_WORD.search(text)


_PLACE_WORDS = re.compile(r"[A-ZА-ЯЁ][\w'’-]+(?: [A-ZА-ЯЁ][\w'’-]+){1,2}")
# Words that make a name a publisher's (GOST 7.1-2003 5.7.9): "MIT Press", "Manning Publications".
_PUBLISHER_WORD = re.compile(
    r"\b(?:Press|Publish\w*|Publications|Books|Media|Verlag|Edition[s]?|Inc|Ltd|Co|University|Изд\w*|"
    r"Университет\w*|Наука|Academia)\b", re.IGNORECASE)


def split_places(where: str) -> list[str] | None:
    """``М.–Л.``, ``М. ; Л.``, ``Москва, Вологда``, ``Yaroslavl—Moscow`` into places; None if one is
    no place."""
    where = where.strip()
    halves = where.split("-")
    if len(halves) == 2 and any(find_place(h) for h in halves) and all(plausible_place(h) for h in halves):
        return halves
    if plausible_place(where):
        return [] if _NO_PLACE.fullmatch(where) else [where]
    parts = [p for p in _JOINT.split(where) if p and p.strip()]
    if len(parts) < 2 or not all(plausible_place(p) for p in parts):
        return None
    return [p.strip() for p in parts if not _NO_PLACE.fullmatch(p.strip())]


def _year_ok(year: str | None) -> bool:
    return year is not None and FIRST_YEAR <= int(year) <= next_year()


def _issued(first: str, last: str | None, open_end: bool) -> dict[str, Any] | None:
    if not _year_ok(first):
        return None
    dates = [[int(first)]]
    if last and last != first:
        if not _year_ok(last) or int(last) < int(first):
            return None
        dates.append([int(last)])
    return {"date-parts": dates, **({"open": True} if open_end else {})}


def read_element(text: str, taken: dict[str, Any], *, host: bool = False) -> dict[str, Any] | None:
    """The fields one element gives when ``text`` is wholly one (of a kind not yet taken), else None."""
    text = text.strip()
    if not text.endswith(("г.", " с.", " p.")):
        text = text.rstrip(".").strip()
    if not text:
        return None
    candidates: list[tuple[str, re.Pattern[str]]] = [
        ("page", _PAGE), ("ISBN", _ISBN), ("DOI", _DOI), ("number-of-pages", _EXTENT), ("issue", _ISSUE),
        ("volume", _VOLUME), ("part", _PART), ("issued", _YEARS), ("_day", _DAY_MONTH), ("edition", _EDITION),
        ("collection-title", _SERIES), ("publisher-place", _PUBLICATION),
    ]
    for name, pattern in candidates:
        if (name in taken and name != "issued") or (
                name == "publisher-place" and ("publisher-place" in taken or "issued" in taken)):
            continue
        match = pattern.fullmatch(text.rstrip(".") if name not in ("number-of-pages",) else text)
        if match is None and name == "number-of-pages":
            match = pattern.fullmatch(text.rstrip("."))
        if match is None:
            continue
        found = _fields_of(name, match, taken, host)
        if found is not None:
            return found
    return None


def _fields_of(name: str, match: re.Match[str], taken: dict[str, Any], host: bool) -> dict[str, Any] | None:
    if name == "page":
        return {"page": match.group(1)}
    if name == "number-of-pages":
        pages = int(match.group(1))
        if pages <= 0 or "page" in taken:
            return None
        found: dict[str, Any] = {"number-of-pages": pages}
        if match.group(2):
            found["_illustrations"] = match.group(2)
        return found
    if name == "issue":  # "№ 199 от 28 авг.": a month abbreviated by GOST 7.0.12 keeps its stop
        issue = match.group(1).strip()
        short_month = re.search(r"\s(?:янв|февр?|апр|авг|сент?|окт|нояб?|дек)$", issue)
        return {"issue": issue + "." if short_month else issue}
    if name == "volume":
        return {"volume": match.group(1).strip()}
    if name == "part":
        return {"part": match.group(1).strip()}
    if name == "issued":
        if "issued" in taken:  # "Литературный архив. 1953. № 4. М.–Л. : …, 1953": the issue's year
            # in its numbering (7.1-2003 7.2) repeats the imprint's and gives nothing new
            before = taken["issued"] if isinstance(taken["issued"], dict) else {}
            first = (before.get("date-parts") or [[None]])[0][:1]
            numbered = "issue" in taken or "volume" in taken
            return {} if numbered and first == [int(match.group(1))] else None
        issued = _issued(match.group(1), match.group(3), bool(match.group("open")))
        return {"issued": issued} if issued else None
    if name == "_day":
        word = match.group(2).lower()
        month = next((i for i, (ru, en) in enumerate(_MONTH_STEMS, 1) if re.match(ru + "|" + en, word)), None)
        day = int(match.group(1))
        return {"_day": (day, month)} if month and 1 <= day <= 31 and host else None
    if name == "ISBN":
        return {"ISBN": match.group(1)}
    if name == "DOI":
        return {"DOI": match.group(1)}
    if name == "edition":  # "2-е изд." is the number 2; "2-е изд., испр. и доп." as printed (7.1-2003 5.3)
        number = next((g for g in match.groups() if g), None)
        bare = re.fullmatch(_BARE_EDITION, match.group(0), re.I)
        if number and bare:
            return {"edition": int(number)}
        statement = match.group(0)  # its last abbreviation (GOST 7.0.12: "доп.", "перераб.") keeps its stop
        abbreviated = re.search(r"\b(?:доп|испр|перераб|изд|стер|ed|rev|enl)$", statement)
        return {"edition": statement + "." if abbreviated else statement}
    if name == "collection-title":
        return _series(match.group(1))
    return _publication(match)


def _series(text: str) -> dict[str, Any]:
    """``(Лит. наследство ; Т. 90)``: the series and its number (GOST 7.1-2003 5.6)."""
    title, semicolon, number = text.partition(";")
    found: dict[str, Any] = {"collection-title": title.strip()}
    if semicolon and number.strip():
        found["collection-number"] = number.strip()
    return found


def _publication(match: re.Match[str]) -> dict[str, Any] | None:
    """``Place ; Place : Publisher, Year`` (GOST 7.1-2003 5.4; places joined by `` ; ``)."""
    issued = None
    if not match.group("undated"):  # "[б. г.]"/"[s. a.]": no year, said so (GOST 7.1-2003 5.7.11)
        issued = _issued(match.group(3), match.group("last"), bool(match.group("open")))
        if issued is None:
            return None
    places: list[str] = []
    publishers: list[str] = []
    segments = re.split(r"\s*;\s*(?=[^;]*:)", match.group("where") + (
        " : " + match.group("publisher") if match.group("publisher") else ""))
    for segment in segments:
        where, colon, publisher = segment.partition(":")
        found = split_places(where)
        if found is None and not colon and len(segments) == 1 and _publisher_alone(where):
            found, colon, publisher = [], ":", where  # "MIT Press, 2014": no place given (7.1-2003 5.7.9)
        if found is None:
            return None
        places.extend(found)
        publisher = publisher.strip()
        if colon and publisher and not _NO_PUBLISHER.fullmatch(publisher):
            quoted = re.fullmatch(r'"([^"]+)"', publisher)
            publishers.append(quoted.group(1) if quoted else publisher)
    fields: dict[str, Any] = {"issued": issued} if issued else {"_undated": True}
    if places:
        fields["publisher-place"] = "; ".join(places)
    if publishers:
        fields["publisher"] = "; ".join(publishers)
    return fields


def _publisher_alone(text: str) -> bool:
    """A publisher's name standing without a place: a publisher's word (``MIT Press``) or a web
    address (``Teenage.by``)."""
    text = text.strip()
    if re.fullmatch(r"[\w-]+\.[a-z]{2,}", text):
        return True
    short = len(text.split()) <= 4 and not re.search(r"[.,]\s", text)
    return short and re.search(r"\b(?:Press|Publish\w*|Publications|Books|Verlag|Media)\b", text) is not None


def _boundaries(text: str) -> list[re.Match[str]]:
    """Where an element may begin: after a separator, never after an initial (``Л. Д. Френкель``)."""
    return [
        m for m in _BOUNDARY.finditer(text)
        if not (m.group().startswith(".") and _INITIAL_BEFORE.search(text[:m.start()]))
    ]


def _publication_from(text: str, taken: dict[str, Any]) -> dict[str, Any] | None:
    match = _PUBLICATION.fullmatch(text.strip().rstrip("."))
    return _publication(match) if match and "publisher-place" not in taken else None


def _take(result: Elements, found: dict[str, Any]) -> None:
    illustrations = found.pop("_illustrations", None)
    if illustrations:
        result.unplaced.append(illustrations)
    issued = found.get("issued")
    if isinstance(issued, dict) and issued.pop("open", False):
        result.fields["_open"] = True
    result.fields.update(found)


def read_area(text: str, result: Elements, *, host: bool = False) -> bool:
    """Put a whole area (``М. : Наука, 1985``) into ``result``; False when it is no element at all."""
    stripped = text.strip()
    found = _publication_from(stripped, result.fields) if "issued" not in result.fields else None
    found = found or read_element(stripped, result.fields, host=host)
    if found is None:
        inner = peel(stripped, host=host, taken=result.fields)
        first = read_element(inner.rest, {**result.fields, **inner.fields}, host=host) if inner.rest else None
        if first is not None:  # "Vol. 5, No. 3": the first element is the whole rest
            inner.fields.update(first)
            inner.rest = ""
        if inner.rest or not inner.fields:
            return False
        result.unplaced.extend(inner.unplaced)
        _take(result, inner.fields)
        return True
    _take(result, found)
    return True


def peel(text: str, *, host: bool = False, taken: dict[str, Any] | None = None, limit: int = 12) -> Elements:
    """Take recognised elements off the end of ``text`` until none is left there (see the module).

    A year alone is taken only when no longer tail is a whole publication area
    (``М., 1912`` is place and year, not a title ending in ``М.``).
    """
    result = Elements()
    known = dict(taken or {})
    rest = text.strip()
    for _ in range(limit):
        stripped = rest.rstrip()
        if stripped.endswith(".") and not re.search(r"(?:\bг|\b[сp]|\b[A-ZА-ЯЁ])\.$", stripped):
            stripped = stripped[:-1]
        boundaries = _boundaries(stripped)
        chosen: tuple[int, dict[str, Any]] | None = None
        for i in range(len(boundaries) - 1, -1, -1):
            tail = stripped[boundaries[i].end():]
            found = read_element(tail, {**known, **result.fields}, host=host)
            if found is None or "_day" in found:  # a day is an area of its own ("№ 104, 29 апреля": a number)
                continue
            start = boundaries[i].start()
            if set(found) == {"issued"} and "publisher-place" not in result.fields:
                for j in range(i - 1, max(-1, i - 8), -1):  # the longest tail that is a publication area
                    bigger = _publication_from(stripped[boundaries[j].end():], result.fields)
                    if bigger:
                        found, start = bigger, boundaries[j].start()
            chosen = (start, found)
            break
        if chosen is None:
            break
        rest = stripped[:chosen[0]]
        _take(result, chosen[1])
    result.rest = rest.strip()
    return result
