"""LaTeX escaping and decoding for BibTeX values (catalogue.formats._latex)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.formats._latex import LatexError, decode, escape, escape_title, split_top_level


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Почему социализм?", "Почему социализм?"),
        ("R&D 50% $5 #1 a_b", r"R\&D 50\% \$5 \#1 a\_b"),
        ("{unbalanced", r"\{unbalanced"),
        ("a}b", r"a\}b"),
        ("~^\\", r"\textasciitilde{}\textasciicircum{}\textbackslash{}"),
        ("1998--2007", "1998-{}-2007"),
    ],
)
def test_escape(text: str, escaped: str) -> None:
    assert escape(text) == escaped
    assert decode(escaped) == text


def test_escape_never_writes_cyrillic_macros() -> None:
    assert "\\cyr" not in escape("Овсянников") and "\\CYR" not in escape("Ё")


def test_titles_keep_acronyms_in_braces() -> None:
    assert escape_title("Close the IMF! FAQ of the CWI in the CIS") == (
        "Close the {IMF}! {FAQ} of the {CWI} in the {CIS}"
    )
    assert escape_title("McDonald and СССР") == "{McDonald} and {СССР}"
    assert decode(escape_title("Close the IMF!")) == "Close the IMF!"


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"o}", "ö"),
        (r"Laid{\'e}", "Laidé"),
        (r"\c{c}a", "ça"),
        (r"{\CYRO}{\cyrv}{\cyrs}{\cyrya}{\cyrn}{\cyrn}{\cyri}{\cyrk}{\cyro}{\cyrv}", "Овсянников"),
        (r"{An} amazing {title}", "An amazing title"),
        ("n.s.~2", "n.s.\u00a02"),
        (r"\'{\i}", "í"),
        (r"{\noopsort{1973c}}1981", "1981"),
        (r"\emph{big} \textbf{deal}", "big deal"),
        ("a -- b --- c", "a – b — c"),
        ("multi\n   line", "multi line"),
        (r"\ss\ Stra\ss e", "ß Straße"),
    ],
)
def test_decode(latex: str, text: str) -> None:
    assert decode(latex) == text


@pytest.mark.parametrize("latex", ["{open", "close}", r"\emph{never"])
def test_decode_refuses_unbalanced_braces(latex: str) -> None:
    with pytest.raises(LatexError):
        decode(latex)


def test_split_names_outside_braces() -> None:
    assert split_top_level("A and {B and C} AND D") == ["A", "{B and C}", "D"]


# Any text BibTeX can hold: no runs of spaces, no spaces at the ends (BibTeX collapses them).
values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).map(lambda s: " ".join(s.split(" ")).strip(" ")).map(lambda s: " ".join(p for p in s.split(" ") if p))


@given(values)
def test_decode_inverts_escape(text: str) -> None:
    assert decode(escape(text)) == text
    assert decode(escape_title(text)) == text


# Texts full of straight quotes: pairs, lone ones, quotes next to braces, backslashes and Cyrillic.
quoted = st.lists(
    st.one_of(st.just('"'), st.just('"'), st.sampled_from(["{", "}", "\\", "ё", "«", "»", "'", "`", "-"]),
              values),
    min_size=1, max_size=12,
).map("".join).map(lambda s: " ".join(p for p in s.split(" ") if p)).filter(bool)


@pytest.mark.parametrize("quote", [r"\mkbibquote", r"\enquote"])
@given(text=quoted)
def test_straight_quotes_go_out_as_commands_and_come_back_straight(quote: str, text: str) -> None:
    """No raw " in a value (babel russian makes it active); \\mkbibquote{}, \\enquote{} and \\symbol{34}
    decode back to the record's straight quotes, in values and in titles."""
    for written in (escape(text, quote), escape_title(text, quote)):
        assert '"' not in written
        assert decode(written) == text


@given(inner=values)
def test_quote_commands_of_other_files_decode_to_straight_quotes(inner: str) -> None:
    body = escape(inner)
    for command in (r"\mkbibquote", r"\enquote", r"\textquote"):
        assert decode(f"{command}{{{body}}}") == f'"{inner}"'
    assert decode(r"\symbol{34}") == '"'
