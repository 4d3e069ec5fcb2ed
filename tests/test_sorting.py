"""Sort orders: Russian alphabetical order for Cyrillic (ё with е), independent of the locale."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.errors import UnknownFormat
from catalogue.model.sorting import sort_records, sorted_keys, text_sort_key


def order(words: list[str]) -> list[str]:
    return sorted(words, key=text_sort_key)


def test_russian_alphabetical_order() -> None:
    assert order(["Яблоко", "Щука", "Ёж", "Анна", "Жук", "Ель", "Йод", "Иван", "Эхо", "Юла"]) == [
        "Анна", "Ёж", "Ель", "Жук", "Иван", "Йод", "Щука", "Эхо", "Юла", "Яблоко"]


def test_yo_sorts_with_ye_and_after_it_only_on_a_tie() -> None:
    assert order(["ёлка", "еда", "ель", "ежи"]) == ["еда", "ежи", "ёлка", "ель"]
    assert order(["ёж", "еж"]) == ["еж", "ёж"]


def test_latin_case_accents_and_leading_quotes() -> None:
    assert order(["zeta", "Émile", "alpha", "«Beta»", '"Gamma"']) == ["alpha", "«Beta»", "Émile", '"Gamma"', "zeta"]


def test_independent_of_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["Ель", "ёж", "Zeta", "apple", "Яков"]
    expected = order(words)
    monkeypatch.setenv("LC_ALL", "C")
    assert order(words) == expected


@given(st.lists(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАЁЯ abcXYZ", max_size=8), max_size=12))
def test_order_is_total_and_stable(words: list[str]) -> None:
    once = order(words)
    assert order(list(reversed(words))) == once
    assert sorted(once, key=text_sort_key) == once


def test_sort_records_by_each_field() -> None:
    records = [
        {"id": "b", "type": "pamphlet", "title": "Ёлка", "issued": {"date-parts": [[2001]]},
         "author": [{"family": "Яковлев"}]},
        {"id": "a", "type": "book", "title": "Ель", "author": [{"family": "Абрамов"}]},
        {"id": "c", "type": "book", "title": "Apple", "issued": {"date-parts": [[1999]]}},
    ]
    assert [r["id"] for r in sort_records(records, "title")] == ["c", "b", "a"]
    assert [r["id"] for r in sort_records(records, "author")] == ["a", "b", "c"]
    assert [r["id"] for r in sort_records(records, "year")] == ["c", "b", "a"]
    assert [r["id"] for r in sort_records(records, "id", reverse=True)] == ["c", "b", "a"]
    assert [r["id"] for r in sort_records(records, "type")] == ["c", "a", "b"]
    with pytest.raises(UnknownFormat):
        sort_records(records, "colour")


@pytest.mark.parametrize("by", ["id", "title", "author", "year", "type"])
@pytest.mark.parametrize("reverse", [False, True])
def test_sorted_keys_is_the_order_of_sort_records(shipped: Catalogue, by: str, reverse: bool) -> None:
    records = shipped.records()
    expected = [r["id"] for r in sort_records(records, by, reverse=reverse)]
    assert sorted_keys(iter(records), by, reverse=reverse) == expected
