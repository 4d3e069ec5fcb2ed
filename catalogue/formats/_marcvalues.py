"""What MARC 21 and UNIMARC share: ISBD punctuation, extents, dates, languages, names and roles.

The two mappings (``_marc21``, ``_unimarc``) read and write different tags; the
values inside the subfields are written the same way, and read here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from catalogue.model.names import Name
from catalogue.model.record import CSL_TYPES, OPEN_END, Record

# The key of a record as a system control number: 035 $a in both formats.
KEY_PREFIX = "(socsopr)"
# The romanisation MARC 21 catalogues give beside an 880 (the ALA-LC tables).
ROMANISATION = "ala-lc"
# The socsopr type, for the types MARC's leader does not tell apart (pamphlet, report, webpage …).
TYPE_SOURCE = "csl"

# Relator codes (MARC 21 $4, the Library of Congress list) and terms ($e, English and Russian
# abbreviations of catalogues) of the four roles socsopr keeps.
MARC_RELATORS = {"aut": "author", "edt": "editor", "com": "compiler", "trl": "translator"}
RELATOR_CODES = {role: code for code, role in MARC_RELATORS.items()}
_RELATOR_TERMS = {
    "author": "author", "auth": "author", "авт": "author", "автор": "author",
    "editor": "editor", "ed": "editor", "eds": "editor", "ред": "editor", "редактор": "editor",
    "compiler": "compiler", "comp": "compiler", "сост": "compiler", "составитель": "compiler",
    "translator": "translator", "tr": "translator", "trans": "translator", "transl": "translator",
    "пер": "translator", "переводчик": "translator",
}
# UNIMARC relator codes (Appendix C) of the four roles.
UNIMARC_RELATORS = {"070": "author", "340": "editor", "220": "compiler", "730": "translator"}
UNIMARC_CODES = {role: code for code, role in UNIMARC_RELATORS.items()}

_SUFFIXES = re.compile(r"^(?:Jr\.?|Sr\.?|[IVX]{1,4}|мл\.|ст\.)$")
_PARTICLES = frozenset({"von", "van", "de", "der", "den", "di", "da", "du", "la", "le", "del", "della",
                        "ten", "ter", "zu", "dos", "das"})
# Trailing ISBD punctuation of a subfield: " :", " ;", " /", " =", ",", and the spaces before it.
_TRAILING = re.compile(r"\s*(?:\s[:;/=]|,)\s*$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_PAGE_UNIT = re.compile(r"(?:\bp\.|\bpp\.|\bpages\b|\bS\.|(?<![А-Яа-яЁё])с\.|\bстр\.|\bл\.|\bleaves\b)")
_NUMBER = re.compile(r"(\[?)(\d+)(\]?)")
_LOCATOR = re.compile(
    r"(?P<label>vol\.|v\.|т\.|том|bd\.|no\.|n\.|№|nr\.|вып\.|iss\.|p\.|pp\.|с\.|s\.)\s*(?P<value>[^,;]+)",
    re.IGNORECASE,
)
_LABELS = {
    "vol.": "volume", "v.": "volume", "т.": "volume", "том": "volume", "bd.": "volume",
    "no.": "issue", "n.": "issue", "№": "issue", "nr.": "issue", "вып.": "issue", "iss.": "issue",
    "p.": "page", "pp.": "page", "с.": "page", "s.": "page",
}


def clean(value: str | None) -> str:
    """A subfield's text without the ISBD punctuation that ends it, on one line."""
    if not value:
        return ""
    return _TRAILING.sub("", " ".join(value.split()))


def clean_title(value: str | None) -> str:
    """A title part: ISBD punctuation off, and a closing full stop unless it ends an abbreviation."""
    text = clean(value)
    if text.endswith(".") and not text.endswith(".."):
        last = re.split(r"[\s.]", text[:-1])[-1]
        if len(last) >= 3 and not last.isupper():
            text = text[:-1]
    return text


def number_or_text(value: str) -> int | str:
    """``12`` as a number, ``5–6`` or ``T. 1`` as text."""
    return int(value) if value.isdigit() and len(value) < 10 else value


def page_count(extent: str | None) -> int | None:
    """The pages of an extent statement: ``xii, 404 p.`` → 404, ``[8], 35, [1] с.`` → 35."""
    if not extent:
        return None
    unit = _PAGE_UNIT.search(extent)
    if unit is None:
        return None
    numbers = [(bool(a or b), int(n)) for a, n, b in _NUMBER.findall(extent[:unit.start()]) if len(n) < 7]
    plain = [n for bracketed, n in numbers if not bracketed]
    counted = plain or [n for _, n in numbers]
    return max(counted) if counted and max(counted) > 0 else None


def extent_text(pages: object, language: str) -> str:
    unit = "с." if language.split("-")[0] in ("ru", "uk", "be", "bg", "sr", "mk") else "p."
    return f"{pages} {unit}"


def issued_from_text(text: str | None) -> dict[str, Any] | None:
    """``c1962.`` → 1962, ``1998-2007`` → a range, ``2007-`` → an open range (still published)."""
    if not text:
        return None
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        return None
    first = years[0]
    if len(years) > 1 and years[1] == 9999:  # MARC's "still published"
        return {"date-parts": [[first], list(OPEN_END)]}
    if len(years) > 1 and years[1] > first:
        return {"date-parts": [[first], [years[1]]]}
    after = text[text.find(str(first)) + 4:].strip(" .])")
    if after[:1] in ("-", "–", "—") and not after[1:].strip():
        return {"date-parts": [[first], list(OPEN_END)]}
    return {"date-parts": [[first]]}


def years_of(record: Record) -> tuple[int | None, int | None, bool]:
    """The first year, the last (a range) and whether the range is open, of ``issued``."""
    issued = record.get("issued") or {}
    parts = issued.get("date-parts") or []
    if not parts and isinstance(issued.get("literal"), str):
        parsed = issued_from_text(issued["literal"]) or {}
        parts = parsed.get("date-parts") or []
    try:
        first = parts[0][0] if type(parts[0][0]) is int else None
    except (IndexError, TypeError):
        return None, None, False
    if len(parts) == 2 and isinstance(parts[1], list) and parts[1]:
        if parts[1] == OPEN_END:
            return first, None, True
        return first, parts[1][0] if type(parts[1][0]) is int else None, False
    return first, None, False


def date_text(record: Record) -> str:
    first, last, open_range = years_of(record)
    if first is None:
        return ""
    if open_range:
        return f"{first}-"
    return f"{first}-{last}" if last and last != first else str(first)


def language_code(tag: object) -> str | None:
    """A BCP 47 tag as the ISO 639-2/B code MARC writes (``de`` → ``ger``)."""
    if not isinstance(tag, str) or not tag:
        return None
    return _language_code(tag)


@lru_cache(maxsize=512)
def _language_code(tag: str) -> str | None:
    import langcodes

    try:
        code = langcodes.Language.get(tag).to_alpha3(variant="B")
    except (LookupError, ValueError):
        return None
    return code if isinstance(code, str) and len(code) == 3 else None


def language_of(code: str | None) -> str | None:
    """A MARC language code (``rus``, ``ger``) as BCP 47; None for blanks, ``und``, fill characters."""
    from catalogue.model.languages import to_bcp47

    code = (code or "").strip().lower()
    if len(code) != 3 or not code.isalpha():
        return None
    return to_bcp47(code)


def role_of(codes: list[str], terms: list[str]) -> str | None:
    """The socsopr role of a MARC 21 name by its relator codes and terms (None: another role)."""
    for code in codes:
        role = MARC_RELATORS.get(code.strip().lower().rstrip("."))
        if role:
            return role
    for term in terms:
        role = _RELATOR_TERMS.get(term.strip().lower().strip(" .,;:"))
        if role:
            return role
    return None


def person(family_part: str, given_part: str = "", suffix: str = "") -> Name:
    """A CSL person from the inverted form (``van der Berg``, ``Friedrich von``, ``Jr.``)."""
    family_part, given_part = clean(family_part), clean(given_part).lstrip(", ")
    name: Name = {}
    words = family_part.split()
    lead = 0
    while lead < len(words) - 1 and words[lead] in _PARTICLES:
        lead += 1
    if lead:
        name["non-dropping-particle"] = " ".join(words[:lead])
    name["family"] = " ".join(words[lead:]) or family_part
    if given_part.endswith(".") and len(given_part.split()[-1].rstrip(".")) >= 3:
        given_part = given_part[:-1]  # the record's closing full stop, not an initial's
    given_words = given_part.split()
    tail = len(given_words)
    while tail > 1 and given_words[tail - 1] in _PARTICLES:
        tail -= 1
    if given_words[:tail]:
        name["given"] = " ".join(given_words[:tail])
    if tail < len(given_words):
        name["dropping-particle"] = " ".join(given_words[tail:])
    suffix = clean(suffix)
    if suffix and _SUFFIXES.match(suffix):
        name["suffix"] = suffix
    return name


def inverted(name: Name) -> tuple[str, str]:
    """A CSL person as MARC's entry element and the rest: (``van der Berg``, ``Jan``)."""
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    return family, given


def locators(text: str | None) -> dict[str, int | str]:
    """``Vol. 17, no. 3, p. 389–404`` (or ``Т. 17, № 3. С. 389-404``) as volume, issue, page."""
    found: dict[str, int | str] = {}
    for match in _LOCATOR.finditer(text or ""):
        field = _LABELS[match.group("label").lower()]
        value = clean(match.group("value")).rstrip(".").strip()
        if value and field not in found:
            found[field] = value if field == "page" else number_or_text(value)
    return found


def locator_text(record: Record) -> str:
    parts = []
    for field, label in (("volume", "Vol."), ("issue", "no."), ("page", "p.")):
        if record.get(field) not in (None, ""):
            parts.append(f"{label} {record[field]}")
    return ", ".join(parts)


def socsopr_type(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if value in CSL_TYPES else None


def book_or_pamphlet(record: Record) -> str:
    """A monograph of 5–48 pages is a pamphlet (UNESCO's definition), anything else a book."""
    pages = record.get("number-of-pages")
    return "pamphlet" if isinstance(pages, int) and 5 <= pages <= 48 else "book"


def one_line(value: object) -> str:
    return " ".join(str(value).split())


def usable_tags(values: list[str]) -> list[str]:
    """The index terms that are valid socsopr tags (a catalogue's subject phrases often are not)."""
    from catalogue.model.validation import validate_field

    return [t for t in dict.fromkeys(values) if t and not validate_field("tags", [t])]


def no_delimiters(text: str) -> str:
    """Text without ISO 2709's delimiters (a hand-edited catalogue may hold them): they would end a field."""
    return text.translate(_DELIMITERS)


_DELIMITERS = {0x1D: " ", 0x1E: " ", 0x1F: " "}


# MARC 21 script identification codes of 880 $6 (Cyrillic, Greek, Arabic, Hebrew, CJK), by Unicode name.
_SCRIPTS = (("CYRILLIC", "/(N"), ("GREEK", "/(S"), ("ARABIC", "/(3/r"), ("HEBREW", "/(2/r"), ("CJK", "/$1"),
            ("HIRAGANA", "/$1"), ("KATAKANA", "/$1"), ("HANGUL", "/$1"))


def script_code(text: str) -> str | None:
    """The script code of a title's first non-Latin letter for 880 $6 (``/(N`` Cyrillic); None if Latin."""
    import unicodedata

    for char in text:
        if char.isalpha() and not char.isascii():
            name = unicodedata.name(char, "")
            if name.startswith("LATIN"):
                continue
            return next((code for script, code in _SCRIPTS if name.startswith(script)), "")
    return None
