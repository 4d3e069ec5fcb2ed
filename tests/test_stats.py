"""Collection statistics, checked on the shipped catalogue."""

from __future__ import annotations

from typing import Any

from catalogue.curation.stats import collect


def test_shipped_numbers(shipped: Any) -> None:
    stats = collect(shipped.records())
    assert stats.records == 19
    assert stats.pages == 345 and stats.records_with_pages == 11
    assert stats.by_year == {"1993": 1, "1998": 1, "2001": 2, "2005": 1, "2006": 6, "2007": 3,
                             "2008": 2, "unknown": 3}
    assert stats.by_type == {"pamphlet": 10, "book": 4, "periodical": 3, "document": 1, "leaflet": 1}
    assert stats.by_place == {"Moscow": 11, "Voronezh": 2, "Perm": 1, "Yaroslavl": 1, "unknown": 5}
    assert stats.by_language == {"ru": 19}
    top = stats.names[0]
    assert (top.name, top.records, top.roles) == ("Ovsyannikov I. A.", 4, {"author": 3, "editor": 1})
    assert stats.names[1].roles == {"editor": 1, "compiler": 1}


def test_names_merge_across_scripts_and_count_records_once() -> None:
    records = [
        {"id": "a", "type": "book", "title": "A", "author": [{"family": "Kozlovsky", "given": "S. A."}],
         "editor": [{"family": "Kozlovsky", "given": "S. A."}]},
        {"id": "b", "type": "book", "title": "B", "author": [{"family": "Козловский", "given": "С. А."}]},
    ]
    [entry] = collect(records).names
    assert entry.records == 2 and entry.roles == {"author": 2, "editor": 1}


def test_empty_collection_and_json_shape() -> None:
    stats = collect([])
    assert stats.records == 0 and stats.by_year == {} and stats.names == []
    assert set(stats.as_dict()) == {"records", "pages", "records_with_pages", "by_year", "by_type",
                                    "by_place", "by_language", "names"}


def test_top_names_limit(shipped: Any) -> None:
    assert len(collect(shipped.records(), top_names=2).names) == 2
