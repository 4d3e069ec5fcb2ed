"""Citation keys: <family><year><word>, romanised like the article, unique and stable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.model.keys import base_key, make_key, significant_words, unique_key


def rec(title: str, year: int | None = None, **names: list[dict[str, str]]) -> dict[str, object]:
    record: dict[str, object] = {"type": "book", "title": title, **names}
    if year is not None:
        record["issued"] = {"date-parts": [[year]]}
    return record


@pytest.mark.parametrize(
    ("record", "key"),
    [
        (rec("Why Socialism?", 2006, author=[{"family": "Ovsyannikov"}]), "ovsyannikov2006why"),
        (rec("Почему социализм?", 2006, author=[{"family": "Овсянников"}]), "ovsyannikov2006pochemu"),
        (rec("Education for the people", 2006, compiler=[{"family": "Козловский"}]), "kozlovsky2006education"),
        (rec("A new stage", 2006, editor=[{"family": "Ясин"}]), "yasin2006new"),
        (rec("Close the IMF!", 2001), "close2001imf"),
        (rec("The Grapes of Wrath", 2007), "grapes2007wrath"),
        (rec("О социализме", None, author=[{"family": "Müller"}]), "mullersotsializme"),
        (rec("1968. Revolution month", 1993, author=[{"family": "Doyle"}]), "doyle1993revolution"),
        (rec("Hands off", 2005, editor=[{"family": "Ovsyannikov"}], compiler=[{"family": "X"}]),
         "ovsyannikov2005hands"),
        (rec("!!!", 2000), "untitled2000"),
    ],
)
def test_base_key(record: dict[str, object], key: str) -> None:
    assert base_key(record) == key


def test_author_comes_before_editor_and_translator_is_ignored() -> None:
    record = rec("T", 2000, author=[{"family": "A"}], editor=[{"family": "B"}], translator=[{"family": "C"}])
    assert base_key(record) == "a2000t"
    assert base_key(rec("Title words", 2000, translator=[{"family": "C"}])) == "title2000words"


def test_stopwords_english_and_russian() -> None:
    assert significant_words("The fight of the people") == ["fight", "people"]
    assert significant_words("В борьбе за социализм") == ["borbe", "sotsializm"]


def test_clashes_get_letters_on_the_later_records() -> None:
    taken = {"ovsyannikov2006why"}
    assert unique_key("ovsyannikov2006why", taken) == "ovsyannikov2006whya"
    taken.add("ovsyannikov2006whya")
    assert unique_key("ovsyannikov2006why", taken) == "ovsyannikov2006whyb"
    many = {"k"} | {f"k{chr(c)}" for c in range(ord("a"), ord("z") + 1)}
    assert unique_key("k", many) == "kaa"


def test_keys_never_change_once_assigned() -> None:
    cat = Catalogue.in_memory()
    first = cat.add(rec("Why Socialism?", 2006, author=[{"family": "Ovsyannikov"}]))
    second = cat.add(rec("Why Socialism?", 2006, author=[{"family": "Ovsyannikov"}]))
    assert (first["id"], second["id"]) == ("ovsyannikov2006why", "ovsyannikov2006whya")
    cat.update(first["id"], {**first, "title": "Something else entirely", "issued": {"date-parts": [[1999]]}})
    assert cat.get("ovsyannikov2006why")["title"] == "Something else entirely"


@given(title=st.text(min_size=1, max_size=40), family=st.text(max_size=20), year=st.integers(1450, 2100))
def test_generated_keys_are_lower_ascii(title: str, family: str, year: int) -> None:
    record = rec(title, year, author=[{"family": family}]) if family.strip() else rec(title, year)
    key = make_key(record, set())
    assert key.isascii() and key == key.lower() and key.isalnum()
