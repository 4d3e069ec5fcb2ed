"""Citation keys: ``<family><year><word>``, ASCII, lower case, stable once given."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping, MutableSet
from typing import Any

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


def significant_words(title: str, limit: int | None = None) -> list[str]:
    """Title words that can go into a key, romanised to a-z, in order (the first ``limit`` of them)."""
    out: list[str] = []
    for match in _WORD.finditer(title):
        if limit is not None and len(out) >= limit:
            break
        word = match.group()
        if word.lower() in STOPWORDS:
            continue
        letters = ascii_letters(word)
        if letters:
            out.append(letters[:_MAX_PART])
    return out


# A key part taken from a name or a word is cut to this length, so that a key with its
# year and suffix stays within the validator's limit.
_MAX_PART = 60


def base_key(record: Mapping[str, Any]) -> str:
    """The key a record would get with no clash: ``ovsyannikov2006why``, ``close2001imf``.

    Made before a record is validated (a new record gets its key first), so any field
    of the wrong type is passed over rather than trusted.
    """
    year = year_of(record)
    year_part = str(year) if year is not None and 0 <= year <= 9999 else ""
    title = record.get("title")
    words = significant_words(title, limit=2) if isinstance(title, str) else []
    head = first_name(record)
    family = (head.get("family") or head.get("literal")) if head else None
    first = family.split(maxsplit=1)[0] if isinstance(family, str) and family.strip() else ""
    family = ascii_letters(first)[:_MAX_PART] if first else ""
    if family:
        return family + year_part + (words[0] if words else "")
    if not words:
        return "untitled" + year_part
    return words[0] + year_part + (words[1] if len(words) > 1 else "")


class TakenKeys(MutableSet[str]):
    """The keys in use, lower-cased, remembering how far each base's suffixes are used up.

    Over a plain set, ``unique_key`` tries a, b, c … from the start on every call, so n
    records sharing one base cost n²/2 look-ups; over this set it resumes where the last
    call for that base stopped.  Keys are only ever added between calls (a removal
    forgets every resume point, as it may free a suffix before one).
    """

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._keys = {key.lower() for key in keys}
        self._resume: dict[str, int] = {}

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str) -> None:
        self._keys.add(key.lower())

    def discard(self, key: str) -> None:
        self._keys.discard(key.lower())
        self._resume.clear()


def unique_key(base: str, taken: Container[str]) -> str:
    """``base`` if free, else ``base`` + a, b, … z, aa, ab … (compared in lower case).

    ``taken`` holds lower-cased keys; a ``TakenKeys`` kept across calls makes giving
    keys to many records with one base linear instead of quadratic.
    """
    lower = base.lower()
    if lower not in taken:
        return base
    resume = taken._resume if isinstance(taken, TakenKeys) else None
    n = resume.get(lower, 0) if resume is not None else 0
    while lower + _letters(n) in taken:
        n += 1
    if resume is not None:
        resume[lower] = n  # every suffix before n is taken, and stays so until a removal
    return base + _letters(n)


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, …"""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def make_key(record: Mapping[str, Any], taken: Container[str]) -> str:
    """A fresh key for a record, unique among ``taken`` (lower-cased keys; see ``TakenKeys``)."""
    return unique_key(base_key(record), taken)
