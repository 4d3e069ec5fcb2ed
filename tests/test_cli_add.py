"""``socsopr add`` through CliRunner and one real subprocess."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import process_argv, run
from typer.testing import CliRunner

from catalogue import Catalogue

LINE = "Ovsyannikov I. A. Why Socialism? — М., 2007. — 36 с."




def stored(db_path: Path, key: str) -> dict[str, object]:
    with Catalogue.open(db_path) as cat:
        return cat.get(key)


def test_add_from_options_prints_the_key_and_saves_one_change(runner: CliRunner, db_path: Path) -> None:
    code, out, err = run(
        "add", "--title", "Close the IMF! Again", "--author", "Doyle K.", "--author", "=Socialist Resistance",
        "--year", "2009", "--place", "Voronezh", "--pages", "60", "--tag", "mine", "--language", "ru",
    )
    assert code == 0, err
    assert out == "doyle2009close\n"
    record = stored(db_path, "doyle2009close")
    assert record["author"] == [{"family": "Doyle", "given": "K."}, {"literal": "Socialist Resistance"}]
    assert record["type"] == "book" and record["number-of-pages"] == 60 and record["tags"] == ["mine"]
    with Catalogue.open(db_path) as cat:
        assert [c.command for c in cat.history()] == ["add doyle2009close"]


def test_add_from_a_gost_line(runner: CliRunner, db_path: Path) -> None:
    code, out, err = run("add", "--gost", LINE, "--tag", "new", "--key", "why2007")
    assert (code, out) == (0, "why2007\n"), err
    record = stored(db_path, "why2007")
    assert record["title"] == "Why Socialism?" and record["type"] == "pamphlet"
    assert record["tags"] == ["new"] and record["issued"] == {"date-parts": [[2007]]}


def test_add_reports_what_the_line_could_not_place(runner: CliRunner) -> None:
    code, _out, err = run("add", "--gost", "Книга / под ред. С. Козловского. — М., 2009. — 36 с. : ил.")
    assert code == 0
    assert "Not placed in any field: ил" in err
    assert "genitive" in err


def test_not_a_description_exits_3(runner: CliRunner, db_path: Path) -> None:
    code, out, err = run("add", "--gost", "hello world")
    assert (code, out) == (3, "")
    assert "is not a GOST description" in err and len(err.strip().splitlines()) == 1


def test_without_a_terminal_add_never_prompts_and_says_what_is_missing(runner: CliRunner) -> None:
    code, out, err = run("add", "--author", "Doyle K.", input="Title\n")
    assert (code, out) == (2, "")
    assert "--title" in err and "--gost" in err


def test_invalid_data_lists_every_problem_and_writes_nothing(runner: CliRunner, db_path: Path) -> None:
    run("list")
    before = db_path.read_bytes()
    code, out, err = run("add", "--title", "T", "--year", "soon", "--pages", "many", "--type", "novel")
    assert (code, out) == (3, "")
    assert "year 'soon'" in err and "pages 'many'" in err
    code, _out, err = run("add", "--title", "T", "--type", "novel")
    assert code == 3 and '"novel" is not a CSL type' in err
    assert db_path.read_bytes() == before


def test_a_likely_duplicate_is_refused_unless_forced(runner: CliRunner, db_path: Path) -> None:
    code, out, err = run("add", "--gost", "Овсянников И. А. Why socialism — М., 2006. — 36 с.")
    assert (code, out) == (3, "")
    assert "ovsyannikov2006why" in err and "--force" in err
    code, out, _err = run("add", "--gost", "Овсянников И. А. Why socialism — М., 2006.", "--force")
    assert (code, out) == (0, "ovsyannikov2006whya\n")


def test_a_taken_key_exits_3(runner: CliRunner) -> None:
    code, _out, err = run("add", "--title", "T", "--key", "OVSYANNIKOV2006WHY")
    assert code == 3 and "already exists" in err


def test_a_year_in_the_far_future_is_refused(runner: CliRunner) -> None:
    code, _out, err = run("add", "--title", "T", "--year", "2999")
    assert code == 3 and "2999" in err


def test_interactive_add_prompts_shows_the_gost_line_and_confirms(runner: CliRunner, db_path: Path) -> None:
    answers = "\n".join([
        "",  # no GOST line: type the fields
        "Why Socialism?: Answers", "Ovsyannikov I. A.", "", "", "", "soon", "2008", "Moscow", "", "36",
        "", "ru", "", "mine", "y",
    ]) + "\n"
    code, out, err = run("add", "--interactive", input=answers)
    assert code == 0, err
    # CliRunner echoes the typed answers to stdout; a terminal would echo them itself
    assert out.splitlines()[-1] == "ovsyannikov2008why"
    # the GOST form as it grows (GOST R 7.0.100-2018: comma in the heading, the author after the slash)
    assert "Ovsyannikov, I. A. Why Socialism? : Answers / I. A. Ovsyannikov. — Moscow, 2008. — 36 p." in err
    assert "year 'soon'" in err  # a bad answer is asked again
    assert stored(db_path, "ovsyannikov2008why")["type"] == "pamphlet"


def test_interactive_add_from_a_gost_line_can_be_declined(runner: CliRunner, db_path: Path) -> None:
    run("list")
    before = db_path.read_bytes()
    answers = LINE + "\n" + "\n" * 13 + "n\n"
    code, out, err = run("add", "-i", input=answers)
    assert code == 0 and "ovsyannikov" not in out
    assert "Nothing was added." in err
    assert db_path.read_bytes() == before


def test_add_through_the_installed_command(db_path: Path) -> None:
    env = {**os.environ, "SOCSOPR_DB": str(db_path)}
    result = subprocess.run(
        [*process_argv("add"), "--gost", LINE],
        capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ovsyannikov2007why\n"
