"""Where an export may be written: never over the catalogue, its history or its lock, and never over a
file that is not a previous export of the same format unless the caller says so."""

from __future__ import annotations

import os
import re
from pathlib import Path

from catalogue.errors import UsageProblem
from catalogue.store.files import lock_path, real_path
from catalogue.store.history import history_path, legacy_history_path

# How the start of a file written by each exporter looks (a previous export may be replaced).
_EXPORT_STARTS: dict[str, re.Pattern[str]] = {
    "bibtex": re.compile(r"\A\s*[@%]"),
    "biblatex": re.compile(r"\A\s*[@%]"),
    "csl-json": re.compile(r"\A\s*\["),
    "json": re.compile(r"\A\s*\["),
    "ris": re.compile(r"\A\s*TY  - "),
    "csv": re.compile(r"\Akey,"),
    "tsv": re.compile(r"\Akey\t"),
    "markdown": re.compile(r"\A\| *Key"),
    "ids": re.compile(r"\A[A-Za-z0-9][^\s]*\r?\n"),
    "gost": re.compile(r"\A\S"),
    "marc": re.compile(r"\A\d{5}"),
    "unimarc": re.compile(r"\A\d{5}"),
    "marcxml": re.compile(r"\A\s*<\?xml[^>]*>\s*<collection xmlns=\"http://www.loc.gov/MARC21/slim\""),
}


class ExportTargetRefused(UsageProblem):
    """The export would overwrite a file it must not (``replaceable``: allowed when forced)."""

    def __init__(self, target: Path, reason: str, replaceable: bool) -> None:
        self.target = target
        self.replaceable = replaceable
        super().__init__(f"{target} {reason}; nothing was written")


def check_export_target(target: Path, fmt: str, catalogue: Path, *, force: bool = False) -> None:
    """``ExportTargetRefused`` unless ``fmt`` may be written to ``target``.

    Never the catalogue file, its history or its lock (followed through links
    and hard links); an existing file only when it is empty, looks like a
    previous export in ``fmt``, or ``force`` is given.
    """
    real = real_path(catalogue)
    own_files = (
        (real, "is the catalogue file itself"), (history_path(real), "is the catalogue's history"),
        (legacy_history_path(real), "is the catalogue's history"),
        (lock_path(real), "is the catalogue's lock file"),
    )
    for own, what in own_files:
        if _same(target, own):
            raise ExportTargetRefused(target, what, replaceable=False)
    if force:
        return
    try:
        with open(target, "rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise ExportTargetRefused(target, "is a folder", replaceable=False) from None
    except OSError:
        return  # unreadable: the write will say what is wrong
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    pattern = _EXPORT_STARTS.get(fmt)
    if text.strip() and (pattern is None or not pattern.search(text)):
        raise ExportTargetRefused(target, f"exists and does not look like a {fmt} export", replaceable=True)


def _same(a: Path, b: Path) -> bool:
    try:
        if real_path(a) == real_path(b):
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def write_export(target: Path, text: str) -> None:
    """Write an export atomically, a megabyte at a time (the text is not held twice as bytes)."""
    from catalogue.store.files import atomic_write

    step = 1 << 20
    atomic_write(target, (text[i:i + step].encode("utf-8") for i in range(0, len(text), step)))
