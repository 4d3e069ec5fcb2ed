"""Romanisation and the script-insensitive search key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.model.translit import ascii_letters, has_cyrillic, romanise, search_key


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("Овсянников", "Ovsyannikov"), ("Козловский", "Kozlovsky"), ("Ясин", "Yasin"), ("Шибанов", "Shibanov")],
)
def test_romanise_like_the_article(cyrillic: str, latin: str) -> None:
    assert romanise(cyrillic) == latin


def test_latin_passes_unchanged() -> None:
    assert romanise("Why Socialism?") == "Why Socialism?"
    assert not has_cyrillic("Why Socialism?")
    assert has_cyrillic("Почему социализм?")


@pytest.mark.parametrize(
    "spelling", ["Овсянников", "ovsyannikov", "Ovsiannikov", "OVSJANNIKOV", "Овсяников", "Ovsyanikov"]
)
def test_spellings_of_one_name_meet(spelling: str) -> None:
    assert search_key(spelling) == search_key("Ovsyannikov")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Козловский", "Kozlovskiy"),
        ("Хрущёв", "Khrushchev"),
        ("Щукин", "Shchukin"),
        ("Ёлкин", "Yolkin"),
        ("Sotsialisticheskoye soprotivleniye", "Социалистическое сопротивление"),
        ("Müller", "Muller"),
        ("Voronezh", "ВОРОНЕЖ"),
    ],
)
def test_folding(a: str, b: str) -> None:
    assert search_key(a) == search_key(b)


def test_different_names_stay_different() -> None:
    assert search_key("Ovsyannikov") != search_key("Shibanov")
    assert search_key("Kozlovsky") != search_key("Yasin")


def test_search_key_keeps_words_apart() -> None:
    assert search_key("Why   Socialism?!") == "vhi socialism"


def test_ascii_letters_for_keys() -> None:
    assert ascii_letters("Овсянников") == "ovsyannikov"
    assert ascii_letters("Müller-Lüdenscheidt") == "mullerludenscheidt"
    assert ascii_letters("1968") == ""


@given(st.text())
def test_search_key_is_ascii_and_idempotent(text: str) -> None:
    key = search_key(text)
    assert key.isascii()
    assert search_key(key) == key
