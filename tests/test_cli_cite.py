"""``socsopr cite`` and ``socsopr styles`` through CliRunner and the installed command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from socsopr_cli.app import app


def run(runner: Any, *args: str) -> Any:
    return runner.invoke(app, list(args))


def test_cite_defaults_to_a_numbered_gost_list(runner: Any) -> None:
    result = run(runner, "cite")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 18
    assert lines[0].startswith("1. A new stage in the development")
    assert "18. Third Congress of the CWI Section in the CIS. Documents and materials. — Voronezh, 2001." in lines


def test_cite_keys_locale_and_style(runner: Any) -> None:
    result = run(runner, "cite", "ovsyannikov2006why", "OVSYANNIKOV2005HANDS", "--locale", "ru-RU")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "1. Hands off education! / под ред. I. A. Ovsyannikov, S. A. Kozlovsky. — Yaroslavl—М., 2005. — 47 с.\n"
        "2. Ovsyannikov I. A. Why Socialism? — М., 2006. — 36 с.\n"
    )
    apa = run(runner, "cite", "ovsyannikov2006why", "--style", "apa")
    assert apa.stdout == "1. Ovsyannikov, I. A. (2006). Why Socialism?\n"


def test_cite_with_filters_narrows(runner: Any) -> None:
    result = run(runner, "cite", "--author", "Овсянников", "--year", "2006", "-s", "modern-language-association")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3
    assert all("Ovsyannikov" in line for line in result.stdout.splitlines())


def test_cite_html_and_markdown(runner: Any) -> None:
    html = run(runner, "cite", "ovsyannikov2006why", "-s", "apa", "-f", "html")
    assert html.stdout.startswith('<ol class="references">') and "<i>Why Socialism?</i>" in html.stdout
    md = run(runner, "cite", "ovsyannikov2006why", "-s", "apa", "-f", "markdown")
    assert md.stdout == "1. Ovsyannikov, I. A. (2006). *Why Socialism?*\n"


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
    result = run(runner, *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error:")


def test_styles_lists_gost_and_csl_styles(runner: Any) -> None:
    result = run(runner, "styles", "gost")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0][0] == "gost"
    assert "gost-r-7-0-5-2008-numeric" in [r[0] for r in rows]


def test_help_of_each_command(runner: Any) -> None:
    for command in ("cite", "styles", "stats"):
        result = run(runner, command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout


SOCSOPR = shutil.which("socsopr")


@pytest.mark.skipif(SOCSOPR is None, reason="the socsopr command is not installed (pip install .)")
def test_installed_command_cites_in_a_pipe(db_path: Path) -> None:
    assert SOCSOPR is not None
    result = subprocess.run([SOCSOPR, "cite", "--tag", "book-or-brochure", "-s", "apa"], capture_output=True,
                            text=True, timeout=120, env=dict(os.environ), stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 14
    assert "\x1b[" not in result.stdout
    bad = subprocess.run([SOCSOPR, "cite", "-s", "chicagoo"], capture_output=True, text=True, timeout=60,
                         env=dict(os.environ), stdin=subprocess.DEVNULL)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "chicago" in bad.stderr
