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
    assert len(lines) == 19
    assert lines[0].startswith("1. A new stage in the development")
    assert "19. Third Congress of the CWI Section in the CIS. Documents and materials. — Voronezh, 2001." in lines


def test_cite_keys_locale_and_style(runner: Any) -> None:
    result = run("cite", "ovsyannikov2006why", "--locale", "en-US")
    assert result.code == 0, result.err
    assert result.out == "1. Ovsyannikov, I. A. Why Socialism? / I. A. Ovsyannikov. — Moscow, 2006. — 36 p.\n"
    apa = run("cite", "ovsyannikov2006why", "--style", "apa")
    assert apa.out == "Ovsyannikov, I. A. (2006). Why Socialism?\n"
    german = run("cite", "new2006stage", "--style", "apa", "--locale", "de_DE")
    assert "(I. Yasin, Übers.)" in german.out


def test_cite_with_filters_narrows(runner: Any) -> None:
    result = run("cite", "--author", "Овсянников", "--year", "2006", "-s", "mla")
    assert result.code == 0, result.err
    assert result.out == (
        "Ovsyannikov, I. A. We and “they.” Truth and myths about immigrants. Moscow, 2006.\n"
        "———. Why Socialism? Moscow, 2006.\n"
        "———. World resistance. View from the top of Belfort. Moscow, 2006.\n"
    )


def test_cite_html_and_markdown(runner: Any) -> None:
    html = run("cite", "ovsyannikov2006why", "-s", "apa", "-f", "html")
    assert html.out == ('<div class="csl-bib-body">\n  <div class="csl-entry" id="ref-ovsyannikov2006why">'
                        "Ovsyannikov, I. A. (2006). <em>Why Socialism?</em></div>\n</div>\n")
    md = run("cite", "ovsyannikov2006why", "ovsyannikov2006we", "-s", "mla", "-f", "markdown")
    assert md.out == ('Ovsyannikov, I. A. *We and "they." Truth and myths about immigrants*. Moscow, 2006.\n\n'
                      "---------. *Why Socialism?* Moscow, 2006.\n")
    numeric = run("cite", "ovsyannikov2006why", "-s", "ieee", "-f", "markdown")
    assert numeric.out == "[\\[1\\] ]{.csl-left-margin}[I. A. Ovsyannikov, *Why Socialism?* Moscow, 2006.]{.csl-right-inline}\n"


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["cite", "-s", "apaa"], 2, "closest are: apa"),
        (["cite", "-s", "mlaa"], 2, "closest are: modern-language-association"),
        (["cite", "-f", "rtf"], 2, "unknown citation format 'rtf'"),
        (["cite", "--locale", "de-DE"], 2, "unknown locale 'de-DE'"),
        (["cite", "-s", "apa", "--locale", "xx-XX"], 2, "unknown locale 'xx-XX'"),
        (["cite", "-s", "apa", "--locale", "sr-Latn-RS"], 2, "for this language: sr-RS"),
        (["cite", "-s", "no/such/journal.csl"], 2, "cannot read the style file 'no/such/journal.csl'"),
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


@pytest.mark.parametrize(
    ("content", "words"),
    [("<html>a web page</html>", "is not a CSL style"), ("{", "not well-formed XML"),
     ('<style xmlns="http://purl.org/net/xbiblio/csl"><info><link rel="independent-parent" '
      'href="http://www.zotero.org/styles/nowhere"/></info></style>', "depends on the style 'nowhere'")],
)
def test_a_bad_csl_file_is_one_sentence_with_exit_2(runner: Any, tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "journal.csl"
    path.write_text(content, encoding="utf-8")
    result = run("cite", "--style", str(path))
    assert result.code == 2 and result.out == "" and words in result.err
    assert len([line for line in result.err.splitlines() if line.startswith("error:")]) == 1


def test_a_journals_csl_file_given_by_path(runner: Any, tmp_path: Path) -> None:
    from catalogue.cite.styles import styles_folder

    own = tmp_path / "journal-of-things.csl"
    own.write_bytes((styles_folder() / "chicago-author-date.csl").read_bytes())
    mine = run("cite", "--style", str(own))
    assert mine.code == 0 and mine.out == run("cite", "--style", "chicago").out


def test_a_failing_pandoc_is_one_sentence(runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from catalogue.cite import pandoc

    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\necho 'pandoc: something broke' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pandoc, "pandoc_binary", lambda: fake)
    result = run("cite", "--style", "apa")
    assert result.code == 70 and result.out == ""
    assert "pandoc's citeproc failed (exit 1: pandoc: something broke)" in result.err
    assert len([line for line in result.err.splitlines() if line.startswith("error:")]) == 1


def test_hostile_titles_do_not_reach_a_terminal_raw(
    runner: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalogue.store import layout
    from socsopr_cli import console

    evil = {"id": "evil2001", "type": "book", "title": "Evil \x1b[2J\x1b]0;owned\x07 title",
            "issued": {"date-parts": [[2001]]}}
    db_path.write_bytes(layout.dump_records({"evil2001": evil}))  # written by hand: 'add' refuses it
    monkeypatch.setattr(console, "stdout_is_terminal", lambda: True)
    result = run("cite", "evil2001", "--style", "apa")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\\x1b[2J" in result.out


def test_styles_lists_gost_and_csl_styles(runner: Any) -> None:
    result = run("styles", "gost")
    assert result.code == 0
    rows = [line.split("\t") for line in result.out.splitlines()]
    assert [r[0] for r in rows[:2]] == ["gost", "gost-2003"]
    assert rows[0][1].startswith("GOST R 7.0.100-2018") and rows[1][1].startswith("GOST 7.1-2003")
    assert "gost-r-7-0-5-2008-numeric" in [r[0] for r in rows]
    assert [line.split("\t")[0] for line in run("styles", "7.1-2003").out.splitlines()][:1] == ["gost-2003"]


def test_cite_in_each_gost_edition(runner: Any) -> None:
    """--style gost is GOST R 7.0.100-2018, --style gost-2003 GOST 7.1-2003 (catalogue.gost.editions)."""
    key = "ovsyannikov2007faq"
    modern = run("cite", key, "--style", "gost", "--locale", "ru-RU")
    assert modern.code == 0, modern.err
    assert modern.out == ("1. Ovsyannikov, I. FAQ. Socialism in questions and answers / I. Ovsyannikov, "
                          "I. Shibanov. — М., 2007. — 24 с.\n")
    older = run("cite", key, "-s", "gost-2003", "-l", "ru-RU")
    assert older.code == 0, older.err
    assert older.out == "1. Ovsyannikov I., Shibanov I. FAQ. Socialism in questions and answers. — М., 2007. — 24 с.\n"
    html = run("cite", key, "-s", "gost-2003", "-f", "html")
    assert html.out.startswith('<ol class="references">\n  <li>Ovsyannikov I., Shibanov I. FAQ.')


def test_cite_gost_2003_in_a_real_process(db_path: Path) -> None:
    done = run_process("cite", "ovsyannikov2006why", "--style", "gost-2003", "--locale", "en-US")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1. Ovsyannikov I. A. Why Socialism? — Moscow, 2006. — 36 p.\n"
    wrong = run_process("cite", "ovsyannikov2006why", "--style", "gost-2003", "--locale", "de-DE")
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1


def test_help_of_each_command(runner: Any) -> None:
    for command in ("cite", "styles", "stats"):
        result = run(command, "--help")
        assert result.code == 0 and "Usage" in result.out


def test_installed_command_cites_in_a_pipe(db_path: Path) -> None:
    result = run_process("cite", "--tag", "book-or-brochure", "-s", "apa")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 14
    assert not result.stdout.startswith("1.")
    assert "\x1b[" not in result.stdout
    bad = run_process("cite", "-s", "chicagoo")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "chicago-author-date" in bad.stderr
