"""RIS (``TY  - BOOK`` … ``ER  -``): for EndNote, Zotero, Mendeley and library systems.

Written as the RIS specification (Reference Manager's) says: CRLF line ends, a
six-character tag (``XX  - ``) per line, ``ID`` only for a key the specification
allows there (at most 20 letters and digits); every key is also written as ``LB``
(EndNote's Label, which its BibTeX output uses as the citation key) and read back
from there first, so keys like ``maier1872trud_i_kapital_perevod`` survive.

Tags: TY type (a whole newspaper or journal run is ``JFULL``, "journal (full)";
``NEWS`` is a newspaper article), AU/ED/A4 authors, editors, translators;
compilers are written ``ED`` (RIS has no compiler role; EndNote, Zotero and
Mendeley keep the person as an editor) and named again in ``C8  - compiler: …``,
which socsopr reads back as the role (Zotero keeps an unknown tag as a child
note, EndNote as Custom 8; neither prints it). TI/ST/T2/T3 titles, PY year, DA
full date (``1998///2007`` keeps the end of a range in the free part), CY place,
PB publisher, SP/EP pages (SP alone is a page count except for articles, chapters
and entries, as Zotero reads it), NV volumes, LA (BCP 47), N1 the public note
(the curator's remarks are never written: EndNote prints N1), KW per tag, M3 genre,
DO, UR, SN (ISSN of serials, else ISBN), AB, VL, IS, ET.

Import reads tags with one or two spaces before the dash (``TY - JOUR``, as
Zotero does), CRLF, LF or CR line ends, a byte-order mark, and normalises LA
(``Russian``, ``rus`` → ``ru``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, WARNINGS_KEY, exporter, importer
from catalogue.formats._memo import memo_name, memo_text
from catalogue.formats._values import shown, whole_number
from catalogue.model.languages import to_bcp47
from catalogue.model.record import OPEN_END, Record

EXPORT_TYPES = {
    "book": "BOOK", "pamphlet": "PAMP", "periodical": "JFULL", "article-newspaper": "NEWS",
    "article-journal": "JOUR", "article-magazine": "MGZN", "chapter": "CHAP", "thesis": "THES",
    "report": "RPRT", "paper-conference": "CPAPER", "webpage": "ELEC", "manuscript": "UNPB",
    "dataset": "DATA", "software": "COMP", "patent": "PAT", "map": "MAP", "collection": "EDBOOK",
}
IMPORT_TYPES = {v: k for k, v in EXPORT_TYPES.items()} | {
    "SER": "book", "MANSCPT": "manuscript", "CONF": "paper-conference", "WEB": "webpage", "ICOMM": "webpage",
    "EBOOK": "book", "ECHAP": "chapter", "GEN": "document", "STAND": "standard", "STAT": "legislation",
    "CASE": "legal_case", "BILL": "bill", "HEAR": "hearing", "ART": "graphic", "SOUND": "song",
    "VIDEO": "motion_picture", "MPCT": "motion_picture", "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary", "ABST": "article-journal", "INPR": "article-journal",
    "PRESS": "article-newspaper",
}
_NAME_TAGS = (("author", "AU"), ("editor", "ED"), ("compiler", "ED"), ("translator", "A4"))
_TEXT_TAGS = (
    ("title-short", "ST"), ("container-title", "T2"), ("collection-title", "T3"),
    ("publisher-place", "CY"), ("publisher", "PB"), ("volume", "VL"), ("issue", "IS"),
    ("number-of-volumes", "NV"), ("edition", "ET"), ("genre", "M3"), ("DOI", "DO"), ("URL", "UR"),
    ("abstract", "AB"), ("note", "N1"),
)
# One or two spaces before the dash: the specification says two, Zotero and others read one.
_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")
_LINE_END = re.compile(r"\r\n|\r|\n")
# Types whose SP is where the text starts in a larger work: a lone SP is that page, not a count.
_PAGE_RANGE_TYPES = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "chapter", "entry",
    "entry-dictionary", "entry-encyclopedia", "paper-conference",
})
# Types whose SN is an ISSN.
_SERIAL_TYPES = frozenset({"periodical", "article-journal", "article-magazine", "article-newspaper"})
# The specification's reference ID: letters and digits, at most 20.
_RIS_ID = re.compile(r"[A-Za-z0-9]{1,20}")
_COMPILER_MARK = "compiler: "


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _name(name: dict[str, Any]) -> str:
    if "literal" in name:
        return _one_line(name["literal"])
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    parts = [family, given, name.get("suffix")]
    while parts and not parts[-1]:
        parts.pop()
    return ", ".join(_one_line(p or "") for p in parts)


# names, places and languages recur: each distinct one is written once per export
_name_line = memo_name(_name)
_language = memo_text(lambda language: to_bcp47(language) or _one_line(language))


def _write(record: Record, add: Callable[[str], None]) -> None:
    """Add the record's lines, each ending in CRLF, and the blank line after ``ER``."""
    get = record.get
    rtype = str(get("type"))
    add(f"TY  - {EXPORT_TYPES.get(rtype, 'GEN')}\r\n")
    key = str(record["id"])
    if _RIS_ID.fullmatch(key):
        add(f"ID  - {key}\r\n")
    add(f"LB  - {_one_line(key)}\r\n")
    for role, tag in _NAME_TAGS:
        people = get(role)
        if people:
            for name in people:
                add(f"{tag}  - {_name_line(name)}\r\n")
    for name in get("compiler") or ():
        add(f"C8  - {_COMPILER_MARK}{_name_line(name)}\r\n")
    add(f"TI  - {_one_line(get('title', ''))}\r\n")
    parts = (get("issued") or {}).get("date-parts") or []
    if parts:
        first = parts[0]
        add(f"PY  - {first[0]}\r\n")
        if len(parts) == 2 or len(first) > 1:
            month = f"{first[1]:02d}" if len(first) > 1 else ""
            day = f"{first[2]:02d}" if len(first) > 2 else ""
            # the free part: the end of a range, or "-" for a range still open ("2007/10//-")
            other = ("-" if parts[1] == OPEN_END else str(parts[1][0])) if len(parts) == 2 else ""
            add(f"DA  - {first[0]}/{month}/{day}/{other}\r\n")
    for field, tag in _TEXT_TAGS:
        value = get(field)
        if value is not None and value != "":
            add(f"{tag}  - {_one_line(value)}\r\n")
    language = get("language")
    if language:
        add(f"LA  - {_language(str(language))}\r\n")
    accessed = (get("accessed") or {}).get("date-parts") or []
    if accessed and accessed[0]:
        add("Y2  - " + "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(accessed[0])) + "/" * (
            4 - len(accessed[0][:3])) + "\r\n")
    numbers = ("ISSN", "ISBN") if rtype in _SERIAL_TYPES else ("ISBN", "ISSN")
    for field in numbers:  # the type's own first: Zotero keeps the first SN
        if get(field):
            add(f"SN  - {_one_line(record[field])}\r\n")
    page, count = get("page"), get("number-of-pages")
    if page:
        pieces = _PAGE_DASHES.split(str(page), maxsplit=1)
        start, end = pieces[0], pieces[1] if len(pieces) > 1 else ""
        add(f"SP  - {_one_line(start)}\r\n")
        if end:
            add(f"EP  - {_one_line(end)}\r\n")
    elif count is not None:
        add(f"SP  - {count}\r\n")
    for tag in get("tags") or ():
        add(f"KW  - {_one_line(tag)}\r\n")
    add("ER  - \r\n\r\n")


_PAGE_DASHES = re.compile(r"\s*[-–—]+\s*")


def record_text(record: Record) -> str:
    """One record's lines, ``TY`` to the blank line after ``ER``: an export is these, one after another."""
    lines: list[str] = []
    _write(record, lines.append)
    return "".join(lines)


@exporter("ris", description="RIS tagged records (EndNote, Zotero, Mendeley)", extension="ris")
def export_ris(records: Iterable[Record]) -> str:
    lines: list[str] = []
    add = lines.append
    for record in records:
        _write(record, add)
    return "".join(lines)


@importer("ris", description="RIS tagged records", extension="ris")
def import_ris(text: str, source: str) -> list[Record]:
    records: list[Record] = []
    problems: list[str] = []
    # The lines of the record being read, each a tag and the pieces of its value: a wrapped
    # value's continuation lines are collected and joined once, at the end of the record.
    current: list[tuple[str, list[str]]] | None = None
    start = 0
    for number, raw in enumerate(_LINE_END.split(text.lstrip("\ufeff")), 1):
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
            warnings: list[str] = []
            lines = [(t, " ".join(p for p in pieces if p)) for t, pieces in current]
            record = record_from_tags(lines, warnings)
            record[LINE_KEY] = start
            if warnings:
                record[WARNINGS_KEY] = [f"{source}:{start}: {w}" for w in warnings]
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


def record_from_tags(tags: list[tuple[str, str]], warnings: list[str] | None = None) -> Record:
    """A record from the ``(tag, value)`` lines of one RIS record; repairs are told in ``warnings``."""
    warnings = [] if warnings is None else warnings
    record: Record = {"type": IMPORT_TYPES.get(tags[0][1].upper(), "document")}
    keywords: list[str] = []
    compilers: list[str] = []
    start = end = ""
    serial_numbers: list[str] = []
    years: list[str] = []
    label = None
    for tag, value in tags[1:]:
        if not value:
            continue
        if tag == "ID":
            record.setdefault("id", value)
        elif tag == "LB":
            label = label or value
        elif tag == "C8" and value.startswith(_COMPILER_MARK):
            compilers.append(value[len(_COMPILER_MARK):].strip())
        elif tag == "SN":
            serial_numbers.append(value)
        elif tag == "LA":
            record.setdefault("language", value)
        elif tag in _ROLE_OF:
            record.setdefault(_ROLE_OF[tag], []).append(_parse_name(value))
        elif tag == "Y2":
            accessed = _issued([value])
            if accessed:
                record.setdefault("accessed", {"date-parts": accessed["date-parts"][:1]})
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
    if label:
        record["id"] = label  # the full key; ID holds it only when it is short enough
    if record["type"] == "article-newspaper" and "container-title" not in record and not label:
        # NEWS without a newspaper title is the newspaper itself (socsopr wrote it so before JFULL)
        record["type"] = "periodical"
    _take_compilers(record, compilers)
    for number in serial_numbers:
        digits = re.sub(r"[\s-]", "", number)
        is_issn = re.fullmatch(r"[0-9]{7}[0-9Xx]", digits) is not None
        is_isbn = re.fullmatch(r"[0-9]{9}[0-9Xx]|[0-9]{13}", digits) is not None
        serial = is_issn or (not is_isbn and record["type"] in _SERIAL_TYPES)
        record.setdefault("ISSN" if serial else "ISBN", number)
    if "language" in record:
        language = to_bcp47(record["language"])
        if language:
            record["language"] = language
        else:
            warnings.append(f"LA {shown(record['language'])} is not a language code or name; kept as it is")
    issued = _issued(years)
    if issued:
        record["issued"] = issued
    lone = start and not end and record["type"] not in _PAGE_RANGE_TYPES
    count = whole_number(start) if lone else None
    if count:
        record["number-of-pages"] = count
    elif start:
        record["page"] = f"{start}-{end}" if end else start
    for field in ("number-of-volumes", "volume", "issue", "edition"):
        whole = whole_number(str(record.get(field, "")))
        if whole:  # RIS has only text; a whole number is the CSL number it was
            record[field] = whole
    if keywords:
        record["tags"] = list(dict.fromkeys(keywords))
    return record


def _take_compilers(record: Record, compilers: list[str]) -> None:
    """The names ``C8  - compiler: …`` marks: out of the editors (where ED put them) into ``compiler``."""
    if not compilers:
        return
    editors = record.get("editor", [])
    tail = editors[len(editors) - len(compilers):] if len(compilers) <= len(editors) else []
    if [_name(e) for e in tail] == [_name(_parse_name(c)) for c in compilers]:
        # our own files: the compilers are the last ED lines, in order
        record["compiler"] = tail
        del editors[len(editors) - len(compilers):]
    else:
        found: list[dict[str, Any]] = []
        written = [_name(e) for e in editors]
        for text in compilers:
            name = _parse_name(text)
            if _name(name) in written:
                i = len(written) - 1 - written[::-1].index(_name(name))
                found.append(editors.pop(i))
                written.pop(i)
            else:
                found.append(name)
        record["compiler"] = found
    if not editors:
        record.pop("editor", None)


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
        elif pieces[3].strip() in ("-", "–"):  # a range still open
            parts.append(list(OPEN_END))
        if sum(map(len, parts)) > sum(map(len, best)):
            best = parts
    return {"date-parts": best} if best else None
