"""Forgiving command lines: options anywhere in search, field names as people see them, one meaning per
short option, year ranges in every form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run, run_process

from catalogue import Catalogue
from catalogue.model.editing import parse_issued
from catalogue.search.filters import parse_years
from socsopr_cli.parsing import options_first

# --- options anywhere in search -------------------------------------------------------------


def test_search_takes_options_after_the_query() -> None:
    code, out, err = run("search", "socialism", "--limit", "3")
    assert code == 0, err
    assert len(out.splitlines()) == 4  # header and three records
    code, out, _err = run("search", "socialism", "-n", "3", "-f", "ids")
    assert code == 0 and len(out.splitlines()) == 3
    code, out, _err = run("search", "socialism", "--format=ids")
    assert code == 0 and "ovsyannikov2006why" in out.splitlines()


def test_search_prograss_in_cyrillic_with_the_format_last() -> None:
    code, _out, err = run("add", "--title", "Капитал", "--publisher", "Прогресс", "--year", "1983",
                          "--key", "capital1983")
    assert code == 0, err
    code, out, err = run("search", "Прогресс", "--format", "ids")
    assert code == 0, err
    assert out == "capital1983\n"


def test_a_dash_word_that_is_no_option_stays_an_exclusion() -> None:
    everything = set(run("list", "-f", "ids").out.split())
    code, out, err = run("search", "-hands", "-f", "ids")  # excludes, never the help
    assert code == 0, err
    assert "ovsyannikov2005hands" not in out.split() and "Usage" not in out
    assert set(out.split()) == everything - {"ovsyannikov2005hands"}
    code, out, err = run("search", "-foo", "socialism", "-f", "ids")  # -f is --format; -foo is no option
    assert code == 0, err
    assert "ovsyannikov2006why" in out.split()
    code, out, err = run("search", "-year:2006", "--format", "ids")
    assert code == 0, err
    assert "ovsyannikov2006why" not in out.split() and "close2001imf" in out.split()


def test_double_dash_ends_the_options() -> None:
    code, out, _err = run("search", "-f", "ids", "--", "-hands")
    assert code == 0 and "ovsyannikov2005hands" not in out.split()
    code, _out, err = run("search", "-f", "ids", "--", "socialism", "-n")  # -n after -- is a query term
    assert code == 0, err


def test_a_mistyped_long_option_is_named_with_the_closest() -> None:
    code, _out, err = run("search", "socialism", "--fromat", "ids")
    assert code == 2 and "--fromat" in err and "--format" in err


def test_options_first_moves_only_known_options_with_their_values() -> None:
    from typer.main import get_command

    from socsopr_cli.app import app

    group = get_command(app)
    command = group.commands["search"]  # type: ignore[attr-defined]
    ctx = command.make_context("search", ["x"])
    params = command.get_params(ctx)
    assert options_first(["a", "-n", "3", "-b", "--type=book", "c"], params) == [
        "-n", "3", "--type=book", "--", "a", "-b", "c"]
    assert options_first(["-n", "3"], params) == ["-n", "3"]
    assert options_first(["x", "--", "-n", "3"], params) == ["--", "x", "-n", "3"]
    assert options_first(["-author:doyle", "--author", "-x"], params) == ["--author", "-x", "--", "-author:doyle"]


def test_a_real_process_reads_options_after_the_query() -> None:
    result = run_process("search", "socialism", "--limit", "3", "--format", "ids")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


# --- field names as people see them ------------------------------------------------------------


def test_edit_sets_year_pages_and_place_by_their_shown_names(db_path: Path) -> None:
    code, _out, err = run("edit", "ovsyannikov2006why", "--set", "year=2007", "--set", "pages=20",
                          "--set", "place=Yaroslavl")
    assert code == 0, err
    with Catalogue.open(db_path) as cat:
        record = cat.get("ovsyannikov2006why")
    assert record["issued"] == {"date-parts": [[2007]]}
    assert record["number-of-pages"] == 20 and record["publisher-place"] == "Yaroslavl"
    assert run("edit", "ovsyannikov2006why", "--unset", "pages", "--set", "PUBLISHER=Progress")[0] == 0
    with Catalogue.open(db_path) as cat:
        record = cat.get("ovsyannikov2006why")
    assert "number-of-pages" not in record and record["publisher"] == "Progress"


def test_edit_names_an_unknown_field_in_json_quotes_with_the_closest() -> None:
    code, _out, err = run("edit", "ovsyannikov2006why", "--set", "yaer=2007")
    assert code == 2
    assert '"yaer" is not a field of a record; did you mean "year"?' in err
    assert "'" not in err.split("error:")[1].split("?")[0]
    code, _out, err = run("edit", "ovsyannikov2006why", "--set", "names=X")
    assert code == 2 and "author=" in err
    code, _out, err = run("edit", "ovsyannikov2006why", "--set", "key=x")
    assert code == 2 and "--rename" in err


def test_list_sorts_by_the_names_people_see() -> None:
    by_names = run("list", "--sort", "names", "-f", "ids").out
    by_author = run("list", "--sort", "author", "-f", "ids").out
    assert by_names == by_author
    assert run("list", "--sort", "key", "-f", "ids").out == run("list", "-f", "ids").out
    code, _out, err = run("list", "--sort", "yaer")
    assert code == 2 and "unknown sort field" in err and "year" in err


# --- one meaning per short option --------------------------------------------------------------


def test_y_is_year_in_add() -> None:
    code, out, err = run("add", "--title", "X", "-y", "2006")
    assert code == 0, err
    assert out.strip() == "x2006"


def test_retired_short_options_still_work_with_a_note() -> None:
    run("add", "--title", "Gone soon", "--year", "2006", "--key", "gone")
    code, _out, err = run("remove", "-y", "gone")
    assert code == 0 and "-y for --yes is deprecated" in err
    code, _out, err = run("undo", "-y")
    assert code == 0 and "-y for --yes is deprecated" in err
    code, out, err = run("list", "-s", "year", "-f", "ids")
    assert code == 0 and "-s for --sort is deprecated" in err and out


# one meaning under two names: how many to show (stats counts names, the others records)
SAME_MEANING = {"--top": "--limit"}


def test_every_short_option_has_one_meaning_across_commands() -> None:
    from typer.main import get_command

    from socsopr_cli.app import COMMANDS, app

    group = get_command(app)
    meanings: dict[str, set[str]] = {}
    for name in COMMANDS:
        command = group.commands[name]  # type: ignore[attr-defined]
        if hasattr(command, "commands"):  # a group (names): its subcommands
            continue
        for param in command.params:
            shorts = [o for o in param.opts if len(o) == 2 and o[1] != "-"]
            longs = [o for o in param.opts if o.startswith("--")]
            for short in shorts:
                meanings.setdefault(short, set()).update(SAME_MEANING.get(o, o) for o in longs[:1])
    clashes = {short: longs for short, longs in meanings.items() if len(longs) > 1}
    assert clashes == {}


# --- year ranges in every form -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2006-2007", "2006–2007", "2006..2007", "2006,2007", "2006 — 2007"])
def test_a_year_range_in_any_form(text: str) -> None:
    assert parse_issued(text) == {"date-parts": [[2006], [2007]]}
    assert [tuple(r) for r in parse_years(text)] in ([(2006, 2007)], [(2006, 2006), (2007, 2007)])


def test_a_month_stays_a_month() -> None:
    assert parse_issued("2007-10") == {"date-parts": [[2007, 10]]}


@pytest.mark.parametrize("text", ["1998–2007", "1998-2007", "1998..2007", "1998,2007"])
def test_list_year_accepts_the_form_list_prints(text: str) -> None:
    code, out, err = run("list", "--year", text, "-f", "ids")
    assert code == 0, err
    assert "left1998vanguard" in out.split()


def test_search_year_term_and_add_and_edit_take_ranges(db_path: Path) -> None:
    code, out, err = run("search", "year:2006-2007", "-f", "ids")
    assert code == 0, err
    assert "ovsyannikov2006why" in out.split()
    code, _out, err = run("add", "--title", "Ranged", "--year", "2006–2007", "--key", "ranged")
    assert code == 0, err
    assert run("edit", "ranged", "--set", "year=2008,2009")[0] == 0
    code, out, _err = run("show", "ranged", "-f", "json")
    assert json.loads(out)["issued"] == {"date-parts": [[2008], [2009]]}
