"""Authority records: one person or organisation under every form of its name, and resolving names to it.

An authority is a plain dict, stored in the catalogue file beside the records::

    {"id": "ovsyannikov-i-a", "kind": "person",
     "name": {"family": "Ovsyannikov", "given": "I. A."},          # the preferred form (a CSL name)
     "variants": [{"family": "Овсянников", "given": "И. А."}],      # any script or romanisation
     "dates": "1998/2011", "note": "…", "sources": ["the sentence each fact comes from", …],
     "related": [{"relation": "predecessor", "name": "…"}],
     "links": {"left1998vanguard": "publisher"},                    # records tied to it explicitly
     "viaf": "…", "wikidata": "Q…", "orcid": "…"}

Records are never rewritten to point at an authority: a record keeps its names
as the source gave them, and a name *resolves* to the authority one of whose
forms it is (compared as search keys, so script, case and romanisation do not
matter). A person's name given with initials only resolves to a form it is
compatible with (``Ovsyannikov I.`` to ``Ovsyannikov I. A.``). ``links`` tie a
record to an authority where no name form does (the body behind a congress's
documents) and settle a name that two authorities fit. The rule for two that
fit (``AuthorityIndex.resolve``): a link of the record wins, then an exact form,
then a single compatible one; otherwise the name stays unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from catalogue.model.names import format_gost, initials, sort_name

Authority = dict[str, Any]

KINDS = ("person", "organisation")
LINK_ROLES = ("author", "editor", "compiler", "translator", "publisher", "issuing body")
RELATIONS = ("predecessor", "successor", "part of", "see also")
IDENTIFIERS = ("viaf", "wikidata", "orcid")
FIELDS = frozenset({"id", "kind", "name", "variants", "dates", "note", "sources", "related", "links",
                    *IDENTIFIERS})
_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
_DATES = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)?(?:/(\d{4}(?:-\d{2}(?:-\d{2})?)?)?)?")
_NAME_PARTS = frozenset({"family", "given", "literal", "non-dropping-particle", "dropping-particle",
                         "suffix"})


# --- checking ------------------------------------------------------------------------------


def problems(authority: Any, key: str | None = None) -> list[str]:
    """What is wrong with an authority (an empty list when nothing is)."""
    if not isinstance(authority, dict):
        return ["an authority must be an object"]
    found: list[str] = []
    ident = authority.get("id")
    if not isinstance(ident, str) or not _ID.fullmatch(ident):
        found.append(f"its id {ident!r} is not lower-case letters, digits and hyphens")
    elif key is not None and ident != key:
        found.append(f"its id {ident!r} is not the key {key!r} it is stored under")
    unknown = sorted(set(authority) - FIELDS, key=str)
    if unknown:
        found.append(f"unknown fields {', '.join(map(repr, unknown[:5]))}")
    kind = authority.get("kind")
    if kind not in KINDS:
        found.append(f"its kind {kind!r} is not person or organisation")
    found += _name_problems("its name", authority.get("name"), kind)
    variants = authority.get("variants", [])
    if not isinstance(variants, list):
        found.append("its variants must be a list of names")
    else:
        for i, variant in enumerate(variants, 1):
            found += _name_problems(f"variant #{i}", variant, None)
    for field in ("note", "dates", *IDENTIFIERS):
        if field in authority and (not isinstance(authority[field], str) or not authority[field].strip()):
            found.append(f"its {field} must be text")
    dates = authority.get("dates")
    if isinstance(dates, str) and not (dates.strip() and _DATES.fullmatch(dates)):
        found.append(f"its dates {dates!r} are not like 1998, 1998/2011 or 1998-05/2011-03-06")
    sources = authority.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
        found.append("its sources must be a list of texts")
    related = authority.get("related", [])
    if not isinstance(related, list) or not all(
        isinstance(r, dict) and r.get("relation") in RELATIONS and isinstance(r.get("name"), str)
        and r["name"].strip() and set(r) <= {"relation", "name", "authority"} for r in related
    ):
        found.append(f"its related entries must be objects with a relation ({', '.join(RELATIONS)}) "
                     "and a name")
    links = authority.get("links", {})
    if not isinstance(links, dict) or not all(
        isinstance(k, str) and v in LINK_ROLES for k, v in links.items()
    ):
        found.append(f"its links must map record keys to a role ({', '.join(LINK_ROLES)})")
    return found


def _name_problems(where: str, name: Any, kind: Any) -> list[str]:
    if not isinstance(name, dict) or not name or not set(name) <= _NAME_PARTS or not all(
        isinstance(v, str) and v.strip() for v in name.values()
    ):
        return [f"{where} must be a name like {{'family': …, 'given': …}} or {{'literal': …}}"]
    if "literal" in name and len(name) > 1:
        return [f"{where} is either a literal or a family name, not both"]
    if "literal" not in name and "family" not in name:
        return [f"{where} has no family name"]
    if kind == "organisation" and "literal" not in name:
        return [f"{where} of an organisation must be a literal name"]
    if kind == "person" and "literal" in name:
        return [f"{where} of a person must have a family name"]
    return []


# --- forms and ids ---------------------------------------------------------------------------


def forms(authority: Mapping[str, Any]) -> list[dict[str, str]]:
    """The preferred form first, then the variants."""
    return [authority["name"], *authority.get("variants", ())]


def display(name: Mapping[str, Any]) -> str:
    """A form as one line of text: ``Ovsyannikov I. A.``, ``Socialist Resistance``."""
    return format_gost(dict(name))


def typed_form(name: Mapping[str, Any]) -> str:
    """A form as a person would type it to ``names add-variant``: ``Ovsyannikov, I. A.``, ``=Literal``."""
    if "literal" in name:
        return "=" + str(name["literal"])
    given = name.get("given")
    return f"{name['family']}, {given}" if given else str(name["family"])


def make_id(name: Mapping[str, Any], taken: Iterable[str]) -> str:
    """An id from a preferred form (``ovsyannikov-i-a``), made unique against ``taken``."""
    from catalogue.model.translit import ascii_letters

    text = str(name.get("literal") or f"{name.get('family', '')} {initials(str(name.get('given', '')))}")
    words = [ascii_letters(w) for w in re.split(r"[\s.,;:()\"'«»“”-]+", text)]
    base = "-".join(w for w in words if w)[:60].strip("-") or "authority"
    used = set(taken)
    ident, n = base, 2
    while ident in used:
        ident, n = f"{base}-{n}", n + 1
    return ident


# --- resolving names -----------------------------------------------------------------------


@lru_cache(maxsize=65536)  # family names and given names recur across a catalogue
def _fold(text: str) -> str:
    from catalogue.model.translit import search_key

    return search_key(text)


def _initials_key(given: str) -> tuple[str, ...]:
    return tuple(_fold(part) for part in initials(given).split())


def _compatible(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Initials that could be one person's: one list starts the other (``I.`` and ``I. A.``)."""
    if not short or not long:
        return False
    if len(short) > len(long):
        short, long = long, short
    return long[: len(short)] == short


class AuthorityIndex:
    """The authorities of a catalogue, ready to resolve names, publishers and records to them."""

    def __init__(self, authorities: Mapping[str, Authority]) -> None:
        self.authorities = authorities
        # folded family -> (id, folded given, folded initials) of every person's form
        self._people: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        self._literals: dict[str, list[str]] = {}
        self._links: dict[str, list[tuple[str, str]]] = {}  # record key -> (id, role)
        self._cache: dict[tuple[tuple[str, Any], ...], str | None] = {}
        self._texts: dict[str, str | None] = {}
        self._keys: dict[str, list[str]] = {}
        self._holds: dict[tuple[str, ...], bool] = {}
        for ident, authority in sorted(authorities.items()):
            for form in forms(authority):
                if "literal" in form:
                    self._literals.setdefault(_fold(form["literal"]), []).append(ident)
                else:
                    given = str(form.get("given", ""))
                    entry = (ident, _fold(given), _initials_key(given))
                    self._people.setdefault(_fold(_family(form)), []).append(entry)
            for key, role in authority.get("links", {}).items():
                self._links.setdefault(key, []).append((ident, role))

    def __bool__(self) -> bool:
        return bool(self.authorities)

    def candidates(self, name: Mapping[str, Any]) -> tuple[list[str], list[str]]:
        """Ids of the authorities a name fits: ``(exactly, compatibly)``, each sorted, no id twice."""
        if "literal" in name:
            return sorted(set(self._literals.get(_fold(str(name["literal"])), ()))), []
        entries = self._people.get(_fold(_family(name)), ())
        if not entries:
            return [], []
        given = str(name.get("given", ""))
        folded, short = _fold(given), _initials_key(given)
        exact = sorted({i for i, g, _k in entries if g == folded})
        compatible = sorted({i for i, _g, k in entries if _compatible(short, k)} - set(exact))
        return exact, compatible

    def with_family(self, name: Mapping[str, Any]) -> list[str]:
        """Ids of the persons with a form of this family name (a family name typed alone, to look up)."""
        return sorted({i for i, _g, _k in self._people.get(_fold(_family(name)), ())})

    def resolve(self, name: Mapping[str, Any], record: str | None = None) -> str | None:
        """The one authority a name stands for, or ``None``: a link of ``record`` among those that fit
        wins, then a single exact form, then a single compatible one."""
        if record is not None and record in self._links:
            exact, compatible = self.candidates(name)
            linked = {i for i, _role in self._links[record]} & {*exact, *compatible}
            if len(linked) == 1:
                return linked.pop()
        key = tuple(sorted(name.items()))
        if key in self._cache:
            return self._cache[key]
        exact, compatible = self.candidates(name)
        found = exact[0] if len(exact) == 1 else (
            compatible[0] if not exact and len(compatible) == 1 else None)
        self._cache[key] = found
        return found

    def resolve_text(self, text: str) -> str | None:
        """The organisation a publisher's name (plain text) is a form of, if exactly one."""
        if text in self._texts:
            return self._texts[text]
        found = set(self._literals.get(_fold(text), ()))
        self._texts[text] = resolved = found.pop() if len(found) == 1 else None
        return resolved

    def links(self, record: str) -> list[tuple[str, str]]:
        """``(authority id, role)`` of the links a record has."""
        return self._links.get(record, [])

    def of_record(self, record: Mapping[str, Any], roles: Iterable[str]) -> Iterator[tuple[str, str]]:
        """``(role, authority id)`` for every name of ``roles``, the publisher and the links that resolve."""
        from catalogue.model.record import names

        key = str(record.get("id", ""))
        for role, name in names(record, roles):
            found = self.resolve(name, key)
            if found is not None:
                yield role, found
        publisher = record.get("publisher")
        if isinstance(publisher, str):
            found = self.resolve_text(publisher)
            if found is not None:
                yield "publisher", found
        for ident, role in self.links(key):
            yield role, ident

    def keys(self, ident: str) -> list[str]:
        """The search keys of ``texts`` (folded once per authority)."""
        found = self._keys.get(ident)
        if found is None:
            found = self._keys[ident] = [_fold(t) for t in self.texts(ident)]
        return found

    def holds(self, needles: tuple[str, ...]) -> bool:
        """Whether a form of some authority contains one of these search keys (answered once per needles)."""
        found = self._holds.get(needles)
        if found is None:
            found = self._holds[needles] = any(
                n in key for ident in self.authorities for key in self.keys(ident) for n in needles)
        return found

    def texts(self, ident: str) -> list[str]:
        """Every form of an authority as text search keys can be made from (both name orders)."""
        out: list[str] = []
        for form in forms(self.authorities[ident]):
            out.append(sort_name(dict(form)))
            if "given" in form:
                out.append(format_gost(dict(form)))
        return out


def _family(name: Mapping[str, Any]) -> str:
    particle = name.get("non-dropping-particle")
    family = str(name.get("family", ""))
    return f"{particle} {family}" if particle else family


# --- changing an authority (pure: each returns a new authority) ---------------------------


def parse_form(text: str, kind: str) -> dict[str, str]:
    """A typed form as a CSL name: an organisation's is its text (a literal); a person's is read
    like any name (``Ovsyannikov, I. A.``, ``Овсянников И. А.``); ``=text`` is a literal either way.
    ``ValueError`` for an empty one."""
    from catalogue.model.names import parse_name

    text = " ".join(text.split())
    if kind == "organisation" and not text.startswith("="):
        if not text:
            raise ValueError("an organisation's name cannot be empty")
        return {"literal": text}
    return {k: str(v) for k, v in parse_name(text).items()}


def same_form(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two forms are one (compared as search keys: script, case and romanisation aside)."""
    return _form_key(a) == _form_key(b)


def _form_key(name: Mapping[str, Any]) -> tuple[str, str]:
    if "literal" in name:
        return "", _fold(str(name["literal"]))
    return _fold(_family(name)), _fold(str(name.get("given", "")))


def with_variants(authority: Mapping[str, Any], variants: Iterable[Mapping[str, Any]]) -> Authority:
    """The authority with these forms added as variants (a form it already has is skipped)."""
    out = dict(authority)
    kept = list(out.get("variants", ()))
    for variant in variants:
        if not any(same_form(variant, f) and dict(variant) == dict(f) for f in [out["name"], *kept]):
            kept.append(dict(variant))
    out["variants"] = kept
    return out


def renamed(authority: Mapping[str, Any], name: Mapping[str, Any]) -> Authority:
    """The authority with ``name`` as its preferred form; the old preferred form stays as a variant."""
    out = dict(authority)
    old = out["name"]
    out["name"] = dict(name)
    variants = [v for v in out.get("variants", ()) if dict(v) != dict(name)]
    if dict(old) != dict(name):
        variants.insert(0, old)
    out["variants"] = variants
    return out


def merged(keep: Mapping[str, Any], other: Mapping[str, Any]) -> Authority:
    """``keep`` with everything ``other`` knows: its forms as variants, links, sources, related
    entries and identifiers ``keep`` lacks; notes and dates ``keep`` has win (``other``'s note is kept
    after it)."""
    out = with_variants(keep, forms(other))
    for field in ("dates", *IDENTIFIERS):
        if field not in out and field in other:
            out[field] = other[field]
    if other.get("note") and other.get("note") != out.get("note"):
        out["note"] = f"{out['note']}\n\n{other['note']}" if out.get("note") else other["note"]
    sources = list(out.get("sources", ()))
    sources += [s for s in other.get("sources", ()) if s not in sources]
    related = list(out.get("related", ()))
    related += [r for r in other.get("related", ()) if r not in related and r.get("authority") != out["id"]]
    links = {**other.get("links", {}), **out.get("links", {})}
    for field, value in (("sources", sources), ("related", related), ("links", dict(sorted(links.items())))):
        if value:
            out[field] = value
    return out
