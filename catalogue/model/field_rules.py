"""The rules of each field of a record: ``CHECKERS`` maps every field to the check that appends the
problems of its value, one sentence each (``validation`` applies them to a whole record).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from catalogue.model.record import (
    ALL_FIELDS,
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
    OPEN_END,
    Problems,
    days_in_month,
    next_year,
)

NAME_TEXT_PARTS = frozenset({
    "family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix",
})
_NAME_FLAG_PARTS = frozenset({"comma-suffix", "static-ordering", "parse-names"})
_NAME_PARTS = NAME_TEXT_PARTS | _NAME_FLAG_PARTS
_DATE_PARTS = frozenset({"date-parts", "season", "circa", "literal", "raw"})
# Problems listed for one field before the rest are summed up.
_MAX_PROBLEMS_PER_FIELD = 5
# How deep and how large ``custom`` (free JSON) may be.
_MAX_CUSTOM_DEPTH = 16
_MAX_CUSTOM_ITEMS = 10_000
_TIMESTAMP = re.compile(
    r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?Z\Z"
)
# Characters no text may hold: C0 controls, DEL, C1 controls, bidirectional overrides and
# isolates (they reorder what a terminal shows), lone surrogates (no UTF-8 can carry them).
_UNSAFE = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
UNSAFE_INLINE = re.compile(f"[\x00-\x1f{_UNSAFE}]")
UNSAFE_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f{_UNSAFE}]")  # tab and newline allowed


# --- the checks of one field: each appends its problems ------------------------------------


def kind_of(value: object) -> str:
    """What a value is, for a sentence: ``a list``, ``a number``, ``true``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def _json_text(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def quoted(value: object) -> str:
    """A value quoted in a problem, kept short whatever it is (never the repr of a big value)."""
    if isinstance(value, str):  # quoted as JSON writes it: the record is JSON where people edit it
        return _json_text(value) if len(value) <= 40 else _json_text(value[:40])[:-1] + '…"'

    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if -(10**15) < value < 10**15 else f"a {value.bit_length()}-bit number"
    if isinstance(value, float):
        return repr(value)
    return kind_of(value)


def _text(where: str, value: str, problems: Problems, *, multiline: bool = False) -> None:
    if len(value) > MAX_TEXT_LENGTH:
        problems.append(f"{where} is {len(value):,} characters long, over the limit of {MAX_TEXT_LENGTH:,}")
        return
    unsafe = (UNSAFE_MULTILINE if multiline else UNSAFE_INLINE).search(value)
    if unsafe:
        char = unsafe.group()
        kind = _CHARACTER_NAMES.get(char, "a control character")
        problems.append(
            f"{where} holds {kind} (U+{ord(char):04X}) at character {unsafe.start() + 1}"
        )


_CHARACTER_NAMES = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}


def _is_whole(value: object) -> bool:
    return type(value) is int  # not bool, which is an int to Python and not a number to JSON


def _number(where: str, value: object, problems: Problems, lowest: int = 0) -> None:
    """A whole number from ``lowest`` to ``MAX_NUMBER``."""
    if not _is_whole(value):
        problems.append(f"{where} {quoted(value)} is not a whole number")
    elif not lowest <= value <= MAX_NUMBER:  # type: ignore[operator]
        problems.append(f"{where} {quoted(value)} is not a whole number from {lowest} to {MAX_NUMBER:,}")


def _check_id(field: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, str):
        problems.append(f"id must be a citation key (text), not {kind_of(value)}")
    elif not KEY_PATTERN.match(value):
        problems.append(
            f"id {quoted(value)} is not a citation key (letters, digits of any script, then also _:.+/-; NFC)"
        )
    elif len(value) > MAX_KEY_LENGTH:
        problems.append(f"id is {len(value):,} characters long; a citation key has at most {MAX_KEY_LENGTH}")


def _check_type(field: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, str):
        problems.append(f"type must be the name of a CSL type (text), not {kind_of(value)}")
    elif value not in CSL_TYPES:
        problems.append(f"type {quoted(value)} is not a CSL type")


def _check_title(field: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, str):
        problems.append(f"title must be text, not {kind_of(value)}")
    elif not value.strip():
        problems.append("title is missing")
    else:
        _text("title", value, problems)


def _check_text(field: str, value: Any, problems: Problems) -> None:
    if isinstance(value, str):
        _text(field, value, problems, multiline=field in MULTILINE_FIELDS)
    else:
        problems.append(f"{field} must be text, not {kind_of(value)}")


def _check_number_or_text(field: str, value: Any, problems: Problems) -> None:
    if isinstance(value, str):
        _text(field, value, problems)
    elif _is_whole(value):
        _number(field, value, problems)
    else:
        problems.append(f"{field} must be a whole number or text, not {quoted(value)}")


def _check_pages(field: str, value: Any, problems: Problems) -> None:
    if not _is_whole(value) or value < 1:
        problems.append(f"{field} {quoted(value)} is not a positive whole number")
    elif value > MAX_NUMBER:
        problems.append(f"{field} {quoted(value)} is over the limit of {MAX_NUMBER:,}")


def _check_texts(field: str, value: Any, problems: Problems) -> None:
    """A list of non-empty one-line texts, none twice (``tags``, ``categories``)."""
    if not isinstance(value, list):
        problems.append(f"{field} must be a list of non-empty texts, not {kind_of(value)}")
        return
    start = len(problems)
    for i, item in enumerate(value, 1):
        if len(problems) - start >= _MAX_PROBLEMS_PER_FIELD:
            problems.append(f"{field} has more problems than these")
            return
        if not isinstance(item, str) or not item.strip():
            problems.append(f"{field} must be a list of non-empty texts; #{i} is {quoted(item)}")
        else:
            _text(f"{field} #{i}", item, problems)
    if len(problems) == start and len(set(value)) != len(value):
        problems.append(f"{field} holds the same {'tag' if field == 'tags' else 'value'} twice")


def _check_aliases(field: str, value: Any, problems: Problems) -> None:
    """The keys a merged record answers to besides its own: valid keys, none twice ignoring case."""
    if not isinstance(value, list) or not value:
        problems.append(f"aliases must be a non-empty list of citation keys, not {quoted(value)}")
        return
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not KEY_PATTERN.match(item) or len(item) > MAX_KEY_LENGTH:
            problems.append(f"aliases #{i} {quoted(item)} is not a citation key")
            return
    if len({k.lower() for k in value}) != len(value):
        problems.append("aliases hold the same key twice (keys are compared ignoring case)")


def _check_time(field: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, str) or not is_time(value):
        problems.append(f"{field} {quoted(value)} is not an ISO 8601 UTC time (…T…Z)")


@lru_cache(maxsize=1024)  # imports stamp thousands of records with one time
def is_time(text: str) -> bool:
    match = _TIMESTAMP.match(text)
    if not match:
        return False
    try:
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:  # 2026-02-31, hour 24 …
        return False
    return True


def _check_names(field: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, list) or not value:
        problems.append(f"{field} must be a non-empty list of names, not {quoted(value)}")
        return
    start = len(problems)
    for i, name in enumerate(value, 1):
        if len(problems) - start >= _MAX_PROBLEMS_PER_FIELD:
            problems.append(f"{field} has more problems than these")
            return
        where = f"{field} #{i}"
        if not isinstance(name, dict):
            problems.append(f"{where} is {quoted(name)}, not a name object like {{'family': …, 'given': …}}")
            continue
        unknown = []
        for part, text in name.items():
            if part in NAME_TEXT_PARTS:
                if isinstance(text, str):
                    _text(f"{where} {part}", text, problems)
                else:
                    problems.append(f"{where}: {part} must be text, not {kind_of(text)}")
            elif part in _NAME_FLAG_PARTS:
                if not (isinstance(text, str | bool) or _is_whole(text)):
                    problems.append(f"{where}: {part} must be true, false, a number or text")
                elif isinstance(text, str):
                    _text(f"{where} {part}", text, problems)
                elif isinstance(text, int) and not isinstance(text, bool):
                    _number(f"{where} {part}", text, problems)
            else:
                unknown.append(quoted(part))
        if unknown:
            problems.append(f"{where} has unknown parts {', '.join(unknown[:5])}")
        if "literal" in name:
            literal = name["literal"]
            if isinstance(literal, str) and not literal.strip():
                problems.append(f"{where} has an empty literal")
        else:
            family = name.get("family")
            if not isinstance(family, str) or not family.strip():
                problems.append(f"{where} has no family name")


def _check_date(field: str, value: Any, problems: Problems) -> None:
    if not isinstance(value, dict) or not value:
        problems.append(f"{field} must be a date object like {{'date-parts': [[2006]]}}, not {quoted(value)}")
        return
    for part, given in value.items():
        if part not in _DATE_PARTS:
            problems.append(f"{field} has the unknown part {quoted(part)}")
        elif part in ("literal", "raw"):
            if isinstance(given, str):
                _text(f"{field} {part}", given, problems)
            else:
                problems.append(f"{field} {part} must be text, not {kind_of(given)}")
        elif part == "season":
            if isinstance(given, str):
                _text(f"{field} season", given, problems)
            elif not _is_whole(given) or not 1 <= given <= 4:
                problems.append(f"{field} season {quoted(given)} is not 1-4 or text")
        elif part == "circa" and not (isinstance(given, str | bool) or _is_whole(given)):
            problems.append(f"{field} circa must be true, false, a number or text")
    if "date-parts" in value:
        _date_parts(field, value["date-parts"], problems)
    elif not any(isinstance(value.get(k), str) and value[k].strip() for k in ("literal", "raw")):
        problems.append(f"{field} has neither date-parts nor a literal date")


def _date_parts(field: str, parts: Any, problems: Problems) -> None:
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        problems.append(f"{field} date-parts must hold one date or a range of two")
        return
    good = []
    last_year = next_year()
    if len(parts) == 2 and parts[1] == OPEN_END:  # "2007–": a range still running
        parts = parts[:1]
    for date in parts:
        if (
            not isinstance(date, list) or not 1 <= len(date) <= 3
            or not all(type(p) is int for p in date)
        ):
            shown = ", ".join(quoted(p) for p in date[:3]) if isinstance(date, list) else quoted(date)
            problems.append(f"{field} date [{shown}] is not [year], [year, month] or [year, month, day]")
        elif not FIRST_YEAR <= date[0] <= last_year:
            problems.append(f"{field} year {quoted(date[0])} is not a year from {FIRST_YEAR} to {last_year}")
        elif len(date) >= 2 and not 1 <= date[1] <= 12:
            problems.append(f"{field} month {quoted(date[1])} is not 1-12")
        elif len(date) == 3 and not 1 <= date[2] <= days_in_month(date[0], date[1]):
            problems.append(
                f"{field} day {quoted(date[2])} is not a day of {date[0]}-{date[1]:02d} "
                f"(1-{days_in_month(date[0], date[1])})"
            )
        else:
            good.append(date)
    if len(good) == 2:
        first, last = good
        common = min(len(first), len(last))
        if last[:common] < first[:common]:
            problems.append(f"{field} range {_date_text(first)}–{_date_text(last)} ends before it begins")


def _date_text(date: list[int]) -> str:
    return "-".join([str(date[0]), *(f"{p:02d}" for p in date[1:])])


def _check_custom(field: str, value: Any, problems: Problems) -> None:
    """``custom`` is free JSON: any shape, but bounded, and its texts and numbers as safe as the rest."""
    if not isinstance(value, Mapping):
        problems.append(f"{field} must be an object, not {kind_of(value)}")
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > _MAX_CUSTOM_ITEMS:
            problems.append(f"{field} holds more than {_MAX_CUSTOM_ITEMS:,} values")
            return
        found: Problems = []
        if isinstance(item, str):
            _text(field, item, found, multiline=True)
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                found.append(f"{field} holds {quoted(item)}, which JSON cannot carry")
        elif _is_whole(item):
            if not -(2**63) <= item < 2**63:
                found.append(f"{field} holds {quoted(item)}, over 64 bits")
        elif isinstance(item, list | Mapping):
            if depth > _MAX_CUSTOM_DEPTH:
                found.append(f"{field} is nested more than {_MAX_CUSTOM_DEPTH} levels deep")
            elif isinstance(item, list):
                stack.extend((v, depth + 1) for v in item)
            else:
                for k, v in item.items():
                    stack.append((v, depth + 1))
                    if isinstance(k, str):
                        stack.append((k, depth + 1))
                    else:
                        found.append(f"{field} has a name that is not text")
        elif not isinstance(item, bool) and item is not None:
            found.append(f"{field} holds {kind_of(item)}, which is not JSON")
        if found:
            problems.append(found[0])
            return


def _check_titles(field: str, value: Any, problems: Problems) -> None:
    """Parallel titles: objects of a text, a BCP 47 language tag and a kind (``system`` for romanisations)."""
    from catalogue.model.titles import KIND, KINDS, LANGUAGE, LANGUAGE_TAG, MAX_TITLES, PARTS, SYSTEM, TEXT

    if not isinstance(value, list) or not value:
        problems.append(f"{field} must be a non-empty list of parallel titles, not {quoted(value)}")
        return
    if len(value) > MAX_TITLES:
        problems.append(f"{field} holds {len(value):,} parallel titles, over the limit of {MAX_TITLES}")
        return
    start = len(problems)
    seen: set[tuple[str, str, str, str]] = set()
    originals = 0
    for i, entry in enumerate(value, 1):
        if len(problems) - start >= _MAX_PROBLEMS_PER_FIELD:
            problems.append(f"{field} has more problems than these")
            return
        where = f"{field} #{i}"
        if not isinstance(entry, dict):
            problems.append(f"{where} is {quoted(entry)}, not an object like {{'text': …, 'language': 'en', "
                            f"'kind': 'translation'}}")
            continue
        unknown = [quoted(part) for part in entry if part not in PARTS]
        if unknown:
            problems.append(f"{where} has unknown parts {', '.join(unknown[:5])}")
        text, language, kind, system = (entry.get(p) for p in (TEXT, LANGUAGE, KIND, SYSTEM))
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where} has no text")
        else:
            _text(f"{where} text", text, problems)
        if not isinstance(language, str) or not LANGUAGE_TAG.match(language):
            problems.append(f"{where}: language {quoted(language)} is not a tag like en, ru or ru-Latn")
        if kind not in KINDS:
            problems.append(f"{where}: kind {quoted(kind)} is not one of {', '.join(KINDS)}")
        originals += kind == "original"
        if system is not None:
            if kind != "romanization":
                problems.append(f"{where}: only a romanization names a system")
            elif not isinstance(system, str) or not system.strip():
                problems.append(f"{where}: system must be a name like gost-7.79-b, not {quoted(system)}")
            else:
                _text(f"{where} system", system, problems)
        if (isinstance(kind, str) and isinstance(language, str) and isinstance(text, str)
                and isinstance(system, str | None)):
            same = (kind, language.lower(), str(system), text)
            if same in seen:
                problems.append(f"{where} repeats a parallel title")
            seen.add(same)
    if originals > 1:
        problems.append(f"{field} gives more than one original title")


_CONFLICT_PARTS = frozenset({"field", "base", "ours", "theirs"})


def _check_conflicts(field: str, value: Any, problems: Problems) -> None:
    """A git merge's conflicts (``store.merging``): one object per field, ``{"field": …, "base": …,
    "ours": …, "theirs": …}``, the field a record field or ``record`` (removed against changed)."""
    if not isinstance(value, list) or not value:
        problems.append(f"{field} must be a non-empty list of conflicts, not {quoted(value)}")
        return
    seen: set[str] = set()
    for i, entry in enumerate(value, 1):
        where = f"{field} #{i}"
        name = entry.get("field") if isinstance(entry, dict) else None
        if not isinstance(name, str) or (name not in ALL_FIELDS and name != "record"):
            problems.append(f"{where} is not an object like {{'field': 'title', 'ours': …, 'theirs': …}}")
            return
        unknown = [quoted(part) for part in entry if part not in _CONFLICT_PARTS]
        if unknown:
            problems.append(f"{where} has unknown parts {', '.join(unknown[:5])}")
        if name in seen:
            problems.append(f"{where} repeats the conflict on {name}")
        seen.add(name)
        _check_custom(where, {side: entry[side] for side in ("base", "ours", "theirs") if side in entry},
                      problems)


FieldCheck = Callable[[str, Any, Problems], None]
CHECKERS: dict[str, FieldCheck] = {
    **dict.fromkeys(CSL_STRING_FIELDS, _check_text),
    **dict.fromkeys(CSL_NUMBER_FIELDS, _check_number_or_text),
    **dict.fromkeys(CSL_NAME_FIELDS, _check_names),
    **dict.fromkeys(CSL_DATE_FIELDS, _check_date),
    "id": _check_id,
    "type": _check_type,
    "title": _check_title,
    "number-of-pages": _check_pages,
    "tags": _check_texts,
    "remarks": _check_text,
    "titles": _check_titles,
    "aliases": _check_aliases,
    "categories": _check_texts,
    "custom": _check_custom,
    "added": _check_time,
    "modified": _check_time,
    "conflicts": _check_conflicts,
}
assert set(CHECKERS) == ALL_FIELDS
