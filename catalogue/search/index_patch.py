"""Bringing an outdated index up to date with the records that changed, not rebuilding it.

An index of a catalogue file in the canonical layout keeps a fingerprint of each
record's bytes (XXH3-64 of its key and body) and of the bytes around the records
(the head, the authorities table, the tail).  When the file has changed since,
the new file is scanned, each record fingerprinted again, and the records are
sorted into three heaps: kept (same key, same bytes), gone, and new.  The
index's postings of kept records are renumbered (the file keeps records in key
order, so old and new numbers rise together), those of gone records dropped,
and the new records folded and merged in: the result is the very index a full
build of the new file makes (``tests/test_index_patch.py`` checks that against
random sequences of changes).

Nothing here trusts the history journal: a hand edit, a ``git pull``, an undo or
another process's import are all seen the same way, by their bytes.  A patch is
declined (and the index built afresh) when the authorities table changed (every
record that links to an authority is folded with its forms), when the records
are too many for the packed postings' 32-bit form, or when more than a tenth of
the records changed (a full build is then about as quick).

The arithmetic over millions of postings is numpy's (imported here alone, on the
first search after a change): the same loop in Python takes seconds at 100,000
records.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import xxhash

from catalogue.model.record import Record
from catalogue.search.index import RECORD_SHIFT, IndexParts

if TYPE_CHECKING:
    from catalogue.model.authority import AuthorityIndex

Raw = tuple[int, int, int]  # a record's start (its key's line), body start and end in the file
MIN_CHANGES = 64  # always patched when no more records than this changed...
MAX_SHARE = 0.1  # ...or no more than this share of the catalogue
_LOW = (1 << RECORD_SHIFT) - 1  # a posting's field and position
_WORD_SHIFT = 32


def fingerprints(data: bytes, found: Mapping[str, Raw]) -> tuple[array[int], int]:
    """Each record's fingerprint, in file order, and the fingerprint of everything around the records."""
    digest = xxhash.xxh3_64_intdigest
    view = memoryview(data)
    spans = list(found.values())
    hashes = array("Q", [digest(view[start:end]) for start, _body, end in spans])
    around = digest(bytes(view[:spans[0][0]]) + bytes(view[spans[-1][2]:])) if spans else digest(data)
    return hashes, around


class Old(NamedTuple):
    """The parts of the outdated index a patch reads."""

    records: int
    vocab: list[str]
    starts: array[int]
    postings: array[int]
    years: array[int]
    column: Callable[[str], list[str]]  # the keys, types, languages and tags columns, checked
    hashes: array[int]


class Patched(NamedTuple):
    records: int
    vocab: list[str]
    starts: array[int]
    postings: array[int]
    years: array[int]
    columns: dict[str, list[str]]


class Changes(NamedTuple):
    new_of_old: array[int]  # each old record's new number, -1 when it is gone or changed
    old_of_new: list[int]  # each new record's old number; count + i for the i-th added record
    added: list[int]  # new numbers of the records to fold


def changes(old_keys: Sequence[str], old_hashes: array[int], keys: Sequence[str],
            hashes: array[int]) -> Changes | None:
    """Which records were kept, by number in both files; ``None`` when too many changed for a patch.

    A record is kept when its key is in both files with the same fingerprint. Both key lists
    are sorted (the canonical layout's order), so each old key is looked up by bisection."""
    import numpy as np

    count = len(old_keys)
    if not keys or not count:
        new_of_old = np.full(count, -1, dtype=np.int64)
        kept = np.zeros(count, dtype=bool)
        at = np.zeros(count, dtype=np.int64)
    else:
        new, old = np.array(keys), np.array(old_keys)
        at = np.searchsorted(new, old)
        inside = np.minimum(at, len(keys) - 1)
        kept = (at < len(keys)) & (new[inside] == old) & (
            np.frombuffer(hashes, dtype=np.uint64)[inside] == np.frombuffer(old_hashes, dtype=np.uint64))
        new_of_old = np.where(kept, at, -1)
    old_of_new = np.full(len(keys), -1, dtype=np.int64)
    old_of_new[at[kept]] = np.flatnonzero(kept)
    added = np.flatnonzero(old_of_new < 0)
    old_of_new[added] = count + np.arange(len(added))
    gone = count - int(kept.sum())
    if len(added) + gone > max(MIN_CHANGES, MAX_SHARE * max(count, len(keys))):
        return None
    out = array("q")
    out.frombytes(new_of_old.astype(np.int64).tobytes())
    return Changes(out, old_of_new.tolist(), added.tolist())


def patch(old: Old, found: Changes, keys: list[str], records: Iterable[Record],
          names: AuthorityIndex | None) -> Patched | None:
    """The index of the new file: ``old`` renumbered, less the gone records, plus ``records``
    (the new file's records numbered ``found.added``, in that order). ``None``: build afresh."""
    import numpy as np

    count = len(keys)
    if old.postings.typecode != "I" or count >= 1 << (_WORD_SHIFT - RECORD_SHIFT):
        return None
    parts = IndexParts(names=names)
    for record in records:
        parts.add(record)
    if parts.count != len(found.added):
        return None
    added_vocab, added_starts, added_postings = parts.postings()

    # the kept records' postings, renumbered (in each word they stay in rising order)
    old_postings = np.frombuffer(old.postings, dtype=np.uint32).astype(np.uint64)
    counts = np.diff(np.frombuffer(old.starts, dtype=np.uint64)).astype(np.int64)
    word_of = np.repeat(np.arange(len(old.vocab), dtype=np.uint64), counts)
    renumbered = np.frombuffer(found.new_of_old, dtype=np.int64)[old_postings >> np.uint64(RECORD_SHIFT)]
    kept = renumbered >= 0
    low = old_postings[kept] & np.uint64(_LOW)
    postings = (renumbered[kept].astype(np.uint64) << np.uint64(RECORD_SHIFT)) | low
    word_of = word_of[kept]

    # the vocabulary with the new records' words merged in
    fresh = [w for w in added_vocab if not _has(old.vocab, w)]
    where = [bisect_left(old.vocab, w) for w in fresh]  # rising, as ``fresh`` is sorted
    vocab = _merged(old.vocab, fresh, where)
    shift = np.searchsorted(np.array(where, dtype=np.int64), np.arange(len(old.vocab)), side="right")
    old_ids = np.arange(len(old.vocab), dtype=np.uint64) + shift.astype(np.uint64)
    merged_keys = (old_ids[word_of] << np.uint64(_WORD_SHIFT)) | postings

    # the new records' postings, numbered in the new file, keyed by word the same way
    number = np.array(found.added, dtype=np.uint64)
    added_counts = np.diff(np.frombuffer(added_starts, dtype=np.uint64)).astype(np.int64)
    added_ids = np.array([bisect_left(vocab, w) for w in added_vocab], dtype=np.uint64)
    raw = np.frombuffer(added_postings, dtype=f"u{added_postings.itemsize}").astype(np.uint64)
    numbered = (number[raw >> np.uint64(RECORD_SHIFT)] << np.uint64(RECORD_SHIFT)) | (raw & np.uint64(_LOW))
    added_keys = (np.repeat(added_ids, added_counts) << np.uint64(_WORD_SHIFT)) | numbered
    # by word and record, each record's postings of a word left in the order it was folded (a full
    # build's order: a record's authority forms come after its tags, whose field number is higher)
    added_keys = added_keys[np.argsort(added_keys >> np.uint64(RECORD_SHIFT), kind="stable")]
    merged_keys = np.insert(merged_keys, np.searchsorted(merged_keys, added_keys), added_keys)

    # words left with no posting (their records are gone) leave the vocabulary
    per_word = np.bincount((merged_keys >> np.uint64(_WORD_SHIFT)).astype(np.int64), minlength=len(vocab))
    if not per_word.all():
        vocab = [w for w, n in zip(vocab, per_word.tolist(), strict=True) if n]
        per_word = per_word[per_word > 0]
    starts = array("Q", [0])
    starts.frombytes(np.cumsum(per_word, dtype=np.uint64).tobytes())
    out_postings = array("I")
    out_postings.frombytes((merged_keys & np.uint64(0xFFFFFFFF)).astype(np.uint32).tobytes())

    years = array("i")
    years.frombytes(_years(np, old.years, found, parts.years, count))
    columns: dict[str, list[str]] = {"keys": list(keys)}
    for name in ("types", "languages", "tags"):
        extended = old.column(name) + parts.columns[name]
        columns[name] = list(map(extended.__getitem__, found.old_of_new))
    return Patched(count, vocab, starts, out_postings, years, columns)


def _has(vocab: list[str], word: str) -> bool:
    i = bisect_left(vocab, word)
    return i < len(vocab) and vocab[i] == word


def _merged(vocab: list[str], fresh: list[str], where: list[int]) -> list[str]:
    """``vocab`` with ``fresh[i]`` inserted before ``vocab[where[i]]``, in one pass."""
    if not fresh:
        return vocab
    out: list[str] = []
    at = 0
    for word, i in zip(fresh, where, strict=True):
        out += vocab[at:i]
        out.append(word)
        at = i
    out += vocab[at:]
    return out


def _years(np: Any, old: array[int], found: Changes, added: array[int], count: int) -> bytes:
    """The first and last year of every record of the new file, from the old column and the new records."""
    pairs = np.frombuffer(old, dtype=np.int32).reshape(-1, 2)
    extended = np.concatenate((pairs, np.frombuffer(added, dtype=np.int32).reshape(-1, 2)))
    out: bytes = extended[np.array(found.old_of_new, dtype=np.int64)].tobytes() if count else b""
    return out

