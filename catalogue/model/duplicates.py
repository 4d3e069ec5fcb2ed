"""Likely duplicates: records with the same title, first name and year, in any script.

Two records are taken for one work when the search keys (script-, case- and
romanisation-insensitive) of their titles and of their first names agree, and so
do their years: ``Why Socialism?`` by Ovsyannikov (2006) and ``Why socialism`` by
Овсянников (2006) meet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any

from catalogue.model.names import family_of
from catalogue.model.record import first_name, year_of
from catalogue.model.translit import search_key

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex

ContentKey = tuple[str, str, int | None]


@lru_cache(maxsize=65536)
def _folded_family(family: str) -> str:
    return search_key(family)  # family names recur across a catalogue


@lru_cache(maxsize=65536)
def _folded_word(word: str) -> str:
    return search_key(word)  # titles rarely recur, their words do


def folded_text(text: str) -> str:
    """``search_key(text)``, folded a word at a time and each word once per process.

    The same text: ``search_key`` changes characters one by one (case, script,
    accents), turns everything but ASCII letters and digits into single spaces and
    only then folds spellings, inside a run of letters; white space becomes a space
    whatever surrounds it, so no step reaches across it (a test holds the two equal).
    """
    return " ".join([folded for folded in map(_folded_word, text.split()) if folded])


@lru_cache(maxsize=65536)
def _folded_tokens(word: str) -> tuple[str, ...]:
    return tuple(_folded_word(word).split())  # "don't": ("don", "t")


def same_folded(first: str, second: str) -> bool:
    """``folded_text(first) == folded_text(second)``, folding only up to the first word that differs:
    most titles differ at once, and the rare words further on are never folded."""
    if first == second:
        return True
    tokens = chain.from_iterable(map(_folded_tokens, second.split()))
    for token in chain.from_iterable(map(_folded_tokens, first.split())):
        if token != next(tokens, None):
            return False
    return next(tokens, None) is None


def content_key(record: Mapping[str, Any], names: AuthorityIndex | None = None) -> ContentKey:
    """What two records of one work share: title, first family name, year (all folded).

    With ``names`` (the catalogue's authorities), a first name that resolves to an
    authority counts as that authority, whatever form it is given in (``СоцСопр``
    and ``Socialist Resistance`` are one author).
    """
    name, year = _head_key(record, names)
    return folded_text(str(record.get("title", ""))), name, year


def work_key(record: Mapping[str, Any]) -> str:
    """``content_key(record)`` as one string: two records have the same exactly when their content keys
    agree (the first name's length is written before it, so no title or name can reach across)."""
    title, name, year = content_key(record)
    return f"{year}|{len(name)}|{name}|{title}"


def groups_of_works(works: Sequence[str | None], keys: Sequence[str]) -> list[list[str]]:
    """Groups of two or more keys whose ``work_key`` (``None``: left out) is the same, as
    ``DuplicateIndex.groups`` gives them: each group sorted, the groups sorted."""
    counts = Counter(works)
    if len(counts) == len(works):
        return []
    shared = {work for work, count in counts.items() if count > 1 and work is not None}
    found: dict[str, list[str]] = defaultdict(list)
    for at in [at for at, work in enumerate(works) if work in shared]:
        found[works[at]].append(keys[at])  # type: ignore[index]  # (a shared work is no None)
    return sorted(sorted(group) for group in found.values())


def _head_key(record: Mapping[str, Any], names: AuthorityIndex | None) -> tuple[str, int | None]:
    """The first name and the year of ``content_key``: the cheap part, asked first."""
    head = first_name(record)
    if not head:
        return "", year_of(record)
    found = names.resolve(head, str(record.get("id", ""))) if names else None
    # "@id" is never a folded family name: those hold letters and digits only
    return ("@" + found if found is not None else _folded_family(family_of(head))), year_of(record)


class DuplicateIndex:
    """Content keys of a set of records, to ask whether a new record is already there.

    Kept by first name and year with the titles as given: titles are folded only where
    records share a first name and a year, and a pair of them only as far as they agree.
    """

    def __init__(
        self, records: Iterable[Mapping[str, Any]] = (), names: AuthorityIndex | None = None
    ) -> None:
        self._heads: dict[tuple[str, int | None], list[tuple[str, str]]] = defaultdict(list)
        self._names = names
        for record in records:
            self.add(record)

    def add(self, record: Mapping[str, Any]) -> None:
        self._heads[_head_key(record, self._names)].append(
            (str(record.get("title", "")), str(record.get("id", "")))
        )

    def matches(self, record: Mapping[str, Any]) -> list[str]:
        """Keys of the records that look like the same work as ``record`` (not itself)."""
        own = record.get("id")
        entries = self._heads.get(_head_key(record, self._names), ())
        if not entries:
            return []
        title = folded_text(str(record.get("title", "")))
        return [k for t, k in entries if k != own and folded_text(t) == title]

    def groups(self) -> list[list[str]]:
        """Groups of two or more keys whose records look like one work, sorted."""
        found = []
        for entries in self._heads.values():
            if len(entries) == 2:  # the common pair: compared as far as they agree
                (first, one), (second, other) = entries
                if same_folded(first, second):
                    found.append(sorted((one, other)))
            elif len(entries) > 2:
                by_title: dict[str, list[str]] = defaultdict(list)
                for title, key in entries:
                    by_title[folded_text(title)].append(key)
                found += [sorted(keys) for keys in by_title.values() if len(keys) > 1]
        return sorted(found)
