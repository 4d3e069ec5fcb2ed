"""The fast paths of ``check`` and ``stats`` (#16) give exactly what the plain code gave.

Digests of the findings and of the counts of 3,000 seeded random records full of odd and invalid
values (taken from the code before the fast paths), and property tests of each fast path against the
plain form beside it: the validator's quick yes against its rule-by-rule answer, the word-by-word
folding and comparing against ``search_key``, the duplicate index against grouping by ``content_key``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.curation.checks import check_records, findings_as_json
from catalogue.curation.stats import collect
from catalogue.model import validation
from catalogue.model.authority import AuthorityIndex
from catalogue.model.duplicates import DuplicateIndex, content_key, folded_text, same_folded
from catalogue.model.translit import search_key
from catalogue.model.validation import validate

ROOT = Path(__file__).resolve().parents[1]
THIS_YEAR = 2025  # the "future" of check's plausible years, fixed so the digest holds every year

# sha256 of check_records(random_records(), this_year=THIS_YEAR) as JSON and of collect(random_records(),
# top_names=40, authorities=AUTHORITIES), written by the code before the fast paths
CHECK_DIGEST = "3f1133ed97b8904407d1e45c0fc4e31ffe21730e70750e3590d3a1ffde61a37f"
STATS_DIGEST = "dce05761c652b624b47db9ea2ae01e93a6789a5a5244c003bcbe366d6b70cbae"

AUTHORITIES: dict[str, dict[str, Any]] = {
    "ovsyannikov-i-a": {
        "id": "ovsyannikov-i-a", "kind": "person", "name": {"family": "Ovsyannikov", "given": "I. A."},
        "variants": [{"family": "Овсянников", "given": "И. А."}], "links": {"rec0007": "author"},
    },
    "socialist-resistance": {
        "id": "socialist-resistance", "kind": "organisation", "name": {"literal": "Socialist Resistance"},
        "variants": [{"literal": "СоцСопр"}, {"literal": "Социалистическое сопротивление"}],
    },
}

_FAMILIES = ["Ovsyannikov", "Овсянников", "Ovsiannikov", "Kozlovsky", "Козловский", "K.", "И. А.", "Smith J.",
             "Li", "McDo", "Yasin", "Ясин", "O'Brien", "van Dijk", "Шибанов"]
_GIVENS = ["Ilya", "I.", "I. A.", "Илья", "И. А.", "Doyle", "Jean-Paul", "Ёжик", ""]
_WORDS = ["Why", "socialism?", "Почему", "социализм", "Sotsializm", "революция", "revolyutsiya", "the",
          "крізь", "Straße", "naïve", "ŒUVRE", "—", "«Капитал»", "1917", "x²", "ﬁnal", "ΣΟΣ"]
_PLACES = ["М.", "Москва", "Moscow", "СПб.", "Санкт-Петербург", "М.; Berlin", "Kazan'", "  ", "Н.Новгород"]
_TYPES = ["book", "pamphlet", "chapter", "article-journal", "thesis", "webpage", "periodical", "report"]


def _record(rng: random.Random, n: int) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"rec{n:04d}", "type": rng.choice(_TYPES),
        "title": " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 5))),
        "issued": {"date-parts": [[rng.choice([1200, 1449, 1450, 1917, 2006, THIS_YEAR, THIS_YEAR + 1])]]},
        "added": "2024-01-01T00:00:00Z", "modified": "2024-05-06T07:08:09Z",
    }
    for role in ("author", "editor", "compiler", "translator"):
        if rng.random() < (0.9 if role == "author" else 0.15):
            record[role] = [_name(rng) for _ in range(rng.randint(1, 3))]
    optional: dict[str, Any] = {
        "language": rng.choice(["ru", "en", "de", "uk"]), "publisher": rng.choice(["Наука", "Pluto Press"]),
        "publisher-place": rng.choice(_PLACES), "number-of-pages": rng.choice([8, 48, 49, 300, 12000]),
        "tags": sorted(rng.sample(["history", "labour", "russia"], 2)), "note": "A note\non two lines",
        "genre": "leaflet", "container-title": "Вопросы истории", "volume": rng.choice([3, "3a"]),
        "URL": "https://example.org/", "abstract": "Tab\there", "remarks": "as given",
    }
    for field, value in optional.items():
        if rng.random() < 0.4:
            record[field] = value
    return record


def _name(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.15:
        return {"literal": rng.choice(["Socialist Resistance", "СоцСопр", "Социалистическое сопротивление"])}
    name: dict[str, Any] = {"family": rng.choice(_FAMILIES)}
    given = rng.choice(_GIVENS)
    if given:
        name["given"] = given
    if rng.random() < 0.05:
        name = {"given": name.get("given", "X"), "family": name["family"]}  # another order of parts
    return name


# Changes that make a record odd or invalid, each as the validator would meet it in a file edited by hand.
_ODD: list[tuple[str, Any]] = [
    ("title", ""), ("title", "  "), ("title", 5), ("title", "Bad\u202etitle"), ("title", "Line\nbreak"),
    ("title", "no\u00a0break"), ("type", "novel"), ("type", None), ("id", "bad key"), ("id", "x" * 201),
    ("issued", {"date-parts": [[2999]]}), ("issued", {"date-parts": [[2001, 2, 29]]}),
    ("issued", {"date-parts": [[2000, 2, 29]]}), ("issued", {"date-parts": [[2001, 13]]}),
    ("issued", {"date-parts": [[2001], [1999]]}), ("issued", {"date-parts": [[2001, 10], [0]]}),
    ("issued", {"date-parts": [[1998], [2007]]}), ("issued", {"literal": "2007–"}),
    ("issued", {"date-parts": [["2001"]]}), ("issued", {"date-parts": [[True]]}), ("issued", {}),
    ("issued", {"date-parts": [[2001]], "circa": True}), ("issued", {"date-parts": [[0]]}),
    ("number-of-pages", 0), ("number-of-pages", "12"), ("number-of-pages", True), ("number-of-pages", 10**10),
    ("volume", -1), ("volume", 2.5), ("edition", 2), ("edition", "2nd"),
    ("author", []), ("author", "Smith"), ("author", ["Smith"]), ("author", [{"family": "", "given": "x"}]),
    ("author", [{"given": "x"}]), ("author", [{"literal": " "}]), ("author", [{"family": "A", "given": 5}]),
    ("author", [{"family": "A", "foo": "b"}]), ("author", [{"family": "A", "parse-names": True}]),
    ("author", [{"family": "Tr\x07", "given": "C."}]), ("author", [{"family": "K.", "given": "Doyle"}]),
    ("note", "Bad\x00note"), ("note", "x" * 100_001), ("publisher", "x" * 99_999 + "\x01"),
    ("tags", ["a", "a"]), ("tags", ["a", ""]), ("tags", []), ("tags", "a"), ("tags", ["a\tb"]),
    ("added", "2024-13-01T00:00:00Z"), ("modified", "yesterday"), ("modified", 5),
    ("language", ["ru"]), ("foo", "bar"), ("custom", {"a": [1, {"b": "c"}]}), ("custom", {"a": "\x01"}),
    ("titles", [{"text": "T", "language": "en", "kind": "translation"}]),
    ("aliases", ["oldkey1"]), ("aliases", ["rec0010"]), ("aliases", ["Bad key"]),
    ("conflicts", [{"field": "title", "base": "a", "ours": "b", "theirs": "c"}]),
    ("conflicts", [{"field": "record", "ours": "removed", "theirs": {"x": 1}}]),
    ("accessed", {"date-parts": [[2020, 1, 1]]}), ("categories", ["x", "y"]), ("ISBN", "978-5-00-000000-0"),
]


def random_records(count: int = 3000, seed: int = 16) -> list[Any]:
    """Seeded records: most plain, one in four changed oddly, some copied as likely duplicates
    (another case, another script, punctuation) or under a key differing only in case."""
    rng = random.Random(seed)
    records: list[Any] = [_record(rng, n) for n in range(count)]
    for record in records:
        if rng.random() < 0.25:
            field, value = rng.choice(_ODD)
            record[field] = copy.deepcopy(value)
    for _ in range(count // 20):
        twin = copy.deepcopy(rng.choice(records))
        if isinstance(twin.get("title"), str):
            twin["title"] = rng.choice([twin["title"].upper() + "!", twin["title"].lower(), " " + twin["title"]])
        twin["id"] = f"{twin.get('id')}b" if rng.random() < 0.7 else str(twin.get("id")).upper()
        records.append(twin)
    records += [None, [], "text", {1: "x"}, {"id": "y"}]
    return records


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def test_check_finds_what_it_found_before() -> None:
    findings = findings_as_json(check_records(random_records(), this_year=THIS_YEAR))
    assert digest(findings) == CHECK_DIGEST


def test_stats_count_what_they_counted_before() -> None:
    records = [r for r in random_records() if isinstance(r, dict) and not validate(r)]
    stats = collect(records, top_names=40, authorities=AuthorityIndex(AUTHORITIES))
    assert digest(stats.as_dict()) == STATS_DIGEST


# --- the validator's quick yes --------------------------------------------------------------------


def test_the_quick_yes_answers_as_the_rules_do_on_random_records() -> None:
    records = random_records()
    assert [validate(r) for r in records] == [validation._every_problem(r) for r in records]
    quick = [r for r in records if isinstance(r, dict) and validation._plainly_valid(r)]
    assert len(quick) > len(records) // 2  # and it does answer most of them


def test_the_quick_yes_answers_as_the_rules_do_on_the_mixed_catalogue() -> None:
    records = json.loads((ROOT / "tests" / "data" / "mixed-catalogue.json").read_text(encoding="utf-8"))
    assert [validate(r) for r in records] == [validation._every_problem(r) for r in records] == [[]] * 34


_TEXTS = st.text(st.sampled_from(list("aZя Ё.-\t\n\x00\x1f\x7f\x85\u00a0\u200b\u202a\u2066\ud800\U0001f600")),
                 max_size=6)
_VALUES = st.one_of(
    _TEXTS, st.integers(-2, 10**10), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.lists(_TEXTS, max_size=3),
    st.lists(st.dictionaries(st.sampled_from(["family", "given", "literal", "suffix", "parse-names", "x"]),
                             _TEXTS | st.booleans(), max_size=3), max_size=3),
    st.dictionaries(st.sampled_from(["date-parts", "literal", "season"]),
                    st.lists(st.lists(st.integers(-1, 3000) | st.booleans(), max_size=4), max_size=3), max_size=2),
    st.sampled_from(["2024-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "book", "bad key", "r1"]),
)
_FIELDS = st.sampled_from([
    "id", "type", "title", "language", "note", "volume", "number-of-pages", "author", "translator", "issued",
    "accessed", "added", "modified", "tags", "categories", "remarks", "publisher", "custom", "unknown",
])


@given(st.dictionaries(_FIELDS, _VALUES, max_size=8), st.sampled_from(["book", "novel", 5]),
       st.sampled_from(["r1", "bad key", "x" * 201]), _TEXTS)
def test_the_quick_yes_never_passes_what_the_rules_refuse(
    fields: dict[str, Any], kind: object, key: object, title: str
) -> None:
    for record in ({"id": key, "type": kind, "title": title, **fields}, fields):
        if validation._plainly_valid(record):
            assert validation._every_problem(record) == []
        assert validate(record) == validation._every_problem(record)


# --- folding word by word and the duplicate index -------------------------------------------------

_SCRIPTS = st.text(st.sampled_from(list("abcxyzjwq shchtszhkhieio AБВЁЙйёщьъ ΣσςİıßﬁⅨ²①ＡáéÅ\u0301\u0308"
                                        "\u00a0\u2003\t\n\x1c\x85—-'’.,!?0129\u00a8")), max_size=30)


@given(_SCRIPTS | st.text(max_size=20))
def test_folding_word_by_word_is_search_key(text: str) -> None:
    assert folded_text(text) == search_key(text)


@given(_SCRIPTS, _SCRIPTS, st.sampled_from(["same", "upper", "punctuated", "apostrophes", "other"]))
def test_comparing_word_by_word_is_comparing_the_folded_texts(first: str, second: str, how: str) -> None:
    second = {"same": first, "upper": first.upper(), "punctuated": first.replace(" ", " - ") + "!",
              "apostrophes": first.replace("'", " "), "other": second}[how]
    assert same_folded(first, second) == (folded_text(first) == folded_text(second))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_duplicate_index_groups_as_content_keys_do(seed: int) -> None:
    records = [r for r in random_records(800, seed) if isinstance(r, dict) and not validate(r)]
    names = AuthorityIndex(AUTHORITIES)
    for authorities in (None, names):
        by_key: dict[Any, list[str]] = defaultdict(list)
        for record in records:
            by_key[content_key(record, authorities)].append(record["id"])
        index = DuplicateIndex(records, names=authorities)
        assert index.groups() == sorted(sorted(keys) for keys in by_key.values() if len(keys) > 1)
        assert index.groups()  # the records do hold duplicates
        for record in records[:300]:
            expected = [k for k in by_key[content_key(record, authorities)] if k != record["id"]]
            assert index.matches(record) == expected
