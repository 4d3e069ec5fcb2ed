"""Workarounds for citeproc-py 0.11: records made safe for it, its faults patched or cleaned up.

Each fault was seen on the shipped catalogue:

- the CSL ``compiler`` variable is unknown to it (``'String' object has no
  attribute 'parts'`` in APA and Chicago): compilers are handed over as editors,
  the nearest role every style knows;
- a variable used in ``cs:substitute`` is only suppressed later when the
  substitute names it directly, so a record without authors printed its title
  twice in APA (``Close the IMF!. (2001). Close the IMF!.``) and its editors
  twice in Chicago: :func:`install` records the variables a substitute really
  rendered (through macros too) and suppresses them in the rest of the entry,
  names included;
- a ``cs:label`` prints its term even when its variable is empty (a lone
  ``Edition.`` in Chicago): such a label is now left out;
- ``?.``/``!.`` after a title (``Why Socialism?.``): :func:`clean_punctuation`;
- no space after a style's own list number (``1.Close``): socsopr numbers the
  list itself, so :func:`strip_number` removes the style's label;
- data is not escaped for HTML (a title ``<b>`` stays a tag): :func:`csl_item`
  escapes every text value for the output format before citeproc sees it;
- ``{"raw": "2006"}`` dates are dropped: a year found in ``raw``/``literal``
  becomes ``date-parts``; page counts are handed over as plain numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from catalogue.model.record import CATALOGUE_FIELDS

_NS = "{http://purl.org/net/xbiblio/csl}"
_NAME_PARTS = ("family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix")
_YEAR = re.compile(r"\b(\d{4})\b")
# Fields citeproc-py cannot use or warns about; the catalogue's own are never CSL.
_DROP = CATALOGUE_FIELDS | {"custom", "categories", "citation-key"}
_installed = False


def csl_item(record: Mapping[str, Any], escape: Callable[[str], str] | None = None) -> dict[str, Any]:
    """A CSL-JSON item citeproc-py renders cleanly; ``escape`` is applied to every text value."""

    def text(value: Any) -> str:
        value = str(value)
        return escape(value) if escape else value

    item: dict[str, Any] = {}
    for field, value in record.items():
        if field in _DROP:
            continue
        if field in ("id", "type", "language"):
            item[field] = value
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            role = "editor" if field == "compiler" else field
            people = [{k: text(v) for k, v in n.items() if k in _NAME_PARTS} for n in value]
            item[role] = item.get(role, []) + people
        elif isinstance(value, Mapping):
            date = _date(value)
            if date is not None:
                item[field] = date
        elif field == "number-of-pages":
            item[field] = str(int(value)) if str(value).isdigit() else text(value)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            item[field] = text(value)
    return item


def _date(value: Mapping[str, Any]) -> dict[str, Any] | None:
    if "date-parts" in value:
        return {k: v for k, v in value.items() if k in ("date-parts", "season", "circa")}
    for part in ("raw", "literal"):
        found = _YEAR.search(str(value.get(part, "")))
        if found:
            return {"date-parts": [[int(found.group(1))]]}
    literal = value.get("literal")
    return {"literal": str(literal)} if literal else None


_DOUBLED = re.compile(r"(?<!\.)([?!.])((?:</[a-z]+>|[*”\"’»_])*)\.(?!\.)")


def clean_punctuation(text: str) -> str:
    """``Why Socialism?.`` -> ``Why Socialism?``, also across closing quotes and tags."""
    return _DOUBLED.sub(r"\1\2", text)


def strip_number(entry: str, number: int) -> str:
    """Remove a style's own list label (``1.``, ``[1]``, ``(1)``) from the start of an entry."""
    return re.sub(rf"^\s*[\[(]?{number}[\])]?\.?\s*", "", entry, count=1)


# Variables rendered while a cs:substitute is being tried, innermost substitute last.
_tracking: list[set[str]] = []


def install() -> None:
    """Patch citeproc-py so variables a substitute rendered are suppressed in the rest of an entry."""
    global _installed
    if _installed:
        return
    from citeproc import model

    original_text_variable = model.Text._variable
    original_names_process = model.Names.process
    original_substitute_render = model.Substitute.render
    original_label_process = model.Label.process

    def label_process(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any) -> Any:
        own = self.get("variable")
        if variable is None and own and own != "locator" and own.replace("-", "_") not in item.reference:
            return None  # CSL: a label is printed only with its variable
        return original_label_process(self, item, variable, *args, **kwargs)

    def text_variable(self: Any, item: Any, context: Any) -> Any:
        text = original_text_variable(self, item, context)
        if text and _tracking:
            for rendered in _tracking:
                rendered.add(self.get("variable"))
        return text

    def names_process(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        # not `or`: an lxml element without children is false
        context = kwargs.get("context", args[1] if len(args) > 1 else None)
        if context is None:
            context = self
        try:
            repressed = context.get_layout().repressed.get(_NS + "names", ())
        except (IndexError, AttributeError):
            repressed = ()
        roles = (self.get("variable") or "").split()
        hidden = [r for r in roles if r in repressed]
        if hidden:
            item = _HidingItem(item, hidden)
        text = original_names_process(self, item, *args, **kwargs)
        if text and _tracking:
            present = [r for r in roles if r not in hidden and r.replace("-", "_") in item.reference]
            for rendered in _tracking:
                rendered.update(present)
        return text

    def substitute_render(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        _tracking.append(set())
        try:
            return original_substitute_render(self, item, *args, **kwargs)
        finally:
            _tracking.pop()

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        layout = context.get_layout()
        rendered = set(_tracking[-1]) if _tracking else set((child.get("variable") or "").split())
        for variable in rendered:
            for tag in ("text", "names"):
                layout.repressed.setdefault(_NS + tag, []).append(variable)

    original_get_macro = model.CitationStylesElement.get_macro
    macros: dict[tuple[int, str], tuple[Any, Any]] = {}

    def get_macro(self: Any, name: str) -> Any:
        # citeproc-py runs an XPath search for every macro call of every entry (~40% of
        # its time in APA); a style's macros never change, so look each up once.
        root = self.get_root()
        key = (id(root), name)
        hit = macros.get(key)
        if hit is None:
            hit = macros[key] = (root, original_get_macro(self, name))  # holding root keeps id() unique
        return hit[1]

    model.CitationStylesElement.get_macro = get_macro
    model.Text._variable = text_variable
    model.Names.process = names_process
    model.Substitute.render = substitute_render
    model.Label.process = label_process
    model.Substitute.add_to_repressed_list = add_to_repressed_list
    _installed = True


class _HidingItem:
    """A citation item whose reference lacks some name variables (already printed)."""

    def __init__(self, item: Any, hidden: list[str]) -> None:
        self._item = item
        keys = {h.replace("-", "_") for h in hidden}
        reference = dict.__new__(type(item.reference))
        dict.update(reference, {k: v for k, v in item.reference.items() if k not in keys})
        self.reference = reference

    def __getattr__(self, name: str) -> Any:
        return getattr(self._item, name)
