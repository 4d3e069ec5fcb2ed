"""biblatex: ``location``, ``date``, ``pagetotal``, ``translator``, ``editortype``, ``langid`` for biber."""

from __future__ import annotations

from collections.abc import Iterable

from catalogue.formats import exporter, importer
from catalogue.formats.bibtex import read_records, write_entries
from catalogue.model.record import Record


@exporter("biblatex", description="biblatex (for biber; location, date, langid)", extension="bib")
def export_biblatex(records: Iterable[Record]) -> str:
    return write_entries(records, "biblatex")


@importer("biblatex", description="biblatex or BibTeX (.bib), read like bibtex", extension="bib")
def import_biblatex(text: str, source: str) -> list[Record]:
    return read_records(text, source)
