"""Hostile files through the whole import transaction (issue #11): nothing lost, nothing injected,
never a traceback; every refusal is a ParseError (exit 3) naming file:line."""

from __future__ import annotations

import time

import pytest

from catalogue import Catalogue
from catalogue.curation import importing
from catalogue.curation.importing import import_texts
from catalogue.errors import ParseError

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # a terminal escape that writes the clipboard


def refused(*sources: tuple[str, str], **options: object) -> list[str]:
    catalogue = Catalogue.in_memory()
    with pytest.raises(ParseError) as caught:
        import_texts(catalogue, list(sources), **options)  # type: ignore[arg-type]
    assert len(catalogue) == 0
    return caught.value.problems


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.bib", "These are my notes, not a bibliography.\n"),
        ("notes.ris", "These are my notes\n\n"),
        ("empty.json", "[]"),
        ("strings.bib", "@string{acm = {ACM}}\n@comment{nothing here}\n"),
    ],
)
def test_a_file_with_no_records_is_an_error(name: str, text: str) -> None:
    problems = refused((name, text), skip_invalid=True)
    assert problems[-1].startswith(f"{name}:1: no records were found in {name} (read as ")


def test_a_file_with_no_records_stops_an_import_of_several() -> None:
    good = "@book{doe2001new, author = {Doe, J.}, title = {A New Book}, year = {2001}}\n"
    problems = refused(("a.bib", good), ("b.bib", "nothing\n"))
    assert problems == ["b.bib:1: no records were found in b.bib (read as bibtex)"]


@pytest.mark.parametrize(
    "key", ["http://zotero.org/users/1/items/ABCD", "https://doi.org/10.1/x", "bad key", "x" * 300, "«ключ»"]
)
def test_ids_that_are_not_citation_keys_are_replaced(key: str) -> None:
    catalogue = Catalogue.in_memory()
    text = f'[{{"id": "{key}", "type": "book", "title": "Why socialism", "author": [{{"family": "Doe"}}],' \
           ' "issued": {"date-parts": [[2006]]}}]'
    report = import_texts(catalogue, [("z.json", text)])
    assert report.imported == ["doe2006why"]
    assert report.renamed == [f"z.json:1: id {key!r} is {'a URI' if '://' in key else 'not a citation key'};"
                              " imported as doe2006why"]
    assert "note" not in catalogue.get("doe2006why")


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("t.bib", "@book{fine, title = {Fine}}\n\n@book{evil,\n  title = {Hi" + OSC52 + "}}\n", 3),
        ("t.json", '[\n {"id": "fine", "type": "book", "title": "Fine"},\n'
                   ' {"id": "evil", "type": "book", "title": "Hi\\u001b]52;c;cm0=\\u0007"}\n]', 3),
        ("t.ris", "TY  - BOOK\nID  - fine\nTI  - Fine\nER  - \n\nTY  - BOOK\nID  - evil\nTI  - Hi"
                  + OSC52 + "\nER  - \n", 6),
    ],
)
@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x85", "\u202e", "\u2066"])
def test_control_and_bidi_characters_are_problems_with_file_and_line(
    name: str, text: str, line: int, char: str
) -> None:
    text = text.replace("\x1b", char).replace("\\u001b", f"\\u{ord(char):04x}")
    problems = refused((name, text))
    assert len(problems) == 1 and problems[0].startswith(f"{name}:{line}: evil: title ")
    catalogue = Catalogue.in_memory()
    report = import_texts(catalogue, [(name, text)], skip_invalid=True)
    assert report.imported == ["fine"] and "evil" not in catalogue


def test_every_record_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = importing.validate

    def counting(record: object) -> list[str]:
        calls.append(record)
        return real(record)

    monkeypatch.setattr(importing, "validate", counting)
    text = "".join(f"@book{{k{i}, title = {{Title {i}}}, year = {{2001}}}}\n" for i in range(30))
    text += '@book{, title = {No key}}\n@book{k0, title = {Title 0}, year = {2001}}\n'  # a duplicate
    import_texts(Catalogue.in_memory(), [("a.bib", text)])
    assert len(calls) == 32


def test_a_record_check_would_refuse_is_refused_by_import() -> None:
    problems = refused(("a.json", '[{"id": "a", "type": "book", "title": "' + "x" * 200_000 + '"}]'))
    assert problems[0].startswith("a.json:1: a: title ")


def test_many_records_sharing_a_key_base_get_keys_in_linear_time() -> None:
    n = 6000
    item = '{"type": "book", "title": "Why socialism N", "author": [{"family": "Doe"}], "issued": {"date-parts": [[2006]]}}'
    items = ",".join(item.replace(" N", f" {i}") for i in range(n))
    catalogue = Catalogue.in_memory()
    started = time.perf_counter()
    report = import_texts(catalogue, [("many.json", f"[{items}]")], dry_run=True)
    elapsed = time.perf_counter() - started
    assert len(report.imported) == n and len(set(report.imported)) == n
    assert report.imported[:3] == ["doe2006why", "doe2006whya", "doe2006whyb"]
    assert elapsed < 10, elapsed


def test_billion_laughs_through_the_import() -> None:
    laughs = "@string{a0 = {ha}}\n" + "".join(f"@string{{a{i + 1} = a{i} # a{i}}}\n" for i in range(40))
    started = time.perf_counter()
    problems = refused(("l.bib", laughs + "@book{x, title = a40}\n"), skip_invalid=False)
    assert time.perf_counter() - started < 5
    assert problems[0] == "l.bib:17: @string a16 expands to more than 100,000 characters; it is left undefined"


def test_wrong_json_kinds_never_become_an_untitled_record() -> None:
    catalogue = Catalogue.in_memory()
    text = '[{"type": "book", "title": 5}, {"type": [], "title": "T"}, {"author": true, "title": "T", "type": "book"},' \
           ' {"id": "ok", "type": "book", "title": "Fine"}]'
    report = import_texts(catalogue, [("w.json", text)], skip_invalid=True)
    assert report.imported == ["ok"] and len(report.invalid) == 3
    assert "untitled" not in catalogue and len(catalogue) == 1
    for where, problem in zip(report.invalid, ["title must be text", "type [] is not text", "author True"],
                              strict=True):
        assert where.startswith("w.json:1: item ") and problem in where


def test_a_long_run_of_blanks_in_a_name_list_is_split_in_linear_time() -> None:
    """``\\s+and\\s+`` tried at every blank of a long run took quadratic time (13 s for one fuzz input)."""
    import time

    from catalogue.formats import get_importer

    text = "@book{k, title = {T}, author = {Doe, J." + " " * 200_000 + "x and Roe, R.}}\n"
    started = time.perf_counter()
    records = get_importer("biblatex")(text, "blanks.bib")
    assert time.perf_counter() - started < 5
    assert [a.get("family") for a in records[0]["author"]] == ["Doe", "Roe"]
