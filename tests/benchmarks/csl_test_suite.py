"""Run the official CSL processor test suite's bibliography fixtures through socsopr's CSL engine.

    python tests/benchmarks/csl_test_suite.py [--suite PATH] [--show-failures] [--compare]

The suite (citation-style-language/test-suite) is fetched, not vendored:
``--suite`` names a checkout; without it the repository is cloned (shallow)
into the cache folder (``SOCSOPR_CACHE_DIR`` or ~/.cache/socsopr/csl-test-suite).
The fixtures counted are those of ``processor-tests/humans/*.txt`` whose MODE
is ``bibliography`` and which have no CITATIONS / CITATION-ITEMS section.

Each fixture's items (CSL-JSON as given) and style go to
``catalogue.cite.pandoc.render_entries`` in HTML, as ``socsopr cite`` uses it;
the entries are compared with the RESULT's ``<div class="csl-entry">`` entries
after normalising both: white space collapsed, entities decoded, and the tags
that say the same thing in citeproc-js's and pandoc's HTML made one
(``<em>``/``<i>``, ``<strong>``/``<b>``, small caps as a class or a style,
``<span>`` without meaning and links dropped). ``--compare`` also runs the system
``pandoc`` (e.g. Debian's 2.17) and plain citeproc-py, when they are installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from catalogue.cite.pandoc import render_entries

SUITE_URL = "https://github.com/citation-style-language/test-suite"
SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n?(.*?)\n?<<=+ \1 =+<<", re.DOTALL)

# --- the fixtures ---------------------------------------------------------------------


def suite_folder(given: str | None) -> Path:
    if given:
        return Path(given)
    cache = Path(os.environ.get("SOCSOPR_CACHE_DIR") or Path.home() / ".cache" / "socsopr") / "csl-test-suite"
    if not (cache / "processor-tests").is_dir():
        cache.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "--depth=1", SUITE_URL, str(cache)], check=True)
    return cache


def bibliography_fixtures(folder: Path) -> dict[str, dict[str, str]]:
    """name -> sections of every bibliography fixture without citation sections."""
    fixtures = {}
    for path in sorted((folder / "processor-tests" / "humans").glob("*.txt")):
        sections = dict(SECTION.findall(path.read_text(encoding="utf-8")))
        if sections.get("MODE", "").strip() != "bibliography":
            continue
        if "CITATIONS" in sections or "CITATION-ITEMS" in sections:
            continue
        fixtures[path.stem] = sections
    return fixtures


# --- normalised HTML ------------------------------------------------------------------

_SAME_TAG = {"em": "i", "i": "i", "strong": "b", "b": "b", "sup": "sup", "sub": "sub"}
_BLOCKS = ("csl-left-margin", "csl-right-inline", "csl-block", "csl-indent")


class _Entries(HTMLParser):
    """The entries (``div.csl-entry``) of an HTML text as normalised token strings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[list[str]] = []
        self.stack: list[str | None] = []  # what each open element closes with (None: nothing)
        self.depth_in_entry = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        style = (found.get("style") or "").replace(" ", "")
        if tag == "div" and "csl-entry" in classes and not self.depth_in_entry:
            self.entries.append([])
            self.depth_in_entry = 1
            self.stack.append("ENTRY")
            return
        if not self.depth_in_entry:
            self.stack.append(None)
            return
        self.depth_in_entry += 1
        mark = None
        if tag in _SAME_TAG:
            mark = _SAME_TAG[tag]
        elif "smallcaps" in classes or "font-variant:small-caps" in style:
            mark = "sc"
        elif "font-style:italic" in style:
            mark = "i"
        elif "font-weight:bold" in style:
            mark = "b"
        elif "text-decoration:underline" in style:
            mark = "u"
        elif tag == "div" and any(c in classes for c in _BLOCKS):
            mark = next(c for c in _BLOCKS if c in classes)
        if mark:
            self.entries[-1].append(f"<{mark}>")
        self.stack.append(mark)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            return
        mark = self.stack.pop()
        if mark == "ENTRY":
            self.depth_in_entry = 0
        elif self.depth_in_entry:
            self.depth_in_entry -= 1
            if mark:
                self.entries[-1].append(f"</{mark}>")

    def handle_data(self, data: str) -> None:
        if self.depth_in_entry:
            self.entries[-1].append(data)


# citeproc-js writes a superscript letter of a locale's ordinal as <sup>; pandoc keeps the
# Unicode superscript character the locale has (1ᵉʳ): the same text either way.
_SUPERSCRIPTS = dict(zip("ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁰¹²³⁴⁵⁶⁷⁸⁹", "abcdefghijklmnoprstuvwxyz0123456789", strict=True))


def normalised_entries(text: str) -> list[str]:
    parser = _Entries()
    parser.feed(text)
    parser.close()
    entries = []
    for tokens in parser.entries:
        joined = re.sub(r"\s+", " ", "".join(tokens))
        joined = "".join(f"<sup>{_SUPERSCRIPTS[c]}</sup>" if c in _SUPERSCRIPTS else c for c in joined)
        joined = re.sub(r"\s*(</?csl-[a-z-]+>)\s*", r"\1", joined)  # block edges hold no space
        entries.append(joined.strip())
    return entries


def entries_html(entries: list[str]) -> str:
    return "".join(f'<div class="csl-entry">{entry}</div>' for entry in entries)


# --- the engines ----------------------------------------------------------------------


def socsopr_engine(sections: dict[str, str], work: Path) -> list[str]:
    style = work / "style.csl"
    style.write_text(sections["CSL"], encoding="utf-8")
    return normalised_entries(entries_html([e for _k, e in render_entries(sections["INPUT"], style, None, "html")]))


def system_pandoc(sections: dict[str, str], work: Path) -> list[str]:
    (work / "style.csl").write_text(sections["CSL"], encoding="utf-8")
    (work / "items.json").write_text(sections["INPUT"], encoding="utf-8")
    done = subprocess.run(
        ["pandoc", "--from=markdown", "--to=html", "--citeproc", "--bibliography=items.json",
         "--csl=style.csl", "--wrap=none"],
        input="---\nnocite: '@*'\n...\n", capture_output=True, text=True, cwd=work, check=True,
    )
    return normalised_entries(done.stdout)


def plain_citeproc_py(sections: dict[str, str], work: Path) -> list[str]:
    import json
    import warnings

    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    (work / "style.csl").write_text(sections["CSL"], encoding="utf-8")
    items = json.loads(sections["INPUT"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bib = CitationStylesBibliography(
            CitationStylesStyle(str(work / "style.csl"), validate=False), CiteProcJSON(items), formatter.html)
        for item in items:
            bib.register(Citation([CitationItem(str(item["id"]))]))
        return normalised_entries(entries_html([str(entry) for entry in bib.bibliography()]))


def run_suite(
    name: str, engine: Callable[[dict[str, str], Path], list[str]], fixtures: dict[str, dict[str, str]],
    show: bool,
) -> int:
    passed = 0
    failed = []
    for fixture, sections in fixtures.items():
        expected = normalised_entries(sections.get("RESULT", ""))
        with tempfile.TemporaryDirectory() as folder:
            try:
                got = engine(sections, Path(folder))
            except Exception as exc:  # a crash is a failure of that fixture
                got = [f"{type(exc).__name__}: {exc}"]
        if got == expected:
            passed += 1
        else:
            failed.append((fixture, expected, got))
    print(f"{name:<28} {passed:>4} / {len(fixtures)} bibliography fixtures pass")
    if show:
        for fixture, expected, got in failed:
            print(f"  FAIL {fixture}\n    expected {expected}\n    got      {got}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", help="a checkout of citation-style-language/test-suite")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--compare", action="store_true", help="also the system pandoc and citeproc-py")
    parser.add_argument("--only", help="run the fixtures whose name contains this text")
    args = parser.parse_args()
    fixtures = bibliography_fixtures(suite_folder(args.suite))
    if args.only:
        fixtures = {k: v for k, v in fixtures.items() if args.only in k}
    run_suite("socsopr (pandoc 3.9)", socsopr_engine, fixtures, args.show_failures)
    if not args.compare:
        return
    if shutil.which("pandoc"):
        version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        run_suite(f"system {version}", system_pandoc, fixtures, args.show_failures)
    try:
        import citeproc  # noqa: F401
    except ImportError:
        print("citeproc-py is not installed: not compared")
    else:
        run_suite("plain citeproc-py", plain_citeproc_py, fixtures, args.show_failures)


if __name__ == "__main__":
    main()
