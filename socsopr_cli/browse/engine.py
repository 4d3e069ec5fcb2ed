"""What the browser does, without drawing: the index opened in the background, searches run on a
thread of their own (the newest query wins), and the texts it copies, exports and cites.

Nothing here imports textual, so it is tested and benchmarked on its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalogue.model.record import Record
    from catalogue.search.filters import Filters

SearchIndex = Any  # what search's open_index gives (its class is the search package's own business)

PAGE = 200  # rows shown for a query; the count says how many matched
PREPARE_AFTER = 0.3  # seconds without a query after the first answer before the search thread warms up


@dataclass
class Page:
    """The answer to one query: the records shown (best first), how many matched, the words to mark."""

    query: str
    numbers: list[int] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    total: int = 0
    words: dict[str, set[str]] = field(default_factory=dict)
    error: str | None = None  # a term that cannot be read (year:abc): the previous page stays
    seconds: float = 0.0


@dataclass(frozen=True)
class FilterBar:
    """The filter bar's fields as typed (each may hold several values separated by commas)."""

    type: str = ""
    years: str = ""
    tag: str = ""
    place: str = ""

    def filters(self) -> Filters:
        """The library's filters; a malformed year is ``BadQuery``."""
        from catalogue.search.filters import Filters

        def values(text: str) -> list[str]:
            return [v.strip() for v in text.split(",") if v.strip()]

        # a year range's own comma (2006,2007) is one value for the year filter
        return Filters.from_options(types=values(self.type), years=[self.years] if self.years.strip() else [],
                                    tags=values(self.tag), places=values(self.place))

    def __bool__(self) -> bool:
        return any((self.type.strip(), self.years.strip(), self.tag.strip(), self.place.strip()))


class Catalogue:
    """The catalogue as the browser reads it: through search's cached index, opened on demand."""

    def __init__(self, db: Path, cache_dir: Path) -> None:
        self.db = db
        self.cache_dir = cache_dir
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._index is not None

    def open(self) -> SearchIndex:
        """The index: read from the cache, or built (seconds on a large catalogue that changed)."""
        with self._lock:
            if self._index is None:
                from catalogue.search.index_file import open_index

                self._index = open_index(self.db, self.cache_dir)
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def count(self) -> int:
        return int(self.open().count)

    def prepare(self) -> None:
        """What the first typed query would otherwise wait for: the search modules, the keys
        column (every ranked answer is ordered by key) and the fuzzy matcher (words of four letters)."""
        import catalogue.search.query
        import catalogue.search.ranking  # noqa: F401

        index = self._index
        if index is None:  # closed meanwhile: nothing to prepare
            return
        index.column("keys")
        from rapidfuzz import process  # noqa: F401
        from rapidfuzz.distance import OSA  # noqa: F401

    def search(self, text: str, bar: FilterBar | None = None, limit: int = PAGE) -> Page:
        """The records matching ``text`` (search's query language, filters such as ``type:pamphlet
        year:2005..2007 tag:x place:Москва`` included) and the filter bar; all records when both are empty."""
        from catalogue.errors import UsageProblem
        from catalogue.search.query import NAME_FIELDS, PLACE, TITLE, parse_query
        from catalogue.search.ranking import search

        started = time.perf_counter()
        page = Page(text)
        index = self.open()
        try:
            query = parse_query(text)
            filters = bar.filters() if bar else None
        except UsageProblem as exc:
            page.error = str(exc)
            return page
        if not query and not filters:
            page.total = index.count
            page.numbers = list(range(min(limit, index.count)))
        else:
            result = search(index, query, filters)
            page.total = len(result.hits)
            page.numbers = [hit.number for hit in result.hits[:limit]]
            page.words = {"title": result.words_for({TITLE}), "names": result.words_for(NAME_FIELDS),
                          "place": result.words_for({PLACE})}
        page.records = list(index.fetch(page.numbers))
        page.seconds = time.perf_counter() - started
        return page


class SearchLoop:
    """One thread that runs the newest query asked for: queries typed while one runs are skipped but
    the last, so typing never queues searches and the screen shows the newest answer soonest."""

    def __init__(self, run: Callable[[str, FilterBar], Page], done: Callable[[int, Page], None],
                 prepare: Callable[[], None] | None = None) -> None:
        self._run = run
        self._done = done
        self._prepare = prepare  # run once, the first time the thread is idle a while after an answer
        self._wanted: tuple[int, str, FilterBar] | None = None
        self._generation = 0
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="socsopr-browse-search", daemon=True)
        self._thread.start()

    def ask(self, text: str, bar: FilterBar) -> int:
        """Search for ``text`` as soon as the thread is free; the number of this request."""
        with self._cond:
            self._generation += 1
            self._wanted = (self._generation, text, bar)
            self._cond.notify()
            return self._generation

    @property
    def latest(self) -> int:
        return self._generation

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                prepare = None
                if self._prepare is not None and self._generation:
                    # after the screen has drawn the answer, and only if nothing was asked meanwhile
                    self._cond.wait_for(lambda: self._wanted is not None or self._stopped, PREPARE_AFTER)
                    if self._wanted is None and not self._stopped:
                        prepare, self._prepare = self._prepare, None
            if prepare is not None:
                with suppress(Exception):  # only a head start: the query that needs it reports its error
                    prepare()
            with self._cond:
                while self._wanted is None and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                assert self._wanted is not None
                generation, text, bar = self._wanted
                self._wanted = None
            try:
                page = self._run(text, bar)
            except Exception as exc:  # shown to the person; the loop goes on with the next query
                page = Page(text, error=f"{type(exc).__name__}: {exc}")
            self._done(generation, page)


# --- what is copied, exported and cited -----------------------------------------------------------

def reference(record: Record) -> str:
    """The GOST 7.1 description of a record, in its own language."""
    from catalogue.gost.render import render

    return render(record)


def bibtex(record: Record) -> str:
    from catalogue.formats import export

    return export([record], "bibtex")


def cite(records: Sequence[Record]) -> str:
    """A numbered GOST reference list of the records, in the order of a GOST list."""
    from catalogue.cite.engine import bibliography

    return bibliography(list(records))


def export_formats() -> list[tuple[str, str]]:
    """``(name, description)`` of every export format."""
    from catalogue.formats import export_formats as formats

    return [(f.name, f.description) for f in formats()]


def export_to(records: Sequence[Record], fmt: str, target: Path, db: Path, *, force: bool = False) -> None:
    """Write the records to ``target`` in ``fmt``, as ``socsopr export -o`` would (never over the
    catalogue, nor over a file that is not an export in that format unless ``force``)."""
    from catalogue.curation.exporting import check_export_target, write_export
    from catalogue.formats import export

    text = export(list(records), fmt)  # an unknown format is refused before the file is looked at
    check_export_target(target, fmt, db, force=force)
    write_export(target, text)
