"""Fuzzing every importer, alone and through the import transaction (issue #11).

Random text and format-shaped hostile text (tests/fuzz/hostile.py) must give records
or a CatalogueError, never another exception, within a second per example and
with bounded growth.  CI runs a bounded, derandomised number of examples; the long
run is ``python tests/benchmarks/fuzz_importers.py`` (10,000 per importer by default).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.formats import import_formats
from tests.fuzz.hostile import FORMATS, TEXTS, check_importer

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_every_import_format_is_fuzzed() -> None:
    assert {f.name for f in import_formats()} == set(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_importer_gives_records_or_a_catalogue_error(fmt: str, data: st.DataObject) -> None:
    check_importer(fmt, data.draw(TEXTS[fmt]))


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=st.text(max_size=500))
def test_random_text_in_any_format(fmt: str, text: str) -> None:
    check_importer(fmt, text)
