"""The foundation commands through CliRunner: list, show, init, --version, --help, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run
from typer.testing import CliRunner

from catalogue.store.session import init_catalogue


def test_first_use_seeds_and_says_where(runner: CliRunner, db_path: Path) -> None:
    code, out, err = run("list")
    assert code == 0
    assert f"Created the catalogue {db_path}" in err.replace("\n", "")
    assert out.startswith("key\ttype\tnames\ttitle\t")
    assert len(out.splitlines()) == 20  # header + 19
    code, _out, err = run("list")
    assert err == ""


def test_list_shows_books_newspapers_and_leaflet(runner: CliRunner) -> None:
    _code, out, _ = run("list", "--format", "json")
    records = json.loads(out)
    types = sorted(r.get("genre", r["type"]) for r in records)
    assert types.count("periodical") == 3 and types.count("leaflet") == 1
    assert len(records) == 19 and all("added" in r for r in records)


def test_list_table_has_the_columns(runner: CliRunner) -> None:
    code, out, _ = run("list", "--format", "table")
    assert code == 0
    for heading in ("Key", "Title", "Names", "Year", "Type", "Pages", "Place"):
        assert heading in out
    assert "Why Socialism?" in out and "Ovsyannikov I. A." in out and "1998–2007" in out


@pytest.mark.parametrize(
    ("sort", "first"),
    [("id", "close2001imf"), ("title", "doyle1993revolution"), ("year", "doyle1993revolution"),
     ("author", "cwiplatform"), ("type", "doyle1993revolution")],
)
def test_sort_orders(runner: CliRunner, sort: str, first: str) -> None:
    _code, out, _ = run("list", "--sort", sort, "--format", "ids")
    assert out.split()[0] == first


def test_reverse_and_limit(runner: CliRunner) -> None:
    _, out, _ = run("list", "--sort", "id", "--reverse", "--limit", "2", "--format", "ids")
    assert out.split() == ["third2001congress", "student2008defense"]
    code, _, _err = run("list", "--limit", "0")
    assert code == 2


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "ids", "json"])
def test_list_formats(runner: CliRunner, fmt: str) -> None:
    code, out, _ = run("list", "--format", fmt)
    assert code == 0 and "ovsyannikov2006why" in out


def test_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    code, out, err = run("list", "--format", "docx")
    assert code == 2 and out == ""
    assert "unknown export format 'docx'" in err and "tsv" in err


def test_data_is_printed_literally(runner: CliRunner, db_path: Path) -> None:
    from catalogue.store.layout import dump_records

    title = "[bold]Loud[/bold] [/] [link=http://x]x[/link] \x1b[31mred"
    # written as a file made before control characters were refused at the door
    db_path.write_bytes(dump_records({"markup": {"id": "markup", "type": "book", "title": title}}))
    code, out, _ = run("list", "--format", "table")
    assert code == 0
    assert "[bold]Loud[/bold]" in out and "[/]" in out and "[link=http://x]" in out
    assert "\x1b" not in out and "\\x1b[31mred" in out
    code, out, _ = run("show", "markup", "--format", "table")
    assert code == 0 and "[bold]Loud[/bold]" in out and "\x1b" not in out
    _, out, _ = run("list", "--format", "json")
    assert json.loads(out)[0]["title"] == title  # machine formats carry the data unchanged


def test_show(runner: CliRunner) -> None:
    code, out, _ = run("show", "ovsyannikov2006why", "--format", "table")
    assert code == 0
    for text in ("Why Socialism?", "Ovsyannikov I. A.", "2006", "Moscow", "36", "pamphlet"):
        assert text in out
    code, out, _ = run("show", "OVSYANNIKOV2006WHY", "--format", "json")
    assert json.loads(out)["id"] == "ovsyannikov2006why"


def test_show_unknown_key_suggests(runner: CliRunner) -> None:
    code, out, err = run("show", "ovsyanikov2006why")
    assert code == 3 and out == ""
    assert "no record has the key 'ovsyanikov2006why'" in err and "ovsyannikov2006why" in err
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1


def test_init(runner: CliRunner, db_path: Path) -> None:
    code, _, err = run("init", "--empty")
    assert code == 0 and "empty catalogue" in err
    code, _, err = run("init")
    assert code == 4 and "already exists" in err and "--force" in err
    code, _, err = run("init", "--force")
    assert code == 0 and ".bak" in err
    assert len(json.loads(db_path.read_text())["records"]) == 19


def test_db_option_beats_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    init_catalogue(other, empty=True)
    code, out, _ = run("list", "--db", str(other), "--format", "ids")
    assert code == 0 and out == ""


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"{oops", "is not valid JSON"), (b'{"format": "socsopr-catalogue", "version": 7, "records": {}}', "newer")],
)
def test_catalogue_file_problems_exit_4_and_leave_the_file(
    runner: CliRunner, db_path: Path, content: bytes, fragment: str
) -> None:
    db_path.write_bytes(content)
    for args in (["list"], ["show", "x"], ["init"]):
        code, out, err = run(*args)
        assert code == 4 and out == "" and str(db_path) in err
    code, _, err = run("list")
    assert fragment in err and len(err.strip().splitlines()) == 1
    assert db_path.read_bytes() == content


def test_folder_as_catalogue(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run("list", "--db", str(tmp_path))
    assert code in (2, 4) and "Traceback" not in err


def test_version(runner: CliRunner) -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("socsopr ")


def test_filters_on_list(runner: CliRunner) -> None:
    _, out, _ = run("list", "--author", "Овсянников", "--format", "ids")
    assert out.split() == ["ovsyannikov2005hands", "ovsyannikov2006we", "ovsyannikov2006why",
                           "ovsyannikov2006world", "ovsyannikov2007faq"]
    code, out, err = run("list", "--type", "leaflet", "--format", "ids")
    assert out.split() == ["socialistlet"]
    code, out, err = run("list", "--year", "1900..1950")
    assert code == 1 and out == "" and "no record matches" in err
    code, out, err = run("list", "--year", "abc")
    assert code == 2 and "'abc' is not a year" in err


def test_interrupt_is_exit_130_and_says_nothing_was_written(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import typer

    from catalogue.store import session

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise typer.Abort()

    monkeypatch.setattr(session.Catalogue, "open", interrupted)
    code, out, err = run("list")
    assert code == 130 and out == "" and "interrupted; nothing was written" in err
