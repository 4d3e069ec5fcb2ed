"""RIS (``TY  - BOOK`` … ``ER  -``): for EndNote, Zotero, Mendeley and library systems.

Tags: TY type, ID key, AU/ED/A4 authors, editors (and compilers), translators,
TI/ST/T2 titles, PY year, DA full date (``1998///2007`` keeps the end of a range
in the free part), CY place, PB publisher, SP/EP pages (SP alone is the page count
of a book or pamphlet), LA, N1, KW per tag, M3 genre, DO, UR, SN, AB, VL, IS, ET.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, exporter, importer
from catalogue.formats._values import whole_number
from catalogue.model.record import Record

EXPORT_TYPES = {
    "book": "BOOK", "pamphlet": "PAMP", "periodical": "NEWS", "article-newspaper": "NEWS",
    "article-journal": "JOUR", "article-magazine": "MGZN", "chapter": "CHAP", "thesis": "THES",
    "report": "RPRT", "paper-conference": "CPAPER", "webpage": "ELEC", "manuscript": "UNPB",
    "dataset": "DATA", "software": "COMP", "patent": "PAT", "map": "MAP", "collection": "EDBOOK",
}
IMPORT_TYPES = {v: k for k, v in EXPORT_TYPES.items()} | {
    "JFULL": "periodical", "CONF": "paper-conference", "WEB": "webpage", "ICOMM": "webpage",
    "EBOOK": "book", "ECHAP": "chapter", "GEN": "document", "STAND": "standard", "STAT": "legislation",
    "CASE": "legal_case", "BILL": "bill", "HEAR": "hearing", "ART": "graphic", "SOUND": "song",
    "VIDEO": "motion_picture", "MPCT": "motion_picture", "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary", "ABST": "article-journal", "INPR": "article-journal",
    "PRESS": "article-newspaper",
}
_NAME_TAGS = (("author", "AU"), ("editor", "ED"), ("compiler", "ED"), ("translator", "A4"))
_TEXT_TAGS = (
    ("title-short", "ST"), ("container-title", "T2"), ("publisher-place", "CY"), ("publisher", "PB"),
    ("volume", "VL"), ("issue", "IS"), ("edition", "ET"), ("language", "LA"), ("genre", "M3"),
    ("DOI", "DO"), ("URL", "UR"), ("ISBN", "SN"), ("abstract", "AB"), ("note", "N1"),
)
_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_PAGE_COUNT_TYPES = frozenset({"book", "pamphlet", "collection"})


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _name(name: dict[str, Any]) -> str:
    if "literal" in name:
        return _one_line(name["literal"])
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    parts = [family, name.get("given"), name.get("suffix")]
    while parts and not parts[-1]:
        parts.pop()
    return ", ".join(_one_line(p or "") for p in parts)


def _lines(record: Record) -> Iterator[str]:
    yield f"TY  - {EXPORT_TYPES.get(str(record.get('type')), 'GEN')}"
    yield f"ID  - {record['id']}"
    for role, tag in _NAME_TAGS:
        for name in record.get(role) or ():
            yield f"{tag}  - {_name(name)}"
    yield f"TI  - {_one_line(record.get('title', ''))}"
    parts = (record.get("issued") or {}).get("date-parts") or []
    if parts:
        first = parts[0]
        yield f"PY  - {first[0]}"
        if len(parts) == 2 or len(first) > 1:
            month = f"{first[1]:02d}" if len(first) > 1 else ""
            day = f"{first[2]:02d}" if len(first) > 2 else ""
            other = str(parts[1][0]) if len(parts) == 2 else ""
            yield f"DA  - {first[0]}/{month}/{day}/{other}"
    for field, tag in _TEXT_TAGS:
        if record.get(field) not in (None, ""):
            yield f"{tag}  - {_one_line(record[field])}"
    page, count = record.get("page"), record.get("number-of-pages")
    if page:
        pieces = re.split(r"\s*[-–—]+\s*", str(page), maxsplit=1)
        start, end = pieces[0], pieces[1] if len(pieces) > 1 else ""
        yield f"SP  - {_one_line(start)}"
        if end:
            yield f"EP  - {_one_line(end)}"
    elif count is not None:
        yield f"SP  - {count}"
    for tag in record.get("tags") or ():
        yield f"KW  - {_one_line(tag)}"
    yield "ER  - "


@exporter("ris", description="RIS tagged records (EndNote, Zotero, Mendeley)", extension="ris")
def export_ris(records: Iterable[Record]) -> str:
    return "".join("\n".join(_lines(r)) + "\n\n" for r in records)


@importer("ris", description="RIS tagged records", extension="ris")
def import_ris(text: str, source: str) -> list[Record]:
    records: list[Record] = []
    problems: list[str] = []
    # The lines of the record being read, each a tag and the pieces of its value: a wrapped
    # value's continuation lines are collected and joined once, at the end of the record.
    current: list[tuple[str, list[str]]] | None = None
    start = 0
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m is None:
            if current is not None and current:
                current[-1][1].append(line.strip())  # a wrapped value continues
            else:
                problems.append(f"{source}:{number}: expected a 'TY  - ' line, found {line[:40]!r}")
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                problems.append(f"{source}:{start}: the record has no 'ER  - ' line")
            current, start = [(tag, [value])], number
        elif current is None:
            problems.append(f"{source}:{number}: {tag} line outside a record (no 'TY  - ' before it)")
        elif tag == "ER":
            record = record_from_tags([(t, " ".join(p for p in pieces if p)) for t, pieces in current])
            record[LINE_KEY] = start
            records.append(record)
            current = None
        else:
            current.append((tag, [value]))
    if current is not None:
        problems.append(f"{source}:{start}: the record has no 'ER  - ' line")
    if problems:
        raise ParseError(problems, records)
    return records


def _parse_name(value: str) -> dict[str, Any]:
    if "," not in value:
        return {"family": value} if " " not in value else {"literal": value}
    family, given, *rest = [p.strip() for p in value.split(",")]
    name: dict[str, Any] = {"family": family}
    if given:
        name["given"] = given
    if rest and rest[0]:
        name["suffix"] = rest[0]
    return name


_IMPORT_TEXT = {tag: field for field, tag in _TEXT_TAGS} | {
    "T1": "title", "TI": "title", "CT": "title", "BT": "container-title", "JO": "container-title",
    "JF": "container-title", "J2": "container-title-short", "N2": "abstract", "AD": "publisher-place",
}
_ROLE_OF = {"AU": "author", "A1": "author", "ED": "editor", "A2": "editor", "A4": "translator"}


def record_from_tags(tags: list[tuple[str, str]]) -> Record:
    """A record from the ``(tag, value)`` lines of one RIS record."""
    record: Record = {"type": IMPORT_TYPES.get(tags[0][1].upper(), "document")}
    keywords: list[str] = []
    start = end = ""
    years: list[str] = []
    for tag, value in tags[1:]:
        if not value:
            continue
        if tag == "ID":
            record["id"] = value
        elif tag in _ROLE_OF:
            record.setdefault(_ROLE_OF[tag], []).append(_parse_name(value))
        elif tag in ("PY", "Y1", "DA"):
            years.append(value)
        elif tag == "SP":
            start = value
        elif tag == "EP":
            end = value
        elif tag == "KW":
            keywords.extend(k.strip() for k in value.split(";") if k.strip())
        elif tag in _IMPORT_TEXT:
            record.setdefault(_IMPORT_TEXT[tag], value)
    if record["type"] == "article-newspaper" and "container-title" not in record:
        record["type"] = "periodical"  # NEWS without a newspaper title is the newspaper itself
    issued = _issued(years)
    if issued:
        record["issued"] = issued
    count = whole_number(start) if start and not end and record["type"] in _PAGE_COUNT_TYPES else None
    if count:
        record["number-of-pages"] = count
    elif start:
        record["page"] = f"{start}-{end}" if end else start
    if keywords:
        record["tags"] = list(dict.fromkeys(keywords))
    return record


def _issued(values: list[str]) -> dict[str, Any] | None:
    """A date from PY (``2006``) and DA (``2007/10//``, ``1998///2007``); the fullest wins."""
    best: list[list[int]] = []
    for value in values:
        pieces = [*value.split("/"), "", "", ""][:4]
        year = re.match(r"[0-9]{4}", pieces[0].strip())
        if not year:
            continue
        date = [int(year.group(0))]
        month, day = whole_number(pieces[1]), whole_number(pieces[2])
        if month is not None and 1 <= month <= 12:
            date.append(month)
            if day is not None and 1 <= day <= 31:
                date.append(day)
        parts = [date]
        end = re.fullmatch(r"[0-9]{4}", pieces[3].strip())
        if end and len(date) == 1:
            parts.append([int(end.group(0))])
        if sum(map(len, parts)) > sum(map(len, best)):
            best = parts
    return {"date-parts": best} if best else None
