"""MARC 21 (ISO 2709 and MARCXML) and UNIMARC/RUSMARC: real records in, round trips, damaged files refused.

The real records are in ``tests/corpus/marc`` (their sources in its README). Three promises:

- real records read as hand-written expectations say (Cyrillic in UTF-8, MARC-8, Windows-1251, RUSMARC);
- MARC → socsopr → MARC keeps every mapped field: the record read from the written MARC equals the
  record read from the original;
- socsopr → MARC → socsopr keeps the fields of ``KEPT`` over the shipped catalogue and
  ``tests/data/mixed-catalogue.json``, exactly or as the normalisation beside it says; ``LOST`` lists
  what MARC does not carry.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_formats_roundtrip import catalogue_records

from catalogue.curation.importing import decode_bytes, detect_format
from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, export, get_importer
from catalogue.formats._marcvalues import date_text
from catalogue.model.record import next_year, year_text
from catalogue.model.validation import validate

CORPUS = Path(__file__).resolve().parent / "corpus" / "marc"
FORMATS = ("marc", "marcxml", "unimarc")
REAL = {  # file → the format it is in
    "rkp-cp1251.mrc": "marc", "loc-prokudin-gorskii-marc8.mrc": "marc", "marc8.mrc": "marc",
    "utf8.mrc": "marc", "rsl-002986648.mrc": "marc", "rsl-005491281-map.mrc": "marc",
    "batch.xml": "marcxml", "utf8.xml": "marcxml", "iccu-unimarc.iso": "unimarc",
    "nlr-009670190-rusmarc.iso": "unimarc", "nlr-009670326-rusmarc.iso": "unimarc",
}


def read(text: str, fmt: str, source: str = "test") -> list[dict[str, Any]]:
    records = get_importer(fmt)(text, source)
    for record in records:
        record.pop(LINE_KEY, None)
    return records


def real(name: str) -> list[dict[str, Any]]:
    return read(decode_bytes((CORPUS / name).read_bytes(), name), REAL[name], name)


# --- real records, read ----------------------------------------------------------------------


def test_russian_book_chamber_windows_1251() -> None:
    first = real("rkp-cp1251.mrc")[0]
    assert first == {
        "author": [{"family": "Ильина", "given": "Татьяна Николаевна"}],
        "title": "Основы гидравлического расчета инженерных сетей: [учеб. пособие для вузов по "
                 "специальностям <Теплогазоснабжение и вентиляция>, <Водоснабжение и водоотведение>]",
        "publisher-place": "М.", "publisher": "Изд-во Ассоц. строит. вузов",
        "issued": {"date-parts": [[2005]]}, "number-of-pages": 186, "language": "ru",
        "ISBN": "5930933421", "type": "book",
    }


def test_russian_state_library_utf8_roles_by_relator() -> None:
    record = real("rsl-002986648.mrc")[0]
    # 700 $e сост. $4 com: compilers; 700 $e цензор $4 cns: a role socsopr does not keep
    assert record["compiler"] == [{"literal": "Филарет"}, {"literal": "Серафим"}, {"literal": "Михаил"}]
    names = json.dumps([record.get(role) for role in ("author", "editor", "translator")], ensure_ascii=False)
    assert "author" not in record and "Ренни" not in names
    assert record["title"] == "Господа нашего Иисуса Христа Новый Завет: На славянском и руском языке"
    assert (record["edition"], record["number-of-pages"], record["issued"]) == (
        "Третием тиснением", 818, {"date-parts": [[1822]]})
    assert record["publisher-place"] == "Санктпетербург" and record["type"] == "book"


def test_a_manuscript_atlas_is_a_map_with_its_scale() -> None:
    record = real("rsl-005491281-map.mrc")[0]
    assert (record["type"], record["scale"], record["title"]) == (
        "map", "М-бы разные", "[Атлас Вологодскаго наместничества]")


def test_marc8_and_utf8_of_one_record_read_the_same() -> None:
    marc8, utf8 = real("marc8.mrc"), real("utf8.mrc")
    assert marc8 == utf8
    assert marc8[0]["original-title"] == "De la solitude à la communauté"
    assert marc8[0]["author"] == [{"family": "Tournier", "given": "Paul"}]
    assert marc8[0]["publisher"] == "Westminster Press" and marc8[0]["issued"] == {"date-parts": [[1962]]}


def test_library_of_congress_marc8_romanised_russian() -> None:
    records = real("loc-prokudin-gorskii-marc8.mrc")
    assert len(records) == 12
    assert records[0]["title"] == (
        "Pokrov, podarennyĭ Dimitrīem Ivanovichem Godunovym. [Ipatʹevskīĭ monastyrʹ, Kostroma]")
    assert {r["type"] for r in records} == {"graphic"} and {r["language"] for r in records} == {"ru"}


def test_rusmarc_of_the_national_library_of_russia() -> None:
    agapit, augustine = real("nlr-009670190-rusmarc.iso")[0], real("nlr-009670326-rusmarc.iso")[0]
    assert agapit["author"] == [{"literal": "Агапит"}]  # 700 ind2 0: a forename
    assert agapit["translator"] == [{"family": "Писарев", "given": "Степан Иванович"}]  # 702 $4 730, $g
    assert (agapit["issued"], agapit["number-of-pages"], agapit["language"]) == (
        {"date-parts": [[1771]]}, 35, "ru")
    assert agapit["publisher"] == "Напечатано при Императорской Академии наук в С. Петербурге"
    assert augustine["translator"] == [{"family": "Тодорский", "given": "Иван Степанович"}]
    assert augustine["note"] == "Вых. дан. указаны на с.20"


def test_unimarc_of_the_italian_union_catalogue() -> None:
    record = real("iccu-unimarc.iso")[0]
    assert record == {
        "author": [{"family": "Asimov", "given": "Isaac"}], "title": "L'altra faccia della spirale",
        "original-title": "Second foundation", "publisher-place": "Milano", "publisher": "A. Mondadori",
        "issued": {"date-parts": [[1996]]}, "number-of-pages": 201, "language": "it",
        "ISBN": "88-04-40682-8", "type": "book",
    }  # 702 without $4 (the writers of the introduction): no role socsopr keeps


def test_marcxml_of_the_library_of_congress() -> None:
    records = real("batch.xml")
    assert [r["title"] for r in records] == ["The Great Ray Charles", "The White House"]
    assert records[1]["issued"] == {"date-parts": [[1994], [0]]}  # 260 $c "1994-": still published
    assert records[1]["URL"] == "http://www.whitehouse.gov"


@pytest.mark.parametrize("name", sorted(REAL))
def test_every_real_record_is_valid_once_keyed(name: str) -> None:
    for i, record in enumerate(real(name)):
        assert validate({**record, "id": f"k{i}"}) == [], (name, i)


def test_880_fields_give_the_original_script() -> None:
    from pymarc import Field, Indicators, Subfield
    from pymarc import Record as MarcRecord

    def field(tag: str, ind: str, *pairs: str) -> Field:
        return Field(tag=tag, indicators=Indicators(ind[0], ind[1]),
                     subfields=[Subfield(p[0], p[1:]) for p in pairs])

    marc = MarcRecord(force_utf8=True)
    marc.add_ordered_field(Field(tag="008", data="000101s2005    ru            000 0 rus d"))
    marc.add_ordered_field(field("100", "1 ", "6880-01", "aIvanova, Mariia,", "eauthor."))
    marc.add_ordered_field(field("245", "10", "6880-02", "aZabastovki :", "bistoriia /", "cM. Ivanova."))
    marc.add_ordered_field(field("264", " 1", "6880-03", "aMoskva :", "bNauka,", "c2005."))
    marc.add_ordered_field(field("880", "1 ", "6100-01/(N", "aИванова, Мария,", "eauthor."))
    marc.add_ordered_field(field("880", "10", "6245-02/(N", "aЗабастовки :", "bистория /", "cМ. Иванова."))
    marc.add_ordered_field(field("880", " 1", "6264-03/(N", "aМосква :", "bНаука,", "c2005."))
    record = read(marc.as_marc().decode("utf-8"), "marc")[0]
    assert record["author"] == [{"family": "Иванова", "given": "Мария"}]
    assert (record["title"], record["publisher-place"], record["publisher"]) == (
        "Забастовки: история", "Москва", "Наука")
    assert record["language"] == "ru" and record["issued"] == {"date-parts": [[2005]]}
    # the romanised title is kept as the record's romanisation (ALA-LC, what MARC 21 catalogues give)
    assert record["titles"] == [
        {"kind": "romanization", "language": "ru-Latn", "system": "ala-lc", "text": "Zabastovki: istoriia"}]


def test_parallel_titles_go_out_as_880_and_242_and_come_back() -> None:
    from pymarc import MARCReader

    record = {
        "id": "why2006", "type": "pamphlet", "title": "Почему социализм?", "language": "ru",
        "titles": [{"kind": "translation", "language": "en", "text": "Why Socialism?"},
                   {"kind": "romanization", "language": "ru-Latn", "system": "ala-lc",
                    "text": "Pochemu sot\u0361sializm?"}],
    }
    text = export([record], "marc")
    marc = next(iter(MARCReader(text.encode("utf-8"))))
    assert marc is not None
    assert marc["245"].get_subfields("6", "a") == ["880-01", "Pochemu sot\u0361sializm?"]
    assert marc["880"].get_subfields("6", "a") == ["245-01/(N", "Почему социализм?"]
    assert marc["242"].get_subfields("a", "y") == ["Why Socialism?", "eng"]
    back = read(text, "marc")[0]
    assert back["title"] == "Почему социализм?"
    assert sorted(back["titles"], key=str) == sorted(record["titles"], key=str)
    assert read(export([record], "marcxml"), "marcxml")[0]["titles"] == back["titles"]
    assert read(export([record], "unimarc"), "unimarc")[0]["titles"] == [  # 510 $a $z; no romanisation
        {"kind": "translation", "language": "en", "text": "Why Socialism?"}]


# --- MARC → socsopr → MARC ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_records_round_trip_keeping_every_mapped_field(name: str) -> None:
    fmt = REAL[name]
    first = [{**r, "id": f"r{i}"} for i, r in enumerate(real(name))]
    written = export(first, fmt)
    again = read(written, fmt)
    assert again == first
    assert export(again, fmt) == written  # and the second writing is the first, byte for byte


def test_the_written_marc_holds_the_mapped_fields_where_marc_21_puts_them() -> None:
    from pymarc import MARCReader

    record = {**real("rsl-002986648.mrc")[0], "id": "bible1822"}
    marc = next(iter(MARCReader(export([record], "marc").encode("utf-8"))))
    assert marc is not None and marc.leader[9] == "a"
    assert marc["245"]["a"] == "Господа нашего Иисуса Христа Новый Завет :"
    assert marc["245"]["b"] == "На славянском и руском языке"
    assert marc["264"].get_subfields("a", "b", "c") == [
        "Санктпетербург :", "В типографии Российскаго библейскаго общества,", "1822"]
    # forenames alone are literal names in socsopr, written as 710 (MARC 21 cannot be told they are people)
    assert [(f["a"], f["4"]) for f in marc.get_fields("710")] == [
        ("Филарет", "com"), ("Серафим", "com"), ("Михаил", "com")]
    assert marc["300"]["a"] == "818 с." and marc["041"]["a"] == "rus" and marc["008"].data[35:38] == "rus"
    assert marc["035"]["a"] == "(socsopr)bible1822" and marc["250"]["a"] == "Третием тиснением"


def test_the_written_unimarc_holds_the_mapped_fields_where_unimarc_puts_them() -> None:
    from pymarc import MARCReader

    record = {**real("nlr-009670190-rusmarc.iso")[0], "id": "agapit1771"}
    data = export([record], "unimarc").encode("utf-8")
    assert data[9:10] == b" " and data[20:24] == b"450 "
    marc = next(iter(MARCReader(data, force_utf8=True)))
    assert marc is not None
    assert marc["200"]["a"].startswith("Изложение глав") and marc["215"]["a"] == "35 с."
    assert marc["210"].get_subfields("a", "c", "d") == [
        "Санкт-Петербург", "Напечатано при Императорской Академии наук в С. Петербурге", "1771"]
    assert (marc["710"]["a"], marc["710"]["4"]) == ("Агапит", "070")  # a literal name: 710 (see MARC 21)
    assert (marc["702"]["a"], marc["702"]["b"], marc["702"]["4"]) == ("Писарев", "Степан Иванович", "730")
    assert marc["101"]["a"] == "rus" and marc["100"]["a"][26:28] == "50"  # UTF-8 declared


# --- socsopr → MARC → socsopr ---------------------------------------------------------------


def _text(value: Any) -> Any:
    return None if value is None else str(value)


# Every field MARC carries, and how it is compared (exact unless a function is given).
KEPT: dict[str, Any] = {
    "id": None, "type": None, "title": None, "title-short": None, "original-title": None,
    "author": None, "editor": None, "compiler": None, "translator": None,
    "issued": None, "publisher": None, "publisher-place": None, "number-of-pages": _text,
    "edition": _text, "collection-title": None, "collection-number": _text, "container-title": None,
    "volume": _text, "issue": _text, "page": None, "number": _text, "language": lambda v: v and v.split("-")[0],
    "ISBN": None, "ISSN": None, "DOI": None, "URL": None, "note": None, "abstract": None, "genre": None,
    "scale": None, "tags": None, "remarks": None, "source": None,
}
# What each format does not carry (or carries less exactly), beyond ``LOST_EVERYWHERE``.
LOST_EVERYWHERE = {"added", "modified", "accessed", "number-of-volumes", "version", "titles", "aliases"}
LOST = {"marc": set(), "marcxml": set(), "unimarc": {"number", "source"}}
# Normalised: an issued given as text ("2007–") comes back as date parts of the same years; UNIMARC
# keeps years only (months and days are in MARC 21's 046).
ISSUED_AS_YEARS = {"marc": False, "marcxml": False, "unimarc": True}


@pytest.mark.parametrize("catalogue", ["mixed", "shipped"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_socsopr_records_round_trip_through_marc(fmt: str, catalogue: str) -> None:
    records = catalogue_records(catalogue)
    back = {r["id"]: r for r in read(export(records, fmt), fmt)}
    assert list(back) == [r["id"] for r in records]
    for record in records:
        again = back[record["id"]]
        assert validate(again) == [], record["id"]
        for name, normalise in KEPT.items():
            if name in LOST[fmt]:
                continue
            before, after = record.get(name), again.get(name)
            if name == "issued" and (ISSUED_AS_YEARS[fmt] or "literal" in (before or {})):
                before, after = date_text(record), year_text(again).replace("–", "-")
            elif normalise is not None:
                before, after = normalise(before), normalise(after)
            assert after == before, (fmt, record["id"], name)
        unexpected = set(again) - set(KEPT)
        assert not unexpected, unexpected
        assert set(record) - set(KEPT) <= LOST_EVERYWHERE


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_second_round_trip_changes_nothing(fmt: str) -> None:
    first = read(export(catalogue_records("mixed"), fmt), fmt)
    written = export(first, fmt)
    assert read(written, fmt) == first and export(read(written, fmt), fmt) == written


def test_iso2709_text_is_utf8_whose_lengths_are_bytes() -> None:
    text = export(catalogue_records("mixed"), "marc")
    data = text.encode("utf-8")
    position = 0
    while position < len(data):
        length = int(data[position:position + 5])
        assert data[position + length - 1] == 0x1D and data[position + 9:position + 10] == b"a"
        position += length
    assert position == len(data)


# --- damaged files ------------------------------------------------------------------------------


def _one_problem(text: str, fmt: str) -> str:
    with pytest.raises(ParseError) as caught:
        get_importer(fmt)(text, "bad.mrc")
    assert len(caught.value.problems) == 1 and "\n" not in caught.value.problems[0]
    return caught.value.problems[0]


def _two_records() -> bytes:
    return export(catalogue_records("mixed")[:2], "marc").encode("utf-8")


def test_a_cut_file_is_refused() -> None:
    data = _two_records()
    problem = _one_problem(data[:-40].decode("utf-8", "surrogateescape"), "marc")
    assert problem.startswith("bad.mrc:2: record 2 (byte ") and "is cut off" in problem


def test_a_bad_leader_is_refused() -> None:
    data = _two_records()
    problem = _one_problem(("x" + data[1:].decode("utf-8")), "marc")
    assert "does not start with a record length" in problem
    problem = _one_problem(data[:12].decode() + "99999" + data[17:].decode("utf-8"), "marc")
    assert "base address" in problem


def test_a_wrong_length_is_refused() -> None:
    data = _two_records()
    length = int(data[:5])
    problem = _one_problem(f"{length - 3:05d}".encode().decode() + data[5:].decode("utf-8"), "marc")
    assert "record terminator" in problem


def test_a_bad_directory_is_refused() -> None:
    data = bytearray(_two_records())
    data[24:27] = b"\x1e\x1e\x1e"
    assert "directory" in _one_problem(bytes(data).decode("utf-8"), "marc")
    data = bytearray(_two_records())
    data[27:31] = b"9999"  # the first field's length past the end of the record
    assert "points past the end" in _one_problem(bytes(data).decode("utf-8"), "marc")


def test_the_real_broken_file_is_refused() -> None:
    name = "rsl-broken.mrc"
    problem = _one_problem(decode_bytes((CORPUS / name).read_bytes(), name), "marc")
    assert "leader is not ASCII" in problem


def test_xml_that_is_not_marc_is_refused() -> None:
    problem = _one_problem('<?xml version="1.0"?><rss><channel/></rss>', "marcxml")
    assert "not MARCXML" in problem
    assert "not well-formed XML" in _one_problem("<collection><record>", "marcxml")
    bad_tag = '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><datafield tag="2&lt;5"/></record></collection>'
    assert "tag" in _one_problem(bad_tag, "marcxml")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_reader(data: bytes) -> None:
    for fmt in ("marc", "unimarc"):
        with contextlib.suppress(ParseError):
            get_importer(fmt)(data.decode("utf-8", "surrogateescape"), "random")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_real_records_never_crash_the_reader(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["rkp-cp1251.mrc", "nlr-009670190-rusmarc.iso", "marc8.mrc"]))
    original = bytearray((CORPUS / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 5))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(original)))
    for fmt in ("marc", "unimarc"):
        with contextlib.suppress(ParseError):
            get_importer(fmt)(bytes(original[:cut]).decode("utf-8", "surrogateescape"), name)


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_random_text_never_crashes_the_marcxml_reader(text: str) -> None:
    with contextlib.suppress(ParseError):
        get_importer("marcxml")(text, "random.xml")


# --- detection ----------------------------------------------------------------------------------


def test_detection_by_content_and_extension() -> None:
    marc = export(catalogue_records("mixed")[:1], "marc")
    unimarc = export(catalogue_records("mixed")[:1], "unimarc")
    xml = export(catalogue_records("mixed")[:1], "marcxml")
    assert detect_format("x.mrc", marc) == "marc" and detect_format("x.dat", marc) == "marc"
    assert detect_format("x.iso", unimarc) == "unimarc" and detect_format("x.mrc", unimarc) == "unimarc"
    assert detect_format("x.xml", xml) == "marcxml" and detect_format("x.marc", marc) == "marc"
    cp1251 = (CORPUS / "rkp-cp1251.mrc").read_bytes()
    assert detect_format("-", decode_bytes(cp1251, "-")) == "marc"
    rusmarc = (CORPUS / "nlr-009670326-rusmarc.iso").read_bytes()
    assert detect_format("<stdin>", decode_bytes(rusmarc, "<stdin>")) == "unimarc"


def test_a_non_utf8_file_that_is_not_marc_is_still_refused() -> None:
    with pytest.raises(ParseError, match="not UTF-8"):
        decode_bytes(b"@book{x, title={\xff}}", "x.bib")


def test_entity_expansion_and_external_entities_are_refused() -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY l0 "lol">{laughs}]>'
            '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><datafield tag="245" ind1="0" '
            'ind2="0"><subfield code="a">&l9;</subfield></datafield></record></collection>')
    assert "not well-formed XML" in _one_problem(bomb, "marcxml")
    external = ('<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><datafield tag="245" ind1="0" '
                'ind2="0"><subfield code="a">&x;</subfield></datafield></record></collection>')
    assert "not well-formed XML" in _one_problem(external, "marcxml")


def test_a_record_past_iso2709s_limits_is_written_within_them() -> None:
    """pymarc's as_marc writes fields over 9,999 bytes with a broken directory (pymarc issue #42)."""
    line = "Стачка. " * 1_000  # 8,000 characters, 15,000 bytes: one field too long for the directory
    record = {"id": "long2006", "type": "book", "title": "Длинная аннотация", "abstract": line,
              "note": "\n".join([line] * 12)}
    text = export([record], "marc")
    data = text.encode("utf-8")
    assert int(data[:5]) == len(data) <= 99_999
    back = read(text, "marc")[0]
    assert back["title"] == "Длинная аннотация" and "".join(back["abstract"].split()) == "".join(line.split())
    # 12 such notes pass the record's 99,999 bytes: the last note lines are left out, as many as must be
    assert 0 < len(back["note"].splitlines()) < 12 * 4  # (each note written as 4 fields of 2,000 characters)


def test_a_value_socsopr_cannot_take_is_left_out_with_a_warning() -> None:
    from catalogue import Catalogue
    from catalogue.curation.importing import import_texts

    xml = ('<record xmlns="http://www.loc.gov/MARC21/slim"><datafield tag="245" ind1="0" ind2="0">'
           '<subfield code="a">Забастовка</subfield></datafield><datafield tag="046" ind1=" " ind2=" ">'
           '<subfield code="k">2020-02-31</subfield><subfield code="2">edtf</subfield></datafield>'
           '<datafield tag="264" ind1=" " ind2="1"><subfield code="c">2099</subfield></datafield>'
           '<datafield tag="020" ind1=" " ind2=" "><subfield code="a">\u202e123</subfield></datafield></record>')
    record = get_importer("marcxml")(xml, "x.xml")[0]
    assert "issued" not in record and "ISBN" not in record and record["title"] == "Забастовка"
    assert record["_warnings"] == [
        f"x.xml:1: issued left out: issued year 2099 is not a year from 1 to {next_year()}",
        "x.xml:1: ISBN left out: ISBN holds a control character (U+202E) at character 1"]
    catalogue = Catalogue.in_memory()
    report = import_texts(catalogue, [("x.xml", xml)], dry_run=True)
    assert len(report.imported) == 1 and len(report.warnings) == 2
    with pytest.raises(ParseError):
        import_texts(catalogue, [("x.xml", xml)], strict=True)
