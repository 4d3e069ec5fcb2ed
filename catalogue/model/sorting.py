"""Sort orders independent of the machine's locale: Russian alphabetical order for Cyrillic
(ё sorts with е), ordinary order for Latin, case and accents ignored, leading quotes skipped."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
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


def text_sort_key(text: str) -> tuple[str, str, str]:
    """A key that orders text alphabetically: primary letters, then the exact text, then the raw text."""
    stripped = text.lstrip(_LEADING)
    folded = stripped.casefold().replace("ё", "е")
    primary = folded if folded.isascii() and "\0" not in folded else folded.translate(_LETTERS)
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
    key = _TEXT_KEYS.get(by) or _sort_key(by)
    pairs = [(key(record), str(record["id"])) for record in records]
    pairs.sort(key=itemgetter(0), reverse=reverse)  # stable, as sorted() is
    return [k for _sort, k in pairs]


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


def _author_text_key(record: Mapping[str, Any]) -> str:
    """``_by_author`` as one text (see ``_joined``)."""
    head = first_name(record)
    name = sort_name(head) if head else "\uffff"
    if "\0" in name:
        return _joined((*text_sort_key(name), *text_sort_key(str(record.get("title", ""))),
                        str(record.get("id", ""))))
    primary, secondary, raw = text_sort_key(name)
    return f"{primary}\0\1{secondary}\0\1{raw}\0\1{_title_text_key(record)}"


_TEXT_KEYS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "title": _title_text_key, "author": _author_text_key,
}


def _sort_key(by: str) -> Callable[[Mapping[str, Any]], Any]:
    try:
        return SORT_KEYS[by]
    except KeyError:
        from catalogue.errors import UnknownFormat

        raise UnknownFormat(by, list(SORT_KEYS), "sort order") from None
