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
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard

import orjson
import xxhash

from catalogue import search
from catalogue.errors import StoreError
from catalogue.model.record import Record
from catalogue.model.translit import search_key
from catalogue.search.index import (
    FIELD_BITS,
    NO_YEAR,
    RECORD_SHIFT,
    DamagedIndex,
    Progress,
    SearchIndex,
    build_index,
)
from catalogue.search.query import FIELD_NAMES
from catalogue.store import files, layout

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex
    from catalogue.search import index_patch
    from catalogue.store.session import Written

MAGIC = b"socsopr-search-index\n"
INDEX_VERSION = 9  # 2: record spans found for every layout the store writes; 3: checksums; 4: XXH3;
# 5: remarks searched with notes; 6: places under every form of the place authority;
# 7: names, publishers and links under every form of their person/organisation authority;
# 8: parallel titles (``titles``: translations, originals, romanisations) searched as titles;
# 9: each record's fingerprint, so that a change patches the index (``index_patch``); XXH3-128 content hash
RACY_NS = 2_000_000_000
_LAZY_COLUMNS = ("keys", "types", "languages", "tags")


def index_path(catalogue: Path, cache_dir: Path) -> Path:
    """Where the index of a catalogue file is kept in ``cache_dir``: one file per catalogue path."""
    return files.cache_file(cache_dir, catalogue, "index", ".bin")


def identity(path: Path, st: os.stat_result) -> dict[str, Any]:
    return {"path": str(path.resolve()), "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def content_hash(data: bytes) -> str:
    """The catalogue's bytes' XXH3-128 (a tenth of BLAKE2b's time over a large file): the index's
    guard against a file changed within the timestamps' resolution, not against forgery (whoever
    can write the cache can write anything in it)."""
    return xxhash.xxh3_128_hexdigest(data)


def open_index(path: Path, cache_dir: Path, progress: Progress | None = None) -> SearchIndex:
    """The index of the catalogue file at ``path``: read from ``cache_dir``, or brought up to date
    with the records that changed since it was cached (``index_patch``), or built afresh; and cached.
    ``progress`` hears how a full build goes (records done, records in all)."""
    handle = files.open_for_reading(path)  # kept open so fetches read this very version
    try:
        source = identity(path, os.fstat(handle.fileno()))
        where = index_path(path, cache_dir)
        cached = _read(where, source, handle)
        if isinstance(cached, SearchIndex):
            return cached
        with patching(where):  # one process patches or builds at a time; the others wait, then read
            cached = _read(where, source, handle)
            if isinstance(cached, SearchIndex):
                return cached
            handle.seek(0)
            data = handle.read()
            index = None if cached is None else _patch(path, data, source, handle, where, cached)
            if index is None:
                index = _build(path, data, source, handle, where, progress)
        index.close = handle.close
        return index
    except BaseException:
        handle.close()
        raise


LOCK_WAIT = 30.0  # seconds a search waits for another process's patch or build before doing its own


@contextlib.contextmanager
def patching(where: Path) -> Iterator[None]:
    """Hold the lock of the index at ``where`` (waiting for another process that holds it, at most
    ``LOCK_WAIT`` seconds): a search finding the index outdated waits for the write that is
    patching it rather than doing the same work beside it. Where there is no lock to be had (no
    ``fcntl``, a cache folder that cannot be written), nothing is held: the index is only a cache."""
    fd = lock_index(where)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def lock_index(where: Path, wait: float = LOCK_WAIT) -> int | None:
    """The file descriptor holding the lock of the index at ``where`` (closing it lets go), or ``None``."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(where.with_name(where.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                break
            time.sleep(0.005)
        except OSError:
            break
    os.close(fd)
    return None


# Folded forms of a few hard words: an index made by a socsopr that folds differently is not trusted.
_FOLD_PROBE = "Овсянников Ёлкин Щукин Sotsialisticheskoye Ovsjannikov Kozlovskiy Müller"


def fold_fingerprint() -> str:
    return search_key(_FOLD_PROBE)


def _build(path: Path, data: bytes, source: dict[str, Any], handle: Any, where: Path,
           progress: Progress | None = None) -> SearchIndex:
    """Index the catalogue file's bytes, one record at a time, and cache the index at ``where``."""
    built_ns = time.time_ns()
    found = layout.scan(data)
    records: Collection[Record] | Iterator[Record]
    if found is not None:
        records = (layout.parse(path, data, key, raw) for key, raw in found.items())
    else:  # another layout (edited by hand): parsed whole, and checked
        records = layout.parse_records(path, data).values()
    spans = None if found is None else _spans(found)
    total = len(found) if found is not None else len(records)  # type: ignore[arg-type]
    with layout.collector_paused():  # millions of small ints and lists, no cycles
        index = build_index(records, fetcher=_fetcher(handle, spans, source), names=_names(path, data, found),
                            progress=None if progress is None else (progress, total))
    columns = {name: index.column(name) for name in _LAZY_COLUMNS}
    _store(where, data, found, source, built_ns, index, columns, spans)
    return index


def refresh(written: Written, cache_dir: Path, *, locked: bool = False) -> bool:
    """Bring the cached index of a large catalogue file just written up to date, from what was
    written (its records' spans spare scanning the file): whether it was. The next search then
    reads it as it is. Declined (``False``, the next search patches or builds) for a catalogue of
    fewer than ``catalogue.search.REFRESH_FROM`` records, when the file is no longer the one
    written, or when there is no index of an earlier version to patch. ``locked``: the caller
    holds the index's lock (``lock_index``), else it is taken here."""
    if written.spans is None or written.status is None or len(written.spans) < search.REFRESH_FROM:
        return False
    source = identity(written.path, written.status)
    where = index_path(written.path, cache_dir)
    with files.open_for_reading(written.path) as handle, (
            contextlib.nullcontext() if locked else patching(where)):
        if identity(written.path, os.fstat(handle.fileno())) != source:
            return False  # another program wrote it since
        data = b"".join(written.pieces)
        if len(data) != source["size"]:
            return False
        cached = _read(where, source, handle)
        if not isinstance(cached, Outdated):
            return isinstance(cached, SearchIndex)
        known = (written.before, written.touched) if written.before and written.touched is not None else None
        return _patch(written.path, data, source, handle, where, cached, written.spans, known) is not None


def _patch(path: Path, data: bytes, source: dict[str, Any], handle: Any, where: Path,
           outdated: Outdated, found: dict[str, layout.Raw] | None = None,
           known: tuple[str, frozenset[str]] | None = None) -> SearchIndex | None:
    """The outdated index brought up to date with the records that changed; ``None`` if it cannot be.
    ``found``: the records' spans in ``data`` (by key, in order), when known without a scan.
    ``known``: the state of the file a writer replaced with ``data``, and the keys it did not copy
    from it as they were (``Written.before``, ``Written.touched``)."""
    from catalogue.search import index_patch

    built_ns = time.time_ns()
    if found is None:
        found = layout.scan(data)
    if found is None:
        return None
    keys = list(found)
    spans = list(found.values())
    if index_patch.around(data, spans) != outdated.around:  # the authorities table (or the frame) changed
        return None
    try:
        old = outdated.old()
        old_keys = old.column("keys")
        quick = None
        if known is not None and outdated.built_from(known[0]):
            quick = index_patch.known_changes(old_keys, old.hashes, keys, known[1], data, spans)
        changes: index_patch.Changes | None
        if quick is not None:
            changes, hashes = quick
        else:
            hashes, _around = index_patch.fingerprints(data, found)
            changes = index_patch.changes(old_keys, old.hashes, keys, hashes)
        if changes is None:
            return None
        records = (layout.parse(path, data, keys[n], found[keys[n]]) for n in changes.added)
        new = index_patch.patch(old, changes, keys, records, _names(path, data, found))
    except (DamagedIndex, ValueError, IndexError):  # numpy's errors on damaged arrays are ValueErrors
        return None
    if new is None:
        return None
    places = _spans(found)
    index = SearchIndex(count=new.records, vocab=new.vocab, starts=new.starts, postings=new.postings,
                        years=new.years, column_loader=_no_column, fetcher=_fetcher(handle, places, source),
                        _columns=new.columns)
    _store(where, data, found, source, built_ns, index, new.columns, places, (hashes, outdated.around))
    return index


def _no_column(name: str) -> list[str]:
    raise KeyError(name)


def _spans(found: dict[str, layout.Raw]) -> array[int]:
    spans = array("q")
    spans.fromlist([at for _start, body, end in found.values() for at in (body, end)])
    return spans


def _names(path: Path, data: bytes, found: dict[str, layout.Raw] | None) -> AuthorityIndex | None:
    """The authorities of a file that has them (their forms are indexed with the records linked)."""
    if not (data.startswith(layout.AUTHORITIES_HEAD) or found is None):
        return None
    from catalogue.model.authority import AuthorityIndex

    return AuthorityIndex(layout.parse_authorities(path, data))


def _store(where: Path, data: bytes, found: dict[str, layout.Raw] | None, source: dict[str, Any],
           built_ns: int, index: SearchIndex, columns: dict[str, list[str]], spans: array[int] | None,
           prints: tuple[array[int], int] | None = None) -> None:
    """Cache ``index`` at ``where``; for a canonical file, with each record's fingerprint (for patching)."""
    header: dict[str, Any] = {"version": INDEX_VERSION, "byteorder": sys.byteorder, "source": source,
              "hash": content_hash(data), "built_ns": built_ns, "count": index.count,
              "fold": fold_fingerprint()}
    sections: list[tuple[str, str, bytes]] = [("vocab", "json", orjson.dumps(index.vocab))]
    sections += [(name, "json", orjson.dumps(columns[name])) for name in _LAZY_COLUMNS]
    sections += [(name, part.typecode, part.tobytes()) for name, part in (
        ("starts", index.starts), ("postings", index.postings), ("years", index.years))]
    if spans is not None and found is not None:
        from catalogue.search.index_patch import fingerprints

        hashes, header["around"] = prints or fingerprints(data, found)
        sections += [("spans", "q", spans.tobytes()), ("hashes", "Q", hashes.tobytes())]
    header["sections"] = [[name, kind, len(body), _checksum(body)] for name, kind, body in sections]
    head = orjson.dumps(header)
    # a cache that cannot be written is not kept; search still works
    with contextlib.suppress(OSError, StoreError):
        files.atomic_write(where, [MAGIC, b"%08x " % zlib.crc32(head), head, b"\n",
                                   *(body for _n, _k, body in sections)], durable=False)


def _read(where: Path, source: dict[str, Any], handle: Any) -> SearchIndex | Outdated | None:
    """The cached index if it is intact and belongs to exactly this catalogue file; ``Outdated`` if
    it is intact and belongs to an earlier version of it (a patch may bring it up to date); else ``None``."""
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

_ARRAY_SECTIONS = {
    "starts": ("Q",), "postings": ("I", "Q"), "years": ("i",), "spans": ("q",), "hashes": ("Q",)
}
_REQUIRED = frozenset(("vocab", *_LAZY_COLUMNS, "starts", "postings", "years"))
_CHECKED_AT_ONCE = ("vocab", "starts", "postings", "years", "spans")
# bytes whose low four bits are a field number: the byte of a posting that holds its field
_FIELD_BYTES = bytes(b for b in range(256) if b & ((1 << FIELD_BITS) - 1) < len(FIELD_NAMES))


class Section(NamedTuple):
    kind: str  # "json", or an array typecode
    body: memoryview
    crc: int


class Parts(NamedTuple):
    """A cached index's parts that every reading checks in full."""

    records: int
    vocab: list[str]
    starts: array[int]
    postings: array[int]
    years: array[int]
    sections: dict[str, Section]


def _parse(data: bytes, source: dict[str, Any], handle: Any, where: Path) -> SearchIndex | Outdated | None:
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
            "byteorder") != sys.byteorder or header.get("fold") != fold_fingerprint():
        return None
    built = header.get("source")
    if not isinstance(built, dict) or built.get("path") != source["path"]:
        return None
    if built != source:
        return Outdated(header, data, eol)
    built_ns, content = header.get("built_ns"), header.get("hash")
    if not (_is_int(built_ns) and isinstance(content, str)):
        return None
    parts = _parts(header, data, eol)
    if parts is None:
        return None
    spans = _array(parts.sections["spans"]) if "spans" in parts.sections else None
    if spans is not None and not _spans_fit(spans, parts.records, source["size"]):
        return None
    if source["mtime_ns"] + RACY_NS > built_ns:  # written in the same moment as the index: compare bytes
        if content_hash(handle.read()) != content:
            handle.seek(0)
            return Outdated(header, data, eol)
        handle.seek(0)
    return CachedIndex(count=parts.records, vocab=parts.vocab, starts=parts.starts, postings=parts.postings,
                       years=parts.years, sections=parts.sections, spans=spans, source=source, handle=handle,
                       where=where)


def _parts(header: dict[str, Any], data: bytes, eol: int) -> Parts | None:
    count = header.get("count")
    if not (_is_int(count) and count >= 0):
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
    return Parts(count, vocab, starts, postings, years, sections)


class Outdated:
    """An intact index of an earlier version of the catalogue file: what a patch starts from."""

    def __init__(self, header: dict[str, Any], data: bytes, eol: int) -> None:
        self._header, self._data, self._eol = header, data, eol
        around = header.get("around")
        self.around = around if _is_int(around) else None

    def built_from(self, state: str) -> bool:
        """Whether the index was built from (or patched to) exactly the file in ``state``
        (``history.state_of``: its length and XXH3-128, as the index's ``hash`` and ``size`` say)."""
        length, _dash, digest = state.partition("-")
        source = self._header.get("source")
        return (bool(digest) and self._header.get("hash") == digest and isinstance(source, dict)
                and source.get("size") == int(length, 16))

    def old(self) -> index_patch.Old:
        """Its parts, each checked in full (a patched index is trusted as a fresh build is);
        ``DamagedIndex`` when any is not what it should be."""
        from catalogue.search.index_patch import Old

        parts = _parts(self._header, self._data, self._eol)
        if parts is None or "hashes" not in parts.sections or "spans" not in parts.sections:
            raise DamagedIndex("an index that cannot be patched")
        hashes = parts.sections["hashes"]
        if _checksum(hashes.body) != hashes.crc or len(hashes.body) != 8 * parts.records:
            raise DamagedIndex("record fingerprints")
        postings = parts.postings  # (a record number beyond the index is the patch's IndexError)
        if postings and postings.tobytes()[_field_byte(postings)::postings.itemsize].translate(
                None, _FIELD_BYTES):
            raise DamagedIndex("postings")
        years = parts.years
        if _years_half_known(years):
            raise DamagedIndex("years")

        def column(name: str) -> list[str]:
            return _column(parts.sections, name, parts.records)

        return Old(parts.records, parts.vocab, parts.starts, postings, years, column, _array(hashes))


def _years_half_known(years: array[int]) -> bool:
    """Whether some record has a first year and no last one, or the reverse (a damaged column)."""
    unknown = NO_YEAR.__eq__
    return any(map(operator.ne, map(unknown, years[::2]), map(unknown, years[1::2])))


def _field_byte(postings: array[int]) -> int:
    """Where in a posting's bytes its field number lies."""
    return 1 if sys.byteorder == "little" else postings.itemsize - 2


def _column(sections: dict[str, Section], name: str, count: int) -> list[str]:
    """A column of a cached index, checked (its checksum, length and values); else ``DamagedIndex``."""
    section = sections.get(name) if name in _LAZY_COLUMNS else None
    if section is None:
        raise KeyError(name)
    try:
        values = orjson.loads(section.body) if _checksum(section.body) == section.crc else None
    except orjson.JSONDecodeError:
        values = None
    if not (isinstance(values, list) and len(values) == count and _all_text(values)):
        raise DamagedIndex(f"column {name}")
    return values


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
        self._field_byte = _field_byte(postings)
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
        values = _column(self._sections, name, self.count)
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
            return index.keys if isinstance(index, SearchIndex) else None
    except (OSError, DamagedIndex):
        return None
