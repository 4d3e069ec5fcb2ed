"""The CSL locales pandoc 3.9's citeproc has built in, and the check of a ``--locale`` tag against them.

pandoc falls back to en-US without a word for a language it has no locale of
(``-M lang=xx-XX`` prints English terms), so socsopr checks the tag first. A
region pandoc has no file for (``de-LU``) gets that language's primary dialect
(``de-DE``), as pandoc does; a language it has no file for is refused.
"""

from __future__ import annotations

import re

from catalogue.errors import UsageProblem

# The locale files embedded in pandoc 3.9 (the ``xx-YY.xml`` names in its binary;
# tests/test_cite.py checks the list against the binary of the installed wheel).
CSL_LOCALES = (
    "af-ZA", "ar", "bal-PK", "bg-BG", "brh-PK", "ca-AD", "cs-CZ", "cy-GB", "da-DK", "de-AT", "de-CH",
    "de-DE", "el-GR", "en-GB", "en-US", "es-CL", "es-ES", "es-MX", "et-EE", "eu", "fa-IR", "fi-FI",
    "fr-CA", "fr-FR", "gl-ES", "he-IL", "hi-IN", "hr-HR", "hu-HU", "id-ID", "is-IS", "it-IT", "ja-JP",
    "km-KH", "ko-KR", "la", "lij-IT", "lt-LT", "lv-LV", "mn-MN", "ms-MY", "nb-NO", "nl-NL", "nn-NO",
    "pa-PK", "pl-PL", "pt-BR", "pt-PT", "ro-RO", "ru-RU", "sk-SK", "sl-SI", "sr-RS", "sv-SE", "th-TH",
    "tr-TR", "uk-UA", "vi-VN", "zh-CN", "zh-TW",
)
_LANGUAGES = {tag.split("-")[0] for tag in CSL_LOCALES}
_TAG = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{2}|[0-9]{3}))?")


class UnknownLocale(UsageProblem):
    """A ``--locale`` that is not a language tag, or a language pandoc has no CSL locale for."""

    def __init__(self, locale: str, closest: list[str]) -> None:
        self.locale = locale
        self.closest = closest
        hint = f"; for this language: {', '.join(closest)}" if closest else (
            "; use a tag such as de-DE, fr-FR, uk-UA or ru-RU")
        super().__init__(f"unknown locale {locale!r}{hint}")


def csl_locale(locale: str) -> str:
    """``locale`` as the tag pandoc is given (``de_de`` -> ``de-DE``), or ``UnknownLocale``."""
    found = _TAG.fullmatch(locale.strip().replace("_", "-"))
    if not found:
        closest = [t for t in CSL_LOCALES if t.split("-")[0] == locale.strip()[:2].lower()]
        raise UnknownLocale(locale, closest)
    language, region = found.group(1).lower(), (found.group(2) or "").upper()
    if language not in _LANGUAGES:
        raise UnknownLocale(locale, [])
    return f"{language}-{region}" if region else language
