"""The search query language: words, "quoted phrases", field terms and -exclusions.

Every argument of ``socsopr search`` is read with the same rules, and all terms
must hold (AND)::

    socialism                 a word anywhere (title, names, publisher, place, note, tags)
    "why socialism"           a phrase: these words, in this order, no typo tolerance
    author:Овсянников         a name in any role; editor: compiler: translator: one role
    title: place: publisher: note: tag:   one field
    type:pamphlet             CSL type or genre (exact)
    language:ru               language code (prefix: ``ru`` matches ``ru-RU``)
    year:2006  year:2005..2007  year:2005-2007  year:..2000  year:2008..  year:2006,2008
    -word  -"a phrase"  -author:name  -year:1998    exclude what matches

A malformed term (``year:abc``, ``autor:x``, an unclosed quote) is ``BadQuery``
naming the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from catalogue.errors import BadQuery
from catalogue.model.places import PLACES, find_place
from catalogue.model.translit import search_key
from catalogue.search.filters import Years, parse_years

# Searchable text fields of the index, by number (the index stores these numbers).
TITLE, AUTHOR, EDITOR, COMPILER, TRANSLATOR, PUBLISHER, PLACE, NOTE, TAGS = range(9)
FIELD_NAMES = ("title", "author", "editor", "compiler", "translator", "publisher", "place", "note", "tags")
NAME_FIELDS = frozenset({AUTHOR, EDITOR, COMPILER, TRANSLATOR})
ALL_TEXT_FIELDS = frozenset(range(len(FIELD_NAMES)))

# What a field term searches.  ``author:`` means a name in any role, like ``--author``.
TEXT_TERMS: dict[str, frozenset[int]] = {
    "title": frozenset({TITLE}),
    "author": NAME_FIELDS,
    "name": NAME_FIELDS,
    "editor": frozenset({EDITOR}),
    "compiler": frozenset({COMPILER}),
    "translator": frozenset({TRANSLATOR}),
    "publisher": frozenset({PUBLISHER}),
    "place": frozenset({PLACE}),
    "note": frozenset({NOTE}),  # the public note and the curator's remarks
    "remarks": frozenset({NOTE}),
    "tag": frozenset({TAGS}),
}
OTHER_TERMS = ("type", "year", "language")
KNOWN_TERMS = tuple(TEXT_TERMS) + OTHER_TERMS


class Term(NamedTuple):
    """One term of a query.

    ``kind`` is ``text`` (``words`` are search keys looked for in ``fields``),
    ``year`` (``years``), ``type`` or ``language`` (``value``).
    """

    source: str
    kind: str = "text"
    words: tuple[str, ...] = ()
    fields: frozenset[int] = ALL_TEXT_FIELDS
    phrase: bool = False  # words in sequence (quoted, or one token that folds to several words)
    quoted: bool = False  # "as typed": whole words only, no prefix, no typo
    exclude: bool = False
    years: Years | None = None
    value: str = ""


class Query(NamedTuple):
    """A parsed query: the terms in the order typed."""

    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        """Text terms a record must match (these rank the results)."""
        return tuple(t for t in self.terms if t.kind == "text" and not t.exclude)

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(arguments: str | Iterable[str]) -> Query:
    """Parse a query from one string or from command-line arguments (each read the same way)."""
    texts = [arguments] if isinstance(arguments, str) else list(arguments)
    terms: list[Term] = []
    for text in texts:
        for raw, exclude, field, value, quoted in _tokens(text):
            term = _term(raw, exclude, field, value, quoted)
            if term is not None:
                terms.append(term)
    return Query(tuple(terms))


def _tokens(text: str) -> Iterable[tuple[str, bool, str | None, str, bool]]:
    """``(as typed, excluded, field or None, value, quoted)`` for each whitespace-separated term."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        if text.startswith("--", i) and i + 2 < n and text[i + 2].isalpha():
            raise BadQuery(
                f"{_term_text(text, start)!r} looks like an option; options go before the query words"
            )
        exclude = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if exclude:
            i += 1
        field = None
        j = i
        while j < n and (text[j].isalpha() or text[j] == "-") and text[j].isascii():
            j += 1
        if j < n and j > i and text[j] == ":" and text[i:j].lower() in KNOWN_TERMS:
            field = text[i:j].lower()
            i = j + 1
        elif j < n and j > i and text[j] == ":" and j + 1 < n and not text[j + 1].isspace():
            name = text[i:j]
            raise BadQuery(
                f"{_term_text(text, start)!r} uses the unknown field {name!r}; "
                f"fields are {', '.join(t + ':' for t in KNOWN_TERMS)}"
            )
        if i < n and text[i] == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise BadQuery(f"{text[start:]!r} opens a quote that is never closed")
            value, i = text[i + 1:close], close + 1
            quoted = True
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            value, i = text[i:j], j
            quoted = False
        yield text[start:i], exclude, field, value, quoted


def _term_text(text: str, start: int) -> str:
    parts = text[start:].split(None, 1)
    return parts[0] if parts else text[start:]


def _term(raw: str, exclude: bool, field: str | None, value: str, quoted: bool) -> Term | None:
    if field == "year":
        return Term(raw, "year", exclude=exclude, years=parse_years(value, raw))
    if field in ("type", "language"):
        if not value.strip():
            raise BadQuery(f"{raw!r} has no value; write it like {field}:{_EXAMPLES[field]}")
        return Term(raw, field, exclude=exclude, value=value.strip().lower())
    place = _place_term(raw, exclude, field, value, quoted)
    if place is not None:
        return place
    words = tuple(search_key(value).split())
    if not words:
        if field is not None or quoted:
            raise BadQuery(f"{raw!r} has nothing to search for; write it like {field or ''}:word")
        return None  # punctuation on its own, e.g. "-" or "?": nothing to look for
    fields = TEXT_TERMS[field] if field else ALL_TEXT_FIELDS
    return Term(raw, "text", words=words, fields=fields, phrase=quoted or len(words) > 1,
                quoted=quoted, exclude=exclude)


def _place_term(raw: str, exclude: bool, field: str | None, value: str, quoted: bool) -> Term | None:
    """``place:Москва``, ``place:М.``: a form of an authority place looks for the place itself in
    any form (``М.`` finds Moscow and Москва, never Minsk); so does a bare abbreviation (``М.``,
    ``СПб.``), which names nothing but a place."""
    if field not in (None, "place") or not value.strip():
        return None
    found = find_place(value)
    if found is None or (field is None and (quoted or value.strip() not in _ABBREVIATED_FORMS)):
        return None
    return Term(raw, "text", words=(found.token,), fields=TEXT_TERMS["place"], phrase=True, quoted=True,
                exclude=exclude)


_ABBREVIATED_FORMS = frozenset(f for p in PLACES for f in p.forms if f.endswith(".") or "/" in f)
_EXAMPLES = {"type": "pamphlet", "language": "ru"}
