"""``import --format gost``: reference lists as printed (numbers, bullets, wrapped lines) and --strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run, run_process

from catalogue.formats import LINE_KEY, WARNINGS_KEY, get_importer
from catalogue.formats.gost import entries

NUMBERED = """\
1. Колпак, Е. П. О моделях / Е. П. Колпак. — Текст : непосредственный // Молодой ученый. — 2016. —
№ 2. — С. 12–20.
2) Овсянников И. А. Почему социализм? — М., 2006. —
   36 с.
3. Струве П. Б. Статья // Вопросы философии. — 2001. — № 5.
   — С. 3–15.
"""


@pytest.mark.parametrize("marker", ["1.", "1)", "[1]", "–", "•", "-", "*"])
def test_every_list_marker_is_taken_off(marker: str) -> None:
    text = f"{marker} Овсянников И. А. Почему социализм? — М., 2006. — 36 с.\n" * 2
    assert [line for _n, line in entries(text)] == ["Овсянников И. А. Почему социализм? — М., 2006. — 36 с."] * 2


def test_a_year_at_the_start_is_no_list_number() -> None:
    assert list(entries("1968. Revolution month. — М., 1993.\n")) == [(1, "1968. Revolution month. — М., 1993.")]


def test_wrapped_lines_of_a_numbered_list_join_their_entry() -> None:
    found = list(entries(NUMBERED))
    assert [n for n, _line in found] == [1, 3, 5]
    assert found[0][1].endswith("2016. — № 2. — С. 12–20.")
    assert found[2][1] == "Струве П. Б. Статья // Вопросы философии. — 2001. — № 5. — С. 3–15."
    records = get_importer("gost")(NUMBERED, "list.txt")
    assert [(r["type"], r.get("page"), r[LINE_KEY]) for r in records] == [
        ("article-journal", "12–20", 1), ("pamphlet", None, 3), ("article-journal", "3–15", 5)]


def test_wrapped_lines_without_markers() -> None:
    text = ("Овсянников И. А. Почему социализм? — М.,\n2006. — 36 с.\n"
            "Анненков П. В. Литературные воспоминания. СПб., 1909.\n"
            "Струве П. Б. Статья // Вопросы философии. — 2001. — № 5\n— С. 3–15.\n")
    found = [line for _n, line in entries(text)]
    assert found == ["Овсянников И. А. Почему социализм? — М., 2006. — 36 с.",
                     "Анненков П. В. Литературные воспоминания. СПб., 1909.",
                     "Струве П. Б. Статья // Вопросы философии. — 2001. — № 5 — С. 3–15."]


def test_unplaced_parts_are_a_warning_kept_in_the_note() -> None:
    record = get_importer("gost")("1. Книга. — М., 2006. — Тираж 500.\n", "list.txt")[0]
    assert record["note"] == "Not placed in any field: Тираж 500."
    assert record[WARNINGS_KEY] == ["list.txt:1: not placed in any field: Тираж 500"]


def test_import_strict_refuses_unplaced_parts(runner: object, tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_text("1. Книга. — М., 2006. — Тираж 500.\n2. Другая. — М., 2007. — 20 с.\n", encoding="utf-8")
    code, _out, err = run("import", "--format", "gost", "--strict", str(source))
    assert code == 3
    assert f"{source}:1: not placed in any field: Тираж 500" in err and "nothing was imported" in err
    code, _out, err = run("import", "--format", "gost", "--strict", "--skip-invalid", str(source))
    assert code == 0 and "Imported 1," in err
    code, _out, err = run("import", "--format", "gost", str(source))  # without --strict: a warning
    assert code == 0 and "warning: " in err and "Imported 1," in err  # the other was imported above


def test_import_gost_list_in_a_real_process(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_text(NUMBERED, encoding="utf-8")
    done = run_process("import", "--format", "gost", "--strict", str(source))
    assert done.returncode == 0, done.stderr
    shown = run_process("list", "--format", "json")
    titles = {r["title"] for r in json.loads(shown.stdout)}
    assert {"О моделях", "Почему социализм?", "Статья"} <= titles
