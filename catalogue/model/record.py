"""The record: a CSL-JSON item plus a few catalogue fields, and the rules every record obeys.

Records are plain dicts (they are JSON at both edges and there may be 100,000 of
them); this module is the one place that says what a valid one looks like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from catalogue.errors import ValidationError

Record = dict[str, Any]

CSL_TYPES = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
})

# The roles socsopr edits and shows; the order is the order of display.
NAME_ROLES: tuple[str, ...] = ("author", "editor", "compiler", "translator")

CSL_NAME_FIELDS = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
    "organizer", "original-author", "performer", "producer", "recipient",
    "reviewed-author", "script-writer", "series-creator", "translator",
})
CSL_DATE_FIELDS = frozenset({
    "accessed", "available-date", "event-date", "issued", "original-date", "submitted",
})
CSL_NUMBER_FIELDS = frozenset({
    "chapter-number", "citation-number", "collection-number", "edition",
    "first-reference-note-number", "issue", "locator", "number", "number-of-pages",
    "number-of-volumes", "page", "page-first", "part", "printing", "section",
    "supplement", "version", "volume",
})
CSL_STRING_FIELDS = frozenset({
    "DOI", "ISBN", "ISSN", "PMCID", "PMID", "URL", "abstract", "annote", "archive",
    "archive-place", "archive_collection", "archive_location", "authority", "call-number",
    "citation-key", "citation-label", "collection-title", "container-title", "container-title-short",
    "dimensions", "division", "event", "event-place", "event-title", "genre",
    "journalAbbreviation", "jurisdiction", "keyword", "language", "medium", "note",
    "original-publisher", "original-publisher-place", "original-title", "part-title",
    "publisher", "publisher-place", "references", "reviewed-genre", "reviewed-title",
    "scale", "shortTitle", "source", "status", "title", "title-short", "volume-title",
    "volume-title-short", "year-suffix",
})
CSL_FIELDS = (
    CSL_NAME_FIELDS | CSL_DATE_FIELDS | CSL_NUMBER_FIELDS | CSL_STRING_FIELDS
    | {"id", "type", "categories", "custom"}
)
# Fields of the catalogue's own, never part of CSL-JSON exports.
CATALOGUE_FIELDS = frozenset({"tags", "added", "modified"})
ALL_FIELDS = CSL_FIELDS | CATALOGUE_FIELDS

_NAME_PARTS = frozenset({
    "family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix",
    "comma-suffix", "static-ordering", "parse-names",
})
_DATE_PARTS = frozenset({"date-parts", "season", "circa", "literal", "raw"})
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+/-]*$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
PLACE_SEPARATOR = "; "


def now_utc() -> str:
    """The current time as the catalogue writes it: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def validate(record: Mapping[str, Any]) -> list[str]:
    """Every problem with a record, in field order; an empty list means valid."""
    problems: list[str] = []
    key = record.get("id")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(f"id {key!r} is not a citation key (ASCII letters, digits, _:.+/-)")
    rtype = record.get("type")
    if rtype not in CSL_TYPES:
        problems.append(f"type {rtype!r} is not a CSL type")
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append("title is missing")
    for field in sorted(record):
        value = record[field]
        if field not in ALL_FIELDS:
            problems.append(f"field {field!r} is unknown")
        elif field in CSL_NAME_FIELDS:
            problems.extend(_name_problems(field, value))
        elif field in CSL_DATE_FIELDS:
            problems.extend(_date_problems(field, value))
        elif field == "number-of-pages":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(f"number-of-pages {value!r} is not a positive whole number")
        elif field in CSL_NUMBER_FIELDS:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                problems.append(f"{field} {value!r} is not a number or text")
        elif field == "tags":
            if not isinstance(value, list) or not all(
                isinstance(t, str) and t.strip() for t in value
            ):
                problems.append("tags must be a list of non-empty texts")
            elif len(set(value)) != len(value):
                problems.append("tags holds the same tag twice")
        elif field in ("added", "modified"):
            if not isinstance(value, str) or not _TIMESTAMP.match(value):
                problems.append(f"{field} {value!r} is not an ISO 8601 UTC time (…T…Z)")
        elif field in CSL_STRING_FIELDS and field != "title" and not isinstance(value, str):
            problems.append(f"{field} must be text, not {type(value).__name__}")
    return problems


def _name_problems(field: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"{field} must be a non-empty list of names"]
    problems = []
    for i, name in enumerate(value, 1):
        where = f"{field} #{i}"
        if not isinstance(name, dict):
            problems.append(f"{where} is not a name object")
            continue
        unknown = set(name) - _NAME_PARTS
        if unknown:
            problems.append(f"{where} has unknown parts {sorted(unknown)}")
        if "literal" in name:
            if not isinstance(name["literal"], str) or not name["literal"].strip():
                problems.append(f"{where} has an empty literal")
        elif not isinstance(name.get("family"), str) or not name["family"].strip():
            problems.append(f"{where} has no family name")
        for part in ("given", "suffix", "dropping-particle", "non-dropping-particle"):
            if part in name and not isinstance(name[part], str):
                problems.append(f"{where}: {part} must be text")
    return problems


def _date_problems(field: str, value: Any) -> list[str]:
    if not isinstance(value, dict) or not value:
        return [f"{field} must be a date object like {{'date-parts': [[2006]]}}"]
    unknown = set(value) - _DATE_PARTS
    if unknown:
        return [f"{field} has unknown parts {sorted(unknown)}"]
    if "date-parts" not in value:
        if not any(isinstance(value.get(k), str) and value[k] for k in ("literal", "raw")):
            return [f"{field} has neither date-parts nor a literal date"]
        return []
    parts = value["date-parts"]
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        return [f"{field} date-parts must hold one date or a range of two"]
    problems = []
    for date in parts:
        if (
            not isinstance(date, list) or not 1 <= len(date) <= 3
            or not all(isinstance(p, int) and not isinstance(p, bool) for p in date)
        ):
            problems.append(f"{field} date {date!r} is not [year], [year, month] or [y, m, d]")
        elif len(date) >= 2 and not 1 <= date[1] <= 12:
            problems.append(f"{field} month {date[1]} is not 1-12")
        elif len(date) == 3 and not 1 <= date[2] <= 31:
            problems.append(f"{field} day {date[2]} is not 1-31")
    return problems


def check(record: Mapping[str, Any]) -> None:
    """Raise ``ValidationError`` listing every problem, or return quietly."""
    problems = validate(record)
    if problems:
        key = record.get("id")
        raise ValidationError(problems, key if isinstance(key, str) else None)


# --- reading records -----------------------------------------------------------------


def year_of(record: Mapping[str, Any]) -> int | None:
    """The first year of ``issued``, if there is one."""
    try:
        year = record["issued"]["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return year if isinstance(year, int) else None


def year_range(record: Mapping[str, Any]) -> tuple[int, int] | None:
    """The first and last year of ``issued`` (equal for a single date)."""
    try:  # (year_of inlined: this runs for every row of every table)
        parts = record["issued"]["date-parts"]
        first = parts[0][0]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(first, int):
        return None
    try:
        last = parts[1][0]
    except (KeyError, IndexError, TypeError):
        return first, first
    return first, last if isinstance(last, int) else first


def year_text(record: Mapping[str, Any]) -> str:
    """``2006``, ``1998–2007`` or ``2007–`` style text for tables; empty when unknown."""
    span = year_range(record)
    if span is None:
        return ""
    first, last = span
    return str(first) if first == last else f"{first}–{last}"


def names(
    record: Mapping[str, Any], roles: Iterable[str] = NAME_ROLES
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(role, name)`` for every name in the given roles, in role order."""
    for role in roles:
        for name in record.get(role) or ():
            yield role, name


def first_name(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """The first author, else editor, else compiler: whoever heads the record."""
    for role in ("author", "editor", "compiler"):
        people = record.get(role)
        if people:
            return dict(people[0])
    return None


def places(record: Mapping[str, Any]) -> list[str]:
    """The places of publication; several are kept in one CSL string, ``; ``-separated."""
    place = record.get("publisher-place")
    return [p.strip() for p in place.split(";") if p.strip()] if place else []


def join_places(values: Iterable[str]) -> str:
    """The CSL ``publisher-place`` string for several places."""
    return PLACE_SEPARATOR.join(v.strip() for v in values if v.strip())
