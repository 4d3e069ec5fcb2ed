"""The shipped catalogue against the article's facts (a hand-made transcription, checked here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalogue import Catalogue
from catalogue.model.names import format_gost
from catalogue.model.record import places, year_text
from catalogue.model.validation import validate
from catalogue.store.layout import parse_records
from catalogue.store.storage import shipped_catalogue_bytes
from tests.conftest import shared_path

# key: (type, title, names "role:Name" in order, year, places, publisher, pages)
BOOKS = {
    "close2001imf": ("book", "Close the IMF!", [], "2001", ["Voronezh"], None, None),
    "grapes2007wrath": ("book", "The Grapes of Wrath. Popular uprising in the suburbs of Almaty", [], "2007",
                        ["Moscow"], None, 96),
    "doyle1993revolution": ("book", "1968. Revolution month. Lessons from the general strike",
                            ["author:Doyle K."], "1993", ["Moscow"], None, None),
    "new2006stage": ("pamphlet", "A new stage in the development of world capitalism and the international "
                     "labor movement. Theses of the international executive committee CWI. Newport. "
                     "December 2005.", ["translator:Yasin I."], "2006", ["Moscow"], None, 24),
    "kozlovsky2006education": ("pamphlet", "Education for the people. The fight is just beginning",
                               ["compiler:Kozlovsky S. A."], "2006", ["Moscow"], None, 16),
    "ovsyannikov2006world": ("pamphlet", "World resistance. View from the top of Belfort",
                             ["author:Ovsyannikov I. A."], "2006", ["Moscow"], None, 16),
    "ovsyannikov2006we": ("pamphlet", 'We and "they". Truth and myths about immigrants',
                          ["author:Ovsyannikov I. A."], "2006", ["Moscow"], None, 16),
    "ovsyannikov2006why": ("pamphlet", "Why Socialism?", ["author:Ovsyannikov I. A."], "2006", ["Moscow"],
                           None, 36),
    "ovsyannikov2007faq": ("pamphlet", "FAQ. Socialism in questions and answers",
                           ["author:Ovsyannikov I.", "author:Shibanov I."], "2007", ["Moscow"], None, 24),
    "ovsyannikov2005hands": ("pamphlet", "Hands off education!",
                             ["editor:Ovsyannikov I. A.", "editor:Kozlovsky S. A."], "2005",
                             ["Yaroslavl", "Moscow"], None, 47),
    "socialist2008resistance": ("pamphlet", '"Socialist Resistance". Program documents', [], "2008",
                                ["Moscow"], None, 30),
    "student2008defense": ("pamphlet", "Student Defense: A Marxist Analysis of the Pass Campaign and Further "
                           "Perspectives", [], "2008", ["Perm"], "Socialist Resistance", 12),
    "third2001congress": ("book", "Third Congress of the CWI Section in the CIS. Documents and materials", [],
                          "2001", ["Voronezh"], None, None),
    "fourth2006congress": ("pamphlet", "Fourth Congress of the CWI Section in the CIS. Moscow, 27—27 February "
                           "2006. documents and materials", [], "2006", ["Moscow"], None, 28),
}


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return parse_records(Path("catalogue/data/socsopr.json"), shipped_catalogue_bytes())


def summary(record: dict) -> tuple:
    people = [f"{role}:{format_gost(n)}" for role in ("author", "editor", "compiler", "translator")
              for n in record.get(role, [])]
    return (record["type"], record["title"], people, year_text(record), places(record),
            record.get("publisher"), record.get("number-of-pages"))


def test_nineteen_records_all_valid(records: dict) -> None:
    assert len(records) == 19
    for key, record in records.items():
        assert record["id"] == key
        assert validate(record) == [], key
        assert record["language"] == "ru"
        assert "Socialist Resistance (Russia)" in record["source"]


@pytest.mark.parametrize("key", sorted(BOOKS))
def test_books_and_brochures(records: dict, key: str) -> None:
    record = records[key]
    assert summary(record) == BOOKS[key]
    assert "English translation of the Russian original" in record["remarks"]
    assert "original-title" not in record  # left for an archivist to add
    pages = record.get("number-of-pages")
    assert record["type"] == ("book" if pages is None or pages >= 49 else "pamphlet")  # UNESCO


def test_translated_brochure_says_so(records: dict) -> None:
    assert "Translated from English" in records["new2006stage"]["remarks"]


def test_second_mentions_are_kept_in_notes(records: dict) -> None:
    assert "Grapes of Anger" in records["grapes2007wrath"]["remarks"]
    assert "Education for the people!" in records["kozlovsky2006education"]["remarks"]
    assert "We and They" in records["ovsyannikov2006we"]["remarks"]
    assert "27—27 February" in records["fourth2006congress"]["title"]


def test_title_short_where_evident(records: dict) -> None:
    assert records["grapes2007wrath"]["title-short"] == "The Grapes of Wrath"
    assert records["ovsyannikov2007faq"]["title-short"] == "FAQ"
    assert "title-short" not in records["ovsyannikov2006why"]


def test_newspapers(records: dict) -> None:
    papers = {k: r for k, r in records.items() if r["type"] == "periodical"}
    assert sorted(r["title"] for r in papers.values()) == ["Left Vanguard", "Rabochaya Vlast", "Socialist"]
    left = papers["left1998vanguard"]
    assert year_text(left) == "1998–2007" and "Left Avangard" in left["remarks"] and "variable" in left["remarks"]
    socialist = papers["socialist2007"]
    # "Since October 2007, the monthly newspaper 'Socialist' has been published": a run with no end
    assert socialist["issued"] == {"date-parts": [[2007, 10], [0]]} and "Monthly" in socialist["remarks"]
    assert year_text(socialist) == "2007–"
    vlast = papers["rabochayavlast"]
    assert "issued" not in vlast and "Union for Workers' Democracy" in vlast["remarks"]


def test_leaflet(records: dict) -> None:
    leaflet = records["socialistlet"]
    assert (leaflet["type"], leaflet["genre"]) == ("pamphlet", "leaflet")
    assert leaflet["title"] == "Let those who created it pay for the crisis!"
    assert leaflet["author"] == [
        {"literal": "Socialist Resistance (Section of the Committee for the Workers' International in the CIS)"}
    ]
    for fact in ("Federal List of Extremist Materials", "Zavolzhsky District Court of Tver", "28 August 2009"):
        assert fact in leaflet["remarks"]
    assert "issued" not in leaflet  # the article gives no date of the leaflet itself


def test_every_book_line_of_the_article_is_in_the_catalogue(records: dict) -> None:
    article = shared_path("seed", "socialist-resistance.txt").read_text(encoding="utf-8")
    section = article.split("== Books and brochures ==")[1].split("==")[0]
    lines = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == 14
    for key, record in records.items():
        if record["type"] in ("periodical", "document") or record.get("genre") == "leaflet":
            continue  # (the Platform is quoted in "Ideological principles", not listed)
        line = next((ln for ln in lines if record["title"].rstrip(".") in ln), None)
        assert line is not None, f"{key}: title not found in the article's list"
        pages = record.get("number-of-pages")
        if pages is not None:
            assert re.search(rf"— {pages} (с|p)\.", line), key
        assert str(year_text(record)) in line


def test_shipped_catalogue_opens(shipped: Catalogue) -> None:
    assert len(shipped) == 19


def test_authorities_carry_what_the_article_says(shipped: Catalogue) -> None:
    """Persons and organisations of the shipped catalogue: each form, date and link cites the article."""
    article = " ".join(shared_path("seed", "socialist-resistance.txt").read_text(encoding="utf-8").split())
    authorities = shipped.authorities()
    assert set(authorities) == {"ovsyannikov-i-a", "socialist-resistance", "cwi-section-in-the-cis",
                                "committee-for-workers-democracy-and-international-socialism"}
    sr = authorities["socialist-resistance"]
    forms = [f["literal"] for f in [sr["name"], *sr["variants"]]]
    for form in ("Socialist Resistance", "Социалистическое сопротивление", "СоцСопр", "SocSopr", "SotsSopr"):
        assert form in forms
    assert sr["dates"] == "1998/2011-03-07"
    assert {"relation": "predecessor", "name": "Committee for Workers' Democracy and International Socialism",
            "authority": "committee-for-workers-democracy-and-international-socialism"} in sr["related"]
    assert authorities["cwi-section-in-the-cis"]["links"] == {
        "fourth2006congress": "issuing body", "third2001congress": "issuing body"}
    for authority in authorities.values():
        assert authority["sources"], authority["id"]
        for form in [authority["name"], *authority.get("variants", ())]:  # every form is in the article
            text = form.get("literal") or f"{form['family']} {form['given']}"
            assert text in article, (authority["id"], text)
        for source in authority["sources"]:  # each quoted sentence (or list line) is the article's own
            for quoted in re.findall(r'"([^"]{30,}?)"(?= \(|;|$)', source):
                assert all(" ".join(p.split()) in article for p in quoted.split("…") if p.strip()), quoted


def test_search_and_stats_use_the_authorities(tmp_path: Path) -> None:
    from catalogue.curation.stats import collect
    from catalogue.search.index import build_index
    from catalogue.search.query import parse_query
    from catalogue.search.ranking import search

    with Catalogue.open(tmp_path / "c.json") as cat:
        names, records = cat.authority_index(), cat.records()
    index = build_index(records, names=names)
    for query in ("Социалистическое сопротивление", "СоцСопр", "Socialist Resistance"):
        found = {records[hit.number]["id"] for hit in search(index, parse_query(query)).hits}
        assert {"left1998vanguard", "socialist2007", "socialistlet", "student2008defense",
                "socialist2008resistance"} <= found, query
    congress = {records[hit.number]["id"] for hit in search(index, parse_query("CIS CWI section")).hits}
    assert congress >= {"third2001congress", "fourth2006congress"}
    assert collect(records, authorities=names).names[0].records == 5


def test_the_platform_is_a_record_with_what_the_article_states(records: dict) -> None:
    """'The Platform of the CWI Section in the CIS described the party as "…"' (Ideological principles)."""
    article = shared_path("seed", "socialist-resistance.txt").read_text(encoding="utf-8")
    platform = records["cwiplatform"]
    assert platform["title"] in article and platform["author"] == [{"literal": "CWI Section in the CIS"}]
    assert "issued" not in platform and "publisher-place" not in platform and "publisher" not in platform
    assert "Ideological principles" in platform["source"] and "== Ideological principles ==" in article
