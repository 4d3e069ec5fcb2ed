"""Output that cannot attack: spreadsheet cells that never run, terminal output that never drives it.

The hostile catalogue is written straight to the file in the canonical layout
(validation at the door may refuse such values; a file edited by hand or by
another tool still holds them).
"""

from __future__ import annotations

import csv
import io
import os
import re
import select
import subprocess
from pathlib import Path

import pytest
from conftest import process_argv, run

from catalogue.formats import export
from catalogue.formats.tables import COLUMNS, export_csv, export_tsv, spreadsheet_safe
from catalogue.store import layout
from socsopr_cli import console, render
from socsopr_cli.console import literal, visible

# --- spreadsheets -------------------------------------------------------------------------------

HOSTILE_CELLS = [  # each starts a formula, or starts with a tab or CR
    "=1+1", "+1", "-1", "@SUM(A1:A2)", " =1+1", "\t=1+1", "\r=1+1", "\n=1", "\x01=cmd|' /C calc'!A0",
    "\u202e=1", "\u00a0\u3000=1", "\ufeff@x", "\r", "\t", "\r\nx",
]
BREAKING_CELLS = [  # a line break, after which a spreadsheet would start a row with a formula
    "Title\r=HYPERLINK(\"http://evil.example\",\"x\")", "Title\n=2+2", "Title\r\n-3", "Title\t=4", "a,b\r=5",
    'quote " \r@6',
]
SAFE_CELLS = ["Why Socialism?", "1968. Revolution month", "Овсянников", " leading space", "x=1", "\x01plain"]
FORMULA = re.compile("^[\\s\\x00-\\x1f\\x7f-\\x9f\u200b-\u200f\u2028-\u202f\u205f-\u2069\u3000\ufeff]*[=+\\-@]")


def spreadsheet_rows(text: str, delimiter: str) -> list[list[str]]:
    """Rows as a spreadsheet splits them: a CR or LF outside quotes ends a row; quotes are removed."""
    rows: list[list[str]] = [[]]
    cell, quoted, i = "", False, 0
    while i < len(text):
        c = text[i]
        if quoted:
            if c == '"' and text[i + 1:i + 2] == '"':
                cell, i = cell + '"', i + 1
            elif c == '"':
                quoted = False
            else:
                cell += c
        elif c == '"' and delimiter == "," and cell == "":
            quoted = True
        elif c == delimiter:
            rows[-1].append(cell)
            cell = ""
        elif c in "\r\n":
            rows[-1].append(cell)
            cell = ""
            if text[i:i + 2] == "\r\n":
                i += 1
            rows.append([])
        else:
            cell += c
        i += 1
    if cell or rows[-1]:
        rows[-1].append(cell)
    return [r for r in rows if r]


def hostile_records(cells: list[str]) -> list[dict[str, object]]:
    return [{"id": f"k{i:02d}", "type": "book", "title": cell, "publisher": cell, "publisher-place": cell,
             "author": [{"family": cell, "given": "A."}], "tags": [cell], "language": cell}
            for i, cell in enumerate(cells)]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_no_cell_of_a_table_runs_as_a_formula(fmt: str) -> None:
    records = hostile_records(HOSTILE_CELLS + BREAKING_CELLS + SAFE_CELLS)
    text = export_csv(records) if fmt == "csv" else export_tsv(records)
    rows = spreadsheet_rows(text, "," if fmt == "csv" else "\t")
    assert len(rows) == len(records) + 1, "a line break inside a cell started a new row"
    assert rows[0] == list(COLUMNS)
    for cells in rows[1:]:
        assert len(cells) == len(COLUMNS)
        for cell in cells:
            assert not FORMULA.match(cell), cell
            assert not cell.startswith(("\t", "\r")), cell
    if fmt == "tsv":
        assert "\r" not in text and text.count("\n") == len(records) + 1


def test_csv_keeps_every_value_apart_from_the_apostrophe() -> None:
    """A CSV reader gets each cell back: the value, or ``'`` and the value when it could run."""
    records = hostile_records(HOSTILE_CELLS + BREAKING_CELLS + SAFE_CELLS)
    rows = list(csv.reader(io.StringIO(export_csv(records), newline="")))
    titles = [r[COLUMNS.index("title")] for r in rows[1:]]
    assert titles == ["'" + c for c in HOSTILE_CELLS] + BREAKING_CELLS + SAFE_CELLS


def test_tsv_puts_a_cell_on_one_line() -> None:
    rows = export_tsv(hostile_records(["Title\r=1", "a\r\nb", "tab\there", "x\ry"])).splitlines()[1:]
    assert [r.split("\t")[COLUMNS.index("title")] for r in rows] == ["Title =1", "a b", "tab here", "x y"]


@pytest.mark.parametrize("cell", HOSTILE_CELLS)
def test_spreadsheet_safe_marks_every_hostile_cell(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", [*SAFE_CELLS, ""])
def test_spreadsheet_safe_leaves_ordinary_cells_alone(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell


# --- terminals ----------------------------------------------------------------------------------

PAYLOADS = {
    "clipboard": "Copy \x1b]52;c;ZWNobyBwd25lZA==\x07 me",
    "window": "\x1b]0;owned\x07Window",
    "link": "\x1b]8;;https://evil.example\x1b\\Link\x1b]8;;\x1b\\",
    "clear": "\x1b[2J\x1b[HClear",
    "colour": "\x1b[31mColour\x1b[0m",
    "eightbit": "\x9b2J\x9d0;owned\x9c Eightbit",
    "bidi": "Bidi \u202ereversed\u202c \u2066isolated\u2069 \u202a\u202b\u202d\u2067\u2068 \u200f\u061c",
    "controls": "Controls\x07\x08\x0b\x0c\x0e\x7f\x85 cr\rX",
}
SHOWN_ESCAPED = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4})")
# what must never reach a terminal from data
UNSAFE = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile_catalogue(db: Path) -> dict[str, dict[str, object]]:
    records: dict[str, dict[str, object]] = {}
    for name, payload in PAYLOADS.items():
        records[f"{name}2006"] = {
            "id": f"{name}2006", "type": "book", "title": f"Hostile {payload}", "language": "ru",
            "author": [{"family": f"Evil{payload}", "given": "A."}], "publisher": payload,
            "publisher-place": payload, "note": payload, "tags": [payload], "issued": {"date-parts": [[2006]]},
        }
    db.write_bytes(layout.dump_records(records))
    return records


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stdout taken for a terminal (CliRunner's stream is not one)."""
    monkeypatch.setattr(console, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(render, "stdout_is_terminal", lambda: True)


TERMINAL_COMMANDS = [
    ["cite"], ["cite", "--style", "apa"], ["export", "-f", "bibtex"], ["export", "-f", "biblatex"],
    ["export", "-f", "ris"], ["export", "-f", "csl-json"], ["export", "-f", "json"], ["export", "-f", "csv"],
    ["export", "-f", "tsv"], ["export", "-f", "markdown"], ["list"], ["list", "-f", "tsv"], ["list", "-f", "csv"],
    ["list", "-f", "markdown"], ["list", "-f", "json"], ["show", "clipboard2006"], ["show", "bidi2006"],
    ["show", "-f", "json", "controls2006"], ["show", "-f", "ris", "link2006"], ["search", "hostile"],
    ["search", "-f", "tsv", "hostile"], ["search", "-f", "csl-json", "hostile"],
]


@pytest.mark.parametrize("argv", TERMINAL_COMMANDS, ids=" ".join)
def test_nothing_in_the_data_drives_the_terminal(db_path: Path, terminal: None, argv: list[str]) -> None:
    hostile_catalogue(db_path)
    code, out, _err = run(*argv)
    assert code == 0
    assert not UNSAFE.search(out), UNSAFE.findall(out)[:5]
    assert SHOWN_ESCAPED.search(out), "the data is shown, escaped"


@pytest.mark.parametrize("argv", [["export", "-f", "csl-json"], ["export", "-f", "ris"], ["list", "-f", "tsv"],
                                  ["export", "-f", "csv"], ["export", "-f", "markdown"]], ids=" ".join)
def test_piped_output_is_byte_exact(db_path: Path, argv: list[str]) -> None:
    records = hostile_catalogue(db_path)
    code, out, _err = run(*argv)
    assert code == 0
    fmt = argv[-1]
    made = export((records[k] for k in sorted(records)), fmt)
    # (Click's CliRunner reads its captured stdout with CRLF made LF; RIS is written with CRLF,
    # which test_formats_ris checks on the real command's bytes.)
    assert out == made.replace("\r\n", "\n"), "a pipe gets exactly what the exporter made"
    assert UNSAFE.search(out), "the hostile values reach the pipe as they are"


def test_visible_escapes_controls_c1_and_bidi_but_keeps_tab_and_newline() -> None:
    assert visible("a\x1b[2Jb\x9bc\u202ed\u2066e\x85f\tg\nh\ri") == "a\\x1b[2Jb\\x9bc\\u202ed\\u2066e\\x85f\tg\nh\\ri"
    assert visible("Овсянников «Why?» — 2006") == "Овсянников «Why?» — 2006"
    assert literal("[bold]\u202e").plain == "[bold]\\u202e"


def _in_terminal(argv: list[str], env: dict[str, str]) -> bytes:
    """What the real command writes to a pseudo-terminal."""
    import pty  # POSIX only

    main, child = pty.openpty()
    try:
        proc = subprocess.Popen(process_argv(*argv), stdin=subprocess.DEVNULL, stdout=child,
                                stderr=subprocess.PIPE, env={**os.environ, **env, "TERM": "dumb"})
    finally:
        os.close(child)
    out = b""
    try:
        while True:
            ready, _w, _x = select.select([main], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal (Linux: EIO)
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(main)
        proc.wait(timeout=60)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return out


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("argv", [["cite"], ["export", "-f", "ris"], ["list", "-f", "tsv"], ["show", "window2006"],
                                  ["search", "hostile"]], ids=" ".join)
def test_the_real_command_on_a_terminal(db_path: Path, argv: list[str]) -> None:
    hostile_catalogue(db_path)
    out = _in_terminal(argv, {"SOCSOPR_DB": str(db_path)}).decode("utf-8")
    # the terminal turns each LF into CR LF; rich on a dumb terminal adds no escape of its own
    shown = out.replace("\r\n", "\n")
    assert not UNSAFE.search(shown), UNSAFE.findall(shown)[:5]
    assert SHOWN_ESCAPED.search(shown)
