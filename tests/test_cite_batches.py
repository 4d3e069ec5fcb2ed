"""A long list in APA (and ~200 styles like it) is rendered in batches, byte for byte the list of one run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from catalogue import Catalogue
from catalogue.cite import batches
from catalogue.cite import pandoc as pandoc_module
from catalogue.cite.engine import StyleUnusable, bibliography, find_style
from catalogue.formats import export
from tests.benchmarks.generate import generate

BATCHED_STYLES = ["apa", "apa-6th-edition", "chicago-author-date"]  # hints may change names of 13 roles (APA 6th), of 19 (Chicago)
MIXED = ROOT / "tests" / "data" / "mixed-catalogue.json"


def _style_text(style: str) -> str:
    return find_style(style).path.read_text(encoding="utf-8")


def _entries(items_json: str, style: str, fmt: str, monkeypatch: pytest.MonkeyPatch, *, batch: int | None,
             workers: int = 2, locale: str | None = None) -> list[tuple[str, str]]:
    """pandoc's entries in batches of ``batch`` items (whatever the length of the list) made by
    ``workers`` pandoc processes, or in one run."""
    with monkeypatch.context() as patch:
        patch.setattr(pandoc_module, "MIN_ITEMS", 0 if batch else 10**9)
        patch.setattr(pandoc_module, "workers", lambda: workers)
        if batch:
            patch.setattr(batches, "BATCH_ITEMS", batch)
        return pandoc_module.render_entries(items_json, find_style(style).path, locale, fmt)


def test_which_styles_are_rendered_in_batches() -> None:
    apa = batches.plan(_style_text("apa"))
    # legal references print the author short; a composer is cited before the author
    assert apa is not None and apa.hinted == {"author", "composer"}
    assert batches.plan(_style_text("apa-6th-edition")) is not None
    # primary-name with a style-wide initialize-with, but the list's names are initialize="false"
    # (those in a <substitute> print with the <name> of their <names>): as APA
    chicago = batches.plan(_style_text("chicago-author-date"))
    assert chicago is not None and chicago.hinted == {"author", "composer"}
    assert batches.plan(_style_text("ieee")) is None  # numbered: a number is the whole list's
    assert batches.plan(_style_text("gost-r-7-0-5-2008-numeric")) is None
    assert batches.plan(_style_text("modern-language-association")) is None  # subsequent-author-substitute
    assert batches.plan(_style_text("harvard-cite-them-right")) is None  # given names by cite: quick anyway
    assert batches.plan("not a style") is None


def _hinted(bibliography: str, style: str = "", rule: str = "primary-name") -> set[str] | None:
    found = batches.plan(
        f'<style xmlns="http://purl.org/net/xbiblio/csl" {style}>'
        f'<citation disambiguate-add-givenname="true" givenname-disambiguation-rule="{rule}">'
        '<layout><names variable="author"/></layout></citation>'
        f'<bibliography><layout>{bibliography}</layout></bibliography></style>')
    return None if found is None else set(found.hinted)


def test_the_names_a_hint_may_change() -> None:
    short = '<names variable="editor"><name form="short"/></names>'
    assert _hinted(short) == {"editor"}
    assert _hinted('<names variable="editor"/>', 'name-form="short"') == {"editor"}
    inherited = '<names variable="editor"/>'
    assert _hinted(inherited) == set()
    assert _hinted(inherited, 'initialize-with=". "') == {"editor"}  # the hint stops the initials
    assert _hinted(inherited, 'initialize-with=". "', "primary-name-with-initials") == set()
    assert _hinted(inherited, 'initialize-with=". " initialize="false"') == set()
    assert _hinted('<names variable="editor"><name initialize="false"/></names>', 'initialize-with=". "') == set()
    substituted = ('<names variable="composer"><name initialize="false"/><substitute><names variable="editor"/>'
                   '</substitute></names>')
    assert _hinted(substituted, 'initialize-with=". "') == set()
    assert _hinted(substituted.replace(' initialize="false"', ""), 'initialize-with=". "') == {"composer", "editor"}


def test_the_order_style_keeps_the_sort_and_drops_disambiguation() -> None:
    reduced = batches.order_style(_style_text("apa"))
    citation = reduced[reduced.index("<citation"):reduced.index(">", reduced.index("<citation")) + 1]
    assert "disambiguate" not in citation and "givenname" not in citation and 'collapse="year"' in citation
    assert reduced.count('<layout><text variable="citation-key"/></layout>') == 2
    assert '<key macro="author-sort"/>' in reduced and '<macro name="author-sort">' in reduced


def _tree(element: ET.Element) -> tuple[Any, ...]:
    """An element as citeproc reads it: tag, attributes, text, and its elements (no comment, no
    whitespace between elements)."""
    children = [child for child in element if isinstance(child.tag, str)]
    return (element.tag, element.attrib, (element.text or "").strip(), [_tree(child) for child in children])


def test_the_lean_style_drops_only_comments_and_info() -> None:
    text = _style_text("apa")
    lean = batches.lean_style(text)
    assert "<!--" in text and "<!--" not in lean and "<info>" not in lean and len(lean) < 0.8 * len(text)
    original = ET.fromstring(text.encode("utf-8"))
    original.remove(original.find(f"{batches.CSL}info"))
    assert _tree(ET.fromstring(lean.encode("utf-8"))) == _tree(original)
    dependent = '<style><info><link rel="independent-parent" href="x"/></info><!-- a --></style>'
    assert batches.lean_style(dependent) == '<style><info><link rel="independent-parent" href="x"/></info></style>'
    assert batches.lean_style("<style><!-- a --><info>") == "<style><!-- a --><info>"  # not XML: as it is


def _book(ident: str, title: str, **names: list[dict[str, str]]) -> dict[str, Any]:
    return {"id": ident, "type": "book", "title": title, "issued": {"date-parts": [[1990]]}, **names}


def test_groups_keep_together_what_may_depend_on_each_other() -> None:
    items = [
        _book("a", "Capital", author=[{"family": "Marx", "given": "Karl"}, {"family": "Engels", "given": "F."}]),
        _book("b", "Letters", author=[{"family": "Marx", "given": "Eleanor"}]),  # same family: initials
        _book("c", "Marx on Engels", author=[{"family": "Engels", "given": "Friedrich"}]),
        _book("d", "Anti-Dühring", editor=[{"family": "Engels", "given": "F."}]),  # cited by its editor
        _book("e", "Marx and his time"),  # cited by title: may read as a Marx citation
        _book("f", "Programme", author=[{"literal": "Fourth International"}]),
        _book("g", "Manifesto", author=[{"family": "Trotsky", "given": "Leon",
                                         "non-dropping-particle": "van"}]),
        _book("h", "Van Gogh", translator=[{"family": "Vanderbilt", "given": "A."}]),
    ]
    found = {tuple(items[i]["id"] for i in group) for group in batches.groups(items, {"author"})}
    assert found == {("a", "b", "e"), ("c", "d"), ("f",), ("g", "h")}
    assert batches.batches([[0, 1, 4], [2, 3], [5], [6, 7]], size=3) == [[0, 1, 4], [2, 3, 5], [6, 7]]


def test_a_batch_that_loses_or_repeats_an_item_falls_back_to_one_run() -> None:
    items = [_book(str(i), f"Title {i}", author=[{"family": f"F{i}"}]) for i in range(4)]
    style = '<citation disambiguate-add-givenname="true"/>'
    order = batches.order_style(style)
    assert order == "<citation/>"
    found = batches.Plan(frozenset())

    def each(entries: Any) -> Any:
        return lambda runs: [entries(run) for run in runs]

    repeating = each(lambda run: [(item["id"], "x") for item in run.items] + [("0", "again")])
    losing = each(lambda run: [(item["id"], "x") for item in run.items if run.order_only or item["id"] != "3"])
    right = each(lambda run: [(item["id"], f"{item['id']}:{run.style_text}") for item in reversed(run.items)])
    assert batches.render_in_batches(items, style, found, repeating) is None
    assert batches.render_in_batches(items, style, found, losing) is None
    assert batches.render_in_batches(items, style, found, lambda runs: right(runs)[:-1]) is None
    for workers in (1, 2, 3):
        assert batches.render_in_batches(items, style, found, right, workers=workers) == [
            (i, f"{i}:{style}") for i in ("3", "2", "1", "0")]


def test_the_runs_are_shared_out_by_their_work() -> None:
    runs = [batches.Run([{}] * 100, "order", order_only=True)] + [batches.Run([{}] * n, "style")
                                                                 for n in (50, 10, 30, 40)]
    assert batches.shares(runs, 2) == [[0, 1, 2], [3, 4]]  # the order counts 20: loads 80 and 70
    assert batches.shares(runs, 1) == [[0, 1, 2, 3, 4]]
    assert batches.shares(runs[:2], 4) == [[1], [0]]  # the heaviest first


def _awkward_items() -> list[dict[str, Any]]:
    """Items a style cites by something else than the first author: legal items by title, software
    by publisher, a composer before the author, items with neither name nor title."""
    smith = [{"family": "Smith", "given": "John"}]
    items = [
        {**_book("law1", "Miranda v. Arizona"), "type": "legal_case", "author": [{"family": "Warren"}]},
        {**_book("law2", "Miranda v. Arizona"), "type": "legal_case", "author": [{"family": "Harlan"}]},
        {**_book("soft1", "Zotero"), "type": "software", "publisher": "Digital Scholar"},
        {**_book("soft2", "Tropy"), "type": "software", "publisher": "Digital Scholar"},
        {**_book("song1", "Songs"), "type": "song", "composer": smith, "author": [{"family": "Adams"}]},
        {**_book("song2", "Tunes"), "type": "book", "composer": [{"family": "Smith", "given": "Jane"}],
         "author": [{"family": "Brown"}]},
        {**_book("score", "Score"), "type": "musical_score", "author": [{"family": "Smith", "given": "Jim"}]},
        {"id": "blank1", "type": "book", "issued": {"date-parts": [[1990]]}},
        {"id": "blank2", "type": "pamphlet", "issued": {"date-parts": [[1990]]}},
        {**_book("entry1", "Socialism"), "type": "entry-encyclopedia", "container-title": "Britannica",
         "publisher": "Britannica"},
        {**_book("entry2", "Syndicalism"), "type": "entry-encyclopedia", "container-title": "Britannica",
         "publisher": "Britannica"},
    ]
    hinted = [  # Chicago: a hint on Smith, J.R. (two Smiths cited) writes out the first editor too
        _book("jr", "Politics", author=[{"family": "Smith", "given": "J.R."}]),
        _book("john", "Economics", author=[{"family": "Smith", "given": "John"}]),
        _book("edited", "Essays", author=[{"family": "Other", "given": "A.B."}],
              editor=[{"family": "Smith", "given": "J.R."}], translator=[{"family": "Smith", "given": "John"}]),
    ]
    fillers = [_book(f"x{i}", f"Filler {i}", author=[{"family": f"Name{i}"}]) for i in range(12)]
    return items + hinted + fillers


@pytest.mark.parametrize("style", BATCHED_STYLES)
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_items_cited_otherwise_keep_the_list_of_one_run(
    monkeypatch: pytest.MonkeyPatch, style: str, fmt: str
) -> None:
    items_json = json.dumps(_awkward_items())
    one_run = _entries(items_json, style, fmt, monkeypatch, batch=None)
    assert _entries(items_json, style, fmt, monkeypatch, batch=1) == one_run


def _catalogue_items(which: str, db_path: Path) -> str:
    if which == "mixed":
        return export(json.loads(MIXED.read_text(encoding="utf-8")), "csl-json")
    if which == "shipped":
        with Catalogue.open(db_path) as shipped:
            return export(shipped.records(), "csl-json")
    return export(list(generate(400).values()), "csl-json")


@pytest.mark.parametrize("style", BATCHED_STYLES)
@pytest.mark.parametrize(("which", "fmt", "batch"), [
    ("mixed", "text", 4), ("mixed", "html", 3), ("shipped", "text", 4), ("shipped", "markdown", 5),
    ("generated", "text", 25),
])
def test_batches_give_the_list_of_one_run(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, style: str, which: str, fmt: str, batch: int
) -> None:
    items_json = _catalogue_items(which, db_path)
    one_run = _entries(items_json, style, fmt, monkeypatch, batch=None)
    assert len(one_run) == len(json.loads(items_json)) >= 18
    assert _entries(items_json, style, fmt, monkeypatch, batch=batch) == one_run


@pytest.mark.parametrize(("style", "locale"), [("apa", "de-DE"), ("chicago-author-date", "ru-RU")])
def test_batches_in_another_locale_give_the_list_of_one_run(
    monkeypatch: pytest.MonkeyPatch, style: str, locale: str
) -> None:
    items_json = _catalogue_items("mixed", Path())
    one_run = _entries(items_json, style, "text", monkeypatch, batch=None, locale=locale)
    assert _entries(items_json, style, "text", monkeypatch, batch=4, locale=locale) == one_run


@pytest.mark.parametrize("workers", [1, 3])
def test_one_or_several_processes_give_the_list_of_one_run(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    items_json = _catalogue_items("shipped", db_path)
    one_run = _entries(items_json, "apa", "html", monkeypatch, batch=None)
    assert _entries(items_json, "apa", "html", monkeypatch, batch=3, workers=workers) == one_run


def test_a_long_apa_list_is_rendered_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    records = list(generate(batches.MIN_ITEMS).values())
    processes: list[int] = []
    single, several = pandoc_module._render, pandoc_module._render_runs

    def counted_single(*args: Any) -> list[tuple[str, str]]:
        processes.append(1)
        return single(*args)

    def counted_several(binary: Path, runs: Any, *args: Any) -> list[list[tuple[str, str]]]:
        processes.append(len(runs))
        return several(binary, runs, *args)

    monkeypatch.setattr(pandoc_module, "_render", counted_single)
    monkeypatch.setattr(pandoc_module, "_render_runs", counted_several)
    monkeypatch.setattr(pandoc_module, "workers", lambda: 2)
    text = bibliography(records, "apa")
    assert len(processes) == 2 and sum(processes) >= 3 and text.count("\n") == len(records)
    processes.clear()
    bibliography(records[:20], "apa")
    assert processes == [1]


def test_a_style_pandoc_refuses_is_refused_alike_in_batches(tmp_path: Path) -> None:
    text = _style_text("apa")
    start, end = text.index("<citation"), text.index("</citation>")
    broken = tmp_path / "broken.csl"  # a citation without its layout: plan() takes it, pandoc does not
    broken.write_text(text[:start] + text[start:end][:text[start:end].index("<layout")] + text[end:],
                      encoding="utf-8")
    assert batches.plan(broken.read_text(encoding="utf-8")) is not None
    records = list(generate(batches.MIN_ITEMS).values())
    said = []
    for count in (20, batches.MIN_ITEMS):
        with pytest.raises(StyleUnusable) as caught:
            bibliography(records[:count], str(broken))
        said.append(str(caught.value))
    assert said[0] == said[1] == ("pandoc cannot use the style 'broken.csl' "
                                  "(CiteprocParseError: No layout element present in citation)")
