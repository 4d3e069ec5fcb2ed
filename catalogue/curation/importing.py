"""The import transaction: read files in any registered format, resolve duplicates, add all or nothing.

``import_texts`` reads every source, decides for each record whether it is new,
a duplicate (same key, compared case-insensitively, or the same work by
``duplicates.content_key``) or invalid, and then changes the catalogue in one
step that ``save`` makes one undoable history entry.  By default any invalid
record stops the whole import (``ParseError`` listing every ``file:line: reason``);
``skip_invalid`` imports the rest.

Every record is checked by ``catalogue.model.validation.validate`` (the rules ``check``
applies: types, key syntax, no control or bidi characters, bounded texts and
numbers) before anything else looks at it.  A source in which no record at all is
read is a ``ParseError`` of its own, whatever ``skip_invalid`` says: it is the
wrong file, not a file with a bad record.  An id that is not a citation key (a
Zotero item URI, ``bad key``) is dropped and a key made, with a line in ``renamed``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from catalogue.curation.on_duplicate import OnDuplicate
from catalogue.errors import FormatNotRecognised, ParseError
from catalogue.formats import LINE_KEY, WARNINGS_KEY, get_importer, import_formats
from catalogue.model.duplicates import ContentKey, content_key
from catalogue.model.keys import TakenKeys, base_key, unique_key
from catalogue.model.record import CATALOGUE_FIELDS, KEY_PATTERN, MAX_KEY_LENGTH, Record
from catalogue.model.validation import validate
from catalogue.store.history import Change
from catalogue.store.session import Catalogue

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do); every entry names ``file:line``."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    change: Change | None = None


# --- reading -------------------------------------------------------------------------

_EXTENSIONS = {"bib": "bibtex", "bibtex": "bibtex", "biblatex": "bibtex", "ris": "ris", "csljson": "csl-json"}
_BIB_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS_START = re.compile(r"^\s*TY {1,2}- ", re.MULTILINE)  # Zotero reads one space too
_NATIVE_MARKS = re.compile(r'"(added|modified|tags)"\s*:')
# ISO 2709 (MARC 21, UNIMARC): a record length of five digits, then a leader whose 10-11 are the
# indicator and subfield-code counts "22" and whose 20-21 say "45" (lengths of directory entries).
_ISO2709_START = re.compile(r"\A[\r\n\x00]*\d{5}[\s\S]{5}22\d{5}[\s\S]{3}45")
_MARCXML_NAMESPACE = "http://www.loc.gov/MARC21/slim"


def decode_bytes(data: bytes, source: str) -> str:
    """File contents as text: UTF-8 (a BOM is dropped); anything else is a ``ParseError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _ISO2709_START.match(data[:32].decode("latin-1")):
            # MARC-8 or Windows-1251 ISO 2709: the MARC reader takes the bytes back exactly
            return data.decode("utf-8", "surrogateescape")
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError([f"{source}:{line}: not UTF-8 text (save the file as UTF-8)"]) from None


def detect_format(source: str, text: str) -> str:
    """The import format of a file, by extension and then by content."""
    ext = PurePath(source).suffix.lower().lstrip(".")
    head = text.lstrip("\ufeff \t\r\n")[:1]
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if _ISO2709_START.match(text[:32]):
        return _iso2709_format(text)
    if ext == "xml" and _MARCXML_NAMESPACE in text[:4000]:
        return "marcxml"
    if ext == "json" or head in ("[", "{"):
        return "json" if _NATIVE_MARKS.search(text[:200_000]) else "csl-json"
    if _BIB_ENTRY.search(text):
        return "bibtex"
    if _RIS_START.search(text):
        return "ris"
    for info in import_formats():
        if ext and info.extension == ext:
            return info.name
    raise FormatNotRecognised(source, [f.name for f in import_formats()])


def _iso2709_format(text: str) -> str:
    """MARC 21 or UNIMARC, by the first record's directory: 245 (a title) or 200 (a UNIMARC title)."""
    start = len(text) - len(text.lstrip("\r\n\x00"))
    head = text[start:start + 6000].encode("utf-8", "surrogateescape")
    base = int(head[12:17]) if head[12:17].isdigit() else 0
    tags = {head[i:i + 3] for i in range(24, min(base, len(head)) - 12, 12)}
    return "unimarc" if b"200" in tags and b"245" not in tags else "marc"


def read_records(source: str, text: str, fmt: str = "auto") -> tuple[list[Record], list[str]]:
    """The records of one source and the problems that kept others out (``file:line: reason``).

    ``ParseError`` when no record at all could be read from the source (a text that is
    not a bibliography, an empty list, a file of broken entries), listing the problems found.
    """
    name = detect_format(source, text) if fmt == "auto" else fmt
    reader = get_importer(name)
    try:
        records, problems = reader(text, source), []
    except ParseError as exc:
        records, problems = exc.records, exc.problems
    if not records:
        raise ParseError([*problems, f"{source}:1: no records were found in {source} (read as {name})"])
    return records, problems


def usable_key(key: object) -> bool:
    """Whether an incoming id can stay the record's key: a citation key, not a URI."""
    return (
        isinstance(key, str) and len(key) <= MAX_KEY_LENGTH and KEY_PATTERN.match(key) is not None
        and "://" not in key
    )


# --- deciding ------------------------------------------------------------------------


@dataclass
class _Plan:
    adds: dict[str, Record] = field(default_factory=dict)  # lower-case key -> record
    updates: dict[str, Record] = field(default_factory=dict)  # existing key -> new record


def _comparable(record: Record) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("added", "modified")}


class _Importer:
    def __init__(self, catalogue: Catalogue, on_duplicate: OnDuplicate, report: ImportReport) -> None:
        self.cat = catalogue
        self.policy = on_duplicate
        self.report = report
        self.plan = _Plan()
        keys = catalogue.keys()
        self.existing = {key.lower(): key for key in keys}
        # Every key in use, in the catalogue or given in this import, kept up to date as
        # records are added so that finding a free key costs the same for the last record
        # as for the first.
        self.taken_keys = TakenKeys(self.existing)
        # Content keys are computed once per record (folding is the costly part of an import);
        # the records themselves are read one at a time and not kept.
        self.index: dict[ContentKey, list[str]] = defaultdict(list)
        for rec in catalogue.iter_records():
            self.index[content_key(rec)].append(rec["id"])
        self.batch_index: dict[ContentKey, list[str]] = defaultdict(list)

    def take(self, record: Record, where: str) -> None:
        """Decide what happens to one incoming record."""
        record = dict(record)
        given = record.get("id")
        if isinstance(given, str) and not given.isascii():  # a key typed decomposed (NFD) is the same key
            record["id"] = given = unicodedata.normalize("NFC", given)
        if usable_key(given):
            key = str(given)
            problems = validate(record)
        else:
            # Validated with a stand-in key first: a key is made from the fields, so they
            # must be known good before they are read.
            key = "(no key)" if given in (None, "") else repr(given)[:60]
            problems = validate({**record, "id": "stand-in"})
        if problems:
            self.report.invalid.extend(f"{where}: {key}: {p}" for p in problems)
            return
        if not usable_key(given):
            new_key = unique_key(base_key(record), self.taken_keys)
            if given not in (None, ""):
                what = "a URI" if isinstance(given, str) and "://" in given else "not a citation key"
                self.report.renamed.append(f"{where}: id {given!r} is {what}; imported as {new_key}")
            record["id"] = key = new_key
        folded = content_key(record)
        target, why = self.duplicate_of(record, folded)
        if target is None:
            self.add(record, folded)
            return
        current = self.known(target)
        if current is not None and _comparable(current) == _comparable({**record, "id": current["id"]}):
            known = "in the catalogue" if target.lower() in self.existing else "read earlier"
            self.report.skipped.append(f"{where}: {key}: identical to {current['id']} ({known})")
        elif self.policy is OnDuplicate.skip:
            self.report.skipped.append(f"{where}: {key}: {why}")
        elif self.policy is OnDuplicate.error:
            self.report.invalid.append(f"{where}: {key}: {why} (duplicates are errors in this import)")
        elif self.policy is OnDuplicate.keep_both:
            if key in self.taken_keys:
                record["id"] = unique_key(key, self.taken_keys)
                self.report.renamed.append(f"{where}: key {key!r} is taken; imported as {record['id']}")
            self.add(record, folded)
        else:
            self.update(target, record, where)

    def duplicate_of(self, record: Record, folded: ContentKey) -> tuple[str | None, str]:
        key = record["id"]
        low = key.lower()
        if low in self.existing:
            found = self.existing[low]
            return found, f"the catalogue has a record with this key ({found})"
        if low in self.plan.adds:
            return self.plan.adds[low]["id"], f"the key was already read as {self.plan.adds[low]['id']}"
        for keys, place in ((self.index.get(folded), "in the catalogue"),
                            (self.batch_index.get(folded), "earlier in the import")):
            if keys:
                return keys[0], f"looks like {keys[0]} {place} (same title, first name and year)"
        return None, ""

    def known(self, key: str) -> Record | None:
        """The record with this key in the catalogue, or read earlier in the import."""
        low = key.lower()
        return self.cat.get(self.existing[low]) if low in self.existing else self.plan.adds.get(low)

    def add(self, record: Record, folded: ContentKey) -> None:
        self.plan.adds[record["id"].lower()] = record
        self.taken_keys.add(record["id"])
        self.batch_index[folded].append(record["id"])

    def update(self, target: str, record: Record, where: str) -> None:
        low = target.lower()
        old = self.known(target)
        assert old is not None, "duplicate_of names only known records"
        merged = {**record, "id": old["id"]}
        for own in ("tags", "remarks"):  # the catalogue's own, which the import's format may not carry
            if own not in merged and old.get(own):
                merged[own] = old[own]
        if low in self.plan.adds:
            self.plan.adds[low] = merged
        else:
            self.plan.updates[old["id"]] = merged
        self.report.updated.append(f"{where}: {record['id']} -> {old['id']}")


def import_texts(
    catalogue: Catalogue,
    sources: Sequence[tuple[str, str]],
    *,
    fmt: str = "auto",
    on_duplicate: OnDuplicate | str = OnDuplicate.skip,
    skip_invalid: bool = False,
    dry_run: bool = False,
    command: str = "import",
    progress: Progress | None = None,
    strict: bool = False,
) -> ImportReport:
    """Import ``(source name, text)`` pairs into ``catalogue`` as one saved, undoable change.

    Raises ``ParseError`` listing every problem (and changes nothing) when a record
    is invalid and ``skip_invalid`` is false.  A dry run decides everything and saves nothing.
    ``strict``: a record the reader could not read whole (its warnings: a GOST line's parts
    that no field takes) is a problem, not a warning.
    """
    report = ImportReport(dry_run=dry_run)
    importer = _Importer(catalogue, OnDuplicate(on_duplicate), report)
    batches = []
    for source, text in sources:
        records, problems = read_records(source, text, fmt)
        report.invalid.extend(problems)
        batches.append((source, records))
    total = sum(len(records) for _source, records in batches)
    done = 0
    for source, records in batches:
        for record in records:
            line = record.pop(LINE_KEY, None)
            warnings = record.pop(WARNINGS_KEY, None) or ()
            done += 1
            if strict and warnings:
                report.invalid.extend(warnings)
                continue
            report.warnings.extend(warnings)
            for name in CATALOGUE_FIELDS - {"tags", "titles"}:  # (lists, checked by validation)
                if name in record and not isinstance(record[name], str):
                    record.pop(name)
            importer.take(record, f"{source}:{line}" if line else source)
            if progress is not None:
                progress(done, total)
    if report.invalid and not skip_invalid:
        raise ParseError(report.invalid)
    report.imported = [r["id"] for r in importer.plan.adds.values()]
    if dry_run:
        return report
    catalogue.add_many(importer.plan.adds.values(), already_validated=True)
    for key, record in importer.plan.updates.items():
        catalogue.update(key, record)
    report.change = catalogue.save(command)
    return report
