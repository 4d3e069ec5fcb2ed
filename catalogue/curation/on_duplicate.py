"""The choices for a record an import finds already in the catalogue (a module of its own so that the
command line can offer them without loading the import machinery)."""

from enum import StrEnum


class OnDuplicate(StrEnum):
    """What to do with a record whose key or content is already in the catalogue."""

    skip = "skip"
    update = "update"
    keep_both = "keep-both"
    error = "error"
