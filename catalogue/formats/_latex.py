"""LaTeX in BibTeX values: escaping text so it comes back identical, decoding it to Unicode.

``escape`` and ``decode`` are inverses on any text without runs of whitespace:
``decode(escape(s)) == s``.  Cyrillic and other Unicode stay as they are (never
``{\\cyr…}`` macros).  ``decode`` also reads what other tools write: accents
(``{\\"o}``), T2A Cyrillic (``{\\CYRO}``), ``--``, ``~``, protective braces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# --- escaping ------------------------------------------------------------------------

_SPECIAL = re.compile(r"[\\{}&%$#_~^\u00a0]")
_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\u00a0": "~",
}
# TeX ligatures that would turn two characters into one: break them with an empty group.
_LIGATURE = re.compile(r"([-`'])(?=\1)")
_SPACES = re.compile(r"[ \t\r\n]+")
_WORD = re.compile(r"(?<![\\\w])[^\W\d_][^\W_]*")
_QUOTED = re.compile(r'"([^"]*)"')


def squeeze(text: str) -> str:
    """Runs of spaces, tabs and newlines as one space, none at the ends (as BibTeX reads them)."""
    if "  " not in text and "\t" not in text and "\n" not in text and "\r" not in text:
        return text.strip(" ")
    return _SPACES.sub(" ", text).strip(" ")


def escape(text: str, quote: str = r"\enquote") -> str:
    """Text as a BibTeX value body: specials escaped, braces balanced, Unicode kept.

    No straight double quote stays raw (babel russian makes ``"`` active): a pair
    becomes ``quote{…}`` (``\\enquote`` or ``\\mkbibquote``), a lone one ``\\symbol{34}``.
    """
    text = squeeze(text)
    if _SPECIAL.search(text):
        text = _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], text)
    if "--" in text or "``" in text or "''" in text:
        text = _LIGATURE.sub(r"\1{}", text)
    if '"' in text:
        text = _QUOTED.sub(lambda m: quote + "{" + m.group(1) + "}", text).replace('"', r"\symbol{34}")
    return text


def escape_title(text: str, quote: str = r"\enquote") -> str:
    """Like ``escape``, and capitalised words braced, but the first: ``{CWI}``, ``{Moscow}``, ``{McDonald}``.

    BibTeX styles lower-case titles (plain.bst keeps only the first letter and the
    one after a colon); the braces keep proper nouns and acronyms as they are.
    The first word is left bare unless it has inner capitals, so a style may still
    change the case of the title as a whole.
    """
    text = escape(text, quote)
    rest = text[1:]
    # nothing past the first letter to protect (``islower``: a cased letter and no capital, at C speed)
    if rest.islower() or not any(c.isupper() for c in rest):
        return text
    first = _WORD.search(text)
    start = first.end() if first else 0

    def protect(match: re.Match[str]) -> str:
        word = match.group(0)
        tail = word[1:]
        inner = not tail.islower() and any(c.isupper() for c in tail)
        if inner or (match.start() >= start and word[0].isupper()):
            return "{" + word + "}"
        return word

    return _WORD.sub(protect, text)


# --- decoding ------------------------------------------------------------------------

_NEEDS_DECODING = re.compile(r"[\\{}~$]|--|``|''|[ \t\r\n]{2}|[\t\r\n]")

# Accent commands and the Unicode combining mark each stands for.
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361",
}
_SYMBOLS = {
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_",
    "textbraceleft": "{", "textbraceright": "}", "textdollar": "$", "textpercent": "%",
    "textampersand": "&", "S": "§", "P": "¶", "copyright": "©", "textquotesingle": "'",
    "textquotedbl": '"', "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…",
    "i": "ı", "j": "ȷ", "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "relax": "",
    "par": " ", "newline": " ", "quad": " ", "qquad": " ", "space": " ", "nobreakspace": "\u00a0",
}
_ESCAPED_CHARS = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", "\\": " ",
    ",": "\u2009", "-": "", "/": "", "@": "", ";": " ", ":": " ", "!": "",
}
# Macros whose argument is not text: dropped with it (``\noopsort{1973c}`` sorts, prints nothing).
_QUOTE_MACROS = frozenset({"enquote", "mkbibquote", "textquote"})
_DROPPED_WITH_ARGUMENT = frozenset({"noopsort", "SortNoop", "sortnoop", "NOOP", "hyphenation", "label"})


class LatexError(ValueError):
    """A value that is not well-formed LaTeX (an unbalanced brace, groups nested too deep)."""


# Accent arguments are decoded by a decoder of their own: this bounds how many nest.
MAX_ARGUMENT_NESTING = 100
_TOO_DEEP = f"accents nest too deeply (more than {MAX_ARGUMENT_NESTING} levels of accents and groups)"


@lru_cache(maxsize=1)
def _known_macros() -> dict[str, str]:
    """Plain text for argument-less macros (``\\CYRO`` -> О, ``\\ss`` -> ß), from pylatexenc's table."""
    from pylatexenc.latex2text import get_default_latex_context_db

    table: dict[str, str] = {}
    db = get_default_latex_context_db()
    for category in db.categories():
        for spec in db.iter_macro_specs([category]):
            repl = getattr(spec, "simplify_repl", None)
            if isinstance(repl, str) and "%" not in repl and spec.macroname not in _ACCENTS:
                table[spec.macroname] = repl
    return table


def decode(text: str) -> str:
    """A BibTeX value body as Unicode text; ``LatexError`` on an unbalanced brace."""
    if not _NEEDS_DECODING.search(text):
        return text.strip(" ")
    return squeeze(_Decoder(text).run())


_DECODE_STOPS = re.compile(r"[\\{}~$`'-]")  # where the decoder has more to do than copy


class _Decoder:
    def __init__(self, text: str, level: int = 0) -> None:
        if level > MAX_ARGUMENT_NESTING:
            raise LatexError(_TOO_DEEP)
        self.text = text
        self.level = level
        self.pos = 0
        self.depth = 0

    def run(self) -> str:
        out: list[str] = []
        text, n = self.text, len(self.text)
        while self.pos < n:
            special = _DECODE_STOPS.search(text, self.pos)  # copy plain runs whole, not char by char
            if special is None:
                out.append(text[self.pos:])
                break
            if special.start() > self.pos:
                out.append(text[self.pos:special.start()])
                self.pos = special.start()
            c = text[self.pos]
            if c == "\\":
                out.append(self.macro())
                continue
            if c == "{":
                self.depth += 1
            elif c == "}":
                self.depth -= 1
                if self.depth < 0:
                    raise LatexError(f"a closing brace at character {self.pos + 1} has no opening brace")
            elif c == "~":
                out.append("\u00a0")
            elif c == "$":
                pass  # math shift: keep the formula's text
            elif c in "-`'" and text.startswith(c * 2, self.pos):
                if c == "-":
                    dashes = 3 if text.startswith("---", self.pos) else 2
                    out.append("—" if dashes == 3 else "–")
                    self.pos += dashes
                    continue
                out.append("“" if c == "`" else "”")
                self.pos += 2
                continue
            else:
                out.append(c)
            self.pos += 1
        if self.depth:
            raise LatexError("an opening brace is never closed")
        return "".join(out)

    def macro(self) -> str:
        text = self.text
        start = self.pos + 1
        if start >= len(text):
            self.pos = start
            return ""
        if not text[start].isalpha():
            char = text[start]
            self.pos = start + 1
            if char in _ACCENTS:
                return self.accent(char)
            return _ESCAPED_CHARS.get(char, char)
        end = start
        while end < len(text) and text[end].isalpha():
            end += 1
        name = text[start:end]
        self.pos = end
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1
        if name in _ACCENTS:
            return self.accent(name)
        if name in _DROPPED_WITH_ARGUMENT:
            self.argument()
            return ""
        if name in _QUOTE_MACROS:  # what ``escape`` writes for a pair of straight quotes
            return '"' + self.argument() + '"'
        if name == "symbol":  # ``\symbol{34}``: a character by its code
            code = self.argument().strip()
            number = int(code) if re.fullmatch(r"[0-9]{1,7}", code) else 0
            return chr(number) if 32 <= number < 0x110000 and not 0xD800 <= number < 0xE000 else ""
        replacement = _SYMBOLS.get(name)
        if replacement is None:
            replacement = _known_macros().get(name, "")
        if text.startswith("{}", self.pos):
            self.pos += 2
        return replacement

    def argument(self) -> str:
        """The next group or character, decoded; the position moves past it."""
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1
        if self.pos >= len(text):
            return ""
        if text[self.pos] == "\\":
            return self.macro()
        if text[self.pos] != "{":
            self.pos += 1
            return text[self.pos - 1]
        depth, end = 0, self.pos
        while end < len(text):
            if text[end] == "\\":
                end += 2
                continue
            if text[end] == "{":
                depth += 1
            elif text[end] == "}":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        if depth:
            raise LatexError("an opening brace is never closed")
        inner = _Decoder(text[self.pos + 1:end], self.level + 1).run()
        self.pos = end + 1
        return inner

    def accent(self, name: str) -> str:
        self.level += 1  # an accent on an accent reads its argument one level deeper
        if self.level > MAX_ARGUMENT_NESTING:
            raise LatexError(_TOO_DEEP)
        try:
            base = self.argument()
        finally:
            self.level -= 1
        if not base:
            return ""
        first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])
        return unicodedata.normalize("NFC", first + _ACCENTS[name]) + base[1:]


# --- lists inside values -------------------------------------------------------------

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _split_outside_braces(text: str, separator_end: Callable[[str, int], int | None]) -> list[str]:
    """Cut ``text`` where ``separator_end(text, i)`` finds a separator outside braces (its end)."""
    parts: list[str] = []
    depth, last, i = 0, 0, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2  # an escaped character is never structure
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            end = separator_end(text, i)
            if end is not None:
                parts.append(text[last:i])
                last = i = end
                continue
        i += 1
    parts.append(text[last:])
    return parts


def split_top_level(text: str, separator: re.Pattern[str] = _AND) -> list[str]:
    r"""Split a BibTeX list (names, places) on `` and `` outside braces.

    Runs of white space are made one space first (BibTeX reads them so): matching
    ``\s+and\s+`` at every position of a long run of blanks took quadratic time.
    """
    text = " ".join(text.split())
    if "{" not in text:
        return [p.strip() for p in separator.split(text) if p.strip()]

    def separator_end(text: str, i: int) -> int | None:
        match = separator.match(text, i) if text[i] in " \t\r\n" else None
        return match.end() if match else None

    return [p.strip() for p in _split_outside_braces(text, separator_end) if p.strip()]


def split_commas(text: str) -> list[str]:
    """Split a name on commas outside braces: ``von Last, Jr, First``."""
    if "{" not in text and "\\" not in text:
        return [p.strip() for p in text.split(",")]
    return [p.strip() for p in _split_outside_braces(text, lambda t, i: i + 1 if t[i] == "," else None)]
