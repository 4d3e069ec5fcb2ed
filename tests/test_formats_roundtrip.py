"""Round trips: export -> import -> export -> import, in every format, over the shipped catalogue and
``tests/data/mixed-catalogue.json`` (every type, role and field socsopr has; see tests/data/README.md).

Two promises per format:

- a fixed point: the second export is byte-identical to the first, the second import equal to the first;
- what survives the first import is declared, cell by cell, in ``TABLE`` (rows: fields and roles;
  columns: formats). ``✓`` every record keeps it exactly; ``✓ (remark)`` kept once both sides are
  normalised as the remark says (and not kept exactly, or the remark would be stale); ``—`` no
  record keeps it; any other text: some records keep it, some do not. csv/tsv and gost are read
  by people, not by socsopr: their cells say whether the value is written into the record's row or
  line (the remark says in which form). The README's table "What each format keeps" is rendered
  from ``TABLE`` (``test_readme_table_is_the_tested_one``; print it with
  ``python tests/test_formats_roundtrip.py``).

A cell a bug of the format's code keeps from ``✓`` is in ``KNOWN_BUGS``: its test asserts ``✓`` and is
an expected failure (strict: once the bug is fixed the test fails until the marker and the cell go).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.formats import LINE_KEY, WARNINGS_KEY, export, get_importer
from catalogue.model.names import display_name
from catalogue.model.record import NAME_ROLES, places, year_text
from catalogue.model.validation import validate

ROOT = Path(__file__).resolve().parent.parent
MIXED = ROOT / "tests" / "data" / "mixed-catalogue.json"
SHIPPED = ROOT / "catalogue" / "data" / "socsopr.json"
FORMATS = ("bibtex", "biblatex", "csl-json", "ris", "json")
ROUND_TRIPS = ("json", "csl-json", "biblatex", "bibtex", "ris")
COLUMNS = ("json", "csl-json", "biblatex", "bibtex", "ris", "csv/tsv", "gost")
CATALOGUES = ("mixed", "shipped")


def reimport(text: str, fmt: str) -> list[dict]:
    records = get_importer(fmt)(text, f"test.{fmt}")
    for record in records:
        record.pop(LINE_KEY, None)
        record.pop(WARNINGS_KEY, None)
    catalogue = Catalogue.in_memory(records, clock=lambda: "2026-01-01T00:00:00Z")
    return catalogue.records()


@cache
def _catalogue_text(name: str) -> str:
    if name == "mixed":
        return MIXED.read_text(encoding="utf-8")
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return json.dumps(sorted(data["records"].values(), key=lambda r: r["id"]), ensure_ascii=False)


def catalogue_records(name: str) -> list[dict]:
    """A fresh copy of a test catalogue's records, sorted by key (as a catalogue lists them)."""
    return json.loads(_catalogue_text(name))


@cache
def _trip(fmt: str, name: str) -> tuple[str, str, str, str]:
    """(export 1, import 1, export 2, import 2) as JSON/text; records by key."""
    first = export(catalogue_records(name), fmt)
    back = reimport(first, fmt)
    second = export(back, fmt)
    again = reimport(second, fmt)
    return first, json.dumps(back, ensure_ascii=False), second, json.dumps(again, ensure_ascii=False)


def first_import(fmt: str, name: str) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads(_trip(fmt, name)[1])}


# --- the rows of the table: what is compared -------------------------------------------------


def _people(role: str) -> Callable[[dict], Any]:
    """The persons (not organisations) of a role, each as its words: who is there, whatever the parts."""
    def extract(record: dict) -> Any:
        people = [n for n in record.get(role) or () if "literal" not in n]
        return [sorted(" ".join(str(v) for k, v in n.items() if k in _NAME_TEXT).split()) for n in people] or None
    return extract


_NAME_TEXT = ("family", "given", "non-dropping-particle", "dropping-particle", "suffix")


def _organisations(record: dict) -> Any:
    found = [(role, n["literal"]) for role in NAME_ROLES for n in record.get(role) or () if "literal" in n]
    return found or None


def _name_parts(record: dict) -> Any:
    """Names with particles or a suffix, exactly as the parts are given (with their role and place)."""
    found = [(role, i, n) for role in NAME_ROLES for i, n in enumerate(record.get(role) or ())
             if {"non-dropping-particle", "dropping-particle", "suffix"} & set(n)]
    return found or None


def _same_names(before: Any, back: dict) -> Any:
    """The names of ``back`` in the roles and places ``before`` names."""
    people = {role: back.get(role) or [] for role in NAME_ROLES}
    return [(role, i, people[role][i] if i < len(people[role]) else None) for role, i, _ in before]


def _issued(shape: str) -> Callable[[dict], Any]:
    def extract(record: dict) -> Any:
        issued = record.get("issued")
        if not isinstance(issued, dict):
            return None
        parts = issued.get("date-parts") or []
        kind = ("open" if not parts or parts[1:] == [[0]] else "range" if len(parts) == 2
                else "year" if len(parts[0]) == 1 else "date")
        return issued if kind == shape else None
    return extract


def _fields(*names: str) -> Callable[[dict], Any]:
    def extract(record: dict) -> Any:
        values = tuple(record.get(n) for n in names)
        return None if all(v is None for v in values) else (values[0] if len(names) == 1 else values)
    return extract


class Row(NamedTuple):
    name: str
    extract: Callable[[dict], Any]
    # the value after the round trip, given the value before and the record after (default: extract)
    counterpart: Callable[[Any, dict], Any] | None = None


ROWS = (
    Row("key", _fields("id")),
    Row("type", _fields("type")),
    Row("author (persons)", _people("author")),
    Row("editor", _people("editor")),
    Row("compiler", _people("compiler")),
    Row("translator", _people("translator")),
    Row("organisation names (literal)", _organisations),
    Row("name particles, suffix", _name_parts, _same_names),
    Row("title", _fields("title")),
    Row("title-short", _fields("title-short")),
    Row("original-title", _fields("original-title")),
    Row("container-title", _fields("container-title")),
    Row("collection-title", _fields("collection-title")),
    Row("collection-number", _fields("collection-number")),
    Row("volume", _fields("volume")),
    Row("number-of-volumes", _fields("number-of-volumes")),
    Row("issue", _fields("issue")),
    Row("number (report, patent)", _fields("number")),
    Row("page", _fields("page")),
    Row("number-of-pages", _fields("number-of-pages")),
    Row("edition", _fields("edition")),
    Row("publisher", _fields("publisher")),
    Row("publisher-place (several)", _fields("publisher-place")),
    Row("issued: year", _issued("year")),
    Row("issued: month, day", _issued("date")),
    Row("issued: range 1998–2007", _issued("range")),
    Row("issued: open range 2007–", _issued("open")),
    Row("accessed", _fields("accessed")),
    Row("URL", _fields("URL")),
    Row("DOI", _fields("DOI")),
    Row("ISBN", _fields("ISBN")),
    Row("ISSN", _fields("ISSN")),
    Row("language", _fields("language")),
    Row("genre", _fields("genre")),
    Row("note (public)", _fields("note")),
    Row("remarks (curator's)", _fields("remarks")),
    Row("tags", _fields("tags")),
    Row("abstract", _fields("abstract")),
    Row("added, modified", _fields("added", "modified")),
    Row("version, scale, source", _fields("version", "scale", "source")),
)
ROW = {row.name: row for row in ROWS}


# --- normalisations named by the remarks ----------------------------------------------------


def _open_range(value: Any) -> Any:
    """An open range as printed: the literal '2007–' and date-parts [[2007], [0]] are one range."""
    return value["literal"].strip() if "literal" in value else year_text({"issued": value})


def _as_text(value: Any) -> Any:
    return str(value)


def _hyphens(value: Any) -> Any:
    return str(value).replace("–", "-")


def _primary_language(value: Any) -> Any:
    return str(value).split("-")[0].lower()


def _one_line(value: Any) -> Any:
    return " ".join(str(value).split())


def _ris_type(value: Any) -> Any:
    return "document" if value == "article" else value


def _dropping_in_given(value: Any) -> Any:
    """biblatex writes a dropping particle after the given name (``Bülow, Friedrich von``)."""
    out = []
    for role, i, name in value:
        name = dict(name or {})
        if "dropping-particle" in name:
            name["given"] = f"{name.get('given', '')} {name.pop('dropping-particle')}".strip()
        out.append((role, i, name))
    return out


def _words_of_names(value: Any) -> Any:
    """RIS has no name parts but family, given, suffix: the particles join one of them."""
    return [(role, i, sorted(" ".join(str(v) for k, v in (name or {}).items() if k in _NAME_TEXT).split()))
            for role, i, name in value]


def _year_only(value: Any) -> Any:
    return [d[:1] for d in value.get("date-parts", [])]


class Cell(NamedTuple):
    """What a format does to a row: the README's mark and, for ``✓ (…)``, the normalisation it names."""

    mark: str
    normalise: Callable[[Any], Any] | None = None


K = Cell("✓")
L = Cell("—")


def _table() -> dict[str, dict[str, Cell]]:
    same = dict.fromkeys(COLUMNS, K)
    table: dict[str, dict[str, Cell]] = {row.name: dict(same) for row in ROWS}

    def set_(row: str, **cells: Cell) -> None:
        for column, cell in cells.items():
            table[row][column.replace("_", "-").replace("csv-tsv", "csv/tsv")] = cell

    bib = {"biblatex": K, "bibtex": K}
    text = Cell("✓ (as text)", _as_text)
    # csl-json: the schema has no catalogue fields but tags (as keyword) and remarks (custom)
    set_("added, modified", csl_json=Cell("— (stamped on import)"), biblatex=L, bibtex=L, ris=L,
         csv_tsv=L, gost=L)
    set_("remarks (curator's)", biblatex=Cell("— (never exported)"), bibtex=Cell("— (never exported)"), ris=Cell("— (never exported)"),
         csv_tsv=L, gost=L)
    # biblatex and BibTeX
    for fmt in bib:
        set_("version, scale, source", **{fmt: Cell("version")})
        set_("name particles, suffix", **{fmt: Cell("✓ (dropping particle after given)", _dropping_in_given)})
        for row in ("volume", "issue", "edition", "collection-number", "number-of-volumes"):
            set_(row, **{fmt: text})
        set_("page", **{fmt: Cell("✓ (– as -)", _hyphens)})
        set_("abstract", **{fmt: Cell("✓ (one line)", _one_line)})
    set_("language", bibtex=Cell("✓ (no region: en-GB → en)", _primary_language))
    # (open ranges: the model's [[2007, 10], [0]]; biblatex writes 2007-10/, BibTeX year = {2007–})
    # BIBLATEX_CANNOT_HOLD (a part's page count, an article's publisher and edition) is no cell:
    # no part of the test catalogues has them, and the README says it under the table
    # RIS
    set_("type", ris=Cell("✓ (article → document)", _ris_type))
    set_("page", ris=Cell("✓ (– as -)", _hyphens))
    set_("name particles, suffix", ris=Cell("✓ (particles join the name)", _words_of_names))
    for row in ("original-title", "collection-number", "number (report, patent)", "version, scale, source"):
        set_(row, ris=L)
    set_("volume", ris=text)
    set_("abstract", ris=Cell("✓ (one line)", _one_line))
    # csv/tsv: the columns key, type, names, title, year, place, publisher, pages, language, tags
    for row in ROWS:
        if row.name not in ("key", "type", "author (persons)", "editor", "compiler", "translator",
                            "organisation names (literal)", "title", "publisher", "publisher-place (several)",
                            "number-of-pages", "language", "tags") and not row.name.startswith("issued"):
            set_(row.name, csv_tsv=L)
    for row in ("author (persons)", "editor", "compiler", "translator"):
        set_(row, csv_tsv=Cell("✓ (initials; role marked)"))
    set_("name particles, suffix", csv_tsv=Cell("van der, de (no von, Jr.)"))
    set_("issued: month, day", csv_tsv=Cell("✓ (year only)"))
    set_("issued: open range 2007–", csv_tsv=Cell("✓ (2007–)"))
    # gost: what the English-form description (``-f gost``) writes
    for row in ("key", "type", "original-title", "number-of-volumes", "number (report, patent)", "ISSN",
                "note (public)", "tags", "abstract", "version, scale, source"):
        set_(row, gost=L)
    set_("title", gost=Cell("subtitle after ' : '"))
    set_("title-short", gost=Cell("within the title"))
    set_("genre", gost=Cell("other title information"))
    set_("container-title", gost=Cell("parts: after //"))
    set_("collection-title", gost=Cell("series, in ( )"))
    set_("collection-number", gost=Cell("series number"))
    set_("volume", gost=Cell("Т. / Vol."))
    set_("issue", gost=Cell("✓ (№ / No.)"))
    set_("page", gost=Cell("parts: pages, – for -"))
    set_("issued: open range 2007–", gost=Cell("✓"))
    set_("accessed", gost=Cell("✓ (date of access)"))
    set_("URL", gost=Cell("✓"))
    set_("DOI", gost=Cell("electronic resources"))
    set_("ISBN", gost=Cell("monographs"))
    set_("language", gost=Cell("the forms (М., с. / p.)"))
    for row in ("author (persons)", "editor", "compiler", "translator"):
        set_(row, gost=Cell("✓ (initials)"))
    set_("name particles, suffix", gost=Cell("van der, de (no von, Jr.)"))
    set_("edition", gost=Cell("text as is; 3 → 3rd ed."))
    set_("publisher-place (several)", gost=Cell("Москва → Moscow"))
    set_("issued: month, day", gost=Cell("✓ (year only)"))
    return table


TABLE = _table()
# Cells a bug keeps from ✓ (the format's module is not this test's to fix): row -> format -> bug.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# --- the round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_shipped_catalogue_round_trips(shipped: Catalogue, fmt: str) -> None:
    text = export(shipped.records(), fmt)
    assert export(reimport(text, fmt), fmt) == text


_FIXED_POINT_BUGS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("name", CATALOGUES)
@pytest.mark.parametrize("fmt", ROUND_TRIPS)
def test_round_trip_is_a_fixed_point(fmt: str, name: str) -> None:
    """export → import → export → import: the two exports are byte-identical, the two imports equal."""
    if (fmt, name) in _FIXED_POINT_BUGS:
        pytest.xfail(_FIXED_POINT_BUGS[(fmt, name)])
    first, back, second, again = _trip(fmt, name)
    assert second == first
    assert again == back
    assert sorted(first_import(fmt, name)) == sorted(r["id"] for r in catalogue_records(name))


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bib_fixed_point_without_the_open_range(fmt: str) -> None:
    """The .bib fixed point over the mixed catalogue holds for every record but the open range."""
    records = [r for r in catalogue_records("mixed") if _issued("open")(r) is None]
    text = export(records, fmt)
    back = reimport(text, fmt)
    assert export(back, fmt) == text
    assert reimport(export(back, fmt), fmt) == back


def test_json_round_trip_keeps_everything(shipped: Catalogue) -> None:
    records = get_importer("json")(export(shipped.records(), "json"), "x.json")
    assert [r.pop(LINE_KEY) for r in records][:2] == [2, 23]  # the line each record starts on
    assert records == shipped.records()
    assert first_import("json", "mixed") == {r["id"]: r for r in catalogue_records("mixed")}


def test_csl_json_round_trip_keeps_every_csl_field_and_tags(shipped: Catalogue) -> None:
    back = {r["id"]: r for r in reimport(export(shipped.records(), "csl-json"), "csl-json")}
    for record in shipped.records():
        expected = {k: v for k, v in record.items() if k not in ("added", "modified", "remarks")}
        got = {k: v for k, v in back[record["id"]].items() if k not in ("added", "modified", "remarks")}
        assert got == expected


def test_bibtex_round_trip_keeps_what_bibtex_holds(shipped: Catalogue) -> None:
    back = {r["id"]: r for r in reimport(export(shipped.records(), "biblatex"), "biblatex")}
    for record in shipped.records():
        got = back[record["id"]]
        for field in ("type", "title", "author", "editor", "compiler", "translator", "issued",
                      "publisher-place", "publisher", "number-of-pages", "language", "tags", "genre"):
            assert got.get(field) == record.get(field), (record["id"], field)


def test_the_mixed_catalogue_is_valid_and_covers_every_row() -> None:
    records = catalogue_records("mixed")
    assert all(validate(r) == [] for r in records)
    for row in ROWS:
        assert any(row.extract(r) is not None for r in records), f"no record of the mixed catalogue has {row.name}"
    fields = {f for r in records for f in r}
    covered = {"id", "type", "author", "editor", "compiler", "translator", "title", "title-short",
               "original-title", "container-title", "collection-title", "collection-number", "volume",
               "number-of-volumes", "issue", "number", "page", "number-of-pages", "edition", "publisher",
               "publisher-place", "issued", "accessed", "URL", "DOI", "ISBN", "ISSN", "language", "genre",
               "note", "remarks", "tags", "abstract", "added", "modified", "version", "scale", "source"}
    assert fields == covered  # a new field in the file needs a row in the table


# --- the cells ---------------------------------------------------------------------------------


def _pairs(column: str, row: Row) -> list[tuple[str, Any, Any]]:
    """(key, original value, value after the round trip) for every record that has the row."""
    pairs = []
    for name in CATALOGUES:
        back = first_import(column, name)
        for record in catalogue_records(name):
            value = row.extract(record)
            if value is not None:
                after = back.get(record["id"], {})
                pairs.append((record["id"], value, (row.counterpart or _extract_again(row))(value, after)))
    return pairs


def _extract_again(row: Row) -> Callable[[Any, dict], Any]:
    return lambda before, back: row.extract(back)


def _cells(columns: Iterable[str]) -> list[Any]:
    params = []
    for row in ROWS:
        for column in columns:
            bug = KNOWN_BUGS.get((row.name, column))
            marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
            params.append(pytest.param(column, row.name, marks=marks, id=f"{column}-{row.name}"))
    return params


@pytest.mark.parametrize(("column", "row_name"), _cells(ROUND_TRIPS))
def test_round_trip_keeps_what_the_table_says(column: str, row_name: str) -> None:
    cell = TABLE[row_name][column]
    if (row_name, column) in KNOWN_BUGS:
        cell = K  # the cell once the bug is fixed
    pairs = _pairs(column, ROW[row_name])
    exact = [key for key, before, after in pairs if before == after]
    if cell.mark == "✓":
        assert len(exact) == len(pairs), [p for p in pairs if p[1] != p[2]][:3]
    elif cell.normalise is not None:
        def norm(value: Any) -> Any:
            return None if value is None else cell.normalise(value)  # type: ignore[misc]
        assert [p for p in pairs if norm(p[1]) != norm(p[2])] == []
        assert len(exact) < len(pairs), f"{row_name} now round trips exactly in {column}: make the cell ✓"
    elif cell.mark.startswith("—"):
        assert exact == [], f"{row_name} now survives {column} for {exact}: update the cell"
    else:
        assert exact and len(exact) < len(pairs), (cell.mark, exact)


# --- csv/tsv and gost: what is written -----------------------------------------------------------


def _table_rows(fmt: str, name: str) -> dict[str, dict[str, str]]:
    text = export(catalogue_records(name), fmt)
    reader = csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t",
                            quoting=csv.QUOTE_MINIMAL if fmt == "csv" else csv.QUOTE_NONE)
    return {row["key"]: row for row in reader}


def _shown_in_table(row_name: str, record: dict, cells: dict[str, str]) -> bool | list[bool] | None:
    """Whether the table row of a record shows the row's value (None: the record lacks it)."""
    row = ROW[row_name]
    value = row.extract(record)
    if value is None:
        return None
    names = cells["names"].split("; ")
    if row_name in ("author (persons)", "editor", "compiler", "translator"):
        role = row_name.split()[0]
        mark = {"author": "", "editor": " (ed.)", "compiler": " (comp.)", "translator": " (transl.)"}[role]
        return all(display_name(n) + mark in names for n in record[role] if "literal" not in n)
    if row_name == "organisation names (literal)":
        return all(any(n.startswith(literal) for n in names) for _, literal in value)
    if row_name == "name particles, suffix":
        parts = ("non-dropping-particle", "family", "dropping-particle", "suffix")
        return [all(n.get(p, "") in cells["names"] for p in parts) for _, _, n in value]  # type: ignore[return-value]
    if row_name.startswith("issued"):
        return bool(year_text(record)) and cells["year"] == year_text(record) and row_name != "issued: month, day"
    columns = {"key": "key", "type": "type", "title": "title", "publisher": "publisher",
               "publisher-place (several)": "place", "number-of-pages": "pages", "language": "language"}
    if row_name in columns:
        return cells[columns[row_name]] == str(value)
    if row_name == "tags":
        return cells["tags"] == ", ".join(value)
    return False


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("row_name", [row.name for row in ROWS])
def test_tables_show_what_the_table_says(fmt: str, row_name: str) -> None:
    cell = TABLE[row_name]["csv/tsv"]
    shown = []
    for name in CATALOGUES:
        rows = _table_rows(fmt, name)
        for record in catalogue_records(name):
            found = _shown_in_table(row_name, record, rows[record["id"]])
            if isinstance(found, list):  # one per name
                shown.extend(found)
            elif found is not None:
                shown.append(found)
    if cell.mark.startswith("✓"):
        if row_name == "issued: month, day":  # the year column holds the year
            return
        assert all(shown)
    elif cell.mark.startswith("—"):
        assert not any(shown)
    else:
        assert any(shown) and not all(shown)


def _pieces(row: Row, value: Any, record: dict) -> list[str]:
    """The texts a description shows a row's value by: family names, years, each tag …"""
    if row.name in ("author (persons)", "editor", "compiler", "translator"):
        return [n["family"] for n in record[row.name.split()[0]] if "literal" not in n]
    if row.name == "organisation names (literal)":
        return [literal for _, literal in value]
    if row.name == "publisher-place (several)":
        return places(record)
    if row.name.startswith("issued") or row.name == "accessed":
        return [str(d[0]) for d in value.get("date-parts", []) if d != [0]] or [value["literal"]]
    if isinstance(value, tuple):
        return [str(v) for v in value if v is not None]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _shown_in_gost(row: Row, record: dict) -> bool | list[bool] | None:
    value = row.extract(record)
    if value is None:
        return None
    line = export([record], "gost")
    for field in ("title", "genre"):  # a title-short or "Т. 2" in the title, a tag in the genre: not shown
        if row.name not in (field, "title") and record.get(field):
            line = line.replace(record[field], " ", 1)

    def shown(piece: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", line) is not None

    if row.name == "name particles, suffix":
        parts = ("non-dropping-particle", "family", "dropping-particle", "suffix")
        return [all(shown(n[p]) for p in parts if p in n) for _, _, n in value]
    return all(shown(piece) for piece in _pieces(row, value, record))


@pytest.mark.parametrize("row_name", [row.name for row in ROWS])
def test_gost_shows_what_the_table_says(row_name: str) -> None:
    cell = TABLE[row_name]["gost"]
    shown: list[bool] = []
    for name in CATALOGUES:
        for record in catalogue_records(name):
            found = _shown_in_gost(ROW[row_name], record)
            if isinstance(found, list):
                shown.extend(found)
            elif found is not None:
                shown.append(found)
    if cell.mark.startswith("✓"):
        assert all(shown)
    elif cell.mark.startswith("—"):
        assert not any(shown)
    else:
        assert any(shown) and not all(shown)


@pytest.mark.parametrize("name", CATALOGUES)
def test_gost_round_trip_is_a_fixed_point(name: str) -> None:
    """GOST lines of books and pamphlets (what a GOST catalogue line describes) read back to the same lines."""
    records = [r for r in catalogue_records(name) if r["type"] in ("book", "pamphlet")]
    text = export(records, "gost")
    assert export(reimport(text, "gost"), "gost") == text


# --- property tests over generated records ---------------------------------------------

_letters = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
word = st.text(alphabet=_letters + "&{}$#_~^%\\'\"!?.-", min_size=1, max_size=10).filter(lambda w: w[0].isalpha())
text = st.lists(word, min_size=1, max_size=6).map(" ".join)
capital = st.sampled_from("ABCDEFGHIKLMNOPRSTVWYZАБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ")
family = st.builds(lambda c, rest: c + rest, capital, st.text(alphabet=_letters + "'-", max_size=9))
person = st.one_of(
    st.builds(lambda f: {"family": f}, family),
    st.builds(lambda f, g: {"family": f, "given": g}, family,
              st.sampled_from(["I. A.", "S.", "Ilya", "Сергей Александрович", "J.-P."])),
)
organisation = st.builds(lambda a, b: {"literal": f"{a} {b}"}, family, text)
people = st.lists(st.one_of(person, person, organisation), min_size=1, max_size=3)
year = st.integers(min_value=1450, max_value=2006)
issued = st.one_of(
    st.builds(lambda y: {"date-parts": [[y]]}, year),
    st.builds(lambda y, m: {"date-parts": [[y, m]]}, year, st.integers(1, 12)),
    st.builds(lambda a, b: {"date-parts": [[a], [a + b]]}, year, st.integers(1, 20)),
)
tag = st.text(alphabet=_letters + "-", min_size=1, max_size=8).filter(lambda t: t[0].isalpha())
url_part = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_~%-", min_size=1, max_size=12)
# Whole items: biblatex holds every field the generator writes (as @book when the type's own
# entry type has no field for one); parts lose what BIBLATEX_CANNOT_HOLD lists.
BIBLATEX_WHOLE = ("book", "pamphlet", "periodical", "report", "thesis", "webpage")
PARTS = ("article-journal", "article-newspaper", "chapter", "paper-conference")
TYPES = ("book", "pamphlet", "periodical", "article-journal", "article-newspaper", "chapter", "report",
         "thesis", "webpage", "paper-conference")


@st.composite
def records(draw: st.DrawFn, types: tuple[str, ...] = ("book", "pamphlet", "periodical", "article-journal",
                                                        "report")) -> dict:
    record = {
        "id": draw(st.from_regex(r"[a-z][a-z0-9]{2,12}", fullmatch=True)),
        "type": draw(st.sampled_from(types)),
        "title": draw(text),
        "added": "2025-01-01T00:00:00Z",
        "modified": "2025-02-01T00:00:00Z",
    }
    for role in ("author", "editor", "compiler", "translator"):
        if draw(st.booleans()):
            record[role] = draw(people)
    optional = {
        "issued": issued, "publisher-place": st.lists(family, min_size=1, max_size=2).map("; ".join),
        "publisher": text, "number-of-pages": st.integers(1, 2000), "note": text,
        "language": st.sampled_from(["ru", "en", "uk"]), "tags": st.lists(tag, min_size=1, max_size=3, unique=True),
        "genre": st.sampled_from(["leaflet", "brochure"]),
    }
    if types == TYPES:  # the wider record: every field the table has a row for
        optional |= {
            "title-short": text, "original-title": text, "container-title": text, "collection-title": text,
            "volume": st.integers(1, 99).map(str), "page": st.builds("{}-{}".format, st.integers(1, 50),
                                                                     st.integers(51, 99)),
            "edition": st.integers(2, 9), "remarks": text, "abstract": text,
            "ISBN": st.sampled_from(["978-5-02-034567-8", "5-88451-087-3"]),
            "DOI": st.builds("10.5555/{}".format, url_part),
            "URL": st.builds("https://example.org/{}#{}".format, url_part, url_part),
        }
    for field, strategy in optional.items():
        if draw(st.booleans()):
            record[field] = draw(strategy)
    if record["type"] not in ("book", "pamphlet", "collection"):
        record.pop("number-of-pages", None)  # KNOWN_BUGS: RIS reads a lone SP as a page there
    if types == TYPES:  # the shapes ``socsopr check`` passes: a part has its container, a whole no pages
        part = record["type"] in PARTS
        if part:
            record.setdefault("container-title", draw(text))
        else:
            record.pop("container-title", None)
            record.pop("page", None)
        if record["type"] == "thesis":
            record.setdefault("publisher", draw(text))
        if record["type"] == "webpage":
            record.setdefault("URL", "https://example.org/a_b~c%20d#e")
    assert validate(record) == []
    return record


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(records(), min_size=1, max_size=4, unique_by=lambda r: r["id"]))
def test_generated_records_round_trip(fmt: str, batch: list[dict]) -> None:
    text = export(sorted(batch, key=lambda r: r["id"]), fmt)  # a catalogue lists records by key
    assert export(reimport(text, fmt), fmt) == text


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(records(TYPES), min_size=1, max_size=3, unique_by=lambda r: r["id"]))
def test_generated_records_keep_the_formats_kept_fields(fmt: str, batch: list[dict]) -> None:
    """Generated records of every field: a fixed point, and every ✓ cell of the format holds."""
    if fmt == "biblatex":  # see test_biblatex_keeps_every_field_of_every_type
        for record in batch:
            for field in [f for rtype, f in BIBLATEX_CANNOT_HOLD if rtype == record["type"]]:
                record.pop(field, None)
    batch = sorted(batch, key=lambda r: r["id"])
    text = export(batch, fmt)
    back = {r["id"]: r for r in reimport(text, fmt)}
    assert export(list(back.values()), fmt) == text
    for row in ROWS:
        cell = TABLE[row.name][fmt]
        if (row.name, fmt) in KNOWN_BUGS or not cell.mark.startswith("✓"):
            continue
        for record in batch:
            before = row.extract(record)
            after = None if before is None else (row.counterpart or _extract_again(row))(before, back[record["id"]])
            if before is not None and cell.normalise is not None and after is not None:
                before, after = cell.normalise(before), cell.normalise(after)
            if before is not None:
                assert before == after, (row.name, record["id"], before, after)


@settings(max_examples=40, deadline=None)
@given(record=records(BIBLATEX_WHOLE))  # see test_biblatex_keeps_every_field_of_every_type
def test_bibtex_import_restores_titles_and_names(record: dict) -> None:
    back = reimport(export([record], "biblatex"), "biblatex")[0]
    assert back["title"] == record["title"]
    for role in ("author", "editor", "compiler", "translator"):
        assert back.get(role) == record.get(role)
    assert back.get("issued") == record.get("issued")


# What biblatex's data model (blx-dm.def) has no field for on any type a record of that CSL type
# may be written as: a part's own page count, an article's publisher and edition. Every other
# field comes back (a record whose fields its type lacks is written as @book or @incollection,
# its CSL type in entrysubtype).
BIBLATEX_CANNOT_HOLD = {
    *((t, f) for t in ("article", "article-journal", "article-newspaper") for f in ("edition", "publisher",
                                                                                 "number-of-pages")),
    ("chapter", "number-of-pages"), ("paper-conference", "number-of-pages"),
}


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_biblatex_keeps_every_field_of_every_type(fmt: str) -> None:
    fields = {"author": [{"family": "A"}], "editor": [{"family": "E"}], "translator": [{"family": "T"}],
              "volume": "2", "edition": "2", "publisher": "P", "publisher-place": "M", "number-of-pages": 10}
    lost = set()
    for rtype in (*TYPES, "manuscript", "dataset", "software", "map", "document", "article"):
        record = {"id": "a00", "type": rtype, "title": "T", "container-title": "C", **fields}
        back = reimport(export([record], fmt), fmt)[0]
        assert back["type"] == rtype
        lost |= {(rtype, f) for f in fields if str(back.get(f)) != str(record[f])}
    assert lost == (BIBLATEX_CANNOT_HOLD if fmt == "biblatex" else set())


def test_bibtex_keeps_a_webpages_publisher() -> None:
    record = {"id": "a00", "type": "webpage", "title": "T", "publisher": "P", "URL": "https://example.org/"}
    back = reimport(export([record], "bibtex"), "bibtex")[0]
    assert (back.get("publisher"), back.get("container-title")) == ("P", None)


# --- the README's table ------------------------------------------------------------------------


def render_table() -> str:
    """The README table "What each format keeps", rendered from ``TABLE``."""
    lines = ["| field or role | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    for row in ROWS:
        lines.append(f"| {row.name} | " + " | ".join(TABLE[row.name][c].mark for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def test_readme_table_is_the_tested_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_table() in readme, "README's 'What each format keeps' differs; print it: " \
        "python tests/test_formats_roundtrip.py"


if __name__ == "__main__":
    print(render_table(), end="")
