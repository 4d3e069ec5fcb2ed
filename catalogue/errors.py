"""The exceptions the catalogue library raises; the CLI maps their kinds to exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class CatalogueError(Exception):
    """Base of every error the library raises on purpose."""


# --- problems with the data a user gave (exit 3 at the command line) -------------------


class InvalidData(CatalogueError):
    """Input data (a record, a file to import, a key) cannot be used."""


class ValidationError(InvalidData):
    """A record breaks one or more rules; ``problems`` lists every one of them."""

    def __init__(self, problems: Sequence[str], key: str | None = None) -> None:
        self.problems = list(problems)
        self.key = key
        where = f"record {key!r}" if key else "the record"
        self.headline = f"{where} is invalid"
        super().__init__(f"{self.headline}: " + "; ".join(self.problems))


class RecordNotFound(InvalidData):
    """No record has this key; ``suggestions`` holds the closest keys."""

    def __init__(self, key: str, suggestions: Sequence[str] = ()) -> None:
        self.key = key
        self.suggestions = list(suggestions)
        hint = f" (did you mean {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no record has the key {key!r}{hint}")


class LikelyDuplicate(InvalidData):
    """A new record looks like records already there (same title, first name and year, any script)."""

    def __init__(self, title: str, matches: Sequence[str]) -> None:
        self.title = title
        self.matches = list(matches)
        super().__init__(
            f"{title!r} looks like {', '.join(self.matches)}, already in the catalogue "
            "(same title, first name and year)"
        )


class AuthorityNotFound(InvalidData):
    """No authority has this id, and no form of one is this name; ``suggestions`` holds close ones."""

    def __init__(self, wanted: str, suggestions: Sequence[str] = ()) -> None:
        self.wanted = wanted
        self.suggestions = list(suggestions)
        hint = f" (did you mean {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no person or organisation is called or numbered {wanted!r}{hint}")


class AmbiguousName(InvalidData):
    """A name fits several authorities equally well; ``candidates`` holds their ids."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = list(candidates)
        super().__init__(f"{name!r} fits {len(self.candidates)} authorities ({', '.join(self.candidates)}); "
                         "name one by its id")


class InvalidAuthority(InvalidData):
    """An authority breaks one or more rules; ``problems`` lists them."""

    def __init__(self, ident: str, problems: Sequence[str]) -> None:
        self.ident = ident
        self.problems = list(problems)
        super().__init__(f"authority {ident!r} is invalid: " + "; ".join(self.problems))


class DuplicateKey(InvalidData):
    """A record with this key (compared case-insensitively) already exists."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"a record with the key {key!r} already exists")


class ParseError(InvalidData):
    """Text in some format could not be read; ``problems`` are ``file:line: reason`` lines.

    ``records`` holds what could be read around the problems (``import --skip-invalid`` keeps it).
    """

    def __init__(self, problems: Sequence[str], records: Sequence[dict[str, Any]] = ()) -> None:
        self.problems = list(problems)
        self.records = list(records)
        count = len(self.problems)
        self.headline = f"the input could not be read ({count} problem{'s' if count != 1 else ''})"
        super().__init__("; ".join(self.problems))


# --- problems with what a user asked for (exit 2) -------------------------------------


class UsageProblem(CatalogueError):
    """A request the library cannot carry out as worded (bad query term, unknown format)."""


class UnknownFormat(UsageProblem):
    def __init__(self, name: str, known: Sequence[str], what: str = "format") -> None:
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown {what} {name!r}; choose one of: {', '.join(self.known)}")


# --- problems with the catalogue file (exit 4) ----------------------------------------


class StoreError(CatalogueError):
    """The catalogue file cannot be read, written or locked."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path} {problem}")


class CorruptStore(StoreError):
    """The file is not valid JSON, not a socsopr catalogue, or from a newer version."""


class StoreLocked(StoreError):
    """Another process held the lock for longer than the timeout."""


class StoreMissing(StoreError):
    """There is no catalogue file at the path (and none was to be created)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "does not exist")


class StoreExists(StoreError):
    """A catalogue file is already there and would be overwritten."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "already exists")


class ChangedMeanwhile(StoreError):
    """A record changed between reading it and writing it back (another process wrote it)."""

    def __init__(self, path: Path | str, key: str) -> None:
        self.key = key
        super().__init__(path, f"changed record {key!r} while it was being edited; nothing was written")


class HistoryConflict(StoreError):
    """The records a history entry changed have been changed again since."""


class NothingToUndo(CatalogueError):
    """The history holds no change that can be reverted; ``dropped`` older ones were not kept."""

    def __init__(self, message: str, dropped: int = 0) -> None:
        self.dropped = dropped
        super().__init__(message)


class FormatNotRecognised(UsageProblem):
    """The format of a file to import cannot be told from its name or content; ``known`` are the choices."""

    def __init__(self, source: str, known: Sequence[str]) -> None:
        self.source = source
        self.known = list(known)
        super().__init__(f"cannot tell the format of {source} (one of: {', '.join(self.known)})")


class BadQuery(UsageProblem):
    """A search term or filter value that cannot be understood, e.g. ``year:abc``."""
