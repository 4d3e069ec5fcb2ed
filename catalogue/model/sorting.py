"""Sort orders independent of the machine's locale: Russian alphabetical order for Cyrillic
(ё sorts with е), ordinary order for Latin, case and accents ignored, leading quotes skipped."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from catalogue.model.names import sort_name
from catalogue.model.record import Record, first_name, year_of

_LEADING = "\"'«»„“”‘’([{¡¿ "


class _Letters(dict[int, str]):
    """Each character's primary letters (compatibility decomposition without its combining marks; й kept
    whole), worked out the first time ``str.translate`` meets the character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in ("й", "\0"):  # the whole text's rule: й is a letter of its own (and NUL stood for it)
            letters = "й"
        else:
            letters = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        self[code] = letters
        return letters


# Decomposing the text character by character gives the same letters as decomposing it whole: a
# decomposition is per character, and the reordering that NFKD adds moves only combining marks,
# which are dropped. (tests/test_export_speedups.py checks this against the whole-text form.)
_LETTERS = _Letters()
# Text made only of characters that are their own primary letters (ASCII but NUL, which stands for й;
# the Russian lower-case letters, й included and ё already replaced) needs no translation.
_OWN_LETTERS = re.compile("[\x01-\x7f\u0430-\u044f]*").fullmatch


def text_sort_key(text: str) -> tuple[str, str, str]:
    """A key that orders text alphabetically: primary letters, then the exact text, then the raw text."""
    stripped = text.lstrip(_LEADING)
    folded = stripped.casefold().replace("ё", "е")
    primary = folded if _OWN_LETTERS(folded) is not None else folded.translate(_LETTERS)
    # ё after е only where everything else is equal: the secondary key keeps the exact text
    # and the raw text last, so that texts differing only in skipped leading marks still order
    return primary, stripped.replace("ё", "е\uffff"), text


def _by_title(record: Mapping[str, Any]) -> Any:
    return text_sort_key(str(record.get("title", ""))), record.get("id", "")


def _by_author(record: Mapping[str, Any]) -> Any:
    head = first_name(record)
    name = sort_name(head) if head else "\uffff"  # records without names go last
    return text_sort_key(name), _by_title(record)


def _by_year(record: Mapping[str, Any]) -> Any:
    year = year_of(record)
    return (year is None, year or 0), _by_title(record)


def _by_type(record: Mapping[str, Any]) -> Any:
    return str(record.get("type", "")), _by_title(record)


def _by_id(record: Mapping[str, Any]) -> Any:
    return str(record.get("id", ""))


SORT_KEYS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "id": _by_id, "title": _by_title, "author": _by_author, "year": _by_year, "type": _by_type,
}


def sort_records(records: list[Record], by: str = "id", *, reverse: bool = False) -> list[Record]:
    """Records ordered by ``id``, ``title``, ``author``, ``year`` or ``type``."""
    return sorted(records, key=_sort_key(by), reverse=reverse)


def sorted_keys(records: Iterable[Record], by: str = "id", *, reverse: bool = False) -> list[str]:
    """The keys of the records in the order ``sort_records`` gives, keeping only the sort keys.

    For records read one at a time: the records themselves are not held.
    """
    ordering = Ordering(by, reverse=reverse)
    add = ordering.add
    keys: list[str] = []
    for record in records:
        add(record)
        keys.append(str(record["id"]))
    return [keys[i] for i in ordering.positions()]


class Ordering:
    """The order ``sort_records`` gives, worked out from records met one at a time and not kept.

    ``add`` each record (in any order), then ``positions`` gives the places at
    which they were added, in sorted order. A record's key is one text (see
    ``_joined``): its title's, or its first name's and then its title's (a
    name's worked out once: the same people head many records). ``year`` and
    ``type`` sort by title and then, stably, by the year or type alone, which
    orders as their tuple keys do (reversed too: a reversed sort is stable as
    well) and compares numbers and short texts instead of nested tuples.
    """

    def __init__(self, by: str = "id", *, reverse: bool = False) -> None:
        _sort_key(by)  # an order that does not exist is refused before any record is read
        self.by, self.reverse = by, reverse
        self._keys: list[str] = []
        self._then: list[Any] = []
        self.key_of: Callable[[Mapping[str, Any]], tuple[str, Any]]  # a record's key and second key
        if by == "title":
            def key_of(record: Mapping[str, Any]) -> tuple[str, Any]:
                return _title_text_key(record), None
        elif by == "author":
            names: dict[str, str] = {}

            def key_of(record: Mapping[str, Any]) -> tuple[str, Any]:
                name = _head_name(record)
                known = names.get(name)
                if known is None:
                    known = names[name] = _name_text_key(name)
                return f"{known}\0\1{_title_text_key(record)}", None  # two joined texts: _joined of both
        elif by == "year":
            def key_of(record: Mapping[str, Any]) -> tuple[str, Any]:
                return _title_text_key(record), year_of(record)
        elif by == "type":
            def key_of(record: Mapping[str, Any]) -> tuple[str, Any]:
                return _title_text_key(record), str(record.get("type", ""))
        else:  # id
            def key_of(record: Mapping[str, Any]) -> tuple[str, Any]:
                return str(record.get("id", "")), None
        self.key_of = key_of

    def add(self, record: Mapping[str, Any]) -> None:
        """Take one record's place in the order."""
        self.add_key(*self.key_of(record))

    def add_key(self, key: str, then: Any = None) -> None:
        """Take the place of a record whose ``key_of`` is (``key``, ``then``), worked out earlier."""
        self._keys.append(key)
        if self.by in ("year", "type"):
            self._then.append(then)

    def __len__(self) -> int:
        return len(self._keys)

    def positions(self) -> list[int]:
        """The places of the records added, in the order ``sort_records`` would give them."""
        keys, then, reverse = self._keys, self._then, self.reverse
        order = sorted(range(len(keys)), key=keys.__getitem__, reverse=reverse)  # stable
        if self.by == "year":  # (year is None, year or 0): every year in order, then the records without
            dated = [i for i in order if then[i] is not None]
            dated.sort(key=then.__getitem__, reverse=reverse)
            undated = [i for i in order if then[i] is None]
            return undated + dated if reverse else dated + undated
        if self.by == "type":
            order.sort(key=then.__getitem__, reverse=reverse)
        return order


# --- the same orders with each key as one text: texts compare several times faster than tuples ---

def _joined(parts: tuple[str, ...]) -> str:
    """Texts joined into one that compares as the tuple of texts does.

    NUL is the least character: between parts it is written NUL SOH and inside a
    part NUL STX, so a part that ends first sorts first, as in the tuple.
    """
    return "\0\1".join(part.replace("\0", "\0\2") for part in parts)


def _title_text_key(record: Mapping[str, Any]) -> str:
    """``_by_title`` as one text (see ``_joined``)."""
    title = str(record.get("title", ""))
    key = str(record.get("id", ""))  # a record's key is always text
    primary, secondary, raw = text_sort_key(title)
    if "\0" in title or "\0" in key:
        return _joined((primary, secondary, raw, key))
    return f"{primary}\0\1{secondary}\0\1{raw}\0\1{key}"  # what _joined gives, built at once


def _head_name(record: Mapping[str, Any]) -> str:
    """The text the first name sorts by (``_by_author``'s, without copying the name)."""
    for role in ("author", "editor", "compiler"):  # first_name's
        people = record.get(role)
        if people:
            head = people[0] if isinstance(people, list) else None
            return sort_name(head) if isinstance(head, dict) and head else "\uffff"
    return "\uffff"  # records without names go last


def _name_text_key(name: str) -> str:
    """``text_sort_key(name)`` as one text (see ``_joined``)."""
    primary, secondary, raw = text_sort_key(name)
    if "\0" in name:
        return _joined((primary, secondary, raw))
    return f"{primary}\0\1{secondary}\0\1{raw}"


def _sort_key(by: str) -> Callable[[Mapping[str, Any]], Any]:
    try:
        return SORT_KEYS[by]
    except KeyError:
        from catalogue.errors import UnknownFormat

        raise UnknownFormat(by, list(SORT_KEYS), "sort order") from None
