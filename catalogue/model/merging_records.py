"""Merging duplicate records into one, field by field (``socsopr merge``); pure: records in, a record out.

The rule, for each field the records do not agree on:

- one record is preferred (the first given, or ``prefer``); its value is kept, and a field
  only the others give is filled from the first of them that gives it;
- a list field (names, ``tags``, ``categories``, parallel ``titles``) may instead keep
  both (``keep_both``): every record's items in order, each once. Names of one person in
  another script or with initials only (``Ovsyannikov I. A.``, ``Овсянников И. А.``,
  ``Ovsyannikov I.``) are one item: the form met first (the preferred record's) stays;
- ``choices`` picks the record whose value a field keeps (or ``both``), as a person does
  at the terminal; a chosen record that lacks the field drops it;
- nothing is lost silently: each value of a record that the merged record does not hold
  as it was goes into the curator's ``remarks``, one line per record and field:
  ``merged from KEY: year was 2007``; the records' own remarks are joined;
- the merged record keeps the preferred key; the others (and the aliases they had)
  become its ``aliases``, which the catalogue resolves to it (``\\cite{old}`` keeps
  working); ``added`` is the preferred record's, ``modified`` the store's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from catalogue.errors import UsageProblem
from catalogue.model.record import CSL_NAME_FIELDS, Record

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex

LIST_FIELDS = CSL_NAME_FIELDS | {"tags", "categories", "titles"}
# the catalogue's own bookkeeping: never compared, never offered as a choice
_OWN = frozenset({"id", "added", "modified", "aliases", "remarks"})
BOTH = "both"


class BadMerge(UsageProblem):
    """A merge that cannot be done as asked (one record, the same record twice, a choice of a
    record not merged, both values of a field that holds one)."""


@dataclass(frozen=True)
class FieldChoice:
    """One field the records disagree on: each record's value (``None``: absent) and what was kept."""

    field: str
    values: tuple[Any, ...]
    kept: Any
    chosen: str  # the key whose value was kept, or ``both``


@dataclass(frozen=True)
class Merge:
    """The merged record, the keys it absorbs, the fields that differed and the remark lines added."""

    record: Record
    kept_key: str
    absorbed: list[str]
    fields: list[FieldChoice] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)


def differing_fields(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """The fields (bookkeeping aside) whose values are not the same in every record, in reading order."""
    from catalogue.model.fields import READING_ORDER

    names = {f for r in records for f in r} - _OWN
    order = {f: i for i, f in enumerate(READING_ORDER)}
    differing = [f for f in names if len({_canonical(r.get(f)) for r in records}) > 1]
    return sorted(differing, key=lambda f: (order.get(f, len(order)), f))


def merge_records(
    records: Sequence[Mapping[str, Any]], *, prefer: str | None = None, keep_both: Iterable[str] = (),
    choices: Mapping[str, str] | None = None, names: AuthorityIndex | None = None,
) -> Merge:
    """Several records of one work as one (the rule is in the module's docstring).

    Args:
        prefer: the key of the record whose values win (default: the first).
        keep_both: list fields whose items are all kept, each once.
        choices: field → the key whose value it keeps, or ``both``; overrides the two above.
        names: the catalogue's authorities: two names that resolve to one authority are one person.
    """
    keys = [str(r.get("id", "")) for r in records]
    if len(records) < 2:
        raise BadMerge("a merge needs at least two different records")
    lower = [k.lower() for k in keys]
    if len(set(lower)) != len(lower):
        twice = next(k for i, k in enumerate(keys) if lower.index(k.lower()) != i)
        raise BadMerge(f"{twice!r} is given twice (an alias names the record it was merged into)")
    by_key = {k.lower(): i for i, k in enumerate(keys)}
    first = _index_of(prefer, by_key, "--prefer") if prefer else 0
    ordered = [records[first], *(r for i, r in enumerate(records) if i != first)]
    preferred = dict(ordered[0])
    kept_key = str(preferred["id"])
    both = set()
    for name in keep_both:
        both.add(_list_field(name))
    picks: dict[str, int] = {}
    for name, choice in (choices or {}).items():
        if choice == BOTH:
            both.add(_list_field(name))
        else:
            picks[name] = ordered.index(records[_index_of(choice, by_key, name)])
    merged: Record = {k: v for k, v in preferred.items() if k not in ("aliases", "remarks")}
    chosen: list[FieldChoice] = []
    for name in differing_fields(ordered):
        values = tuple(r.get(name) for r in records)
        kept: Any
        if name in both and name not in picks:
            kept = _joined(name, [r.get(name) for r in ordered], names, [str(r["id"]) for r in ordered])
            label = BOTH
        else:
            source = picks.get(name)
            if source is None:  # the preferred value, or the first record that has one
                source = next((i for i, r in enumerate(ordered) if r.get(name) is not None), 0)
            kept = ordered[source].get(name)
            label = str(ordered[source]["id"])
        if kept is None or kept == []:
            kept = None
            merged.pop(name, None)
        else:
            merged[name] = kept
        chosen.append(FieldChoice(name, values, kept, label))
    noted = _lost_values(ordered, merged, [c.field for c in chosen])
    remarks = list(dict.fromkeys(str(r["remarks"]) for r in ordered if r.get("remarks")))
    if remarks or noted:
        merged["remarks"] = "\n".join([*remarks, *noted])
    aliases = [k for k in dict.fromkeys(
        [*(a for r in ordered for a in r.get("aliases") or ()), *(str(r["id"]) for r in ordered[1:])]
    ) if k.lower() != kept_key.lower()]
    if aliases:
        merged["aliases"] = aliases
    return Merge(merged, kept_key, [str(r["id"]) for r in ordered[1:]], chosen, noted)


def _index_of(key: str, by_key: Mapping[str, int], what: str) -> int:
    found = by_key.get(key.lower())
    if found is None:
        raise BadMerge(f"{what} names {key!r}, which is not one of the records merged")
    return found


def _list_field(typed: str) -> str:
    from catalogue.model.fields import record_field

    name = record_field(typed) or typed
    if name not in LIST_FIELDS:
        raise BadMerge(f"{typed!r} holds one value, so both cannot be kept; lists can: names by role "
                       "(author, editor …), tags, categories and parallel titles")
    return name


def _joined(field: str, values: list[Any], names: AuthorityIndex | None, keys: list[str]) -> list[Any]:
    """Every item of the lists, in order, each once (names: one person once, in the form met first)."""
    out: list[Any] = []
    for value, key in zip(values, keys, strict=True):
        if not isinstance(value, list):
            continue
        for item in value:
            if field in CSL_NAME_FIELDS and isinstance(item, dict):
                if not any(same_person(item, kept, names, key) for kept in out if isinstance(kept, dict)):
                    out.append(item)
            elif item not in out:
                out.append(item)
    return out


def same_person(a: Mapping[str, Any], b: Mapping[str, Any], names: AuthorityIndex | None = None,
                record: str | None = None) -> bool:
    """Whether two names are one person or organisation: the same in any script, initials standing
    for given names (``Ovsyannikov I. A.`` = ``Овсянников Илья``), or one authority."""
    from catalogue.model.editing import find_same_name

    if find_same_name(dict(a), [dict(b)]) is not None:
        return True
    if names is None:
        return False
    found = names.resolve(a, record)
    return found is not None and found == names.resolve(b)


def _lost_values(
    ordered: Sequence[Mapping[str, Any]], merged: Mapping[str, Any], fields: list[str]
) -> list[str]:
    """``merged from KEY: FIELD was VALUE`` for each record's value the merged record does not hold."""
    from catalogue.model.fields import shown_fields

    lines = []
    for record in ordered:
        for name in fields:
            value = record.get(name)
            if value is None or _held(value, merged.get(name)):
                continue
            if isinstance(value, list) and isinstance(merged.get(name), list):
                value = [v for v in value if v not in merged[name]]
            for shown, text in shown_fields({name: value}, ()):
                lines.append(f"merged from {record['id']}: {shown} was {text}")
    return lines


def _held(value: Any, merged: Any) -> bool:
    if value == merged:
        return True
    return isinstance(value, list) and isinstance(merged, list) and all(v in merged for v in value)


def _canonical(value: Any) -> str:
    import orjson

    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
