"""Formatted references through citeproc-py: clean output for the shipped catalogue, styles, formats."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from catalogue.cite.citeproc_fixes import clean_punctuation, csl_item, strip_number
from catalogue.cite.engine import (
    GOST,
    UnknownStyle,
    bibliography,
    check_output,
    closest_styles,
    list_styles,
    references,
    style_ids,
)
from catalogue.errors import UnknownFormat, UsageProblem

MAIN_STYLES = ["apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right"]
DOUBLED = re.compile(r"[?!]\.|(?<!\.)\.\.(?!\.)|,,|\.\s\.")


@pytest.mark.parametrize("style", MAIN_STYLES)
def test_every_shipped_record_renders_cleanly(shipped: Any, style: str) -> None:
    records = shipped.records()
    entries = references(records, style)
    assert len(entries) == len(records) == 18
    for entry in entries:
        assert entry.strip() and not DOUBLED.search(entry), entry
        assert not re.match(r"^\d", entry), "socsopr numbers the list itself"


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
def test_a_title_used_for_a_missing_author_is_not_printed_twice(shipped: Any, style: str) -> None:
    entry = references([shipped.get("close2001imf")], style)[0]
    assert entry.count("Close the IMF!") == 1


def test_compiler_renders_in_apa_and_chicago_as_an_editor(shipped: Any) -> None:
    record = shipped.get("kozlovsky2006education")
    assert "Kozlovsky, S. A. (ed.)" in references([record], "apa")[0]
    assert "Kozlovsky" in references([record], "chicago-author-date")[0]
    assert csl_item(record)["editor"] == [{"family": "Kozlovsky", "given": "S. A."}]
    assert "compiler" not in csl_item(record)


def test_no_doubled_question_mark(shipped: Any) -> None:
    for style in MAIN_STYLES:
        assert "Socialism?." not in references([shipped.get("ovsyannikov2006why")], style)[0]


def test_labels_without_their_variable_are_left_out(shipped: Any) -> None:
    entry = references([shipped.get("left1998vanguard")], "chicago-author-date")[0]
    assert "Edition" not in entry


def test_numbered_styles_are_numbered_once_with_a_space(shipped: Any) -> None:
    text = bibliography(shipped.records()[:3], "gost-r-7-0-5-2008-numeric")
    lines = text.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["1.", "2.", "3."]
    assert not any(re.match(r"^\d+\.\s*\d", line) for line in lines)


def test_gost_is_the_default_and_numbered(shipped: Any) -> None:
    text = bibliography([shipped.get("ovsyannikov2006why")])  # a Russian record: Russian forms by default
    assert text == "1. Ovsyannikov I. A. Why Socialism? — М., 2006. — 36 с.\n"
    assert bibliography([shipped.get("ovsyannikov2006why")], GOST, "en-US").endswith("— Moscow, 2006. — 36 p.\n")


def test_locale_reaches_csl_styles(shipped: Any) -> None:
    entry = references([shipped.get("rabochayavlast")], "apa", "ru-RU")[0]
    assert "n.d." not in entry


def test_markdown_has_italics_and_escapes_data() -> None:
    record = {"id": "m1", "type": "book", "title": "Stars * and _under_ [links]",
              "issued": {"date-parts": [[2001]]}}
    entry = references([record], "apa", fmt="markdown")[0]
    assert entry.startswith("*Stars \\* and \\_under\\_ \\[links\\]*")
    gost = references([record], GOST, fmt="markdown")[0]
    assert "\\*" in gost and "\\[links\\]" in gost


def test_html_is_escaped_and_well_formed(shipped: Any) -> None:
    hostile = {"id": "h1", "type": "book", "title": "<script>alert(1)</script> & more",
               "author": [{"family": "D<o>e", "given": "J."}], "issued": {"date-parts": [[2001]]}}
    for style in ["apa", GOST]:
        text = bibliography([hostile, shipped.get("ovsyannikov2006why")], style, fmt="html")
        assert "<script>" not in text and "&lt;script&gt;" in text
        root = ET.fromstring(text)
        assert root.tag == "ol" and len(root) == 2
    assert "<i>Why Socialism?</i>" in bibliography([shipped.get("ovsyannikov2006why")], "apa", fmt="html")


def test_raw_dates_are_kept() -> None:
    record = {"id": "r1", "type": "book", "title": "Dated", "issued": {"raw": "c. 2006"}}
    assert "(2006)" in references([record], "apa")[0]


def test_unknown_style_names_the_closest() -> None:
    with pytest.raises(UnknownStyle) as caught:
        references([], "apaa")
    assert isinstance(caught.value, UsageProblem)
    assert "apa" in caught.value.closest
    assert "apa" in str(caught.value)
    assert "chicago-author-date" in closest_styles("chicago-autor-date")


def test_unknown_output_format() -> None:
    with pytest.raises(UnknownFormat):
        check_output("rtf")


def test_style_list() -> None:
    ids = style_ids()
    assert ids[0] == GOST and {"apa", "modern-language-association"} <= set(ids)
    found = [s.id for s in list_styles("gost")]
    assert found[0] == GOST and "gost-r-7-0-5-2008-numeric" in found
    assert any(s.id == "apa" for s in list_styles("apa style 7th"))
    assert list_styles("zzzz-no-such-style") == []


def test_clean_punctuation_and_strip_number() -> None:
    assert clean_punctuation("Why Socialism?. Moscow") == "Why Socialism? Moscow"
    assert clean_punctuation("<i>Why?</i>. M") == "<i>Why?</i> M"
    assert clean_punctuation("“2005.”. M") == "“2005.” M"
    assert clean_punctuation("(ed.). (2006)") == "(ed.). (2006)"
    assert clean_punctuation("Wait... more") == "Wait... more"
    assert strip_number("1.Close", 1) == "Close"
    assert strip_number("[12] A. B.", 12) == "A. B."
    assert strip_number("1968. Revolution", 3) == "1968. Revolution"
