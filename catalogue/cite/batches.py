"""Long reference lists in styles whose given-name disambiguation spans the whole list, rendered in batches.

pandoc's citeproc (every pandoc 3 wheel: 3.5, 3.6.1, 3.8.2.1, 3.9) takes time
that grows faster than the square of the list's length with a style whose
citations add given names list-wide (``disambiguate-add-givenname`` with the
rule ``primary-name`` or ``primary-name-with-initials``: APA, Chicago
author-date and some 300 others): 1,000 generated records take 17 s of CPU in
APA, 0.8 s without that option (the output is the same), 1.0 s in pandoc 2.19.2,
and the time grows about 5.5 times when the list doubles.

What that step and the other disambiguations do to an entry depends only on the
items that share a name family with its first author (or, for an item without
author, with the first name of any role, or a first word with its title): the
given-name hints go to the first names of a family that several items cite
differently, and a citation is ambiguous only with a citation of the same text,
which begins with that name or title. So the items are put in groups that share
no such key, the groups packed in batches of about ``BATCH_ITEMS`` items, each
batch rendered by pandoc with the style as it is, and the entries put in the
order of one more run over all the items with disambiguation switched off
(citeproc sorts the list before it disambiguates, so the order is the same).
The runs are shared out in about equal work among ``workers`` calls of the
renderer (``shares``), each one pandoc process that makes several lists.

``plan`` refuses (None) a style for which this does not hold, and the list is
then rendered in one run: one that numbers its list (``citation-number``), or
that substitutes a repeated author (``subsequent-author-substitute`` compares an
entry with the one before it). A hint also changes a name the list prints first
in a ``<names>`` in a form the hint changes (short, or initialised under a
``primary-name`` rule: ``_hint_changes`` reads the options as pandoc's citeproc
inherits them), so the first name of such a variable joins an item's keys, as
does that of a variable a citation prints before the author (a composer).
Chicago author-date prints its list's names with ``initialize="false"`` and is
batched like APA. Types cited otherwise than by their author (legal items by
title, software by publisher, ...) are keyed by all of those.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

CSL = "{http://purl.org/net/xbiblio/csl}"
BATCH_ITEMS = 80  # runs share a process (its collation tables); fewer items a batch, less disambiguation work
ORDER_WEIGHT = 0.2  # a run for the order does no disambiguation and writes no entry
MIN_ITEMS = 300  # below this one run is quick enough: 250 APA items take 0.65 s
GLOBAL_RULES = ("primary-name", "primary-name-with-initials")
_DISAMBIGUATION = re.compile(r'\s(?:disambiguate-add-[a-z-]+|givenname-disambiguation-rule)="[^"]*"')
_CITATION_TAG = re.compile(r"<citation\b[^>]*>")
_LAYOUT = re.compile(r"<layout\b[^>]*>.*?</layout>", re.DOTALL)
_WORD = re.compile(r"\w+")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INFO = re.compile(r"<info>.*?</info>", re.DOTALL)
TITLE_FIELDS = ("title", "title-short", "container-title", "container-title-short", "reviewed-title")
# Types that APA, Chicago and their kin cite by something else than the first name of the author:
# legal items by title, software and web pages by publisher, standards by authority, unsigned entries
# by the title of their container, interviews and classics and performances in forms of their own.
# Their keys are the first names of every role and the first words of those texts.
CITED_OTHERWISE = frozenset((
    "bill", "hearing", "legal_case", "legislation", "regulation", "treaty", "software", "webpage",
    "standard", "entry", "entry-dictionary", "entry-encyclopedia", "interview", "personal_communication",
    "classic", "performance", "broadcast", "song", "event", "speech",
))
OTHER_FIELDS = ("publisher", "authority", "genre", "medium")
UNNAMED = "\x00"  # the key of an item with no name, title or publisher: cited alike by a date or a term


@dataclass(frozen=True)
class Plan:
    """How a style's list may be split: the name variables whose first name joins an item's keys
    (besides its first author's): those the bibliography may print changed by a given-name hint,
    and those a citation prints before the author or with it (APA and Chicago: a composer)."""

    hinted: frozenset[str]


def plan(style_text: str) -> Plan | None:
    """The batching plan of a style, or None when its list must be rendered in one run."""
    if "citation-number" in style_text:
        return None
    try:
        root = ET.fromstring(style_text.encode("utf-8"))
    except ET.ParseError:
        return None
    citation, bibliography = root.find(f"{CSL}citation"), root.find(f"{CSL}bibliography")
    if citation is None or bibliography is None or bibliography.find(f"{CSL}layout") is None:
        return None
    rule = citation.get("givenname-disambiguation-rule")
    if citation.get("disambiguate-add-givenname") != "true" or rule not in GLOBAL_RULES:
        return None  # the quick case: pandoc does not build the list-wide map of given-name hints
    if bibliography.get("subsequent-author-substitute") is not None:
        return None
    macros = {m.get("name"): m for m in root.findall(f"{CSL}macro")}
    hinted: set[str] = set()
    substituting = {id(names) for substitute in root.iter(f"{CSL}substitute")
                    for names in substitute.iter(f"{CSL}names") if names.find(f"{CSL}name") is None}
    for names in _reachable(bibliography.find(f"{CSL}layout"), macros, f"{CSL}names"):
        if id(names) in substituting:
            continue  # prints with the <name> of the <names> it substitutes for, checked there
        if _hint_changes(names.find(f"{CSL}name"), (bibliography, root), rule):
            for inner in _reachable(names, macros, f"{CSL}names"):
                for variable in (inner.get("variable") or "").split():
                    both = variable == "editor-translator"
                    hinted.update(("editor", "translator") if both else (variable,))
    return Plan(frozenset(hinted | _leading(citation, macros)))


def _hint_changes(name: ET.Element | None, inherited: Sequence[ET.Element], rule: str) -> bool:
    """Whether a given-name hint may change how a ``<name>`` prints the first name (None: a
    ``<names>`` without one, not in a ``<substitute>``, which inherits its options).

    pandoc's citeproc applies a hint to the first name of any ``<names>``, in the list too: both
    hints write the name in its long form, and a ``primary-name`` hint also sets
    ``initialize="false"``, which changes the name only where ``initialize-with`` is in force and
    ``initialize`` is not already false. The options are the name's own, else those of the
    ``bibliography`` and the ``style`` (``name-form`` for ``form``)."""

    def option(own: str, inheritable: str) -> str | None:
        if name is not None and name.get(own) is not None:
            return name.get(own)
        return next((e.get(inheritable) for e in inherited if e.get(inheritable) is not None), None)

    if (option("form", "name-form") or "long") in ("short", "count"):
        return True
    return rule == "primary-name" and option("initialize-with", "initialize-with") is not None and (
        option("initialize", "initialize") or "true") != "false"


def _leading(citation: ET.Element, macros: dict[str | None, ET.Element]) -> set[str]:
    """The name variables a citation may print before the author's names or in the same ``<names>``
    (each is a group of names whose first name gets a list-wide given-name hint)."""
    found: set[str] = set()
    memo: dict[str, _Segment] = {}
    for names in _reachable(citation, macros, f"{CSL}names"):
        _variables, before, author = _join(_own(names), _segment(names, macros, memo))
        if author:
            found |= before
    if "editor-translator" in found:
        found.update(("editor", "translator"))
    return found


# The variables of the <names> under an element in the order they print, as (all of them, those
# before the first author's names or beside them in one <names>, whether the author's are among them).
_Segment = tuple[frozenset[str], frozenset[str], bool]
_EMPTY: _Segment = (frozenset(), frozenset(), False)


def _own(names: ET.Element) -> _Segment:
    variables = frozenset((names.get("variable") or "").split())
    if "author" in variables:
        return variables, variables - {"author"}, True
    return variables, frozenset(), False


def _join(first: _Segment, then: _Segment) -> _Segment:
    if first[2] or not then[2]:
        return first[0] | then[0], first[1], first[2]
    return first[0] | then[0], first[0] | then[1], True


def _segment(element: ET.Element, macros: dict[str | None, ET.Element], memo: dict[str, _Segment],
             active: frozenset[str] = frozenset()) -> _Segment:
    """The ``<names>`` under ``element`` in print order, the macros it calls in place (each macro's
    segment made once)."""
    found = _EMPTY
    for child in element:
        if child.tag == f"{CSL}names":
            found = _join(found, _own(child))
        macro = child.get("macro")
        if macro and macro not in active and macro in macros:
            if macro not in memo:
                memo[macro] = _segment(macros[macro], macros, memo, active | {macro})
            found = _join(found, memo[macro])
        found = _join(found, _segment(child, macros, memo, active))
    return found


def _reachable(start: ET.Element | None, macros: dict[str | None, ET.Element], tag: str) -> list[ET.Element]:
    """The ``tag`` elements under ``start`` and under the macros it calls, at any depth."""
    found: list[ET.Element] = []
    seen: set[str] = set()
    todo = [start] if start is not None else []
    while todo:
        for element in todo.pop().iter():
            if element.tag == tag:
                found.append(element)
            macro = element.get("macro")
            if macro and macro not in seen and macro in macros:
                seen.add(macro)
                todo.append(macros[macro])
    return found


def lean_style(style_text: str) -> str:
    """The style without its comments and its ``<info>`` (which citeproc reads only for a link to
    an independent parent): each run parses the style again."""
    if "<![CDATA[" in style_text:
        return style_text
    lean = _COMMENT.sub("", style_text)
    info = _INFO.search(lean)
    if info and "independent-parent" not in info.group(0):
        lean = lean[:info.start()] + lean[info.end():]
    try:
        ET.fromstring(lean.encode("utf-8"))
    except ET.ParseError:
        return style_text
    return lean


def order_style(style_text: str) -> str:
    """The style reduced to its order: no disambiguation in its citations (citeproc sorts before it
    disambiguates) and every layout printing only the item's id, the sort keys and macros kept."""
    plain = _CITATION_TAG.sub(lambda m: _DISAMBIGUATION.sub("", m.group(0)), style_text, count=1)
    reduced = _LAYOUT.sub('<layout><text variable="citation-key"/></layout>', plain)
    try:
        ET.fromstring(reduced.encode("utf-8"))
    except ET.ParseError:  # a layout in a comment, say: keep the layouts
        return plain
    return reduced


def _words(*texts: object) -> set[str]:
    found = set()
    for text in texts:
        if isinstance(text, str):
            word = _WORD.search(text)
            if word:
                found.add(word.group(0).casefold())
    return found


def _name_words(name: Any) -> set[str]:
    if not isinstance(name, dict):
        return set()
    family = name.get("family")
    particle = name.get("non-dropping-particle")
    joined = f"{particle} {family}" if isinstance(particle, str) and isinstance(family, str) else None
    return _words(family, joined, name.get("literal"), None if family else name.get("given"))


def _first_names(item: dict[str, Any]) -> dict[str, Any]:
    """variable -> the first name of each name variable of a CSL-JSON item."""
    return {key: value[0] for key, value in item.items()
            if isinstance(value, list) and value and isinstance(value[0], dict)
            and ({"family", "given", "literal"} & value[0].keys())}


def keys(item: dict[str, Any], hinted: Iterable[str]) -> set[str]:
    """The words an item shares with every item its entry may depend on."""
    firsts = _first_names(item)
    if "author" in firsts and item.get("type") not in CITED_OTHERWISE:
        found = _name_words(firsts["author"])
    else:  # cited by an editor, a translator, ... or by its title, publisher, authority
        found = set().union(*map(_name_words, firsts.values())) | _words(*(item.get(f) for f in TITLE_FIELDS))
        if item.get("type") in CITED_OTHERWISE or not found:
            found |= _words(*(item.get(f) for f in OTHER_FIELDS))
    for variable in hinted:
        found |= _name_words(firsts.get(variable))
    return found or {UNNAMED}


def groups(items: Sequence[dict[str, Any]], hinted: Iterable[str]) -> list[list[int]]:
    """The indices of the items, in groups that share no key (each in the items' order)."""
    hinted = tuple(hinted)
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, item in enumerate(items):
        for key in keys(item, hinted):
            if key in owner:
                parent[root(index)] = root(owner[key])
            else:
                owner[key] = index
    grouped: dict[int, list[int]] = {}
    for index in range(len(items)):
        grouped.setdefault(root(index), []).append(index)
    return list(grouped.values())


def batches(grouped: Iterable[list[int]], size: int | None = None) -> list[list[int]]:
    """Whole groups packed into batches of about ``size`` (``BATCH_ITEMS``) items, each batch in the
    items' order."""
    size = size or BATCH_ITEMS
    packed: list[list[int]] = []
    current: list[int] = []
    for group in grouped:
        if current and len(current) + len(group) > size:
            packed.append(sorted(current))
            current = []
        current.extend(group)
    if current:
        packed.append(sorted(current))
    return packed


@dataclass(frozen=True)
class Run:
    """One reference list for pandoc's citeproc: the items, the style, and whether only the order of
    the ids is read (the run for the order writes no entry)."""

    items: Sequence[dict[str, Any]]
    style_text: str
    order_only: bool = False


def shares(runs: Sequence[Run], count: int) -> list[list[int]]:
    """The runs' indices in at most ``count`` shares of about equal work (the heaviest run first to
    the lightest share; a run for the order costs ``ORDER_WEIGHT`` of a batch run per item)."""
    weights = [len(run.items) * (ORDER_WEIGHT if run.order_only else 1.0) for run in runs]
    loads = [0.0] * max(1, min(count, len(runs)))
    found: list[list[int]] = [[] for _ in loads]
    for index in sorted(range(len(runs)), key=lambda i: -weights[i]):
        lightest = loads.index(min(loads))
        loads[lightest] += weights[index]
        found[lightest].append(index)
    return [sorted(share) for share in found if share]


def render_in_batches(
    items: Sequence[dict[str, Any]], style_text: str, found: Plan,
    render: Callable[[Sequence[Run]], list[list[tuple[str, str]]]], workers: int = 1,
) -> list[tuple[str, str]] | None:
    """``(id, entry)`` in the list's order. ``render(runs)`` gives the ``(id, entry)`` of each run
    (one pandoc process); it is called ``workers`` times at once with shares of the runs: one per
    batch and one for the order. None if the runs do not give each item once (the caller then
    renders in one run)."""
    style_text = lean_style(style_text)
    runs = [Run(list(items), order_style(style_text), order_only=True)]
    runs += [Run([items[i] for i in batch], style_text) for batch in batches(groups(items, found.hinted))]
    split = shares(runs, workers)
    with ThreadPoolExecutor(max_workers=len(split)) as pool:
        rendered = list(pool.map(lambda share: render([runs[i] for i in share]), split))
    done: list[list[tuple[str, str]]] = [[] for _ in runs]
    for share, lists in zip(split, rendered, strict=True):
        if len(lists) != len(share):
            return None
        for index, pairs in zip(share, lists, strict=True):
            done[index] = pairs
    order = [ident for ident, _entry in done[0]]
    entries: dict[str, str] = {}
    for pairs in done[1:]:
        for ident, entry in pairs:
            if ident in entries:
                return None
            entries[ident] = entry
    if len(order) != len(entries) or set(order) != entries.keys():
        return None
    return [(ident, entries[ident]) for ident in order]
