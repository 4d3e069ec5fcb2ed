"""The fast paths of export and sorted listing (#16) write exactly what the plain code wrote.

Golden files of the mixed test catalogue, digests of the exports of 1,500 seeded random records full
of LaTeX specials, quotes, combining marks and odd values (taken from the code before the fast
paths), and property tests of each fast path against the plain form it replaces.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.formats import export
from catalogue.formats._latex import escape, escape_title
from catalogue.formats._memo import MAX_ENTRIES, memo_name, memo_text
from catalogue.model.sorting import sorted_keys, text_sort_key

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = {
    "bibtex": "mixed.bib", "biblatex": "mixed-biblatex.bib", "csl-json": "mixed.csl.json",
    "ris": "mixed.ris", "tsv": "mixed.tsv",
}
# sha256 of each export of ``random_records()``, written by the code before the fast paths
DIGESTS = {
    "bibtex": "972a940af6727ab42f8b396b1db8997fa9239ab3469ccebd777758c1cd331c80",
    "biblatex": "ec11ad3b9caabb6e8b315651378f38a0304b5085ffeb89d4b8736b3aae5a014c",
    "csl-json": "054a8f55c58c1aff028159fce2fbba0185b33bcc25b52d80327d2ad21db4dc0b",
    "ris": "7ea0e6f761801e83bdb7c40edb820b5820d8d82f8e7748c8b8a1ee5683d7edb9",
    "json": "accd5b53a4b670eca625e2e8c0bec8c9e3543e04c0218900da62227d3b96d81a",
    "tsv": "f217d96abc079c42f4cbad9525e035e6059ee634994130880f063430abea4178",
}
SORT_DIGESTS = {
    "title": "cf228ffe5b77aeac67cf850d8763f193a04248d3d4a3da812715d6e9ca463eaa",
    "author": "ff8473648306652d9ec1368440154fe2755703692f6e20019656cf121c3c21c2",
}


def mixed_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads((ROOT / "tests" / "data" / "mixed-catalogue.json").read_text())
    return records


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_mixed_catalogue_exports_byte_for_byte(fmt: str) -> None:
    expected = (ROOT / "tests" / "golden" / GOLDEN[fmt]).read_bytes()  # bytes: RIS ends lines with CRLF
    assert export(mixed_records(), fmt).encode() == expected


# --- seeded random records -----------------------------------------------------------------

_PIECES = (  # noqa: SIM905 (a list of 80 one-word strings is longer and no clearer)
    "a b c A B Z x y and And AND , ; : . - -- --- ` `` ' '' \" { } \\ & % $ # _ ~ ^ \u00a0 \t \n \r  "
    "Москва ёлка Ёж й Й ї ґ é É ß ǅ ℂ 𝐀 \u0301 \u0306 \0 « » „ “ ” ( [ ¡ ¿ CWI СССР McDonald van der "
    "von de Jr. 1998 2007 ISBN 978-5 e101 5–6 7/8 — –"
).split(" ")
_TYPES = (
    "book", "pamphlet", "periodical", "collection", "article-journal", "article-magazine",
    "article-newspaper", "article", "chapter", "paper-conference", "report", "manuscript", "thesis",
    "webpage", "dataset", "software", "patent", "map", "document", "entry",
)
_TEXT_FIELDS = (
    "title-short", "original-title", "container-title", "collection-title", "collection-number", "volume",
    "number-of-volumes", "issue", "number", "page", "edition", "publisher", "publisher-place", "genre",
    "note", "abstract", "DOI", "URL", "ISBN", "ISSN", "version", "language", "remarks", "source",
)


def random_records(count: int = 1500, seed: int = 16) -> list[dict[str, Any]]:
    """Records no catalogue would hold, made to reach every branch of the exporters."""
    rng = random.Random(seed)

    def text(most: int = 6) -> str:
        return "".join(rng.choice(_PIECES) + rng.choice(("", " ", "")) for _ in range(rng.randint(0, most)))

    def name() -> dict[str, str]:
        if rng.random() < 0.15:
            return {"literal": text()}
        person = {"family": text(3)}
        if rng.random() < 0.8:
            person["given"] = text(3)
        if rng.random() < 0.1:
            person["non-dropping-particle"] = rng.choice(("van der", "de", "and", text(2)))
        if rng.random() < 0.1:
            person["dropping-particle"] = rng.choice(("von", text(2)))
        if rng.random() < 0.05:
            person["suffix"] = rng.choice(("Jr.", text(2)))
        return person

    def date() -> dict[str, Any]:
        k = rng.random()
        if k < 0.5:
            return {"date-parts": [[rng.randint(1800, 2025)] + ([rng.randint(1, 12)] if rng.random() < 0.4 else [])]}
        if k < 0.6:
            return {"date-parts": [[rng.randint(1800, 2025), rng.randint(1, 12), rng.randint(1, 28)]]}
        if k < 0.85:
            return {"date-parts": rng.choice(([[1998], [2007]], [[2007, 10], [0]], [[2007], [0]]))}
        if k < 0.9:
            return {"literal": rng.choice(("2007–", "1998-2007", "2001-05-03", "c. 1900", text(2)))}
        return {"raw": rng.choice(("2007 / ", "1917", text(2)))}

    records = []
    for i in range(count):
        record: dict[str, Any] = {"id": f"k{i:05d}" + rng.choice(("", "x", "_b")), "type": rng.choice(_TYPES)}
        if rng.random() < 0.95:
            record["title"] = text(8)
        for role in ("author", "editor", "compiler", "translator"):
            if rng.random() < (0.8 if role == "author" else 0.15):
                record[role] = [name() for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.9:
            record["issued"] = date()
        if rng.random() < 0.1:
            record["accessed"] = {"date-parts": [[2020, rng.randint(1, 12), rng.randint(1, 28)]]}
        for field in _TEXT_FIELDS:
            if rng.random() < 0.15:
                if field == "language":
                    record[field] = rng.choice(("ru", "en", "en-GB", "de", "uk", "xx", "ru-Latn", "Russian"))
                elif field == "publisher-place":
                    record[field] = rng.choice(("Москва", "Москва; Berlin", "London", "New York; and, Paris", text(3)))
                elif field == "page":
                    record[field] = rng.choice(("113–145", "45-67", "e101–e120", "12", text(2)))
                else:
                    record[field] = text(4)
        if rng.random() < 0.2:
            record["number-of-pages"] = rng.randint(1, 900)
        if rng.random() < 0.2:
            record["tags"] = [text(2) or "t" for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.05:
            record["aliases"] = ["old1", "old2"]
        if rng.random() < 0.05:
            record["titles"] = [{"kind": "original", "language": "ru", "text": text(4)}]
        if rng.random() < 0.05:
            record["custom"] = {"x": 1}
        records.append(record)
    return records


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.mark.parametrize("fmt", sorted(DIGESTS))
def test_random_records_export_as_before(fmt: str) -> None:
    records = random_records()
    once = export(copy.deepcopy(records), fmt)
    assert _digest(once) == DIGESTS[fmt]
    assert export(copy.deepcopy(records), fmt) == once  # the memos, now warm, change nothing


@pytest.mark.parametrize("by", sorted(SORT_DIGESTS))
def test_random_records_sort_as_before(by: str) -> None:
    assert _digest("\n".join(sorted_keys(random_records(), by))) == SORT_DIGESTS[by]


# --- each fast path against the plain form -------------------------------------------------

_LEADING = "\"'«»„“”‘’([{¡¿ "


def plain_text_sort_key(text: str) -> tuple[str, str, str]:
    """The sort key as written before (NFKD of the whole text, combining marks dropped)."""
    stripped = text.lstrip(_LEADING)
    folded = stripped.casefold().replace("ё", "е")
    decomposed = unicodedata.normalize("NFKD", folded.replace("й", "\0"))
    primary = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "й")
    return primary, stripped.replace("ё", "е\uffff"), text


_TRICKY = st.sampled_from(list("йЙёЁиеИ\0\u0301\u0306\u0308\u0327\u0344\u1100\u1161ǅℂ𝐀ﬁ①ÅÖ한글 \"«"))


@given(st.text(st.one_of(st.characters(), _TRICKY), max_size=24))
def test_sort_key_is_the_whole_text_decomposition(text: str) -> None:
    assert text_sort_key(text) == plain_text_sort_key(text)


def test_sort_key_of_every_character_alone_and_with_marks() -> None:
    for code in range(0, sys.maxunicode + 1, 7):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        for text in (char, "й" + char + "\u0306", char + "\u0301"):
            assert text_sort_key(text) == plain_text_sort_key(text), hex(code)


def plain_escape_title(text: str, quote: str = r"\enquote") -> str:
    """``escape_title`` as written before (a capital looked for character by character)."""
    import re

    word = re.compile(r"(?<![\\\w])[^\W\d_][^\W_]*")
    text = escape(text, quote)
    if not any(c.isupper() for c in text[1:]):
        return text
    first = word.search(text)
    start = first.end() if first else 0

    def protect(match: re.Match[str]) -> str:
        found = match.group(0)
        inner = any(c.isupper() for c in found[1:])
        if inner or (match.start() >= start and found[0].isupper()):
            return "{" + found + "}"
        return found

    return word.sub(protect, text)


@given(st.text(st.one_of(st.characters(), _TRICKY, st.sampled_from(list("aZ {}\\\"-`'")))))
def test_escape_title_as_before(text: str) -> None:
    assert escape_title(text) == plain_escape_title(text)


_PARTS = st.one_of(st.text(max_size=6), st.integers(), st.booleans(), st.none(), st.lists(st.text(), max_size=2))


@given(st.lists(st.dictionaries(st.sampled_from(["family", "given", "literal"]), _PARTS, max_size=3),
                max_size=12))
def test_memo_name_is_transparent(names: list[dict[str, Any]]) -> None:
    memo = memo_name(repr)  # repr tells 1 from True and "1", as a name's writer does
    for name in names + names:
        assert memo(name) == repr(name)


def test_memo_keeps_apart_parts_that_compare_equal() -> None:
    memo = memo_name(repr)
    assert memo({"family": 1}) == "{'family': 1}"
    assert memo({"family": True}) == "{'family': True}"
    assert memo({"family": 1.0}) == "{'family': 1.0}"


def test_memo_text_stops_growing() -> None:
    seen: list[str] = []
    memo = memo_text(lambda text: seen.append(text) or text.upper())
    for i in range(MAX_ENTRIES + 10):
        memo(str(i))
    assert memo("x") == "X" and memo("x") == "X"
    assert seen.count("x") == 2  # past the bound a value is worked out each time, never wrongly kept
    assert memo("5") == "5" and seen.count("5") == 1


# few characters and short texts, so that keys often share a beginning and differ by a NUL, SOH or STX
_SORT_TEXT = st.text(st.sampled_from(list("aZ \0\1\2\uffffёеЁй\u0306«")), max_size=4)
_SORT_NAME = st.one_of(
    st.fixed_dictionaries({"family": _SORT_TEXT}, optional={"given": _SORT_TEXT}),
    st.fixed_dictionaries({"literal": _SORT_TEXT}),
)


@given(st.lists(st.fixed_dictionaries({"title": _SORT_TEXT},
                                      optional={"author": st.lists(_SORT_NAME, max_size=2),
                                                "editor": st.lists(_SORT_NAME, max_size=1)}),
                max_size=20),
       st.sampled_from(["title", "author"]), st.booleans())
def test_sorted_keys_as_text_order_as_the_tuple_keys(records: list[dict[str, Any]], by: str, reverse: bool) -> None:
    from catalogue.model.sorting import sort_records

    for i, record in enumerate(records):
        record["id"] = f"k{i % 5}\0{i}" if i % 3 == 0 else f"k{i % 5}"  # equal keys too: the sort is stable
    expected = [str(r["id"]) for r in sort_records(records, by, reverse=reverse)]
    assert sorted_keys(records, by, reverse=reverse) == expected
