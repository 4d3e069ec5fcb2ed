"""The place authority: one city under every name, spelling and abbreviation a source gives it.

A record keeps its place as the source wrote it (``М.``, ``Москва``, ``Moscow``);
this table says which of those are one city, so that search, filters and
statistics treat them as one, and which form a GOST description writes.

GOST 7.1-2003 (5.7.6) writes a place in full, except the cities GOST 7.0.12-2011
(Appendix A, special cases of abbreviation, carried over from GOST 7.12-93)
gives short forms for: Москва ``М.``, Санкт-Петербург ``СПб.``, Нижний Новгород
``Н. Новгород``, Ростов-на-Дону ``Ростов н/Д``, with Ленинград ``Л.`` and
Петроград ``Пг.`` for the city's earlier names. Those are written in a Russian
description. ``К.`` (Киев) and ``Мн.`` (Минск) come from Soviet practice under
GOST 7.12-77 and are no longer listed: they are read, never written. A
description in English follows GOST 7.11 (ISO 832), which abbreviates no city
names: the English name is written in full.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Place(NamedTuple):
    """One city of the authority."""

    id: str
    english: str
    russian: str
    abbreviation: str | None  # the GOST 7.0.12 form written in a Russian description; None: in full
    variants: tuple[str, ...]  # other forms read: older and other-language spellings, old abbreviations

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form of the place, preferred (English) first."""
        written = (self.english, self.russian, *((self.abbreviation,) if self.abbreviation else ()))
        return (*written, *self.variants)

    @property
    def token(self) -> str:
        """The index word standing for the place itself (a search key never holds ``#``)."""
        return f"#{self.id}#"


# id, English, Russian, abbreviation written in Russian (None: written in full), other forms read.
_TABLE: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    ("moscow", "Moscow", "Москва", "М.", ("Moskva", "Moskau", "Moscou", "M.")),
    ("saint-petersburg", "Saint Petersburg", "Санкт-Петербург", "СПб.", (
        "St. Petersburg", "St Petersburg", "Saint-Petersburg", "Sankt-Peterburg", "Sankt Peterburg",
        "SPb.", "Спб.", "С.-Петербург", "С.-Пб.", "St.-Petersburg",
    )),
    ("leningrad", "Leningrad", "Ленинград", "Л.", ("L.",)),
    ("petrograd", "Petrograd", "Петроград", "Пг.", ("Pg.",)),
    ("nizhny-novgorod", "Nizhny Novgorod", "Нижний Новгород", "Н. Новгород", (
        "Nizhniy Novgorod", "Nizhnii Novgorod", "Nizhni Novgorod", "N. Novgorod",
    )),
    ("rostov-on-don", "Rostov-on-Don", "Ростов-на-Дону", "Ростов н/Д", (
        "Rostov-na-Donu", "Rostov na Donu", "Rostov on Don", "Rostov n/D", "Ростов н/Д.",
    )),
    ("kyiv", "Kyiv", "Киев", None, ("Kiev", "Kiew", "Київ", "Kyïv", "К.", "K.")),
    ("minsk", "Minsk", "Минск", None, ("Мінск", "Мн.", "Mn.")),
    ("yekaterinburg", "Yekaterinburg", "Екатеринбург", None, ("Ekaterinburg", "Jekaterinburg", "Екб.")),
    ("voronezh", "Voronezh", "Воронеж", None, ()),
    ("yaroslavl", "Yaroslavl", "Ярославль", None, ("Jaroslavl",)),
    ("perm", "Perm", "Пермь", None, ("Perm'",)),
    ("novosibirsk", "Novosibirsk", "Новосибирск", None, ()),
    ("kazan", "Kazan", "Казань", None, ("Kazan'",)),
)
PLACES: tuple[Place, ...] = tuple(Place(*row) for row in _TABLE)

_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """The lookup spelling: case, ё and white space (``Н.Новгород``/``Н. Новгород``) ignored."""
    return _SPACES.sub("", text).casefold().replace("ё", "е")


_BY_FORM: dict[str, Place] = {_fold(form): place for place in PLACES for form in place.forms}


def find_place(text: str) -> Place | None:
    """The authority place one form names (``М.``, ``Москва``, ``moscow``), or None."""
    return _BY_FORM.get(_fold(text))


@lru_cache(maxsize=1024)
def place_forms(text: str) -> tuple[str, ...]:
    """Every form of the place ``text`` names: the text itself first, then the authority's forms."""
    place = find_place(text)
    if place is None:
        return (text,)
    return (text, *(f for f in place.forms if f != text))


def preferred_place(text: str) -> str:
    """The form statistics group a place under: the authority's English name, else the text as given."""
    place = find_place(text)
    return place.english if place else " ".join(text.split())


def gost_place(text: str, lang: str) -> str:
    """A place as a GOST description in ``lang`` (``ru``/``en``) writes it.

    Russian: the GOST 7.0.12 abbreviation where the standard gives one (``Moscow``,
    ``Москва`` -> ``М.``), any other place as the source gave it. English: the
    English name of a place the authority knows (``М.``, ``Москва`` -> ``Moscow``;
    abbreviations mean nothing to an English reader), any other as given.
    """
    place = find_place(text)
    if place is None:
        return text
    if lang == "ru":
        return place.abbreviation or text
    return place.english
