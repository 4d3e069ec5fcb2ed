"""Personal and corporate names: parsing the forms of catalogues, formatting them back.

A name is a CSL name object: ``{"family": ..., "given": ...}`` for a person,
``{"literal": ...}`` for an organisation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

Name = dict[str, Any]

# An initial: one capital letter (Latin or Cyrillic), optionally a digraph such as
# "Yu" or "Ch", followed by a dot: "I.", "Yu.", "Ж.".
_INITIAL = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]?\.$")
_INITIALS_GLUED = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]?\.)+$")
_PARTICLES = {"von", "van", "de", "der", "den", "di", "da", "du", "la", "le", "del", "della", "ten", "ter"}


def parse_name(text: str) -> Name:
    """Parse one name written the way catalogues write them.

    Accepted: ``Ovsyannikov I. A.``, ``Doyle K.``, ``I. A. Ovsyannikov``,
    ``Ovsyannikov, Ilya A.``, ``Овсянников И. А.``, ``Ilya Ovsyannikov``,
    ``von Neumann, John``; ``{Socialist Resistance}`` or ``=Socialist
    Resistance`` for an organisation, kept as a literal.
    """
    text = " ".join(text.split())
    if not text:
        raise ValueError("a name cannot be empty")
    if text.startswith("=") or (text.startswith("{") and text.endswith("}")):
        literal = text[1:-1] if text.startswith("{") else text[1:]
        literal = literal.strip()
        if not literal:
            raise ValueError("an organisation's name cannot be empty")
        return {"literal": literal}
    if "," in text:
        family, _, given = text.partition(",")
        return _person(family.strip(), given.strip())
    words = _split_glued_initials(text.split(" "))
    if len(words) == 1:
        return {"family": words[0]}
    lead = 0
    while lead < len(words) and _INITIAL.match(words[lead]):
        lead += 1
    if lead:  # "I. A. Ovsyannikov": initials first
        return _person(" ".join(words[lead:]), " ".join(words[:lead]))
    tail = len(words)
    while tail > 0 and _INITIAL.match(words[tail - 1]):
        tail -= 1
    if tail < len(words):  # "Ovsyannikov I. A.": family first, initials after
        return _person(" ".join(words[:tail]), " ".join(words[tail:]))
    # "Ilya Ovsyannikov", "Johann von Neumann": given names first, family last
    first_particle = next(
        (i for i, w in enumerate(words[1:], 1) if w.lower() in _PARTICLES), len(words) - 1
    )
    return _person(" ".join(words[first_particle:]), " ".join(words[:first_particle]))


def _split_glued_initials(words: list[str]) -> list[str]:
    """``I.A.`` -> ``I.``, ``A.``; ``Ovsyannikov`` stays."""
    out: list[str] = []
    for word in words:
        if _INITIALS_GLUED.match(word) and word.count(".") > 1:
            out.extend(p + "." for p in word.split(".") if p)
        else:
            out.append(word)
    return out


def _person(family: str, given: str) -> Name:
    if not family:
        raise ValueError(f"no family name in {given!r}")
    name: Name = {"family": family}
    if given:
        name["given"] = " ".join(_split_glued_initials(given.split()))
    return name


def parse_names(text: str) -> list[Name]:
    """Parse a list of names separated by ``;`` or by `` and ``."""
    parts = re.split(r"\s*;\s*|\s+and\s+", text.strip())
    return [parse_name(p) for p in parts if p.strip()]


@lru_cache(maxsize=16384)  # given names recur: every table row and reference makes initials
def initials(given: str) -> str:
    """``Ilya Aleksandrovich`` -> ``I. A.``; ``Jean-Paul`` -> ``J.-P.``; initials stay."""
    out = []
    for word in given.split():
        parts = word.split("-")
        out.append("-".join(_initial_of(p) for p in parts if p))
    return " ".join(out)


def _initial_of(part: str) -> str:
    return part if part.endswith(".") else part[0] + "."


def _family_with_particles(name: Name) -> str:
    family = str(name.get("family", ""))
    particle = name.get("non-dropping-particle")
    return f"{particle} {family}" if particle else family


def format_gost(name: Name) -> str:
    """The heading form of GOST 7.1: ``Ovsyannikov I. A.``."""
    literal = name.get("literal")
    if literal is not None:
        return str(literal)
    family = str(name.get("family", ""))
    particle = name.get("non-dropping-particle")
    if particle:
        family = f"{particle} {family}"
    given = name.get("given")
    return f"{family} {initials(str(given))}".strip() if given else family


def format_gost_inverted(name: Name) -> str:
    """The statement-of-responsibility form of GOST 7.1: ``I. A. Ovsyannikov``."""
    if "literal" in name:
        return str(name["literal"])
    given = initials(str(name.get("given", "")))
    return f"{given} {_family_with_particles(name)}".strip()


def format_bibtex(name: Name) -> str:
    """BibTeX's ``Family, Given`` form; organisations are braced so BibTeX will not split them."""
    if "literal" in name:
        return "{" + str(name["literal"]) + "}"
    family = _family_with_particles(name)
    given = name.get("given")
    suffix = name.get("suffix")
    if given and suffix:
        return f"{family}, {suffix}, {given}"
    return f"{family}, {given}" if given else family


def display_name(name: Name) -> str:
    """A compact name for tables: the GOST heading form."""
    return format_gost(name)


def sort_name(name: Name) -> str:
    """The text a name sorts by: family (or literal) first."""
    if "literal" in name:
        return str(name["literal"])
    return f"{name.get('family', '')} {name.get('given', '')}".strip()


def family_of(name: Name) -> str:
    """The word a citation key is built from: the family name, or an organisation's name."""
    return str(name.get("family") or name.get("literal") or "")
