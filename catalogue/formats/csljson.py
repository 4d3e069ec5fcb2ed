"""CSL-JSON: the records as the official schema (csl-data.json) allows; reads Zotero, Crossref, DataCite.

Export leaves out what the schema forbids (``added``, ``modified``) and writes
``tags`` as CSL ``keyword``.  Import keeps the CSL fields socsopr knows, ignores
the rest (Crossref's ``reference``, ``funder`` …), and repairs common shapes:
lists where text is expected, numbers as text, ``[[null]]`` dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, exporter, importer
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
_TYPE_ALIASES = {
    "journal-article": "article-journal", "book-chapter": "chapter",
    "proceedings-article": "paper-conference",
    "posted-content": "article", "dissertation": "thesis", "monograph": "book", "edited-book": "book",
    "reference-book": "book", "book-section": "chapter", "report-series": "report", "journal": "periodical",
    "newspaperArticle": "article-newspaper", "magazineArticle": "article-magazine", "other": "document",
}


def csl_item(record: Record) -> dict[str, Any]:
    """One record as a schema-valid CSL-JSON item."""
    item = {k: v for k, v in record.items() if k in CSL_FIELDS}
    if record.get("tags"):
        own = [k.strip() for k in re.split(r"[,;]", str(item.get("keyword", ""))) if k.strip()]
        item["keyword"] = ", ".join(dict.fromkeys(own + list(record["tags"])))
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
        if not isinstance(item, dict):
            problems.append(f"{source}:{line}: item {i + 1} is not a JSON object")
            continue
        record = record_from_item(item)
        record[LINE_KEY] = line
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


def record_from_item(item: dict[str, Any]) -> Record:
    """A socsopr record from a CSL-JSON item of any origin; unknown fields are left out."""
    record: Record = {}
    for field, value in item.items():
        if field not in CSL_FIELDS or value in (None, "", [], {}):
            continue
        if field in CSL_NAME_FIELDS:
            people = _names(value)
            if people:
                record[field] = people
        elif field in CSL_DATE_FIELDS:
            date = _date(value)
            if date:
                record[field] = date
        elif field == "number-of-pages":
            pages = _text(value)
            if pages and pages.isdigit() and int(pages) > 0:
                record[field] = int(pages)
        elif field in ("categories", "custom"):
            if field == "categories" and isinstance(value, list):
                record[field] = [str(v) for v in value]
            elif field == "custom" and isinstance(value, dict):
                record[field] = value
        elif field in CSL_NUMBER_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
            record[field] = value
        else:
            text = _text(value, ", " if field in ("ISSN", "ISBN") else None)
            if text:
                record[field] = text
    rtype = str(item.get("type") or "")
    record["type"] = rtype if rtype in CSL_TYPES else _TYPE_ALIASES.get(rtype, "document")
    key = item.get("citation-key") or item.get("id")
    record.pop("citation-key", None)
    # An unusable key is kept as it is: the import replaces it and says so.
    record["id"] = str(key).strip() if isinstance(key, str | int) else ""
    keyword = record.pop("keyword", None)  # CSL keywords are the catalogue's tags
    if isinstance(keyword, str) and keyword.strip():
        tags = [t.strip() for t in re.split(r"[,;]", keyword) if t.strip()]
        record["tags"] = list(dict.fromkeys(tags))
    return record


def _text(value: Any, joiner: str | None = None) -> str:
    """Text from a value that may be a number or (as Crossref writes) a list of texts."""
    if isinstance(value, list):
        texts = [str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()]
        return (joiner.join(texts) if joiner else texts[0]) if texts else ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def _names(value: Any) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    for name in value if isinstance(value, list) else []:
        if not isinstance(name, dict):
            continue
        clean = {k: v for k, v in name.items() if k in _NAME_PARTS and isinstance(v, str) and v.strip()}
        if "family" not in clean and "literal" not in clean:
            organisation = name.get("name")
            literal = clean.pop("given", None) or (organisation if isinstance(organisation, str) else None)
            if not literal:
                continue
            clean = {"literal": literal}
        people.append(clean)
    return people


def _date(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return {"raw": value} if isinstance(value, str) and value.strip() else None
    date: dict[str, Any] = {}
    parts = []
    for part in value.get("date-parts") or []:
        if not isinstance(part, list):
            continue
        numbers = []
        for p in part[:3]:
            if isinstance(p, str) and p.strip().isdigit():
                p = int(p)
            if not isinstance(p, int) or isinstance(p, bool):
                break
            numbers.append(p)
        if len(numbers) >= 2 and not 1 <= numbers[1] <= 12:
            numbers = numbers[:1]
        if len(numbers) == 3 and not 1 <= numbers[2] <= 31:
            numbers = numbers[:2]
        if numbers:
            parts.append(numbers)
    if parts:
        date["date-parts"] = parts[:2]
    for key in ("season", "circa", "literal", "raw"):
        if value.get(key) not in (None, ""):
            date[key] = value[key]
    if "date-parts" not in date and not any(isinstance(date.get(k), str) for k in ("literal", "raw")):
        return None
    return date
