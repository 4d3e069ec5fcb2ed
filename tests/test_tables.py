"""Tables that fit the terminal: at 60, 80, 120 and 200 columns no value is cut without "…", no column
is dropped without the layout saying so, and Cyrillic and wide (CJK) characters stay aligned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from catalogue.model.record import Record
from socsopr_cli.tables import (
    COMPACT_BELOW,
    LIST_COLUMNS,
    Column,
    fitted_table,
    record_cells,
    records_view,
    short_names,
)
from tests.conftest import ROOT, run

WIDTHS = (60, 80, 120, 200)


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Record]]:
    from catalogue import Catalogue

    path = tmp_path_factory.mktemp("shipped") / "catalogue.json"
    with Catalogue.open(path, create=True) as cat:
        shipped = [dict(r) for r in cat.iter_records()]
    mixed = json.loads((ROOT / "tests" / "data" / "mixed-catalogue.json").read_text(encoding="utf-8"))
    return {"shipped": shipped, "mixed": mixed}


def render(renderable: object, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get().rstrip("\n").split("\n")


def squeezed(text: str) -> str:
    return "".join(text.split())


def table_cells(lines: list[str]) -> tuple[list[str], list[list[list[str]]]]:
    """The headers and, per record, the lines of each cell (a record starts where its key cell does)."""
    headers = [h.strip() for h in lines[0].split("│")]
    rows: list[list[list[str]]] = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.split("│")]
        assert len(cells) == len(headers), line
        if cells[0]:
            rows.append([[] for _ in headers])
        for i, cell in enumerate(cells):
            if cell:
                rows[-1][i].append(cell)
    return headers, rows


HEADER_OF = {"Key": "key", "Title": "title", "Names": "names", "Year": "year", "Type": "type",
             "Pages": "pages", "Place": "place", "Publisher": "publisher", "Lang": "language",
             "Tags": "tags", "Score": "score"}


def assert_whole_or_marked(value: str, shown: str, where: str) -> None:
    """A shown value is the value, or a start of it ending in "…"."""
    value, shown = " ".join(value.split()), " ".join(shown.split())
    if shown == value:
        return
    assert shown.endswith("…"), f"{where}: {value!r} cut without an ellipsis: {shown!r}"
    assert value.startswith(shown[:-1].rstrip()), f"{where}: {shown!r} is not the start of {value!r}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["shipped", "mixed"])
def test_every_value_whole_or_marked_and_every_column_shown_or_named(
    catalogues: dict[str, list[Record]], name: str, width: int
) -> None:
    records = catalogues[name]
    shown = records_view(records, width)
    lines = render(shown.renderable, width)
    assert max(cell_len(line) for line in lines) <= width
    cells = [record_cells(r) for r in records]
    nonempty = {c for row in cells for c, v in row.items() if v}
    if width < COMPACT_BELOW:
        assert shown.compact and len(lines) == len(records)  # one line per record
        for record, line in zip(records, lines, strict=True):
            key, _, rest = line.partition("  ")
            assert key == record["id"]
            title = record_cells(record)["title"]
            assert title[:6] in rest or rest.endswith("…"), line
            year = record_cells(record)["year"]
            assert not year or f"({year})" in rest, line
        shown_names = {"key", "names", "year", "title", "type"}
    else:
        assert not shown.compact
        headers, rows = table_cells(lines)
        names = [HEADER_OF[h] for h in headers]
        shown_names = set(names)
        assert len(rows) == len(records)
        for row, cell in zip(rows, cells, strict=True):
            for column, parts in zip(names, row, strict=True):
                value = cell[column]
                if column in ("title", "names", "place", "publisher", "tags"):  # wrapped, never cut
                    assert squeezed("".join(parts)) == squeezed(value), (column, parts, value)
                else:
                    assert len(parts) <= 1, (column, parts)
                    assert_whole_or_marked(value, parts[0] if parts else "", f"{column} of {cell['key']}")
        for first in ("key", "title", "year", "names"):  # the columns that go last
            assert first in shown_names or first not in nonempty
    hidden = nonempty - shown_names
    assert set(shown.hidden) == hidden
    assert (shown.footer is not None) == bool(hidden)
    if hidden:
        assert all(column in shown.footer for column in hidden)  # type: ignore[operator]
        assert "--columns" in shown.footer  # type: ignore[operator]


def test_widths_order_the_columns_by_priority(catalogues: dict[str, list[Record]]) -> None:
    """Wider is never fewer columns, and a title is never squeezed below 30 cells for a lesser column."""
    records = catalogues["shipped"]
    previous: set[str] = set()
    for width in range(COMPACT_BELOW, 260, 10):
        lines = render(records_view(records, width).renderable, width)
        headers = {HEADER_OF[h.strip()] for h in lines[0].split("│")}
        assert previous <= headers, width
        previous = headers
        title_width = cell_len(lines[0].split("│")[1]) - 2
        assert title_width >= 30 or headers == {"key", "title", "year", "names"}, (width, headers)
    assert previous == {c for c in LIST_COLUMNS if any(record_cells(r)[c] for r in records)}


def test_titles_wrap_before_short_columns_do(catalogues: dict[str, list[Record]]) -> None:
    lines = render(records_view(catalogues["shipped"], 120).renderable, 120)
    headers, rows = table_cells(lines)
    assert "Year" in headers
    year = headers.index("Year")
    assert any(r[year] == ["1998–2007"] for r in rows)  # whole, on one line
    assert any(len(r[headers.index("Title")]) > 1 for r in rows)


def test_empty_columns_are_dropped_and_named_ones_kept() -> None:
    records = [{"id": "a2001", "type": "book", "title": "A", "issued": {"date-parts": [[2001]]}}]
    lines = render(records_view(records, 120).renderable, 120)
    assert [h.strip() for h in lines[0].split("│")] == ["Key", "Title", "Year", "Type"]
    asked = records_view(records, 120, columns=["key", "names", "pages"])
    assert [h.strip() for h in render(asked.renderable, 120)[0].split("│")] == ["Key", "Names", "Pages"]
    assert asked.hidden == []


def test_asked_columns_are_a_table_at_any_width_in_their_order() -> None:
    records = [{"id": "ovs2006", "type": "pamphlet", "title": "Why Socialism?", "number-of-pages": "36",
                "issued": {"date-parts": [[2006]]}}]
    lines = render(records_view(records, 60, columns=["year", "key", "pages"]).renderable, 60)
    assert [h.strip() for h in lines[0].split("│")] == ["Year", "Key", "Pages"]
    assert [c.strip() for c in lines[2].split("│")] == ["2006", "ovs2006", "36"]


WIDE = [
    {"id": "mao1949", "type": "book", "title": "中国人民站起来了：毛泽东在中国人民政治协商会议第一届全体会议上的开幕词",
     "author": [{"family": "毛", "given": "泽东"}], "issued": {"date-parts": [[1949]]},
     "publisher-place": "北京", "publisher": "人民出版社"},
    {"id": "ovsyannikov2006why", "type": "pamphlet", "title": "Почему социализм? Ответы на вопросы",
     "author": [{"family": "Овсянников", "given": "Игорь Алексеевич"}], "issued": {"date-parts": [[2006]]},
     "publisher-place": "Москва", "number-of-pages": "36"},
    {"id": "kim2010", "type": "book", "title": "노동자 투쟁의 역사", "issued": {"date-parts": [[2010]]},
     "publisher-place": "서울"},
    {"id": "yamada1968", "type": "article-newspaper", "title": "ストライキと学生運動",
     "author": [{"family": "山田", "given": "太郎"}], "issued": {"date-parts": [[1968]]}},
]


@pytest.mark.parametrize("width", WIDTHS)
def test_wide_and_cyrillic_characters_align(width: int) -> None:
    shown = records_view(WIDE, width)
    lines = render(shown.renderable, width)
    assert all(cell_len(line) <= width for line in lines)
    if shown.compact:
        # the text after the key starts at the same cell on every line
        starts = {cell_len(line[: len(line) - len(line[len(line.split()[0]):].lstrip())]) for line in lines}
        assert len(starts) == 1
        assert any("中国人民" in line for line in lines) and any("…" in line for line in lines)
        return
    # every rule and every separator at the same cell in every line
    bars = [tuple(i for i, _ in enumerate(_cells(line)) if _ in "│┿") for line in lines]
    assert len(set(bars)) == 1, "\n".join(lines)
    headers, rows = table_cells(lines)
    title = headers.index("Title")
    assert squeezed("".join(rows[0][title])) == squeezed(WIDE[0]["title"])


def _cells(line: str) -> Iterator[str]:
    """The characters of a line, one per terminal cell (a wide character and a blank after it)."""
    for char in line:
        yield char
        if cell_len(char) == 2:
            yield " "


def test_compact_layout_names_year_title_type() -> None:
    record = {"id": "ovsyannikov2006why", "type": "pamphlet", "title": "Why Socialism?",
              "author": [{"family": "Ovsyannikov", "given": "I. A."}], "issued": {"date-parts": [[2006]]}}
    lines = render(records_view([record], 80).renderable, 80)
    assert lines == ["ovsyannikov2006why  Ovsyannikov (2006) Why Socialism? [pamphlet]"]
    many = {**record, "editor": [{"family": "Kozlovsky", "given": "S. A."}]}
    assert short_names(many) == "Ovsyannikov et al."
    assert "Ovsyannikov et al. (2006)" in render(records_view([many], 80).renderable, 80)[0]


def test_hostile_values_are_shown_escaped_in_both_layouts() -> None:
    record = {"id": "x", "type": "book", "title": "Hi \x1b]52;c;Zm9v\x07 \u202eevil", "publisher": "[bold]P"}
    for width in (80, 120):
        text = "\n".join(render(records_view([record], width).renderable, width))
        assert "\x1b" not in text and "\\x1b" in text and "\u202e" not in text


def test_fitted_table_for_any_rows() -> None:
    columns = (Column("id", "Id"), Column("name", "Name", wrap=True, min_width=10),
               Column("note", "Note", wrap=True, min_width=30), Column("empty", "Empty"))
    rows = [["a", "Ovsyannikov I. A.", "x " * 40, ""]]
    shown = fitted_table(columns, rows, 40)
    assert shown.hidden == ["note"] and "note" in (shown.footer or "")
    lines = render(shown.renderable, 40)
    assert [h.strip() for h in lines[0].split("│")] == ["Id", "Name"]


# --- through the command line ------------------------------------------------------------------

@pytest.fixture
def width(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Set the terminal width for in-process runs (the consoles are made once per process)."""
    from socsopr_cli.console import console, err_console

    def set_width(columns: int) -> None:
        monkeypatch.setenv("COLUMNS", str(columns))
        console.cache_clear()
        err_console.cache_clear()

    yield set_width
    console.cache_clear()
    err_console.cache_clear()


def test_list_columns_chooses_a_table_even_in_a_pipe(width: object) -> None:
    width(80)  # type: ignore[operator]
    code, out, err = run("list", "--columns", "key,year,pages", "--year", "2006")
    assert code == 0, err
    lines = out.splitlines()
    assert [h.strip() for h in lines[0].split("│")] == ["Key", "Year", "Pages"]
    assert any("ovsyannikov2006why" in line and "36" in line for line in lines)


def test_columns_take_the_records_own_names_too() -> None:
    code, out, _ = run("list", "--columns", "id,issued,number-of-pages,publisher-place")
    assert code == 0
    assert [h.strip() for h in out.splitlines()[0].split("│")] == ["Key", "Year", "Pages", "Place"]


@pytest.mark.parametrize(("argv", "says"), [
    (["list", "--columns", "key,colour"], "there is no column 'colour'"),
    (["list", "--columns", ","], "--columns names no column"),
    (["list", "--columns", "key", "--format", "tsv"], "--columns chooses the columns of a table"),
    (["search", "socialism", "--columns", "key,score", "-f", "json"], "--columns chooses"),
])
def test_bad_columns_are_a_usage_error(argv: list[str], says: str) -> None:
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) <= 2


def test_search_columns_and_score(width: object) -> None:
    width(120)  # type: ignore[operator]
    code, out, _ = run("search", "socialism", "--columns", "key,score,title")
    assert code == 0
    lines = out.splitlines()
    assert [h.strip() for h in lines[0].split("│")] == ["Key", "Score", "Title"]
    assert "ovsyannikov2006why" in out


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
def test_list_and_search_tables_at_every_width(width: object, columns: int) -> None:
    width(columns)  # type: ignore[operator]
    for argv in (["list", "-f", "table"], ["search", "socialism", "-f", "table"]):
        code, out, err = run(*argv)
        assert code == 0, err
        assert max(cell_len(line) for line in out.splitlines()) <= columns
        if columns < COMPACT_BELOW:
            assert "One line per record" in err and "--columns" in err
        if columns == 200 and argv[0] == "list":
            assert "hidden" not in err  # everything fits


def test_piped_output_stays_tsv() -> None:
    code, out, _ = run("list")
    assert code == 0 and out.splitlines()[0].split("\t")[:3] == ["key", "type", "names"]


def test_mixed_catalogue_through_list(width: object, db_path: Path) -> None:
    code, _, err = run("import", str(ROOT / "tests" / "data" / "mixed-catalogue.json"), "--format", "json")
    assert code == 0, err
    width(120)  # type: ignore[operator]
    code, out, err = run("list", "-f", "table")
    assert code == 0 and "socsopr2026software" in out and "Workers of the World" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 120


def test_history_fits_and_names_what_it_hides(width: object) -> None:
    code, _, err = run("add", "--title", "A record with a rather long title", "--type", "book", "--year", "2001")
    assert code == 0, err
    for columns in (60, 120):
        width(columns)  # type: ignore[operator]
        code, out, err = run("history", "--format", "table")
        assert code == 0
        assert max(cell_len(line) for line in out.splitlines()) <= columns
        assert ("hidden" in err) == (columns == 60), err


def test_no_other_command_imports_textual(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom socsopr_cli.app import app\nsys.argv = ['socsopr', 'list', '-f', 'table']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print('textual' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, "SOCSOPR_DB": str(tmp_path / "c.json"), "SOCSOPR_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
