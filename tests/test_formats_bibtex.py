"""BibTeX/biblatex import and export details (catalogue.formats.bibtex, biblatex)."""

from __future__ import annotations

import pytest

from catalogue import Catalogue
from catalogue.errors import ParseError
from catalogue.formats import export, get_importer


def read(text: str) -> list[dict]:
    return get_importer("bibtex")(text, "in.bib")


def test_strings_with_concatenation_case_insensitive_macros_and_months() -> None:
    (record,) = read(
        '@string{CoOl = "Cool"}\n@STRING ( first = {Jean} )\n@string{title = cool # " " # "Stuff"}\n'
        '@ARTICLE{Key1,\n  AUTHOR = First # " Doe",\n  Title = TITLE,\n  year = 2014, month = oct,\n}\n'
    )
    assert record["author"] == [{"family": "Doe", "given": "Jean"}]
    assert record["title"] == "Cool Stuff"
    assert record["issued"] == {"date-parts": [[2014, 10]]}
    assert record["_line"] == 4


def test_crossref_inherits_missing_fields_and_cycles_stop() -> None:
    records = read(
        "@inproceedings{child, title = {Paper}, crossref = {parent}}\n"
        "@proceedings{parent, title = {Proceedings}, year = {1999}, publisher = {ACM}}\n"
        "@book{a, title = {A}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}}\n"
    )
    child = records[0]
    assert child["container-title"] == "Proceedings"
    assert child["issued"] == {"date-parts": [[1999]]}
    assert child["publisher"] == "ACM"
    assert {r["id"] for r in records} == {"child", "parent", "a", "b"}


def test_accents_cyrillic_macros_and_parenthesised_entries() -> None:
    (record,) = read(r"@book(k, author = {M{\"u}ller, J{\'e}r{\^o}me}, title = {{\CYRM}{\cyri}{\cyrr}})")
    assert record["author"] == [{"family": "Müller", "given": "Jérôme"}]
    assert record["title"] == "Мир"


def test_names_organisations_particles_and_others() -> None:
    (record,) = read(
        "@book{k, title = {T}, author = {{Socialist Resistance} and Ludwig van Beethoven"
        " and de la Cruz, Juana and Doe, Jr, John and others}}"
    )
    assert record["author"] == [
        {"literal": "Socialist Resistance"},
        {"family": "Beethoven", "non-dropping-particle": "van", "given": "Ludwig"},
        {"family": "Cruz", "non-dropping-particle": "de la", "given": "Juana"},
        {"family": "Doe", "given": "John", "suffix": "Jr"},
    ]


def test_biblatex_fields_are_read() -> None:
    (record,) = read(
        "@booklet{k, title = {Hands off}, editor = {Kozlovsky, S. A.}, editortype = {compiler},"
        " translator = {Yasin, I.}, location = {Yaroslavl and Moscow}, date = {2007-10},"
        " pagetotal = {47}, langid = {russian}, keywords = {a, b}, type = {leaflet}}"
    )
    assert record["compiler"] == [{"family": "Kozlovsky", "given": "S. A."}]
    assert record["translator"] == [{"family": "Yasin", "given": "I."}]
    assert record["publisher-place"] == "Yaroslavl; Moscow"
    assert record["issued"] == {"date-parts": [[2007, 10]]}
    assert record["number-of-pages"] == 47
    assert record["language"] == "ru"
    assert record["tags"] == ["a", "b"]
    assert record["type"] == "pamphlet" and record["genre"] == "leaflet"


def test_unbalanced_entry_fails_with_file_and_line_and_keeps_the_rest() -> None:
    with pytest.raises(ParseError) as caught:
        read('@misc{good, title = "Fine"}\n\n@misc{bad,\n  title = {"Parsing {Rd} files,\n  year = 2010\n}\n')
    assert caught.value.problems[0].startswith("in.bib:3: the @misc entry cannot be read")
    assert [r["id"] for r in caught.value.records] == ["good"]  # type: ignore[attr-defined]


def test_export_escapes_specials_and_never_ends_a_field_early() -> None:
    record = {"id": "k", "type": "book", "title": "50% of R&D } {IMF} #1 a_b ~ ^ \\"}
    text = export([record], "bibtex")
    assert r"title = {50\% of R\&D \} \{{IMF}\} \#1 a\_b \textasciitilde{} \textasciicircum{} \textbackslash{}}" in text
    assert read(text)[0]["title"] == record["title"]


def test_bibtex_and_biblatex_exports_of_the_shipped_catalogue(shipped: Catalogue, golden) -> None:  # type: ignore[no-untyped-def]
    bibtex = export(shipped.records(), "bibtex")
    biblatex = export(shipped.records(), "biblatex")
    assert "\\cyr" not in bibtex + biblatex
    assert "@booklet{ovsyannikov2005hands," in bibtex
    assert "address = {Yaroslavl; Moscow}" in bibtex and "location = {Yaroslavl and Moscow}" in biblatex
    assert "year = {1998/2007}" in bibtex and "date = {1998/2007}" in biblatex
    assert "date = {2007-10}" in biblatex and "month = {10}" in bibtex
    assert "editortype = {compiler}" in biblatex and "translator = {Yasin, I.}" in biblatex
    assert "author = {{Socialist Resistance (Section of the Committee" in bibtex
    assert "langid = {russian}" in bibtex
    golden("export.bib", bibtex)
    golden("export-biblatex.bib", biblatex)
