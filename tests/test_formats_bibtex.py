"""BibTeX/biblatex import and export details (catalogue.formats.bibtex, biblatex)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.errors import ParseError
from catalogue.formats import export, get_importer
from catalogue.formats._bibmap import verbatim
from catalogue.formats._values import shown


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
    assert r"title = {50\% of {R}\&{D} \} \{{IMF}\} \#1 a\_b \textasciitilde{} \textasciicircum{} \textbackslash{}}" in text
    assert read(text)[0]["title"] == record["title"]


def test_bibtex_and_biblatex_exports_of_the_shipped_catalogue(shipped: Catalogue, golden) -> None:  # type: ignore[no-untyped-def]
    bibtex = export(shipped.records(), "bibtex")
    biblatex = export(shipped.records(), "biblatex")
    assert "\\cyr" not in bibtex + biblatex
    assert "@book{ovsyannikov2005hands," in bibtex and "@booklet{ovsyannikov2005hands," in biblatex
    assert "address = {Yaroslavl; Moscow}" in bibtex and "location = {Yaroslavl and Moscow}" in biblatex
    assert "year = {1998/2007}" in bibtex and "date = {1998/2007}" in biblatex
    assert "date = {2007-10/}" in biblatex and "month = oct," in bibtex and "year = {2007–}" in bibtex
    assert "editortype = {compiler}" in biblatex and "translator = {Yasin, I.}" in biblatex
    assert "author = {{Socialist Resistance (Section of the Committee" in bibtex
    assert "langid = {russian}" in bibtex
    golden("export.bib", bibtex)
    golden("export-biblatex.bib", biblatex)


# --- our own export reads back exactly (issue #11) ------------------------------------------


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_literal_fields_with_and_are_not_split(fmt: str) -> None:
    record = {"id": "k", "type": "book", "title": "T", "publisher": "Faber and Faber",
              "publisher-place": "Stratford AND Avon; London",
              "author": [{"family": "Doe", "given": "Tom and Jerry"}, {"literal": "Marks and Spencer"}]}
    text = export([record], fmt)
    (back,) = get_importer(fmt)(text, "in.bib")
    assert back["publisher"] == "Faber and Faber"
    assert back["publisher-place"] == "Stratford AND Avon; London"
    assert back["author"] == record["author"]
    if fmt == "bibtex":
        assert "publisher = {Faber {and} Faber}" in text


def test_a_publisher_list_from_elsewhere_is_kept_whole() -> None:
    (record,) = read("@book{k, title = {T}, publisher = {Springer and Nature}}")
    assert record["publisher"] == "Springer and Nature"


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_verbatim_fields_are_never_latex(fmt: str) -> None:
    record = {"id": "k", "type": "book", "title": "T", "URL": "http://x.org/report--final_v2%20~a.pdf#p=1",
              "DOI": "10.1000/a--b_c"}
    text = export([record], fmt)
    assert "url = {http://x.org/report--final_v2%20~a.pdf#p=1}" in text
    (back,) = get_importer(fmt)(text, "in.bib")
    assert back["URL"] == record["URL"] and back["DOI"] == record["DOI"]
    (other,) = read(r"@misc{k, title = {T}, url = {http://x.org/a\_b--c}}")
    assert other["URL"] == r"http://x.org/a\_b--c"  # verbatim as written, never decoded


def test_a_url_whose_braces_would_break_the_entry_is_percent_encoded() -> None:
    record = {"id": "k", "type": "webpage", "title": "T", "URL": "http://x.org/}a{\\"}
    text = export([record], "biblatex")
    (back,) = get_importer("biblatex")(text, "in.bib")
    assert back["URL"] == "http://x.org/%7Da%7B%5C"


def test_two_backquotes_and_dashes_round_trip() -> None:
    record = {"id": "k", "type": "book", "title": "``Quoted'' --- and -- ```x```", "note": "`` '' ``",
              "publisher": "A--B ``C''"}
    (back,) = read(export([record], "bibtex"))
    assert {k: back[k] for k in ("title", "note", "publisher")} == {
        k: record[k] for k in ("title", "note", "publisher")
    }


_printable = st.characters(blacklist_categories=("C", "Z")) | st.sampled_from(list(" \\{}&%$#_~^`'-\"@,=()"))
_token = st.sampled_from(["and", "AND", "--", "---", "``", "''", "`", "{", "}", "\\", "~", "%"]) | st.text(
    _printable, min_size=1, max_size=8
)
_field_text = st.lists(_token, min_size=1, max_size=6).map(lambda t: " ".join(" ".join(t).split())).filter(bool)


@settings(max_examples=150, deadline=None)
@given(title=_field_text, publisher=_field_text, note=_field_text, url=_field_text,
       fmt=st.sampled_from(["bibtex", "biblatex"]))
def test_any_printable_text_round_trips(title: str, publisher: str, note: str, url: str, fmt: str) -> None:
    """Runs of spaces are one space in BibTeX: the text is generated with single spaces."""
    record = {"id": "k", "type": "book", "title": title, "publisher": publisher, "note": note, "URL": url}
    (back,) = get_importer(fmt)(export([record], fmt), "in.bib")
    expected = dict(record, URL=verbatim(url))
    assert {k: back.get(k) for k in expected if k != "id"} == {k: v for k, v in expected.items() if k != "id"}


# --- hostile input: a problem with file:line, never a crash ---------------------------------


def problems_of(text: str) -> list[str]:
    with pytest.raises(ParseError) as caught:
        read(text)
    return caught.value.problems


@pytest.mark.parametrize("digit", ["²", "٣", "૪", "9" * 30, "9" * 5000], ids=["sup", "ar", "gu", "30", "5000"])
def test_odd_digits_and_huge_numbers_never_crash(digit: str) -> None:
    assert problems_of(f"@book{{a, title={{T}}, pagetotal={{{digit}}}}}") == [
        f"in.bib:1: entry 'a': pagetotal {shown(digit)} is not a positive whole number"
    ]
    (record,) = read(f"@book{{a, title={{T}}, year={{2000}}, month={{{digit}}}, day={{{digit}}}}}")
    assert record["issued"] == {"date-parts": [[2000]]} and "is not a month" in record["_warnings"][0]
    (record,) = read(f"@book{{a, title={{T}}, year={{2000}}, month={{3}}, day={{{digit}}}, pages={{{digit}}}}}")
    assert record["issued"] == {"date-parts": [[2000, 3]]} and record["page"] == digit
    assert "is not a day of the month" in record["_warnings"][0]
    assert problems_of(f"@book{{a, title={{T}}, year={{{digit}}}}}")[0].startswith("in.bib:1: entry 'a': year ")


def test_a_year_without_a_year_is_a_problem() -> None:
    assert problems_of("@book{a, title={T}, year={abc}}") == ["in.bib:1: entry 'a': year 'abc' holds no year"]
    assert read("@book{a, title={T}, year={800}}")[0]["issued"] == {"date-parts": [[800]]}


def test_crossref_to_itself_and_a_chain_of_5000() -> None:
    (record,) = read("@book{a, title={T}, crossref={a}}")
    assert "names itself" in record["_warnings"][0]
    chain = "".join(f"@book{{k{i}, title={{T{i}}}, crossref={{k{i + 1}}}}}\n" for i in range(4999))
    records = read(chain + "@book{k4999, title={Last}, year={1999}}\n")
    assert len(records) == 5000 and records[-2]["container-title"] == "Last"
    assert records[-2]["issued"] == {"date-parts": [[1999]]}  # inherited within the depth bound
    deep = [r for r in records if r.get("_warnings")]
    assert deep and "more than 64 entries deep" in deep[0]["_warnings"][0]


def test_nested_accents_and_braces_are_bounded() -> None:
    assert read("@book{a, title={" + "{" * 400 + "e" + "}" * 400 + "}}")[0]["title"] == "e"
    for title in ("\\'{" * 400 + "e" + "}" * 400, "\\'" * 400 + "e"):
        assert "accents nest too deeply" in problems_of("@book{a, title={" + title + "}}")[0]
    assert read("@book{a, title={" + "\\'{" * 20 + "e" + "}" * 20 + "}}")[0]["title"].startswith("é")


def test_macros_that_double_each_step_stop_at_the_cap() -> None:
    laughs = "@string{a0 = {ha}}\n" + "".join(f"@string{{a{i + 1} = a{i} # a{i}}}\n" for i in range(40))
    started = time.perf_counter()
    problems = problems_of(laughs + "@book{x, title = a40}\n")
    assert time.perf_counter() - started < 5
    assert problems[0] == "in.bib:17: @string a16 expands to more than 100,000 characters; it is left undefined"
    many = "@string{big = {" + "x" * 90_000 + "}}\n" + "".join(f"@book{{k{i}, title = big}}\n" for i in range(120))
    assert "past 10,000,000 characters" in problems_of(many)[0]


def test_crossref_inheritance_is_capped() -> None:
    parent = "@book{p, title={T}, note={" + "x" * 500_000 + "}}\n"
    children = "".join(f"@book{{c{i}, title={{C}}, crossref={{p}}}}\n" for i in range(100))
    with pytest.raises(ParseError) as caught:
        read(parent + children)
    assert caught.value.problems == [
        "in.bib:21: crossref/xdata inheritance copies more than 10,000,000 characters into this file's entries;"
        " 'c19' and the entries inheriting after it are left out"
    ]
    assert len(caught.value.records) == 20  # p and c0 … c18, each whole


def test_utf8_citation_keys_are_kept_in_nfc() -> None:
    """A writer's \\cite{Шевчук2015} keeps working: a valid UTF-8 key is kept (#12), composed to NFC."""
    text = "@book{Шевчук2015, title = {T}}\n@book{Mu\u0308ller2011, title = {U}}\n"
    back = get_importer("bibtex")(text, "in.bib")
    assert [r["id"] for r in back] == ["Шевчук2015", "Müller2011"]


def test_a_webpage_publisher_and_site_name_come_back_apart_in_biblatex() -> None:
    """@online has one field (organization) for both: a publisher is written as a braced literal."""
    from catalogue.formats import export, get_importer

    for field in ("publisher", "container-title"):
        record = {"id": "a2020", "type": "webpage", "title": "A page", field: "Example",
                  "URL": "https://example.org/a"}
        text = export([record], "biblatex")
        (back,) = get_importer("biblatex")(text, "a.bib")
        assert back.get(field) == "Example" and len({"publisher", "container-title"} & set(back)) == 1, text
