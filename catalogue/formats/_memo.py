"""Memos for exporters: a value rendered once per distinct input (names, places and publishers recur
across a catalogue; each is escaped or formatted once per export, not once per record)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# A memo stops growing here (texts that never recur, such as titles, must not fill memory).
MAX_ENTRIES = 50_000


def memo_text(func: Callable[[str], T]) -> Callable[[str], T]:
    """``func`` over texts, remembered per distinct text (only ``str`` arguments are remembered)."""
    cache: dict[str, T] = {}

    def remembered(text: str) -> T:
        try:
            return cache[text]
        except KeyError:
            value = func(text)
            if type(text) is str and len(cache) < MAX_ENTRIES:
                cache[text] = value
            return value
        except TypeError:  # an unhashable value in a hand-edited record: rendered, not remembered
            return func(text)

    return remembered


def memo_name(func: Callable[[dict[str, Any]], T]) -> Callable[[dict[str, Any]], T]:
    """``func`` over name objects (``{"family": …, "given": …}``), remembered per distinct name.

    Only names whose every part is text are remembered: ``{"family": 1}`` and
    ``{"family": True}`` compare equal as keys but are rendered differently.
    """
    cache: dict[tuple[tuple[str, Any], ...], T] = {}

    def remembered(name: dict[str, Any]) -> T:
        try:
            key = tuple(name.items())
            return cache[key]
        except KeyError:
            value = func(name)
            if len(cache) < MAX_ENTRIES and all(type(part) is str for part in name.values()):
                cache[key] = value
            return value
        except (TypeError, AttributeError):  # not a dict, or an unhashable part: rendered, not remembered
            return func(name)

    return remembered
