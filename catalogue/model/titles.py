"""Parallel titles: a record's title in other languages and scripts (``titles``), and the one an output needs.

``title`` is the title as the source gives it (the original script of the work
as published, for a record made from the item itself); ``language`` is the
language of the work. ``titles`` lists the other forms people gave, each
tagged with its language (BCP 47)::

    "titles": [{"kind": "translation", "language": "en", "text": "Why Socialism?"},
               {"kind": "original", "language": "ru", "text": "Почему социализм?"},
               {"kind": "romanization", "language": "ru-Latn", "system": "gost-7.79-b",
                "text": "Pochemu socializm?"}]

- ``translation``: the title translated (APA 7 prints it in brackets after the original);
- ``original``: the title in the original language and script, when ``title`` is not it (a record
  made from a bibliography that gave an English translation only, as the shipped catalogue's were);
- ``romanization``: a romanised form as printed on the item or chosen by a person; computed ones are
  never stored (``romanization.romanize`` makes them by system when an output needs them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TITLES = "titles"
KINDS = ("translation", "original", "romanization")
TEXT, LANGUAGE, KIND, SYSTEM = "text", "language", "kind", "system"
PARTS = frozenset({TEXT, LANGUAGE, KIND, SYSTEM})
# A record has a handful of parallel titles; a long list is a mistake (or an attack on show and search).
MAX_TITLES = 50
# A well-formed BCP 47 tag (RFC 5646's shape: language, then subtags of 1–8 letters or digits); whether
# the language exists is langcodes' business at the doors that read language names (``languages``).
LANGUAGE_TAG = re.compile(r"\A[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
_SPEC = re.compile(
    r"\A\s*(?:(?P<kind>[a-z]+)\s*:\s*)?(?P<language>[A-Za-z0-9-]+)\s*=(?P<text>.*)\Z", re.DOTALL)

ParallelTitle = dict[str, str]


def parse_parallel_title(spec: str) -> ParallelTitle:
    """``en=Why Socialism?`` (a translation), ``original:ru=Почему социализм?``,
    ``romanization:ru-Latn=Pochemu socializm?`` as a parallel title; ``ValueError`` says what is wrong."""
    match = _SPEC.match(spec)
    if not match or not match.group("text").strip():
        raise ValueError(f"{spec!r} is not LANGUAGE=TITLE (e.g. en=Why Socialism?) or KIND:LANGUAGE=TITLE")
    kind = match.group("kind") or "translation"
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of parallel title; choose one of: {', '.join(KINDS)}")
    language = match.group("language")
    if not LANGUAGE_TAG.match(language):
        raise ValueError(f"{language!r} is not a language tag like en, ru or ru-Latn")
    return {KIND: kind, LANGUAGE: language, TEXT: " ".join(match.group("text").split())}


def add_parallel_title(titles: list[ParallelTitle], new: ParallelTitle) -> list[ParallelTitle]:
    """``titles`` with ``new`` added; one of the same kind and language (and system) is replaced."""
    same = (new[KIND], new[LANGUAGE].lower(), new.get(SYSTEM))
    kept = [t for t in titles if (t.get(KIND), str(t.get(LANGUAGE, "")).lower(), t.get(SYSTEM)) != same]
    return [*kept, new]


def parallel_titles(record: Mapping[str, Any]) -> list[ParallelTitle]:
    """The record's parallel titles (well-formed entries only: this also runs on records being checked)."""
    value = record.get(TITLES)
    if not isinstance(value, list):
        return []
    return [t for t in value if isinstance(t, dict) and isinstance(t.get(TEXT), str)
            and isinstance(t.get(LANGUAGE), str) and t.get(KIND) in KINDS]


def title_texts(record: Mapping[str, Any]) -> list[str]:
    """Every parallel title's text, for search."""
    return [t[TEXT] for t in parallel_titles(record)]


def same_language(tag: str, wanted: str) -> bool:
    """Whether a tag is of the wanted language: ``en-GB`` is ``en``; ``ru`` is not ``ru-Latn``."""
    first = tag.lower().split("-")
    want = wanted.lower().split("-")
    return first[0] == want[0] and first[1:len(want)] == want[1:]


def original_title(record: Mapping[str, Any]) -> str:
    """The title in the original language and script: the ``original`` parallel title, else ``title``."""
    for entry in parallel_titles(record):
        if entry[KIND] == "original":
            return entry[TEXT]
    return str(record.get("title", ""))


def translated_title(record: Mapping[str, Any], language: str) -> str | None:
    """The title in ``language`` (``en`` takes ``en-GB``), when the work is in another language.

    A translation of that language first; else, when an ``original`` is given and the work's
    language differs, the record's ``title`` is the translation the source gave.
    """
    work = record.get("language")
    if isinstance(work, str) and work and same_language(work, language):
        return None
    entries = parallel_titles(record)
    exact = [t for t in entries if t[KIND] == "translation" and t[LANGUAGE].lower() == language.lower()]
    close = [t for t in entries if t[KIND] == "translation" and same_language(t[LANGUAGE], language)]
    for found in (exact, close):
        if found:
            return found[0][TEXT]
    original = original_title(record)
    title = record.get("title")
    if isinstance(title, str) and title and original != title and isinstance(work, str) and work:
        return title
    return None


def given_romanization(record: Mapping[str, Any], system: str) -> str | None:
    """A romanised title a person gave in this system, if any."""
    for entry in parallel_titles(record):
        if entry[KIND] == "romanization" and entry.get(SYSTEM) == system:
            return entry[TEXT]
    return None


def bracketed_title(record: Mapping[str, Any], language: str, system: str | None = None) -> str | None:
    """APA 7's ``Title in original [Translated title]`` (the original romanised by ``system`` if given);
    None when the record has no title in ``language`` to add."""
    translation = translated_title(record, language)
    if translation is None:
        return None
    original = original_title(record)
    if system:
        from catalogue.model.romanization import romanize, system_name

        original = given_romanization(record, system_name(system)) or romanize(original, system)
    return f"{original} [{translation}]"


def shown_titles(value: Any) -> str:
    """The parallel titles as ``show`` prints them: ``en (translation): Why Socialism?; …``."""
    if not isinstance(value, list):
        return ""
    shown = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        about = ", ".join(str(entry[p]) for p in (KIND, SYSTEM) if entry.get(p))
        shown.append(f"{entry.get(LANGUAGE, '?')} ({about}): {entry.get(TEXT, '')}")
    return "; ".join(shown)


def cited_record(
    record: Mapping[str, Any], translations_into: str | None = None, system: str | None = None
) -> Mapping[str, Any]:
    """The record as a reference list prints it: romanised by ``system`` when given, and its title
    followed by the translation into ``translations_into`` in brackets when it has one (APA 7)."""
    title = bracketed_title(record, translations_into, system) if translations_into else None
    if system:
        from catalogue.model.romanization import romanized_record

        record = romanized_record(record, system)
    return {**record, "title": title} if title else record
