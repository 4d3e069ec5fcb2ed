"""``socsopr names``: the authorities at the command line, each change undoable."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run, run_process


def test_names_show_lists_every_form_and_record_of_ovsyannikov() -> None:
    for wanted in ("ovsyannikov-i-a", "Ovsyannikov I.", "Овсянников И. А."):
        result = run("names", "show", wanted)
        assert result.code == 0, result.err
        assert "Ovsyannikov I. A.  (preferred)" in result.out and "\n  Ovsyannikov I.\n" in result.out
        assert "5 records" in result.out
        for key in ("ovsyannikov2005hands", "ovsyannikov2006we", "ovsyannikov2006why", "ovsyannikov2006world",
                    "ovsyannikov2007faq"):
            assert key in result.out
    data = json.loads(run("names", "show", "ovsyannikov-i-a", "--format", "json").out)
    assert [r["key"] for r in data["records"]][-1] == "ovsyannikov2007faq"


def test_stats_counts_ovsyannikov_once_with_five_records() -> None:
    names = json.loads(run("stats", "--format", "json").out)["names"]
    assert names[0] == {"name": "Ovsyannikov I. A.", "records": 5, "roles": {"author": 4, "editor": 1}}
    assert not [n for n in names if n["name"] == "Ovsyannikov I."]


def test_author_filter_finds_the_faq_by_the_full_initials() -> None:
    expected = ["ovsyannikov2005hands", "ovsyannikov2006we", "ovsyannikov2006why", "ovsyannikov2006world",
                "ovsyannikov2007faq"]
    assert run("list", "--author", "Ovsyannikov I. A.", "-f", "ids").out.split() == expected
    assert sorted(run("search", "--author", "Овсянников И. А.", "-f", "ids").out.split()) == expected


def test_list_pipes_as_tsv_with_a_header() -> None:
    result = run("names", "list")
    lines = result.out.splitlines()
    assert result.code == 0 and lines[0] == "id\tkind\tname\tvariants\tdates"
    assert any(line.startswith("socialist-resistance\torganisation\tSocialist Resistance\t") for line in lines)
    assert run("names", "list", "--kind", "person", "-f", "json").out.count('"kind": "person"') == 1
    assert run("names", "list", "--kind", "robot").code == 2


def test_add_variant_rename_merge_link_and_undo_each() -> None:
    assert run("names", "add", "Kozlovsky, S. A.", "--variant", "Козловский, С. А.").out == "kozlovsky-s-a\n"
    assert run("names", "add", "Kozlovsky, S.", "--id", "kozlovsky-s").code == 0
    merged = run("names", "merge", "kozlovsky-s-a", "kozlovsky-s")
    assert merged.code == 0, merged.err
    shown = run("names", "show", "Козловский С. А.").out
    assert "Kozlovsky S." in shown and "2 records" in shown
    history = run("history", "-f", "json").out
    assert json.loads(history)[0]["authorities"] == ["kozlovsky-s", "kozlovsky-s-a"]
    undone = run("undo", "--yes")
    assert undone.code == 0 and "2 authorities" in undone.err
    assert {"kozlovsky-s", "kozlovsky-s-a"} <= {line.split("\t")[0] for line in run("names", "list").out.splitlines()}
    assert run("names", "add-variant", "socialist-resistance", "Соцсопротивление").code == 0
    assert "Соцсопротивление" in run("names", "show", "socialist-resistance").out
    assert run("names", "rename", "ovsyannikov-i-a", "Овсянников, И. А.").code == 0
    assert run("names", "show", "ovsyannikov-i-a").out.startswith("Овсянников И. А.  (person")
    assert run("names", "link", "cwi-section-in-the-cis", "close2001imf").code == 0
    assert "close2001imf" in run("names", "show", "cwi-section-in-the-cis").out
    for _ in range(3):
        assert run("undo", "--yes").code == 0
    assert "close2001imf" not in run("names", "show", "cwi-section-in-the-cis").out
    assert "Соцсопротивление" not in run("names", "show", "socialist-resistance").out


def test_errors_are_one_sentence_with_documented_codes() -> None:
    assert run("names", "list").code == 0  # the catalogue is created from the shipped one
    missing = run("names", "show", "nobody")
    assert missing.code == 3 and missing.err.startswith("error: no person or organisation")
    assert len(missing.err.splitlines()) == 1
    assert run("names", "link", "socialist-resistance", "nokey").code == 3
    assert run("names", "merge", "ovsyannikov-i-a", "Ovsyannikov I.").code == 2
    assert run("names", "link", "socialist-resistance", "close2001imf", "--role", "owner").code == 2
    assert run("names", "add", "Ovsyannikov, I. A.", "--id", "ovsyannikov-i-a").code == 3
    run("names", "add", "Ovsyannikov, I. B.")
    assert run("names", "show", "Ovsyannikov I.").code == 0  # an exact form of I. A. wins over I. B.
    ambiguous = run("names", "show", "Овсянников")  # fits I. A. and I. B.; no terminal to ask at
    assert ambiguous.code == 3 and "ovsyannikov-i-a, ovsyannikov-i-b" in ambiguous.err


def test_names_help_teaches(db_path: Path) -> None:
    result = run("names", "--help")
    assert result.code == 0 and "socsopr names show 'Ovsyannikov I.'" in result.out
    for command in ("list", "show", "add", "add-variant", "rename", "merge", "link"):
        assert command in result.out
        assert run("names", command, "--help").code == 0


def test_a_damaged_authorities_table_exits_4_in_a_real_process(db_path: Path) -> None:
    assert run("names", "list").code == 0
    db_path.write_text(db_path.read_text(encoding="utf-8").replace('"kind": "person"', '"kind": 5', 1),
                       encoding="utf-8")
    for args in (["names", "list"], ["stats"], ["search", "socialism"], ["add", "--title", "X", "--yes"]):
        done = run_process(*args)
        assert done.returncode == 4, (args, done.stderr)
        assert "damaged authority 'ovsyannikov-i-a'" in done.stderr and "Traceback" not in done.stderr
