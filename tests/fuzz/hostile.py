"""Hypothesis strategies for hostile import files, and the check every importer must pass on them.

Shared by the CI fuzz tests (tests/fuzz/test_fuzz_importers.py) and the long run
(tests/benchmarks/fuzz_importers.py).  Each format gets random text and text that
follows the format's structure with hostile values in it: odd digits, huge
numbers, control and bidi characters, unbalanced and deeply nested braces,
macros, crossrefs, wrong JSON kinds, deep JSON, long continuation runs.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.curation.importing import import_texts
from catalogue.errors import CatalogueError
from catalogue.formats import LINE_KEY, WARNINGS_KEY, export, get_importer
from catalogue.formats._bibread import MAX_EXPANSION_CHARS, MAX_VALUE_CHARS

FORMATS = ("bibtex", "biblatex", "csl-json", "ris", "json", "gost", "marc", "marcxml", "unimarc")
EXTENSIONS = {"bibtex": "bib", "biblatex": "bib", "csl-json": "json", "ris": "ris", "json": "json", "gost": "txt",
              "marc": "mrc", "marcxml": "xml", "unimarc": "iso"}
TIME_LIMIT = 1.0  # seconds per example, reading and importing together
# What one example may make of its text: records holding at most this many times the input's
# characters, plus what BibTeX macro expansion and crossref inheritance may add (each capped).
GROWTH = 8
GROWTH_BASE = 2 * MAX_EXPANSION_CHARS + MAX_VALUE_CHARS

# --- values -------------------------------------------------------------------------------

_NASTY = [
    "²", "٣", "૪", "9" * 30, "9" * 5000, "-1", "0", "1e400", "NaN", "\x00", "\x1b]52;c;aGk=\x07", "\x85",
    "\u202e", "\u2066", "\ufeff", "\r", "\n", "\t", "{", "}", "{{", "}}", "\\", "\\'", "\\'{", '\\"{o}',
    "{\\CYRO}", "--", "---", "``", "''", "#", "%", "~", "$", "&", "_", "^", "@", ",", "=", '"', " and ",
    "others", "jan", "http://x.org/a--b", "Faber and Faber", "Doe, Jr, John", "{Org}", "von der Berg",
    "2006", "1998/2007", "2007-10-05", "2007/10/05/", "1998///2007", "abc", "Почему социализм?", "𝔘𝔫𝔦",
]
nasty = st.sampled_from(_NASTY)
text_piece = st.one_of(nasty, st.text(max_size=12), st.text(alphabet="{}\\'\"#@,=() ", max_size=12))
value_text = st.lists(text_piece, max_size=6).map("".join)
deep_braces = st.integers(1, 600).map(lambda n: "{" * n + "x" + "}" * n)
deep_accents = st.integers(1, 600).map(lambda n: "\\'{" * n + "e" + "}" * n)
stacked_accents = st.integers(1, 600).map(lambda n: "\\'" * n + "e")
bib_value = st.one_of(value_text, deep_braces, deep_accents, stacked_accents)

# --- BibTeX -------------------------------------------------------------------------------

_BIB_TYPES = ["book", "article", "misc", "incollection", "proceedings", "xdata", "set", "online", "thesis",
              "weird", "STRING", "comment", "preamble"]
_BIB_FIELDS = ["author", "editor", "editortype", "translator", "title", "subtitle", "year", "month", "day",
               "date", "pages", "pagetotal", "publisher", "address", "location", "url", "doi", "crossref",
               "xdata", "langid", "keywords", "number", "note", "journal", "booktitle", "ids", "x-odd"]
_KEYS = ["a", "b", "c", "A", "k1", "http://zotero.org/users/1/items/ABCD", "", "bad key", "é"]


@st.composite
def bib_entry(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(_BIB_TYPES))
    key = draw(st.sampled_from(_KEYS) | st.text(max_size=6))
    fields = []
    for _ in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(_BIB_FIELDS))
        value = draw(bib_value)
        form = draw(st.sampled_from(["{%s}", '"%s"', "%s", "{%s} # mac", "mac # {%s}"]))
        fields.append(f"{name} = {form.replace('%s', value)}")
    if draw(st.booleans()):
        fields.append(f"crossref = {{{draw(st.sampled_from(_KEYS))}}}")
    open_, close = draw(st.sampled_from([("{", "}"), ("(", ")"), ("{", ""), ("{", "}}")]))
    return f"@{kind}{open_}{key}, " + ", ".join(fields) + close


@st.composite
def bib_strings(draw: st.DrawFn) -> str:
    """``@string`` definitions, some doubling at every step."""
    n = draw(st.integers(0, 30))
    lines = ["@string{mac = {" + draw(value_text) + "}}"]
    lines += [f"@string{{mac = mac # mac}}" for _ in range(n)]  # noqa: F541 (a literal BibTeX line)
    return "\n".join(lines)


def crossref_chain(n: int) -> str:
    return "".join(f"@book{{k{i}, title={{T{i}}}, crossref={{k{(i + 1) % n}}}}}\n" for i in range(n))


bibtex_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(bib_entry(), bib_strings(), st.text(max_size=20)), max_size=8).map("\n".join),
    st.integers(1, 1000).map(crossref_chain),  # 5,000 deep is a unit test: here each example has a second
)

# --- JSON ---------------------------------------------------------------------------------

_CSL_FIELDS = ["id", "type", "title", "author", "editor", "issued", "accessed", "number-of-pages", "page",
               "volume", "ISSN", "categories", "custom", "keyword", "citation-key", "publisher", "tags",
               "added", "modified", "language", "note", "x-unknown"]
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
    nasty, st.text(max_size=10),
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["family", "given", "literal",
                                                                             "date-parts", "raw", "a"]) | st.text(max_size=4),
                                                              inner, max_size=3),
    max_leaves=12,
)
deep_json = st.integers(1, 1200).map(lambda n: "[" * n + "]" * n) | st.integers(1, 400).map(
    lambda n: '[{"id": "a", "type": "book", "title": "T", "custom": ' + '{"a": ' * n + "1" + "}" * n + "}]"
)


@st.composite
def csl_item(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(_CSL_FIELDS), max_size=8)):
        item[name] = draw(json_value)
    if draw(st.booleans()):
        item.setdefault("title", draw(value_text))
        item.setdefault("type", draw(st.sampled_from(["book", "article-journal", "hologram", ""])))
    return item


json_text = st.one_of(
    st.text(max_size=300),
    deep_json,
    st.lists(csl_item(), max_size=6).map(lambda items: json.dumps(items, ensure_ascii=False)),
    csl_item().map(lambda item: json.dumps(item, ensure_ascii=False)),
    json_value.map(lambda v: json.dumps(v, ensure_ascii=False)),
)

# --- RIS ----------------------------------------------------------------------------------

_RIS_TAGS = ["TY", "ID", "AU", "A1", "ED", "A4", "TI", "T1", "T2", "PY", "Y1", "DA", "SP", "EP", "CY", "PB",
             "KW", "LA", "N1", "UR", "DO", "SN", "ER", "ZZ"]


@st.composite
def ris_record(draw: st.DrawFn) -> str:
    lines = [f"TY  - {draw(st.sampled_from(['BOOK', 'JOUR', 'NEWS', 'PAMP', 'XXX', '']))}"]
    for _ in range(draw(st.integers(0, 10))):
        tag = draw(st.sampled_from(_RIS_TAGS))
        lines.append(f"{tag}  - {draw(value_text)}".replace("\n", " "))
        lines += ["  continued " + draw(nasty).replace("\n", " ")] * draw(st.integers(0, 3))
    if draw(st.integers(0, 4)):
        lines.append("ER  - ")
    return "\n".join(lines)


ris_text = st.one_of(
    st.text(max_size=300),
    st.lists(ris_record(), max_size=6).map("\n\n".join),
    st.integers(1, 20_000).map(lambda n: "TY  - BOOK\nTI  - T\n" + "more text\n" * n + "ER  - \n"),
)

# --- GOST ---------------------------------------------------------------------------------

_GOST_PIECES = [*"Ab Яя.,:;/—–-[]()\"«»?!0123456789 сpМ", ". — ", " / ", "2006", "36 с.", "И. А. ", "М.: ",
                "Изд-во", "²", "9" * 30, "\x1b", "\u202e", "под ред. ", "Transl. from english ", "1998–2007"]
gost_line = st.lists(st.sampled_from(_GOST_PIECES) | st.text(max_size=5), max_size=40).map("".join)
gost_text = st.one_of(st.text(max_size=300), st.lists(gost_line, max_size=6).map("\n".join))

# --- MARC ---------------------------------------------------------------------------------
# Records with hostile values written by socsopr's own exporters, then damaged: bytes replaced
# (lengths, delimiters, leader) and the file cut anywhere.


@st.composite
def marc_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    records = []
    for i in range(draw(st.integers(1, 3))):
        record: dict[str, Any] = {"id": f"k{i}", "type": draw(st.sampled_from(["book", "chapter", "periodical",
                                                                               "thesis", "map", "weird"])),
                                  "title": draw(value_text) or "t"}
        for field in ("publisher", "publisher-place", "note", "ISBN", "language", "container-title", "page"):
            if draw(st.booleans()):
                record[field] = draw(value_text)
        if draw(st.booleans()):
            record["author"] = [{"family": draw(value_text) or "f", "given": draw(value_text)}]
        if draw(st.booleans()):
            record["issued"] = {"date-parts": [[draw(st.integers(1, 3000))]]}
        records.append(record)
    return records


@st.composite
def damaged(draw: st.DrawFn, fmt: str) -> str:
    data = bytearray(export(draw(marc_records()), fmt).encode("utf-8"))
    for _ in range(draw(st.integers(0, 6))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(
                st.sampled_from([0x1D, 0x1E, 0x1F, 0x30, 0x39, 0x20, 0xD0, 0xFF, 0x3C, 0x26]))
    return bytes(data[:draw(st.integers(0, len(data)))]).decode("utf-8", "surrogateescape")


TEXTS = {
    "bibtex": bibtex_text, "biblatex": bibtex_text, "csl-json": json_text, "json": json_text,
    "ris": ris_text, "gost": gost_text,
    "marc": st.one_of(st.text(max_size=300), damaged("marc")),
    "marcxml": st.one_of(st.text(max_size=300), damaged("marcxml")),
    "unimarc": st.one_of(st.text(max_size=300), damaged("unimarc")),
}

# --- the check ----------------------------------------------------------------------------


def _size(value: Any) -> int:
    """Characters in every text (keys and values) inside ``value``, walked without recursion."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return total


def check_importer(fmt: str, text: str) -> float:
    """Read ``text`` with the importer and import it into an empty catalogue; the seconds it took.

    Passes when each step gives records or a ``CatalogueError`` (never another exception),
    within ``TIME_LIMIT`` together, with records no larger than the bounds allow, and
    every imported record valid and writable as the catalogue writes it.
    """
    limit = GROWTH * len(text) + GROWTH_BASE
    started = time.perf_counter()
    try:
        records = get_importer(fmt)(text, "fuzz")
    except CatalogueError as exc:
        records = list(getattr(exc, "records", []))
    assert isinstance(records, list) and all(isinstance(r, dict) for r in records)
    assert _size(records) <= limit, "the records grew beyond the bound"
    catalogue = Catalogue.in_memory(clock=lambda: "2026-01-01T00:00:00Z")
    for skip in (False, True):
        with contextlib.suppress(CatalogueError):
            import_texts(catalogue, [(f"fuzz.{EXTENSIONS[fmt]}", text)], fmt=fmt, skip_invalid=skip)
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"{elapsed:.2f} s"
    imported = catalogue.records()
    for record in imported:
        assert LINE_KEY not in record and WARNINGS_KEY not in record
    export(imported, "json")  # what was imported can be written
    return elapsed
