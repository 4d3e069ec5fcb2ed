"""The catalogue file's canonical layout: writing it, and reading records out of it one at a time.

The store writes the file deterministically (sorted keys, 2-space indent, UTF-8)::

    {
      "format": "socsopr-catalogue",
      "records": {
        "<key>": {
          ...
        },
        "<key>": {
    ...
      },
      "version": 1
    }

so a record is the text between ``\\n    "<key>": {`` and the next ``\\n    }``
(JSON strings hold no raw line breaks, and everything inside a record is
indented further). ``scan`` finds every record that way and refuses anything
that is not exactly this layout with keys in strictly increasing order.

A catalogue with authority records (``model.authority``) has a second table,
which sorts before the records and raises the version to 2::

    {
      "authorities": {
        "<id>": {
          ...
        }
      },
      "format": "socsopr-catalogue",
      "records": {
    ...
      },
      "version": 2
    }

A catalogue without authorities is still written as version 1, byte for byte
what the release before authorities wrote, so that release keeps reading it;
one with authorities is refused by that release ("written by a newer socsopr")
instead of being rewritten without them. The authorities table is small: it is
parsed whole when asked for, the records are found by ``frame`` after it. On
that map of the file:

- ``read_record`` parses one record (``show``), ``iter_records`` one at a time
  (``list`` in a pipe), at a fraction of the time and memory of loading all;
- a writer keeps the records it does not touch as ``Raw`` spans and ``assemble``
  copies their text back verbatim around the records it changed, so adding one
  record to 100,000 never holds 100,000 parsed records.

Every reader returns ``None`` when the layout is not exactly that (a hand-edited
or foreign file); the caller then loads the catalogue the ordinary way, which
also reports any damage. This module knows bytes only; the file system is ``store``'s.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from catalogue.errors import CorruptStore, StoreError
from catalogue.model.record import Record

FORMAT = "socsopr-catalogue"
VERSION = 2  # the newest version read; written only by a catalogue with authorities
RECORDS_ONLY = 1  # the version of a catalogue without authorities
RECORDS = "records"
AUTHORITIES = "authorities"
DUMP_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS

HEAD = b'{\n  "format": "' + FORMAT.encode() + b'",\n  "' + RECORDS.encode() + b'": {'
TAIL = b'\n  },\n  "version": ' + str(RECORDS_ONLY).encode() + b"\n}\n"
EMPTY = HEAD + TAIL[3:]
AUTHORITIES_HEAD = b'{\n  "' + AUTHORITIES.encode() + b'": {'
AUTHORITIES_TAIL = b'\n  },\n  "format": "' + FORMAT.encode() + b'",\n  "' + RECORDS.encode() + b'": {'
TAIL_2 = b'\n  },\n  "version": ' + str(VERSION).encode() + b"\n}\n"
# bytes from which a file's records are worth remembering in the cache folder (``spans_cache``,
# ``store.memo``): below it, finding them again is quicker than reading what was remembered
LARGE_FILE = 1 << 21
# a record's old keys (``aliases``), as its field name is written: a text without it holds none
ALIASES_FIELD = b'"aliases"'
_KEY_START = b'\n    "'
_KEY_END = b'": {\n'
_RECORD_END = b"\n    }"


# --- writing ----------------------------------------------------------------------------


def dump_document(kind: str, body_field: str, body: Any, version: int = RECORDS_ONLY,
                  **more: Any) -> bytes:
    """Deterministic bytes of a versioned document: sorted keys, indent 2, UTF-8, final newline."""
    document = {"format": kind, body_field: body, "version": version, **more}
    return orjson.dumps(document, option=DUMP_OPTIONS) + b"\n"


def dump_records(records: Mapping[str, Record]) -> bytes:
    """The catalogue file's bytes for these records (and no authorities: version 1)."""
    return dump_document(FORMAT, RECORDS, dict(records))


def dump_catalogue(records: Mapping[str, Record], authorities: Mapping[str, Any]) -> bytes:
    """The catalogue file's bytes: version 1 without authorities, version 2 with them."""
    if not authorities:
        return dump_records(records)
    return dump_document(FORMAT, RECORDS, dict(records), VERSION, **{AUTHORITIES: dict(authorities)})


# --- reading a whole file ------------------------------------------------------------


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large acyclic JSON tree is built.

    Parsing creates hundreds of thousands of dicts and lists, and each batch of
    them triggers a collection that walks everything built so far: more than
    half the load time of a 100,000-record catalogue. JSON data holds no cycles,
    so nothing is lost by pausing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_document(path: Path, data: bytes, kind: str, body_field: str) -> Any:
    """The body of a versioned document, or ``CorruptStore`` saying what is wrong with it."""
    try:
        with collector_paused():
            document = orjson.loads(data)
    except MemoryError:
        raise StoreError(path, "is too large to read into this machine's memory; the file was left "
                         "untouched") from None
    except orjson.JSONDecodeError as exc:
        if "memory" in str(exc).lower():  # orjson reports a failed allocation as a decode error
            raise StoreError(path, "is too large to read into this machine's memory; the file was left "
                             "untouched") from None
        raise CorruptStore(
            path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}); "
            "the file was left untouched, so repair it or restore it from a backup"
        ) from None
    if not isinstance(document, dict) or document.get("format") != kind:
        raise CorruptStore(path, f"is not a {kind} file; the file was left untouched")
    version = document.get("version")
    if type(version) is not int or version < 1:  # not bool: "version": true is no version
        raise CorruptStore(path, "has no valid format version; the file was left untouched")
    if version > VERSION:
        raise CorruptStore(
            path, f"was written by a newer socsopr (format version {version}, this one reads "
            f"{VERSION}); upgrade socsopr to use it"
        )
    return document.get(body_field)


def parse_records(path: Path, data: bytes, *, strict: bool = False) -> dict[str, Record]:
    """Records by key from the catalogue file's bytes; refuses anything that is not ours.

    ``strict`` (a file not in the canonical layout: edited by hand, merged by git)
    also refuses a key given twice — a JSON parser would silently keep the last —
    and a record whose ``id`` is not its key, naming each one.
    """
    if strict:
        _refuse_duplicate_keys(path, data)
    records = load_document(path, data, FORMAT, RECORDS)
    if not isinstance(records, dict) or not all(isinstance(r, dict) for r in records.values()):
        raise CorruptStore(path, "has no valid 'records' object; the file was left untouched")
    if strict:
        wrong = [key for key, record in records.items() if record.get("id") != key]
        if wrong:
            shown = ", ".join(repr(k) for k in wrong[:5]) + (" …" if len(wrong) > 5 else "")
            raise CorruptStore(
                path, f"has {len(wrong)} record{'s' if len(wrong) != 1 else ''} whose id is not the key it "
                f"is stored under ({shown}); the file was left untouched, so make each id equal its key"
            )
    return records


def _refuse_duplicate_keys(path: Path, data: bytes) -> None:
    """``CorruptStore`` naming the keys that some JSON object of the file gives twice."""
    import json

    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _value in items:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        return dict(items)

    try:
        with collector_paused():
            json.loads(data, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return  # not JSON: load_document says so with the line and column
    if repeated:
        shown = ", ".join(repr(k) for k in dict.fromkeys(repeated)) if len(repeated) <= 5 else (
            ", ".join(repr(k) for k in list(dict.fromkeys(repeated))[:5]) + " …")
        raise CorruptStore(
            path, f"gives the same key twice ({shown}), so one of the two would be lost; the file was left "
            "untouched: keep one of each (a git merge may have joined two versions)"
        )


# --- the map of a file ------------------------------------------------------------------


Raw = tuple[int, int, int]
"""A record still in the file's text: ``(start, body, end)`` offsets in the file's bytes of its
segment (the line break before the key), its opening brace, and the end of its closing brace.
A plain tuple (a record is always a dict), because a file holds 100,000 of them."""


class Frame(NamedTuple):
    """Where the tables of a file in the canonical layout lie (offsets into its bytes)."""

    authorities: int  # the end of the authorities table's text (its closing brace); 0 without one
    records: int  # just after the records' opening brace
    stop: int  # where the tail begins (the line break before the records' closing brace)
    tail: bytes  # the tail: version 1 or 2

    @property
    def empty(self) -> bool:
        """No records (the records' braces are written ``{}``)."""
        return self.records == self.stop + 3


def frame(data: bytes) -> Frame | None:
    """The tables of a file in the canonical layout; ``None`` for any other layout."""
    if data.endswith(TAIL) or data == EMPTY:
        if not data.startswith(HEAD):
            return None
        authorities, records, tail = 0, len(HEAD), TAIL
    elif data.endswith(TAIL_2) or data.endswith(b"{" + TAIL_2[3:]):
        if not data.startswith(AUTHORITIES_HEAD) or data.startswith(b"}", len(AUTHORITIES_HEAD)):
            return None
        # everything inside the table is indented further, and JSON strings hold no line break:
        # the first line break followed by two spaces and a brace closes the table
        end = data.find(AUTHORITIES_TAIL, len(AUTHORITIES_HEAD))
        if end < 0:
            return None
        authorities, records, tail = end + 4, end + len(AUTHORITIES_TAIL), TAIL_2
    else:
        return None
    stop = len(data) - len(tail)
    if records > stop and not (records == stop + 3 and data[records:] == tail[3:]):
        return None
    return Frame(authorities, records, stop, tail)


def scan(data: bytes) -> dict[str, Raw] | None:
    """Every record's place in a file in the canonical layout, by key; ``None`` for any other layout.

    Each record must follow the one before it after exactly a comma, the first the
    head and the last the tail, with keys in strictly increasing order (the order
    the store writes). Records are located, not parsed: see ``parse``.
    """
    if data == EMPTY:
        return {}
    where = frame(data)
    if where is None:
        return None
    if where.empty:
        return {}
    find, startswith = data.find, data.startswith
    stop = where.stop
    spans: dict[str, Raw] = {}
    previous = ""
    pos = where.records
    # lengths and the comma's byte as locals: this loop runs once per record of the file
    key_start, key_end, record_end, comma = len(_KEY_START), len(_KEY_END), len(_RECORD_END), ord(",")
    while True:
        if not startswith(_KEY_START, pos):
            return None
        colon = find(_KEY_END, pos + key_start)
        if colon < 0:
            return None
        text = data[pos + key_start:colon]
        if text.isalnum():  # the keys socsopr makes: no JSON escapes possible
            key = text.decode("ascii")
        else:
            try:
                key = orjson.loads(data[pos + key_start - 1:colon + 1])
            except orjson.JSONDecodeError:
                return None
            if not isinstance(key, str):
                return None
        if key <= previous:
            return None
        end = find(_RECORD_END, colon)
        if end < 0:
            return None
        end += record_end
        spans[key] = (pos, colon + key_end - 2, end)
        previous = key
        if end == stop:
            return spans
        if data[end] != comma:
            return None
        pos = end + 1


def parse_authorities(path: Path, data: bytes) -> dict[str, Any]:
    """The authorities table of a catalogue file, by id, each checked; ``CorruptStore`` naming the damage.

    A canonical file's table is cut out and parsed alone; any other file is parsed whole.
    """
    where = frame(data)
    if where is not None:
        return authorities_table(path, data, where.authorities) if where.authorities else {}
    table = load_document(path, data, FORMAT, AUTHORITIES)
    return _checked_authorities(path, {} if table is None else table)


def authorities_table(path: Path, head: bytes, end: int) -> dict[str, Any]:
    """The authorities table of a canonical file from its first bytes (``end``: where the table's text
    ends, see ``Frame``), checked."""
    try:
        table = orjson.loads(head[len(AUTHORITIES_HEAD) - 1:end])
    except orjson.JSONDecodeError as exc:
        line = head.count(b"\n", 0, len(AUTHORITIES_HEAD)) + exc.lineno
        raise CorruptStore(path, f"has a damaged authorities table (not valid JSON at line {line}); "
                           "the file was left untouched") from None
    return _checked_authorities(path, table)


def _checked_authorities(path: Path, table: Any) -> dict[str, Any]:
    from catalogue.model.authority import problems

    if not isinstance(table, dict):
        raise CorruptStore(path, "has a damaged authorities table (not an object of authorities by id); "
                           "the file was left untouched")
    for key, authority in table.items():
        found = problems(authority, key)
        if found:
            raise CorruptStore(path, f"has a damaged authority {key!r} in its authorities table "
                               f"({found[0]}); the file was left untouched, so correct it by hand or "
                               "restore the file")
    return dict(sorted(table.items()))


def parse(path: Path, data: bytes, key: str, raw: Raw) -> Record:
    """The record at ``raw``, checked to be an object whose id is its key; else ``CorruptStore``."""
    _start, body, end = raw
    try:
        record = orjson.loads(data[body:end])
    except orjson.JSONDecodeError:
        record = None
    if not isinstance(record, dict) or record.get("id") != key:
        line = data.count(b"\n", 0, body) + 1
        why = f": the record under the key {key!r} has the id {repr(record.get('id'))[:80]}" if isinstance(
            record, dict) else ""
        raise CorruptStore(path, f"has a damaged record at line {line}{why}; the file was left untouched")
    return record


def assemble(data: bytes, records: Mapping[str, Record | Raw],
             authorities: Mapping[str, Any] | None = None,
             spans: dict[str, Raw] | None = None) -> list[bytes | memoryview]:
    """The pieces of the file holding ``records`` (and ``authorities``): ``Raw`` records copied from
    ``data``, the rest dumped.

    The pieces joined are byte for byte what ``dump_catalogue`` gives for the same
    records parsed, without parsing or copying the untouched ones: a run of
    records that still follow each other in ``data`` is one piece. ``spans``, when
    given (and some record is copied), receives every record's span in the new file,
    as ``scan`` of it would give them.
    """
    authorities = authorities or {}
    parsed = {key: value for key, value in records.items() if not isinstance(value, tuple)}
    if len(parsed) == len(records):
        return [dump_catalogue(parsed, authorities)]
    fresh = dump_catalogue(parsed, authorities)
    fresh_spans = scan(fresh)
    fresh_frame = frame(fresh)
    assert fresh_spans is not None and fresh_frame is not None, "the dumper writes the canonical layout"
    old, new = memoryview(data), memoryview(fresh)
    pieces: list[bytes | memoryview] = [new[:fresh_frame.records]]
    written = fresh_frame.records  # bytes in the pieces so far, the run being gathered not counted
    run_start = run_end = -1  # the run of consecutive untouched records being gathered
    for key in sorted(records):
        value = records[key]
        if isinstance(value, tuple):
            start, body, end = value
            if not (run_end >= 0 and start == run_end + 1):  # a run ends where a record does not follow
                if run_end >= 0:
                    pieces += (old[run_start:run_end], b",")
                    written += run_end - run_start + 1
                run_start = start
            run_end = end
            if spans is not None:
                shift = written - run_start
                spans[key] = (start + shift, body + shift, end + shift)
            continue
        if run_end >= 0:
            pieces += (old[run_start:run_end], b",")
            written += run_end - run_start + 1
            run_start = run_end = -1
        start, body, end = fresh_spans[key]
        pieces += (new[start:end], b",")
        if spans is not None:
            spans[key] = (written, written + body - start, written + end - start)
        written += end - start + 1
    if run_end >= 0:
        pieces += (old[run_start:run_end], b",")
    pieces[-1] = fresh_frame.tail
    return pieces


# --- readers for commands that do not change the catalogue -----------------------------


def read_record(data: bytes, key: str) -> Record | None:
    """The record with exactly this key, parsed alone; ``None`` if not certain."""
    where = frame(data)
    if where is None:
        return None
    needle = b"\n    " + orjson.dumps(key) + b": {\n"
    start = data.find(needle, where.records - 1)
    if start < 0:
        return None
    body = data.index(b"{", start + 4)
    end = data.find(_RECORD_END, body)
    if end < 0:
        return None
    # A key given twice (two versions joined by a merge sit side by side, the keys being sorted): the
    # full load names it. Only the neighbours are looked at, so one record costs one record's read;
    # any other layout fault is found by the commands that map the whole file.
    after = end + len(_RECORD_END)
    previous = data.rfind(_KEY_START, where.records - 1, start)
    if data.startswith(b"," + needle, after) or (
        previous >= 0 and data.startswith(needle, previous) and previous != start
    ):
        return None
    try:
        record = orjson.loads(data[body:end + len(_RECORD_END)])
    except orjson.JSONDecodeError:
        return None
    return record if isinstance(record, dict) and record.get("id") == key else None


def iter_records(path: Path, data: bytes) -> Iterator[Record] | None:
    """Every record in key order, parsed one at a time; ``None`` unless the layout is canonical.

    The whole layout is checked before the first record is returned; a record
    that then fails to parse, or whose id is not its key, is ``CorruptStore``.
    """
    spans = scan(data)
    if spans is None:
        return None
    return (parse(path, data, key, raw) for key, raw in spans.items())
