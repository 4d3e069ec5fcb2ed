"""``socsopr merge``: three cross-script duplicates made one, old keys resolved, one undo, redo, prompts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run, run_process
from test_merge_records import brochures
from typer.testing import CliRunner

from catalogue import Catalogue
from catalogue.store.session import init_catalogue

KEYS = ["ovsyannikov2006why", "ovsyannikov2006pochemu", "ovsyannikov2006b"]


def three_duplicates(path: Path) -> Path:
    """A catalogue holding the brochure three times (Latin, Cyrillic, initials only) and one other record."""
    init_catalogue(path, empty=True)
    with Catalogue.open(path, writable=True) as cat:
        records = [{k: v for k, v in r.items() if k != "aliases"} for r in brochures()]
        cat.add_many([*records, {"id": "close2001imf", "type": "book", "title": "Close the IMF!"}])
        cat.save("add the brochure three times")
    return path


def records_of(path: Path) -> dict[str, dict[str, object]]:
    return json.loads(path.read_bytes())["records"]  # type: ignore[no-any-return]


def test_check_names_the_merge_command(db_path: Path) -> None:
    three_duplicates(db_path)
    code, out, _err = run("check")
    assert code == 3
    assert "socsopr merge ovsyannikov2006b ovsyannikov2006pochemu ovsyannikov2006why" in out  # all three scripts


def test_merge_keeps_every_value_resolves_old_keys_and_undoes_in_one(runner: CliRunner, db_path: Path) -> None:
    three_duplicates(db_path)
    before = records_of(db_path)
    code, out, err = run("merge", *KEYS, "--keep-both", "author", "--keep-both", "tags", "--yes")
    assert (code, out) == (0, ""), err
    assert "Merged ovsyannikov2006pochemu, ovsyannikov2006b into ovsyannikov2006why" in err
    after = records_of(db_path)
    assert sorted(after) == ["close2001imf", "ovsyannikov2006why"]
    merged = after["ovsyannikov2006why"]
    assert merged["aliases"] == ["ovsyannikov2006pochemu", "ovsyannikov2006b"]
    assert merged["author"] == [{"family": "Ovsyannikov", "given": "I. A."},
                                {"family": "Kozlovsky", "given": "S. A."}]
    assert "merged from ovsyannikov2006pochemu: title was Почему социализм?" in str(merged["remarks"])
    # old keys resolve: show, cite, edit (and biblatex writes them as ids for \cite{old})
    code, out, err = run("show", "ovsyannikov2006pochemu")
    assert code == 0 and "key: ovsyannikov2006why" in out, err
    code, out, err = run("cite", "OVSYANNIKOV2006B")
    assert code == 0 and "Pochemu sotsializm?" in out, err
    code, out, err = run("export", "--format", "biblatex")
    assert code == 0 and "ids = {ovsyannikov2006pochemu, ovsyannikov2006b}" in out, err
    code, out, err = run("export", "--format", "csl-json")
    items = {item["id"]: item for item in json.loads(out)}
    assert items["ovsyannikov2006why"]["custom"]["aliases"] == ["ovsyannikov2006pochemu", "ovsyannikov2006b"]
    code, _out, err = run("edit", "ovsyannikov2006b", "--add-tag", "merged")
    assert code == 0, err
    assert "merged" in records_of(db_path)["ovsyannikov2006why"]["tags"]  # type: ignore[operator]
    # an old key is taken: no new record, no rename may take it
    code, _out, err = run("add", "--key", "ovsyannikov2006pochemu", "--title", "Other", "--type", "book")
    assert code == 3 and "already exists" in err
    code, _out, err = run("edit", "close2001imf", "--rename", "Ovsyannikov2006B")
    assert code == 3 and "already exists" in err
    # one undo takes the edit back, one more the merge: the three records exactly as they were
    assert run("undo", "--yes").code == 0
    code, _out, err = run("undo", "--yes")
    assert code == 0, err
    assert records_of(db_path) == before
    code, _out, err = run("show", "ovsyannikov2006pochemu")
    assert code == 0
    # redo merges again, exactly
    code, _out, err = run("redo", "--yes")
    assert code == 0, err
    assert records_of(db_path)["ovsyannikov2006why"] == merged
    assert "ovsyannikov2006b" not in records_of(db_path)


def test_the_merge_is_one_history_entry(db_path: Path) -> None:
    three_duplicates(db_path)
    assert run("merge", *KEYS, "--yes").code == 0
    code, out, _err = run("history", "--format", "json")
    entries = json.loads(out)
    assert code == 0 and entries[0]["command"] == "merge ovsyannikov2006why ovsyannikov2006pochemu ovsyannikov2006b"
    assert (entries[0]["changed"], entries[0]["removed"]) == (1, 2) and len(entries) == 2


def test_prefer_names_the_kept_record(db_path: Path) -> None:
    three_duplicates(db_path)
    code, _out, err = run("merge", *KEYS, "--prefer", "ovsyannikov2006pochemu", "--yes")
    assert code == 0, err
    after = records_of(db_path)
    assert sorted(after) == ["close2001imf", "ovsyannikov2006pochemu"]
    assert after["ovsyannikov2006pochemu"]["title"] == "Почему социализм?"


def test_merging_a_merged_record_again_keeps_the_older_aliases(db_path: Path) -> None:
    three_duplicates(db_path)
    assert run("merge", KEYS[1], KEYS[2], "--yes").code == 0
    code, _out, err = run("merge", KEYS[0], KEYS[1], "--yes")
    assert code == 0, err
    assert records_of(db_path)["ovsyannikov2006why"]["aliases"] == [KEYS[2], KEYS[1]]
    assert run("show", KEYS[2]).code == 0


def test_interactive_choices_per_field(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    three_duplicates(db_path)
    monkeypatch.setattr("socsopr_cli.interaction.can_prompt", lambda: True)
    # fields that differ, in reading order: type, title, author, year? no: type, title, author, place,
    # pages, language, note, tags (remarks are always joined)
    answers = {"type": "1", "title": "2", "author": "b", "place": "", "pages": "3", "language": "",
               "note": "", "tags": "b"}
    from catalogue.model.fields import shown_name
    from catalogue.model.merging_records import differing_fields

    with Catalogue.open(db_path) as cat:
        fields = [shown_name(f) for f in differing_fields([cat.get(k) for k in KEYS])]
    assert fields == list(answers)
    typed = "x\n" + "\n".join(answers.values()) + "\ny\n"  # a wrong answer first: asked again
    code, _out, err = run("merge", *KEYS, input=typed)
    assert code == 0, err
    assert "Fields that differ" in err and "Answer one of 1, 2, 3" in err
    merged = records_of(db_path)["ovsyannikov2006why"]
    assert merged["title"] == "Почему социализм?" and merged["number-of-pages"] == 40
    assert merged["tags"] == ["brochure", "russian"] and len(merged["author"]) == 2  # type: ignore[arg-type]
    assert "merged from ovsyannikov2006why: title was Pochemu sotsializm?" in str(merged["remarks"])


def test_interactive_no_merges_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    three_duplicates(db_path)
    before = db_path.read_bytes()
    monkeypatch.setattr("socsopr_cli.interaction.can_prompt", lambda: True)
    code, _out, err = run("merge", KEYS[0], KEYS[1], input="\n" * 20 + "n\n")
    assert code == 0 and "Nothing was merged" in err
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["ovsyannikov2006why", "nokey", "--yes"], 3, "no record has the key 'nokey'"),
        (["ovsyannikov2006why", "--yes"], 2, "at least two records"),
        (["ovsyannikov2006why", "OVSYANNIKOV2006WHY", "--yes"], 2, "given twice"),
        (["ovsyannikov2006why", "ovsyannikov2006b", "--keep-both", "title", "--yes"], 2, "holds one value"),
        (["ovsyannikov2006why", "ovsyannikov2006b", "--prefer", "close2001imf", "--yes"], 2,
         "not one of the records"),
        (["ovsyannikov2006why", "ovsyannikov2006b"], 2, "add --yes"),
    ],
)
def test_bad_input_is_one_sentence(db_path: Path, args: list[str], code: int, words: str) -> None:
    three_duplicates(db_path)
    before = db_path.read_bytes()
    got, out, err = run("merge", *args)
    assert (got, out) == (code, ""), err
    assert words in err and err.count("\n") == 1 and err.startswith("error: ")
    assert db_path.read_bytes() == before


def test_an_alias_and_its_record_are_the_same_record_twice(db_path: Path) -> None:
    three_duplicates(db_path)
    assert run("merge", KEYS[0], KEYS[1], "--yes").code == 0
    code, _out, err = run("merge", KEYS[0], KEYS[1], "--yes")
    assert code == 2 and "given twice" in err


def test_an_alias_that_is_taken_is_refused(db_path: Path) -> None:
    from catalogue.errors import DuplicateKey

    three_duplicates(db_path)
    with Catalogue.open(db_path, writable=True) as cat:
        with pytest.raises(DuplicateKey):
            cat.merge({**cat.get(KEYS[0]), "aliases": ["close2001imf"]}, [KEYS[1]])
        with pytest.raises(DuplicateKey):
            cat.add({"id": "x1", "type": "book", "title": "X", "aliases": ["Close2001IMF"]})
        assert not cat.has_changes


def test_merge_in_a_real_process(db_path: Path) -> None:
    three_duplicates(db_path)
    done = run_process("merge", *KEYS, "--keep-both", "author", "--yes", env={"SOCSOPR_DB": str(db_path)})
    assert done.returncode == 0, done.stderr
    shown = run_process("show", "ovsyannikov2006b", env={"SOCSOPR_DB": str(db_path)})
    assert shown.returncode == 0 and "key: ovsyannikov2006why" in shown.stdout


def test_check_reports_an_alias_that_names_another_record(db_path: Path) -> None:
    """Two clones merged in git can bring an alias and a key together; the store never does."""
    from catalogue.store.files import atomic_write
    from catalogue.store.layout import dump_records

    records = {
        "a2006": {"id": "a2006", "type": "book", "title": "A", "aliases": ["b2006", "old"]},
        "b2006": {"id": "b2006", "type": "book", "title": "B"},
        "c2006": {"id": "c2006", "type": "book", "title": "C", "aliases": ["OLD"]},
    }
    atomic_write(db_path, dump_records(records))
    code, out, _err = run("check", "--format", "json")
    found = {(f["key"], f["problem"]) for f in json.loads(out) if f["check"] == "key"}
    assert code == 3 and found == {
        ("a2006", "its alias b2006 also names b2006 (keys and aliases are compared ignoring case)"),
        ("a2006", "its alias old also names c2006 (keys and aliases are compared ignoring case)"),
        ("c2006", "its alias OLD also names a2006 (keys and aliases are compared ignoring case)"),
    }
    assert run("show", "b2006").out.startswith("key: b2006")  # a key wins over an alias


@pytest.mark.tools("pdflatex", "biber", "pdftotext")
def test_latex_cites_by_an_old_key_after_the_merge(db_path: Path, tmp_path: Path) -> None:
    """biblatex's ids: a document that cites the merged-away keys still compiles, every citation resolved."""
    import subprocess

    three_duplicates(db_path)
    assert run("merge", *KEYS, "--yes").code == 0
    folder = tmp_path / "tex"
    folder.mkdir()
    assert run("export", "--format", "biblatex", "-o", str(folder / "refs.bib")).code == 0
    (folder / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[backend=biber]{biblatex}\\addbibresource{refs.bib}\n"
        "\\begin{document}\\cite{ovsyannikov2006pochemu} and \\cite{ovsyannikov2006b}.\\printbibliography"
        "\\end{document}\n", encoding="utf-8")
    for command in (["pdflatex"], ["biber"], ["pdflatex"], ["pdflatex"]):
        done = subprocess.run([*command, *(["-interaction=nonstopmode"] if command == ["pdflatex"] else []), "doc"],
                              cwd=folder, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stdout[-2000:]
    log = (folder / "doc.log").read_text("utf-8", errors="replace")
    assert "undefined" not in log.lower() and "rerun" not in log.lower()
    text = subprocess.run(["pdftotext", "doc.pdf", "-"], cwd=folder, capture_output=True, text=True,
                          check=True).stdout
    assert "[1] and [1]." in text


def test_links_of_an_absorbed_record_move_to_the_kept_one_and_come_back_on_undo(db_path: Path) -> None:
    three_duplicates(db_path)
    person = {"id": "ovsyannikov-i-a", "kind": "person", "name": {"family": "Ovsyannikov", "given": "I. A."},
              "links": {KEYS[1]: "author", KEYS[2]: "author"}}
    with Catalogue.open(db_path, writable=True) as cat:
        cat.put_authority(person)
        cat.save("names add")
    code, _out, err = run("merge", *KEYS, "--keep-both", "author", "--yes")
    assert code == 0, err
    with Catalogue.open(db_path) as cat:
        assert cat.authorities()["ovsyannikov-i-a"]["links"] == {KEYS[0]: "author"}
    assert run("undo", "--yes").code == 0
    with Catalogue.open(db_path) as cat:
        assert cat.authorities()["ovsyannikov-i-a"]["links"] == person["links"]
        assert sorted(cat.keys()) == sorted([*KEYS, "close2001imf"])
