"""The GOST 7.1 line parser and the ``gost`` importer."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.errors import InvalidData, ParseError
from catalogue.formats import get_importer
from catalogue.gost.parse import NotAGostDescription, parse_gost_line, title_proper
from catalogue.model.keys import make_key
from catalogue.model.places import find_place, preferred_place
from catalogue.model.record import places
from catalogue.model.validation import validate
from catalogue.store.storage import shipped_catalogue_bytes
from tests.conftest import shared_path

BIBLIOGRAPHIC = (
    "type", "title", "title-short", "author", "editor", "compiler", "translator", "issued",
    "publisher-place", "publisher", "number-of-pages", "language",
)


def article_list() -> str:
    """The article's "Books and brochures" section, bullets included."""
    text = shared_path("seed", "socialist-resistance.txt").read_text(encoding="utf-8")
    section = text.split("== Books and brochures ==", 1)[1].split("\n==", 1)[0]
    return section.strip() + "\n"


def shipped_books() -> dict[str, dict[str, Any]]:
    records = json.loads(shipped_catalogue_bytes())["records"]
    return {k: r for k, r in records.items() if "book-or-brochure" in r.get("tags", [])}


def bibliographic(record: dict[str, Any]) -> dict[str, Any]:
    """The fields compared; a place as the authority's preferred form (the article's М. is Moscow)."""
    out = {f: record[f] for f in BIBLIOGRAPHIC if f in record}
    if "publisher-place" in out:
        out["publisher-place"] = "; ".join(preferred_place(p) for p in places(out))
    return out


def test_the_article_list_parses_into_the_shipped_records() -> None:
    # the shipped records say "ru" (the article is a Russian group's list); the English-titled
    # lines are detected as "en", so the list is read with its language given
    lines = [line[2:] for line in article_list().splitlines() if line.startswith("- ")]
    records = [parse_gost_line(line, language="ru").record for line in lines]
    assert len(get_importer("gost")(article_list(), "article.txt")) == 14
    expected = shipped_books()
    assert len(records) == 14 == len(expected)
    taken: set[str] = set()
    for record in records:
        key = make_key(record, taken)
        taken.add(key)
        assert key in expected, f"{key} is not a shipped key"
        assert bibliographic(record) == bibliographic(expected[key]), key


def test_translated_from_english_becomes_a_note() -> None:
    parsed = parse_gost_line(
        "A new stage. Theses. / Transl. from english I. Yasin. — М., 2006. — 24 с."
    )
    assert parsed.record["translator"] == [{"family": "Yasin", "given": "I."}]
    assert parsed.record["note"] == "Translated from English."
    assert parsed.record["title"] == "A new stage. Theses."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Овсянников И. А. Почему социализм? — М., 2006. — 36 с.",
            {"author": [{"family": "Овсянников", "given": "И. А."}], "title": "Почему социализм?",
             "publisher-place": "М.", "issued": {"date-parts": [[2006]]}, "number-of-pages": 36,
             "type": "pamphlet"},
        ),
        (
            "Овсянников, И. А. Мир сопротивления : взгляд с вершины / И. А. Овсянников. — "
            "СПб. : Прогресс, 2007. — 120 с. — ISBN 5-01-001234-5.",
            {"author": [{"family": "Овсянников", "given": "И. А."}],
             "title": "Мир сопротивления: взгляд с вершины", "title-short": "Мир сопротивления",
             "publisher-place": "СПб.", "publisher": "Прогресс", "number-of-pages": 120,
             "ISBN": "5-01-001234-5", "type": "book"},
        ),
        (
            "Руки прочь от образования! / под ред. И. А. Овсянникова, С. А. Козловского. — "
            "Ярославль—М., 2005. — 47 с.",
            {"editor": [{"family": "Овсянников", "given": "И. А."}, {"family": "Козловский", "given": "С. А."}],
             "publisher-place": "Ярославль; М."},
        ),
        (
            "Образование для народа / сост. С. А. Козловский. — Л. : «Наука», [б. г.]. — 16 с.",
            {"compiler": [{"family": "Козловский", "given": "С. А."}], "publisher-place": "Л.",
             "publisher": "«Наука»"},
        ),
        (
            "Доклад / пер. с нем. И. Ясина. — [б. м.] : [б. и.], 1999. — 12 с.",
            {"translator": [{"family": "Ясин", "given": "И."}], "note": "Translated from German.",
             "issued": {"date-parts": [[1999]]}},
        ),
        (
            "Ovsyannikov I., Shibanov I. FAQ — Perm: \"Socialist Resistance\", 2008. — 24 p.",
            {"author": [{"family": "Ovsyannikov", "given": "I."}, {"family": "Shibanov", "given": "I."}],
             "publisher-place": "Perm", "publisher": "Socialist Resistance", "title": "FAQ"},
        ),
        ("Газета. — М., 1998–2007.", {"issued": {"date-parts": [[1998], [2007]]}}),
        ("Статьи. — 2-е изд. — М., 2001.", {"edition": 2, "title": "Статьи"}),
    ],
)
def test_russian_and_english_lines(line: str, expected: dict[str, Any]) -> None:
    record = parse_gost_line(line).record
    assert {k: record.get(k) for k in expected} == expected
    assert record["language"] == ("en" if line.startswith("Ovsyannikov") else "ru")  # told from the title
    assert validate({**record, "id": "x"}) == []


def test_genitive_names_are_reported_as_guesses() -> None:
    parsed = parse_gost_line("Книга / под ред. С. А. Козловского. — М., 2006.")
    assert parsed.record["editor"] == [{"family": "Козловский", "given": "С. А."}]
    assert any("Козловского" in g for g in parsed.guesses)


def test_what_cannot_be_placed_is_returned() -> None:
    parsed = parse_gost_line(
        "Книга = The book / И. Иванов [и др.]. — М., 2006. — 36 с. : ил. — (Библиотека ; 5)."
    )
    assert parsed.record["title"] == "Книга"
    assert parsed.record["author"] == [{"family": "Иванов", "given": "И."}]
    assert parsed.unplaced == ["= The book", "ил"]
    assert parsed.record["custom"] == {"authors-et-al": True}  # "[и др.]": the record says there were more
    assert (parsed.record["collection-title"], parsed.record["collection-number"]) == ("Библиотека", "5")


def test_language_can_be_given_or_left_out() -> None:
    assert parse_gost_line("Title. — London, 1990.", language="en").record["language"] == "en"
    assert "language" not in parse_gost_line("Title. — London, 1990.", language=None).record


def test_a_dash_inside_the_title_stays_in_the_title() -> None:
    record = parse_gost_line("Russia — the revolution. — М., 1917. — 10 с.").record
    assert record["title"] == "Russia — the revolution"


def test_an_organisation_in_the_statement_is_kept_whole() -> None:
    record = parse_gost_line(
        "Let them pay! / Socialist Resistance (Section of the CWI, in the CIS). — [S. l.], [s. a.]."
    ).record
    assert record["author"] == [{"literal": "Socialist Resistance (Section of the CWI, in the CIS)"}]
    assert "issued" not in record and "publisher-place" not in record


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("FAQ. Socialism in questions", "FAQ"),
        ("Student Defense: A Marxist Analysis", "Student Defense"),
        ("Why Socialism? Answers", "Why Socialism?"),
        ("1968. Revolution month", None),
        ('"Socialist Resistance". Program documents', None),
        ("St. Petersburg workers", None),
        ("Hands off education!", None),
    ],
)
def test_title_proper(title: str, short: str | None) -> None:
    assert title_proper(title) == short


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello world", "Why Socialism?", "== Books and brochures ==", " — М., 2006", "— 36 с."],
)
def test_text_that_is_not_a_description(text: str) -> None:
    with pytest.raises(NotAGostDescription) as caught:
        parse_gost_line(text)
    assert isinstance(caught.value, InvalidData)
    assert "is not a GOST description" in str(caught.value)


def test_importer_reports_file_and_line_of_every_bad_line() -> None:
    text = "- Why Socialism? — М., 2006. — 36 с.\n\nnot a description\n12. Ok. — М., 2001.\n\nalso bad\n"
    with pytest.raises(ParseError) as caught:
        get_importer("gost")(text, "list.txt")
    assert caught.value.problems == [
        "list.txt:3: no place, year or page count after the title",
        "list.txt:6: no place, year or page count after the title",
    ]


def test_importer_takes_numbered_and_bulleted_lines_and_keeps_unplaced_text_in_the_note() -> None:
    text = "1. Why Socialism? — М., 2006. — 36 с.\n• Книга. — М., 2006. — Тираж 500.\n* Other. — Perm, 2008.\n"
    records = get_importer("gost")(text, "list.txt")
    assert [r["title"] for r in records] == ["Why Socialism?", "Книга", "Other"]
    assert records[1]["note"] == "Not placed in any field: Тираж 500."


# --- properties ---------------------------------------------------------------------------

_GOSTISH = st.lists(
    st.sampled_from([*"Ab Яя.,:;/—–-[]()\"«»?!0123456789 сpМ", ". — ", " / ", "2006", "36 с.", "И. А. "]),
    max_size=40,
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=120), _GOSTISH))
def test_arbitrary_text_gives_a_valid_record_or_the_parsers_own_error(text: str) -> None:
    try:
        parsed = parse_gost_line(text)
    except NotAGostDescription:
        return
    assert validate({**parsed.record, "id": "x"}) == []


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
_CAP = _WORD.map(str.capitalize)
_RU_WORD = st.text(alphabet="абвгдежзиклмнопрстуф", min_size=2, max_size=8)
_INITIALS = st.lists(st.sampled_from("ABCDEGIKMNOPRSTV"), min_size=1, max_size=2).map(
    lambda cs: " ".join(c + "." for c in cs)
)
_PERSON = st.builds(lambda f, g: {"family": f, "given": g}, _CAP, _INITIALS)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    words = draw(st.lists(st.one_of(_WORD, _RU_WORD), min_size=1, max_size=6))
    title = " ".join(words).capitalize()
    record: dict[str, Any] = {"title": title, "language": "ru"}
    for role in ("author", "editor", "compiler"):
        people = draw(st.lists(_PERSON, max_size=2, unique_by=lambda p: p["family"]))
        if people:
            record[role] = people
    if draw(st.booleans()):
        record["issued"] = {"date-parts": [[draw(st.integers(1450, 2025))]]}
    # places the authority knows are written in their GOST form (Moskva -> Moscow, М.), not as typed
    drawn = draw(st.lists(_CAP.filter(lambda p: find_place(p) is None), max_size=2, unique=True))
    if drawn:
        record["publisher-place"] = "; ".join(drawn)
    if draw(st.booleans()):
        record["publisher"] = draw(_CAP)
    pages = draw(st.one_of(st.none(), st.integers(1, 900)))
    if pages:
        record["number-of-pages"] = pages
    record["type"] = "pamphlet" if pages and pages < 49 else "book"
    if "issued" not in record and not places and not pages:
        record["issued"] = {"date-parts": [[2001]]}
    return record


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.sampled_from(["en", "ru"]), st.sampled_from(["gost", "gost-2003"]))
def test_a_rendered_description_parses_back_into_the_record(
    record: dict[str, Any], locale: str, edition: str
) -> None:
    from catalogue.gost.render import render

    line = render(record, locale, edition=edition)
    parsed = parse_gost_line(line, language="ru")  # the drawn titles mix scripts; the language is given
    got = parsed.record
    got.pop("title-short", None)
    assert got == record, line
    assert parsed.unplaced == []
    assert not re.search(r"\s{2}", line)


# --- English descriptions (ed. by, comp. by, transl. from, Vol., No., p.) ----------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Struggle / ed. by S. Sidorov. — London : Verso, 1999. — 300 p.",
         {"editor": [{"family": "Sidorov", "given": "S."}], "publisher-place": "London", "publisher": "Verso",
          "number-of-pages": 300, "type": "book", "language": "en"}),
        ("Reader / comp. by J. Smith. — Oxford, 2001. — 200 p.",
         {"compiler": [{"family": "Smith", "given": "J."}], "number-of-pages": 200}),
        ("Capital / K. Marx ; transl. from German by B. Fowkes. — London : Penguin, 1990. — Vol. 1. — 1152 p.",
         {"author": [{"family": "Marx", "given": "K."}], "translator": [{"family": "Fowkes", "given": "B."}],
          "note": "Translated from German.", "volume": "1", "number-of-pages": 1152}),
        ("Smith J. Essay // Journal of History. — 2001. — Vol. 5, No. 3. — P. 10–20.",
         {"container-title": "Journal of History", "volume": "5", "issue": "3", "page": "10–20",
          "type": "article-journal"}),
    ],
)
def test_english_descriptions(line: str, expected: dict[str, Any]) -> None:
    parsed = parse_gost_line(line)
    assert {k: parsed.record.get(k) for k in expected} == expected
    assert parsed.unplaced == [] and parsed.locale == "en"


def test_add_gost_reads_an_english_editor(runner: Any) -> None:
    from conftest import run

    code, _out, err = run("add", "--gost", "Struggle / ed. by S. Sidorov. — London : Verso, 1999. — 300 p.")
    assert code == 0, err
    code, out, _err = run("show", "sidorov1999struggle", "--format", "json")
    if code != 0:  # the key is made from the title when there is no author
        code, out, _err = run("show", "struggle1999", "--format", "json")
    record = json.loads(out)
    assert record["editor"] == [{"family": "Sidorov", "given": "S."}] and record["language"] == "en"
    assert "b. S." not in out


def test_a_heading_with_a_small_particle_starts_a_new_entry() -> None:
    """'van der Berg, J. …' begins a description; it is no wrapped line of the one before."""
    from catalogue.formats.gost import entries

    text = ("Müller, J. Kapital. — Berlin : Dietz, 2011. — 288 p.\n"
            "van der Berg, J. Workers. — New York : Verso, 2009. — 512 p.\n"
            "de Souza, A. Strikes. — London : Pluto, 2001. — 90 p.\n"
            "and the rest of a wrapped line\n")
    assert [line for line, _ in entries(text)] == [1, 2, 3]
