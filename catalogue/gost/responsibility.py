"""The names of a GOST 7.1 description: heading names and the statement of responsibility.

``Ovsyannikov I. A., Shibanov I.`` before the title is the heading (authors);
``/ Ed. I. A. Ovsyannikov ; Transl. from english I. Yasin`` after it is the
statement of responsibility, role words in English or Russian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalogue.model.names import Name, parse_name
from catalogue.model.translit import has_cyrillic, search_key

_UPPER = "A-ZА-ЯЁ"
_LOWER = "a-zа-яё"
_FAMILY = rf"[{_UPPER}][{_UPPER}{_LOWER}'’]*[{_LOWER}](?:-[{_UPPER}][{_UPPER}{_LOWER}'’]*[{_LOWER}])*"
_INITIAL = rf"[{_UPPER}][{_LOWER}]?\.(?:-[{_UPPER}][{_LOWER}]?\.)?"
_HEAD_NAME = re.compile(rf"({_FAMILY}),?\s+({_INITIAL}(?:\s?{_INITIAL})*)")
_ET_AL = re.compile(r"\s*\[?(?:и др|et al)\.\]?", re.IGNORECASE)

# Role words, case-insensitive, each followed by the names.
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "editor",
        re.compile(
            r"^(?:под\s+(?:общ\.\s+)?ред(?:\.|акцией)|отв\.\s+ред\.|ред\.|eds?\.|edited\s+by)\s*", re.I
        ),
    ),
    ("compiler", re.compile(r"^(?:сост(?:\.|авитель|авители)|comp(?:\.|iled\s+by)|compilers?)\s*", re.I)),
    (
        "translator",
        re.compile(
            r"^(?:пер(?:\.|евод)|transl(?:\.|ated)|trans\.|translation)\s*"
            r"(?:(?:с|from)\s+(?P<language>[\w]+)\.?\s*)?(?:by\s+)?",
            re.I,
        ),
    ),
)
LANGUAGES = {
    "англ": "English", "english": "English", "нем": "German", "german": "German",
    "фр": "French", "франц": "French", "french": "French", "исп": "Spanish", "spanish": "Spanish",
    "ит": "Italian", "итал": "Italian", "italian": "Italian", "рус": "Russian", "russian": "Russian",
    "пол": "Polish", "polish": "Polish", "укр": "Ukrainian", "ukrainian": "Ukrainian",
}
# Roles whose Russian names follow in the genitive: "под ред. И. А. Овсянникова".
_GENITIVE_ROLES = ("editor", "translator")


@dataclass
class Responsibility:
    """Names by role, and the language a translation was made from, if the line says."""

    roles: dict[str, list[Name]] = field(default_factory=dict)
    translated_from: str | None = None


def parse_heading(area: str) -> tuple[list[Name], str]:
    """The heading names at the start of a title area (``Family I. A.``, comma-separated), and the rest."""
    names: list[Name] = []
    position = 0
    while True:
        match = _HEAD_NAME.match(area, position)
        if not match:
            break
        follows = area[match.end():]
        if follows.startswith(", ") and _HEAD_NAME.match(area, match.end() + 2):
            names.append(parse_name(f"{match.group(1)}, {match.group(2)}"))
            position = match.end() + 2
            continue
        if not follows.startswith(" ") or not follows.strip():
            break
        names.append(parse_name(f"{match.group(1)}, {match.group(2)}"))
        return names, follows.strip()
    return [], area


def parse_responsibility(
    text: str, heading: list[Name], unplaced: list[str], guesses: list[str]
) -> Responsibility:
    """Names by role from the statement after `` / ``; authors of the heading come first."""
    found = Responsibility()
    authors = list(heading)
    for statement in re.split(r"\s*;\s*", text.strip().rstrip(".").strip()):
        if not statement:
            continue
        role, names_text = "author", statement
        for candidate, pattern in _ROLES:
            match = pattern.match(statement)
            if match:
                role, names_text = candidate, statement[match.end():]
                language = match.groupdict().get("language")
                if language:
                    found.translated_from = _language_name(language, unplaced)
                break
        et_al = _ET_AL.search(names_text)
        if et_al:
            unplaced.append(f"{et_al.group().strip()} (the source has more {role}s than it names)")
            names_text = _ET_AL.sub("", names_text)
        people = _parse_people(names_text, role, statement, unplaced, guesses)
        if role == "author":
            authors.extend(p for p in people if not _same_person_in(p, authors))
        elif people:
            found.roles.setdefault(role, []).extend(people)
    if authors:
        found.roles = {"author": authors, **found.roles}
    return found


def _language_name(word: str, unplaced: list[str]) -> str | None:
    name = LANGUAGES.get(word.lower().rstrip("."))
    if name is None:
        unplaced.append(f"translated from {word}")
    return name


def _parse_people(
    text: str, role: str, statement: str, unplaced: list[str], guesses: list[str]
) -> list[Name]:
    people: list[Name] = []
    for part in _split_names(text.strip()):
        if not re.search(rf"[{_UPPER}{_LOWER}]", part, re.I):
            unplaced.append(part)
            continue
        if _looks_like_organisation(part):
            people.append({"literal": part})
            continue
        try:
            name = parse_name(part)
        except ValueError:
            unplaced.append(part)
            continue
        if role in _GENITIVE_ROLES and has_cyrillic(name.get("family", "")):
            nominative = _nominative(name["family"])
            if nominative != name["family"]:
                guesses.append(
                    f"read {name['family']!r} in {statement!r} as the genitive of {nominative!r}"
                )
                name["family"] = nominative
        people.append(name)
    return people


def _split_names(text: str) -> list[str]:
    """Names separated by commas or "и"/"and", but never inside parentheses or quotes."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"[(«“]|[)»”]|\s*,\s*|\s+(?:и|and|&)\s+", text):
        token = match.group()
        if token in "(«“":
            depth += 1
        elif token in ")»”":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _looks_like_organisation(text: str) -> bool:
    """No initials, and either parentheses/quotes or more than three words: a body, not a person."""
    if re.search(_INITIAL, text):
        return False
    return bool(re.search(r"[()\"«»“”]", text)) or len(text.split()) > 3


def _nominative(family: str) -> str:
    """The nominative of a Russian family name in the genitive (Овсянникова -> Овсянников)."""
    for ending, replacement in (
        ("ского", "ский"), ("цкого", "цкий"), ("овой", "ова"), ("евой", "ева"), ("иной", "ина"),
        ("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"), ("ина", "ин"), ("ына", "ын"),
    ):
        if family.endswith(ending) and len(family) > len(ending) + 1:
            return family[: -len(ending)] + replacement
    return family


def _same_person_in(name: Name, others: list[Name]) -> bool:
    """Whether the heading already names this person (same family, same first initial)."""
    key = search_key(str(name.get("family") or name.get("literal") or ""))
    initial = str(name.get("given", ""))[:1]
    return any(
        search_key(str(o.get("family") or o.get("literal") or "")) == key
        and (not initial or not o.get("given") or str(o["given"])[:1] == initial)
        for o in others
    )
