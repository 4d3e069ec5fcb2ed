"""What one run of ``socsopr`` knows: its settings, resolved once, and what it has written so far.

Settings come from a flag, then the environment, then a default, and are handed
to the library as plain values (the library reads no environment variables).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalogue import Catalogue

DEFAULT_LOCK_TIMEOUT = 30.0


class Settings:
    """Where the catalogue and the cache live, and how long to wait for another writer.

    (A plain class, like ``RunState``: a NamedTuple's class costs every command's start-up.)
    """

    __slots__ = ("cache_dir", "db", "explicit", "lock_timeout")

    def __init__(self, db: Path, explicit: bool, cache_dir: Path, lock_timeout: float) -> None:
        self.db = db
        self.explicit = explicit  # named with --db: it must exist (a typo must not seed a new catalogue)
        self.cache_dir = cache_dir
        self.lock_timeout = lock_timeout


class RunState:
    """What the running command has done that a message at the end must tell the truth about.

    (Plain classes here, not dataclasses: creating one costs every command's start-up.)
    """

    def __init__(self) -> None:
        self.committed: list[Path] = []  # files a change was written to
        self.catalogue: Path | None = None  # the catalogue the command worked on
        self.cache_dir: Path | None = None
        self.writers: list[tuple[Catalogue, Path]] = []  # catalogues opened to write, with their cache folder

    def reset(self) -> None:
        self.committed.clear()
        self.catalogue = None
        self.cache_dir = None
        self.writers.clear()

    def refresh_indexes(self) -> None:
        """Bring the search index of each catalogue the command wrote up to date (``index_file.refresh``),
        after its output: the next search then starts at once. The index is a cache: any failure
        here leaves it for the next search to patch or rebuild, and is not the command's failure."""
        writers, self.writers = self.writers, []
        if any(cat.last_written is not None for cat, _cache in writers):
            import contextlib
            import sys

            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()  # the person reads what happened while the index catches up
        from catalogue import search

        for cat, cache_dir in writers:
            written = cat.last_written
            if written is None or written.spans is None or len(written.spans) < search.REFRESH_FROM:
                continue  # asked before the index machinery is imported: the next search patches it
            from catalogue.errors import CatalogueError
            from catalogue.search.index_file import refresh

            try:
                refresh(written, cache_dir)
            except (OSError, ValueError, CatalogueError, KeyboardInterrupt):
                return


RUN = RunState()


def settings(db: Path | None) -> Settings:
    """The settings of this run: ``--db``, else ``SOCSOPR_DB``, else the user data folder; the cache
    folder from ``SOCSOPR_CACHE_DIR`` or the user cache folder; ``SOCSOPR_LOCK_TIMEOUT`` seconds."""
    from catalogue.errors import UsageProblem

    if db is not None:
        path, explicit = db, True
    elif os.environ.get("SOCSOPR_DB"):
        path, explicit = Path(os.environ["SOCSOPR_DB"]), False
    else:
        path, explicit = default_catalogue(), False
    configured = os.environ.get("SOCSOPR_CACHE_DIR")
    cache = Path(configured) if configured else default_cache()
    text = os.environ.get("SOCSOPR_LOCK_TIMEOUT", "").strip()
    timeout = DEFAULT_LOCK_TIMEOUT
    if text:
        try:
            timeout = float(text)
        except ValueError:
            timeout = math.nan
        if not math.isfinite(timeout) or timeout < 0:
            raise UsageProblem(f"SOCSOPR_LOCK_TIMEOUT must be a number of seconds (0 or more), not {text!r}")
    RUN.catalogue, RUN.cache_dir = path, cache
    return Settings(path, explicit, cache, timeout)


def default_catalogue() -> Path:
    """The catalogue without ``--db`` or ``SOCSOPR_DB``: catalogue.json in the user data folder."""
    return _user_folder("XDG_DATA_HOME", ".local/share", "data") / "catalogue.json"


def default_cache() -> Path:
    """The folder of search indexes and crash logs without ``SOCSOPR_CACHE_DIR``: the user cache folder."""
    return _user_folder("XDG_CACHE_HOME", ".cache", "cache")


def _user_folder(variable: str, in_home: str, kind: str) -> Path:
    """socsopr's user folder of ``kind`` (``data``, ``cache``) as platformdirs names it.

    Importing platformdirs is a share of a short command's time. In the common
    case (Linux, ``variable`` unset or empty, an absolute ``HOME``) its answer
    is fixed, ``HOME/in_home/socsopr``, and written out here; anything else (another
    system, an XDG folder set, no ``HOME``) is platformdirs' to answer.
    """
    home = os.environ.get("HOME", "")
    if sys.platform == "linux" and home.startswith("/") and not os.environ.get(variable) \
            and not os.environ.get("ANDROID_DATA"):
        return Path(os.path.join(os.path.expanduser("~/" + in_home), "socsopr"))
    import platformdirs

    found: Path = getattr(platformdirs, f"user_{kind}_path")("socsopr")
    return found
