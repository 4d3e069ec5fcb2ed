"""Language values of real files to BCP 47, and BCP 47 to babel/polyglossia names."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.model.languages import babel_name, to_bcp47


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("rus", "ru"), ("Russian", "ru"), ("russian", "ru"), ("Русский", "ru"), ("русский язык", "ru"),
        ("RU", "ru"), ("ru", "ru"), ("ru_RU", "ru-RU"), ("ru-RU", "ru-RU"), ("ru-ru", "ru-RU"),
        ("ru_RU.UTF-8", "ru-RU"), (" rus ", "ru"),
        ("eng", "en"), ("English", "en"), ("en-GB", "en-GB"), ("en_us", "en-US"),
        ("ger", "de"), ("deu", "de"), ("German", "de"), ("Deutsch", "de"),
        ("ukr", "uk"), ("Ukrainian", "uk"), ("Українська", "uk"),
        ("fre", "fr"), ("fra", "fr"), ("Français", "fr"),
        ("bel", "be"), ("Belarusian", "be"), ("zh-Hans", "zh-Hans"), ("sr-Latn", "sr-Latn"),
    ],
)
def test_codes_locales_and_names_become_bcp47(value: str, tag: str) -> None:
    assert to_bcp47(value) == tag


@pytest.mark.parametrize(
    "value",
    ["", "   ", "junk", "xx", "123", "und", "N/A", "unknown", "english, russian", "ru; en",
     "\x00ru", "a" * 200, "Русский" * 20],
)
def test_what_names_no_one_language_is_none(value: str) -> None:
    assert to_bcp47(value) is None


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("ru", "russian"), ("ru-RU", "russian"), ("en", "english"), ("en-GB", "british"),
        ("en-US", "american"), ("en-IN", "english"), ("de", "ngerman"), ("de-DE", "ngerman"),
        ("de-AT", "naustrian"), ("de-CH", "nswissgerman"), ("de-1901", "german"),
        ("de-CH-1901", "swissgerman"), ("uk", "ukrainian"), ("be", "belarusian"), ("fr", "french"),
        ("fr-CA", "french"), ("pt-BR", "brazilian"), ("pt", "portuguese"), ("sr-Cyrl", "serbianc"),
        ("sr-Cyrl-RS", "serbianc"), ("sr-Latn", "serbian"), ("sl", "slovene"), ("hu", "magyar"),
        ("RU", "russian"), ("ru_RU", "russian"),
    ],
)
def test_babel_names(tag: str, name: str) -> None:
    assert babel_name(tag) == name


@pytest.mark.parametrize("tag", ["", "-", "x-klingon", "zz", "zh", "Русский", "123", "ru\x00"])
def test_babel_name_of_what_babel_does_not_know_is_none(tag: str) -> None:
    assert babel_name(tag) is None


def test_every_babel_name_comes_back_from_its_name() -> None:
    """A langid we write is read back (BibTeX import) as the language it came from."""
    for value in ("ru", "en", "de", "uk", "fr", "be", "pl", "es", "it", "bg", "cs", "en-GB", "de-AT", "pt-BR", "sr-Cyrl"):
        name = babel_name(value)
        assert name is not None
        assert to_bcp47(name) == value, name


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_never_raises_on_any_text(value: str) -> None:
    tag = to_bcp47(value)
    assert tag is None or (isinstance(tag, str) and tag and tag.isascii())
    assert babel_name(value) is None or isinstance(babel_name(value), str)
    if tag is not None:
        assert to_bcp47(tag) == tag  # a tag is its own normal form


def test_importing_the_module_loads_no_language_data() -> None:
    code = "import sys, catalogue.model.languages; print('langcodes' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
