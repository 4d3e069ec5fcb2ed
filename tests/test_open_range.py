"""Open date ranges (``2007–``: a serial still published): stored as citeproc reads them, shown, filtered."""

from __future__ import annotations

import pytest
from conftest import run
from typer.testing import CliRunner

from catalogue.model.editing import BadValue, parse_issued
from catalogue.model.record import is_open_range, next_year, year_range, year_text
from catalogue.model.validation import validate
from catalogue.search.filters import parse_years

OPEN = {"date-parts": [[2007, 10], [0]]}


@pytest.mark.parametrize("text", ["2007-10..", "2007-10–", "2007-10 —", "2007-10/"])
def test_open_ranges_are_read_from_every_usual_form(text: str) -> None:
    assert parse_issued(text) == OPEN


def test_a_closed_range_and_a_single_year_are_unchanged() -> None:
    assert parse_issued("1998–2007") == {"date-parts": [[1998], [2007]]}
    assert parse_issued("2006") == {"date-parts": [[2006]]}
    with pytest.raises(BadValue):
        parse_issued("..")


def test_an_open_range_is_valid_and_reads_as_running_to_next_year() -> None:
    record = {"id": "socialist2007", "type": "periodical", "title": "Socialist", "issued": OPEN}
    assert validate(record) == []
    assert is_open_range(record) and year_text(record) == "2007–"
    assert year_range(record) == (2007, next_year())
    assert parse_years("2009").overlaps(year_range(record)) and not parse_years("2006").overlaps(year_range(record))


@pytest.mark.parametrize("parts", [[[0], [0]], [[2007], [0, 1]], [[0]], [[2007], []]])
def test_only_an_end_of_exactly_0_opens_a_range(parts: list) -> None:
    record = {"id": "x2007", "type": "periodical", "title": "S", "issued": {"date-parts": parts}}
    assert validate(record) and not is_open_range(record)


def test_add_list_and_gost_of_a_running_serial(runner: CliRunner) -> None:
    code, out, err = run("add", "--type", "periodical", "--title", "Socialist Again", "--year", "2007-10..",
                         "--key", "again2007", "--language", "ru")
    assert (code, out) == (0, "again2007\n"), err
    code, out, err = run("list", "-f", "ids", "--year", "2009")
    assert code == 0 and "again2007" in out.split(), err
    code, out, err = run("export", "-f", "tsv")
    assert "again2007\tperiodical\t\tSocialist Again\t2007–" in out, err
    code, out, err = run("cite", "again2007")
    assert code == 0 and "2007–" in out, err
