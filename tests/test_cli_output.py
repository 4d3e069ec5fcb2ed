"""Output that says what happened: show in a pipe, add, edit and remove in sentences, stats by decade."""

from __future__ import annotations

from pathlib import Path

from conftest import run

from catalogue import Catalogue
from catalogue.curation.stats import year_bins


def test_show_in_a_pipe_prints_every_field_under_the_names_people_see() -> None:
    code, out, err = run("show", "ovsyannikov2006why")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "key: ovsyannikov2006why"
    for line in ("title: Why Socialism?", "author: Ovsyannikov I. A.", "year: 2006", "place: Moscow",
                 "pages: 36", "tags: book-or-brochure"):
        assert line in lines
    assert any(line.startswith("remarks: ") for line in lines)
    assert any(line.startswith("source: ") for line in lines)
    assert any(line.startswith("added: ") for line in lines) and any(line.startswith("modified: ") for line in lines)
    assert "issued" not in out and "number-of-pages" not in out and "publisher-place" not in out
    assert run("show", "ovsyannikov2006why", "--format", "tsv").out.startswith("key\t")


def test_add_says_what_it_added_and_prints_the_key_alone_on_stdout() -> None:
    code, out, err = run("add", "--title", "Hands off!", "--author", "Ovsyannikov I. A.", "-y", "2009",
                         "--pages", "12", "--place", "Moscow")
    assert code == 0, err
    assert out == "ovsyannikov2009hands\n"
    assert "Added ovsyannikov2009hands: Ovsyannikov I. A. Hands off! Moscow, 2009. 12 pages (pamphlet)" in err


def test_edit_shows_a_diff_of_the_fields() -> None:
    code, _out, err = run("edit", "ovsyannikov2006why", "--set", "year=2007", "--set", "publisher=Progress",
                          "--unset", "pages")
    assert code == 0, err
    assert "Changed ovsyannikov2006why:" in err
    assert "year: 2006 → 2007" in err and "+ publisher: Progress" in err and "- pages: 36" in err
    assert "modified" not in err


def test_remove_says_it_or_them() -> None:
    assert "brings it back" in run("remove", "ovsyannikov2006why").err
    assert "brings them back" in run("remove", "close2001imf", "grapes2007wrath").err


def test_stats_groups_digits_bins_decades_and_shows_empty_years(db_path: Path) -> None:
    code, out, _err = run("stats", "--format", "table")
    assert code == 0
    assert "1995" in out  # an empty year between 1993 and 1998 in the shipped catalogue
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add_many({"id": f"r{year}", "type": "book", "title": f"Book {year}", "number-of-pages": 1000,
                      "issued": {"date-parts": [[year]]}} for year in range(1850, 2000, 2))
        cat.save("add many")
    code, out, _err = run("stats", "--format", "table")
    assert code == 0
    assert "By decade" in out and "1850s" in out and "1990s" in out and "1851" not in out
    assert "75,345 pages" in out


def test_year_bins() -> None:
    assert year_bins({"2001": 1, "2003": 2}) == [("2001", 1), ("2002", 0), ("2003", 2)]
    assert year_bins({"1900": 1, "2000": 1}) == [("1900", 1), ("2000", 1)]  # a long span: no gap rows
    many = {str(y): 1 for y in range(1901, 1930)}
    assert year_bins(many) == [("1900s", 9), ("1910s", 10), ("1920s", 10)]
    assert year_bins({"unknown": 2}) == [("unknown", 2)]
