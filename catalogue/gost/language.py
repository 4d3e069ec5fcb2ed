"""The language of a described work, told from its printed title (the issue's "language per line").

Cyrillic letters make it Russian (Ukrainian ``і ї є ґ``, Belarusian ``ў``); Latin
letters English, unless the marks of French (``é è ê à ç ï ô``) or German
(``ä ö ü ß``) say otherwise. A BCP 47 code is returned.
"""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """``ru``, ``uk``, ``be``, ``en``, ``fr`` or ``de`` for the title ``text``."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic >= latin and cyrillic:
        if re.search(r"[ўЎ]", text):
            return "be"
        if re.search(r"[іїєґІЇЄҐ]", text):
            return "uk"
        return "ru"
    if re.search(r"[äöüßÄÖÜ]", text):
        return "de"
    if re.search(r"[éèêàçïôœÉÈ]", text):
        return "fr"
    return "en" if latin else "ru"
