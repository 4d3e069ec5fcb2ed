"""Changing a record field by field (``edit``'s options) and building one from ``add``'s options.

Values arrive as text from a command line or a prompt; this module turns them
into the record's JSON shape (years into ``issued``, names into name objects,
pages into a number) and says in one sentence what it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from catalogue.errors import BadQuery, InvalidData, ParseError, ValidationError
from catalogue.model.conflicts import settle_conflicts
from catalogue.model.names import Name, parse_names
from catalogue.model.record import (
    CSL_DATE_FIELDS,
    CSL_NAME_FIELDS,
    CSL_NUMBER_FIELDS,
    MAX_NUMBER,
    NAME_ROLES,
    OPEN_END,
    Record,
    days_in_month,
    join_places,
)
from catalogue.model.titles import add_parallel_title
from catalogue.model.translit import search_key

# Fields the catalogue keeps itself: the key changes only by renaming, the times by the store, the
# aliases (keys of records merged into this one) by ``merge`` (or the record's JSON in $EDITOR).
PROTECTED_FIELDS = frozenset({"id", "added", "modified", "aliases"})
BOOK_MIN_PAGES = 49


class BadEdit(BadQuery):
    """An edit that cannot be understood as worded (a set without ``=``, an unknown field).

    ``edit`` names the kind of edit (``set``, ``unset``, ``add-name``, ``remove-name``),
    ``problem`` what is wrong; ``renaming`` says the key can change only by renaming.
    """

    def __init__(self, edit: str, problem: str, *, renaming: bool = False) -> None:
        self.edit = edit
        self.problem = problem
        self.renaming = renaming
        super().__init__(f"{edit}: {problem}")


class BadValue(InvalidData):
    """A field value that cannot be read (a year that is no year, pages that are no number)."""


class NotInRecord(InvalidData):
    """A name or tag to remove that the record does not hold."""


@dataclass
class Edits:
    """What ``socsopr edit`` was asked to change, as given on the command line."""

    set: Sequence[str] = ()
    unset: Sequence[str] = ()
    add_names: Sequence[str] = ()
    remove_names: Sequence[str] = ()
    add_tags: Sequence[str] = ()
    remove_tags: Sequence[str] = ()

    def __bool__(self) -> bool:
        return any((self.set, self.unset, self.add_names, self.remove_names, self.add_tags, self.remove_tags))


@dataclass
class NewRecord:
    """``socsopr add``'s fields as text; ``build`` makes the record."""

    type: str | None = None
    title: str | None = None
    names: dict[str, list[str]] = field(default_factory=dict)
    year: str | None = None
    places: Sequence[str] = ()
    publisher: str | None = None
    pages: str | None = None
    language: str | None = None
    note: str | None = None
    tags: Sequence[str] = ()
    key: str | None = None
    remarks: str | None = None
    parallel_titles: Sequence[str] = ()  # ``en=Why Socialism?``, ``original:ru=…`` (``titles``)


# --- reading values -------------------------------------------------------------------------


def parse_issued(text: str) -> dict[str, Any]:
    """``2006``, ``2007-10``, ``2007-10-05``, a range ``1998..2007`` / ``1998–2007`` or an open range
    ``2007..`` / ``2007–`` as a CSL date. Two years joined by a hyphen or a comma (``2006-2007``,
    ``2006,2007``) are a range too, as ``--year`` reads them; ``2007-10`` stays a month."""
    pair = re.fullmatch(r"\s*([0-9]{1,4})\s*[-,]\s*([0-9]{3,4})\s*", text)
    if pair:
        text = f"{pair.group(1)}..{pair.group(2)}"
    open_range = re.fullmatch(r"(.+?)\s*(?:\.\.|[–—/])\s*", text.strip())
    if open_range:
        start = parse_issued(open_range.group(1))
        if len(start["date-parts"]) == 1:
            return {"date-parts": [*start["date-parts"], list(OPEN_END)]}
    parts = [p.strip() for p in re.split(r"\.\.|[–—]|/", text.strip())]
    if not 1 <= len(parts) <= 2 or not all(parts):
        raise BadValue(f"year {_short(text)} is not a year like 2006, 2007-10 or a range 1998..2007")
    dates = []
    for part in parts:
        match = re.fullmatch(r"([0-9]{1,4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?", part)
        if not match:
            raise BadValue(f"year {_short(text)} is not a year like 2006, 2007-10 or a range 1998..2007")
        date = [int(g) for g in match.groups() if g is not None]
        if len(date) >= 2 and not 1 <= date[1] <= 12:
            raise BadValue(f"year {_short(text)} names month {date[1]}; months are 1-12")
        if len(date) == 3 and not 1 <= date[2] <= days_in_month(date[0], date[1]):
            raise BadValue(f"year {_short(text)} names a day that {date[0]}-{date[1]:02d} does not have")
        dates.append(date)
    return {"date-parts": dates}


def parse_pages(text: str) -> int:
    """A page count: a positive whole number (``36``; ``36 с.`` and ``36 p.`` are read too)."""
    match = re.fullmatch(r"\s*([0-9]{1,10})\s*(?:с|c|p|pp|pages|стр)?\.?\s*", text)
    if not match or not 1 <= int(match.group(1)) <= MAX_NUMBER:
        raise BadValue(f"pages {_short(text)} is not a positive whole number up to {MAX_NUMBER:,}")
    return int(match.group(1))


def _number_or_text(name: str, text: str) -> int | str:
    """A number field: digits become a number (``12``), anything else stays text (``12-14``, ``XIV``)."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        return text
    if len(digits) > 10 or int(digits) > MAX_NUMBER:
        raise BadValue(f"{name} {_short(text)} is larger than {MAX_NUMBER:,}")
    return int(digits)


def _short(text: str) -> str:
    """A value quoted in a message, cut if it runs on."""
    return repr(text) if len(text) <= 60 else repr(text[:60])[:-1] + "…'"


def parse_name_text(role: str, text: str) -> list[Name]:
    """Names in any form the model reads (``Ovsyannikov I. A.``, ``I. A. Ovsyannikov``, ``=Org``)."""
    try:
        names = parse_names(text)
    except ValueError as exc:
        raise BadValue(f"{role} {text!r}: {exc}") from None
    if not names:
        raise BadValue(f"{role} is empty")
    return names


def field_value(name: str, text: str) -> Any:
    """The JSON value of a field given as text on the command line."""
    if name in CSL_DATE_FIELDS:
        return parse_issued(text)
    if name in CSL_NAME_FIELDS:
        return parse_name_text(name, text)
    if name == "number-of-pages":
        return parse_pages(text)
    if name in CSL_NUMBER_FIELDS:
        return _number_or_text(name, text)
    if name == "tags":
        return [t.strip() for t in text.split(",") if t.strip()]
    if name == "publisher-place":
        return join_places(re.split(r"\s*;\s*", text))
    if name == "titles" and not text.lstrip().startswith("["):
        return [_parallel_title(text)]
    if name in ("custom", "categories", "titles"):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            raise BadValue(f"{name} must be given as JSON") from None
    return text


def _parallel_title(text: str) -> dict[str, str]:
    """``en=Why Socialism?`` (``KIND:LANGUAGE=TITLE``) as a parallel title (``titles``)."""
    from catalogue.model.titles import parse_parallel_title

    try:
        return parse_parallel_title(text)
    except ValueError as exc:
        raise BadValue(f"parallel title {exc}") from None


def _field_name(typed: str, option: str) -> str:
    """The record's field for a name as typed: a CSL name or the one people see (``year``, ``pages``)."""
    from catalogue.model.fields import NAMES, closest_fields, quoted, record_field

    name = record_field(typed)
    if name is None:
        if typed.strip().lower() == NAMES:
            raise BadEdit(option, "names are given by role: author=…, editor=…, compiler=…, translator=… "
                          "(or --add-name ROLE=NAME)")
        close = closest_fields(typed)
        hint = f"; did you mean {' or '.join(quoted(c) for c in close)}?" if close else ""
        raise BadEdit(option, f"{quoted(typed.strip())} is not a field of a record{hint}")
    if name == "id":
        raise BadEdit(option, "the key cannot be changed this way; it changes only by renaming",
                      renaming=True)
    if name in PROTECTED_FIELDS:
        raise BadEdit(option, f"{quoted(name)} cannot be changed this way; the catalogue sets it itself")
    return name


def _pair(text: str, option: str, what: str) -> tuple[str, str]:
    left, equals, right = text.partition("=")
    if not equals or not left.strip():
        raise BadEdit(option, f"{text!r} is not {what}=VALUE")
    return left.strip(), right.strip()


# --- edit -----------------------------------------------------------------------------------


def apply_edits(record: Mapping[str, Any], edits: Edits, *, missing_ok: bool = False) -> Record:
    """A new record with the edits applied, in the order: set, unset, names, tags; a field that
    was in conflict (a git merge) and is changed is settled.

    The record given is never changed (lists are copied before they change; a shallow copy
    is enough, and a batch of 100,000 cannot afford a deep one). ``missing_ok``: a name or
    tag to remove that the record lacks is passed over (a batch edit) instead of ``NotInRecord``.
    """
    return settle_conflicts(record, _applied(record, edits, missing_ok))


def _applied(record: Mapping[str, Any], edits: Edits, missing_ok: bool) -> Record:
    new = dict(record)
    for text in edits.set:
        name, value = _pair(text, "set", "FIELD")
        name = _field_name(name, "set")
        if value:
            new[name] = field_value(name, value)
        else:
            new.pop(name, None)
    for text in edits.unset:
        new.pop(_field_name(text, "unset"), None)
    for text in edits.add_names:
        role, name_text = _role_pair(text, "add-name")
        people = _current_names(new, role)
        people.extend(n for n in parse_name_text(role, name_text) if not _find(n, people))
        new[role] = people
    for text in edits.remove_names:
        role, name_text = _role_pair(text, "remove-name")
        people = _current_names(new, role)
        for person in parse_name_text(role, name_text):
            found = _find(person, people)
            if found is None and missing_ok:
                continue
            if found is None:
                raise NotInRecord(f"the record has no {role} {name_text!r}")
            people.remove(found)
        if people:
            new[role] = people
        else:
            new.pop(role, None)
    tags = _current_list(new, "tags", str, "texts") if edits.add_tags or edits.remove_tags else None
    if tags is None:
        return new
    for tag in (t.strip() for t in edits.add_tags):
        if tag and tag not in tags:
            tags.append(tag)
    for tag in (t.strip() for t in edits.remove_tags):
        if tag not in tags and missing_ok:
            continue
        if tag not in tags:
            raise NotInRecord(f"the record has no tag {tag!r}")
        tags.remove(tag)
    if tags:
        new["tags"] = tags
    else:
        new.pop("tags", None)
    return new


def batch_edits(records: Iterable[Mapping[str, Any]], edits: Edits) -> Iterator[tuple[Record, Record]]:
    """``(old, new)`` for each record the edits change (``edit --where``); a record they leave as
    it was (a tag it has already, a name it lacks) is passed over. A malformed edit is ``BadEdit`` at
    the first record, before anything is changed."""
    for record in records:
        new = apply_edits(record, edits, missing_ok=True)
        if new != record:
            yield dict(record), new


def _current_names(record: Mapping[str, Any], role: str) -> list[Name]:
    return _current_list(record, role, dict, "name objects")


def _current_list(record: Mapping[str, Any], field: str, kind: type, what: str) -> list[Any]:
    """The list a field holds, to change it; ``BadValue`` when the record holds something else."""
    value = record.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, kind) for v in value):
        raise BadValue(f"{field} in the record is not a list of {what}; set the field as a whole first")
    return list(value)


def _role_pair(text: str, option: str) -> tuple[str, str]:
    role, name = _pair(text, option, "ROLE")
    if role not in NAME_ROLES:
        raise BadEdit(option, f"{role!r} is not a role; choose one of: {', '.join(NAME_ROLES)}")
    return role, name


def find_same_name(name: Name, people: Iterable[Name]) -> Name | None:
    """The name in ``people`` that is the same person as ``name`` (any script; initials may stand for
    given names), or ``None``."""
    return _find(name, people)


def _find(name: Name, people: Iterable[Name]) -> Name | None:
    """The name in ``people`` that is the same person (any script; initials may stand for given names)."""
    if "literal" in name:
        key = search_key(str(name["literal"]))
        return next((p for p in people if search_key(str(p.get("literal", ""))) == key), None)
    family = search_key(str(name.get("family", "")))
    given = _initials_key(str(name.get("given", "")))
    for person in people:
        if search_key(str(person.get("family", ""))) != family:
            continue
        theirs = _initials_key(str(person.get("given", "")))
        if not given or not theirs or theirs.startswith(given) or given.startswith(theirs):
            return person
    return None


def _initials_key(given: str) -> str:
    return "".join(search_key(w)[:1] for w in re.split(r"[\s.-]+", given) if w)


def parse_edited_json(text: str, source: str = "the edited record") -> Record:
    """A record from the text of ``$EDITOR``; lines starting with ``//`` are comments (the errors shown)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ParseError([f"{source}:{exc.lineno}: not valid JSON ({exc.msg})"]) from None
    if not isinstance(data, dict):
        raise ParseError([f"{source}:1: expected one JSON object, the record"])
    return data


# --- add ------------------------------------------------------------------------------------


def build_record(fields: NewRecord, *, complete: bool = True) -> Record:
    """A record (without ``id`` unless a key was given) from ``add``'s fields; empty ones are left out.

    ``complete`` gives a missing type its default (UNESCO's rule); without it only
    the fields given are returned, to lay over a record parsed from a GOST line.
    """
    record: Record = {}
    problems: list[str] = []

    def read(name: str, parse: Callable[[str], Any], text: str) -> None:
        try:
            record[name] = parse(text)
        except BadValue as exc:
            problems.append(str(exc))

    if fields.key:
        record["id"] = fields.key.strip()
    if fields.title and fields.title.strip():
        record["title"] = " ".join(fields.title.split())
    for role in NAME_ROLES:
        texts = "; ".join(t for t in fields.names.get(role, ()) if t.strip())
        if texts:
            read(role, lambda text, role=role: parse_name_text(role, text), texts)  # type: ignore[misc]
    if fields.year and fields.year.strip():
        read("issued", parse_issued, fields.year)
    places = [p for text in fields.places for p in re.split(r"\s*;\s*", text) if p.strip()]
    if places:
        record["publisher-place"] = join_places(places)
    given_texts = {
        "publisher": fields.publisher, "language": fields.language, "note": fields.note,
        "remarks": fields.remarks,
    }
    for name, value in given_texts.items():
        if value and value.strip():
            record[name] = value.strip()
    if fields.pages and fields.pages.strip():
        read("number-of-pages", parse_pages, fields.pages)
    tags = [t.strip() for text in fields.tags for t in text.split(",") if t.strip()]
    if tags:
        record["tags"] = list(dict.fromkeys(tags))
    for text in fields.parallel_titles:
        try:
            record["titles"] = add_parallel_title(record.get("titles", []), _parallel_title(text))
        except BadValue as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationError(problems, fields.key)
    if fields.type and fields.type.strip():
        record["type"] = fields.type.strip()
    elif complete:
        record["type"] = default_type(record)
    return record


def default_type(record: Mapping[str, Any]) -> str:
    """UNESCO's rule: 49 pages or more is a book, fewer a pamphlet; unknown is a book."""
    pages = record.get("number-of-pages")
    return "pamphlet" if isinstance(pages, int) and pages < BOOK_MIN_PAGES else "book"


def merge_options(base: Mapping[str, Any], extra: Mapping[str, Any]) -> Record:
    """A parsed record with ``add``'s explicit options on top (tags and notes added, the rest replacing)."""
    merged = dict(base)
    for name, value in extra.items():
        if name == "tags":
            merged["tags"] = list(dict.fromkeys([*merged.get("tags", []), *value]))
        elif name in ("note", "remarks") and merged.get(name):
            merged[name] = f"{merged[name]} {value}"
        else:
            merged[name] = value
    return merged
