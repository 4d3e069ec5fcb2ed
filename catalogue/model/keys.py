"""Citation keys: ``<family><year><word>``, ASCII, lower case, stable once given."""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from typing import Any

from catalogue.model.names import family_of
from catalogue.model.record import first_name, year_of
from catalogue.model.translit import ascii_letters

# Words a key never takes from a title: English and Russian articles, prepositions,
# conjunctions.  The first word left is the one the key uses.
_ENGLISH_STOPWORDS = (
    "a an the of in on at to for from by with without about into onto over under "
    "and or but nor as per via vs upon within than between against among"
)
_RUSSIAN_STOPWORDS = (
    "и в во на по с со к ко о об обо от до из за для без при про через у над под а но или ни же ли не"
)
STOPWORDS = frozenset(_ENGLISH_STOPWORDS.split() + _RUSSIAN_STOPWORDS.split())
_WORD = re.compile(r"[\w'’-]+")


def significant_words(title: str) -> list[str]:
    """Title words that can go into a key, romanised to a-z, in order."""
    out = []
    for word in _WORD.findall(title):
        if word.lower() in STOPWORDS:
            continue
        letters = ascii_letters(word)
        if letters:
            out.append(letters)
    return out


def base_key(record: Mapping[str, Any]) -> str:
    """The key a record would get with no clash: ``ovsyannikov2006why``, ``close2001imf``."""
    year = year_of(record)
    year_part = str(year) if year is not None else ""
    words = significant_words(str(record.get("title", "")))
    head = first_name(record)
    family = ascii_letters(family_of(head).split()[0]) if head and family_of(head) else ""
    if family:
        return family + year_part + (words[0] if words else "")
    if not words:
        return "untitled" + year_part
    return words[0] + year_part + (words[1] if len(words) > 1 else "")


def unique_key(base: str, taken: Container[str]) -> str:
    """``base`` if free, else ``base`` + a, b, … z, aa, ab … (compared in lower case)."""
    if base.lower() not in taken:
        return base
    n = 0
    while True:
        suffix = _letters(n)
        if (base + suffix).lower() not in taken:
            return base + suffix
        n += 1


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, …"""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def make_key(record: Mapping[str, Any], taken: Container[str]) -> str:
    """A fresh key for a record, unique among ``taken`` (a set of lower-cased keys)."""
    return unique_key(base_key(record), taken)
