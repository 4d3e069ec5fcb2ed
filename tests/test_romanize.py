"""``--romanize SYSTEM`` on export and cite (#13): every system is iuliia's schema, checked against iuliia itself."""

from __future__ import annotations

import json
import re
from typing import Any

import iuliia
import pytest
from conftest import run

from catalogue.errors import UnknownFormat
from catalogue.model.romanization import SYSTEMS, romanize, romanized_record, system_name

# The name socsopr takes -> iuliia's schema, as the standards name them (iuliia's gost_779 is ISO 9:1995).
SCHEMAS = {"gost-7.79-b": iuliia.GOST_779_ALT, "iso-9": iuliia.GOST_779, "ala-lc": iuliia.ALA_LC,
           "bgn-pcgn": iuliia.BGN_PCGN}
RECORD: dict[str, Any] = {
    "id": "shchukin2006sotsializm", "type": "chapter", "language": "ru", "title": "Социализм и рабочий класс",
    "author": [{"family": "Щукин", "given": "Юрий Иванович"}, {"literal": "Социалистическое сопротивление"}],
    "editor": [{"family": "Цыганкова", "given": "Ю."}], "container-title": "Сборник статей",
    "publisher-place": "Москва; Санкт-Петербург", "publisher": "Издательство «Вперёд»",
    "issued": {"date-parts": [[2006]]}, "page": "12-34", "URL": "https://example.org/shchukin?q=%D0%A9",
    "ISBN": "978-5-00000-000-0", "tags": ["брошюра"], "remarks": "проверено",
}
TEXTS = ("Социализм и рабочий класс", "Щукин", "Юрий Иванович", "Социалистическое сопротивление", "Цыганкова",
         "Ю.", "Сборник статей", "Москва; Санкт-Петербург", "Издательство «Вперёд»")


def test_the_systems_are_the_four_the_issue_names() -> None:
    assert set(SYSTEMS) == set(SCHEMAS)
    for name, schema in SCHEMAS.items():
        assert SYSTEMS[name].schema == schema.name


@pytest.mark.parametrize("system", SCHEMAS)
def test_romanize_is_iuliias_own_output(system: str) -> None:
    for text in TEXTS:
        expected = SCHEMAS[system].translate(text).translate(str.maketrans("ёЁ", "ëË"))
        assert romanize(text, system) == expected
        assert not re.search(r"[\u0400-\u04FF]", romanize(text, system)), (system, text)


def test_a_yo_iuliia_leaves_cyrillic_becomes_latin_e_with_diaeresis() -> None:
    """iuliia 0.13's ala_lc, bgn_pcgn and gost_779 map ё to the Cyrillic ё; the standards write ë."""
    assert iuliia.ALA_LC.translate("Ёлкин") == "Ёlkin"  # the upstream behaviour this works around
    assert romanize("Ёлкин ёж", "ala-lc") == "Ëlkin ëzh"
    assert romanize("Ёлкин", "iso-9") == "Ëlkin"
    assert romanize("Ёлкин", "gost-7.79-b") == "Yolkin"  # System B has its own letters: no change


def test_system_names_forgive_case_and_aliases_and_refuse_the_unknown() -> None:
    assert system_name("GOST_7.79-B") == "gost-7.79-b" and system_name("gost-7.79-a") == "iso-9"
    with pytest.raises(UnknownFormat, match="unknown romanisation system 'wikipedia'; choose one of: ala-lc"):
        system_name("wikipedia")
    with pytest.raises(UnknownFormat):
        romanize("Латиница", "nope")


def test_a_romanized_record_keeps_identifiers_links_and_the_catalogues_own_fields() -> None:
    out = romanized_record(RECORD, "gost-7.79-b")
    for field in ("id", "type", "language", "URL", "ISBN", "tags", "remarks", "issued", "page"):
        assert out[field] == RECORD[field]
    assert out["author"][0] == {"family": "Shhukin", "given": "Yurij Ivanovich"}
    assert out["author"][1] == {"literal": "Socialisticheskoe soprotivlenie"}
    assert out["publisher-place"] == "Moskva; Sankt-Peterburg"
    assert RECORD["title"] == "Социализм и рабочий класс"  # the record itself is untouched


def _catalogue(tmp_path: Any) -> None:
    assert run("init", "--empty").code == 0
    source = tmp_path / "r.json"
    source.write_text(json.dumps([RECORD], ensure_ascii=False), encoding="utf-8")
    assert run("import", "-f", "json", str(source)).code == 0


@pytest.mark.parametrize("system", SCHEMAS)
def test_export_romanize_writes_each_system_as_iuliia_does(tmp_path: Any, system: str) -> None:
    _catalogue(tmp_path)
    result = run("export", "-f", "csl-json", "--romanize", system)
    assert result.code == 0, result.err
    [item] = json.loads(result.out)

    def expected(text: str) -> str:
        return SCHEMAS[system].translate(text).translate(str.maketrans("ёЁ", "ëË"))

    assert item["title"] == expected(RECORD["title"])
    assert item["container-title"] == expected(RECORD["container-title"])
    assert item["publisher"] == expected(RECORD["publisher"])
    assert item["publisher-place"] == expected(RECORD["publisher-place"])
    assert item["author"][0] == {"family": expected("Щукин"), "given": expected("Юрий Иванович")}
    assert item["editor"][0]["family"] == expected("Цыганкова")
    assert item["URL"] == RECORD["URL"] and item["id"] == RECORD["id"]
    bib = run("export", "-f", "biblatex", "--romanize", system)
    assert bib.code == 0 and expected("Щукин") in bib.out


@pytest.mark.parametrize("command", [["export"], ["cite"], ["cite", "--style", "apa"]])
def test_an_unknown_system_exits_2_naming_the_systems(command: list[str]) -> None:
    result = run(*command, "--romanize", "klingon")
    assert result.code == 2 and result.out == ""
    assert "unknown romanisation system 'klingon'; choose one of: ala-lc, bgn-pcgn, gost-7.79-b, iso-9" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("command", ["export", "cite"])
def test_help_lists_every_system(command: str) -> None:
    shown = " ".join(run(command, "--help").out.split()).replace("- ", "-")  # (wrapped at a hyphen)
    for name in SYSTEMS:
        assert name in shown


@pytest.mark.parametrize("system", SCHEMAS)
def test_cite_romanize_leaves_no_cyrillic(tmp_path: Any, system: str) -> None:
    _catalogue(tmp_path)
    for style in ("gost", "apa"):
        result = run("cite", "--style", style, "--romanize", system)
        assert result.code == 0, result.err
        assert not re.search(r"[\u0400-\u04FF]", result.out), (style, result.out)
        assert romanize("Щукин", system) in result.out


def test_cite_without_romanize_keeps_the_original_script(tmp_path: Any) -> None:
    _catalogue(tmp_path)
    assert "Щукин" in run("cite").out
