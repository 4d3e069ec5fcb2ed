"""Where each record of a large catalogue file lies, remembered in the cache folder.

Locating the records of a file in the canonical layout (``layout.scan``) walks every
record in Python; a command that reads a few records of a large catalogue, or writes
one, would spend most of its time there. The spans found are kept in the cache folder
with the state of the bytes they were found in (length and XXH3-128, as the history names
it: ``history.state_of``), and read back when a later command
meets the very same bytes: a file changed in any way (by socsopr, by hand, by git) has
other bytes and is scanned again. A writer remembers the spans of the file it has just
written (``remember``), which it knows without a scan.

With the spans goes one fact about the text that would otherwise cost a pass over the whole
file (40 ms at 100,000 records) on every write: whether it holds the field name
``"aliases"`` anywhere (``Found.aliases``; a record may hold aliases only if it does).

The cache is trusted as far as the search index is: a damaged file (checksum), one of
another version or byte order, or spans that do not tile the records' part of the file
exactly (kept as each record's start and body, a record ending one byte, its comma,
before the next begins and the last at the tail; starts, bodies and keys in strictly
increasing order) read as nothing, and the file is scanned. Beyond that the cache is
not proof against forgery, as the search index is not: whoever can write the cache
folder can write the catalogue beside it too. Keys are not checked against the bytes
here (each record parsed from its span is: ``layout.parse`` refuses an ``id`` that is
not its key), nor is a span proven to hold one record and not two (finding that out
is the scan this cache spares).
"""

from __future__ import annotations

import contextlib
import operator
import os
import sys
from array import array
from pathlib import Path
from typing import NamedTuple

import orjson
import xxhash

from catalogue.errors import StoreError
from catalogue.store import files, layout
from catalogue.store.layout import Raw

KEPT = 3  # states of one file kept, the last used (switching git branches, a copy put back)
_MAGIC = b"socsopr-spans 2\n"


class Found(NamedTuple):
    """What is known of a file in one state: its records' spans (``None``: not the canonical
    layout) and whether its text holds ``layout.ALIASES_FIELD`` anywhere."""

    spans: dict[str, Raw] | None
    aliases: bool


def _where(cache_dir: Path, source: Path, state: str) -> Path:
    """The cache file of ``source``'s records' spans in ``state``: one per state, ``KEPT`` at most."""
    return files.cache_file(cache_dir, source, "spans", f"-{state[-16:]}.bin")


def scan(data: bytes, state: str, source: Path, cache_dir: Path) -> dict[str, Raw] | None:
    """``layout.scan(data)``, read from the cache when it holds the spans of a file in this ``state``
    (``history.state_of(data)``), else found and cached."""
    return lookup(data, state, source, cache_dir).spans


def lookup(data: bytes, state: str, source: Path, cache_dir: Path) -> Found:
    """The spans of ``data`` (as ``scan``) and whether it names aliases: from the cache when it
    holds a file in this ``state``, else found and cached."""
    where = _where(cache_dir, source, state)
    found = _read(where, data, state)
    if found is not None:
        with contextlib.suppress(OSError):
            os.utime(where)  # the states kept are the ones last used, not the ones last made
        return found
    found = Found(layout.scan(data), data.find(layout.ALIASES_FIELD) >= 0)
    if found.spans is not None:
        _write(where, state, found)
    return found


def remember(state: str, size: int, found: Found, source: Path, cache_dir: Path | None) -> None:
    """Cache what is known of the file of ``size`` bytes and ``state`` just written."""
    if cache_dir is not None and size >= layout.LARGE_FILE and found.spans:
        _write(_where(cache_dir, source, state), state, found)


def _write(where: Path, digest: str, found: Found) -> None:
    spans = found.spans
    assert spans is not None
    # each record ends one byte (its comma) before the next begins: starts and bodies say it all
    places = array("q", [start for start, _body, _end in spans.values()])
    places.extend(body for _start, body, _end in spans.values())
    body = places.tobytes() + orjson.dumps(list(spans))
    header = orjson.dumps({"hash": digest, "count": len(spans), "byteorder": sys.byteorder,
                           "aliases": found.aliases, "checksum": xxhash.xxh3_64_intdigest(body)})
    with contextlib.suppress(OSError, StoreError):  # a cache: not kept is no failure
        files.atomic_write(where, [_MAGIC, header, b"\n", body], durable=False)
        others = sorted(where.parent.glob(where.name[:-len("0123456789abcdef.bin")] + "*.bin"),
                        key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in others[KEPT:]:
            old.unlink()


def _read(where: Path, data: bytes, digest: str) -> Found | None:
    try:
        raw = where.read_bytes()
    except OSError:
        return None
    if not raw.startswith(_MAGIC):
        return None
    with contextlib.suppress(ValueError, TypeError, KeyError, orjson.JSONDecodeError):
        eol = raw.index(b"\n", len(_MAGIC))
        header = orjson.loads(raw[len(_MAGIC):eol])
        body = memoryview(raw)[eol + 1:]
        count, aliases = header["count"], header["aliases"]
        if (header["hash"] != digest or header["byteorder"] != sys.byteorder or type(count) is not int
                or count <= 0 or type(aliases) is not bool
                or header["checksum"] != xxhash.xxh3_64_intdigest(body)):
            return None
        places = array("q")
        places.frombytes(body[:16 * count])
        keys = orjson.loads(body[16 * count:])
        if len(places) != 2 * count or not isinstance(keys, list) or len(keys) != count:
            return None
        starts, bodies = places[:count], places[count:]
        where_ = layout.frame(data)
        if where_ is None or where_.empty:
            return None
        ends = [start - 1 for start in starts[1:]]
        ends.append(where_.stop)
        if (starts[0] == where_.records and all(map(operator.lt, starts, bodies))
                and all(map(operator.lt, bodies, ends)) and all(type(key) is str for key in keys)
                and all(map(operator.lt, keys, keys[1:]))):
            return Found(dict(zip(keys, zip(starts, bodies, ends, strict=True), strict=True)), aliases)
    return None
