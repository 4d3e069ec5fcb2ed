"""RIS export and import."""

from __future__ import annotations

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
