"""Field-by-field edits and building records from add's options."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.errors import InvalidData, ParseError, UsageProblem, ValidationError
from catalogue.model.editing import (
    BadEdit,
    BadValue,
    Edits,
    NewRecord,
    NotInRecord,
    apply_edits,
    build_record,
    merge_options,
    parse_edited_json,
    parse_issued,
    parse_pages,
)

WHY = {
    "id": "ovsyannikov2006why", "type": "pamphlet", "title": "Why Socialism?",
    "author": [{"family": "Ovsyannikov", "given": "I. A."}], "issued": {"date-parts": [[2006]]},
    "tags": ["book-or-brochure"], "added": "2026-11-26T00:00:00Z", "modified": "2026-11-26T00:00:00Z",
}


def test_set_reads_each_field_in_its_own_shape() -> None:
    new = apply_edits(WHY, Edits(set=[
        "title=Why Socialism? Answers", "issued=2005..2007", "number-of-pages=36",
        "publisher-place=Yaroslavl; Moscow", "editor=Kozlovsky S. A.; I. Yasin", "edition=2",
    ]))
    assert new["title"] == "Why Socialism? Answers"
    assert new["issued"] == {"date-parts": [[2005], [2007]]}
    assert new["number-of-pages"] == 36
    assert new["publisher-place"] == "Yaroslavl; Moscow"
    assert new["editor"] == [{"family": "Kozlovsky", "given": "S. A."}, {"family": "Yasin", "given": "I."}]
    assert new["edition"] == 2
    assert WHY["title"] == "Why Socialism?"  # the original is untouched


def test_unset_and_set_empty_remove_a_field() -> None:
    new = apply_edits(WHY, Edits(set=["issued="], unset=["tags"]))
    assert "issued" not in new and "tags" not in new


def test_names_are_added_once_and_removed_in_any_script() -> None:
    new = apply_edits(WHY, Edits(add_names=["author=Shibanov I.", "author=I. A. Ovsyannikov"]))
    assert [n["family"] for n in new["author"]] == ["Ovsyannikov", "Shibanov"]
    new = apply_edits(new, Edits(remove_names=["author=Овсянников И."]))
    assert new["author"] == [{"family": "Shibanov", "given": "I."}]
    new = apply_edits(new, Edits(remove_names=["author=Shibanov"]))
    assert "author" not in new


def test_tags_are_added_once_and_removed() -> None:
    new = apply_edits(WHY, Edits(add_tags=["x", "x", "book-or-brochure"]))
    assert new["tags"] == ["book-or-brochure", "x"]
    assert "tags" not in apply_edits(new, Edits(remove_tags=["x", "book-or-brochure"]))


@pytest.mark.parametrize(
    ("edits", "error", "words"),
    [
        (Edits(set=["title"]), BadEdit, "is not FIELD=VALUE"),
        (Edits(set=["colour=red"]), BadEdit, '"colour" is not a field'),
        (Edits(set=["id=new"]), BadEdit, "only by renaming"),
        (Edits(unset=["modified"]), BadEdit, "sets it itself"),
        (Edits(add_names=["painter=Repin I."]), BadEdit, "is not a role"),
        (Edits(set=["issued=next year"]), BadValue, "is not a year"),
        (Edits(set=["number-of-pages=0"]), BadValue, "positive whole number"),
        (Edits(remove_names=["author=Shibanov I."]), NotInRecord, "no author"),
        (Edits(remove_tags=["missing"]), NotInRecord, "no tag 'missing'"),
    ],
)
def test_bad_edits_name_the_problem(edits: Edits, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        apply_edits(WHY, edits)


def test_edit_errors_map_to_usage_or_bad_data() -> None:
    assert issubclass(BadEdit, UsageProblem)
    assert issubclass(BadValue, InvalidData) and issubclass(NotInRecord, InvalidData)


def test_build_record_from_options() -> None:
    record = build_record(NewRecord(
        title="  Why   Socialism? ", names={"author": ["Ovsyannikov I. A."], "editor": []}, year="2006",
        places=["Yaroslavl", "Moscow"], pages="36 с.", tags=["a,b", "a"], language="ru",
    ))
    assert record == {
        "title": "Why Socialism?", "author": [{"family": "Ovsyannikov", "given": "I. A."}],
        "issued": {"date-parts": [[2006]]}, "publisher-place": "Yaroslavl; Moscow",
        "number-of-pages": 36, "tags": ["a", "b"], "language": "ru", "type": "pamphlet",
    }
    assert build_record(NewRecord(title="T"))["type"] == "book"
    assert "type" not in build_record(NewRecord(title="T"), complete=False)


def test_build_record_lists_every_bad_value() -> None:
    with pytest.raises(ValidationError) as caught:
        build_record(NewRecord(title="T", year="soon", pages="many", names={"author": [","]}))
    assert len(caught.value.problems) == 3


def test_merge_options_adds_tags_and_notes_and_replaces_the_rest() -> None:
    merged = merge_options({"title": "A", "note": "Translated.", "tags": ["x"]},
                           {"title": "B", "note": "Mine.", "tags": ["y"]})
    assert merged == {"title": "B", "note": "Translated. Mine.", "tags": ["x", "y"]}


def test_parse_edited_json_skips_comment_lines_and_reports_lines() -> None:
    assert parse_edited_json('// error: x\n{"title": "A"}\n') == {"title": "A"}
    with pytest.raises(ParseError, match="edited:2"):
        parse_edited_json('{"title":\n ]', "edited")
    with pytest.raises(ParseError, match="one JSON object"):
        parse_edited_json("[1]")


@given(st.integers(1, 9999), st.integers(1, 9999))
def test_year_ranges_read_back(first: int, last: int) -> None:
    assert parse_issued(f"{first}..{last}") == {"date-parts": [[first], [last]]}
    assert parse_issued(str(first)) == {"date-parts": [[first]]}


@given(st.text(max_size=12))
def test_pages_are_a_positive_number_or_a_bad_value(text: str) -> None:
    with contextlib.suppress(BadValue):
        assert parse_pages(text) >= 1


@pytest.mark.parametrize(("text", "words"), [
    ("2000-02-31", "a day that 2000-02 does not have"), ("2001-02-29", "a day that 2001-02"),
    ("2006-13", "month 13"), ("٢٠٠٦", "is not a year"), ("²⁰⁰⁶", "is not a year"), ("20066", "is not a year"),
])
def test_impossible_dates_are_refused_when_read(text: str, words: str) -> None:
    with pytest.raises(BadValue, match=words):
        parse_issued(text)
    assert parse_issued("2000-02-29") == {"date-parts": [[2000, 2, 29]]}


def test_numbers_are_bounded_and_only_ascii_digits_become_numbers() -> None:
    assert apply_edits(WHY, Edits(set=["volume=12"]))["volume"] == 12
    assert apply_edits(WHY, Edits(set=["volume=12-14"]))["volume"] == "12-14"
    assert apply_edits(WHY, Edits(set=["volume=²"]))["volume"] == "²"  # text, which int() would refuse
    for huge in ["9" * 11, "9" * 5000]:
        with pytest.raises(BadValue, match="larger than 1,000,000,000"):
            apply_edits(WHY, Edits(set=[f"volume={huge}"]))
        with pytest.raises(BadValue, match="positive whole number") as caught:
            parse_pages(huge)
        assert len(str(caught.value)) < 200


@pytest.mark.parametrize("broken", [{"author": "Smith"}, {"author": [["x"]]}, {"author": [{"family": "A"}, "B"]}])
def test_names_of_the_wrong_type_are_reported_not_crashed_on(broken: dict[str, object]) -> None:
    for edits in (Edits(add_names=["author=Doe J."]), Edits(remove_names=["author=Doe J."])):
        with pytest.raises(BadValue, match="author in the record is not a list of name objects"):
            apply_edits({**WHY, **broken}, edits)


def test_tags_of_the_wrong_type_are_reported_not_split_into_letters() -> None:
    with pytest.raises(BadValue, match="tags in the record is not a list of texts"):
        apply_edits({**WHY, "tags": "abc"}, Edits(add_tags=["x"]))
    assert apply_edits({**WHY, "tags": "abc"}, Edits(set=["title=New"]))["tags"] == "abc"  # left to validate
