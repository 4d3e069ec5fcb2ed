"""Reading a printed GOST description (GOST 7.1-2003, GOST R 7.0.100-2018, the short form of
GOST R 7.0.5-2008) into a record: books, volumes of multi-volume works, component parts
(``//``: articles, newspaper articles, chapters), issues of serials, theses, electronic
resources with URL and access date, archival documents; in Russian or English.

    Овсянников И. А. Почему социализм? — М., 2006. — 36 с.
    Колпак, Е. П. О моделях / Е. П. Колпак. — Текст : непосредственный // Молодой ученый. — 2016. — № 2.
        — С. 12–20.
    Анненков П. В. Литературные воспоминания. СПб., 1909.

Nothing is invented: what cannot be placed is returned beside the record
(``GostParse.unplaced``; ``import --strict`` refuses such a line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalogue.errors import InvalidData
from catalogue.gost.editions import Practice
from catalogue.gost.electronic import read_electronic
from catalogue.gost.elements import Elements, peel, read_area
from catalogue.gost.language import detect_language
from catalogue.gost.responsibility import parse_heading, parse_responsibility
from catalogue.model.places import find_place, gost_place
from catalogue.model.record import Record

DEFAULT_LANGUAGE = "auto"  # detected from the line (``language.detect_language``)
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
    """A parsed description: the record, the parts that found no field, guesses made, and the
    edition of the rules the line follows (``gost`` = GOST R 7.0.100-2018, ``gost-2003``)."""

    record: Record
    unplaced: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    edition: str = "gost-2003"
    locale: str = "ru"  # the language the description itself is written in (its terms: М., с., URL)
    unknown_imprint: bool = False  # "[S. l.], [s. a.]" was read: an imprint that says it is unknown
    practice: Practice = field(default_factory=Practice)  # the line's choices where the rules allow two


# Areas: ". — ", " — ", " – ", " -- ", ". - " (GOST 7.1-2003 4.3); a dash without spaces is text.
_AREA_SEPARATOR = re.compile(r"\.?\s+(?:[—–]|--)\s+|\.\s+-\s+|(?<=\d)\s+-\s+")
_MATERIAL = re.compile(r"\s*\[(?:Текст|Text|Электронный ресурс|Electronic resource)\]", re.IGNORECASE)
_MEDIUM_AREA = re.compile(r"(?:Текст|Text)\s*:\s*(?:электронный|непосредственный|electronic|unmediated)"
                          r"(?:\s*,\s*[\w ]+)?", re.IGNORECASE)
_SITE = re.compile(r"\[(?:сайт|site|website)\]|электронно-библиотечная система|\bЭБС\b", re.IGNORECASE)
_ARCHIVE = re.compile(r"\b(?:музей|архив|библиотек|Museum|Archive)", re.IGNORECASE)
_TRAILING_KEEPER = re.compile(r"(?:^|[\s.(])(?:[A-ZА-ЯЁ]|г|гг|вв|т|тт|кн|им|изд|др|св)$")
_THESIS = re.compile(r"(?:автореф\.\s*)?дис\.?\s*(?:\.\.\.|…)|dissertation|thesis", re.IGNORECASE)
_DAY = re.compile(r"\d{1,2}\s+(?:янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек)", re.IGNORECASE)
_QUOTED = re.compile(r'^(?:"([^"]+)"|«([^»]+)»|“([^”]+)”)$')
_ABBREVIATIONS = frozenset({
    "st", "dr", "mr", "mrs", "ms", "vs", "vol", "no", "etc", "т", "г", "гг", "им", "св",
})


def parse_gost_line(text: str, *, language: str | None = DEFAULT_LANGUAGE) -> GostParse:
    """Read one description; ``NotAGostDescription`` if the text is not one at all.

    ``language``: ``auto`` detects it from the line, None leaves it out, a code sets it.
    """
    line = " ".join(text.replace("\u00a0", " ").split())
    if not line:
        raise NotAGostDescription(text, "the line is empty")
    if line.startswith(("—", "–", "- ", "-- ")):
        raise NotAGostDescription(text, "there is no title")
    result = GostParse(record={})
    record = result.record
    line, electronic = read_electronic(line)
    label = electronic.pop("_label", None)
    if label:
        result.practice = result.practice._replace(access_label=label)
    date_note = electronic.pop("_date_note", None)
    if date_note:  # "— Дата обращения: …" as a note of its own (7.1-2003 5.8), not "(дата обращения: …)"
        result.practice = result.practice._replace(access_date_note=date_note[:1].upper() + date_note[1:])
    access = electronic.pop("_access", None)
    if access:  # the mode of access, a note (7.1-2003 5.8): CSL has no field, the record's custom one
        record["custom"] = {"access": access}
    record.update(electronic)
    medium = _MEDIUM_AREA.search(line)
    if medium:
        record["medium"] = medium.group(0)
        result.edition = "gost"
        line = (line[:medium.start()] + line[medium.end():]).replace(". — . — ", ". — ")
        line = line.replace(". —  //", " //")
        line = re.sub(r"\.?\s+[—–]\s+(?=//)|\.?\s*[—–]\s*$", " ", line).strip()
    material = _MATERIAL.search(line)
    if material:
        record.setdefault("medium", material.group(0).strip(" []"))
        if not material.group(0).strip(" []").startswith(("Текст", "Text")):  # "[Электронный ресурс]" after
            # the title (7.1-2003 5.1.6), kept where the rest follows 7.0.100-2018 (its 6.8 area replaces it)
            result.practice = result.practice._replace(medium_area=False)
        line = _MATERIAL.sub("", line)
    head, slashes, host = line.partition(" // ")
    on_site = False
    if slashes and _SITE.search(host):  # "— Текст : электронный // Лань : ЭБС": where it is, not a host
        published = _read_head(head, record, result)
        record["archive" if published else "container-title"] = _site_name(host)
        on_site = not published
        host = ""
    elif slashes:
        _read_head(head, record, result, title_only=True)
        _read_host(host, record, result)
    else:
        _read_head(head, record, result)
    if not record.get("title"):
        raise NotAGostDescription(text, "there is no title")
    bare = not (set(record) - {"title", "title-short", "author", "editor", "compiler", "translator", "note"})
    if bare and not result.unknown_imprint:
        raise NotAGostDescription(text, "no place, year or page count after the title")
    record["type"] = "webpage" if on_site else _type_of(record)  # a page of a site (7.0.100-2018 7.1)
    _finish(record)
    abbreviated = _places_abbreviated(record)
    if abbreviated is not None:
        result.practice = result.practice._replace(abbreviate_places=abbreviated)
    detected = detect_language(f"{record.get('title', '')} {record.get('container-title', '')}")
    result.locale = _description_locale(text, record, detected)
    if language == "auto":
        # a web page's Latin title is mostly a name (FastAPI, Arkanoid on ru.wikipedia.org): it tells
        # nothing of the page's language, which is left unsaid
        if not (record["type"] == "webpage" and detected != "ru"):
            record["language"] = detected
    elif language:
        record["language"] = language
    return result


def _description_locale(text: str, record: Record, detected: str) -> str:
    """The language the description itself is written in (its terms: ``М.``, ``с.``, ``№``,
    ``дата обращения``; GOST 7.1-2003 4.4: the description is in the language of the list, the
    work's own elements in the work's), apart from the work's ``language``: Cyrillic words outside
    the titles make it Russian, Latin ones English; a line with no words of its own beside the
    titles (``Былое. 1917. № 2.``) is in the language of its title."""
    described = re.sub(r"https?://\S+", "", text)
    for key in ("title", "container-title"):
        described = described.replace(str(record.get(key, "")), " ")
    if re.search(r"[А-Яа-яЁё№]", described):
        return "ru"
    if re.search(r"[A-Za-z]{2,}", described):
        return "en"
    return "ru" if detected in ("ru", "uk", "be") else "en"


def _places_abbreviated(record: Record) -> bool | None:
    """Whether the line writes a place GOST 7.0.12 abbreviates as ``М.`` (True) or ``Москва`` (False):
    7.1-2003 5.7.6 allows either; None when no such place is given."""
    for place in str(record.get("publisher-place") or "").split(";"):
        known = find_place(place.strip()) if place.strip() else None
        if known is None or gost_place(known.russian, "ru") == known.russian:
            continue  # not a place the standard abbreviates
        return place.strip() != known.russian
    return None


def _site_name(host: str) -> str:
    name = re.split(r"\s*:\s*\[", host, maxsplit=1)[0]
    return name.strip().rstrip(".").strip()


def _read_head(head: str, record: Record, result: GostParse, *, title_only: bool = False) -> bool:
    """The title area and (unless ``title_only``) the areas after it; True if an imprint was read."""
    areas = [a.strip() for a in _AREA_SEPARATOR.split(head) if a.strip()]
    elements = Elements()
    title_areas = [areas[0]] if areas else [""]
    recognised = False
    unplaced: list[str] = []
    for area in areas[1:]:
        if read_area(area, elements):
            recognised = True
        elif recognised:
            unplaced.append(area[:-1] if area.endswith(").") else area)
        else:  # a dash inside the title: "Russia — the revolution. — М., 2006"
            title_areas.append(area)
    title_area = " — ".join(title_areas)
    if not title_only:  # the short form (GOST R 7.0.5-2008 4.5) keeps its imprint in the first area;
        # a part's own title area before "//" has none ("…: Tolyatti, 2007–2009 // Proceedings")
        inner = peel(title_area, taken=elements.fields)
        if inner.fields:  # "в 30 тт. М., 1949": the stop taken for a separator was the abbreviation's own
            title_area = _keep_abbreviation(inner.rest)
            elements.unplaced.extend(inner.unplaced)
            for key, value in inner.fields.items():
                elements.fields.setdefault(key, value)
    archive = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\.?", title_area)
    # after a statement of responsibility only a keeper that names itself one ("музей", "архив"):
    # "/ под ред. И. Петрова (Москва)" may be anything
    keeper = archive and (" / " not in title_area or _ARCHIVE.search(archive.group(2)))
    if archive and keeper and not elements.fields and not title_only:
        title_area, record["archive"] = archive.group(1), archive.group(2).strip()
        result.practice = result.practice._replace(archive_note=True)
    _read_title_area(title_area, record, result)
    _apply(elements, record, result, head=True)
    result.unplaced[:0] = []
    result.unplaced.extend(unplaced)
    return bool({"publisher-place", "issued", "_undated"} & set(elements.fields))


def _read_host(host: str, record: Record, result: GostParse) -> None:
    """The host after ``//`` (GOST 7.1-2003 7.1.5): its title, its own author, then volume,
    issue, imprint and the part's pages, each as an element."""
    areas = [a.strip() for a in _AREA_SEPARATOR.split(host) if a.strip()]
    elements = Elements()
    first = areas[0] if areas else ""
    unplaced = []
    for area in areas[1:]:
        if not read_area(area, elements, host=True):
            unplaced.append(area)
    inner = peel(first, host=True, taken=elements.fields)
    for key, value in inner.fields.items():
        elements.fields.setdefault(key, value)
    elements.unplaced.extend(inner.unplaced)
    title = inner.rest
    if not elements.fields and _ARCHIVE.search(title) and "/" not in title:
        record["archive"] = _keep_abbreviation(title.rstrip("."))
        result.unplaced.extend(unplaced)
        return
    title, slash, responsibility = title.partition(" / ")
    if slash and responsibility.strip():
        unplaced.insert(0, "/ " + responsibility.strip())
    names, rest = parse_heading(title)
    if names and rest:
        record["container-author"] = names
        title = rest
    record["container-title"] = _keep_abbreviation(title.strip().rstrip(".") if not
                                                   _TRAILING_KEEPER.search(title.strip().rstrip(".")) else
                                                   title.strip())
    _apply(elements, record, result, head=False)
    result.unplaced.extend(unplaced)


def _keep_abbreviation(text: str) -> str:
    """A title ending in an initial or ``г`` keeps the full stop that was taken for a separator."""
    text = text.strip()
    if _TRAILING_KEEPER.search(text):
        return text + "."
    return text


def _apply(elements: Elements, record: Record, result: GostParse, *, head: bool) -> None:
    fields = dict(elements.fields)
    if fields.pop("_undated", False):
        result.unknown_imprint = True
    day = fields.pop("_day", None)
    issued = fields.get("issued") or record.get("issued")
    if day and isinstance(issued, dict) and len(issued.get("date-parts", ())) == 1:
        issued["date-parts"] = [[issued["date-parts"][0][0], day[1], day[0]]]  # "2012. — 28 февр."
    elif day:
        result.unplaced.append(f"{day[0]} (day {day[1]})")
    if fields.pop("_open", False) and isinstance(fields.get("issued"), dict):
        # "2007–": a serial still published
        fields["issued"] = {"date-parts": [*fields["issued"]["date-parts"][:1], [0]]}
    for key, value in fields.items():
        record.setdefault(key, value)
    result.unplaced.extend(elements.unplaced)


def _read_title_area(area: str, record: Record, result: GostParse) -> None:
    authors, rest = parse_heading(area)
    if authors and re.match(r"^[A-ZА-ЯЁ][^\s.,]+, [A-ZА-ЯЁ]", area):
        result.edition = "gost"  # the heading "Family, I. O." of GOST R 7.0.100-2018 (6.1.2)
    if len(authors) > 1 and re.search(r"\s(?:и|and)\s", area[:len(area) - len(rest)]):
        result.practice = result.practice._replace(heading_and=True)  # "Боткин В. П. и Тургенев И. С."
    # One statement of responsibility follows one " / " (7.1-2003 5.2.6); of two, the first is the title's
    title, slash, responsibility = rest.rpartition(" / ") if rest.count(" / ") > 1 else rest.partition(" / ")
    if not slash and rest.endswith(" /"):
        title = rest[:-2]
    title = title.strip()
    # " = " opens a parallel title (7.1-2003 5.2.3), never inside brackets: "(и $ 1 = 25 руб.?)"
    title, equals, parallel = _outside_brackets_partition(title, " = ")
    if equals and parallel.strip():
        result.unplaced.append("= " + parallel.strip())
    genre = re.search(r"\s*:\s*((?:автореф\.\s*)?дис\.?\s*(?:\.\.\.|…).*)$", title)
    if genre:
        record["genre"] = genre.group(1).strip().rstrip(".")
        title = title[:genre.start()]
    title = re.sub(r"\s+:\s+", ": ", title.strip())
    title = re.sub(r"\s*:$", "", title)
    if title.endswith(".") and not slash:  # before " / " a full stop is the title's own ("Theses.")
        title = _keep_abbreviation(title.rstrip("."))
    if authors:
        result.practice = result.practice._replace(repeat_authors=False, heading_authors=len(authors))
    if responsibility.strip():
        found = parse_responsibility(responsibility, authors, result.unplaced, result.guesses)
        record.update(found.roles)
        if found.more_authors:  # "[и др.]": more authors than named (7.1-2003 5.2.6), the record's to say
            custom = record.setdefault("custom", {})
            custom["authors-et-al"] = True
        if found.phrases:  # "/ Ред. М. К. Лемке", "/ Под ред. …": the phrase the line writes (Practice)
            result.practice = result.practice._replace(role_phrases=tuple(sorted(found.phrases.items())))
        if authors:
            result.practice = result.practice._replace(repeat_authors=found.repeats_heading)
        if found.translated_from:
            record["note"] = f"Translated from {found.translated_from}."
    elif authors:
        record["author"] = authors
    if title:
        record["title"] = title
        short = title_proper(title)
        if short:
            record["title-short"] = short


def _outside_brackets_partition(text: str, mark: str) -> tuple[str, str, str]:
    """``str.partition`` at the first ``mark`` outside parentheses and quotation marks."""
    depth = 0
    for i, char in enumerate(text):
        depth += 1 if char in "(«“[" else -1 if char in ")»”]" else 0
        if depth <= 0 and text.startswith(mark, i):
            return text[:i], mark, text[i + len(mark):]
    return text, "", ""


def _type_of(record: Record) -> str:
    """The CSL type the description shows (GOST 7.1-2003 7.1 for parts, 7.2 for serials)."""
    if record.get("genre") and _THESIS.search(str(record["genre"])):
        return "thesis"
    own_imprint = {"publisher-place", "publisher"} & set(record)  # a volume or issue number is a serial's too
    if record.get("container-author") and not record.get("issue"):
        return "chapter"  # a host under its own author's name is a book (7.1-2003 7.1.5)
    if "container-title" in record and ("issue" in record or "issued" in record) and not own_imprint:
        if "URL" in record and "issue" not in record and "issued" not in record:
            return "webpage"
        dated = len((record.get("issued") or {}).get("date-parts", [[]])[0]) == 3  # "2007. — 1 нояб."
        newspaper = dated or _DAY.search(str(record.get("issue", "")))
        return "article-newspaper" if newspaper else "article-journal"
    if "container-title" in record and "URL" in record and "issued" not in record:
        return "webpage"
    if "container-title" in record:
        if re.search(r"материал|труды|конферен|proceedings|conference", str(record["container-title"]), re.I):
            return "paper-conference"
        return "chapter"
    if "archive" in record and "issued" not in record and "publisher-place" not in record:
        return "manuscript"
    if "issue" in record and "author" not in record:
        return "periodical"
    numbered = {"volume", "part"} & set(record) and "issued" in record
    if numbered and not ({"author", "editor", "publisher"} & set(record) or own_imprint):
        return "periodical"  # "Исторический вестник. 1906. Т. 103": an issue of a serial (7.1-2003 7.2)
    if "URL" in record and "issued" not in record and "number-of-pages" not in record:
        return "webpage"
    site = re.fullmatch(r"[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,}", str(record.get("publisher", "")))
    if "URL" in record and site and "number-of-pages" not in record:
        return "webpage"  # published by a website ("— Teenage.by, 2026"): a page of it, not a book
    pages = record.get("number-of-pages")
    return "pamphlet" if isinstance(pages, int) and pages < BOOK_MIN_PAGES else "book"


def _finish(record: Record) -> None:
    publisher = record.get("publisher")
    if isinstance(publisher, str):
        quoted = re.fullmatch(r'"([^"]+)"', publisher)
        if quoted:
            record["publisher"] = quoted.group(1)


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


def line_edition(result: GostParse) -> str:
    """The edition of the rules a parsed line follows (for rendering it back the same way)."""
    return result.edition
