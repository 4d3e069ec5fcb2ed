"""``socsopr cite`` and ``socsopr styles`` through CliRunner and the installed command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import run, run_process


def test_cite_defaults_to_a_numbered_gost_list(runner: Any) -> None:
    result = run("cite")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 18
    assert lines[0].startswith("1. A new stage in the development")
    assert "18. Third Congress of the CWI Section in the CIS. Documents and materials. — Voronezh, 2001." in lines


def test_cite_keys_locale_and_style(runner: Any) -> None:
    result = run("cite", "ovsyannikov2006why", "OVSYANNIKOV2005HANDS", "--locale", "ru-RU")
    assert result.code == 0, result.err
    assert result.out == (
        "1. Hands off education! / под ред. I. A. Ovsyannikov, S. A. Kozlovsky. — Yaroslavl—М., 2005. — 47 с.\n"
        "2. Ovsyannikov I. A. Why Socialism? — М., 2006. — 36 с.\n"
    )
    apa = run("cite", "ovsyannikov2006why", "--style", "apa")
    assert apa.out == "1. Ovsyannikov, I. A. (2006). Why Socialism?\n"


def test_cite_with_filters_narrows(runner: Any) -> None:
    result = run("cite", "--author", "Овсянников", "--year", "2006", "-s", "modern-language-association")
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 3
    assert all("Ovsyannikov" in line for line in result.out.splitlines())


def test_cite_html_and_markdown(runner: Any) -> None:
    html = run("cite", "ovsyannikov2006why", "-s", "apa", "-f", "html")
    assert html.out.startswith('<ol class="references">') and "<i>Why Socialism?</i>" in html.out
    md = run("cite", "ovsyannikov2006why", "-s", "apa", "-f", "markdown")
    assert md.out == "1. Ovsyannikov, I. A. (2006). *Why Socialism?*\n"


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["cite", "-s", "apaa"], 2, "closest are: apa"),
        (["cite", "-f", "rtf"], 2, "unknown citation format 'rtf'"),
        (["cite", "--locale", "de-DE"], 2, "unknown locale 'de-DE'"),
        (["cite", "nosuchkey"], 3, "no record has the key 'nosuchkey'"),
        (["cite", "--year", "1900"], 1, "no record matches"),
        (["cite", "--year", "abc"], 2, ""),
        (["styles", "zzzz-no-such"], 1, "no style matches"),
    ],
)
def test_errors_are_one_sentence_with_the_documented_code(
    runner: Any, args: list[str], code: int, words: str
) -> None:
    result = run(*args)
    assert result.code == code
    assert result.out == ""
    assert words in result.err
    assert "Traceback" not in result.err
    assert len([line for line in result.err.splitlines() if line.startswith("error:")]) == 1
    assert result.err.strip().splitlines()[-1].startswith("error:")


def test_styles_lists_gost_and_csl_styles(runner: Any) -> None:
    result = run("styles", "gost")
    assert result.code == 0
    rows = [line.split("\t") for line in result.out.splitlines()]
    assert rows[0][0] == "gost"
    assert "gost-r-7-0-5-2008-numeric" in [r[0] for r in rows]


def test_help_of_each_command(runner: Any) -> None:
    for command in ("cite", "styles", "stats"):
        result = run(command, "--help")
        assert result.code == 0 and "Usage" in result.out


def test_installed_command_cites_in_a_pipe(db_path: Path) -> None:
    result = run_process("cite", "--tag", "book-or-brochure", "-s", "apa")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 14
    assert "\x1b[" not in result.stdout
    bad = run_process("cite", "-s", "chicagoo")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "chicago" in bad.stderr
