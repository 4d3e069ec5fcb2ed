"""RIS export and import."""

from __future__ import annotations

import time

import pytest

from catalogue import Catalogue
from catalogue.errors import ParseError
from catalogue.formats import export, get_importer


def test_shipped_export(shipped: Catalogue, golden) -> None:  # type: ignore[no-untyped-def]
    text = export(shipped.records(), "ris")
    assert "TY  - PAMP\nID  - ovsyannikov2005hands\nED  - Ovsyannikov, I. A.\nED  - Kozlovsky, S. A." in text
    assert "TY  - NEWS\nID  - left1998vanguard" in text and "DA  - 1998///2007" in text
    assert "A4  - Yasin, I." in text and "DA  - 2007/10//" in text
    assert "AU  - Socialist Resistance (Section" in text
    assert text.count("ER  - ") == len(shipped)
    golden("export.ris", text)


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
