"""Parallel titles (#13): the ``titles`` field, its checks, search, add/edit/show, APA's brackets, biblatex, csl-json."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import run, run_process
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cite_parity import pandoc_entries, style_file

from catalogue.cite.pandoc import pandoc_binary
from catalogue.formats import export, get_importer
from catalogue.model.titles import (
    bracketed_title,
    cited_record,
    original_title,
    parse_parallel_title,
    same_language,
    translated_title,
)
from catalogue.model.validation import validate

WHY = {
    "id": "ovsyannikov2006pochemu", "type": "book", "title": "Почему социализм?", "language": "ru",
    "author": [{"family": "Овсянников", "given": "И. А."}], "issued": {"date-parts": [[2006]]},
    "publisher-place": "Москва", "publisher": "Социалистическое сопротивление",
    "titles": [{"kind": "translation", "language": "en", "text": "Why Socialism?"},
               {"kind": "translation", "language": "de", "text": "Warum Sozialismus?"}],
}
# A record made from a bibliography that gave the English translation only, the original added later.
FAQ = {
    "id": "ovsyannikov2007faq", "type": "book", "title": "FAQ. Socialism in questions and answers",
    "language": "ru", "author": [{"family": "Ovsyannikov", "given": "I."}], "issued": {"date-parts": [[2007]]},
    "titles": [{"kind": "original", "language": "ru", "text": "FAQ. Социализм в вопросах и ответах"}],
}
ENGLISH = {"id": "smith2001work", "type": "book", "title": "Work", "language": "en",
           "author": [{"family": "Smith", "given": "J."}], "issued": {"date-parts": [[2001]]},
           "titles": [{"kind": "translation", "language": "ru", "text": "Работа"}]}


# --- the model ---------------------------------------------------------------------------------


def test_a_parallel_title_is_read_from_language_equals_text() -> None:
    assert parse_parallel_title("en=Why  Socialism?") == {
        "kind": "translation", "language": "en", "text": "Why Socialism?"}
    assert parse_parallel_title("original:ru=Почему социализм?")["kind"] == "original"
    assert parse_parallel_title("romanization:ru-Latn=Pochemu socializm?")["language"] == "ru-Latn"
    for bad in ("Why Socialism?", "en=", "english language=x", "sideways:en=x"):
        with pytest.raises(ValueError):
            parse_parallel_title(bad)


def test_languages_match_by_their_subtags() -> None:
    assert same_language("en-GB", "en") and same_language("en", "en")
    assert not same_language("en", "en-GB") and not same_language("ru-Latn", "ru-Cyrl")
    assert not same_language("de", "en")


def test_the_translation_and_the_original_are_chosen_by_language() -> None:
    assert translated_title(WHY, "en") == "Why Socialism?"
    assert translated_title(WHY, "de") == "Warum Sozialismus?"
    assert translated_title(WHY, "fr") is None
    assert translated_title(WHY, "ru") is None  # the work's own language needs no translation
    assert original_title(WHY) == WHY["title"]
    # the title the source gave is the translation of the original given beside it
    assert original_title(FAQ) == "FAQ. Социализм в вопросах и ответах"
    assert translated_title(FAQ, "en") == FAQ["title"]
    assert translated_title(ENGLISH, "en") is None


def test_apa_brackets_the_translation_after_the_original() -> None:
    assert bracketed_title(WHY, "en") == "Почему социализм? [Why Socialism?]"
    assert bracketed_title(WHY, "en", "gost-7.79-b") == "Pochemu socializm? [Why Socialism?]"
    assert bracketed_title(FAQ, "en") == "FAQ. Социализм в вопросах и ответах [FAQ. Socialism in questions and answers]"
    assert bracketed_title(ENGLISH, "en") is None
    assert cited_record(ENGLISH, "en") is ENGLISH  # nothing to add: the record as it is


def test_a_romanisation_a_person_gave_wins_over_the_computed_one() -> None:
    given_one = {**WHY, "titles": [*WHY["titles"], {"kind": "romanization", "language": "ru-Latn",
                                                    "system": "gost-7.79-b", "text": "Pochemu sotsializm?"}]}
    assert bracketed_title(given_one, "en", "gost-7.79-b") == "Pochemu sotsializm? [Why Socialism?]"
    assert bracketed_title(given_one, "en", "iso-9") == "Počemu socializm? [Why Socialism?]"


# --- validation ----------------------------------------------------------------------------------


def test_valid_parallel_titles_pass() -> None:
    assert validate(WHY) == [] and validate(FAQ) == [] and validate(ENGLISH) == []


@pytest.mark.parametrize(("titles", "problem"), [
    ("Why Socialism?", "must be a non-empty list"),
    ([], "must be a non-empty list"),
    (["Why Socialism?"], "not an object"),
    ([{"language": "en", "kind": "translation"}], "has no text"),
    ([{"text": " ", "language": "en", "kind": "translation"}], "has no text"),
    ([{"text": "x", "kind": "translation"}], "language null is not a tag"),
    ([{"text": "x", "language": "english language", "kind": "translation"}], "is not a tag"),
    ([{"text": "x", "language": "en", "kind": "subtitle"}], 'kind "subtitle" is not one of'),
    ([{"text": "x", "language": "en", "kind": "translation", "system": "iso-9"}], "only a romanization"),
    ([{"text": "x", "language": "en", "kind": "translation", "script": "Latn"}], 'unknown parts "script"'),
    ([{"text": "a\nb", "language": "en", "kind": "translation"}], "line break"),
    ([{"text": "a\u202eb", "language": "en", "kind": "translation"}], "U+202E"),
    ([{"text": "x", "language": "en", "kind": "translation"}] * 2, "repeats a parallel title"),
    ([{"text": "x", "language": "ru", "kind": "original"}, {"text": "y", "language": "ru", "kind": "original"}],
     "more than one original"),
    ([{"text": str(i), "language": "en", "kind": "translation"} for i in range(51)], "over the limit of 50"),
])
def test_invalid_parallel_titles_are_refused_in_one_sentence(titles: Any, problem: str) -> None:
    problems = validate({**WHY, "titles": titles})
    assert problems and all(p.startswith("titles") for p in problems)
    assert any(problem in p for p in problems), problems


# --- json and csl-json round trips -----------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u2028\u2029"),
                min_size=1, max_size=30).filter(str.strip)
_TAG = st.from_regex(r"\A[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,2}\Z")
_ENTRY = st.one_of(
    st.fixed_dictionaries({"kind": st.sampled_from(["translation", "original"]), "language": _TAG, "text": _TEXT}),
    st.fixed_dictionaries({"kind": st.just("romanization"), "language": _TAG, "text": _TEXT},
                          optional={"system": _TEXT}),
)


def _reimported(record: dict[str, Any], fmt: str) -> dict[str, Any]:
    [back] = get_importer(fmt)(export([record], fmt), f"test.{fmt}")
    return back


@settings(max_examples=150, deadline=None)
@given(st.lists(_ENTRY, min_size=1, max_size=6))
def test_valid_titles_survive_json_and_csl_json(titles: list[dict[str, str]]) -> None:
    record = {**WHY, "titles": titles}
    if validate(record):
        return  # (two originals, a repeated entry: refused at every door, never exported)
    for fmt in ("json", "csl-json"):
        assert _reimported(record, fmt)["titles"] == titles


def test_csl_json_keeps_titles_in_custom_beside_remarks_and_other_custom_values() -> None:
    record = {**FAQ, "remarks": "checked", "custom": {"zotero": 1}}
    [item] = json.loads(export([record], "csl-json"))
    assert item["title"] == FAQ["title"]
    assert item["custom"] == {"zotero": 1, "remarks": "checked", "titles": FAQ["titles"]}
    back = _reimported(record, "csl-json")
    assert (back["titles"], back["remarks"], back["custom"]) == (FAQ["titles"], "checked", {"zotero": 1})


def test_another_programs_custom_titles_stay_in_custom() -> None:
    item = {"id": "x", "type": "book", "title": "T", "custom": {"titles": ["not", "ours"]}}
    [record] = get_importer("csl-json")(json.dumps([item]), "x.json")
    assert "titles" not in record and record["custom"] == {"titles": ["not", "ours"]}


# --- biblatex ------------------------------------------------------------------------------------------


def test_biblatex_writes_the_original_as_origtitle_and_origlanguage_and_reads_it_back() -> None:
    text = export([FAQ], "biblatex")
    assert "  origtitle = {{FAQ}. {Социализм} в вопросах и ответах},\n" in text
    assert "origlanguage = {russian}," in text and "langid = {russian}," in text
    back = _reimported(FAQ, "biblatex")
    assert back["titles"] == FAQ["titles"] and "original-title" not in back
    assert back["title"] == FAQ["title"] and back["language"] == "ru"


def test_a_translated_works_origtitle_stays_csl_original_title() -> None:
    """biblatex's origtitle of a translation (origlanguage differs from langid) is CSL's original-title."""
    bib = ("@book{tolstoy1957war, title = {War and Peace}, origtitle = {Война и мир}, origlanguage = {russian},"
           " langid = {english}, date = {1957}}\n")
    [record] = get_importer("biblatex")(bib, "x.bib")
    assert record["original-title"] == "Война и мир" and "titles" not in record
    translated = {"id": "t", "type": "book", "title": "War and Peace", "original-title": "Война и мир",
                  "language": "en", "titles": [{"kind": "original", "language": "en", "text": "War & Peace"}]}
    assert "origtitle = {Война и мир}" in export([translated], "biblatex")  # CSL's own field first


@pytest.mark.tools("biber")
def test_biber_accepts_origlanguage_in_socsopr_entries(tmp_path: Path) -> None:
    bib = tmp_path / "t.bib"
    bib.write_text(export([FAQ, WHY], "biblatex"), encoding="utf-8")
    done = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-file", str(tmp_path / "o.bib"),
                           str(bib)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Invalid field" not in done.stdout + done.stderr


# --- the command line ----------------------------------------------------------------------------------


def _empty_catalogue() -> None:
    assert run("init", "--empty").code == 0


def test_add_show_edit_and_search_parallel_titles() -> None:
    _empty_catalogue()
    added = run("add", "--title", "Почему социализм?", "--language", "ru", "--author", "Овсянников И. А.",
                "-y", "2006", "--title-translation", "Why Socialism?",
                "--parallel-title", "romanization:ru-Latn=Pochemu socializm?", "--yes")
    assert added.code == 0, added.err
    key = added.out.strip()
    shown = run("show", key, "--format", "fields")
    assert "titles: en (translation): Why Socialism?; ru-Latn (romanization): Pochemu socializm?\n" in shown.out
    assert shown.out.index("title: ") < shown.out.index("titles: ") < shown.out.index("author: ")
    for query in ("why socialism", "title:socialism", "pochemu", "Почему"):
        found = run("search", query, "--format", "ids")
        assert found.code == 0 and found.out.split() == [key], (query, found)
    edited = run("edit", key, "--set", "parallel-title=de=Warum Sozialismus?")
    assert edited.code == 0, edited.err
    assert json.loads(run("show", key, "-f", "json").out)["titles"] == [
        {"kind": "translation", "language": "de", "text": "Warum Sozialismus?"}]
    assert run("search", "warum", "-f", "ids").out.split() == [key]
    assert run("search", "why socialism", "-f", "ids").code == 1  # --set replaced the list
    as_json = json.dumps([{"kind": "original", "language": "ru", "text": "Почему социализм?"}], ensure_ascii=False)
    assert run("edit", key, "--set", f"titles={as_json}").code == 0


@pytest.mark.parametrize(("args", "code", "said"), [
    (["--parallel-title", "Why Socialism?"], 3, "is not LANGUAGE=TITLE"),
    (["--parallel-title", "subtitle:en=x"], 3, "is not a kind of parallel title"),
])
def test_add_refuses_a_malformed_parallel_title_in_one_line(args: list[str], code: int, said: str) -> None:
    _empty_catalogue()
    result = run("add", "--title", "T", *args, "--yes")
    assert result.code == code and said in result.err and "Traceback" not in result.err
    assert result.err.count("\n") <= 2


def test_edit_refuses_titles_that_do_not_validate() -> None:
    result = run("edit", "ovsyannikov2006why", "--set", 'titles=[{"text": "x", "language": "en"}]')
    assert result.code == 3 and "kind" in result.err


def test_the_shipped_catalogue_has_no_invented_originals() -> None:
    """The article gives no Russian title of any shipped record: none is made up (#13, item 5)."""
    records = json.loads(run("export", "-f", "json").out)
    assert not [r["id"] for r in records if "titles" in r]


# --- cite: APA 7's brackets, compared with pandoc on the same CSL-JSON ----------------------------------


def _catalogue_of(records: list[dict[str, Any]], tmp_path: Path) -> None:
    _empty_catalogue()
    source = tmp_path / "records.json"
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    imported = run("import", "-f", "json", str(source))
    assert imported.code == 0, imported.err


def _apa_items(tmp_path: Path, titles: dict[str, str]) -> Path:
    """``export -f csl-json`` of the catalogue with the titles APA 7 wants, written by hand."""
    items = json.loads(run("export", "-f", "csl-json").out)
    for item in items:
        item["title"] = titles.get(item["id"], item["title"])
    path = tmp_path / "apa-items.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", [("text", "plain"), ("markdown", "markdown")], ids=lambda f: f[0])
def test_cite_apa_brackets_the_translated_title_as_pandoc_prints_it(tmp_path: Path, fmt: tuple[str, str]) -> None:
    _catalogue_of([WHY, FAQ, ENGLISH], tmp_path)
    expected = pandoc_entries(pandoc_binary(), _apa_items(tmp_path, {
        WHY["id"]: "Почему социализм? [Why Socialism?]",
        FAQ["id"]: "FAQ. Социализм в вопросах и ответах [FAQ. Socialism in questions and answers]",
    }), style_file("apa"), fmt[1])
    result = run("cite", "--style", "apa", "--format", fmt[0])
    assert result.code == 0, result.err
    got = result.out.rstrip("\n").split("\n\n" if fmt[0] == "markdown" else "\n")
    assert got == expected
    plain = [e.replace("\\", "") for e in got]  # (Markdown escapes the brackets)
    assert any("Почему социализм? [Why Socialism?]" in e for e in plain) and any("Work" in e for e in plain)


def test_cite_in_the_works_language_adds_no_brackets(tmp_path: Path) -> None:
    _catalogue_of([WHY, ENGLISH], tmp_path)
    result = run("cite", "--style", "apa", "--locale", "ru-RU")
    assert "[Why Socialism?]" not in result.out and "Work [Работа]" in result.out
    assert "[Why Socialism?]" not in run("cite", "--style", "gost").out  # GOST: the original script


def test_export_csl_json_is_unchanged_by_translations() -> None:
    [item] = json.loads(export([WHY], "csl-json"))
    assert item["title"] == WHY["title"]


def test_cite_romanized_apa_equals_pandoc_on_romanized_items(tmp_path: Path) -> None:
    _catalogue_of([WHY], tmp_path)
    romanized = json.loads(run("export", "-f", "csl-json", "--romanize", "gost-7.79-b").out)
    romanized[0]["title"] = "Pochemu socializm? [Why Socialism?]"
    items = tmp_path / "items.json"
    items.write_text(json.dumps(romanized, ensure_ascii=False), encoding="utf-8")
    expected = pandoc_entries(pandoc_binary(), items, style_file("apa"), "plain")
    result = run("cite", "--style", "apa", "--romanize", "gost-7.79-b")
    assert result.out.rstrip("\n").split("\n") == expected
    assert expected == ["Ovsyannikov, I. A. (2006). Pochemu socializm? [Why Socialism?]. "
                        "Socialisticheskoe soprotivlenie."]


def test_the_real_command_romanizes_and_brackets(tmp_path: Path) -> None:
    _catalogue_of([WHY], tmp_path)
    done = run_process("cite", "--romanize", "gost-7.79-b")
    assert done.returncode == 0, done.stderr
    assert re.search(r"Ovsyannikov, I\. A\. Pochemu socializm\? \[Why Socialism\?\]", done.stdout)
    assert not re.search(r"[\u0400-\u04FF]", done.stdout)
