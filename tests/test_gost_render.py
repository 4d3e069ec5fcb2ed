"""socsopr's GOST renderer: the article's list reproduced, and each rule in English and Russian."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.errors import UnknownFormat, UsageProblem
from catalogue.gost.render import list_sort_key, locale_code, render, render_all
from tests.conftest import shared_path

# Where the article itself departs from GOST, the renderer writes GOST; the test
# names each such departure so that any other difference still fails.
ARTICLE_ERRATA = {
    # the full stop of ". — " is missing before the publication area in two lines
    "Lessons from the general strike — ": "Lessons from the general strike. — ",
    "Socialism in questions and answers — ": "Socialism in questions and answers. — ",
    # a language name is capitalised in English
    "Transl. from english": "Transl. from English",
    # places of one imprint are joined by " ; " (GOST 7.1-2003 5.7.7, 7.0.100-2018 6.4.5), not a dash
    "Yaroslavl—Moscow": "Yaroslavl ; Moscow",
    # the publisher as the source names it: the standards' examples add no quotation marks (7.1-2003 5.7.9)
    '"Socialist Resistance", 2008': "Socialist Resistance, 2008",
}


def normalise(line: str) -> str:
    """Only whitespace (incl. before a colon), М./Moscow and с./p. are normalised."""
    line = " ".join(line.split())
    line = re.sub(r"\s+:", ":", line)
    line = re.sub(r"(?<![\w])М\.", "Moscow", line)
    return re.sub(r"(\d+) с\.", r"\1 p.", line)


def article_lines() -> list[str]:
    text = shared_path("seed", "socialist-resistance.txt").read_text(encoding="utf-8")
    section = text.split("== Books and brochures ==", 1)[1].split("\n==", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("- ")]


def test_the_article_list_is_reproduced(shipped: Any) -> None:
    books = [r for r in shipped.records() if "book-or-brochure" in r.get("tags", [])]
    assert len(books) == 14
    expected = []
    for line in article_lines():
        line = normalise(line)  # the article has non-breaking spaces before some dashes
        for wrong, right in ARTICLE_ERRATA.items():
            line = line.replace(wrong, right)
        expected.append(line)
    # the article follows GOST 7.1-2003 (headings "Family I. O.", up to three authors): edition gost-2003
    rendered = [normalise(line) for line in render_all(books, "en", edition="gost-2003")]
    assert len(expected) == 14
    assert sorted(rendered) == sorted(expected)


def test_russian_locale_keeps_the_article_but_for_abbreviations(shipped: Any) -> None:
    books = [r for r in shipped.records() if "book-or-brochure" in r.get("tags", [])]
    en = [normalise(line) for line in render_all(books, "en", edition="gost-2003")]
    ru = [
        normalise(line.replace("пер. с англ.", "Transl. from English").replace("под ред.", "Ed.")
                  .replace("сост.", "Comp.").replace("«", '"').replace("»", '"'))
        for line in render_all(books, "ru", edition="gost-2003")
    ]
    assert ru == en


def test_whole_catalogue_golden(shipped: Any, golden: Any) -> None:
    records = shipped.records()
    golden("gost_en.txt", "".join(line + "\n" for line in render_all(records, "en")))
    golden("gost_ru.txt", "".join(line + "\n" for line in render_all(records, "ru")))
    golden("gost_2003_en.txt", "".join(line + "\n" for line in render_all(records, "en", edition="gost-2003")))
    golden("gost_2003_ru.txt", "".join(line + "\n" for line in render_all(records, "ru", edition="gost-2003")))


def book(**fields: Any) -> dict[str, Any]:
    record = {"id": "x", "type": "book", "title": "Why Socialism?"}
    record.update(fields)
    return record


@pytest.mark.parametrize(
    ("place", "en", "ru"),
    [
        ("Moscow", "Moscow", "М."),
        ("Москва", "Moscow", "М."),
        ("Saint Petersburg", "Saint Petersburg", "СПб."),
        ("Санкт-Петербург", "Saint Petersburg", "СПб."),
        ("Leningrad", "Leningrad", "Л."),
        ("Voronezh", "Voronezh", "Voronezh"),
    ],
)
def test_place_abbreviations(place: str, en: str, ru: str) -> None:
    record = book(**{"publisher-place": place, "issued": {"date-parts": [[2006]]}})
    assert f"— {en}, 2006." in render(record, "en")
    assert f"— {ru}, 2006." in render(record, "ru-RU", edition="gost-2003")
    # 7.0.100-2018 (6.4.3) keeps a place written in full as written; an abbreviation stays one
    full = place if place in ("Москва", "Санкт-Петербург") else ru
    assert f"— {full}, 2006." in render(record, "ru-RU")


def test_unknown_place_and_year() -> None:
    assert render(book(), "en") == "Why Socialism? — [S. l.], [s. a.]."
    assert render(book(), "ru") == "Why Socialism? — [Б. м.], [б. г.]."
    known_place = book(**{"publisher-place": "Perm"})
    assert render(known_place, "ru").endswith("— Perm, [б. г.].")


def test_pages_by_locale() -> None:
    record = book(**{"number-of-pages": 36, "issued": {"date-parts": [[2006]]}, "publisher-place": "Moscow"})
    assert render(record, "en").endswith("— Moscow, 2006. — 36 p.")
    assert render(record, "ru").endswith("— М., 2006. — 36 с.")


@pytest.mark.parametrize(
    ("role", "en", "ru"),
    [("editor", "/ Ed. I. A. Ovsyannikov", "/ под ред. I. A. Ovsyannikov"),
     ("compiler", "/ Comp. I. A. Ovsyannikov", "/ сост. I. A. Ovsyannikov"),
     ("translator", "/ Transl. I. A. Ovsyannikov", "/ пер. I. A. Ovsyannikov")],
)
def test_statement_of_responsibility(role: str, en: str, ru: str) -> None:
    record = book(**{role: [{"family": "Ovsyannikov", "given": "Ilya Aleksandrovich"}]})
    assert render(record, "en").startswith(f"Why Socialism? {en}. — ")
    assert render(record, "ru").startswith(f"Why Socialism? {ru}. — ")


def test_translation_names_the_original_language() -> None:
    yasin = [{"family": "Yasin", "given": "I."}]
    from_custom = book(translator=yasin, custom={"original-language": "en-GB"})
    from_note = book(translator=yasin, note="Translated from German by I. Yasin.")
    assert "/ Transl. from English I. Yasin. — " in render(from_custom, "en")
    assert "/ пер. с англ. I. Yasin. — " in render(from_custom, "ru")
    assert "/ Transl. from German I. Yasin. — " in render(from_note, "en")
    assert "/ пер. с нем. I. Yasin. — " in render(from_note, "ru")


def test_heading_holds_up_to_three_authors() -> None:
    people = [{"family": f, "given": "A."} for f in ("Ivanov", "Petrov", "Sidorov", "Smirnov")]
    three = render(book(author=people[:3]), "en", edition="gost-2003")
    assert three.startswith("Ivanov A., Petrov A., Sidorov A. Why Socialism? — ")
    for edition in ("gost", "gost-2003"):
        four = render(book(author=people), "en", edition=edition)
        assert four.startswith("Why Socialism? / A. Ivanov, A. Petrov, A. Sidorov [et al.]. — ")
        assert "[и др.]" in render(book(author=people), "ru", edition=edition)


def test_the_2018_heading_is_the_first_author_and_all_follow_the_slash() -> None:
    people = [{"family": f, "given": "A."} for f in ("Ivanov", "Petrov", "Sidorov")]
    assert render(book(author=people), "en").startswith(
        "Ivanov, A. Why Socialism? / A. Ivanov, A. Petrov, A. Sidorov. — ")
    assert render(book(author=people[:1]), "ru").startswith("Ivanov, A. Why Socialism? / A. Ivanov. — ")


def test_an_organisation_is_a_statement_of_responsibility_not_a_heading() -> None:
    record = book(author=[{"literal": "Socialist Resistance"}], genre="leaflet")
    assert render(record, "en").startswith("Why Socialism? : leaflet / Socialist Resistance. — ")
    assert render(record, "ru").startswith("Why Socialism? : листовка / Socialist Resistance. — ")


@pytest.mark.parametrize("title", ["Why Socialism?", "Close the IMF!", "Newport. December 2005."])
def test_no_doubled_punctuation_before_an_area(title: str) -> None:
    text = render(book(title=title, **{"publisher-place": "Moscow"}), "en")
    assert text.startswith(f"{title} — Moscow")


def test_plain_title_gets_the_full_stop() -> None:
    assert render(book(title="Hands off"), "en").startswith("Hands off. — ")


def test_joint_imprint_and_publisher_as_recorded() -> None:
    record = book(**{"publisher-place": "Yaroslavl; Moscow", "publisher": "Socialist Resistance",
                     "issued": {"date-parts": [[2005]]}})
    assert render(record, "en").endswith("— Yaroslavl ; Moscow : Socialist Resistance, 2005.")
    assert render(record, "ru", edition="gost-2003").endswith("— Yaroslavl ; М. : Socialist Resistance, 2005.")
    already = book(publisher="«Наука»")
    assert ": «Наука»," in render(already, "ru")


def test_year_span_and_edition() -> None:
    record = book(type="periodical", issued={"date-parts": [[1998], [2007]]}, edition="2")
    assert render(record, "en") == "Why Socialism? — 2nd ed. — [S. l.], 1998–2007."
    assert "— 2-е изд. — " in render(record, "ru")


def test_unknown_locale_is_a_usage_problem() -> None:
    with pytest.raises(UnknownFormat) as caught:
        locale_code("de-DE")
    assert isinstance(caught.value, UsageProblem)
    assert locale_code("ru_RU") == "ru" and locale_code("en-GB") == "en"


def test_list_order_is_by_heading_or_title_ignoring_quotes() -> None:
    records = [book(id="b", title='"Zebra"'), book(id="a", title="Alpha", author=[{"family": "Yakovlev"}]),
               book(id="c", title="Мир")]
    assert [r["id"] for r in sorted(records, key=list_sort_key)] == ["a", "b", "c"]


words = st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    title=words.filter(lambda t: t.strip()),
    pages=st.none() | st.integers(min_value=1, max_value=5000),
    year=st.none() | st.integers(min_value=1500, max_value=2100),
    place=st.none() | words.filter(lambda t: t.strip() and ";" not in t),
    locale=st.sampled_from(["en", "ru"]),
)
def test_any_record_renders_one_well_ended_line(
    title: str, pages: int | None, year: int | None, place: str | None, locale: str
) -> None:
    record: dict[str, Any] = book(title=title)
    if pages:
        record["number-of-pages"] = pages
    if year:
        record["issued"] = {"date-parts": [[year]]}
    if place:
        record["publisher-place"] = place
    text = render(record, locale)
    assert "\n" not in text
    assert text.endswith((".", "?", "!"))
    assert " — " in text
    assert ". . —" not in text and "?. —" not in text and "!. —" not in text
