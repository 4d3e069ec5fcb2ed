"""The findings of ``socsopr check``."""

from __future__ import annotations

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
    problems = [f.problem for f in findings if f.check == "schema"]
    assert len(problems) == 4  # key, type, title, pages
    assert all(f.key == "bad key" for f in findings)


def test_required_fields_by_type() -> None:
    findings = check_records([book("a", type="article-journal"), book("b", type="chapter", **{
        "container-title": "Collected works"})])
    assert checks_of(findings) == [("a", "required")]
    assert "container-title" in findings[0].problem


def test_plausible_years() -> None:
    records = [
        book("future", issued={"date-parts": [[2031]]}),
        book("early", issued={"date-parts": [[1200]]}),
        book("backwards", issued={"date-parts": [[2007], [1998]]}),
        book("fine", issued={"date-parts": [[1450], [2030]]}),
    ]
    findings = check_records(records, this_year=2030)
    assert checks_of(findings) == [("backwards", "year"), ("early", "year"), ("future", "year")]


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
