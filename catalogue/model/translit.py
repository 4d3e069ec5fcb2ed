"""Cyrillic-to-Latin romanisation and the script-insensitive folding used by keys and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

# Competing romanisations of one Cyrillic letter, folded to one spelling so that
# Ovsyannikov, Ovsiannikov, Ovsjannikov and Овсянников meet. Single letters first,
# then digraphs (longer spellings tried first, repeated until none is left, so
# that folding a folded key changes nothing), then what those leave.
_SINGLE_LETTERS = str.maketrans({"x": "ks", "w": "v", "q": "k", "y": "i", "j": "i"})
_DIGRAPHS: dict[str, str] = {
    "shch": "sc", "sch": "sc", "zh": "z", "kh": "h", "ch": "c", "sh": "s", "ts": "c", "tz": "c",
}
_DIGRAPH_RE = re.compile("|".join(sorted(_DIGRAPHS, key=len, reverse=True)))
_SECOND_PASS: dict[str, str] = {"ie": "e", "io": "e"}
_SECOND_RE = re.compile("|".join(_SECOND_PASS))
_DOUBLED = re.compile(r"([a-z])\1+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def has_cyrillic(text: str) -> bool:
    """Whether the text holds any Cyrillic letter."""
    return bool(_CYRILLIC.search(text))


@lru_cache(maxsize=4096)
def romanise(text: str) -> str:
    """Romanise Russian Cyrillic the way the article does (Wikipedia's system); Latin passes."""
    if not has_cyrillic(text):
        return text
    import iuliia  # imported here: it costs start-up time that most commands never need

    return str(iuliia.WIKIPEDIA.translate(text))


def strip_accents(text: str) -> str:
    """Remove combining marks (é -> e) but keep Cyrillic й and ё distinct letters first."""
    text = text.replace("й", "\0i\0").replace("Й", "\0I\0").replace("ё", "е").replace("Ё", "Е")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("\0i\0", "й").replace("\0I\0", "Й")


def ascii_letters(text: str) -> str:
    """Romanise, strip accents and keep only lower-case a-z (for citation keys)."""
    return re.sub(r"[^a-z]", "", strip_accents(romanise(text)).lower())


@lru_cache(maxsize=1)
def _letter_table() -> dict[int, str]:
    """Wikipedia's letter-by-letter romanisation, read from iuliia's own schema file.

    Its context rules (``е`` -> ``ye`` after a vowel, ``-ий`` -> ``y``) are left
    out on purpose: the folding below erases exactly those differences, and a
    str.translate table is about 20 times faster than iuliia's word-by-word
    rules, which matters when 100,000 titles are folded.
    """
    import json
    from pathlib import Path

    import iuliia

    mapping = json.loads(Path(iuliia.WIKIPEDIA.path).read_text(encoding="utf-8"))["mapping"]
    table = {ord(cyr): lat for cyr, lat in mapping.items()}
    table.update({ord(cyr.upper()): lat for cyr, lat in mapping.items() if cyr.upper() != cyr})
    return table


def search_key(text: str) -> str:
    """Reduce text to one comparable spelling: script, case, accents and romanisation folded.

    Words are kept apart by single spaces, so phrases still match.
    """
    latin = text.lower()
    if has_cyrillic(latin):
        latin = latin.translate(_letter_table())
    if not latin.isascii():
        latin = "".join(c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c))
    # the folds below only ever match letters, so they can run over all words at once
    folded = _NON_WORD.sub(" ", latin).strip()
    folded = folded.translate(_SINGLE_LETTERS)
    while _DIGRAPH_RE.search(folded):
        folded = _DIGRAPH_RE.sub(lambda m: _DIGRAPHS[m.group(0)], folded)
    folded = _DOUBLED.sub(r"\1", folded)
    folded = _SECOND_RE.sub(lambda m: _SECOND_PASS[m.group(0)], folded)
    return _DOUBLED.sub(r"\1", folded)
