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
import os
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from catalogue.errors import StoreError
from catalogue.model.record import Record
from catalogue.model.translit import search_key
from catalogue.search.index import IndexParts, SearchIndex
from catalogue.store import files, layout

MAGIC = b"socsopr-search-index\n"
INDEX_VERSION = 2  # 2: record spans found for every layout the store writes
RACY_NS = 2_000_000_000
_LAZY_COLUMNS = ("keys", "types", "languages", "tags")


def cache_dir() -> Path:
    """``SOCSOPR_CACHE_DIR``, else socsopr's folder in the user cache (``~/.cache/socsopr``)."""
    configured = os.environ.get("SOCSOPR_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return platformdirs.user_cache_path("socsopr")


def index_path(catalogue: Path) -> Path:
    """Where the index of a catalogue file is kept: one file per catalogue path.

    The name is a 64-bit checksum of the path (zlib's, not hashlib's: importing
    hashlib loads OpenSSL, a tenth of a search's start-up). Two paths that
    collided would only take turns rebuilding it: the index names its source in full.
    """
    path = str(catalogue.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir() / f"index-{zlib.crc32(path):08x}{zlib.adler32(path):08x}.bin"


def identity(path: Path, st: os.stat_result) -> dict[str, Any]:
    return {"path": str(path.resolve()), "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def content_hash(data: bytes) -> str:
    import hashlib  # only when an index is built, or checked against a just-changed file

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def open_index(path: Path) -> SearchIndex:
    """The index of the catalogue file at ``path``: read from the cache, or (re)built and cached."""
    handle = files.open_for_reading(path)  # kept open so fetches read this very version
    try:
        source = identity(path, os.fstat(handle.fileno()))
        cached = _read(index_path(path), source, handle)
        if cached is not None:
            return cached
        index = _build(path, handle.read(), source, handle)
        index.close = handle.close
        return index
    except BaseException:
        handle.close()
        raise


# Folded forms of a few hard words: an index made by a socsopr that folds differently is not trusted.
_FOLD_PROBE = "Овсянников Ёлкин Щукин Sotsialisticheskoye Ovsjannikov Kozlovskiy Müller"


def fold_fingerprint() -> str:
    return search_key(_FOLD_PROBE)


def _build(path: Path, data: bytes, source: dict[str, Any], handle: Any) -> SearchIndex:
    """Index the catalogue file's bytes, one record at a time, and cache the index."""
    built_ns = time.time_ns()
    found = layout.scan(data)
    records: Iterable[Record]
    if found is not None:
        records = (layout.parse(path, data, key, raw) for key, raw in found.items())
    else:  # another layout (edited by hand): parsed whole, and checked
        records = layout.parse_records(path, data).values()
    parts = IndexParts()
    with layout.collector_paused():  # millions of small ints and lists, no cycles
        for record in records:
            parts.add(record)
        vocab, starts, postings = parts.postings()
    columns, years = parts.columns, parts.years
    spans = None
    if found is not None:
        spans = array("q")
        for _start, body, end in found.values():
            spans.extend((body, end))
    header: dict[str, Any] = {"version": INDEX_VERSION, "byteorder": sys.byteorder, "source": source,
              "hash": content_hash(data), "built_ns": built_ns, "count": parts.count,
              "fold": fold_fingerprint()}
    index = SearchIndex(
        count=parts.count, vocab=vocab, starts=starts, postings=postings, years=years,
        column_loader=_no_column, fetcher=_fetcher(handle, spans, source), _columns=columns,
    )
    sections: list[tuple[str, str, bytes]] = [("vocab", "json", orjson.dumps(vocab))]
    sections += [(name, "json", orjson.dumps(columns[name])) for name in _LAZY_COLUMNS]
    sections += [("starts", starts.typecode, starts.tobytes()), ("postings", postings.typecode,
                 postings.tobytes()), ("years", years.typecode, years.tobytes())]
    if spans is not None:
        sections.append(("spans", spans.typecode, spans.tobytes()))
    header["sections"] = [[name, kind, len(body)] for name, kind, body in sections]
    # a cache that cannot be written is not kept; search still works
    with contextlib.suppress(OSError, StoreError):
        files.atomic_write(
            index_path(path), MAGIC + orjson.dumps(header) + b"\n" + b"".join(b for _n, _k, b in sections)
        )
    return index


def _no_column(name: str) -> list[str]:
    raise KeyError(name)


def _read(where: Path, source: dict[str, Any], handle: Any) -> SearchIndex | None:
    """The cached index if it is intact and belongs to exactly this catalogue file, else ``None``."""
    try:
        data = where.read_bytes()
    except OSError:
        return None
    try:
        return _parse(data, source, handle)
    except (ValueError, KeyError, TypeError, IndexError, orjson.JSONDecodeError):
        return None  # corrupt or from another version: rebuilt by the caller


def _parse(data: bytes, source: dict[str, Any], handle: Any) -> SearchIndex | None:
    if not data.startswith(MAGIC):
        return None
    eol = data.index(b"\n", len(MAGIC))
    header = orjson.loads(data[len(MAGIC):eol])
    if (header.get("version") != INDEX_VERSION or header.get("byteorder") != sys.byteorder
            or header.get("source") != source or header.get("fold") != fold_fingerprint()):
        return None
    if source["mtime_ns"] + RACY_NS > header["built_ns"]:
        if content_hash(handle.read()) != header["hash"]:
            return None
        handle.seek(0)
    body = memoryview(data)[eol + 1:]
    raw: dict[str, tuple[str, memoryview]] = {}
    at = 0
    for name, kind, length in header["sections"]:
        raw[name] = (kind, body[at:at + length])
        at += length
    if at != len(body):
        return None
    count = int(header["count"])
    vocab = orjson.loads(raw["vocab"][1])
    starts, postings, years = (_array(*raw[n]) for n in ("starts", "postings", "years"))
    if len(starts) != len(vocab) + 1 or starts[-1] != len(postings) or len(years) != 2 * count:
        return None
    spans = _array(*raw["spans"]) if "spans" in raw else None
    if spans is not None and len(spans) != 2 * count:
        return None

    def load_column(name: str) -> list[str]:
        values = orjson.loads(raw[name][1])
        if not isinstance(values, list) or len(values) != count:
            raise ValueError(f"index column {name} is damaged")
        return values

    return SearchIndex(
        count=count, vocab=vocab, starts=starts, postings=postings, years=years,
        column_loader=load_column, fetcher=_fetcher(handle, spans, source), close=handle.close,
    )


def _array(typecode: str, body: memoryview) -> array[int]:
    out = array(typecode)
    out.frombytes(body)
    return out


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


def cached_keys(path: Path) -> list[str] | None:
    """The record keys from an up-to-date cached index of ``path`` (fast shell completion), else ``None``."""
    try:
        with open(path, "rb") as handle:
            index = _read(index_path(path), identity(path, os.fstat(handle.fileno())), handle)
            return None if index is None else index.keys
    except (OSError, ValueError, orjson.JSONDecodeError):
        return None
