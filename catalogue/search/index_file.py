"""The search index on disk, in the user cache folder, keyed to the catalogue file it was built from.

The index file records the catalogue file's identity (device, inode, size,
modification and change times) and a hash of its bytes.  It is trusted only
when the identity matches; when the catalogue was written within two seconds
of the index build, timestamps are too coarse to tell versions apart, so the
hash is checked as well (git's "racily clean" rule).  A stale, foreign or
corrupt index is rebuilt silently; one that cannot be written is simply not
kept.  The catalogue file stays the only source of truth.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
import os
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

import orjson

from catalogue.errors import StoreError
from catalogue.model.record import Record
from catalogue.model.translit import search_key
from catalogue.search.index import (
    FIELD_BITS,
    NO_YEAR,
    RECORD_SHIFT,
    DamagedIndex,
    SearchIndex,
    build_index,
)
from catalogue.search.query import FIELD_NAMES
from catalogue.store import files, layout

MAGIC = b"socsopr-search-index\n"
INDEX_VERSION = 8  # 2: record spans found for every layout the store writes; 3: checksums; 4: XXH3;
# 5: remarks searched with notes; 6: places under every form of the place authority;
# 7: names, publishers and links under every form of their person/organisation authority;
# 8: parallel titles (``titles``: translations, originals, romanisations) searched as titles
RACY_NS = 2_000_000_000
_LAZY_COLUMNS = ("keys", "types", "languages", "tags")


def index_path(catalogue: Path, cache_dir: Path) -> Path:
    """Where the index of a catalogue file is kept in ``cache_dir``: one file per catalogue path.

    The name is a 64-bit checksum of the path (zlib's, not hashlib's: importing
    hashlib loads OpenSSL, a tenth of a search's start-up). Two paths that
    collided would only take turns rebuilding it: the index names its source in full.
    """
    path = str(catalogue.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir / f"index-{zlib.crc32(path):08x}{zlib.adler32(path):08x}.bin"


def identity(path: Path, st: os.stat_result) -> dict[str, Any]:
    return {"path": str(path.resolve()), "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def content_hash(data: bytes) -> str:
    import hashlib  # only when an index is built, or checked against a just-changed file

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def open_index(path: Path, cache_dir: Path) -> SearchIndex:
    """The index of the catalogue file at ``path``: read from ``cache_dir``, or (re)built and cached there."""
    handle = files.open_for_reading(path)  # kept open so fetches read this very version
    try:
        source = identity(path, os.fstat(handle.fileno()))
        where = index_path(path, cache_dir)
        cached = _read(where, source, handle)
        if cached is not None:
            return cached
        index = _build(path, handle.read(), source, handle, where)
        index.close = handle.close
        return index
    except BaseException:
        handle.close()
        raise


# Folded forms of a few hard words: an index made by a socsopr that folds differently is not trusted.
_FOLD_PROBE = "Овсянников Ёлкин Щукин Sotsialisticheskoye Ovsjannikov Kozlovskiy Müller"


def fold_fingerprint() -> str:
    return search_key(_FOLD_PROBE)


def _build(path: Path, data: bytes, source: dict[str, Any], handle: Any, where: Path) -> SearchIndex:
    """Index the catalogue file's bytes, one record at a time, and cache the index at ``where``."""
    built_ns = time.time_ns()
    found = layout.scan(data)
    records: Iterable[Record]
    if found is not None:
        records = (layout.parse(path, data, key, raw) for key, raw in found.items())
    else:  # another layout (edited by hand): parsed whole, and checked
        records = layout.parse_records(path, data).values()
    spans = None
    if found is not None:
        spans = array("q")
        for _start, body, end in found.values():
            spans.extend((body, end))
    names = None
    if data.startswith(layout.AUTHORITIES_HEAD) or found is None:  # a file with authorities
        from catalogue.model.authority import AuthorityIndex

        names = AuthorityIndex(layout.parse_authorities(path, data))
    with layout.collector_paused():  # millions of small ints and lists, no cycles
        index = build_index(records, fetcher=_fetcher(handle, spans, source), names=names)
    vocab, starts, postings, years = index.vocab, index.starts, index.postings, index.years
    columns = {name: index.column(name) for name in _LAZY_COLUMNS}
    header: dict[str, Any] = {"version": INDEX_VERSION, "byteorder": sys.byteorder, "source": source,
              "hash": content_hash(data), "built_ns": built_ns, "count": index.count,
              "fold": fold_fingerprint()}
    sections: list[tuple[str, str, bytes]] = [("vocab", "json", orjson.dumps(vocab))]
    sections += [(name, "json", orjson.dumps(columns[name])) for name in _LAZY_COLUMNS]
    sections += [("starts", starts.typecode, starts.tobytes()), ("postings", postings.typecode,
                 postings.tobytes()), ("years", years.typecode, years.tobytes())]
    if spans is not None:
        sections.append(("spans", spans.typecode, spans.tobytes()))
    header["sections"] = [[name, kind, len(body), _checksum(body)] for name, kind, body in sections]
    head = orjson.dumps(header)
    # a cache that cannot be written is not kept; search still works
    with contextlib.suppress(OSError, StoreError):
        files.atomic_write(where, [MAGIC, b"%08x " % zlib.crc32(head), head, b"\n",
                                              *(body for _n, _k, body in sections)])
    return index


def _read(where: Path, source: dict[str, Any], handle: Any) -> SearchIndex | None:
    """The cached index if it is intact and belongs to exactly this catalogue file, else ``None``."""
    try:
        data = where.read_bytes()
    except OSError:
        return None
    try:
        return _parse(data, source, handle, where)
    except (ValueError, KeyError, TypeError, IndexError, OverflowError):
        return None  # a gap in the checks below must still mean "rebuild", never a crash


# --- reading the cache: nothing in it is trusted until checked ---------------------------------
#
# The file: MAGIC, then one line "<crc32 of the header, 8 hex digits> <header JSON>", then the
# sections' bodies in the order the header lists them, each with its length and XXH3-64 checksum. On
# reading, the header and the sections search always needs are checked in full (checksums,
# types, sizes, order); the rest is checked where it is first used (``CachedIndex``).

_ARRAY_SECTIONS = {"starts": ("Q",), "postings": ("I", "Q"), "years": ("i",), "spans": ("q",)}
_REQUIRED = frozenset(("vocab", *_LAZY_COLUMNS, "starts", "postings", "years"))
_CHECKED_AT_ONCE = ("vocab", "starts", "postings", "years", "spans")
# bytes whose low four bits are a field number: the byte of a posting that holds its field
_FIELD_BYTES = bytes(b for b in range(256) if b & ((1 << FIELD_BITS) - 1) < len(FIELD_NAMES))


class Section(NamedTuple):
    kind: str  # "json", or an array typecode
    body: memoryview
    crc: int


def _parse(data: bytes, source: dict[str, Any], handle: Any, where: Path) -> SearchIndex | None:
    if not data.startswith(MAGIC):
        return None
    eol = data.find(b"\n", len(MAGIC))
    if eol < 0:
        return None
    head = data[len(MAGIC) + 9:eol]
    if data[len(MAGIC):len(MAGIC) + 9] != b"%08x " % zlib.crc32(head):
        return None
    header = orjson.loads(head)
    if not isinstance(header, dict) or header.get("version") != INDEX_VERSION or header.get(
            "byteorder") != sys.byteorder or header.get("source") != source or header.get(
            "fold") != fold_fingerprint():
        return None
    count, built_ns, content = header.get("count"), header.get("built_ns"), header.get("hash")
    if not (_is_int(count) and count >= 0 and _is_int(built_ns) and isinstance(content, str)):
        return None
    sections = _sections(header.get("sections"), memoryview(data)[eol + 1:])
    if sections is None:
        return None
    if any(_checksum(sections[n].body) != sections[n].crc for n in _CHECKED_AT_ONCE if n in sections):
        return None
    vocab = orjson.loads(sections["vocab"].body)  # every word has a posting: starts strictly increase
    starts, postings, years = (_array(sections[n]) for n in ("starts", "postings", "years"))
    if not (isinstance(vocab, list) and _all_text(vocab) and _increasing(vocab, strictly=True)
            and len(starts) == len(vocab) + 1 and starts[0] == 0 and starts[-1] == len(postings)
            and _increasing(starts, strictly=True) and len(years) == 2 * count):
        return None
    spans = _array(sections["spans"]) if "spans" in sections else None
    if spans is not None and not _spans_fit(spans, count, source["size"]):
        return None
    if source["mtime_ns"] + RACY_NS > built_ns:  # written in the same moment as the index: compare bytes
        if content_hash(handle.read()) != content:
            return None
        handle.seek(0)
    return CachedIndex(count=count, vocab=vocab, starts=starts, postings=postings, years=years,
                       sections=sections, spans=spans, source=source, handle=handle, where=where)


def _sections(table: object, body: memoryview) -> dict[str, Section] | None:
    """The sections a header lists, cut from the body; ``None`` unless the table is exactly right."""
    if not isinstance(table, list):
        return None
    out: dict[str, Section] = {}
    at = 0
    for entry in table:
        if not (isinstance(entry, list) and len(entry) == 4):
            return None
        name, kind, length, crc = entry
        if not (isinstance(name, str) and _is_int(length) and _is_int(crc)) or name in out or length < 0:
            return None
        if name in _ARRAY_SECTIONS:
            if kind not in _ARRAY_SECTIONS[name] or length % array(kind).itemsize:
                return None
        elif name not in _REQUIRED or kind != "json":
            return None
        out[name] = Section(kind, body[at:at + length], crc)
        at += length
    return out if at == len(body) and out.keys() >= _REQUIRED else None


def _spans_fit(spans: array[int], count: int, size: int) -> bool:
    """Spans of ``count`` records in a canonical file of ``size`` bytes: the last ends where the tail starts.

    Each span is checked when its record is read (``CachedIndex.fetch``).
    """
    if len(spans) != 2 * count:
        return False
    return count == 0 or len(layout.HEAD) < spans[0] < spans[-1] == size - len(layout.TAIL)


def _is_int(value: object) -> TypeGuard[int]:
    """An integer, and not a bool (JSON ``true`` is no count)."""
    return type(value) is int


def _checksum(body: bytes | memoryview) -> int:
    """A section's checksum: XXH3-64 (several times zlib.crc32's speed over megabytes of postings)."""
    import xxhash

    return xxhash.xxh3_64_intdigest(body)


def _all_text(values: list[Any]) -> bool:
    return set(map(type, values)) <= {str}


def _increasing(values: Sequence[Any], strictly: bool = False) -> bool:
    return all(map(operator.lt if strictly else operator.le, values, itertools.islice(values, 1, None)))


def _array(section: Section) -> array[int]:
    out = array(section.kind)
    out.frombytes(section.body)
    return out


class CachedIndex(SearchIndex):
    """An index read from the cache, checked part by part where it is first used.

    The parts too costly to check in full on every search (postings, years,
    columns, spans) are checked as they are used: postings a word at a time,
    a column (and its checksum) when first loaded, a record's span when the
    record is read, which must then be the record the index names. Any doubt
    raises ``DamagedIndex`` inside a search (which repairs and searches again)
    or repairs at once while records are read; ``repair`` rebuilds the index
    from the catalogue file, rewrites the cache and trusts the new index.
    """

    def __init__(
        self, *, count: int, vocab: list[str], starts: array[int], postings: array[int], years: array[int],
        sections: dict[str, Section], spans: array[int] | None, source: dict[str, Any], handle: Any,
        where: Path,
    ) -> None:
        super().__init__(count=count, vocab=vocab, starts=starts, postings=postings, years=years,
                         column_loader=self._load_column, fetcher=self._fetch_checked, close=handle.close)
        self._trusted = False
        self._sections = sections
        self._spans = spans
        self._source = source
        self._handle = handle
        self._where = where
        self._limit = count << RECORD_SHIFT  # every posting of a record numbered below count is below it
        self._field_byte = 1 if sys.byteorder == "little" else postings.itemsize - 2
        self._whole: list[Record] | None = None

    def repair(self) -> None:
        if self._trusted:
            return
        self._handle.seek(0)
        fresh = _build(
            Path(self._source["path"]), self._handle.read(), self._source, self._handle, self._where
        )
        self.count, self.vocab, self.starts = fresh.count, fresh.vocab, fresh.starts
        self.postings, self.years, self._columns = fresh.postings, fresh.years, fresh._columns
        self.column_loader, self.fetcher = fresh.column_loader, fresh.fetcher
        self._trusted = True

    def postings_of(self, word_number: int) -> array[int]:
        found = self.postings[self.starts[word_number]:self.starts[word_number + 1]]
        if not self._trusted and found and (max(found) >= self._limit or found.tobytes()[
                self._field_byte::found.itemsize].translate(None, _FIELD_BYTES)):
            raise DamagedIndex(f"postings of word {word_number}")
        return found

    def year_span(self, record: int) -> tuple[int, int] | None:
        first, last = self.years[2 * record], self.years[2 * record + 1]
        if (first == NO_YEAR) != (last == NO_YEAR):
            raise DamagedIndex(f"years of record {record}")
        return None if first == NO_YEAR else (first, last)

    def _load_column(self, name: str) -> list[str]:
        section = self._sections.get(name) if name in _LAZY_COLUMNS else None
        if section is None:
            raise KeyError(name)
        try:
            values = orjson.loads(section.body) if _checksum(section.body) == section.crc else None
        except orjson.JSONDecodeError:
            values = None
        if not (isinstance(values, list) and len(values) == self.count and _all_text(values)):
            raise DamagedIndex(f"column {name}")
        if name == "keys" and self._spans is not None and not _increasing(values, strictly=True):
            raise DamagedIndex("keys out of the canonical file's order")
        return values

    def _fetch_checked(self, numbers: Sequence[int]) -> Iterator[Record]:
        """Records by number, each checked to be the one the index names; on doubt, repaired and read anew."""
        if self._spans is not None and not self._trusted:
            yield from self._fetch_spans(numbers)
            return
        for i, n in enumerate(numbers):
            record = None if self._trusted else self._checked_record(n)
            if record is None:
                self.repair()
                yield from self.fetcher([m for m in numbers[i:] if m < self.count])
                return
            yield record

    def _fetch_spans(self, numbers: Sequence[int]) -> Iterator[Record]:
        """``_fetch_checked`` for a canonical file, in one tight loop (search prints thousands)."""
        try:
            keys = self.keys
        except DamagedIndex:
            keys = []
        spans, size, fd = self._spans, self._source["size"], self._handle.fileno()
        loads, pread = orjson.loads, os.pread
        assert spans is not None
        count = len(keys)
        for i, n in enumerate(numbers):
            record = None
            if n < count:
                start, end = spans[2 * n], spans[2 * n + 1]
                if 0 <= start < end <= size:
                    try:
                        record = loads(pread(fd, end - start, start))
                    except orjson.JSONDecodeError:
                        record = None
            if not (isinstance(record, dict) and record.get("id") == keys[n]):
                self.repair()
                yield from self.fetcher([m for m in numbers[i:] if m < self.count])
                return
            yield record

    def _checked_record(self, n: int) -> Record | None:
        try:
            key = self.keys[n]
        except DamagedIndex:
            return None
        if self._spans is None:  # a file in another layout: parsed whole, once
            if self._whole is None:
                self._handle.seek(0)
                data = self._handle.read()
                self._whole = list(layout.parse_records(Path(self._source["path"]), data).values())
            record = self._whole[n] if n < len(self._whole) else None
        else:
            start, end = self._spans[2 * n], self._spans[2 * n + 1]
            if not 0 <= start < end <= self._source["size"]:
                return None
            try:
                record = orjson.loads(os.pread(self._handle.fileno(), end - start, start))
            except orjson.JSONDecodeError:
                return None
        return record if isinstance(record, dict) and record.get("id") == key else None


def _fetcher(
    handle: Any, spans: array[int] | None, source: dict[str, Any]
) -> Callable[[Sequence[int]], Iterator[Record]]:
    """Reads records by number from the open catalogue file, one at a time, by their spans.

    A file in another layout (no spans) is parsed whole, once, on the first fetch.
    """
    whole: list[Record] = []

    def fetch(numbers: Sequence[int]) -> Iterator[Record]:
        if spans is not None:
            fd = handle.fileno()
            for n in numbers:
                start, end = spans[2 * n], spans[2 * n + 1]
                yield orjson.loads(os.pread(fd, end - start, start))
            return
        if not whole:
            handle.seek(0)
            whole.extend(layout.parse_records(Path(source["path"]), handle.read()).values())
        yield from (whole[n] for n in numbers)

    return fetch


def cached_keys(path: Path, cache_dir: Path) -> list[str] | None:
    """The record keys from an up-to-date cached index of ``path`` (fast shell completion), else ``None``."""
    try:
        with open(path, "rb") as handle:
            index = _read(index_path(path, cache_dir), identity(path, os.fstat(handle.fileno())), handle)
            return None if index is None else index.keys
    except (OSError, DamagedIndex):
        return None
