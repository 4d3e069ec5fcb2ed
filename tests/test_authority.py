"""Authority records: checking, resolving names to them, and keeping them in the catalogue file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from catalogue import Catalogue
from catalogue.errors import AmbiguousName, AuthorityNotFound, CorruptStore, InvalidAuthority
from catalogue.model.authority import AuthorityIndex, merged, problems, renamed, with_variants
from catalogue.model.duplicates import DuplicateIndex
from catalogue.store import layout
from catalogue.store.history import History

OVS: dict[str, Any] = {"id": "ovsyannikov-i-a", "kind": "person", "name": {"family": "Ovsyannikov", "given": "I. A."},
       "variants": [{"family": "Ovsyannikov", "given": "I."}]}
SR: dict[str, Any] = {"id": "socialist-resistance", "kind": "organisation", "name": {"literal": "Socialist Resistance"},
      "variants": [{"literal": "СоцСопр"}]}


def book(key: str, title: str = "T", **fields: object) -> dict[str, Any]:
    return {"id": key, "type": "book", "title": title, **fields}


# --- the model ---------------------------------------------------------------------------------


def test_a_sound_authority_has_no_problems() -> None:
    assert problems(OVS) == [] and problems(SR) == []


@pytest.mark.parametrize("change, expected", [
    ({"id": "Bad Id"}, "not lower-case"),
    ({"kind": "group"}, "kind"),
    ({"name": {"literal": "A Person"}}, "of a person must have a family name"),
    ({"name": {}}, "must be a name"),
    ({"variants": "Ovsyannikov"}, "variants must be a list"),
    ({"dates": "last year"}, "are not like 1998"),
    ({"links": {"key": "owner"}}, "links must map"),
    ({"colour": "red"}, "unknown fields"),
])
def test_problems_name_what_is_wrong(change: dict[str, Any], expected: str) -> None:
    assert any(expected in p for p in problems({**OVS, **change}))


def test_a_name_resolves_across_scripts_and_initials() -> None:
    index = AuthorityIndex({"ovsyannikov-i-a": OVS, "socialist-resistance": SR})
    for name in ({"family": "Ovsyannikov", "given": "I. A."}, {"family": "Овсянников", "given": "И. А."},
                 {"family": "Ovsiannikov", "given": "I."}, {"family": "Ovsyannikov", "given": "Ilya"}):
        assert index.resolve(name) == "ovsyannikov-i-a", name
    assert index.resolve({"family": "Ovsyannikov", "given": "B."}) is None
    assert index.resolve({"family": "Ovsyannikov"}) is None  # a family name alone is not enough
    assert index.resolve({"literal": "Соцсопр"}) == "socialist-resistance"
    assert index.resolve_text("socialist resistance") == "socialist-resistance"


def test_two_fitting_authorities_the_rule() -> None:
    a = {"id": "ivanov-i-a", "kind": "person", "name": {"family": "Ivanov", "given": "I. A."}}
    b = {"id": "ivanov-i-b", "kind": "person", "name": {"family": "Ivanov", "given": "I. B."}}
    c = {"id": "ivanov-i", "kind": "person", "name": {"family": "Ivanov", "given": "I."}}
    index = AuthorityIndex({"ivanov-i-a": a, "ivanov-i-b": b})
    assert index.resolve({"family": "Ivanov", "given": "I."}) is None  # compatible with both: unresolved
    assert index.candidates({"family": "Ivanov", "given": "I."}) == ([], ["ivanov-i-a", "ivanov-i-b"])
    linked = AuthorityIndex({"ivanov-i-a": a, "ivanov-i-b": {**b, "links": {"rec": "author"}}})
    assert linked.resolve({"family": "Ivanov", "given": "I."}, "rec") == "ivanov-i-b"  # a link settles it
    exact = AuthorityIndex({"ivanov-i-a": a, "ivanov-i-b": b, "ivanov-i": c})
    assert exact.resolve({"family": "Ivanov", "given": "I."}) == "ivanov-i"  # an exact form wins


def test_rename_and_merge_keep_every_form() -> None:
    moved = renamed(OVS, {"family": "Овсянников", "given": "И. А."})
    assert moved["name"] == {"family": "Овсянников", "given": "И. А."}
    assert OVS["name"] in moved["variants"]
    other = {"id": "ovsyannikov", "kind": "person", "name": {"family": "Ovsjannikov", "given": "I. A."},
             "wikidata": "Q1", "links": {"x": "author"}}
    both = merged(OVS, other)
    assert {"family": "Ovsjannikov", "given": "I. A."} in both["variants"]
    assert both["wikidata"] == "Q1" and both["links"] == {"x": "author"} and problems(both) == []
    assert with_variants(OVS, [OVS["variants"][0]]) == OVS  # a form it has is not added twice


def test_duplicates_compare_the_first_names_authority() -> None:
    index = AuthorityIndex({"socialist-resistance": SR})
    existing = DuplicateIndex([book("a", "Program", author=[{"literal": "Socialist Resistance"}],
                                    issued={"date-parts": [[2008]]})], names=index)
    new = book("b", "Program", author=[{"literal": "СоцСопр"}], issued={"date-parts": [[2008]]})
    assert existing.matches(new) == ["a"]
    assert DuplicateIndex([book("a", "Program", author=[{"literal": "Socialist Resistance"}],
                                issued={"date-parts": [[2008]]})]).matches(new) == []


# --- the file --------------------------------------------------------------------------------


def test_without_authorities_the_file_is_written_as_before(db_path: Path) -> None:
    with Catalogue.open(db_path, writable=True) as cat:  # the shipped catalogue
        for ident in list(cat.authorities()):
            cat.remove_authority(ident)
        cat.save("drop authorities")
    data = db_path.read_bytes()
    assert data.startswith(layout.HEAD) and data.endswith(layout.TAIL)  # version 1, records only
    assert data == layout.dump_records({r["id"]: r for r in Catalogue.open(db_path).records()})


def test_authorities_are_a_sorted_table_before_the_records(db_path: Path) -> None:
    Catalogue.open(db_path).close()  # the shipped catalogue
    data = db_path.read_bytes()
    assert data.startswith(layout.AUTHORITIES_HEAD) and data.endswith(layout.TAIL_2)
    document = orjson.loads(data)
    assert list(document) == ["authorities", "format", "records", "version"] and document["version"] == 2
    assert list(document["authorities"]) == sorted(document["authorities"])
    assert layout.scan(data) is not None  # the records are still mapped, not parsed whole
    with Catalogue.open(db_path, writable=True) as cat:
        cat.put_authority({**OVS, "note": "x"})
        cat.save("note")
    assert db_path.read_bytes() == layout.dump_catalogue(
        {r["id"]: r for r in Catalogue.open(db_path).records()}, Catalogue.open(db_path).authorities())


def test_an_authority_change_is_one_undoable_history_line(db_path: Path) -> None:
    Catalogue.open(db_path).close()
    before = db_path.read_bytes()
    with Catalogue.open(db_path, writable=True) as cat:
        cat.remove_authority("ovsyannikov-i-a")
        cat.put_authority({**SR, "id": "sr-two"})
        change = cat.save("names merge")
    assert change is not None and change.authorities == ("ovsyannikov-i-a", "sr-two")
    journal = History.read(db_path, None).changes()[-1]
    assert (journal.names_before["ovsyannikov-i-a"] or {}).get("name") == OVS["name"]
    assert journal.names_after == {
        "ovsyannikov-i-a": None, "sr-two": {**SR, "id": "sr-two"}}
    with Catalogue.open(db_path, writable=True) as cat:
        cat.undo()
    assert db_path.read_bytes() == before


def test_find_authority_by_id_or_any_form(shipped: Catalogue) -> None:
    assert shipped.find_authority("ovsyannikov-i-a")["id"] == "ovsyannikov-i-a"
    assert shipped.find_authority("Овсянников И.")["id"] == "ovsyannikov-i-a"
    assert shipped.find_authority("СоцСопр")["id"] == "socialist-resistance"
    with pytest.raises(AuthorityNotFound, match="did you mean"):
        shipped.find_authority("socialist-resistanse")


def test_an_ambiguous_name_is_one_error(db_path: Path) -> None:
    with Catalogue.open(db_path, writable=True) as cat:
        cat.put_authority({"id": "ovsyannikov-i-b", "kind": "person",
                           "name": {"family": "Ovsyannikov", "given": "I. B."}})
        with pytest.raises(AmbiguousName) as caught:
            cat.find_authority("Ovsyannikov")
        assert caught.value.candidates == ["ovsyannikov-i-a", "ovsyannikov-i-b"]
        with pytest.raises(InvalidAuthority):
            cat.put_authority({"id": "x", "kind": "person", "name": {"literal": "X"}})


@pytest.mark.parametrize("damage", [
    lambda t: t.replace('"kind": "person"', '"kind": "robot"', 1),
    lambda t: t.replace('"kind": "person",', '"kind": "person",,', 1),
    lambda t: t.replace('"authorities": {', '"authorities": [', 1),
])
def test_a_damaged_authorities_table_is_corrupt_store(db_path: Path, damage: object) -> None:
    Catalogue.open(db_path).close()
    text = damage(db_path.read_text(encoding="utf-8"))  # type: ignore[operator]
    db_path.write_text(text, encoding="utf-8")
    with pytest.raises(CorruptStore, match=r"authorit|not valid JSON"), Catalogue.open(db_path) as cat:
        cat.authorities()
    with pytest.raises(CorruptStore), Catalogue.open(db_path, writable=True) as cat:
        cat.add(book("new", "A new one"))  # nor is anything written over it
        cat.save("add new")
    assert db_path.read_text(encoding="utf-8") == text


def test_renaming_a_record_keeps_its_links(db_path: Path) -> None:
    with Catalogue.open(db_path, writable=True) as cat:
        record = cat.get("third2001congress")
        cat.update("third2001congress", {**record, "id": "congress2001third"})
        cat.save("edit")
    with Catalogue.open(db_path) as cat:
        links = cat.authorities()["cwi-section-in-the-cis"]["links"]
        assert "congress2001third" in links and "third2001congress" not in links
