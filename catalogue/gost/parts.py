"""The areas of a description beyond a book's: the host of a component part (``//``), volumes,
issues and parts, pages, series, serials as a whole, and the electronic-resource areas.

- **Component part** (GOST 7.1-2003 7.1.5; 7.0.100-2018 7.1): the part's own title area, then
  ``// Host`` with the host's author and title; a book host then its ``Т. 5``/``Вып. 3`` after its
  title (6.2) and ``Place : Publisher, Year`` (or the year alone when the line gives no more);
  a serial host ``Year. — № 2`` (the year first, 7.1-2003 7.1.7); then the pages
  ``С. 12–20`` / ``P. 12–20`` (7.1-2003 7.1.8).
- **Issue of a serial** (7.1-2003 7.2): its numbering area ``1957. — Т. XVI, вып. 3`` before any
  publication area (area order, 4.1).
- **Unpublished document** kept in an archive: ``Title // Archive`` with no imprint, or, a line's
  practice (``editions.Practice.archive_note``), ``Title (Archive)``.
- **Multi-volume work** (7.1-2003 6.2): ``Т. 1`` after the title of the set.
- **Serial as a whole** (7.1-2003 7.2): ``: газ.``/``: журн.`` as other title information of a
  newspaper or journal, the years ``1998–2007`` or ``2007–`` while it still comes out.
- **Electronic resource**: ``— Текст : электронный`` (7.0.100-2018 6.8) or ``[Электронный ресурс]``
  after the title (7.1-2003 5.1.6), ``— URL: … (дата обращения: ДД.ММ.ГГГГ)`` (7.0.100-2018 6.10.?:
  the note on the mode of access; 7.1-2003 5.8.? ``Режим доступа``); the access date as a note of its
  own, ``— Дата обращения: ДД.ММ.ГГГГ``, where a line prints it so (``Practice.access_date_note``).
- **Thesis** (7.1-2003 5.2.4 example): ``Title : дис. ... канд. ист. наук`` (the genre as other
  title information), then the imprint and the extent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from catalogue.model.names import format_gost
from catalogue.model.record import places, year_range

_TERMS = {
    "ru": {"volume": "Т.", "issue": "№", "page": "С.", "pages": "с.", "url": "URL",
           "accessed": "дата обращения",
           "newspaper": "газ.", "journal": "журн.", "medium": "Текст : электронный"},
    "en": {"volume": "Vol.", "issue": "No.", "page": "P.", "pages": "p.", "url": "URL",
           "accessed": "accessed",
           "newspaper": "newspaper", "journal": "journal", "medium": "Text : electronic"},
}
_NEWSPAPER = re.compile(r"газет|newspaper|ведомости|известия", re.IGNORECASE)
_SERIAL_TYPES = ("article-journal", "article-magazine", "article-newspaper")


def periodical_kind(record: Mapping[str, Any]) -> str | None:
    """``газ.``/``журн.`` for a serial described as a whole, where the record says which it is."""
    genre = " ".join(str(record.get(k, "")) for k in ("genre", "medium", "note"))
    if re.search(r"газет|newspaper", genre, re.IGNORECASE) or "newspaper" in record.get("tags", ()):
        return "газ."
    if re.search(r"журнал|journal", genre, re.IGNORECASE):
        return "журн."
    return None


def volume_text(record: Mapping[str, Any], lang: str, *, title_part: bool = False) -> str:
    """``Т. 5`` and ``Вып. 3`` (7.1-2003 6.2, 7.1.8); the part is written as the record holds it."""
    terms = _TERMS[lang]
    bits = []
    if record.get("volume"):
        bits.append(f"{terms['volume']} {record['volume']}")
    if record.get("part"):
        bits.append(str(record["part"]))
    return ". ".join(bits)


def serial_numbering(record: Mapping[str, Any], lang: str) -> str:
    """``Т. XVI, вып. 3``, ``№ 4``: the numbering of a serial's issue, its parts joined by commas
    (7.1-2003 7.2.1.11 / 7.1.7)."""
    bits = [f"{_TERMS[lang]['volume']} {record['volume']}" if record.get("volume") else "",
            str(record.get("part") or ""),
            f"{_TERMS[lang]['issue']} {record['issue']}" if record.get("issue") else ""]
    return ", ".join(b for b in bits if b)


def _number_areas(record: Mapping[str, Any], lang: str) -> list[str]:
    terms = _TERMS[lang]
    areas = []
    if record.get("issue"):
        areas.append(f"{terms['issue']} {record['issue']}")
    return areas


def host_areas(record: Mapping[str, Any], lang: str, rules: Any) -> list[str]:
    """``[host title area, its areas...]`` of a component part; [] for a record that is no part."""
    container = record.get("container-title")
    if not container:
        return []
    if record.get("type") == "webpage" and not record.get("issued"):
        return [_site(record, lang, rules)]
    from catalogue.gost.editions import heading_name

    host = re.sub(r"(?<=\S):\s+", " : ", " ".join(str(container).split()))  # other title info, 7.1-2003 5.3
    host_authors = record.get("container-author") or []
    if host_authors:
        host = ", ".join(heading_name(n, rules) for n in host_authors[:3]) + " " + host
    if record.get("medium") and rules.medium_area and not record.get("URL"):
        pass
    areas = [host]
    # a part of a serial (7.1-2003 7.1.7): a journal's or newspaper's article, or any part whose host
    # is numbered ("№ 7/8") and has no imprint of its own
    own_imprint = record.get("publisher-place") or record.get("publisher")
    serial = record.get("type") in _SERIAL_TYPES or bool(record.get("issue") and not own_imprint)
    span = year_range(record)
    if serial:
        if span:
            from catalogue.gost.render import issued_text

            areas.append(issued_text(record))
            day = _newspaper_day(record, lang)
            if day:
                areas.append(day)
        volume = volume_text(record, lang)
        numbers = _number_areas(record, lang)
        if volume and numbers:
            areas.append(f"{volume}, {numbers[0]}")
        else:
            areas.extend([volume] if volume else numbers)
    else:
        # A host with its own imprint is described as a book (7.1-2003 7.1.5): the designation of
        # its volume, part or number follows the title of the set, before the imprint (7.1-2003 6.2,
        # 5.2.5; 7.0.100-2018 7.1 example "// Собрание сочинений : в 7 т. Т. 5. — Москва, 1996").
        bits = (volume_text(record, lang), *_number_areas(record, lang))
        designation = ". ".join(bit for bit in bits if bit)
        if designation:
            areas[0] += (" " if areas[0].endswith((".", "?", "!")) else ". ") + designation
        if record.get("publisher-place") or record.get("publisher"):
            from catalogue.gost.render import TERMS, _publication_area

            areas.append(_publication_area(record, TERMS[lang], lang, rules))
        elif span:  # the host's imprint abridged to its year, as the line gives it (7.1-2003 7.1.5)
            from catalogue.gost.render import issued_text

            areas.append(issued_text(record))
    if record.get("page"):
        pages = re.sub(r"(?<=\w)\s*[-‐‑—]\s*(?=\w)", "–", str(record["page"]))  # a range takes an en dash
        areas.append(f"{_TERMS[lang]['page']} {pages}")
    return areas


_MONTHS = {
    "ru": ("янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.", "нояб.", "дек."),
    "en": ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."),
}


def _newspaper_day(record: Mapping[str, Any], lang: str) -> str:
    """``28 февр.``: the day of a newspaper's issue after its year (7.1-2003 7.1.7; months by 7.0.12)."""
    if record.get("type") != "article-newspaper":
        return ""
    try:
        _year, month, day = record["issued"]["date-parts"][0][:3]
        return f"{int(day)} {_MONTHS[lang][int(month) - 1]}"
    except (KeyError, IndexError, TypeError, ValueError):
        return ""


def _site(record: Mapping[str, Any], lang: str, rules: Any) -> str:
    return site_name(str(record["container-title"]), lang)


def site_name(site: str, lang: str) -> str:
    """The website a resource is on, with ``[сайт]`` as its other title information where its name
    has none of its own (7.0.100-2018 7.1 examples: ``// Президент России : [сайт]``, but
    ``// Лань : электронно-библиотечная система``)."""
    name = " ".join(site.split())
    if " : " in name:
        return name
    return f"{name} : [{'сайт' if lang == 'ru' else 'site'}]"


def unpublished(record: Mapping[str, Any]) -> bool:
    """An archival document with neither imprint nor date: it has no publication area (7.1-2003 5.7
    describes the imprint of published documents); where it is kept follows ``//`` (``archive_area``)."""
    return (record.get("type") == "manuscript" and bool(record.get("archive"))
            and not (record.get("issued") or places(record) or record.get("publisher")))


def archive_area(record: Mapping[str, Any], rules: Any = None) -> str:
    """`` // Государственный музей Л. Н. Толстого``: the keeper of an unpublished document, written
    after ``//`` like the host of a part (7.1-2003 7.1.5), as the lists that cite archives print it;
    with ``rules.archive_note`` (a line's practice, ``editions.Practice``) in parentheses after the
    title instead: `` (Государственный музей Л. Н. Толстого)``."""
    if not unpublished(record):
        return ""
    keeper = " ".join(str(record["archive"]).split())
    return f" ({keeper})" if getattr(rules, "archive_note", False) else f" // {keeper}"


def own_areas(
    record: Mapping[str, Any], lang: str, rules: Any, terms: Mapping[str, str], publication: str
) -> list[str]:
    """Publication, issue of a serial as a whole, extent, series, ISBN of a record that is no part."""
    areas = []
    numbering = serial_numbering(record, lang)
    if record.get("type") == "periodical" and numbering:
        # An issue of a serial (7.1-2003 7.2; areas in the order of 4.1): the numbering area (year,
        # then "Т. 103, вып. 3, № 4") before the publication area, when the line gives one.
        from catalogue.gost.render import issued_text

        if year_range(record):
            areas.append(issued_text(record))
        areas.append(numbering)
        if record.get("publisher-place") or record.get("publisher"):
            areas.append(publication)
    else:
        bare_page = record.get("type") == "webpage" and not (record.get("issued") or places(record))
        if not (bare_page or unpublished(record)):
            areas.append(publication)
    pages = record.get("number-of-pages")
    if pages:
        areas.append(f"{pages} {terms['pages']}")
    if record.get("collection-title"):
        number = f" ; {record['collection-number']}" if record.get("collection-number") else ""
        areas.append(f"({record['collection-title']}{number})")
    if record.get("ISBN"):
        areas.append(f"ISBN {record['ISBN']}")
    return areas


def electronic_areas(record: Mapping[str, Any], lang: str, rules: Any) -> list[str]:
    """``URL: … (дата обращения: …)`` (7.0.100-2018) or ``Режим доступа: …`` (7.1-2003 5.8); with
    ``rules.access_date_note`` (a line's practice) the access date is a note of its own after the
    address, ``— Дата обращения: 15.03.2024`` (notes are separated by ``. — ``, 7.1-2003 5.8)."""
    terms = _TERMS[lang]
    areas = []
    url = record.get("URL")
    if url:
        label = rules.access_label if lang == "ru" else terms["url"]
        text = f"{label}: {url}"
        accessed = _date(record.get("accessed"))
        note = getattr(rules, "access_date_note", "")
        if accessed and not note:
            text += f" ({terms['accessed']}: {accessed})"
        areas.append(text)
        if accessed and note:  # a note of its own, as lists under 7.1-2003 (5.8) print it
            if bool(re.search(r"[А-Яа-яЁё]", note)) != (lang == "ru"):  # the label of the other language
                note = "Дата обращения" if lang == "ru" else "Accessed"
            areas.append(f"{note}: {accessed}")
    custom = record.get("custom")
    access = custom.get("access") if isinstance(custom, Mapping) else None
    if isinstance(access, str) and access.strip():  # "Режим доступа: для авториз. пользователей" (note, 5.8)
        areas.append(f"{'Режим доступа' if lang == 'ru' else 'Access mode'}: {' '.join(access.split())}")
    return areas


def _date(value: Any) -> str | None:
    try:
        year, month, day = value["date-parts"][0][:3]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return f"{day:02d}.{month:02d}.{year}"


def author_line(record: Mapping[str, Any]) -> str:
    """The first author as a list sorts it (used by the check of complete descriptions)."""
    people = record.get("author") or []
    return format_gost(people[0]) if people else ""
