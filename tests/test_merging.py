"""store.merging: the three-way merge of catalogues, record by record and field by field, and resolving."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from catalogue.errors import CorruptStore, InvalidData
from catalogue.model.validation import validate
from catalogue.store.layout import dump_catalogue
from catalogue.store.merging import merge, merge_files, resolve


def rec(key: str, **fields: Any) -> dict[str, Any]:
    return {"id": key, "type": "book", "title": f"Title {key}", **fields}


BASE = {r["id"]: r for r in (rec("a2001", publisher="P", tags=["x", "y"]), rec("b2002"), rec("c2003", note="N"))}


def sides(ours_change: Any, theirs_change: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    ours_change(ours)
    theirs_change(theirs)
    return ours, theirs


def test_different_records_always_merge() -> None:
    ours, theirs = sides(lambda s: s["a2001"].update(title="A!"), lambda s: s.pop("b2002"))
    theirs["d2004"] = rec("d2004")
    result = merge(BASE, ours, theirs)
    assert result.clean
    assert set(result.records) == {"a2001", "c2003", "d2004"}
    assert result.records["a2001"]["title"] == "A!"


def test_the_same_record_merges_field_by_field() -> None:
    ours, theirs = sides(lambda s: s["a2001"].update(title="A!"), lambda s: s["a2001"].update(publisher="Q"))
    result = merge(BASE, ours, theirs)
    assert result.clean and result.records["a2001"] == rec("a2001", title="A!", publisher="Q", tags=["x", "y"])


def test_tags_merge_as_sets_and_modified_takes_the_later() -> None:
    def ours_change(s: dict[str, Any]) -> None:
        s["a2001"].update(tags=["x", "y", "o"], modified="2026-01-02T00:00:00Z")

    def theirs_change(s: dict[str, Any]) -> None:
        s["a2001"].update(tags=["y", "t"], modified="2026-03-01T00:00:00Z")

    ours, theirs = sides(ours_change, theirs_change)
    for result in (merge(BASE, ours, theirs), merge(BASE, theirs, ours)):
        assert result.clean
        assert result.records["a2001"]["tags"] == ["y", "o", "t"]  # x removed by theirs
        assert result.records["a2001"]["modified"] == "2026-03-01T00:00:00Z"


def test_a_field_changed_differently_on_both_sides_is_a_conflict_record() -> None:
    ours, theirs = sides(lambda s: s["a2001"].update(title="Ours"), lambda s: s["a2001"].update(title="Theirs"))
    result = merge(BASE, ours, theirs)
    record = result.records["a2001"]
    assert result.conflicted == ["a2001"] and not result.clean
    assert record["title"] == "Ours"
    assert record["conflicts"] == [{"field": "title", "base": "Title a2001", "ours": "Ours", "theirs": "Theirs"}]
    assert validate(record) == []
    assert resolve(record, "title", "theirs") == {**rec("a2001", publisher="P", tags=["x", "y"]), "title": "Theirs"}
    assert resolve(record, "title", "base") == BASE["a2001"]
    with pytest.raises(InvalidData):
        resolve(record, "publisher", "ours")
    with pytest.raises(InvalidData):
        resolve(record, "title", "mine")


def test_a_field_removed_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    ours, theirs = sides(lambda s: s["c2003"].pop("note"), lambda s: s["c2003"].update(note="M"))
    record = merge(BASE, ours, theirs).records["c2003"]
    assert "note" not in record and record["conflicts"] == [{"field": "note", "base": "N", "theirs": "M"}]
    assert resolve(record, "note", "theirs") == rec("c2003", note="M")
    assert resolve(record, "note", "ours") == rec("c2003")


def test_removed_on_one_side_and_changed_on_the_other_keeps_the_changed_one_marked() -> None:
    ours, theirs = sides(lambda s: s.pop("b2002"), lambda s: s["b2002"].update(note="kept"))
    result = merge(BASE, ours, theirs)
    record = result.records["b2002"]
    assert record["note"] == "kept"
    assert record["conflicts"] == [{"field": "record", "ours": "removed", "theirs": "changed"}]
    assert validate(record) == []
    assert resolve(record, "record", "ours") is None
    assert resolve(record, "record", "theirs") == rec("b2002", note="kept")
    mirrored = merge(BASE, theirs, ours).records["b2002"]
    assert mirrored["conflicts"] == [{"field": "record", "ours": "changed", "theirs": "removed"}]


def test_added_on_both_sides_identically_is_one_and_differently_merges_fields() -> None:
    ours, theirs = sides(lambda s: s.update(n2010=rec("n2010", note="same")),
                         lambda s: s.update(n2010=rec("n2010", note="same")))
    assert merge(BASE, ours, theirs).records["n2010"] == rec("n2010", note="same")
    ours["n2010"]["publisher"] = "O"
    theirs["n2010"]["publisher"] = "T"
    record = merge(BASE, ours, theirs).records["n2010"]
    assert record["conflicts"] == [{"field": "publisher", "ours": "O", "theirs": "T"}]


def test_a_rename_is_a_removal_and_an_addition() -> None:
    def rename(s: dict[str, Any]) -> None:
        s["b2002new"] = {**s.pop("b2002"), "id": "b2002new"}

    ours, theirs = sides(rename, lambda s: s["a2001"].update(title="A!"))
    result = merge(BASE, ours, theirs)
    assert result.clean and set(result.records) == {"a2001", "b2002new", "c2003"}


def test_keys_equal_ignoring_case_from_the_two_sides_are_reported() -> None:
    ours, theirs = sides(lambda s: s.update(Smith2000=rec("Smith2000")),
                         lambda s: s.update(smith2000=rec("smith2000")))
    result = merge(BASE, ours, theirs)
    assert result.clashes == [("Smith2000", "smith2000")] and not result.clean


def test_authorities_merge_by_id_and_lists_as_sets() -> None:
    base = {"x": {"id": "x", "kind": "person", "name": {"family": "X"}, "variants": [{"family": "Икс"}]}}
    ours = copy.deepcopy(base)
    theirs = copy.deepcopy(base)
    ours["x"]["variants"].append({"family": "Iks"})
    theirs["x"]["dates"] = "1900/1950"
    theirs["y"] = {"id": "y", "kind": "organisation", "name": {"literal": "Y"}}
    result = merge({}, {}, {}, base, ours, theirs)
    assert result.clean
    assert result.authorities["x"] == {"id": "x", "kind": "person", "name": {"family": "X"}, "dates": "1900/1950",
                                       "variants": [{"family": "Икс"}, {"family": "Iks"}]}
    assert set(result.authorities) == {"x", "y"}
    ours["x"]["name"] = {"family": "Xo"}
    theirs["x"]["name"] = {"family": "Xt"}
    ours["x"]["note"] = "o"
    theirs["x"]["note"] = "t"
    conflicted = merge({}, {}, {}, base, ours, theirs)
    assert conflicted.authorities["x"]["name"] == {"family": "Xo"}
    assert {"family": "Xt"} in conflicted.authorities["x"]["variants"]  # theirs' name kept as a variant
    assert conflicted.authority_conflicts == ["x: note"]


# --- files ---------------------------------------------------------------------------------------------


def write(path: Path, records: dict[str, Any], authorities: dict[str, Any] | None = None) -> Path:
    path.write_bytes(dump_catalogue(records, authorities or {}))
    return path


def test_merge_files_is_canonical_and_the_same_whichever_side_is_ours(tmp_path: Path) -> None:
    ours, theirs = sides(lambda s: s["a2001"].update(title="A!"), lambda s: s["c2003"].update(note="M"))
    theirs["z2020"] = rec("z2020")
    base = write(tmp_path / "base.json", BASE)
    one = write(tmp_path / "one.json", ours)
    two = write(tmp_path / "two.json", theirs)
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    assert merge_files(base, one, two, first).clean
    assert merge_files(base, two, one, second).clean
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == dump_catalogue(merge(BASE, ours, theirs).records, {})


def test_merge_files_reads_a_file_not_in_the_canonical_layout(tmp_path: Path) -> None:
    import json

    ours, theirs = sides(lambda s: s["a2001"].update(title="A!"), lambda s: s["c2003"].update(note="M"))
    base = write(tmp_path / "base.json", BASE)
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"format": "socsopr-catalogue", "version": 1, "records": ours}), encoding="utf-8")
    two = write(tmp_path / "two.json", theirs)
    merge_files(base, one, two)
    assert one.read_bytes() == dump_catalogue(merge(BASE, ours, theirs).records, {})


def test_an_empty_base_is_an_empty_catalogue(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_bytes(b"")
    one = write(tmp_path / "one.json", {"a2001": rec("a2001")})
    two = write(tmp_path / "two.json", {"b2002": rec("b2002")})
    assert merge_files(base, one, two).clean
    assert one.read_bytes() == dump_catalogue({"a2001": rec("a2001"), "b2002": rec("b2002")}, {})


@pytest.mark.parametrize("damage", [b"{not json", b'{"format": "other", "version": 1}',
                                    b"<<<<<<< ours\n{}\n=======\n{}\n>>>>>>> theirs\n"])
def test_damaged_input_is_refused_and_ours_left_untouched(tmp_path: Path, damage: bytes) -> None:
    base = write(tmp_path / "base.json", BASE)
    one = write(tmp_path / "one.json", BASE)
    before = one.read_bytes()
    two = tmp_path / "two.json"
    two.write_bytes(damage)
    with pytest.raises(CorruptStore):
        merge_files(base, one, two)
    assert one.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.json", "one.json", "two.json"]


def test_an_edit_of_a_field_in_conflict_settles_it() -> None:
    from catalogue.store.merging import settle_edited

    ours, theirs = sides(lambda s: s["a2001"].update(title="O", publisher="O"),
                         lambda s: s["a2001"].update(title="T", publisher="T"))
    record = merge(BASE, ours, theirs).records["a2001"]
    edited = settle_edited(record, {**record, "title": "Third"})
    assert edited["title"] == "Third" and [e["field"] for e in edited["conflicts"]] == ["publisher"]
    unset = settle_edited(edited, {k: v for k, v in edited.items() if k != "publisher"})
    assert "conflicts" not in unset and "publisher" not in unset
    assert settle_edited(record, {**record, "note": "x"}) == {**record, "note": "x"}


@pytest.mark.parametrize("seed", range(200))
def test_random_changes_merge_as_the_model_says_and_symmetrically_when_clean(seed: int) -> None:
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_git_merge import model_merge

    rng = random.Random(seed)
    base = {f"k{i}": rec(f"k{i}", publisher="P", note="N", tags=["x", "y"]) for i in range(5)}

    def changed(name: str) -> dict[str, Any]:
        side = copy.deepcopy(base)
        for _ in range(rng.randint(0, 4)):
            key = rng.choice(sorted(side)) if side else None
            kind = rng.choice(("field", "field", "tags", "remove", "add", "unset"))
            if kind == "add" or key is None:
                new = rng.choice(("k9", f"{name}1"))
                side[new] = rec(new, note=rng.choice(("same", name)))
            elif kind == "field":
                side[key][rng.choice(("title", "publisher", "note"))] = f"{name}{rng.randint(0, 1)}"
            elif kind == "tags":
                side[key]["tags"] = rng.sample(["x", "y", "z", name], rng.randint(0, 3))
            elif kind == "unset":
                side[key].pop("note", None)
            else:
                side.pop(key)
        return side

    ours, theirs = changed("o"), changed("t")
    result = merge(base, ours, theirs)
    assert result.records == model_merge(base, ours, theirs)
    if result.clean:
        assert merge(base, theirs, ours).records == result.records
    for record in result.records.values():
        assert validate(record) == [], record


def test_a_base_in_another_layout_is_compared_by_value(tmp_path: Path) -> None:
    import json

    ours, theirs = sides(lambda s: s.pop("b2002"), lambda s: s["c2003"].update(note="M"))
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"version": 1, "format": "socsopr-catalogue", "records": BASE}, indent=1),
                    encoding="utf-8")
    one = write(tmp_path / "one.json", ours)
    two = write(tmp_path / "two.json", theirs)
    assert merge_files(base, one, two).clean
    assert one.read_bytes() == dump_catalogue(merge(BASE, ours, theirs).records, {})
    assert set(merge(BASE, ours, theirs).records) == {"a2001", "c2003"}


def test_merge_files_merges_the_authorities_table(tmp_path: Path) -> None:
    person = {"id": "x", "kind": "person", "name": {"family": "X"}}
    ours, theirs = sides(lambda s: s["a2001"].update(title="A!"), lambda s: s["c2003"].update(note="M"))
    base = write(tmp_path / "base.json", BASE)
    one = write(tmp_path / "one.json", ours)
    two = write(tmp_path / "two.json", theirs, {"x": person})
    assert merge_files(base, one, two).clean
    assert one.read_bytes() == dump_catalogue(merge(BASE, ours, theirs).records, {"x": person})
    assert merge_files(base, two, write(tmp_path / "three.json", ours)).clean
    assert two.read_bytes() == one.read_bytes()
