"""Russian family names in the case a statement of responsibility governs, and back to the nominative.

``под ред. И. А. Овсянникова`` (genitive), ``сост. И. А. Овсянников`` (nominative):
the morphology comes from pymorphy3 and its OpenCorpora dictionary, loaded on
the first Cyrillic name that needs it (never at start-up) and kept for the run.

Rules, as applied:

1. Only Cyrillic family names change; initials, given names, organisations and
   names in another script (a foreign name as the source printed it) stay.
2. The gender comes from the given name or patronymic when one is written out
   (``Ирина``, ``Алексеевна``); with initials only, from the family name's own
   form (``Крылова`` is a woman's, ``Крылов`` a man's).
3. Indeclinable family names (``Шевченко``, ``Дурново``, ``Живаго``, ``Гёте``,
   ``Черных``) stay; so does a consonant-final name of a woman (``Блок`` for
   Любовь Блок), which Russian does not decline.
4. **Ambiguous**: with initials only, a family name whose form does not show the
   gender and whose forms differ by gender (``Ковальчук``: ``Ковальчука`` for a
   man, ``Ковальчук`` for a woman) stays in the nominative. That is never wrong
   for a woman, reads back unchanged, and invents nothing; writing the given name
   in full lets the genitive be written for a man.
5. A hyphenated name the dictionary knows whole (``Бонч-Бруевич``) is declined
   whole; any other is declined part by part with one gender
   (``Римского-Корсакова``, ``Салтыкова-Щедрина``, ``Склодовской-Кюри``). When
   a part is not read as a name at all (``Новиков-Прибой``: a common noun), the
   whole name stays in the nominative rather than be half declined.
   A name the analyser does not know as a family name but as an adjective
   (``Белый``) declines as one.
6. The spelling of the stored name is kept: capitals, and ``е`` where the source
   does not write ``ё`` (``Лихачев`` -> ``Лихачева``, not ``Лихачёва``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from catalogue.model.translit import has_cyrillic

NOMINATIVE = "nomn"
GENITIVE = "gent"
CASES = (NOMINATIVE, GENITIVE)
MASCULINE, FEMININE, COMMON = "masc", "femn", "ms-f"


@lru_cache(maxsize=1)
def _analyser() -> Any:
    import pymorphy3  # 16 MB of dictionaries: loaded only when a Russian name must change case

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=8192)
def _parses(word: str) -> tuple[Any, ...]:
    return tuple(_analyser().parse(word))


def _is_russian_word(word: str) -> bool:
    return bool(word) and has_cyrillic(word) and all(c.isalpha() or c in "'’" for c in word)


def _given_gender(given: str) -> str | None:
    """``masc``/``femn`` from a given name or patronymic written out; None from initials."""
    for word in given.replace("-", " ").split():
        if word.endswith(".") or len(word) < 2 or not _is_russian_word(word):
            continue
        for parse in _parses(word):
            tag = parse.tag
            if ("Name" in tag or "Patr" in tag) and tag.case == NOMINATIVE and tag.gender in (
                MASCULINE, FEMININE,
            ):
                return str(tag.gender)
    return None


def _declined(parse: Any, grammemes: set[str]) -> str | None:
    if "Fixd" in parse.tag:
        return str(parse.word)
    found = parse.inflect(grammemes)
    return str(found.word) if found is not None else None


def _name_readings(word: str, case: str) -> list[Any]:
    """The analyser's readings of ``word`` as a singular family name in ``case``; failing any, as an
    adjective (``Белый``, ``Белая``: such names decline as adjectives)."""
    readings = [p for p in _parses(word) if "Surn" in p.tag and p.tag.case == case and p.tag.number == "sing"]
    return readings or [
        p for p in _parses(word)
        if {"ADJF", "Qual"} <= p.tag.grammemes and p.tag.case == case and p.tag.number == "sing"
        and p.tag.gender in (MASCULINE, FEMININE)
    ]


def _forms_by_gender(word: str, case: str) -> dict[str, str]:
    """The form in ``case`` of the surname ``word`` (nominative) for each gender the analyser reads it as."""
    out: dict[str, str] = {}
    for parse in _name_readings(word, NOMINATIVE):
        tag = parse.tag
        if "Fixd" in tag and tag.gender == FEMININE and word[-1] in "аяАЯ":
            continue  # a name in unstressed -а/-я declines for either sex (Глинка, Кучма)
        form = _declined(parse, {case, "sing"}) if case != NOMINATIVE else str(parse.word)
        if form is not None:
            out.setdefault(str(tag.gender), form)
    return out


def _known_whole(word: str) -> bool:
    return "-" in word and bool(_analyser().word_is_known(word.lower()))


def _parts(family: str) -> list[str]:
    return [family] if _known_whole(family) else family.split("-")


def _surname_gender(parts: list[str]) -> str | None:
    """The gender the family name's own form shows, or None when it shows none or both."""
    genders: set[str] = set()
    for part in parts:
        forms = _forms_by_gender(part, GENITIVE)
        shown = {g for g in forms if g != COMMON}
        if len({forms[g] for g in shown}) > 1 or len(shown) == 1:
            genders |= shown
    return genders.pop() if len(genders) == 1 else None


def _keep_spelling(original: str, form: str) -> str:
    """The analyser's lower-case form written with the stored name's capitals and ``е``/``ё``."""
    originals, forms = original.split("-"), form.split("-")
    if len(originals) == len(forms) > 1:
        return "-".join(_keep_spelling(o, f) for o, f in zip(originals, forms, strict=True))
    out = []
    for i, char in enumerate(form):
        if i < len(original):
            source = original[i]
            if char == "ё" and source in "еЕ":
                char = "е"
            if source.isupper():
                char = char.upper()
        out.append(char)
    return "".join(out)


def inflect_family(family: str, case: str, given: str = "") -> str:
    """A nominative family name in ``case`` (``gent``/``nomn``), by the rules of this module."""
    if case == NOMINATIVE or not _is_russian_word(family.replace("-", "")):
        return family
    return _inflect(family, case, given)


@lru_cache(maxsize=4096)
def _inflect(family: str, case: str, given: str) -> str:
    parts = _parts(family)
    gender = _given_gender(given) or _surname_gender(parts)
    out = []
    for part in parts:
        forms = _forms_by_gender(part, case)
        if not forms and len(parts) > 1:
            return family  # a part the analyser cannot read as a name: the whole stays (rule 5)
        if gender is not None:
            form = forms.get(gender) or forms.get(COMMON)
        else:
            distinct = set(forms.values())
            form = distinct.pop() if len(distinct) == 1 else None  # rule 4: ambiguous -> as stored
        out.append(_keep_spelling(part, form) if form else part)
    return "-".join(out)


def nominative_family(family: str, case: str, given: str = "") -> str:
    """The nominative of a family name read in ``case`` (``под ред. Овсянникова``: ``Овсянников``)."""
    if case == NOMINATIVE or not _is_russian_word(family.replace("-", "")):
        return family
    return _nominative(family, case, given)


def _nominatives_by_gender(word: str, case: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for parse in _name_readings(word, case):
        tag = parse.tag
        gender = str(tag.gender)
        form = _declined(parse, {NOMINATIVE, "sing", gender} if gender != COMMON else {NOMINATIVE, "sing"})
        if form is not None:
            out.setdefault(gender, form)
    return out


@lru_cache(maxsize=4096)
def _nominative(family: str, case: str, given: str) -> str:
    parts = _parts(family)
    gender = _given_gender(given)
    out = []
    for part in parts:
        forms = _nominatives_by_gender(part, case)
        form = forms.get(gender) if gender else None
        if form is None:
            distinct = set(forms.values())
            if len(distinct) == 1:
                form = distinct.pop()
            elif part.lower() in distinct:
                form = part.lower()  # written in the nominative already (rule 4)
            elif distinct:
                form = next(iter(forms.values()))  # the analyser's likeliest reading
        out.append(_keep_spelling(part, form) if form else part)
    return "-".join(out)
