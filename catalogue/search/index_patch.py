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
    from catalogue.store.memo import fingerprints as record_fingerprints

    spans = list(found.values())
    return record_fingerprints(data, spans), around(data, spans)


def around(data: bytes, spans: Sequence[Raw]) -> int:
    """The fingerprint of a file's bytes around its records (head, authorities table, tail)."""
    digest = xxhash.xxh3_64_intdigest
    if not spans:
        return digest(data)
    view = memoryview(data)
    return digest(bytes(view[:spans[0][0]]) + bytes(view[spans[-1][2]:]))


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


def known_changes(
    old_keys: Sequence[str], old_hashes: array[int], keys: Sequence[str], touched: Iterable[str],
    data: bytes, spans: Sequence[Raw],
) -> tuple[Changes, array[int]] | None:
    """``changes`` and the new file's fingerprints, when the writer of the new file (records ``keys`` at
    ``spans`` in ``data``) copied every record but the ``touched`` ones byte for byte from the very file
    the old index was built from: a kept record's fingerprint is its old one, and only the touched
    records are looked up and fingerprinted. ``None`` when too many changed, or when the two key lists
    less the touched keys differ (then what was said of the write is not so: ``changes`` decides)."""
    import numpy as np

    count = len(old_keys)
    touched = sorted(set(touched))
    gone = [i for key in touched if (i := _position(old_keys, key)) >= 0]
    added = [i for key in touched if (i := _position(keys, key)) >= 0]
    if len(added) + len(gone) > max(MIN_CHANGES, MAX_SHARE * max(count, len(keys))):
        return None
    if count - len(gone) != len(keys) - len(added) or _without(old_keys, gone) != _without(keys, added):
        return None
    kept_old = np.ones(count, dtype=bool)
    kept_old[gone] = False
    kept_new = np.ones(len(keys), dtype=bool)
    kept_new[added] = False
    new_of_old = np.full(count, -1, dtype=np.int64)
    new_of_old[kept_old] = np.flatnonzero(kept_new)
    old_of_new = np.empty(len(keys), dtype=np.int64)
    old_of_new[kept_new] = np.flatnonzero(kept_old)
    old_of_new[added] = count + np.arange(len(added))
    hashes = np.empty(len(keys), dtype=np.uint64)
    hashes[kept_new] = np.frombuffer(old_hashes, dtype=np.uint64)[kept_old]
    digest, view = xxhash.xxh3_64_intdigest, memoryview(data)
    hashes[added] = np.array([digest(view[spans[n][0]:spans[n][2]]) for n in added], dtype=np.uint64)
    out, prints = array("q"), array("Q")
    out.frombytes(new_of_old.tobytes())
    prints.frombytes(hashes.tobytes())
    return Changes(out, old_of_new.tolist(), added), prints


def _position(keys: Sequence[str], key: str) -> int:
    """Where ``key`` is in the sorted ``keys``; -1 when it is not there."""
    i = bisect_left(keys, key)
    return i if i < len(keys) and keys[i] == key else -1


def _without(keys: Sequence[str], positions: list[int]) -> list[str]:
    """``keys`` less those at the (rising) ``positions``."""
    out: list[str] = []
    at = 0
    for i in positions:
        out += keys[at:i]
        at = i + 1
    out += keys[at:]
    return out


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

    # the kept records' postings, renumbered (in each word they stay in rising order, since old and
    # new numbers rise together); a posting naming a record the index does not have is an IndexError
    postings = np.frombuffer(old.postings, dtype=np.uint32)
    old_starts = np.frombuffer(old.starts, dtype=np.uint64).astype(np.int64)
    counts = np.diff(old_starts)
    renumbered = np.frombuffer(found.new_of_old, dtype=np.int64).astype(np.int32)[postings >> RECORD_SHIFT]
    gone = renumbered < 0
    if gone.any():  # the gone records' postings leave their words
        left = np.flatnonzero(gone)
        counts -= np.bincount(np.searchsorted(old_starts, left, side="right") - 1, minlength=len(counts))
        kept = ~gone
        postings, renumbered = postings[kept], renumbered[kept]
    postings = (renumbered.astype(np.uint32) << RECORD_SHIFT) | (postings & _LOW)

    # the vocabulary with the new records' words merged in, and their postings put in place: in
    # each word by record number, a record's postings of one word in the order they were folded
    fresh = [w for w in added_vocab if not _has(old.vocab, w)]
    where = [bisect_left(old.vocab, w) for w in fresh]  # rising, as ``fresh`` is sorted
    vocab = _merged(old.vocab, fresh, where)
    counts = np.insert(counts, where, 0) if fresh else counts.copy()
    starts = np.concatenate(([0], np.cumsum(counts)))
    number = np.array(found.added, dtype=np.uint32)
    raw = np.frombuffer(added_postings, dtype=f"u{added_postings.itemsize}").astype(np.uint32)
    numbered = (number[raw >> RECORD_SHIFT] << RECORD_SHIFT) | (raw & _LOW)
    at: list[Any] = []
    for i, word in enumerate(added_vocab):
        w = bisect_left(vocab, word)
        mine = numbered[added_starts[i]:added_starts[i + 1]]
        segment = postings[starts[w]:starts[w + 1]] >> RECORD_SHIFT
        at.append(starts[w] + np.searchsorted(segment, mine >> RECORD_SHIFT))
        counts[w] += len(mine)
    if at:
        postings = np.insert(postings, np.concatenate(at), numbered)

    # words left with no posting (their records are gone) leave the vocabulary
    if not counts.all():
        vocab = [w for w, n in zip(vocab, counts.tolist(), strict=True) if n]
        counts = counts[counts > 0]
    out_starts = array("Q", [0])
    out_starts.frombytes(np.cumsum(counts, dtype=np.uint64).tobytes())
    out_postings = array("I")
    out_postings.frombytes(postings.astype(np.uint32).tobytes())

    years = array("i")
    years.frombytes(_years(np, old.years, found, parts.years, count))
    columns: dict[str, list[str]] = {"keys": list(keys)}
    for name in ("types", "languages", "tags"):
        extended = old.column(name) + parts.columns[name]
        columns[name] = list(map(extended.__getitem__, found.old_of_new))
    return Patched(count, vocab, out_starts, out_postings, years, columns)


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

