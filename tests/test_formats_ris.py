"""RIS export and import."""

from __future__ import annotations

import time

import pytest

from catalogue import Catalogue
from catalogue.errors import ParseError
from catalogue.formats import export, get_importer


def test_shipped_export(shipped: Catalogue, golden) -> None:  # type: ignore[no-untyped-def]
    text = export(shipped.records(), "ris")
    assert "\n" not in text.replace("\r\n", "")  # CRLF, as the specification says
    lf = text.replace("\r\n", "\n")
    assert ("TY  - PAMP\nID  - ovsyannikov2005hands\nLB  - ovsyannikov2005hands\n"
            "ED  - Ovsyannikov, I. A.\nED  - Kozlovsky, S. A.") in lf
    assert "TY  - JFULL\nID  - left1998vanguard" in lf and "DA  - 1998///2007" in lf
    assert "A4  - Yasin, I." in lf and "DA  - 2007/10//" in lf
    assert "AU  - Socialist Resistance (Section" in lf
    assert "ED  - Kozlovsky, S. A.\nC8  - compiler: Kozlovsky, S. A.\n" in lf  # kozlovsky2006education
    assert lf.count("ER  - ") == len(shipped)
    assert "Title as given in the source" not in text  # the curator's remarks never go out
    golden("export.ris", lf)  # (golden files are compared as text: line ends read as \n)


def test_import_reads_tags_dates_pages_and_wrapped_lines() -> None:
    text = (
        "TY  - BOOK\nAU  - Doe, John\nAU  - Acme Corporation\nTI  - A long\n  title\nPY  - 2001\n"
        "CY  - Perm\nPB  - Pub\nSP  - 96\nKW  - x\nKW  - y\nLA  - ru\nER  - \n\n"
        "TY  - JOUR\nTI  - Article\nT2  - Journal\nDA  - 2007/10/05/\nSP  - 12\nEP  - 23\nER  - \n"
    )
    book, article = get_importer("ris")(text, "in.ris")
    assert book["author"] == [{"family": "Doe", "given": "John"}, {"literal": "Acme Corporation"}]
    assert book["title"] == "A long title" and book["number-of-pages"] == 96 and book["tags"] == ["x", "y"]
    assert article["issued"] == {"date-parts": [[2007, 10, 5]]} and article["page"] == "12-23"
    assert article["_line"] == 15


def test_unterminated_record_is_reported_with_its_line() -> None:
    with pytest.raises(ParseError) as caught:
        get_importer("ris")("TY  - BOOK\nTI  - x\nER  - \nTY  - BOOK\nTI  - y\n", "in.ris")
    assert caught.value.problems == ["in.ris:4: the record has no 'ER  - ' line"]


@pytest.mark.parametrize("number", ["²", "٣", "9" * 30, "9" * 5000], ids=["sup", "ar", "30", "5000"])
def test_odd_digits_and_huge_numbers_never_crash(number: str) -> None:
    text = f"TY  - BOOK\nTI  - T\nSP  - {number}\nDA  - 2000/{number}/{number}/\nPY  - {number}\nER  - \n"
    (record,) = get_importer("ris")(text, "in.ris")
    assert record["issued"] == {"date-parts": [[2000]]} and record["page"] == number
    assert "number-of-pages" not in record


def test_continuation_lines_are_joined_in_linear_time() -> None:
    lines = "".join(f"continued line number {i} of a very long abstract\n" for i in range(200_000))
    started = time.perf_counter()
    (record,) = get_importer("ris")("TY  - BOOK\nTI  - T\nAB  - Start\n" + lines + "ER  - \n", "in.ris")
    assert time.perf_counter() - started < 5
    assert record["abstract"].startswith("Start continued line number 0 of")
    assert record["abstract"].endswith("number 199999 of a very long abstract")


# --- #12: RIS per the specification, and real files ------------------------------------------


def test_ids_follow_the_specification_and_every_key_comes_back() -> None:
    long_key = "maier1872trud_i_kapital_perevod"
    records = [{"id": long_key, "type": "book", "title": "T"}, {"id": "short2006", "type": "book", "title": "U"}]
    text = export(records, "ris")
    ids = [line[6:] for line in text.split("\r\n") if line.startswith("ID  - ")]
    assert ids == ["short2006"]  # <= 20 letters and digits, or no ID at all
    assert "LB  - " + long_key in text
    assert [r["id"] for r in get_importer("ris")(text, "in.ris")] == [long_key, "short2006"]


def test_a_whole_serial_is_jfull_and_a_newspaper_article_news() -> None:
    records = [{"id": "paper", "type": "periodical", "title": "Left Vanguard", "ISSN": "1234-5679"},
               {"id": "art", "type": "article-newspaper", "title": "A", "container-title": "Left Vanguard"}]
    text = export(records, "ris")
    assert "TY  - JFULL\r\n" in text and "TY  - NEWS\r\n" in text and "SN  - 1234-5679" in text
    paper, art = get_importer("ris")(text, "in.ris")
    assert paper["type"] == "periodical" and paper["ISSN"] == "1234-5679"
    assert art["type"] == "article-newspaper"


def test_compilers_come_back_as_compilers_and_editors_as_editors() -> None:
    record = {"id": "k", "type": "pamphlet", "title": "T", "editor": [{"family": "Ivanov", "given": "I."}],
              "compiler": [{"family": "Petrov", "given": "P."}, {"literal": "Study Circle"}]}
    text = export([record], "ris")
    assert text.count("ED  - ") == 3  # every person is an editor to EndNote, Zotero, Mendeley
    (back,) = get_importer("ris")(text, "in.ris")
    assert back["editor"] == record["editor"] and back["compiler"] == record["compiler"]


def test_a_dropping_particle_is_written_after_the_given_name() -> None:
    record = {"id": "k", "type": "book", "title": "T", "author": [{"family": "Bülow", "given": "Friedrich", "dropping-particle": "von"}]}
    assert "AU  - Bülow, Friedrich von\r\n" in export([record], "ris")


@pytest.mark.parametrize("end", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
@pytest.mark.parametrize("spaces", [" ", "  "], ids=["one", "two"])
def test_tags_with_one_or_two_spaces_any_line_end_and_a_bom(end: str, spaces: str) -> None:
    lines = ["TY@- JOUR", "AU@- Doe, John", "TI@- Title", "LA@- Russian", "ER@-", "", "TY@- BOOK", "TI@- B", "LA@- rus", "ER@-"]
    text = "\ufeff" + end.join(line.replace("@", spaces) for line in lines) + end
    first, second = get_importer("ris")(text, "in.ris")
    assert first["type"] == "article-journal" and first["title"] == "Title" and first["author"] == [{"family": "Doe", "given": "John"}]
    assert first["language"] == second["language"] == "ru"


def test_a_language_that_is_no_language_is_kept_with_a_warning() -> None:
    (record,) = get_importer("ris")("TY  - BOOK\nTI  - T\nLA  - qqq-zzz unknown\nER  - \n", "in.ris")
    assert record["language"] == "qqq-zzz unknown"
    assert record["_warnings"] == ["in.ris:1: LA 'qqq-zzz unknown' is not a language code or name; kept as it is"]


@pytest.mark.parametrize("rtype", ["manuscript", "report", "thesis", "periodical"])
def test_a_lone_start_page_is_a_page_count_except_in_articles_and_chapters(rtype: str) -> None:
    (back,) = get_importer("ris")(export([{"id": "k", "type": rtype, "title": "T", "number-of-pages": 96}], "ris"), "in.ris")
    assert back["number-of-pages"] == 96 and "page" not in back
    (article,) = get_importer("ris")("TY  - JOUR\nTI  - T\nSP  - 12\nER  - \n", "in.ris")
    assert article["page"] == "12" and "number-of-pages" not in article
