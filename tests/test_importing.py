"""The import transaction (catalogue.curation.importing): formats, duplicates, invalid input, one undo step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue import Catalogue
from catalogue.curation.importing import decode_bytes, detect_format, import_texts
from catalogue.errors import ParseError, UsageProblem

NEW = "@book{doe2001new, author = {Doe, J.}, title = {A New Book}, year = {2001}}\n"
SAME_WORK = "@book{other, author = {Ovsyannikov, I.}, title = {Why socialism}, year = {2006}}\n"


def test_detect_format_by_extension_and_content() -> None:
    assert detect_format("a.bib", "") == "bibtex"
    assert detect_format("a.ris", "") == "ris"
    assert detect_format("a.json", '[{"id": "x", "added": "2020-01-01T00:00:00Z"}]') == "json"
    assert detect_format("a.json", '[{"id": "x", "type": "book"}]') == "csl-json"
    assert detect_format("<stdin>", "\n@article{x, title={t}}") == "bibtex"
    assert detect_format("<stdin>", "TY  - BOOK\nER  - \n") == "ris"
    assert detect_format("<stdin>", "TY - JOUR\r\nER - \r\n") == "ris"  # one space, as Zotero reads
    with pytest.raises(UsageProblem):
        detect_format("notes.xyz", "just words")


def test_not_utf8_is_a_parse_error_with_line() -> None:
    with pytest.raises(ParseError) as caught:
        decode_bytes("ok\nbad \xff".encode("latin-1"), "x.bib")
    assert caught.value.problems == ["x.bib:2: not UTF-8 text (save the file as UTF-8)"]


def test_import_is_one_undoable_step(db_path: Path) -> None:
    with Catalogue.open(db_path, writable=True) as cat:
        before = len(cat)
        report = import_texts(cat, [("a.bib", NEW + "@book{b, title = {B}}\n")], command="import a.bib")
        assert report.imported == ["doe2001new", "b"] and report.change is not None
    with Catalogue.open(db_path, writable=True) as cat:
        assert len(cat) == before + 2 and cat.history()[0].command == "import a.bib"
        cat.undo()
    with Catalogue.open(db_path) as cat:
        assert len(cat) == before


def test_invalid_record_imports_nothing_unless_skipped(db_path: Path) -> None:
    text = NEW + "\n@book{untitled, year = {2001}}\n"
    with Catalogue.open(db_path, writable=True) as cat:
        with pytest.raises(ParseError) as caught:
            import_texts(cat, [("a.bib", text)])
        assert caught.value.problems == ["a.bib:3: untitled: title is missing"]
        assert "doe2001new" not in cat
        report = import_texts(cat, [("a.bib", text)], skip_invalid=True)
        assert report.imported == ["doe2001new"] and len(report.invalid) == 1


@pytest.mark.parametrize(
    ("policy", "expect"),
    [("skip", (0, 0, 1)), ("update", (0, 1, 0)), ("keep-both", (1, 0, 0))],
)
def test_duplicates_by_content_follow_the_policy(shipped: Catalogue, policy: str, expect: tuple) -> None:
    catalogue = Catalogue.in_memory(shipped.records())
    report = import_texts(catalogue, [("a.bib", SAME_WORK)], on_duplicate=policy)
    assert (len(report.imported), len(report.updated), len(report.skipped)) == expect
    if policy == "update":
        assert catalogue.get("ovsyannikov2006why")["title"] == "Why socialism"
        assert catalogue.get("ovsyannikov2006why")["tags"] == ["book-or-brochure"]  # kept


def test_key_clash_keep_both_renames_and_error_refuses(shipped: Catalogue) -> None:
    catalogue = Catalogue.in_memory(shipped.records())
    clash = "@book{Close2001IMF, title = {Something else}}\n"
    report = import_texts(catalogue, [("a.bib", clash)], on_duplicate="keep-both")
    assert report.imported == ["Close2001IMFa"] and "imported as Close2001IMFa" in report.renamed[0]
    with pytest.raises(ParseError) as caught:
        import_texts(catalogue, [("b.bib", clash)], on_duplicate="error")
    assert caught.value.problems[0].startswith("b.bib:1: Close2001IMF: the catalogue has a record with this key")


def test_identical_record_is_skipped_and_dry_run_changes_nothing(shipped: Catalogue) -> None:
    catalogue = Catalogue.in_memory(shipped.records())
    json_text = '[{"id": "x1", "type": "book", "title": "Fresh"}]'
    report = import_texts(catalogue, [("a.json", json_text)], dry_run=True)
    assert report.imported == ["x1"] and "x1" not in catalogue
    import_texts(catalogue, [("a.json", json_text)])
    again = import_texts(catalogue, [("a.json", json_text)])
    assert again.imported == [] and "identical to x1" in again.skipped[0]


def test_missing_or_bad_keys_are_generated(shipped: Catalogue) -> None:
    catalogue = Catalogue.in_memory()
    text = '[{"type": "book", "title": "Почему социализм?", "author": [{"family": "Овсянников"}],' \
           ' "issued": {"date-parts": [[2006]]}}, {"id": "bad key", "type": "book", "title": "T"}]'
    report = import_texts(catalogue, [("a.json", text)])
    assert report.imported == ["ovsyannikov2006pochemu", "t"]
    assert "'bad key' is not a citation key" in report.renamed[0]


def test_duplicates_inside_one_import(shipped: Catalogue) -> None:
    catalogue = Catalogue.in_memory()
    report = import_texts(catalogue, [("a.bib", NEW + NEW.replace("doe2001new", "DOE2001NEW"))])
    assert report.imported == ["doe2001new"] and len(report.skipped) == 1


def test_a_decomposed_utf8_key_is_imported_composed(db_path: Path, tmp_path: Path) -> None:
    import unicodedata

    from catalogue.curation.importing import import_texts

    key = unicodedata.normalize("NFD", "шевчук2015й")
    assert key != "шевчук2015й"
    text = json.dumps([{"id": key, "type": "book", "title": "Й"}], ensure_ascii=False)
    with Catalogue.open(db_path, writable=True) as cat:
        report = import_texts(cat, [("a.json", text)], fmt="csl-json")
        assert report.imported == ["шевчук2015й"] and not report.renamed
        assert cat.get("шевчук2015й")["title"] == "Й"
