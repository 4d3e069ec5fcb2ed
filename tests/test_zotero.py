"""Zotero, EndNote, Mendeley: our CSL-JSON and RIS read by readers other than our own (#12).

- RIS through ``rispy`` (a third-party parser of the RIS specification);
- CSL-JSON through pandoc's reader (``pandoc -f csljson -t csljson``: the system pandoc and the one
  the pypandoc_binary wheel bundles) and through the official schema (``jsonschema``);
- CSL-JSON through Zotero's importer, as its own mapping says it imports (facts of zotero-schema
  ``schema.json`` and zotero/utilities ``itemFromCSLJSON``, written out below): every person and
  every page count must reach the Zotero item.

Over the shipped catalogue and tests/data/mixed-catalogue.json: every person, title, place,
publisher, year, page count and key must survive.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from catalogue.formats import export
from catalogue.model.record import year_range
from tests.conftest import shared_path
from tests.test_formats_roundtrip import catalogue_records

CATALOGUES = ("shipped", "mixed")
ROLES = ("author", "editor", "compiler", "translator")


def _person(name: dict[str, Any]) -> str:
    """A name as RIS and Zotero's note lines write it (particles joined to family and given)."""
    if "literal" in name:
        return str(name["literal"])
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    return ", ".join(p for p in (family, given, name.get("suffix")) if p)


def _people(record: dict[str, Any]) -> list[str]:
    return sorted(_person(n) for role in ROLES for n in record.get(role) or ())


# --- RIS through rispy ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CATALOGUES)
def test_rispy_reads_every_person_title_place_publisher_year_page_count_and_key(name: str) -> None:
    rispy = pytest.importorskip("rispy")
    records = catalogue_records(name)
    text = export(records, "ris")
    entries = {e["label"]: e for e in rispy.loads(text)}
    assert set(entries) == {r["id"] for r in records}
    for record in records:
        entry = entries[record["id"]]
        if re.fullmatch(r"[A-Za-z0-9]{1,20}", record["id"]):  # RIS IDs: ASCII letters and digits
            assert entry["id"] == record["id"]
        assert entry["title"] == " ".join(record["title"].split())
        people = entry.get("authors", []) + entry.get("subsidiary_authors", []) + entry.get("unknown_tag", {}).get("ED", [])
        assert sorted(people) == _people(record), record["id"]
        assert entry.get("place_published") == record.get("publisher-place")
        assert entry.get("publisher") == record.get("publisher")
        span = year_range(record)
        assert entry.get("year") == (str(span[0]) if span else None)
        if "number-of-pages" in record and "page" not in record:
            assert entry["start_page"] == str(record["number-of-pages"]) and "end_page" not in entry


# --- CSL-JSON through pandoc and the schema ---------------------------------------------------


def _bundled_pandoc() -> str:
    return str(importlib.resources.files("pypandoc") / "files" / "pandoc")


def _straight(text: str) -> str:
    return text.replace("’", "'").replace("“", '"').replace("”", '"')


def _check_pandoc_items(pandoc: str, records: list[dict[str, Any]], tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_text(export(records, "csl-json"), encoding="utf-8")
    done = subprocess.run([pandoc, "-f", "csljson", "-t", "csljson", str(source)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    items = {i["id"]: i for i in json.loads(done.stdout)}
    assert set(items) == {r["id"] for r in records}
    for record in records:
        item = items[record["id"]]
        assert item.get("citation-key", record["id"]) == record["id"]
        assert _straight(item["title"]) == _straight(record["title"])  # pandoc makes quotes typographic
        # pandoc's CSL-JSON writer cannot write `compiler` (2.17 predates CSL 1.0.2; 3.9 writes "");
        # its citeproc reads it, and the note line (test_pandoc_citeproc_prints_every_person).
        people = {_person(n) for role in ROLES if role != "compiler" for n in item.get(role) or ()}
        expected = {_person(n) for role in ROLES if role != "compiler" for n in record.get(role) or ()}
        assert {p.replace("’", "'") for p in people} == expected, record["id"]
        assert item.get("publisher-place") == record.get("publisher-place")
        assert item.get("publisher") == record.get("publisher")
        if year_range(record) and "date-parts" in record["issued"]:
            assert item["issued"]["date-parts"][0][0] == year_range(record)[0]
        pages = item.get("number-of-pages")
        assert (int(pages) if pages is not None else None) == record.get("number-of-pages")


@pytest.mark.tools("pandoc")
@pytest.mark.parametrize("name", CATALOGUES)
def test_system_pandoc_reads_every_person_title_place_publisher_year_page_count_and_key(
        name: str, tmp_path: Path) -> None:
    _check_pandoc_items("pandoc", catalogue_records(name), tmp_path)


@pytest.mark.parametrize("name", CATALOGUES)
def test_bundled_pandoc_reads_every_person_title_place_publisher_year_page_count_and_key(
        name: str, tmp_path: Path) -> None:
    _check_pandoc_items(_bundled_pandoc(), catalogue_records(name), tmp_path)  # a dependency: never skips


# Prints each record's key, every person of the four roles and the note, nothing else.
_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>people</title><id>people</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="citation-key"/></layout></citation>
  <bibliography><layout>
    <text variable="citation-key" suffix=" |"/>
    <names variable="author editor compiler translator" prefix=" "><name delimiter=" | "/></names>
    <text variable="note" prefix=" NOTE="/>
  </layout></bibliography>
</style>
"""


@pytest.mark.tools("pandoc")
@pytest.mark.parametrize("name", CATALOGUES)
def test_system_pandoc_citeproc_prints_every_person_and_no_note_line(name: str, tmp_path: Path) -> None:
    _check_citeproc_people("pandoc", name, tmp_path)


@pytest.mark.parametrize("name", CATALOGUES)
def test_bundled_pandoc_citeproc_prints_every_person_and_no_note_line(name: str, tmp_path: Path) -> None:
    _check_citeproc_people(_bundled_pandoc(), name, tmp_path)


def _check_citeproc_people(program: str, name: str, tmp_path: Path) -> None:
    """Compilers included; Zotero's note lines ("type: pamphlet", "compiler: …") are read, not printed."""
    records = catalogue_records(name)
    (tmp_path / "refs.json").write_text(export(records, "csl-json"), encoding="utf-8")
    (tmp_path / "people.csl").write_text(_STYLE, encoding="utf-8")
    (tmp_path / "doc.md").write_text('---\nbibliography: refs.json\ncsl: people.csl\nnocite: "@*"\n---\n',
                                     encoding="utf-8")
    done = subprocess.run([program, "--citeproc", "-t", "plain", "--wrap=none", "doc.md"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    entries = {line.split(" |", 1)[0]: line for line in done.stdout.split("\n\n") if " |" in line}
    for record in records:
        line = entries[record["id"]].replace("’", "'")
        for person in _people(record):
            assert person.split(",")[0] in line, (record["id"], person)
        assert "type: " not in line and "compiler: " not in line and "number-of-pages: " not in line


@pytest.mark.parametrize("name", CATALOGUES)
def test_export_is_valid_csl_json(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_path("schema", "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(export(catalogue_records(name), "csl-json")), schema)


# --- CSL-JSON through Zotero's importer, as its mapping says -----------------------------------
# Facts of zotero-schema schema.json (commit 5eedf44, 2026-01-20): csl.types (CSL type -> first Zotero
# item type), csl.names (Zotero creator type -> CSL variable; none is `compiler`), the item types
# with a numPages field. itemFromCSLJSON: an unlisted CSL type becomes "document"; a name variable
# Zotero maps but the item type lacks becomes the primary creator (kept); `note` becomes Extra.

ZOTERO_CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
    "chapter", "dataset", "document", "entry-dictionary", "entry-encyclopedia", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture", "paper-conference",
    "patent", "personal_communication", "post", "post-weblog", "report", "software", "song", "speech",
    "standard", "thesis", "webpage",
}
ZOTERO_NAME_VARIABLES = {
    "author", "container-author", "chair", "performer", "composer", "contributor", "director", "editor",
    "executive-producer", "guest", "host", "interviewer", "narrator", "original-author", "organizer",
    "producer", "recipient", "reviewed-author", "series-creator", "collection-editor", "script-writer",
    "translator",
}
ZOTERO_PAGE_COUNT_TYPES = {"book", "manuscript", "standard", "thesis"}  # Zotero: book, manuscript, standard, thesis


def zotero_import(item: dict[str, Any]) -> dict[str, Any]:
    """What of a CSL item Zotero keeps: its CSL type, the persons, the page count, the key, Extra."""
    kept_type = item["type"] if item["type"] in ZOTERO_CSL_TYPES else "document"
    people = [_person(n) for var in ZOTERO_NAME_VARIABLES for n in item.get(var) or ()]
    extra = str(item.get("note", ""))
    pages = item.get("number-of-pages") if kept_type in ZOTERO_PAGE_COUNT_TYPES else None
    return {"type": kept_type, "people": people, "pages": pages, "key": item.get("citation-key"), "extra": extra}


def _extra_fields(extra: str) -> dict[str, list[str]]:
    """The leading ``variable: value`` lines of Extra, as Zotero's citeproc-js reads them."""
    fields: dict[str, list[str]] = {}
    for line in extra.split("\n"):
        variable, colon, value = line.partition(": ")
        if not colon or not variable.replace("-", "").isalpha() or not variable.islower():
            break
        fields.setdefault(variable, []).append(value)
    return fields


@pytest.mark.parametrize("name", CATALOGUES)
def test_zotero_keeps_every_person_page_count_type_and_key(name: str) -> None:
    records = catalogue_records(name)
    items = {i["id"]: i for i in json.loads(export(records, "csl-json"))}
    for record in records:
        zotero = zotero_import(items[record["id"]])
        extra = _extra_fields(zotero["extra"])
        assert zotero["key"] == record["id"]
        assert zotero["type"] != "document" or record["type"] == "document", record["id"]
        from_extra = [", ".join(p for p in v.split(" || ") if p) for role in ROLES for v in extra.get(role, [])]
        assert sorted(zotero["people"] + from_extra) == _people(record), record["id"]
        pages = zotero["pages"] or (int(extra["number-of-pages"][0]) if "number-of-pages" in extra else None)
        assert pages == record.get("number-of-pages"), record["id"]
        cited_type = extra.get("type", [zotero["type"]])[0]  # citeproc-js reads "type:" from Extra
        assert cited_type == record["type"], record["id"]
