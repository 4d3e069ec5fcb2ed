"""The one validator of every door: import, add, edit, undo and ``check`` ask ``validate`` whether a record
may enter the catalogue.

``validate`` is total: for any JSON value it returns sentences, never raises;
``check`` raises ``ValidationError`` listing them. The limits it applies are
declared in ``record``, the rules of each field in ``field_rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogue.errors import ValidationError
from catalogue.model.field_rules import (
    CHECKERS,
    NAME_TEXT_PARTS,
    UNSAFE_INLINE,
    UNSAFE_MULTILINE,
    is_time,
    kind_of,
    quoted,
)
from catalogue.model.record import (
    CSL_DATE_FIELDS,
    CSL_NAME_FIELDS,
    CSL_NUMBER_FIELDS,
    CSL_STRING_FIELDS,
    CSL_TYPES,
    FIRST_YEAR,
    KEY_PATTERN,
    MAX_KEY_LENGTH,
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
    MULTILINE_FIELDS,
    Problems,
    days_in_month,
    next_year,
)


def validate(record: object) -> list[str]:
    """Every problem with a record, in field order; an empty list means valid.

    Total: any value (a JSON object with any fields, or not an object at all) gives a
    list of one-sentence problems and never an exception.  The rules are the ones
    every door applies (import, add, edit, undo, reading a file edited by hand):
    field types, key syntax, text without control characters and of bounded length,
    bounded numbers, real dates of plausible years, well-formed times.
    """
    if type(record) is dict and _plainly_valid(record):
        return []
    return _every_problem(record)


def _every_problem(record: object) -> list[str]:
    """``validate`` rule by rule: the sentences of every problem (the record's path when it has some)."""
    if type(record) is not dict and not isinstance(record, Mapping):
        return [f"a record must be a JSON object, not {kind_of(record)}"]
    problems: Problems = []
    if "id" not in record:
        problems.append("id is missing: a record needs a citation key")
    if "type" not in record:
        problems.append("type is missing")
    if "title" not in record:
        problems.append("title is missing")
    fields = []
    for field in record:
        if isinstance(field, str):
            fields.append(field)
        else:
            problems.append(f"a field name must be text, not {kind_of(field)}")
    for field in sorted(fields):
        checker = CHECKERS.get(field)
        if checker is None:
            problems.append(f"field {quoted(field)} is unknown")
        else:
            checker(field, record[field], problems)
    return problems


def validate_field(field: str, value: object) -> list[str]:
    """The problems of one field's value (``validate``'s rules for that field; unknown fields have one)."""
    checker = CHECKERS.get(field)
    if checker is None:
        return [f"field {quoted(field)} is unknown"]
    problems: Problems = []
    checker(field, value, problems)
    return problems


def validate_change(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The problems a change brings into a stored record: each field it sets or changes is checked by
    ``validate``'s rules, and the ones every record needs must remain. The fields it leaves as they were
    passed ``validate`` when the record came in (``check`` finds any damage done by hand); a batch edit
    of 100,000 records checks what it changes, not everything again."""
    problems: Problems = []
    for required in ("id", "type", "title"):
        if required not in new:
            problems.append(f"{required} is missing")
    for field in sorted(f for f in new if f not in old or new[f] != old[f]):
        if isinstance(field, str):
            problems += validate_field(field, new[field])
        else:
            problems.append(f"a field name must be text, not {kind_of(field)}")
    return problems


def check(record: object) -> None:
    """Raise ``ValidationError`` listing every problem, or return quietly."""
    problems = validate(record)
    if problems:
        key = record.get("id") if isinstance(record, Mapping) else None
        good_key = isinstance(key, str) and len(key) <= MAX_KEY_LENGTH and KEY_PATTERN.match(key)
        raise ValidationError(problems, key if good_key else None)


# --- the quick yes: a record of the common shape, valid at a glance ---------------------------
# ``check`` validates 100,000 records at once, and nearly all are made of plain texts, a few names, a
# date and a number; rule by rule, with every sentence ready, that is most of its time. These records
# are answered here with one test per value and one search for unsafe characters over all their texts.
# Anything else here (a part, a shape, a value it does not take) is no verdict: ``_every_problem``
# decides, and says what is wrong.

_INLINE_TEXT, _MULTILINE_TEXT, _NUMBER_OR_TEXT, _PAGES, _NAMES, _DATE, _TIME, _TEXTS = range(8)
_PLAIN_KINDS: dict[str, int] = {
    **dict.fromkeys(CSL_STRING_FIELDS - MULTILINE_FIELDS, _INLINE_TEXT),
    **dict.fromkeys((CSL_STRING_FIELDS & MULTILINE_FIELDS) | {"remarks"}, _MULTILINE_TEXT),
    **dict.fromkeys(CSL_NUMBER_FIELDS - {"number-of-pages"}, _NUMBER_OR_TEXT),
    "number-of-pages": _PAGES,
    **dict.fromkeys(CSL_NAME_FIELDS, _NAMES),
    **dict.fromkeys(CSL_DATE_FIELDS, _DATE),
    "added": _TIME, "modified": _TIME,
    "tags": _TEXTS, "categories": _TEXTS,
}
_PLAIN_NAME_PARTS = NAME_TEXT_PARTS
_ONLY_DATE_PARTS = frozenset({"date-parts"})
# The fields of each record shape seen (a tuple of field names), by kind; None: not a plain shape.
_Plan = tuple[tuple[str, ...], ...]
_PLANS: dict[tuple[object, ...], _Plan | None] = {}
_MAX_PLANS = 4096  # shapes kept; a file of ever new shapes is still validated, only not remembered


def _plan(shape: tuple[object, ...]) -> _Plan | None:
    """The fields of a record shape grouped by kind, or None when it has a field the quick yes leaves
    to the full rules, or lacks one every record needs."""
    if not {"id", "type", "title"} <= set(shape):
        return None
    groups: list[list[str]] = [[] for _ in range(8)]
    for field in shape:
        if field in ("id", "type", "title"):
            continue
        if not isinstance(field, str) or field not in _PLAIN_KINDS:
            return None
        groups[_PLAIN_KINDS[field]].append(field)
    return tuple(tuple(group) for group in groups)


def _plainly_valid(record: dict[Any, Any]) -> bool:
    """True only for a record ``_every_problem`` finds valid; False says nothing (ask it)."""
    shape = tuple(record)
    try:
        plan = _PLANS[shape]
    except KeyError:
        plan = _plan(shape)
        if len(_PLANS) < _MAX_PLANS:
            _PLANS[shape] = plan
    if plan is None:
        return False
    inline_fields, multiline_fields, numbers, pages, name_fields, dates, times, lists = plan
    key, kind, title = record["id"], record["type"], record["title"]
    if (type(key) is not str or len(key) > MAX_KEY_LENGTH or not KEY_PATTERN.match(key)
            or type(kind) is not str or kind not in CSL_TYPES or type(title) is not str or not title.strip()):
        return False
    texts: list[Any] = [title]  # text, else the join below finds out
    texts += map(record.__getitem__, inline_fields)
    for field in numbers:
        value = record[field]
        if type(value) is str:
            texts.append(value)
        elif type(value) is not int or not 0 <= value <= MAX_NUMBER:
            return False
    for field in pages:
        value = record[field]
        if type(value) is not int or not 1 <= value <= MAX_NUMBER:
            return False
    for field in name_fields:
        people = record[field]
        if type(people) is not list or not people:
            return False
        for name in people:
            if type(name) is not dict or not name.keys() <= _PLAIN_NAME_PARTS:
                return False
            head = name["literal"] if "literal" in name else name.get("family")
            if type(head) is not str or not head.strip():
                return False
            texts += name.values()
    for field in dates:
        if not _plain_date(record[field]):
            return False
    for field in times:
        value = record[field]
        if type(value) is not str or not is_time(value):
            return False
    for field in lists:
        items = record[field]
        if type(items) is not list:
            return False
        for item in items:
            if type(item) is not str or not item.strip():
                return False
        if len(set(items)) != len(items):
            return False
        texts += items
    try:
        inline = " ".join(texts)  # TypeError: a value that is not text
        multiline = " ".join(map(record.__getitem__, multiline_fields)) if multiline_fields else ""
    except TypeError:
        return False
    # Every text is within the limit when all of them together are (else: ask which one is not).
    # Printable text (str.isprintable: no Unicode "Other" or "Separator" but the space) holds no
    # unsafe character, which are all "Other"; only text with some such (a line break, a no-break
    # space) is searched.
    return (len(inline) <= MAX_TEXT_LENGTH and len(multiline) <= MAX_TEXT_LENGTH
            and (inline.isprintable() or not UNSAFE_INLINE.search(inline))
            and (multiline.isprintable() or not UNSAFE_MULTILINE.search(multiline)))


def _plain_date(value: object) -> bool:
    """A date of one day, month or year (``{"date-parts": [[2006, 5]]}``) that is real and not too late."""
    if type(value) is not dict or value.keys() != _ONLY_DATE_PARTS:
        return False
    parts = value["date-parts"]
    if type(parts) is not list or len(parts) != 1 or type(parts[0]) is not list:
        return False
    date = parts[0]
    size = len(date)
    year = date[0] if size else None
    if type(year) is not int or year < FIRST_YEAR or (year > _ALLOWED_ALL_ALONG and year > next_year()):
        return False
    if size == 1:
        return True
    month = date[1]
    if type(month) is not int or not 1 <= month <= 12:
        return False
    if size == 2:
        return True
    day = date[2]
    return size == 3 and type(day) is int and 1 <= day <= days_in_month(year, month)


# Years up to this one stay allowed as long as the process runs (next year only grows); a later
# year is asked of the clock.
_ALLOWED_ALL_ALONG = next_year()


