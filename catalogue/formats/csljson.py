"""CSL-JSON: the records as the official schema (csl-data.json) allows; reads Zotero, Crossref, DataCite.

Export leaves out what the schema forbids (``added``, ``modified``), writes
``tags`` as CSL ``keyword``, the key as ``id`` and ``citation-key`` (CSL 1.0.2;
Zotero's citationKey, pandoc's citation key), the language as a BCP 47 tag, and
the curator's ``remarks`` and the parallel ``titles`` in the ``custom`` object
(``{"remarks": …, "titles": […]}``), which no processor prints, never in ``note``.
Types and ``note`` lines are chosen so that Zotero keeps every person and page count
(``_zotero``). Import keeps the CSL fields socsopr knows, ignores the rest (Crossref's
``reference``, ``funder`` …), and repairs common shapes: lists of texts where one text is
expected, digits as text where a number is,
``[[null]]`` dates.  A value of the wrong kind (``"title": 5``, ``"author": true``,
``"type": []``, a name that is a bare string) is a problem of that item, never
turned into text; so is an item nested more than ``_values.MAX_NESTING`` deep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, WARNINGS_KEY, exporter, importer
from catalogue.formats._memo import memo_text
from catalogue.formats._values import MAX_DIGITS, MAX_NESTING, ValueProblem, shown, too_deep, whole_number
from catalogue.formats._zotero import ZOTERO_TYPE, note_lines, read_note_lines
from catalogue.model.languages import to_bcp47
from catalogue.model.record import (
    CSL_DATE_FIELDS,
    CSL_FIELDS,
    CSL_NAME_FIELDS,
    CSL_NUMBER_FIELDS,
    CSL_TYPES,
    Record,
)

_NAME_PARTS = (
    "family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix",
    "comma-suffix", "static-ordering", "parse-names",
)
# The catalogue's own fields csl-json keeps in ``custom`` (CSL 1.0.2's object for what the schema lacks),
# where no processor prints them: the curator's remarks, the parallel titles and the aliases (keys of
# records merged into this one).
_IN_CUSTOM = ("remarks", "titles", "aliases")
_IN_CUSTOM_SET = frozenset(_IN_CUSTOM)
# languages recur: each distinct value is looked up once per export
_bcp47 = memo_text(to_bcp47)
_TYPE_ALIASES = {
    "journal-article": "article-journal", "book-chapter": "chapter",
    "proceedings-article": "paper-conference",
    "posted-content": "article", "dissertation": "thesis", "monograph": "book", "edited-book": "book",
    "reference-book": "book", "book-section": "chapter", "report-series": "report", "journal": "periodical",
    "newspaperArticle": "article-newspaper", "magazineArticle": "article-magazine", "other": "document",
}


def csl_item(record: Record) -> dict[str, Any]:
    """One record as a schema-valid CSL-JSON item; Zotero imports it without losing a person or page count."""
    get = record.get
    item = dict(record)  # the keys' order is the writer's business: csl-json sorts them
    for name in item.keys() - CSL_FIELDS:
        del item[name]
    item["citation-key"] = record["id"]
    if get("tags"):
        own = [k.strip() for k in re.split(r"[,;]", str(item.get("keyword", ""))) if k.strip()]
        item["keyword"] = ", ".join(dict.fromkeys(own + list(record["tags"])))
    language = item.get("language")
    if isinstance(language, str):
        item["language"] = _bcp47(language) or language
    rtype = get("type")
    item["type"] = ZOTERO_TYPE.get(str(rtype), rtype)
    lines = note_lines(record, item["type"])
    if lines:
        item["note"] = "\n".join([*lines, *([record["note"]] if get("note") else [])])
    if _IN_CUSTOM_SET.isdisjoint(record):
        return item
    kept = {name: record[name] for name in _IN_CUSTOM if get(name)}
    if kept:
        custom = record.get("custom")
        item["custom"] = {**(custom if isinstance(custom, dict) else {}), **kept}
    return item


@exporter("csl-json", description="CSL-JSON array (pandoc, Zotero, citeproc); valid against the schema",
          extension="json")
def export_csl_json(records: Iterable[Record]) -> str:
    from catalogue.formats.native import dump_array

    return dump_array(csl_item(r) for r in records)


@importer("csl-json", description="CSL-JSON from pandoc, Zotero, Crossref or DataCite", extension="json")
def import_csl_json(text: str, source: str) -> list[Record]:
    from catalogue.formats.native import parse_json

    data = parse_json(text, source)
    if isinstance(data, dict):
        data = data.get("items", [data]) if "items" in data and isinstance(data["items"], list) else [data]
    if not isinstance(data, list):
        raise ParseError([f"{source}:1: expected a CSL-JSON array of items"])
    lines = item_lines(text)
    records: list[Record] = []
    problems: list[str] = []
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else 1
        where = f"{source}:{line}: item {i + 1}"
        if not isinstance(item, dict):
            problems.append(f"{where} is not a JSON object")
            continue
        if too_deep(item):
            problems.append(f"{where} nests lists and objects more than {MAX_NESTING} deep")
            continue
        notes: list[str] = []
        try:
            record = record_from_item(item, notes)
        except ValueProblem as exc:
            problems.append(f"{where}: {exc}")
            continue
        record[LINE_KEY] = line
        if notes:
            record[WARNINGS_KEY] = [f"{where}: {note}" for note in notes]
        records.append(record)
    if problems:
        raise ParseError(problems, records)
    return records


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def item_lines(text: str) -> list[int]:
    """The line on which each top-level item of a JSON array starts."""
    lines: list[int] = []
    depth, line, last = 0, 1, 0
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token[0] == '"':
            continue
        if token in "[{":
            depth += 1
            if depth == 2 or (depth == 1 and token == "{" and not lines):
                line += text.count("\n", last, m.start())
                last = m.start()
                lines.append(line)
        else:
            depth -= 1
    return lines


def record_from_item(item: dict[str, Any], warnings: list[str] | None = None) -> Record:
    """A socsopr record from a CSL-JSON item of any origin; unknown fields are left out.

    ``ValueProblem`` names the first value of the wrong kind; what is only repaired
    or left out is appended to ``warnings``.
    """
    warnings = [] if warnings is None else warnings
    record: Record = {}
    for field, value in item.items():
        if field not in CSL_FIELDS or field in ("id", "type") or value in (None, "", [], {}):
            continue
        if field in CSL_NAME_FIELDS:
            record[field] = _names(field, value)
        elif field in CSL_DATE_FIELDS:
            date = _date(field, value)
            if date:
                record[field] = date
        elif field == "number-of-pages":
            pages = value if isinstance(value, int) and not isinstance(value, bool) else (
                whole_number(value) if isinstance(value, str) else None)
            if pages is None or not 1 <= pages < 10**MAX_DIGITS:
                raise ValueProblem(f"number-of-pages {shown(value)} is not a positive whole number")
            record[field] = pages
        elif field == "categories":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueProblem(f"categories {shown(value)} is not a list of texts")
            record[field] = value
        elif field == "custom":
            if not isinstance(value, dict):
                raise ValueProblem(f"custom {shown(value)} is not an object")
            record[field] = value
        elif field in CSL_NUMBER_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
            record[field] = value
        else:
            text = _text(field, value, ", " if field in ("ISSN", "ISBN") else None)
            if text:
                record[field] = text
    rtype = item.get("type")
    if rtype is not None and not isinstance(rtype, str):
        raise ValueProblem(f"type {shown(rtype)} is not text")
    rtype = (rtype or "").strip()
    record["type"] = rtype if rtype in CSL_TYPES else _TYPE_ALIASES.get(rtype, "document")
    if rtype and record["type"] != rtype and rtype not in _TYPE_ALIASES:
        warnings.append(f"type {shown(rtype)} is not a CSL type; imported as document")
    key = item.get("citation-key") or item.get("id")
    record.pop("citation-key", None)
    # An unusable key is kept as it is: the import replaces it and says so.
    record["id"] = str(key).strip() if isinstance(key, str) or _is_int(key) else ""
    if key not in (None, "") and not record["id"]:
        warnings.append(f"id {shown(key)} is not text; a key is made instead")
    _read_custom(record)
    read_note_lines(record)  # Zotero's "type: …", "compiler: …" lines, ours or Zotero's own
    language = record.get("language")
    if isinstance(language, str):
        tag = to_bcp47(language)
        if tag:
            record["language"] = tag
        else:
            warnings.append(f"language {shown(language)} is not a language code or name; kept as it is")
    keyword = record.pop("keyword", None)  # CSL keywords are the catalogue's tags
    if isinstance(keyword, str) and keyword.strip():
        tags = [t.strip() for t in re.split(r"[,;]", keyword) if t.strip()]
        record["tags"] = list(dict.fromkeys(tags))
    return record


def _read_custom(record: Record) -> None:
    """The curator's remarks and the parallel titles back out of ``custom`` (titles only when valid:
    another program's ``custom.titles`` may mean something else); what else it holds stays there."""
    custom = record.get("custom")
    if not isinstance(custom, dict):
        return
    from catalogue.model.validation import validate_field

    own = {name: custom[name] for name in _IN_CUSTOM
           if name in custom and not validate_field(name, custom[name])}
    if not own:
        return
    rest = {k: v for k, v in custom.items() if k not in own}
    record.update({k: v for k, v in own.items() if not isinstance(v, str) or v.strip()})
    if rest:
        record["custom"] = rest
    else:
        del record["custom"]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(field: str, value: Any, joiner: str | None = None) -> str:
    """Text from text, a number in a number field, or (as Crossref writes) a list of texts."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        texts = [v.strip() for v in value if v.strip()]
        return (joiner.join(texts) if joiner else texts[0]) if texts else ""
    kind = "a list" if isinstance(value, list) else type(value).__name__
    raise ValueProblem(f"{field} must be text, not {kind} {shown(value)}")


_TEXT_PARTS = ("family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix")


def _names(field: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueProblem(f"{field} {shown(value)} is not a list of names")
    people: list[dict[str, Any]] = []
    for i, name in enumerate(value, 1):
        where = f"{field} #{i}"
        if not isinstance(name, dict):
            raise ValueProblem(f"{where} {shown(name)} is not a name object (family, given or literal)")
        for part in _TEXT_PARTS:
            if name.get(part) is not None and not isinstance(name[part], str):
                raise ValueProblem(f"{where}: {part} {shown(name[part])} is not text")
        clean = {k: v for k, v in name.items() if k in _NAME_PARTS and isinstance(v, str) and v.strip()}
        if "family" not in clean and "literal" not in clean:
            organisation = name.get("name")
            literal = clean.pop("given", None) or (organisation if isinstance(organisation, str) else None)
            if not literal or not literal.strip():
                raise ValueProblem(f"{where} has no family name or literal")
            clean = {"literal": literal}
        people.append(clean)
    return people


def _date(field: str, value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        return {"raw": value} if value.strip() else None
    if not isinstance(value, dict):
        raise ValueProblem(f"{field} {shown(value)} is not a date object")
    date: dict[str, Any] = {}
    raw_parts = value.get("date-parts")
    if raw_parts is not None and not isinstance(raw_parts, list):
        raise ValueProblem(f"{field} date-parts {shown(raw_parts)} is not a list of dates")
    parts = []
    for part in raw_parts or []:
        if part in (None, [None], [], [""]):
            continue  # "[[null]]": a date that is not there
        read = [_date_number(p) for p in part[:3]] if isinstance(part, list) else [None]
        numbers = [n for n in read if n is not None]
        if len(numbers) < len(read):
            raise ValueProblem(f"{field} date {shown(part)} is not [year], [year, month] or [y, m, d]")
        if len(numbers) >= 2 and not 1 <= numbers[1] <= 12:
            numbers = numbers[:1]
        if len(numbers) == 3 and not 1 <= numbers[2] <= 31:
            numbers = numbers[:2]
        parts.append(numbers)
    if parts:
        date["date-parts"] = parts[:2]
    for key in ("season", "circa", "literal", "raw"):
        if value.get(key) not in (None, ""):
            date[key] = value[key]
    if "date-parts" not in date and not any(isinstance(date.get(k), str) for k in ("literal", "raw")):
        return None
    return date


def _date_number(value: Any) -> int | None:
    """A year, month or day: a whole number of at most four digits (a sign allowed for a year)."""
    if isinstance(value, str):
        text = value.strip()
        number = whole_number(text.lstrip("-"))
        if number is None:
            return None
        value = -number if text.startswith("-") else number
    if not _is_int(value) or abs(value) > 9999:
        return None
    return int(value)
