"""GOST descriptions beyond monographs: parts imported from BibTeX, CSL-JSON and RIS render with
their host, number and pages in both editions and both languages; serials, open ranges, unknown
imprints; render -> parse -> render is stable for the test catalogues."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.formats import get_importer
from catalogue.gost.parse import parse_gost_line
from catalogue.gost.render import render
from catalogue.store.storage import shipped_catalogue_bytes

EDITIONS = ("gost", "gost-2003")
LOCALES = ("ru", "en")
MIXED = Path(__file__).parent / "data" / "mixed-catalogue.json"

BIBTEX = """\
@article{marx1844,
  author = {Marx, Karl}, title = {Zur Judenfrage}, journal = {Deutsch-Französische Jahrbücher},
  year = {1844}, volume = {1}, number = {2}, pages = {182--214}
}
@incollection{zhukova2004,
  author = {Жукова, Е. Ю.}, title = {Профсоюзы снизу}, booktitle = {Рабочий вопрос в России},
  address = {Москва}, publisher = {ИС РАН}, year = {2004}, pages = {45--67}
}
"""
CSL_JSON = json.dumps([
    {"id": "petrov2007", "type": "article-newspaper", "title": "Мы не уйдём",
     "author": [{"family": "Петров", "given": "Ф."}], "container-title": "Вечерняя рабочая газета",
     "issue": "83", "issued": {"date-parts": [[2007, 11, 1]]}, "page": "4", "language": "ru"},
    {"id": "smith2020", "type": "article-journal", "title": "Precarity", "author": [{"family": "Smith",
     "given": "J."}], "container-title": "Journal of Work", "volume": "34", "issue": "5",
     "issued": {"date-parts": [[2020]]}, "page": "101-120", "language": "en"},
], ensure_ascii=False)
RIS = """\
TY  - JOUR
AU  - Ivanova, Maria
TI  - Strikes of truckers
T2  - Social History of Labour
PY  - 2019
VL  - 17
IS  - 3
SP  - 389
EP  - 404
ER  -
TY  - CHAP
AU  - Kowalski, Jean-Pierre
TI  - The Gdansk strikes
T2  - Rethinking Solidarity
CY  - London
PB  - Routledge
PY  - 2010
SP  - 113
EP  - 145
ER  -
""".replace("ER  -\n", "ER  - \n")  # (the RIS end tag has a space after the dash)


def _imported() -> list[dict[str, Any]]:
    records = [*get_importer("bibtex")(BIBTEX, "t.bib"), *get_importer("csl-json")(CSL_JSON, "t.json"),
               *get_importer("ris")(RIS, "t.ris")]
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in records]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_imported_parts_render_with_host_number_and_pages(edition: str, locale: str) -> None:
    records = _imported()
    assert len(records) == 6
    page, number, volume = ("С.", "№", "Т.") if locale == "ru" else ("P.", "No.", "Vol.")
    for record in records:
        line = render(record, locale, edition)
        assert f" // {' '.join(str(record['container-title']).split())}" in line, line
        first = str(record["page"]).replace("-", "–").split("–")[0]
        assert f"— {page} {first}" in line, line
        if record.get("issue"):
            assert f"{number} {record['issue']}" in line, line
        if record.get("volume"):
            assert f"{volume} {record['volume']}" in line, line
        if record["type"] == "chapter":  # a book as host: its imprint, not a serial's year and number
            assert ", 20" in line.split(" // ", 1)[1] and " : " in line.split(" // ", 1)[1], line


def test_a_newspaper_article_gives_the_day_of_its_issue() -> None:
    petrov = next(r for r in _imported() if r["id"] == "petrov2007")
    assert render(petrov, "ru", "gost-2003") == (
        "Петров Ф. Мы не уйдём // Вечерняя рабочая газета. — 2007. — 1 нояб. — № 83. — С. 4.")
    assert "— 2007. — 1 Nov. — No. 83. — P. 4." in render(petrov, "en")
    parsed = parse_gost_line(render(petrov, "ru")).record
    assert parsed["type"] == "article-newspaper" and parsed["issued"] == {"date-parts": [[2007, 11, 1]]}


SERIAL = {"id": "s", "type": "periodical", "title": "Социалист", "genre": "газета", "language": "ru",
          "publisher-place": "Москва", "publisher": "Социалистическое сопротивление",
          "issued": {"date-parts": [[2007, 10], [0]]}}


def test_serials_as_a_whole() -> None:
    assert render(SERIAL, "ru") == "Социалист : газ. — Москва : Социалистическое сопротивление, 2007–."
    assert render(SERIAL, "ru", "gost-2003") == "Социалист : газ. — М. : Социалистическое сопротивление, 2007–."
    journal = {**SERIAL, "genre": "журнал", "issued": {"date-parts": [[1998], [2007]]}}
    assert render(journal, "ru").startswith("Социалист : журн. — ") and ", 1998–2007." in render(journal, "ru")
    legacy = {**SERIAL, "issued": {"literal": "2007–"}}  # an open range stored as text
    assert render(legacy, "ru").endswith(", 2007–.")
    back = parse_gost_line(render(SERIAL, "ru")).record
    assert back["issued"] == {"date-parts": [[2007], [0]]}


def test_unknown_place_and_year_in_both_editions() -> None:
    record = {"id": "x", "type": "book", "title": "Листовка", "language": "ru"}
    for edition in EDITIONS:
        assert render(record, "ru", edition) == "Листовка. — [Б. м.], [б. г.]."
        assert render(record, "en", edition) == "Листовка. — [S. l.], [s. a.]."


# --- render -> parse -> render ------------------------------------------------------------------


def _test_records() -> list[dict[str, Any]]:
    data = json.loads(MIXED.read_text(encoding="utf-8"))
    mixed = data["records"] if isinstance(data, dict) and "records" in data else data
    mixed = list(mixed.values()) if isinstance(mixed, dict) else mixed
    return [*mixed, *json.loads(shipped_catalogue_bytes())["records"].values()]


# Records whose description does not yet read back into the same record, and why (issue #14):
UNSTABLE: dict[str, str] = {}
STABLE = [r for r in _test_records() if r["id"] not in UNSTABLE]


def test_the_exclusions_are_still_needed() -> None:
    known = {r["id"] for r in _test_records()}
    assert set(UNSTABLE) <= known


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(STABLE), st.sampled_from(EDITIONS), st.sampled_from(LOCALES))
def test_render_parse_render_is_stable(record: dict[str, Any], edition: str, locale: str) -> None:
    line = render(record, locale, edition)
    again = render(parse_gost_line(line).record, locale, edition)
    assert again == line
