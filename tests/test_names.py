"""Names: the forms of the article and Russian catalogues parse, and format back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.model.names import (
    format_bibtex,
    format_gost,
    format_gost_inverted,
    initials,
    parse_name,
    parse_names,
)


@pytest.mark.parametrize(
    ("text", "family", "given"),
    [
        ("Ovsyannikov I. A.", "Ovsyannikov", "I. A."),
        ("Doyle K.", "Doyle", "K."),
        ("I. A. Ovsyannikov", "Ovsyannikov", "I. A."),
        ("Ovsyannikov, Ilya A.", "Ovsyannikov", "Ilya A."),
        ("Овсянников И. А.", "Овсянников", "И. А."),
        ("И. А. Овсянников", "Овсянников", "И. А."),
        ("Ovsyannikov I.A.", "Ovsyannikov", "I. A."),
        ("Ilya Ovsyannikov", "Ovsyannikov", "Ilya"),
        ("von Neumann, John", "von Neumann", "John"),
        ("  Kozlovsky   S. A. ", "Kozlovsky", "S. A."),
        ("Андропов Ю. В.", "Андропов", "Ю. В."),
    ],
)
def test_parse_forms(text: str, family: str, given: str) -> None:
    assert parse_name(text) == {"family": family, "given": given}


def test_single_word_is_a_family_name() -> None:
    assert parse_name("Lenin") == {"family": "Lenin"}


@pytest.mark.parametrize("text", ["{Socialist Resistance}", "=Socialist Resistance"])
def test_organisations_are_literal(text: str) -> None:
    assert parse_name(text) == {"literal": "Socialist Resistance"}


@pytest.mark.parametrize("text", ["", "   ", "{}", "=", ", Ilya"])
def test_empty_names_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_name(text)


def test_parse_names_splits_on_semicolon_and_and() -> None:
    assert parse_names("Ovsyannikov I.; Shibanov I.") == [
        {"family": "Ovsyannikov", "given": "I."},
        {"family": "Shibanov", "given": "I."},
    ]
    assert [n["family"] for n in parse_names("Ovsyannikov, I. and Shibanov, I.")] == ["Ovsyannikov", "Shibanov"]


def test_formats() -> None:
    name = parse_name("Ovsyannikov, Ilya A.")
    assert format_gost(name) == "Ovsyannikov I. A."
    assert format_gost_inverted(name) == "I. A. Ovsyannikov"
    assert format_bibtex(name) == "Ovsyannikov, Ilya A."
    assert format_bibtex(parse_name("Ovsyannikov I. A.")) == "Ovsyannikov, I. A."
    assert format_bibtex({"literal": "Socialist Resistance"}) == "{Socialist Resistance}"
    assert format_gost({"literal": "Socialist Resistance"}) == "Socialist Resistance"


def test_initials() -> None:
    assert initials("Ilya Aleksandrovich") == "I. A."
    assert initials("Jean-Paul") == "J.-P."
    assert initials("I. A.") == "I. A."
    assert initials("") == ""


_word = st.text(alphabet="абвгдежзиклмнопрстуфхцчшщэюяabcdefghijklmnopqrstuvwxyz", min_size=2, max_size=12)


@given(family=_word, first=st.sampled_from("ABCDEFGHIKLMNOPRSTVАБВГДЕЖЗИКЛМНОПРСТУФ"),
       second=st.sampled_from("ABCDEFGHIKLMNOPRSTVАБВГДЕЖЗИКЛМНОПРСТУФ"))
def test_gost_form_round_trips(family: str, first: str, second: str) -> None:
    name = {"family": family.capitalize(), "given": f"{first}. {second}."}
    assert parse_name(format_gost(name)) == name
    assert parse_name(format_gost_inverted(name)) == name
    assert parse_name(format_bibtex(name)) == name
