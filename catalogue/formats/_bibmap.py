"""Records as BibTeX/biblatex entries and back: types, names, dates, places, languages.

One mapping serves both dialects; ``biblatex`` differs where the dialects do
(``location``/``date``/``journaltitle``/``@thesis``) and classic BibTeX keeps the
fields pandoc's ``-f bibtex`` reader reads (``address``, ``year``/``month``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from catalogue.formats._latex import decode, escape, escape_title, split_commas, split_top_level
from catalogue.formats._memo import memo_name, memo_text
from catalogue.formats._values import ValueProblem, shown, whole_number
from catalogue.model.record import OPEN_END, Record, places

# CSL type -> classic BibTeX type: only the types plain.bst and the GOST .bst files define.
# Book-like items are @book there: the one type both print the publisher, the place and
# (the GOST styles) the page count of; ``entrysubtype`` keeps the CSL type for readers.
BIBTEX_TYPES = {
    "book": "book", "pamphlet": "book", "periodical": "book", "collection": "book",
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "article": "article", "chapter": "incollection", "paper-conference": "inproceedings",
    "report": "techreport", "manuscript": "unpublished", "thesis": "phdthesis",
}
# CSL type -> biblatex type, before the fields decide (``_biblatex_type``).
BIBLATEX_TYPES = {
    "book": "book", "pamphlet": "booklet", "periodical": "periodical", "collection": "collection",
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "article": "article", "chapter": "incollection", "paper-conference": "inproceedings",
    "report": "report", "manuscript": "unpublished", "thesis": "thesis", "webpage": "online",
    "dataset": "dataset", "software": "software", "patent": "patent",
}
# The CSL type a bib type stands for unless ``entrysubtype`` says more.
_PLAIN_CSL_TYPE = {
    "book": "book", "booklet": "pamphlet", "periodical": "periodical", "collection": "collection",
    "article": "article-journal", "incollection": "chapter", "inproceedings": "paper-conference",
    "report": "report", "techreport": "report", "thesis": "thesis", "phdthesis": "thesis",
    "unpublished": "manuscript", "online": "webpage", "dataset": "dataset", "software": "software",
    "patent": "patent", "misc": "document",
}
_SUBTYPES = {"article-magazine": "magazine", "article-newspaper": "newspaper"}
IMPORT_TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet",
    "inbook": "chapter", "incollection": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference", "proceedings": "book",
    "mvproceedings": "book", "collection": "collection", "mvcollection": "collection",
    "reference": "book", "mvreference": "book", "inreference": "entry-encyclopedia",
    "manual": "report", "techreport": "report", "report": "report", "mastersthesis": "thesis",
    "phdthesis": "thesis", "thesis": "thesis", "unpublished": "manuscript", "periodical": "periodical",
    "online": "webpage", "www": "webpage", "electronic": "webpage", "dataset": "dataset",
    "software": "software", "patent": "patent", "misc": "document", "suppperiodical": "article-journal",
    "article-newspaper": "article-newspaper",
}
LANGIDS = {
    "ru": "russian", "en": "english", "de": "german", "fr": "french", "uk": "ukrainian",
    "be": "belarusian", "pl": "polish", "es": "spanish", "it": "italian", "pt": "portuguese",
    "nl": "dutch", "cs": "czech", "sr": "serbian", "bg": "bulgarian", "kk": "kazakh",
    "hy": "armenian", "ka": "georgian", "lv": "latvian", "lt": "lithuanian", "et": "estonian",
    "fi": "finnish", "sv": "swedish", "da": "danish", "no": "norwegian", "tr": "turkish",
    "el": "greek", "he": "hebrew", "ja": "japanese", "zh": "chinese", "la": "latin",
}
_LANGUAGE_CODES = {v: k for k, v in LANGIDS.items()} | {
    "american": "en", "british": "en", "USenglish": "en", "UKenglish": "en", "ngerman": "de",
    "austrian": "de", "naustrian": "de", "swissgerman": "de", "francais": "fr", "brazil": "pt",
    "portuges": "pt", "ukrainian": "uk", "russian": "ru", "norsk": "no", "nynorsk": "no",
}
# Fields of biblatex's data model (blx-dm.def) per entry type, of those socsopr writes that
# not every type takes; biber --validate-datamodel calls any other "Invalid field".
_EVERY_TYPE = frozenset({
    "title", "date", "year", "month", "langid", "keywords", "doi", "url", "urldate", "eprint", "file",
    "abstract", "shorttitle", "origtitle", "entrysubtype", "note", "addendum", "titleaddon", "language",
    "ids",
})
_BOOKISH = frozenset({
    "author", "editor", "editora", "editortype", "editoratype", "translator", "edition", "isbn",
    "location", "publisher", "pagetotal", "series", "number", "volume", "volumes", "maintitle",
})
BIBLATEX_FIELDS: dict[str, frozenset[str]] = {
    "article": frozenset({"author", "editor", "editora", "editortype", "editoratype", "translator",
                          "journaltitle", "journaltitleaddon", "issn", "issue", "number", "pages",
                          "series", "volume", "version"}),
    "book": _BOOKISH | {"pages"},
    "collection": _BOOKISH - {"author"} | {"pages"},
    "incollection": _BOOKISH - {"pagetotal"} | {"booktitle", "pages"},
    "inproceedings": _BOOKISH - {"pagetotal", "translator", "editora", "editoratype", "edition"}
    | {"booktitle", "pages", "organization"},
    "booklet": frozenset({"author", "editor", "editortype", "howpublished", "location", "pages",
                          "pagetotal", "type"}),
    "dataset": frozenset({"author", "editor", "editortype", "edition", "location", "number",
                          "organization", "publisher", "series", "type", "version"}),
    "misc": frozenset({"author", "editor", "editortype", "howpublished", "location", "organization",
                       "type", "version"}),
    "software": frozenset({"author", "editor", "editortype", "howpublished", "location", "organization",
                           "type", "version"}),
    "online": frozenset({"author", "editor", "editortype", "organization", "version"}),
    "patent": frozenset({"author", "holder", "location", "number", "type", "version"}),
    "periodical": frozenset({"editor", "editora", "editortype", "editoratype", "issn", "issue", "number",
                             "series", "volume"}),
    "report": frozenset({"author", "institution", "location", "number", "pages", "pagetotal", "type",
                         "version"}),
    "thesis": frozenset({"author", "institution", "location", "pages", "pagetotal", "type"}),
    "unpublished": frozenset({"author", "howpublished", "location", "type"}),
}
_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
# CSL string fields written under a BibTeX field of the same meaning; both dialects.
_PLAIN_FIELDS = (
    ("title-short", "shorttitle"), ("original-title", "origtitle"), ("volume", "volume"),
    ("edition", "edition"), ("collection-title", "series"), ("collection-number", "number"),
    ("number-of-volumes", "volumes"), ("version", "version"), ("DOI", "doi"), ("URL", "url"),
    ("abstract", "abstract"), ("note", "note"),
)
# Fields biblatex reads verbatim: written and read back exactly as they are, never LaTeX.
VERBATIM_FIELDS = frozenset({"doi", "url", "eprint", "file"})
_AND_WORD = re.compile(r"(?<=\s)(and)(?=\s)", re.IGNORECASE)
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Straight quotes: babel russian makes " active, so none may stand raw in a value. A pair becomes
# the dialect's quote command (biblatex's own \mkbibquote, language-aware through csquotes; in
# BibTeX \enquote, which the entries' @preamble provides when csquotes is not loaded), a lone
# one \symbol{34}, which biber does not turn back into a raw " (it does \textquotedbl).
QUOTE_COMMANDS = {"biblatex": r"\mkbibquote", "bibtex": r"\enquote"}
ENQUOTE_PREAMBLE = "@preamble{\"\\providecommand{\\enquote}[1]{``#1''}\"}\n"


class Bare(str):
    """A value written without braces: a month macro (``month = oct``)."""


# --- records -> entries --------------------------------------------------------------


def entry_fields(record: Record, dialect: str) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and ``(field, LaTeX value)`` pairs of a record, in a reader's order.

    biblatex: only fields its data model allows on the type (biber --validate-datamodel);
    BibTeX: the types plain.bst and the GOST styles know, fields where they print them.
    """
    if dialect == "bibtex":
        entry_type = bibtex_type(record)
        return entry_type, _entry(record, dialect, entry_type)[0]
    # The first candidate type whose data model holds the most of the record (the CSL type
    # stays in entrysubtype): a report with a translator is a @book rather than lose him.
    best: tuple[int, str, list[tuple[str, str]]] | None = None
    for entry_type in _biblatex_types(record):
        fields, dropped = _entry(record, dialect, entry_type)
        if best is None or len(dropped) < best[0]:
            best = (len(dropped), entry_type, fields)
        if not dropped:
            break
    assert best is not None
    return best[1], best[2]


class _Memos:
    """The values of one dialect that recur across a catalogue, each escaped once per distinct value."""

    def __init__(self, quote: str) -> None:
        self.text = memo_text(lambda value: escape(value, quote))
        # a literal list (publisher, classic address): ``and`` braced so no reader splits it
        self.literal = memo_text(lambda value: protect_and(escape(value, quote)))
        self.place = memo_text(lambda value: _braced_item(value, quote))
        self.name = memo_name(lambda name: bibtex_name(name, quote))


_MEMOS = {dialect: _Memos(quote) for dialect, quote in QUOTE_COMMANDS.items()}
_PAGE_DASHES = re.compile(r"\s*[-–—]+\s*")
_PLAIN_CSL = frozenset(csl for csl, _bib in _PLAIN_FIELDS)
# Classic BibTeX: where a type's publisher goes (plain.bst prints these fields for these types).
_PUBLISHER_SLOTS = {"techreport": "institution", "phdthesis": "school", "misc": "howpublished",
                    "unpublished": "howpublished"}


@lru_cache(maxsize=64)
def _biblatex_allowed(entry_type: str) -> frozenset[str]:
    return BIBLATEX_FIELDS.get(entry_type, BIBLATEX_FIELDS["misc"]) | _EVERY_TYPE


def _entry(record: Record, dialect: str, entry_type: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The ``(field, LaTeX value)`` pairs of a record as ``entry_type``, and the fields it leaves out."""
    get = record.get
    rtype = str(get("type", ""))
    quote = QUOTE_COMMANDS[dialect]
    memos = _MEMOS[dialect]
    escaped = memos.text
    biblatex = dialect == "biblatex"
    # BibTeX: every field (styles ignore what they do not know)
    allowed = _biblatex_allowed(entry_type) if biblatex else None
    out: list[tuple[str, str]] = []
    dropped: list[str] = []
    # The fields ``put`` chose a slot for. Only ``put`` writes the fields that have fallbacks; what is
    # appended directly (names, title, dates, langid …) never competes with them for a slot.
    taken: set[str] = set()

    def put(field: str, value: str, *fallbacks: str) -> None:
        for name in (field, *fallbacks):
            if (allowed is None or name in allowed) and name not in taken:
                out.append((name, value))
                taken.add(name)
                return
        if field in ("isbn", "issn"):
            out.append(("addendum", f"{field.upper()} {value}"))
        else:
            dropped.append(field)

    def text(value: object) -> str:
        return escaped(str(value))

    for role, names in _name_fields(record, dialect, entry_type, memos.name):
        if allowed is None or role in allowed:
            out.append((role, names))
        else:
            dropped.append(role)
    out.append(("title", escape_title(str(get("title", "")), quote)))
    genre = get("genre")
    if genre:
        put("type", text(genre), "titleaddon" if biblatex else "type")
    container = get("container-title")
    if container:
        value = escape_title(str(container), quote)
        if entry_type in ("incollection", "inproceedings", "inbook"):
            put("booktitle", value)
        elif entry_type == "article":
            put("journaltitle" if biblatex else "journal", value)
        else:
            put("organization" if biblatex else "howpublished", value)
    issued = get("issued")
    if issued is not None:
        out.extend(_date_fields(record, dialect))
    accessed = get("accessed")
    parts = accessed.get("date-parts") if isinstance(accessed, dict) else None
    if parts and len(parts) == 1:  # urldate: biblatex's field, which the GOST .bst files print too
        out.append(("urldate", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts[0]))))
    if get("publisher-place"):
        place = places(record)
        if place:
            if biblatex:
                put("location", " and ".join(map(memos.place, place)), "journaltitleaddon")
            else:
                out.append(("address", memos.literal("; ".join(place))))
    publisher = get("publisher")
    if publisher:
        value = memos.literal(str(publisher))
        if biblatex:
            # @dataset has both; biblatex-gost prints a dataset with its @misc driver: organization only
            slots = ("organization", "publisher") if entry_type == "dataset" else ("publisher", "institution")
            put(slots[0], "{" + value + "}", *slots[1:], "organization", "howpublished")
        else:
            slot = _PUBLISHER_SLOTS.get(entry_type, "publisher")
            put(slot, value, "publisher")
            if rtype == "webpage" and ("howpublished", value) in out:
                out.append(("publisher", value))  # so that the import tells it from a site's name
    pages_count = get("number-of-pages")
    if pages_count is not None:
        put("pagetotal", text(pages_count))
    page = get("page")
    if page:
        pages = text(_PAGE_DASHES.sub("--", str(page)))
        put("pages", pages.replace("-{}-", "--"))
    number = get("issue") or get("number")
    if number:
        put("number", text(number))
    if not _PLAIN_CSL.isdisjoint(record):
        for csl, bib in _PLAIN_FIELDS:
            plain = get(csl)
            if plain is not None and plain != "":
                put(bib, _field_text(bib, str(plain), quote))
    for csl, bib in (("ISBN", "isbn"), ("ISSN", "issn")):
        if get(csl):
            put(bib, text(record[csl]))
    original = _parallel_original(record)
    if original and not get("original-title"):  # the title is a translation of this one
        put("origtitle", escape_title(original["text"], quote))
        if not biblatex or entry_type in _ORIGLANGUAGE_TYPES:
            out.append(("origlanguage", text(langid(original["language"]))))
    subtype = _subtype(rtype, entry_type)
    if subtype:
        out.append(("entrysubtype", subtype))
    language = get("language")
    if language:
        out.append(("langid", _langid_value(str(language), biblatex, escaped)))
    if not biblatex and not (get("author") or get("editor")):
        out.append(("key", text(get("title", record["id"]))))  # plain.bst sorts on it
    if get("tags"):
        out.append(("keywords", text(", ".join(record["tags"]))))
    if biblatex and get("aliases"):  # keys of merged records: biber resolves \cite{old}
        out.append(("ids", text(", ".join(record["aliases"]))))
    return out, dropped


@lru_cache(maxsize=256)
def _langid_value(language: str, biblatex: bool, escaped: Callable[[str], str]) -> str:
    """``langid``: biblatex's babel name of the language; the base name for BibTeX (the GOST .bst files
    know those)."""
    base = LANGIDS.get(language.split("-")[0].lower())
    name = langid(language) if biblatex else base
    return escaped(name or language)


def bibtex_type(record: Record) -> str:
    """The classic BibTeX type of a record: one plain.bst and the GOST styles know."""
    rtype = str(record.get("type", ""))
    if rtype == "manuscript" and (record.get("number-of-pages") is not None or record.get("publisher-place")):
        return "book"  # @unpublished prints neither place nor page count in plain.bst or ugost2008.bst
    return BIBTEX_TYPES.get(rtype, "misc")


_ARTICLES = frozenset({"article", "article-journal", "article-magazine", "article-newspaper"})


def _biblatex_types(record: Record) -> tuple[str, ...]:
    """The biblatex types a record may be written as, the fitting one first.

    An article is always @article; a part of a book may become @incollection (which has a
    translator and an edition, @inproceedings not); any other item may become @book.
    """
    first = _biblatex_type(record)
    rtype = str(record.get("type", ""))
    if rtype in _ARTICLES or first == "article":
        return (first,)
    if first in ("incollection", "inproceedings", "inbook"):
        return (first, "incollection")
    return (first, "book")


def _biblatex_type(record: Record) -> str:
    """The biblatex type whose data model holds the record's fields (a publisher, a translator …)."""
    rtype = str(record.get("type", ""))
    entry_type = BIBLATEX_TYPES.get(rtype, "misc")
    if entry_type == "booklet" and (record.get("publisher") or record.get("translator")):
        return "book"  # @booklet has neither; a publisher's pamphlet is a small book
    if entry_type == "periodical" and (record.get("publisher") or record.get("publisher-place")):
        return "misc"  # @periodical has neither publisher nor location; @misc prints both
    if entry_type == "unpublished" and record.get("number-of-pages") is not None:
        return "booklet"  # @unpublished has no page count
    return entry_type


def _subtype(rtype: str, entry_type: str) -> str:
    """``entrysubtype``: the CSL type when the entry type alone would read back as another."""
    if rtype in _SUBTYPES and entry_type == "article":
        return _SUBTYPES[rtype]
    if rtype and _PLAIN_CSL_TYPE.get(entry_type) != rtype:
        return rtype
    return ""


# biblatex's types that take ``origlanguage`` (blx-dm.def): a parallel original title of a record of
# another type is written as ``origtitle`` alone, and reads back as CSL's original-title.
_ORIGLANGUAGE_TYPES = frozenset({
    "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "collection", "reference",
    "mvcollection", "mvreference", "incollection", "suppcollection", "inreference", "unpublished",
})


def _parallel_original(record: Record) -> dict[str, str] | None:
    """The record's parallel title of kind ``original`` (its title in the original language)."""
    if not record.get("titles"):
        return None
    from catalogue.model.titles import parallel_titles

    return next((t for t in parallel_titles(record) if t["kind"] == "original"), None)


def langid(language: str) -> str:
    """The babel/polyglossia name of a BCP 47 tag (``ru`` -> ``russian``), else the tag."""
    from catalogue.model.languages import babel_name

    return babel_name(language) or LANGIDS.get(language.split("-")[0].lower(), language)


def _field_text(field: str, value: str, quote: str) -> str:
    if field in VERBATIM_FIELDS:
        return verbatim(value)
    return escape_title(value, quote) if field in ("shorttitle", "origtitle") else escape(value, quote)


def protect_and(text: str) -> str:
    """``and`` between spaces braced (``Faber {and} Faber``), so no reader splits a literal list on it."""
    return _AND_WORD.sub(r"{\1}", text) if "and" in text.lower() else text


def verbatim(value: str) -> str:
    """A verbatim field's value as it is, unless it would break the entry's braces.

    Then its braces and backslashes are percent-encoded (``%7B``, ``%7D``, ``%5C``):
    the same address for a URL or DOI, where those characters may not stand bare.
    """
    if _braces_hold(value):
        return value
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _braces_hold(value: str) -> bool:
    """Whether ``{value}`` reads back as one value: braces balance, a backslash never eats the last one."""
    depth, i = 0, 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            if i + 1 == len(value):
                return False
            i += 2
            continue
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
        i += 1
    return depth == 0


_AND_ANYWHERE = re.compile(r"\band\b", re.IGNORECASE)  # "and" as a word, which a reader splits names on


def _braced_item(value: str, quote: str) -> str:
    text = escape(value, quote)
    return "{" + text + "}" if "," in text or _AND_ANYWHERE.search(text) else text


def bibtex_name(name: dict[str, Any], quote: str = QUOTE_COMMANDS["bibtex"]) -> str:
    """A CSL name in BibTeX's ``von Last, Jr, First`` form, with specials escaped."""
    if "literal" in name:
        return "{" + escape(str(name["literal"]), quote) + "}"
    family = escape(str(name.get("family", "")), quote)
    if "," in family or _AND_ANYWHERE.search(family) or family[:1].islower():
        family = "{" + family + "}"
    particle = name.get("non-dropping-particle")
    if particle:
        family = f"{protect_and(escape(str(particle), quote))} {family}"
    dropping = name.get("dropping-particle")
    given = escape(str(name.get("given", "")), quote)
    if dropping:
        given = f"{given} {escape(str(dropping), quote)}".strip()
    if "," in given:
        given = "{" + given + "}"
    given = protect_and(given)
    suffix = name.get("suffix")
    if suffix:
        return f"{family}, {protect_and(escape(str(suffix), quote))}, {given}"
    return f"{family}, {given}" if given else family


def _names_value(people: list[dict[str, Any]], name: Callable[[dict[str, Any]], str]) -> str:
    return " and ".join(map(name, people))


def _name_fields(
    record: Record, dialect: str, entry_type: str, name: Callable[[dict[str, Any]], str]
) -> list[tuple[str, str]]:
    """The name lists of a record as BibTeX fields; ``name`` writes one name (``bibtex_name``)."""
    get = record.get
    fields: list[tuple[str, str]] = []
    author = get("author")
    if author:
        fields.append(("author", " and ".join(map(name, author))))
    editor, compiler, translator = get("editor"), get("compiler"), get("translator")
    if not (editor or compiler or translator):
        return fields
    if editor:
        fields.append(("editor", _names_value(editor, name)))
    if compiler:
        if dialect == "bibtex":  # the GOST styles print it as a compiler; plain.bst has no such role
            fields.append(("compiler", _names_value(compiler, name)))
        else:
            slot = "editora" if editor else "editor"
            fields += ((slot, _names_value(compiler, name)), (slot + "type", "compiler"))
    if translator:
        allowed = BIBLATEX_FIELDS.get(entry_type, BIBLATEX_FIELDS["misc"])
        if dialect == "bibtex" or "translator" in allowed:
            fields.append(("translator", _names_value(translator, name)))
        elif "editora" in allowed and not (editor and compiler):
            fields += (("editora", _names_value(translator, name)), ("editoratype", "translator"))
        else:
            fields.append(("translator", _names_value(translator, name)))  # the type has no slot: left out
    return fields


def _date_fields(record: Record, dialect: str) -> Iterator[tuple[str, str]]:
    issued = record.get("issued")
    if not isinstance(issued, dict):
        return
    parts = issued.get("date-parts")
    if not parts:
        text = str(issued.get("literal") or issued.get("raw") or "")
        if not text:
            return
        if dialect == "biblatex":
            years = _YEAR.findall(text)
            open_range = re.fullmatch(r"\s*([0-9]{4})\s*[-–—/]+\s*", text)
            if open_range:  # "2007–": biblatex writes an open range as 2007/
                yield "date", open_range.group(1) + "/"
                return
            if len(years) == 2 and re.fullmatch(r"\s*[0-9]{4}\s*[-–—/]+\s*[0-9]{4}\s*", text):
                yield "date", "/".join(years)
                return
        yield ("date" if dialect == "biblatex" and _ISO_DATE.match(text) else "year"), escape(text)
        return
    first = parts[0]
    if len(parts) == 2 and parts[1] == OPEN_END:  # a range still running: 2007– (biblatex 2007/)
        start = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(first))
        if dialect == "biblatex":
            yield "date", start + "/"
            return
        yield "year", f"{first[0]}–"
        if len(first) >= 2:
            yield "month", Bare(_MONTH_MACROS[first[1] - 1])
        return
    if dialect == "biblatex":
        if len(parts) == 1 and len(first) == 1:  # a year alone, the common date
            yield "date", str(first[0])
            return
        yield "date", "/".join("-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(d)) for d in parts)
        return
    # pandoc's -f bibtex reader reads "1998/2007" as a range and drops "1998--2007".
    yield "year", "/".join(str(d[0]) for d in parts) if len(parts) == 2 else str(first[0])
    if len(parts) == 1 and len(first) >= 2:
        yield "month", Bare(_MONTH_MACROS[first[1] - 1])  # plain.bst and the GOST styles know the macros
        if len(first) == 3:
            yield "day", str(first[2])


# --- entries -> records --------------------------------------------------------------

_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
# A range open at its end: 2007– or 2007- (a BibTeX year); 2007-10/ and 2007-10/.. (biblatex).
_OPEN_RANGE = re.compile(r"\s*([0-9]{4})\s*(?:/\s*(?:\.\.)?|[-–—]+)\s*")
_OPEN_DATE = re.compile(r"\s*([0-9]{4}(?:-[0-9]{2}){0,2})\s*/\s*(?:\.\.)?\s*")
_SHORT_YEAR = re.compile(r"[0-9]{1,4}")
_ISO_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?$")
_MONTHS = {m[:3].lower(): i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}


def parse_person(raw: str) -> dict[str, Any]:
    """One BibTeX name (still LaTeX) as a CSL name; a name wholly in braces is an organisation."""
    return dict(_parse_person(raw.strip()))  # a copy: the cached one is shared


@lru_cache(maxsize=16384)
def _parse_person(raw: str) -> dict[str, Any]:  # names recur across a bibliography
    if raw.startswith("{") and raw.endswith("}") and _one_group(raw):
        return {"literal": decode(raw[1:-1])}
    parts = split_commas(raw)
    if len(parts) == 1:
        words = split_top_level(raw, re.compile(r"\s+"))
        von_at = next((i for i, w in enumerate(words[:-1]) if i and w[:1].islower()), len(words) - 1)
        return _person(" ".join(words[von_at:]), " ".join(words[:von_at]), "")
    suffix = parts[1] if len(parts) >= 3 else ""
    given = parts[-1] if len(parts) >= 2 else ""
    return _person(parts[0], given, suffix)


def _one_group(raw: str) -> bool:
    """Whether ``{…}`` is one group (``{A} and {B}`` is not); escaped braces do not count."""
    depth, i = 0, 0
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
            continue
        depth += (raw[i] == "{") - (raw[i] == "}")
        if depth == 0 and i < len(raw) - 1:
            return False
        i += 1
    return True


def _person(last: str, given: str, suffix: str) -> dict[str, Any]:
    words = split_top_level(last, re.compile(r"\s+"))
    particle_end = 0
    while particle_end < len(words) - 1 and words[particle_end][:1].islower():
        particle_end += 1
    name: dict[str, Any] = {"family": decode(" ".join(words[particle_end:]))}
    if particle_end:
        name["non-dropping-particle"] = decode(" ".join(words[:particle_end]))
    if given.strip():
        name["given"] = decode(given)
    if suffix.strip():
        name["suffix"] = decode(suffix)
    return name


def parse_names(raw: str) -> list[dict[str, Any]]:
    """A BibTeX name list (``A and B and others``) as CSL names; ``others`` is dropped."""
    return [parse_person(p) for p in split_top_level(raw) if p.strip().lower() != "others"]


def parse_issued(fields: dict[str, str], warnings: list[str] | None = None) -> dict[str, Any] | None:
    """``issued`` from biblatex ``date`` or BibTeX ``year``/``month``/``day``.

    A year with no year in it (``abc``) is a ``ValueProblem``; a month or day that
    cannot be read is left out with a warning appended to ``warnings``.
    """
    warnings = [] if warnings is None else warnings
    if fields.get("date"):
        text = decode(fields["date"])
        open_end = _OPEN_DATE.fullmatch(text)
        start = _iso(open_end.group(1)) if open_end else None
        if start:  # biblatex 2007-10/ (or 2007-10/..): still running, [[2007, 10], [0]] in the model
            return {"date-parts": [start, list(OPEN_END)]}
        ends = [e.strip() for e in text.split("/")]
        dates = [_iso(e) for e in ends if e]
        if dates and all(dates):
            return {"date-parts": dates}
        if not _YEAR.search(text):
            raise ValueProblem(f"date {shown(text)} holds no year")
        return {"literal": text}
    if not fields.get("year"):
        return None
    text = decode(fields["year"])
    open_end = _OPEN_RANGE.fullmatch(text)
    if open_end:  # 2007– (the BibTeX export of an open range), with its month if there is one
        month = _month(decode(fields.get("month", "")))
        return {"date-parts": [[int(open_end.group(1)), *([month] if month else [])], list(OPEN_END)]}
    years = [int(y) for y in _YEAR.findall(text)]
    if not years and _SHORT_YEAR.fullmatch(text.strip()):
        years = [int(text)]
    if not years:
        raise ValueProblem(f"year {shown(text)} holds no year")
    if len(years) >= 2 and re.search(r"[0-9]{4}\s*(/|--?|–|—)\s*[0-9]{4}", text):
        return {"date-parts": [[years[0]], [years[1]]]}
    date = [years[0]]
    month_text = decode(fields.get("month", ""))
    month = _month(month_text)
    if month:
        date.append(month)
        day_text = decode(fields.get("day", ""))
        day = whole_number(day_text)
        if day is not None and 1 <= day <= 31:
            date.append(day)
        elif day_text.strip():
            warnings.append(f"day {shown(day_text)} is not a day of the month; left out")
    elif month_text.strip():
        warnings.append(f"month {shown(month_text)} is not a month; left out")
    return {"date-parts": [date]}


def _iso(text: str) -> list[int] | None:
    m = _ISO_DATE.match(text.strip("~?% "))
    if not m:
        return None
    return [int(p) for p in m.groups() if p]


def _month(text: str) -> int | None:
    number = whole_number(text)
    if number is not None:
        return number if 1 <= number <= 12 else None
    m = re.search(r"[A-Za-z]{3}", text)
    return _MONTHS.get(m.group(0).lower()) if m else None


def language_code(value: str) -> str | None:
    """A BCP 47 code from a ``langid``/``language`` value (``russian``, ``rus``, ``Русский`` -> ``ru``)."""
    from catalogue.model.languages import to_bcp47

    value = value.strip()
    tag = to_bcp47(value) if value else None
    if tag:
        return tag
    if value in _LANGUAGE_CODES or value.lower() in _LANGUAGE_CODES:
        return _LANGUAGE_CODES.get(value) or _LANGUAGE_CODES[value.lower()]
    return value if _BCP47.match(value) and value.lower() not in ("and", "others") else None
