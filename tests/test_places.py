"""The place authority: one city under every form, in search, filters, statistics and GOST output."""

from __future__ import annotations

import json
from typing import Any

import pytest

from catalogue.gost.parse import parse_gost_line
from catalogue.gost.render import place_form, render
from catalogue.model.places import PLACES, find_place, gost_place, place_forms, preferred_place
from catalogue.search.filters import Filters
from catalogue.search.index import build_index
from catalogue.search.query import parse_query
from catalogue.search.ranking import search
from catalogue.store.storage import shipped_catalogue_bytes
from tests.conftest import run, run_process

SHIPPED = json.loads(shipped_catalogue_bytes())["records"]
MOSCOW_KEYS = sorted(k for k, r in SHIPPED.items() if "Moscow" in str(r.get("publisher-place", "")))


def test_the_shipped_catalogue_has_eleven_records_published_in_moscow() -> None:
    assert len(MOSCOW_KEYS) == 11


@pytest.mark.parametrize("form", ["Moscow", "Москва", "М.", "moskva", "MOSCOW", " Москва ", "M.", "Moskau"])
def test_every_form_of_moscow_is_one_place(form: str) -> None:
    place = find_place(form)
    assert place is not None and place.id == "moscow"
    assert preferred_place(form) == "Moscow"


@pytest.mark.parametrize(
    ("form", "russian", "english"),
    [
        ("Москва", "М.", "Moscow"), ("Moscow", "М.", "Moscow"), ("М.", "М.", "Moscow"),
        ("Санкт-Петербург", "СПб.", "Saint Petersburg"), ("St. Petersburg", "СПб.", "Saint Petersburg"),
        ("Спб.", "СПб.", "Saint Petersburg"), ("Ленинград", "Л.", "Leningrad"), ("Петроград", "Пг.", "Petrograd"),
        ("Нижний Новгород", "Н. Новгород", "Nizhny Novgorod"), ("Н.Новгород", "Н. Новгород", "Nizhny Novgorod"),
        ("Ростов-на-Дону", "Ростов н/Д", "Rostov-on-Don"), ("Rostov-on-Don", "Ростов н/Д", "Rostov-on-Don"),
        # 7.0.12-2011 gives no abbreviation for these: written as the record has them in Russian
        ("Киев", "Киев", "Kyiv"), ("Kiev", "Kiev", "Kyiv"), ("К.", "К.", "Kyiv"), ("Мн.", "Мн.", "Minsk"),
        ("Voronezh", "Voronezh", "Voronezh"), ("Воронеж", "Воронеж", "Voronezh"),
        ("Tula", "Tula", "Tula"),  # not in the authority: as given
    ],
)
def test_gost_writes_the_standard_abbreviation_in_russian_and_the_english_name_in_english(
    form: str, russian: str, english: str
) -> None:
    assert gost_place(form, "ru") == russian == place_form(form, "ru")
    assert gost_place(form, "en") == english


def test_every_place_has_distinct_forms_and_a_token_no_typed_text_folds_to() -> None:
    seen: dict[str, str] = {}
    for place in PLACES:
        assert place.english and place.russian and place.token == f"#{place.id}#"
        for form in place.forms:
            key = " ".join(form.split()).casefold().replace("ё", "е")
            assert seen.setdefault(key, place.id) == place.id, f"{form!r} names two places"


def test_place_forms_start_with_the_text_as_given() -> None:
    assert place_forms("М.")[0] == "М." and "Москва" in place_forms("М.") and "Moscow" in place_forms("М.")
    assert place_forms("Tula") == ("Tula",)


def test_the_parser_keeps_the_place_as_the_source_gives_it() -> None:
    record = parse_gost_line("Иванов И. И. Книга. — М. : Наука, 1999. — 100 с.").record
    assert record["publisher-place"] == "М."
    assert render(record, edition="gost-2003") == "Иванов И. И. Книга. — М. : Наука, 1999. — 100 с."
    assert render(record) == "Иванов, И. И. Книга / И. И. Иванов. — М. : Наука, 1999. — 100 с."
    assert "— Moscow : " in render(record, "en")


def _records(*places: str) -> list[dict[str, Any]]:
    return [{"id": f"r{i}", "type": "book", "title": f"Book {i}", "publisher-place": p}
            for i, p in enumerate(places)]


RECORDS = _records("Moscow", "Москва", "М.", "Perm", "Минск", "Yaroslavl; Moscow", "Мурманск")


@pytest.mark.parametrize("value", ["Москва", "Moscow", "М.", "moskva", "M."])
def test_a_place_filter_matches_every_form_of_the_place(value: str) -> None:
    found = [r["id"] for r in Filters.from_options(places=[value]).apply(RECORDS)]
    assert found == ["r0", "r1", "r2", "r5"]


def test_an_abbreviation_filter_never_matches_a_place_it_is_a_substring_of() -> None:
    assert [r["id"] for r in Filters.from_options(places=["М."]).apply(RECORDS)] == ["r0", "r1", "r2", "r5"]
    assert [r["id"] for r in Filters.from_options(places=["Мн."]).apply(RECORDS)] == ["r4"]


def test_a_place_filter_of_other_text_looks_inside_every_form() -> None:
    assert [r["id"] for r in Filters.from_options(places=["Mosk"]).apply(RECORDS)] == ["r0", "r1", "r2", "r5"]
    assert [r["id"] for r in Filters.from_options(places=["Мурм"]).apply(RECORDS)] == ["r6"]


@pytest.mark.parametrize("query", ["Москва", "Moscow", "place:Москва", "place:М.", "М.", "place:moskva"])
def test_search_finds_every_form_of_the_place(query: str) -> None:
    index = build_index(RECORDS)
    keys = sorted(index.keys[hit.number] for hit in search(index, parse_query(query)).hits)
    assert keys == ["r0", "r1", "r2", "r5"]


def test_search_with_a_place_filter_agrees_with_the_filter() -> None:
    index = build_index(RECORDS)
    for value in ("М.", "Москва", "Mosk", "Мн.", "Perm"):
        filters = Filters.from_options(places=[value])
        hits = sorted(index.keys[h.number] for h in search(index, parse_query(""), filters).hits)
        assert hits == [r["id"] for r in filters.apply(RECORDS)], value


def test_an_excluded_place_excludes_every_form() -> None:
    index = build_index(RECORDS)
    keys = sorted(index.keys[h.number] for h in search(index, parse_query("book -place:М.")).hits)
    assert keys == ["r3", "r4", "r6"]


# --- the command line ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["search", "Москва"], ["search", "place:Москва"], ["search", "place:М."], ["search", "М."],
     ["list", "--place", "Москва"], ["list", "--place", "Moscow"], ["list", "--place", "М."]],
)
def test_the_shipped_moscow_records_are_found_by_any_form(args: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 0, err
    keys = sorted(line.split("\t")[0] for line in out.splitlines()[1:])
    assert keys == MOSCOW_KEYS


def test_stats_count_a_place_once_under_its_authority_name() -> None:
    lines = "Книга. — Москва, 1999. — 10 с.\nДругая книга. — М., 2000. — 12 с.\n"
    code, _out, err = run("import", "--format", "gost", "-", input=lines)
    assert code == 0, err
    code, out, err = run("stats", "--format", "json")
    assert code == 0, err
    by_place = json.loads(out)["by_place"]
    assert by_place["Moscow"] == 13 and "Москва" not in by_place and "М." not in by_place


def test_list_place_in_a_real_process() -> None:
    done = run_process("list", "--place", "Москва")
    assert done.returncode == 0, done.stderr
    assert sorted(line.split("\t")[0] for line in done.stdout.splitlines()[1:]) == MOSCOW_KEYS
