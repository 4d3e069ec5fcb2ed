"""The names of a GOST 7.1 description: heading names and the statement of responsibility.

``Ovsyannikov I. A., Shibanov I.`` before the title is the heading (authors);
``/ Ed. I. A. Ovsyannikov ; Transl. from english I. Yasin`` after it is the
statement of responsibility, role words in English or Russian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from catalogue.gost.grammar import GENITIVE, NOMINATIVE, inflect_family, nominative_family
from catalogue.model.names import Name, format_gost_inverted, parse_name
from catalogue.model.translit import has_cyrillic, search_key

_UPPER = "A-ZА-ЯЁІЇЄҐЎÀ-ÖØ-ÞĀ-Ž"  # Latin with diacritics (Schröder), Ukrainian and Belarusian letters
_LOWER = "a-zа-яёіїєґўß-öø-ÿā-ž"
_FAMILY = rf"[{_UPPER}][{_UPPER}{_LOWER}'’]*[{_LOWER}](?:-[{_UPPER}][{_UPPER}{_LOWER}'’]*[{_LOWER}])*"
_INITIAL = rf"[{_UPPER}][{_LOWER}]?\.(?:-[{_UPPER}][{_LOWER}]?\.)?"
_PARTICLE = r"(?:(?:van|von|der|den|de|del|della|da|di|du|la|le|ten|ter)\s+)*"  # van der Berg, J.
_HEAD_NAME = re.compile(rf"({_PARTICLE}{_FAMILY}),?\s+({_INITIAL}(?:\s?{_INITIAL})*)")
_ET_AL = re.compile(r"\s*\[?(?:и др|et al)\.\]?", re.IGNORECASE)

class Phrase(NamedTuple):
    """A Russian word of a statement of responsibility and the case of the names it governs."""

    words: str  # as GOST 7.0.12 abbreviates it
    role: str | None  # the record's name field; None where a record has no field for it
    case: str  # grammar.GENITIVE or grammar.NOMINATIVE
    spelled: str  # the pattern it is read by (abbreviated or written out)


# The case each phrase governs, from the head word of the phrase and the examples of GOST 7.1-2003
# (5.2.6 and Appendix A) and GOST R 7.0.100-2018 (6.2.6): a phrase naming the work done
# ("под редакцией", "перевод", "предисловие", "вступительная статья", "примечания") takes the
# doer in the genitive (Бахтин М. М. Эстетика словесного творчества / ... ; примеч. С. С. Аверинцева
# и С. Г. Бочарова); a phrase naming the doer ("составитель", "редактор", "автор предисловия",
# "художник") stands beside the name, which stays in the nominative (сост. С. Г. Бочаров).
# Longer phrases first: "отв. ред." before "ред.", "авт. предисл." before "предисл.".
PHRASES: tuple[Phrase, ...] = (
    Phrase("под общ. ред.", "editor", GENITIVE, r"под\s+общ(?:\.|ей)\s+ред(?:\.|акцией)"),
    Phrase("под науч. ред.", "editor", GENITIVE, r"под\s+науч(?:\.|ной)\s+ред(?:\.|акцией)"),
    Phrase("под ред.", "editor", GENITIVE, r"под\s+ред(?:\.|акцией)"),
    Phrase("отв. ред.", "editor", NOMINATIVE, r"отв(?:\.|етственный)\s+ред(?:\.|актор)"),
    Phrase("гл. ред.", "editor", NOMINATIVE, r"гл(?:\.|авный)\s+ред(?:\.|актор)"),
    Phrase("науч. ред.", "editor", NOMINATIVE, r"науч(?:\.|ный)\s+ред(?:\.|актор)"),
    Phrase("ред.", "editor", NOMINATIVE, r"ред(?:\.|актор|акторы)"),
    Phrase("сост.", "compiler", NOMINATIVE, r"сост(?:\.|авитель|авители)"),
    Phrase("пер.", "translator", GENITIVE, r"пер(?:\.|евод)"),
    Phrase("авт. предисл.", None, NOMINATIVE, r"авт(?:\.|ор)\s+предисл(?:\.|овия)"),
    Phrase("предисл.", None, GENITIVE, r"предисл(?:\.|овие)"),
    Phrase("вступ. ст.", None, GENITIVE, r"вступ(?:\.|ительная)\s+ст(?:\.|атья)"),
    Phrase("коммент.", None, GENITIVE, r"коммент(?:\.|арии)"),
    Phrase("примеч.", None, GENITIVE, r"примеч(?:\.|ания)"),
    Phrase("ил.", None, GENITIVE, r"ил(?:\.|люстрации)"),
    Phrase("худож.", None, NOMINATIVE, r"худож(?:\.|ник)"),
)
PHRASE_OF_ROLE = {"editor": PHRASES[2], "compiler": PHRASES[7], "translator": PHRASES[8]}
_LANGUAGE_AFTER = r"(?:\s+(?:с|from)\s+(?P<language>[\w]+)\.?)?"
_RUSSIAN = tuple(
    (phrase, re.compile(
        rf"^{phrase.spelled}{_LANGUAGE_AFTER if phrase.role == 'translator' else ''}(?:\s+|$)", re.I
    ))
    for phrase in PHRASES
)
# English role words: the names after them are never declined.
_ENGLISH: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("editor", re.compile(r"^(?:eds?\.\s*(?:by\s+)?|edited\s+by)\s*", re.I)),  # "ed. by S. Sidorov"
    ("compiler", re.compile(r"^(?:comp\.\s*(?:by\s+)?|compiled\s+by|compilers?)\s*", re.I)),
    (
        "translator",
        re.compile(
            r"^(?:transl(?:\.|ated)|trans\.|translation)\s*(?:from\s+(?P<language>[\w]+)\.?\s*)?(?:by\s+)?",
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


@dataclass
class Responsibility:
    """Names by role, and the language a translation was made from, if the line says."""

    roles: dict[str, list[Name]] = field(default_factory=dict)
    translated_from: str | None = None
    repeats_heading: bool = False  # the heading's first author named again after " / "
    # role -> its phrase as the line writes it where that is not the one socsopr writes (PHRASE_OF_ROLE):
    # "Ред." (the nominative phrase, capitalised), "отв. ред.", "Под ред."
    phrases: dict[str, str] = field(default_factory=dict)
    more_authors: bool = False  # "А. Н. Алексахин, Н. М. Вершинина, А. В. Джебилов [и др.]"


def parse_heading(area: str) -> tuple[list[Name], str]:
    """The heading names at the start of a title area (``Family I. A.``, comma-separated), and the rest.

    GOST 7.1-2003 4.6.1 / 7.0.100-2018 6.1.2: a heading name is a family name with at most its
    initials (name and patronymic). Older lists join two names with ``и`` (``Боткин В. П. и
    Тургенев И. С.``), read like the comma. Initials beyond the name's own belong to the title
    (``Амфитеатров А. В. Л. Н. Толстой``, ``Битовт Ю. Гр. Л. Н. Толстой``: ``_split_initials``).
    """
    names: list[Name] = []
    position = 0
    while True:
        match = _HEAD_NAME.match(area, position)
        if not match or _COMMON_NOUN.fullmatch(match.group(1)):
            break
        given, spill = _split_initials(match.group(2))
        end = match.end() - len(spill)
        follows = area[end:] if not spill else " " + area[match.start(2) + len(given):].strip()
        joint = re.match(r", | и | and ", follows) if not spill else None
        if joint and _HEAD_NAME.match(area, end + len(joint.group())):
            names.append(parse_name(f"{match.group(1)}, {given}"))
            position = end + len(joint.group())
            continue
        if not follows.startswith(" ") or not follows.strip():
            break
        names.append(parse_name(f"{match.group(1)}, {given}"))
        return names, follows.strip()
    return [], area


# Words that open a title naming a person in the genitive ("Архив Н. Н. Гусева", "Творчество Л. Н.
# Толстого"): common nouns, never a family name (abstract nouns in -ство/-ние/-ость/-ция, and the
# nouns of such titles), so no heading is read from them.
_COMMON_NOUN = re.compile(
    r"[А-ЯЁ][а-яё]*(?:ство|ние|ость|ция)|Архив|Музей|Дневник|Дневники|Письма|Памяти|Жизнь|Сборник|"
    r"Библиотека|Переписка|Воспоминания|Собрание")


def _split_initials(initials: str) -> tuple[str, str]:
    """``А. В. Л. Н.`` -> (``А. В.``, ``Л. Н.``): a person has at most two initials (GOST 7.1-2003
    4.6.1); of a longer run the title takes the last two and a two-letter word before them
    (``Гр.`` for граф)."""
    parts = re.findall(_INITIAL, initials)
    if len(parts) <= 2:
        return initials, ""
    cut = len(parts) - 2
    if cut > 1 and re.fullmatch(rf"[{_UPPER}][{_LOWER}]\.", parts[cut - 1]):
        cut -= 1
    head = " ".join(parts[:cut])
    return head, initials[initials.index(parts[cut], len(head)):]


def parse_responsibility(
    text: str, heading: list[Name], unplaced: list[str], guesses: list[str]
) -> Responsibility:
    """Names by role from the statement after `` / ``; authors of the heading come first.

    Names after a Russian phrase are read back to the nominative (``под ред. И. А. Овсянникова``
    -> editor Овсянников И. А.); a phrase the record has no field for (``вступ. ст.``) goes to
    ``unplaced`` with its names in the nominative.
    """
    found = Responsibility()
    authors = list(heading)
    for statement in re.split(r"\s*;\s*", text.strip().rstrip(".").strip()):
        if not statement:
            continue
        role, names_text, phrase = _statement_role(statement, found, unplaced)
        if phrase is not None and role in ("editor", "compiler"):
            printed = " ".join(statement[:len(statement) - len(names_text)].split())
            if printed != PHRASE_OF_ROLE[role].words:
                found.phrases.setdefault(role, printed)
        et_al = _ET_AL.search(names_text)
        if et_al and role == "author":  # the record says there were more (``custom["authors-et-al"]``)
            found.more_authors = True
            names_text = _ET_AL.sub("", names_text)
        elif et_al:
            unplaced.append(f"{et_al.group().strip()} (the source has more {role or 'name'}s than it names)")
            names_text = _ET_AL.sub("", names_text)
        people = _parse_people(names_text, phrase, statement, unplaced, guesses)
        if phrase is not None and role is None:
            if people:
                unplaced.append(write_statement(phrase, people))
        elif role == "author":
            if heading and any(_same_person_in(p, heading[:1]) for p in people):
                found.repeats_heading = True
            authors.extend(p for p in people if not _same_person_in(p, authors))
        elif role and people:
            found.roles.setdefault(role, []).extend(people)
    if authors:
        found.roles = {"author": authors, **found.roles}
    return found


def _statement_role(
    statement: str, found: Responsibility, unplaced: list[str]
) -> tuple[str | None, str, Phrase | None]:
    """``(role, the text of the names, the Russian phrase if one leads)``; no role word: authors."""
    for phrase, pattern in _RUSSIAN:
        match = pattern.match(statement)
        if match:
            _note_language(match, found, unplaced)
            return phrase.role, statement[match.end():], phrase
    for role, pattern in _ENGLISH:
        match = pattern.match(statement)
        if match:
            _note_language(match, found, unplaced)
            return role, statement[match.end():], None
    return "author", statement, None


def _note_language(match: re.Match[str], found: Responsibility, unplaced: list[str]) -> None:
    language = match.groupdict().get("language")
    if language:
        found.translated_from = _language_name(language, unplaced)


def write_statement(phrase: Phrase, people: list[Name], more: str = "") -> str:
    """``под ред. И. А. Овсянникова``: the phrase and the names in the case it governs."""
    names = ", ".join(format_gost_inverted(in_case(n, phrase.case)) for n in people)
    return f"{phrase.words} {names}{more}"


def phrase_as_printed(role: str, printed: str) -> Phrase:
    """The phrase of ``role`` a line wrote (``Ред.``, ``Под ред.``, ``отв. ред.``, ``под редакцией``),
    with the case it governs (``PHRASES``), as printed: abbreviated by 7.0.12 or written in full, its
    first letter as printed (statement of responsibility, 7.1-2003 5.2.6); the phrase socsopr writes
    (``PHRASE_OF_ROLE``) for any other text."""
    for phrase, pattern in _RUSSIAN:
        match = pattern.match(printed)
        if phrase.role == role and match and match.end() >= len(printed):
            return phrase._replace(words=printed)
    return PHRASE_OF_ROLE[role]


def read_statement(text: str) -> tuple[Phrase | None, list[Name]]:
    """The phrase leading a statement and its names in the nominative (the reverse of ``write_statement``)."""
    for phrase, pattern in _RUSSIAN:
        match = pattern.match(text.strip())
        if match:
            return phrase, _parse_people(text.strip()[match.end():], phrase, text, [], [])
    return None, _parse_people(text, None, text, [], [])


def in_case(name: Name, case: str) -> Name:
    """A person's name with the family name in ``case``; organisations and other scripts unchanged."""
    family = name.get("family")
    if case == NOMINATIVE or "literal" in name or not isinstance(family, str):
        return name
    inflected = inflect_family(family, case, str(name.get("given", "")))
    return name if inflected == family else {**name, "family": inflected}


def _language_name(word: str, unplaced: list[str]) -> str | None:
    name = LANGUAGES.get(word.lower().rstrip("."))
    if name is None:
        unplaced.append(f"translated from {word}")
    return name


def _parse_people(
    text: str, phrase: Phrase | None, statement: str, unplaced: list[str], guesses: list[str]
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
        family = name.get("family", "")
        if phrase is not None and phrase.case != NOMINATIVE and has_cyrillic(family):
            nominative = nominative_family(family, phrase.case, str(name.get("given", "")))
            if nominative != family:
                guesses.append(f"read {family!r} in {statement!r} as the genitive of {nominative!r}")
                name["family"] = nominative
        people.append(name)
    return people


def _split_names(text: str) -> list[str]:
    """Names separated by commas or "и"/"and", but never inside parentheses or quotes. Without a
    single initial the statement names bodies (7.1-2003 5.2.6: a person after ``/`` is written with
    initials), whose names keep their "и"/"and" (``Главное управление геодезии и картографии``)."""
    parts, depth, start = [], 0, 0
    joints = r"\s*,\s*|\s+(?:и|and|&)\s+" if re.search(_INITIAL, text) else r"\s*,\s*"
    for match in re.finditer(rf"[(«“]|[)»”]|{joints}", text):
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
    """No initials, and either parentheses/quotes, one word (``Wikipedia``), more than three words,
    a word in lower case that is no particle (``Социалистическое сопротивление``) or a body's word
    (``Debian Project``): a body, not a person (7.1-2003 5.2.6: persons with their initials)."""
    if re.search(_INITIAL, text):
        return False
    words = text.split()
    lower = [w for w in words if w[:1].islower() and w not in _PARTICLES]
    return (bool(re.search(r"[()\"«»“”]", text)) or len(words) == 1 or len(words) > 3 or bool(lower)
            or any(w.casefold() in _BODY_WORDS for w in words))


_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "ten", "ter",
})
_BODY_WORDS = frozenset({
    "project", "foundation", "society", "institute", "university", "association", "committee", "team",
    "group", "council", "press", "inc.", "ltd.", "corporation", "community", "consortium",
})


def _same_person_in(name: Name, others: list[Name]) -> bool:
    """Whether the heading already names this person (same family, same first initial)."""
    key = search_key(str(name.get("family") or name.get("literal") or ""))
    initial = str(name.get("given", ""))[:1]
    return any(
        search_key(str(o.get("family") or o.get("literal") or "")) == key
        and (not initial or not o.get("given") or str(o["given"])[:1] == initial)
        for o in others
    )
