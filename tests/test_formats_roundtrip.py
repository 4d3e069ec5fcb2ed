"""Round trips: export -> import into an empty catalogue -> export gives identical text, in every format."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.formats import LINE_KEY, WARNINGS_KEY, export, get_importer
from catalogue.model.validation import validate

FORMATS = ("bibtex", "biblatex", "csl-json", "ris", "json")


def reimport(text: str, fmt: str) -> list[dict]:
    records = get_importer(fmt)(text, f"test.{fmt}")
    for record in records:
        record.pop(LINE_KEY, None)
        record.pop(WARNINGS_KEY, None)
    catalogue = Catalogue.in_memory(records, clock=lambda: "2026-01-01T00:00:00Z")
    return catalogue.records()


@pytest.mark.parametrize("fmt", FORMATS)
def test_shipped_catalogue_round_trips(shipped: Catalogue, fmt: str) -> None:
    text = export(shipped.records(), fmt)
    assert export(reimport(text, fmt), fmt) == text


def test_json_round_trip_keeps_everything(shipped: Catalogue) -> None:
    records = get_importer("json")(export(shipped.records(), "json"), "x.json")
    assert [r.pop(LINE_KEY) for r in records][:2] == [2, 23]  # the line each record starts on
    assert records == shipped.records()


def test_csl_json_round_trip_keeps_every_csl_field_and_tags(shipped: Catalogue) -> None:
    back = {r["id"]: r for r in reimport(export(shipped.records(), "csl-json"), "csl-json")}
    for record in shipped.records():
        expected = {k: v for k, v in record.items() if k not in ("added", "modified")}
        got = {k: v for k, v in back[record["id"]].items() if k not in ("added", "modified")}
        assert got == expected


def test_bibtex_round_trip_keeps_what_bibtex_holds(shipped: Catalogue) -> None:
    back = {r["id"]: r for r in reimport(export(shipped.records(), "biblatex"), "biblatex")}
    for record in shipped.records():
        got = back[record["id"]]
        for field in ("type", "title", "author", "editor", "compiler", "translator", "issued",
                      "publisher-place", "publisher", "number-of-pages", "language", "tags", "genre"):
            assert got.get(field) == record.get(field), (record["id"], field)


# --- property tests over generated records ---------------------------------------------

_letters = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
word = st.text(alphabet=_letters + "&{}$#_~^%\\'\"!?.-", min_size=1, max_size=10).filter(lambda w: w[0].isalpha())
text = st.lists(word, min_size=1, max_size=6).map(" ".join)
capital = st.sampled_from("ABCDEFGHIKLMNOPRSTVWYZАБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ")
family = st.builds(lambda c, rest: c + rest, capital, st.text(alphabet=_letters + "'-", max_size=9))
person = st.one_of(
    st.builds(lambda f: {"family": f}, family),
    st.builds(lambda f, g: {"family": f, "given": g}, family,
              st.sampled_from(["I. A.", "S.", "Ilya", "Сергей Александрович", "J.-P."])),
)
organisation = st.builds(lambda a, b: {"literal": f"{a} {b}"}, family, text)
people = st.lists(st.one_of(person, person, organisation), min_size=1, max_size=3)
year = st.integers(min_value=1450, max_value=2006)
issued = st.one_of(
    st.builds(lambda y: {"date-parts": [[y]]}, year),
    st.builds(lambda y, m: {"date-parts": [[y, m]]}, year, st.integers(1, 12)),
    st.builds(lambda a, b: {"date-parts": [[a], [a + b]]}, year, st.integers(1, 20)),
)
tag = st.text(alphabet=_letters + "-", min_size=1, max_size=8).filter(lambda t: t[0].isalpha())


@st.composite
def records(draw: st.DrawFn) -> dict:
    record = {
        "id": draw(st.from_regex(r"[a-z][a-z0-9]{2,12}", fullmatch=True)),
        "type": draw(st.sampled_from(["book", "pamphlet", "periodical", "article-journal", "report"])),
        "title": draw(text),
        "added": "2025-01-01T00:00:00Z",
        "modified": "2025-02-01T00:00:00Z",
    }
    for role in ("author", "editor", "compiler", "translator"):
        if draw(st.booleans()):
            record[role] = draw(people)
    optional = {
        "issued": issued, "publisher-place": st.lists(family, min_size=1, max_size=2).map("; ".join),
        "publisher": text, "number-of-pages": st.integers(1, 2000), "note": text,
        "language": st.sampled_from(["ru", "en", "uk"]), "tags": st.lists(tag, min_size=1, max_size=3, unique=True),
        "genre": st.sampled_from(["leaflet", "brochure"]),
    }
    for field, strategy in optional.items():
        if draw(st.booleans()):
            record[field] = draw(strategy)
    assert validate(record) == []
    return record


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(records(), min_size=1, max_size=4, unique_by=lambda r: r["id"]))
def test_generated_records_round_trip(fmt: str, batch: list[dict]) -> None:
    text = export(sorted(batch, key=lambda r: r["id"]), fmt)  # a catalogue lists records by key
    assert export(reimport(text, fmt), fmt) == text


@settings(max_examples=40, deadline=None)
@given(record=records())
def test_bibtex_import_restores_titles_and_names(record: dict) -> None:
    back = reimport(export([record], "biblatex"), "biblatex")[0]
    assert back["title"] == record["title"]
    for role in ("author", "editor", "compiler", "translator"):
        assert back.get(role) == record.get(role)
    assert back.get("issued") == record.get("issued")
