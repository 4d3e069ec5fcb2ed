"""socsopr's own GOST 7.1-2003 / 7.0.100-2018 description of a book, brochure, periodical or leaflet.

None of the GOST CSL styles prints the areas of a Russian printed bibliography,
so this module writes them itself. The rules, each as it is applied here:

1. **Areas** follow one another joined by ``. — ``; when the previous area already
   ends with ``.``, ``?`` or ``!`` only `` — `` is added (``Why Socialism? — М.``),
   so no punctuation is doubled. The description ends with a full stop.
2. **Heading** (``EDITIONS``): ``gost`` = GOST R 7.0.100-2018 (6.1.2, 6.2.6): the first
   of one to three personal authors, ``Family, I. O.`` with a comma after the surname, and
   every author again after the slash (``Колпак, Е. П. Title / Е. П. Колпак, Е. В. Горыня``);
   ``gost-2003`` = GOST 7.1-2003 as reference lists print it under GOST R 7.0.5-2008 (4.6.1,
   4.7.7): one to three authors in the heading, ``Family I. O.``, not repeated after the title.
   Four or more authors, and organisations, go to the statement of responsibility
   instead, the first three and ``[et al.]``/``[и др.]`` (both editions); so do authors a source
   names only in part (``[и др.]`` after three, ``custom["authors-et-al"]``). A line read back
   keeps its own practice (``render(..., practice=GostParse.practice)``, ``editions.Practice``):
   lists under 7.1-2003 5.2.6 repeat the authors after the slash, lists under
   GOST R 7.0.5-2008 4.7.7 may not; a heading not repeated holds every one of the authors.
3. **Title** exactly as the record holds it (its own ``?``/``!``/``.`` stays);
   a ``genre`` is other title information after `` : `` (``: leaflet``/``: листовка``).
4. **Statement of responsibility** after `` / ``: initials first
   (``I. A. Ovsyannikov``); groups joined by `` ; ``: organisations and authors
   not in the heading (first three and ``[et al.]``/``[и др.]`` when more), then
   ``Ed.``/``под ред.``, ``Comp.``/``сост.``, ``Transl. from English``/``пер. с англ.``.
   In Russian a Cyrillic family name takes the case its phrase governs
   (``под ред. И. А. Овсянникова``, ``пер. с нем. Л. Крыловой``, ``сост. С. А. Козловский``;
   the table is ``responsibility.PHRASES``, the morphology ``grammar``).
   The original language comes from ``custom["original-language"]`` (BCP 47) or,
   failing that, from a "translated from <Language>" phrase in ``note``; with
   neither, plain ``Transl.``/``пер.`` is written (nothing is invented).
5. **Edition**, when given: ``2nd ed.``/``2-е изд.``, or the record's own text.
6. **Publication**: ``Place : Publisher, Year``. The area starts with a capital
   letter (``[S. l.]``, ``[Б. м.]``). A place the authority knows
   (``catalogue.model.places``) is written, in Russian, with the GOST 7.0.12
   abbreviation where the standard gives one (``М.``, ``СПб.``, ``Н. Новгород``,
   ``Ростов н/Д``); in English with its English name in full (``Moscow`` for a
   stored ``М.`` or ``Москва``). Every other place is written as the record holds it.
   In ``gost`` (7.0.100-2018, 6.4.3) a place the record writes in full stays in full
   (``Москва``); ``gost-2003`` (7.1-2003 5.7.6) abbreviates. Several places of one
   imprint are joined by `` ; `` (GOST 7.1-2003 5.7.7; 7.0.100-2018 6.4.5:
   ``Yaroslavl ; Moscow``). The publisher is written as the record holds it, quotation
   marks only where its name has them (7.1-2003 5.7.9 examples: ``М. : Наука``); an
   absent publisher is left out, as reference lists may.
   An unknown place is ``[s. l.]``/``[б. м.]``, an unknown year ``[s. a.]``/``[б. г.]``;
   a span of years is ``1998–2007``; a serial still coming out (``status: ongoing``) is
   ``2007–`` (7.1-2003 7.2.1.11).
7. **Extent**: ``number-of-pages`` as ``36 p.`` or ``36 с.``.
8. **Order** of a list: alphabetical by the first element (heading or title),
   Russian alphabetical order for Cyrillic, leading quotation marks ignored.
9. **Language**: without a locale, a record whose ``language`` is Russian is
   described in Russian (``М.``, ``с.``, ``[б. м.]``, ``под ред.``), any other in
   English; a locale given applies to every record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from catalogue.errors import UnknownFormat
from catalogue.gost.editions import DEFAULT_EDITION, EDITIONS, Edition, Practice, edition_rules, heading_name
from catalogue.gost.parts import (
    archive_area,
    electronic_areas,
    host_areas,
    own_areas,
    periodical_kind,
    site_name,
    volume_text,
)
from catalogue.gost.responsibility import PHRASE_OF_ROLE, phrase_as_printed, write_statement
from catalogue.model.names import Name, format_gost, format_gost_inverted
from catalogue.model.places import gost_place
from catalogue.model.record import places, year_text
from catalogue.model.sorting import text_sort_key

LOCALES = ("en", "ru")
__all__ = ["EDITIONS", "LOCALES", "list_sort_key", "locale_code", "record_locale", "render", "render_all"]
HEADING_MAX_AUTHORS = 3
AREA_SEPARATOR = ". — "
JOINT_PLACES = " ; "

TERMS: dict[str, dict[str, str]] = {
    "en": {
        "editor": "Ed.", "compiler": "Comp.", "translator": "Transl.", "from": "from",
        "et_al": "[et al.]", "no_place": "[s. l.]", "no_year": "[s. a.]", "pages": "p.",
    },
    "ru": {
        "editor": "под ред.", "compiler": "сост.", "translator": "пер.", "from": "с",
        "et_al": "[и др.]", "no_place": "[б. м.]", "no_year": "[б. г.]", "pages": "с.",
    },
}

# BCP 47 code -> (English name, GOST 7.0.12 Russian abbreviation after "пер. с").
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "англ."), "de": ("German", "нем."), "fr": ("French", "фр."),
    "es": ("Spanish", "исп."), "it": ("Italian", "итал."), "pl": ("Polish", "пол."),
    "uk": ("Ukrainian", "укр."), "pt": ("Portuguese", "порт."), "zh": ("Chinese", "кит."),
    "ja": ("Japanese", "яп."), "cs": ("Czech", "чеш."), "ru": ("Russian", "рус."),
    "be": ("Belarusian", "белорус."), "kk": ("Kazakh", "каз."),
}
_LANGUAGE_BY_NAME = {name.lower(): code for code, (name, _abbr) in LANGUAGES.items()}
_TRANSLATED_FROM = re.compile(r"\btranslated from (?:the )?([A-Za-z]+)", re.IGNORECASE)
_GENRES_RU = {"leaflet": "листовка", "newspaper": "газета", "brochure": "брошюра", "journal": "журнал"}


def locale_code(locale: str) -> str:
    """``en``/``ru`` from ``en-US``, ``ru-RU``, ``ru``…; anything else is a usage problem."""
    code = locale.strip().replace("_", "-").split("-")[0].lower()
    if code not in LOCALES:
        raise UnknownFormat(locale, ["en-US", "ru-RU"], "locale")
    return code


def record_locale(record: Mapping[str, Any]) -> str:
    """The locale a record is described in when none is asked for: ``ru`` for a Russian record."""
    language = str(record.get("language") or "").strip().replace("_", "-").split("-")[0].lower()
    return "ru" if language in ("ru", "rus", "russian") else "en"


def render(
    record: Mapping[str, Any], locale: str | None = None, edition: str = DEFAULT_EDITION,
    *, practice: Practice | None = None,
) -> str:
    """The GOST description of one record, in the ``en`` or ``ru`` locale (None: the record's own, rule 9),
    by the rules of ``edition`` (``EDITIONS``), with the choices of ``practice`` where the standards
    leave one (``editions.Practice``; a parsed line's own is ``GostParse.practice``)."""
    lang = locale_code(locale) if locale else record_locale(record)
    rules = edition_rules(edition)
    if practice is not None:
        rules = practice.apply(rules)
    terms = TERMS[lang]
    areas = [_title_area(record, lang, rules) + archive_area(record, rules)]
    medium = str(record.get("medium") or "")
    if medium and not medium.startswith(("Текст", "Text")) and not rules.medium_area:
        areas[0] = _after_title(areas[0], f"[{medium}]")
    host = host_areas(record, lang, rules)
    text_medium = medium if medium.startswith(("Текст", "Text")) else ""
    if host:
        if text_medium:
            areas.append(text_medium)
            areas[-1] += " // " + host[0]
        else:
            areas[0] += " // " + host[0]
        areas.extend(host[1:])
    else:
        edition_text = _edition(record, lang)
        if edition_text:
            areas.append(edition_text)
        areas.extend(own_areas(record, lang, rules, terms, _publication_area(record, terms, lang, rules)))
        if text_medium:
            site = record.get("archive")
            on_site = site and record.get("type") != "manuscript"
            areas.append(f"{text_medium} // {site_name(str(site), lang)}" if on_site else text_medium)
    areas.extend(electronic_areas(record, lang, rules))
    text = areas[0]
    for area in areas[1:]:
        text += (" — " if text.endswith((".", "?", "!")) else AREA_SEPARATOR) + area
    return text if text.endswith((".", "?", "!")) else text + "."


def render_all(
    records: Iterable[Mapping[str, Any]], locale: str | None = None, edition: str = DEFAULT_EDITION
) -> list[str]:
    """Descriptions of several records in the order of a GOST list (rule 8); locale None: each
    record in its own language (rule 9); ``edition``: a key of ``EDITIONS``."""
    lang = locale_code(locale) if locale else None
    return [render(r, lang, edition) for r in sorted(records, key=list_sort_key)]


def _after_title(title_area: str, designation: str) -> str:
    """``Title [Электронный ресурс] / …``: the general material designation of GOST 7.1-2003 (5.1.6)."""
    title, slash, rest = title_area.partition(" / ")
    return f"{title} {designation}{slash}{rest}"


def list_sort_key(record: Mapping[str, Any]) -> Any:
    """Alphabetical by the heading when there is one, else by the title."""
    heading = _heading_names(record)
    first = ", ".join(format_gost(n) for n in heading) if heading else str(record.get("title", ""))
    return text_sort_key(first), text_sort_key(str(record.get("title", ""))), record.get("id", "")


# --- the areas ------------------------------------------------------------------------


def _heading_names(record: Mapping[str, Any], rules: Edition | None = None) -> list[Name]:
    """The names in the heading (rule 2): none for organisations or four and more authors."""
    authors = list(record.get("author") or ())
    if not authors or len(authors) > HEADING_MAX_AUTHORS or any("literal" in a for a in authors):
        return []
    if more_authors(record):  # "[и др.]": four and more, described under the title (rule 2)
        return []
    return authors[:rules.heading_authors] if rules is not None and rules.repeat_authors else authors


def _title_area(record: Mapping[str, Any], lang: str, rules: Edition) -> str:
    """Heading, title, other title information after `` : `` (GOST 7.1-2003 5.2.4), volume of a
    multi-volume work (7.1-2003 6.2: ``Т. 1``), statement of responsibility after `` / ``."""
    terms = TERMS[lang]
    heading = _heading_names(record, rules)
    title = re.sub(r"(?<=\S):\s+", " : ", " ".join(str(record.get("title", "")).split()))
    genre = record.get("genre")
    if genre and " ".join(str(genre).split()).casefold() not in title.casefold():  # not twice (a thesis)
        shown = _GENRES_RU.get(genre.lower(), genre) if lang == "ru" else genre
        if record.get("type") == "periodical" and lang == "ru":  # 7.1-2003 7.2: ": газ.", ": журн."
            shown = periodical_kind(record) or shown
        title = f"{title} : {shown}"
    whole_serial = record.get("type") == "periodical" and record.get("container-title") is None
    if whole_serial and lang == "ru" and not genre:
        kind = periodical_kind(record)
        if kind:
            title = f"{title} : {kind}"
    text = title
    if heading:
        written = [heading_name(n, rules) for n in heading]
        if rules.heading_and and len(written) > 1:  # "Боткин В. П. и Тургенев И. С." (Practice.heading_and)
            written[-2:] = [f"{written[-2]} {'и' if lang == 'ru' else 'and'} {written[-1]}"]
        names = ", ".join(written)
        if not names.endswith("."):
            names += "."
        text = f"{names} {title}"
    if "container-title" not in record and record.get("type") != "periodical":  # a serial's: numbering
        volume = volume_text(record, lang, title_part=True)
        if volume and _volume_in_title(title, record):
            volume = ""
        if volume:
            text += ". " + volume if not text.endswith((".", "?", "!")) else " " + volume
    groups = _responsibility(record, heading, terms, lang, rules)
    if groups:
        text += " / " + " ; ".join(groups)
    return text


def _volume_in_title(title: str, record: Mapping[str, Any]) -> bool:
    """Whether the title already names the volume (``Сочинения. Т. 1``): it is not written twice."""
    volume = re.escape(str(record.get("volume", "")))
    return bool(volume) and re.search(rf"\b(?:Т|Vol|Bd|T)\.\s*{volume}\b", title) is not None


def _responsibility(
    record: Mapping[str, Any], heading: Sequence[Name], terms: Mapping[str, str], lang: str, rules: Edition
) -> list[str]:
    groups = []
    authors = list(record.get("author") or ()) if (rules.repeat_authors or not heading) else []
    if authors:
        groups.append(_name_list(authors, terms, more=more_authors(record)))
    for role in ("editor", "compiler", "translator"):
        people = record.get(role)
        if not people:
            if role == "translator" and original_language(record):  # "/ пер. с англ." (7.1-2003 5.2.6)
                groups.append(_translation_term(record, terms, lang) if lang == "ru" else
                              _capital(_translation_term(record, terms, lang)))
            continue
        if lang == "ru":
            phrase = PHRASE_OF_ROLE[role]
            printed = dict(rules.role_phrases).get(role)
            if printed:  # the line's own phrase (Practice.role_phrases; 7.1-2003 5.2.6 gives several)
                phrase = phrase_as_printed(role, printed)
            if role == "translator":
                phrase = phrase._replace(words=_translation_term(record, terms, lang))
            shown = list(people[:HEADING_MAX_AUTHORS])
            more = " " + terms["et_al"] if len(people) > HEADING_MAX_AUTHORS else ""
            groups.append(write_statement(phrase, shown, more))
        elif role == "translator":
            groups.append(f"{_translation_term(record, terms, lang)} {_name_list(people, terms)}")
        else:
            groups.append(f"{terms[role]} {_name_list(people, terms)}")
    return groups


def _name_list(people: Sequence[Name], terms: Mapping[str, str], *, more: bool = False) -> str:
    if len(people) > HEADING_MAX_AUTHORS or more:
        return ", ".join(format_gost_inverted(n) for n in people[:HEADING_MAX_AUTHORS]) + " " + terms["et_al"]
    return ", ".join(format_gost_inverted(n) for n in people)


def more_authors(record: Mapping[str, Any]) -> bool:
    """Whether the source named only some of the authors (``[и др.]``/``[et al.]`` after them, 7.1-2003
    5.2.6; kept as ``custom["authors-et-al"]``): then there are four or more, and no heading (rule 2)."""
    custom = record.get("custom")
    return isinstance(custom, Mapping) and custom.get("authors-et-al") is True


def original_language(record: Mapping[str, Any]) -> str | None:
    """The BCP 47 code of the language a translation was made from, where the record says it."""
    custom = record.get("custom")
    if isinstance(custom, Mapping):
        code = custom.get("original-language")
        if isinstance(code, str) and code.strip():
            return code.strip().split("-")[0].lower()
    match = _TRANSLATED_FROM.search(f"{record.get('note', '')} {record.get('remarks', '')}")
    if match:
        return _LANGUAGE_BY_NAME.get(match.group(1).lower())
    return None


def _translation_term(record: Mapping[str, Any], terms: Mapping[str, str], lang: str) -> str:
    code = original_language(record)
    if code is None:
        return terms["translator"]
    english, russian = LANGUAGES.get(code, (code, code))
    return f"{terms['translator']} {terms['from']} {russian if lang == 'ru' else english}"


def _edition(record: Mapping[str, Any], lang: str) -> str:
    edition = str(record.get("edition", "")).strip()
    if not edition.isdigit():
        return edition
    n = int(edition)
    if lang == "ru":
        return f"{n}-е изд."
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} ed."


def place_form(place: str, lang: str) -> str:
    """A place as GOST writes it: ``М.`` in Russian, ``Moscow`` in English, others as given (rule 6)."""
    return gost_place(" ".join(place.split()), lang)


def place_form_in(place: str, lang: str, rules: Edition) -> str:
    """A place by the edition's rule 6: 7.0.100-2018 keeps a full name, 7.1-2003 abbreviates."""
    if lang == "ru" and not rules.abbreviate_places:
        from catalogue.model.places import find_place

        known = find_place(place)
        if known is not None and place.strip() == known.russian:
            return place.strip()
    return place_form(place, lang)


def _publication_area(record: Mapping[str, Any], terms: Mapping[str, str], lang: str, rules: Edition) -> str:
    """``Place ; Place : Publisher, Year`` (rule 6; GOST 7.1-2003 5.7), publisher as recorded."""
    where = JOINT_PLACES.join(place_form_in(p, lang, rules) for p in places(record))
    where = where or _capital(terms["no_place"])
    publisher = " ".join(str(record.get("publisher", "")).split())
    if publisher:
        where += f" : {publisher}"
    return f"{where}, {issued_text(record) or terms['no_year']}"


def issued_text(record: Mapping[str, Any]) -> str:
    """``2006``, ``1998–2007``, ``2007–`` (7.1-2003 7.2.1.11), or a literal date as the record gives it."""
    issued = record.get("issued")
    if isinstance(issued, Mapping) and "date-parts" not in issued and issued.get("literal"):
        return " ".join(str(issued["literal"]).split())
    return year_text(record)


def _capital(text: str) -> str:
    """``[s. l.]`` -> ``[S. l.]``: an area starts with a capital letter."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1:]
    return text


