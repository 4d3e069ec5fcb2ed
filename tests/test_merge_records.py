"""``model.merging_records``: several records of one work as one, nothing lost silently."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue.model.fields import shown_fields
from catalogue.model.merging_records import BadMerge, differing_fields, merge_records, same_person
from catalogue.model.validation import validate


def brochures() -> list[dict[str, Any]]:
    """The same brochure typed three times: in Latin, in Cyrillic, and with initials only."""
    return [
        {"id": "ovsyannikov2006why", "type": "pamphlet", "title": "Pochemu sotsializm?",
         "author": [{"family": "Ovsyannikov", "given": "I. A."}], "issued": {"date-parts": [[2006]]},
         "publisher-place": "Moscow", "number-of-pages": 36, "tags": ["brochure"],
         "added": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"},
        {"id": "ovsyannikov2006pochemu", "type": "pamphlet", "title": "Почему социализм?",
         "author": [{"family": "Овсянников", "given": "И. А."}], "issued": {"date-parts": [[2006]]},
         "publisher-place": "Москва", "language": "ru", "tags": ["russian"], "remarks": "from the library list",
         "added": "2026-01-02T00:00:00Z", "modified": "2026-01-02T00:00:00Z"},
        {"id": "ovsyannikov2006b", "type": "book", "title": "Pochemu sotsializm",
         "author": [{"family": "Ovsyannikov", "given": "I."}, {"family": "Kozlovsky", "given": "S. A."}],
         "issued": {"date-parts": [[2006]]}, "number-of-pages": 40, "note": "initials only",
         "aliases": ["ovs2006"], "added": "2026-01-03T00:00:00Z", "modified": "2026-01-03T00:00:00Z"},
    ]


def _every_value_kept(records: list[dict[str, Any]], merged: dict[str, Any]) -> None:
    """Each field value of each record is in the merged record, or noted in its remarks."""
    remarks = merged.get("remarks", "")
    for record in records:
        for field, value in record.items():
            if field in ("id", "added", "modified"):
                continue
            if field == "aliases":
                assert all(a in merged["aliases"] for a in value)
                continue
            if field == "remarks":
                assert value in remarks
                continue
            held = merged.get(field)
            if held == value or (isinstance(value, list) and isinstance(held, list)
                                 and all(v in held for v in value)):
                continue
            missing = [v for v in value if v not in (held or [])] if isinstance(value, list) else value
            text = shown_fields({field: missing}, ())[0][1]
            assert f"merged from {record['id']}: {shown_fields({field: 0}, ())[0][0]} was {text}" in remarks, (
                field, value)


def test_three_cross_script_duplicates_keep_every_distinct_value() -> None:
    records = brochures()
    result = merge_records(records, keep_both=["author", "tags"])
    merged = result.record
    assert validate(merged) == []
    assert result.kept_key == merged["id"] == "ovsyannikov2006why"
    assert result.absorbed == ["ovsyannikov2006pochemu", "ovsyannikov2006b"]
    # one person in three forms is one name, in the preferred record's form; the co-author is added
    assert merged["author"] == [{"family": "Ovsyannikov", "given": "I. A."}, {"family": "Kozlovsky", "given": "S. A."}]
    assert merged["tags"] == ["brochure", "russian"]
    # preferred values win; a field only another record gives fills in
    assert (merged["title"], merged["number-of-pages"], merged["type"]) == ("Pochemu sotsializm?", 36, "pamphlet")
    assert (merged["language"], merged["note"]) == ("ru", "initials only")
    assert merged["added"] == "2026-01-01T00:00:00Z"
    # old keys, and the alias one of them had, answer for the merged record
    assert merged["aliases"] == ["ovs2006", "ovsyannikov2006pochemu", "ovsyannikov2006b"]
    assert "merged from ovsyannikov2006pochemu: title was Почему социализм?" in merged["remarks"]
    assert "merged from ovsyannikov2006pochemu: author was Овсянников И. А." in merged["remarks"]
    assert "merged from ovsyannikov2006b: pages was 40" in merged["remarks"]
    assert merged["remarks"].startswith("from the library list\n")
    _every_value_kept(records, merged)


def test_without_keep_both_the_lists_not_kept_are_noted() -> None:
    records = brochures()
    merged = merge_records(records).record
    assert merged["tags"] == ["brochure"]
    assert "merged from ovsyannikov2006pochemu: tags was russian" in merged["remarks"]
    _every_value_kept(records, merged)


def test_prefer_and_choices() -> None:
    records = brochures()
    result = merge_records(records, prefer="OVSYANNIKOV2006POCHEMU",
                           choices={"number-of-pages": "ovsyannikov2006b", "author": "both"})
    merged = result.record
    assert merged["id"] == "ovsyannikov2006pochemu" and merged["title"] == "Почему социализм?"
    assert merged["number-of-pages"] == 40
    assert merged["author"][0] == {"family": "Овсянников", "given": "И. А."} and len(merged["author"]) == 2
    assert "ovsyannikov2006why" in merged["aliases"] and "ovsyannikov2006pochemu" not in merged["aliases"]
    _every_value_kept(records, merged)
    # choosing a record without the field drops it (and notes the others' values)
    dropped = merge_records(records, choices={"note": "ovsyannikov2006why"}).record
    assert "note" not in dropped and "merged from ovsyannikov2006b: note was initials only" in dropped["remarks"]


def test_differing_fields_leave_the_bookkeeping_out() -> None:
    fields = differing_fields(brochures())
    assert "id" not in fields and "modified" not in fields and "aliases" not in fields
    assert fields[:3] == ["type", "title", "author"]


def test_same_person_across_scripts_and_initials() -> None:
    assert same_person({"family": "Ovsyannikov", "given": "I. A."}, {"family": "Овсянников", "given": "Илья"})
    assert not same_person({"family": "Ovsyannikov", "given": "I. A."}, {"family": "Ovsyannikov", "given": "S."})


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"records": 1}, "at least two"),
        ({"twice": True}, "given twice"),
        ({"prefer": "nobody"}, "not one of the records"),
        ({"keep_both": ["title"]}, "holds one value"),
        ({"choices": {"title": "nobody"}}, "not one of the records"),
    ],
)
def test_bad_merges(kwargs: dict[str, Any], words: str) -> None:
    records = brochures()
    if kwargs.pop("records", None):
        records = records[:1]
    if kwargs.pop("twice", None):
        records = [records[0], {**records[1], "id": "OVSYANNIKOV2006WHY"}]
    with pytest.raises(BadMerge, match=words):
        merge_records(records, **kwargs)
