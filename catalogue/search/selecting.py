"""Which records a query selects, record by record and exactly (``edit --where``): the query language
of ``search``, read without its typo tolerance, so a batch change never reaches a record by a near miss.

A word matches a word of the field that starts with it (or, from three letters, holds it); a
quoted phrase matches those words in sequence; ``type:`` ``year:`` ``language:`` and ``-``
exclusions as ``search`` reads them. The empty query selects every record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from catalogue.model.record import year_range
from catalogue.search.query import Query, Term

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex

Texts = list[tuple[str, ...]]


def record_matcher(query: Query, names: AuthorityIndex | None = None) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate: whether a record holds every term of ``query`` (``names``: authorities, so that a
    name matches every form of the person it resolves to, as in ``search``)."""
    from catalogue.search.index import WordFolder, folded_fields

    fold = WordFolder()
    terms = query.terms

    def matches(record: Mapping[str, Any]) -> bool:
        fields: dict[int, Texts] | None = None
        for term in terms:
            if term.kind == "year":
                assert term.years is not None
                holds = term.years.overlaps(year_range(record))
            elif term.kind == "type":
                kinds = (str(record.get("type", "")).lower(), str(record.get("genre", "")).lower())
                holds = term.value in kinds
            elif term.kind == "language":
                holds = str(record.get("language", "")).lower().startswith(term.value)
            else:
                if fields is None:
                    fields = {}
                    for number, texts in folded_fields(record, fold, names):
                        fields.setdefault(number, []).extend(texts)
                holds = _text_holds(term, [t for f in term.fields for t in fields.get(f, ())])
            if holds == term.exclude:
                return False
        return True

    return matches


def _text_holds(term: Term, texts: Texts) -> bool:
    words = term.words
    if not term.phrase:
        word = words[0]
        infix = len(word) >= 3 and not term.exclude  # an exclusion removes what plainly says the word
        return any(w.startswith(word) or (infix and word in w) for text in texts for w in text)
    return any(_in_sequence(words, text, prefix_last=not term.quoted) for text in texts)


def _in_sequence(words: Sequence[str], text: tuple[str, ...], *, prefix_last: bool) -> bool:
    n = len(words)
    for start in range(len(text) - n + 1):
        if all(text[start + i] == words[i] for i in range(n - 1)):
            last = text[start + n - 1]
            if last == words[-1] or (prefix_last and last.startswith(words[-1])):
                return True
    return False
