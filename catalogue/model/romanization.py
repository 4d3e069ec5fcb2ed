"""Romanisation by a named system (GOST 7.79-2000 System B, ISO 9, ALA-LC, BGN/PCGN) of texts and records.

Every system is one of iuliia's schemas, never a table of socsopr's own:
``SYSTEMS`` maps the names people type to the schema and a line for ``--help``.
(``translit.romanise`` is another matter: the Wikipedia spelling the article
uses, for keys and search folding.)

A romanised record is what the transliterated reference lists of Russian
journals want: titles, names, places, publishers and every other descriptive
text in Latin letters, identifiers and links untouched. Romanisations are
computed when asked for and never stored; a romanised title a person gave
(``titles``, kind ``romanization``) wins over the computed one of its system.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from catalogue.errors import UnknownFormat

if TYPE_CHECKING:
    from iuliia import Schema


class System(NamedTuple):
    schema: str  # the name of iuliia's schema
    description: str


# The name people type -> iuliia's schema. iuliia's gost_779 *is* ISO 9:1995 (its alias iso_9_1995);
# GOST 7.79-2000 gives it as System A and the ASCII System B that Russian journals ask for.
SYSTEMS: dict[str, System] = {
    "gost-7.79-b": System("gost_779_alt", "GOST 7.79-2000 System B, ASCII: shh, yo, cz, y`"),
    "iso-9": System("gost_779", "ISO 9:1995 = GOST 7.79-2000 System A: š, ž, â"),
    "ala-lc": System("ala_lc", "ALA-LC, the Library of Congress: t͡s, i͡a, ʹ"),
    "bgn-pcgn": System("bgn_pcgn", "BGN/PCGN: kh, ts, ye after vowels"),
}
ALIASES: dict[str, str] = {"gost-7.79-a": "iso-9", "iso-9-1995": "iso-9", "gost": "gost-7.79-b"}

# iuliia 0.13's ala_lc, bgn_pcgn and gost_779 map ё to itself, the Cyrillic letter (reported upstream:
# Homyakin/iuliia-java#5 was sent to nalgeon/iuliia); all three standards write ë, so a ё the schema
# left is written as the Latin ë — the one letter socsopr adds to a schema, and only where it left Cyrillic.
_LEFT_YO = str.maketrans({"ё": "ë", "Ё": "Ë"})

# Fields never romanised: identifiers, links, codes, the catalogue's own and its parallel titles.
_KEEP = frozenset({
    "id", "type", "citation-key", "language", "URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID",
    "added", "modified", "tags", "remarks", "titles", "custom", "categories",
    "aliases", "conflicts",  # old keys stay what \cite{} calls say; a merge's record stays as it was
})


def system_name(name: str) -> str:
    """The system's name as ``SYSTEMS`` has it (case, ``_`` and aliases forgiven), or ``UnknownFormat``."""
    typed = name.strip().lower().replace("_", "-")
    typed = ALIASES.get(typed, typed)
    if typed not in SYSTEMS:
        raise UnknownFormat(name, list(SYSTEMS), "romanisation system")
    return typed


def systems_help() -> str:
    """The systems for ``--help``: ``gost-7.79-b (GOST 7.79-2000 System B …), iso-9 (…) …``."""
    return ", ".join(f"{name} ({system.description})" for name, system in SYSTEMS.items())


@lru_cache(maxsize=8)
def _schema(system: str) -> Schema:
    import iuliia  # imported here: most commands never romanise

    return iuliia.schemas.get(SYSTEMS[system_name(system)].schema)


@lru_cache(maxsize=4096)
def romanize(text: str, system: str) -> str:
    """``text`` in Latin letters by the named system; text without Cyrillic is returned as it is."""
    from catalogue.model.translit import has_cyrillic  # (not at the top: export's --help names the systems)

    schema = _schema(system)
    if not has_cyrillic(text):
        return text
    return str(schema.translate(text)).translate(_LEFT_YO)


def romanized_record(record: Mapping[str, Any], system: str) -> dict[str, Any]:
    """A copy of the record with every descriptive text romanised; its title is the original title
    (``titles``' ``original`` when ``title`` is a translation), romanised, or as a person gave it
    in this system."""
    from catalogue.model.titles import given_romanization, original_title

    name = system_name(system)
    copy = {field: value if field in _KEEP else _romanized_value(value, name)
            for field, value in record.items()}
    if "title" in record:
        copy["title"] = given_romanization(record, name) or romanize(original_title(record), name)
    return copy


def _romanized_value(value: Any, system: str) -> Any:
    if isinstance(value, str):
        return romanize(value, system)
    if isinstance(value, list):
        return [_romanized_value(v, system) for v in value]
    if isinstance(value, dict):
        return {k: _romanized_value(v, system) for k, v in value.items()}
    return value
