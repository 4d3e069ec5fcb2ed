"""Formatted references: socsopr's own GOST, or any CSL style through pandoc 3.9's citeproc, offline.

``references(records, style, locale, fmt)`` gives the entries, in the order of
the style's list; ``bibliography`` the whole list as one text. CSL styles are
rendered by the citeproc of pandoc 3.9 (the binary of the pypandoc_binary
wheel), fed the CSL-JSON that ``export -f csl-json`` writes, so an entry is
exactly what pandoc prints for the same items: author-date styles are not
numbered, numeric styles print their own labels. citeproc-py 0.11 could not
reach that with contained fixes (year suffixes, sort keys, subsequent-author
substitution, quotes). GOST stays socsopr's own renderer and numbers its list.
A long list in a style whose given-name disambiguation spans the list (APA,
Chicago author-date) is rendered in batches that cannot affect one another
(``batches``), shared among a few pandoc processes, entry for entry what one run
prints, in a fraction of pandoc's time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from catalogue.cite.locales import CSL_LOCALES, UnknownLocale, csl_locale
from catalogue.cite.pandoc import EngineFailed, EngineMissing, pandoc_binary, render_entries
from catalogue.cite.styles import (
    ALIASES,
    GOST,
    GOST_STYLES,
    GOST_TITLE,
    CslStyle,
    StyleInfo,
    StyleUnusable,
    UnknownStyle,
    closest_styles,
    find_style,
    is_gost,
    list_styles,
    looks_like_path,
    style_ids,
)
from catalogue.errors import UnknownFormat
from catalogue.gost import render as gost_render
from catalogue.model.record import Record

__all__ = [
    "ALIASES", "CSL_LOCALES", "FORMATS", "GOST", "GOST_STYLES", "GOST_TITLE", "CslStyle", "EngineFailed",
    "EngineMissing", "StyleInfo", "StyleUnusable", "UnknownLocale", "UnknownStyle", "bibliography",
    "check_locale", "check_output", "closest_styles", "csl_entries", "find_style", "is_gost", "list_styles",
    "looks_like_path", "pandoc_binary", "references", "style_ids",
]

FORMATS = ("text", "markdown", "html")


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _escape_html(text: str) -> str:
    return html.escape(text, quote=False)


_GOST_ESCAPES: dict[str, Callable[[str], str] | None] = {
    "text": None, "markdown": _escape_markdown, "html": _escape_html,
}


def check_output(fmt: str) -> str:
    """The output format, or ``UnknownFormat`` naming text, markdown and html."""
    if fmt not in FORMATS:
        raise UnknownFormat(fmt, FORMATS, "citation format")
    return fmt


def check_locale(style: str, locale: str) -> str:
    """The locale as the style's renderer takes it: ``en``/``ru`` for GOST, a CSL tag otherwise."""
    return gost_render.locale_code(locale) if is_gost(style) else csl_locale(locale)


def csl_entries(
    records: Sequence[Record], style: str | CslStyle, locale: str | None = None, fmt: str = "text",
    romanize: str | None = None,
) -> list[tuple[str, str]]:
    """``(key, entry)`` of a CSL style (an id, alias, ``.csl`` path or a found style), pandoc's order.

    A record with a title translated into the list's language is cited as
    ``Original [Translation]`` (APA 7, 9.38; Chicago and MLA alike); ``romanize`` names a system
    (``romanization.SYSTEMS``) that writes every Cyrillic text of the records in Latin letters.
    """
    from catalogue.formats import export

    check_output(fmt)
    found = style if isinstance(style, CslStyle) else find_style(style)
    lang = csl_locale(locale) if locale else found.default_locale
    if not records:
        return []
    cited = _cited(records, (lang or "en").split("-")[0], romanize)
    try:
        return render_entries(export(cited, "csl-json"), found.path, lang, fmt)
    except EngineFailed as exc:
        if "Citeproc" in exc.stderr:  # pandoc's own reading of the style failed
            said = " ".join(exc.stderr.split())[:300]
            raise StyleUnusable(f"pandoc cannot use the style {found.name!r} ({said})") from None
        raise


def references(
    records: Sequence[Record], style: str | CslStyle = GOST, locale: str | None = None, fmt: str = "text",
    romanize: str | None = None,
) -> list[str]:
    """The formatted entries in the order of the style's list (GOST: socsopr's order, unnumbered).

    GOST keeps the original script; with ``romanize`` (a system of ``romanization.SYSTEMS``) it
    is the transliterated list Russian journals ask for: every Cyrillic text romanised, the title
    followed by its English translation in brackets, English forms unless ``locale`` says otherwise.
    """
    check_output(fmt)
    if is_gost(style):  # the style id is the edition of the rules (catalogue.gost.editions)
        escape = _GOST_ESCAPES[fmt]
        if romanize:
            records = _cited(records, "en", romanize)
            locale = locale or gost_render.locale_code("en")
        lines = gost_render.render_all(records, locale, edition=str(style))  # locale None: each record's own
        return [escape(line) for line in lines] if escape else lines
    return [entry for _key, entry in csl_entries(records, style, locale, fmt, romanize)]


def _cited(records: Sequence[Record], language: str, romanize: str | None) -> list[Record]:
    """The records as a list prints them: romanised if asked, titles with their translation into
    ``language`` in brackets (``titles.cited_record``)."""
    from catalogue.model.titles import cited_record

    if romanize:
        from catalogue.model.romanization import system_name

        romanize = system_name(romanize)  # an unknown system is refused before any record is read
    return [dict(cited_record(r, language, romanize)) for r in records]


def bibliography(
    records: Sequence[Record], style: str | CslStyle = GOST, locale: str | None = None, fmt: str = "text",
    romanize: str | None = None,
) -> str:
    """The reference list as one text.

    GOST is numbered (``1. …`` lines, a Markdown list, an HTML ``<ol>``). A CSL
    style is as pandoc prints it: one entry a line in text, a paragraph each in
    Markdown, ``<div class="csl-entry">`` in HTML (as the CSL test suite writes it).
    """
    if is_gost(style):
        entries = references(records, style, locale, fmt, romanize)
        if fmt == "html":
            items = "".join(f"  <li>{entry}</li>\n" for entry in entries)
            return f'<ol class="references">\n{items}</ol>\n'
        return "".join(f"{i}. {entry}\n" for i, entry in enumerate(entries, 1))
    pairs = csl_entries(records, style, locale, fmt, romanize)
    if fmt == "html":
        divs = "".join(
            f'  <div class="csl-entry" id="ref-{html.escape(key)}">{entry}</div>\n' for key, entry in pairs)
        return f'<div class="csl-bib-body">\n{divs}</div>\n'
    separator = "\n\n" if fmt == "markdown" else "\n"
    return separator.join(entry for _key, entry in pairs) + ("\n" if pairs else "")
