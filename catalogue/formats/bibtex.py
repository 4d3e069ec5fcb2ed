"""BibTeX: classic fields that BibTeX styles and pandoc's ``-f bibtex`` reader know; reads biblatex too."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, WARNINGS_KEY, exporter, importer
from catalogue.formats._latex import LatexError, decode
from catalogue.formats._values import ValueProblem, shown, whole_number
from catalogue.model.record import Record


def write_entries(records: Iterable[Record], dialect: str) -> str:
    """Records as ``@type{key, field = {value}, …}`` entries, one blank line apart."""
    entry = entry_writer(dialect)
    return join_entries([entry(record) for record in records], dialect)


def entry_writer(dialect: str) -> Callable[[Record], str]:
    """The function giving one record's entry, from ``@type{key,`` to its closing brace and line break:
    the entries of ``write_entries`` are these, joined by a blank line, each of its record alone."""
    from catalogue.formats._bibmap import Bare, entry_fields

    def entry_text(record: Record) -> str:
        entry_type, fields = entry_fields(record, dialect)
        chunks = [f"@{entry_type}{{{record['id']},\n"]
        add = chunks.append
        for name, value in fields:
            add(f"  {name} = {value},\n" if isinstance(value, Bare) else f"  {name} = {{{value}}},\n")
        add("}\n")
        return "".join(chunks)

    return entry_text


def join_entries(entries: list[str], dialect: str) -> str:
    """The file of these entries (``entry_writer``'s), one blank line apart; in BibTeX preceded by the
    ``@preamble`` defining ``\\enquote`` when an entry uses it (for documents without csquotes)."""
    from catalogue.formats._bibmap import ENQUOTE_PREAMBLE

    if dialect == "bibtex" and entries and any("\\enquote{" in entry for entry in entries):
        entries = [ENQUOTE_PREAMBLE + "\n" + entries[0], *entries[1:]]  # the text is built in one copy
    return "\n".join(entries)


@exporter("bibtex", description="BibTeX (classic fields; read by BibTeX styles and pandoc)", extension="bib")
def export_bibtex(records: Iterable[Record]) -> str:
    return write_entries(records, "bibtex")


@importer("bibtex", description="BibTeX or biblatex (.bib): @string, crossref, accents", extension="bib")
def import_bibtex(text: str, source: str) -> list[Record]:
    return read_records(text, source)


def read_records(text: str, source: str) -> list[Record]:
    """Records of a .bib file; problems raise ``ParseError`` whose ``records`` holds the readable ones."""
    from catalogue.formats._bibread import read_entries

    entries, problems = read_entries(text, source)
    records: list[Record] = []
    for entry in entries:
        try:
            record = record_from_entry(entry, source)
        except (LatexError, ValueProblem) as exc:
            problems.append(f"{source}:{entry.line}: entry {entry.key!r}: {exc}")
            continue
        record[LINE_KEY] = entry.line
        if entry.warnings:
            record[WARNINGS_KEY] = [w if w.startswith(source) else f"{source}: {w}" for w in entry.warnings]
        records.append(record)
    if problems:
        raise ParseError(problems, records)
    return records


_STRING_FIELDS = (
    ("shorttitle", "title-short"), ("origtitle", "original-title"), ("type", "genre"),
    ("volume", "volume"), ("edition", "edition"), ("isbn", "ISBN"), ("issn", "ISSN"), ("doi", "DOI"),
    ("url", "URL"), ("abstract", "abstract"), ("note", "note"), ("series", "collection-title"),
    ("volumes", "number-of-volumes"), ("version", "version"),
)
# Types whose BibTeX `number` beside a `series` is the number within the series.
_SERIES_TYPES = frozenset({"book", "pamphlet", "collection", "chapter", "paper-conference"})
# Identifiers socsopr writes into `addendum` where a biblatex type has no field for them.
_ADDENDUM_ID = re.compile(r"\b(ISBN|ISSN) ([0-9Xx-]+)")
# biblatex's entry subtypes for articles, and CSL types socsopr writes as `entrysubtype`.
_ARTICLE_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}


def _csl_type(entry_type: str, subtype: str) -> str:
    """The CSL type of an entry: its ``entrysubtype`` when that names one (socsopr writes it so)."""
    from catalogue.formats._bibmap import IMPORT_TYPES
    from catalogue.model.record import CSL_TYPES

    subtype = subtype.strip().lower()
    if entry_type == "article" and subtype in _ARTICLE_SUBTYPES:
        return _ARTICLE_SUBTYPES[subtype]
    if subtype in CSL_TYPES:
        return subtype
    return IMPORT_TYPES.get(entry_type, "document")


def _volume_title(maintitle: str, volume: str, langid: str) -> str:
    """The title of a volume that has none of its own: the whole work's, and the volume (``Т. 2``)."""
    if not volume.strip():
        return maintitle
    cyrillic = decode(langid).strip().lower() in ("russian", "ukrainian", "belarusian", "bulgarian")
    mark = "Т." if cyrillic else "Vol."
    return f"{maintitle}. {mark} {volume.strip()}"


def record_from_entry(entry: Any, source: str = "") -> Record:
    """A CSL record from a BibTeX/biblatex entry (``_bibread.BibEntry``).

    ``LatexError`` or ``ValueProblem`` when a field cannot be read; what is only
    left out is added to ``entry.warnings``.  Literal fields (``publisher`` …) are
    never split on ``and``; verbatim fields (``url``, ``doi``) are never decoded.
    """
    from catalogue.formats._bibmap import (
        VERBATIM_FIELDS,
        language_code,
        parse_issued,
        parse_names,
    )

    f = entry.fields
    import unicodedata

    key = unicodedata.normalize("NFC", entry.key)  # a UTF-8 key is kept when valid, in NFC
    record: Record = {"id": key, "type": _csl_type(entry.entry_type, decode(f.get("entrysubtype", "")))}
    roles = {"author": "author", "translator": "translator", "compiler": "compiler"}
    for name, role in roles.items():
        if f.get(name):
            record[role] = parse_names(f[name])
    for slot in ("editor", "editora", "editorb"):
        if f.get(slot):
            role = decode(f.get(slot + "type", "editor")).lower()
            role = role if role in ("compiler", "translator", "editor") else "editor"
            record.setdefault(role, []).extend(parse_names(f[slot]))
    title = decode(f.get("title", ""))
    if f.get("subtitle"):
        title = f"{title}: {decode(f['subtitle'])}" if title else decode(f["subtitle"])
    containers: tuple[str, ...] = ("journaltitle", "journal", "booktitle", "maintitle")
    if not title and f.get("maintitle"):  # one volume of a multi-volume work, titled by the whole
        title = _volume_title(decode(f["maintitle"]), decode(f.get("volume", "")), f.get("langid", ""))
        containers = containers[:-1]
    if title:
        record["title"] = title
    webpage = record["type"] == "webpage"
    if webpage:  # a site's name: biblatex @online has organization for it, BibTeX @misc howpublished
        containers += ("organization", "howpublished")
    for name in containers:
        if f.get(name) and not (webpage and name == "howpublished" and f[name] == f.get("publisher")):
            if webpage and name == "organization" and _wholly_braced(f[name]):
                continue  # {{Publisher}}: a literal list, written for a publisher, not the site's name
            record["container-title"] = decode(f[name])
            break
    notes: list[str] = []
    issued = parse_issued(f, notes)
    entry.warnings.extend(f"{source}:{entry.line}: entry {entry.key!r}: {n}" for n in notes)
    if issued:
        record["issued"] = issued
    if f.get("urldate"):
        accessed = parse_issued({"date": f["urldate"]}, notes)
        if accessed and "date-parts" in accessed:
            record["accessed"] = accessed
    place = f.get("location") or f.get("address") or f.get("journaltitleaddon")
    if place:
        from catalogue.formats._latex import split_top_level
        from catalogue.model.record import join_places

        record["publisher-place"] = join_places(decode(p) for p in split_top_level(place))
    for name in ("publisher", "institution", "school", "organization", "howpublished"):
        if f.get(name) and not (webpage and decode(f[name]) == record.get("container-title")):
            record["publisher"] = decode(f[name])
            break
    if f.get("pagetotal"):
        pagetotal = decode(f["pagetotal"])
        count = whole_number(pagetotal)
        if count is None or count < 1:
            raise ValueProblem(f"pagetotal {shown(pagetotal)} is not a positive whole number")
        record["number-of-pages"] = count
    if f.get("pages"):
        record["page"] = decode(f["pages"].replace("--", "-"))
    if f.get("number") or f.get("issue"):
        number = decode(f.get("issue") or f["number"])
        if entry.entry_type == "article":
            record["issue"] = number
        elif f.get("series") and record["type"] in _SERIES_TYPES:
            record["collection-number"] = number  # the volume's number within its series
        else:
            record["number"] = number
    for bib, csl in _STRING_FIELDS:
        if f.get(bib):
            record[csl] = f[bib] if bib in VERBATIM_FIELDS else decode(f[bib])
    if not f.get("type") and f.get("titleaddon"):
        record["genre"] = decode(f["titleaddon"])  # where socsopr writes a genre a type has no `type` for
    for identifier in _ADDENDUM_ID.findall(decode(f.get("addendum", ""))):
        record.setdefault(identifier[0], identifier[1])
    language = f.get("langid") or f.get("language")
    code = language_code(decode(language)) if language else None
    if code:
        record["language"] = code
    original = language_code(decode(f["origlanguage"])) if f.get("origlanguage") else None
    if original and original == code and record.get("original-title"):
        # the original in the work's own language: not a translated work's original, but the title in
        # its own language beside a translated title (what socsopr writes for a parallel title)
        text = record.pop("original-title")
        record["titles"] = [{"kind": "original", "language": original, "text": text}]
    keywords = f.get("keywords") or f.get("keyword")
    if keywords:
        tags = [t.strip() for t in decode(keywords).replace(";", ",").split(",") if t.strip()]
        if tags:
            record["tags"] = list(dict.fromkeys(tags))
    return record


def _wholly_braced(raw: str) -> bool:
    """Whether one pair of braces holds the whole value (``{Farrar, Straus and Giroux}``), as
    socsopr protects a literal list; ``{CWI} site`` is braced in part only."""
    raw = raw.strip()
    if len(raw) < 2 or raw[0] != "{" or raw[-1] != "}":
        return False
    depth, escaped = 0, False
    for i, char in enumerate(raw):
        if escaped:  # \{ and \} are braces of the text, not of the value
            escaped = False
            continue
        escaped = char == "\\"
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and i < len(raw) - 1:
            return False
    return True
