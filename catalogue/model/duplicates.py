"""Likely duplicates: records with the same title, first name and year, in any script.

Two records are taken for one work when the search keys (script-, case- and
romanisation-insensitive) of their titles and of their first names agree, and so
do their years: ``Why Socialism?`` by Ovsyannikov (2006) and ``Why socialism`` by
Овсянников (2006) meet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from catalogue.model.authority import AuthorityIndex
from catalogue.model.names import family_of
from catalogue.model.record import first_name, year_of
from catalogue.model.translit import search_key

ContentKey = tuple[str, str, int | None]


@lru_cache(maxsize=65536)
def _folded_family(family: str) -> str:
    return search_key(family)  # family names recur across a catalogue; titles rarely do


def content_key(record: Mapping[str, Any], names: AuthorityIndex | None = None) -> ContentKey:
    """What two records of one work share: title, first family name, year (all folded).

    With ``names`` (the catalogue's authorities), a first name that resolves to an
    authority counts as that authority, whatever form it is given in (``СоцСопр``
    and ``Socialist Resistance`` are one author).
    """
    head = first_name(record)
    found = names.resolve(head, str(record.get("id", ""))) if names and head else None
    # "@id" is never a folded family name: those hold letters and digits only
    name = "@" + found if found is not None else _folded_family(family_of(head)) if head else ""
    return search_key(str(record.get("title", ""))), name, year_of(record)


class DuplicateIndex:
    """Content keys of a set of records, to ask whether a new record is already there."""

    def __init__(
        self, records: Iterable[Mapping[str, Any]] = (), names: AuthorityIndex | None = None
    ) -> None:
        self._keys: dict[ContentKey, list[str]] = defaultdict(list)
        self._names = names
        for record in records:
            self.add(record)

    def add(self, record: Mapping[str, Any]) -> None:
        self._keys[content_key(record, self._names)].append(str(record.get("id", "")))

    def matches(self, record: Mapping[str, Any]) -> list[str]:
        """Keys of the records that look like the same work as ``record`` (not itself)."""
        own = record.get("id")
        return [k for k in self._keys.get(content_key(record, self._names), ()) if k != own]

    def groups(self) -> list[list[str]]:
        """Groups of two or more keys whose records look like one work, sorted."""
        return sorted(sorted(keys) for keys in self._keys.values() if len(keys) > 1)

