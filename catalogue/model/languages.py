"""Languages: whatever a file says ('rus', 'Russian', 'Русский', 'ru_RU') to BCP 47, and BCP 47 to babel.

CSL-JSON and RIS carry BCP 47 tags (``ru``, ``en-GB``); biblatex's ``langid``
and BibTeX's ``language`` carry babel/polyglossia language names
(``russian``, ``ngerman``). Real files hold anything: ISO 639-2 codes (``rus``,
``ger``), English or native names (``Russian``, ``Русский``), POSIX locales
(``ru_RU``). :func:`to_bcp47` reads them all through ``langcodes`` (its data
is a few megabytes, loaded only when a value needs it); :func:`babel_name`
goes the other way with a small table of facts.
"""

from __future__ import annotations

import re
import unicodedata

# Longer values are not a language (a sentence pasted into the field); the
# name lookup would only spend time on them.
_MAX_LENGTH = 64

# A value naming several languages is not one language; "english, russian"
# would otherwise match "english" by langcodes' prefix rule.
_SEPARATORS = frozenset(",;/&|+")

# A POSIX locale: its encoding and modifier ('ru_RU.UTF-8', 'sr_RS@latin') say nothing of the language.
_POSIX_LOCALE = re.compile(r"([A-Za-z]{2,3}(?:_[A-Za-z]{2})?)[.@][A-Za-z0-9_.@-]*")

# Tags that say there is no language to name.
_NO_LANGUAGE = frozenset({"und"})

# BCP 47 language (and language-region) -> the name babel, polyglossia and
# biblatex (its .lbx files) share. Facts from babel's and polyglossia's language
# files (polyglossia's gloss-*.ldf give each language its ``bcp47=`` tag and its
# ``babelname=``). German: ``ngerman`` (the 1996 orthography, what every German
# text since then is written in; polyglossia's ``german`` declares
# ``babelname=ngerman``, and biblatex ships ``ngerman.lbx``); babel's plain
# ``german`` is the 1901 orthography and is kept for tags that say ``-1901``.
_BABEL: dict[str, str] = {
    "af": "afrikaans",
    "ar": "arabic",
    "be": "belarusian",
    "bg": "bulgarian",
    "br": "breton",
    "ca": "catalan",
    "cs": "czech",
    "cy": "welsh",
    "da": "danish",
    "de": "ngerman",
    "de-AT": "naustrian",
    "de-CH": "nswissgerman",
    "el": "greek",
    "en": "english",
    "en-AU": "australian",
    "en-CA": "canadian",
    "en-GB": "british",
    "en-NZ": "newzealand",
    "en-US": "american",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "farsi",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "gd": "scottish",
    "gl": "galician",
    "he": "hebrew",
    "hr": "croatian",
    "hu": "magyar",
    "hy": "armenian",
    "id": "indonesian",
    "is": "icelandic",
    "it": "italian",
    "ka": "georgian",
    "kk": "kazakh",
    "la": "latin",
    "lt": "lithuanian",
    "lv": "latvian",
    "mk": "macedonian",
    "nb": "norsk",
    "nl": "dutch",
    "nn": "nynorsk",
    "no": "norsk",
    "pl": "polish",
    "pt": "portuguese",
    "pt-BR": "brazilian",
    "ro": "romanian",
    "ru": "russian",
    "sk": "slovak",
    "sl": "slovene",
    "sq": "albanian",
    "sr": "serbian",
    "sr-Cyrl": "serbianc",
    "sv": "swedish",
    "tr": "turkish",
    "uk": "ukrainian",
}

# Read back: a langid of a .bib file ('ngerman', 'british', 'serbianc') is a babel name
# langcodes does not know. 'norsk' is Norwegian Bokmål ('nb'), as babel's norsk is.
_FROM_BABEL = {name: tag for tag, name in _BABEL.items() if tag != "no"}

# Old-orthography German (``de-1901``, ``de-DE-1901``): babel's german, austrian, swissgerman.
_BABEL_1901 = {"de": "german", "de-AT": "austrian", "de-CH": "swissgerman"}


def to_bcp47(value: str) -> str | None:
    """The BCP 47 tag of a language code, locale or name; None when ``value`` names no language.

    ``'rus'``, ``'Russian'``, ``'russian'``, ``'Русский'``, ``'RU'`` give ``'ru'``;
    ``'ru_RU'`` and ``'ru-ru'`` give ``'ru-RU'``. Never raises on any text.
    """
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", value).strip()
    if not text or len(text) > _MAX_LENGTH or not text.isprintable():
        return None
    if text.lower() in _FROM_BABEL:
        return _FROM_BABEL[text.lower()]
    from langcodes import Language, standardize_tag, tag_is_valid

    locale = _POSIX_LOCALE.fullmatch(text)
    code = (locale.group(1) if locale else text).replace("_", "-")
    try:
        if tag_is_valid(code):
            tag = standardize_tag(code)
            return None if tag in _NO_LANGUAGE else tag
    except (ValueError, LookupError):
        pass
    if any(ch in _SEPARATORS for ch in text) or not any(ch.isalpha() for ch in text):
        return None
    try:
        tag = Language.find(text).to_tag()
    except (ValueError, LookupError, AssertionError):
        # AssertionError: language_data refuses a name it cannot key (it asserts on slashes).
        return None
    return tag if tag_is_valid(tag) and tag not in _NO_LANGUAGE else None


def babel_name(tag: str) -> str | None:
    """The babel/polyglossia/biblatex language name of a BCP 47 tag (``ru`` → ``russian``); None if unknown.

    The most specific entry wins: ``en-GB`` → ``british``, ``en-IN`` → ``english``,
    ``de-CH-1901`` → ``swissgerman``, ``sr-Cyrl-RS`` → ``serbianc``.
    """
    if not isinstance(tag, str):
        return None
    subtags = [s for s in tag.replace("_", "-").split("-") if s]
    if not subtags or not subtags[0].isascii() or not subtags[0].isalpha():
        return None
    language = subtags[0].lower()
    script = region = None
    old_spelling = False
    for sub in subtags[1:]:
        if len(sub) == 4 and sub.isalpha() and script is None and region is None:
            script = sub.title()
        elif (len(sub) == 2 and sub.isalpha()) or (len(sub) == 3 and sub.isdigit()):
            region = region or sub.upper()
        elif sub == "1901":
            old_spelling = True
    table = _BABEL_1901 if old_spelling and language == "de" else _BABEL
    for key in (f"{language}-{region}", f"{language}-{script}", language):
        if key in table:
            return table[key]
    return None
