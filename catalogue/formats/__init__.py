"""The registry of interchange formats: exporters and importers, one module per format.

A format module registers plain functions with ``@exporter`` / ``@importer`` and
keeps heavy imports inside them, so that discovering the formats stays cheap.
Adding a format touches one new file in this package.

An exporter iterates over its records exactly once, in the order given, so a
large catalogue can be exported while it is read one record at a time.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from typing import NamedTuple

from catalogue.errors import UnknownFormat
from catalogue.model.record import Record

Exporter = Callable[[Iterable[Record]], str]  # iterates once
# An importer reads text and returns records; ``source`` names the file for messages.
Importer = Callable[[str, str], list[Record]]
# Optional private keys an importer may set on a record it returns, for the import report:
# the 1-based line the record starts on, and ``file:line: …`` warnings.  The import
# transaction (catalogue.curation.importing) removes both before validating.  A ParseError raised by an
# importer may carry the records it could read as ``.records`` (used by --skip-invalid).
LINE_KEY = "_line"
WARNINGS_KEY = "_warnings"


class FormatInfo(NamedTuple):
    name: str
    description: str
    extension: str


_EXPORTERS: dict[str, tuple[FormatInfo, Exporter]] = {}
_IMPORTERS: dict[str, tuple[FormatInfo, Importer]] = {}
_discovered = False


def exporter(name: str, *, description: str, extension: str) -> Callable[[Exporter], Exporter]:
    """Register a function ``records -> text`` as the exporter of a format."""

    def register(func: Exporter) -> Exporter:
        _EXPORTERS[name] = (FormatInfo(name, description, extension), func)
        return func

    return register


def importer(name: str, *, description: str, extension: str) -> Callable[[Importer], Importer]:
    """Register a function ``(text, source) -> records`` as the importer of a format."""

    def register(func: Importer) -> Importer:
        _IMPORTERS[name] = (FormatInfo(name, description, extension), func)
        return func

    return register


# Modules that hold the light, everyday formats are tried first, so that `list -f ids`
# never imports the BibTeX machinery.
_FIRST = ("native", "tables")


def _discover(until: Callable[[], bool] = lambda: False) -> None:
    """Import format modules (light ones first) until ``until()`` holds or all are loaded."""
    global _discovered
    if _discovered or until():
        return
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    for name in sorted(names, key=lambda n: (n not in _FIRST, n)):
        importlib.import_module(f"{__name__}.{name}")
        if until():
            return
    _discovered = True


def export_formats() -> list[FormatInfo]:
    _discover()
    return [info for info, _ in sorted(_EXPORTERS.values(), key=lambda pair: pair[0].name)]


def import_formats() -> list[FormatInfo]:
    _discover()
    return [info for info, _ in sorted(_IMPORTERS.values(), key=lambda pair: pair[0].name)]


def get_exporter(name: str) -> Exporter:
    """The exporter of a format, or ``UnknownFormat`` naming the ones there are."""
    _discover(until=lambda: name in _EXPORTERS)
    try:
        return _EXPORTERS[name][1]
    except KeyError:
        raise UnknownFormat(name, list(_EXPORTERS), "export format") from None


def get_importer(name: str) -> Importer:
    """The importer of a format, or ``UnknownFormat`` naming the ones there are."""
    _discover(until=lambda: name in _IMPORTERS)
    try:
        return _IMPORTERS[name][1]
    except KeyError:
        raise UnknownFormat(name, list(_IMPORTERS), "import format") from None


def export(records: Iterable[Record], name: str) -> str:
    """Records as text in the named format."""
    return get_exporter(name)(records)
