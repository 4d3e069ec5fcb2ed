"""The findings of ``socsopr check``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from catalogue import Catalogue
from catalogue.curation.checks import Finding, check_records, findings_as_json, records_with_findings


def book(key: str, **fields: Any) -> dict[str, Any]:
    return {"id": key, "type": "book", "title": f"Title of {key}", **fields}


def checks_of(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.key, f.check) for f in findings]


def test_the_shipped_catalogue_is_clean(shipped: Catalogue) -> None:
    assert check_records(shipped.records()) == []


def test_schema_problems_are_findings() -> None:
    findings = check_records([{"id": "bad key", "type": "novel", "number-of-pages": "many"}])
    problems = [f.problem for f in findings if f.check == "invalid"]
    assert len(problems) == 4  # key, type, title, pages
    assert all(f.key == "bad key" for f in findings)


def test_required_fields_by_type() -> None:
    findings = check_records([book("a", type="article-journal"), book("b", type="chapter", **{
        "container-title": "Collected works"})])
    assert checks_of(findings) == [("a", "required")]
    assert "container-title" in findings[0].problem


def test_plausible_years() -> None:
    this_year = datetime.now(UTC).year
    records = [
        book("future", issued={"date-parts": [[this_year + 1]]}),  # announced: valid, but flagged
        book("early", issued={"date-parts": [[1200]]}),
        book("fine", issued={"date-parts": [[1450], [this_year]]}),
    ]
    findings = check_records(records, this_year=this_year)
    assert checks_of(findings) == [("early", "year"), ("future", "year")]
    assert findings[1].problem == f"year {this_year + 1} is in the future"


def test_impossible_years_and_backward_ranges_are_invalid() -> None:
    far = datetime.now(UTC).year + 2
    records = [
        book("backwards", issued={"date-parts": [[2007], [1998]]}),
        book("far", issued={"date-parts": [[far]]}),
        book("feb31", issued={"date-parts": [[2000, 2, 31]]}),
    ]
    findings = check_records(records)
    assert checks_of(findings) == [("backwards", "invalid"), ("far", "invalid"), ("feb31", "invalid")]
    assert "ends before it begins" in findings[0].problem
    assert f"year {far} is not a year from 1 to {far - 1}" in findings[1].problem


def test_page_counts() -> None:
    findings = check_records([book("huge", **{"number-of-pages": 25000}), book("ok", **{"number-of-pages": 9000})])
    assert checks_of(findings) == [("huge", "pages")]


def test_keys_differing_only_in_case_clash() -> None:
    findings = check_records([book("Why2006"), book("why2006", title="Other")])
    assert sorted(checks_of(findings)) == [("Why2006", "key"), ("why2006", "key")]


def test_likely_duplicates_across_scripts() -> None:
    latin = book("ovsyannikov2006why", title="Why Socialism?", issued={"date-parts": [[2006]]},
                 author=[{"family": "Ovsyannikov", "given": "I. A."}])
    cyrillic = book("why", title="Why socialism", issued={"date-parts": [[2006]]},
                    author=[{"family": "Овсянников", "given": "И. А."}])
    findings = check_records([latin, cyrillic])
    assert checks_of(findings) == [("ovsyannikov2006why", "duplicate"), ("why", "duplicate")]
    assert "why" in findings[0].problem


def test_swapped_names() -> None:
    records = [
        book("swapped", author=[{"family": "I. A.", "given": "Ovsyannikov"}]),
        book("glued", editor=[{"family": "Ovsyannikov I. A."}]),
        book("fine", author=[{"family": "Ovsyannikov", "given": "I. A."}, {"literal": "A. B. C. Group"}]),
    ]
    findings = check_records(records)
    assert checks_of(findings) == [("glued", "names"), ("swapped", "names")]
    assert "swapped?" in findings[1].problem


def test_json_and_keys_of_findings() -> None:
    findings = check_records([book("a", type="thesis"), book("b", issued={"date-parts": [[1000]]})])
    assert findings_as_json(findings)[0] == {"key": "a", "check": "required",
                                             "problem": "a thesis needs publisher, which is missing"}
    assert records_with_findings(findings) == ["a", "b"]
