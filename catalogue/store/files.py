"""The file system under the catalogue: where files live, reading them, replacing them atomically, locking.

Kept apart from ``store`` (TinyDB) so that commands which only read a file
(``show``, ``list``, ``search``) do not import TinyDB at all.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from catalogue.errors import StoreError, StoreLocked, StoreMissing

DEFAULT_LOCK_TIMEOUT = 30.0


def real_path(path: Path) -> Path:
    """The file a path names, symbolic links followed: what is written, locked and given a history.

    Writing through a link would replace the link with a private copy (the real
    file never getting the change), and two names of one file would not exclude
    each other.
    """
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: used as given, and refused when opened
        return path.absolute()


def check_writable(path: Path) -> None:
    """``StoreError`` unless the file at ``path`` may be replaced by a new version.

    Refused: a file without write permission (checked on the file's own mode
    too, since ``os.replace`` needs only the folder's), and a file with several
    hard links, which a replacement would split in two.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(path, f"cannot be used ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(path, "is a folder, not a catalogue file")
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise StoreError(path, "is read-only; nothing was written (make it writable to change it)")
    if st.st_nlink > 1:
        raise StoreError(
            path, f"has {st.st_nlink} hard links; writing would split them, so nothing was written "
            "(keep one name for the file, or use a symbolic link)"
        )


def cache_file(cache_dir: Path, catalogue: Path, prefix: str, suffix: str) -> Path:
    """Where something derived from the catalogue file at ``catalogue`` is kept in ``cache_dir``.

    One name per catalogue path: a 64-bit checksum of the path (zlib's, not hashlib's:
    importing hashlib loads OpenSSL, a noticeable share of a search's start-up). Two paths
    that collided would only take turns remaking the file: what is kept names its source in full.
    """
    import zlib

    path = str(catalogue.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir / f"{prefix}-{zlib.crc32(path):08x}{zlib.adler32(path):08x}{suffix}"


def lock_path(path: Path) -> Path:
    """The separate file locked around every change (never the data file itself)."""
    return path.with_name(path.name + ".lock")


def atomic_write(
    path: Path, data: bytes | Iterable[bytes | memoryview], *, on_replaced: Callable[[], None] | None = None,
    durable: bool = True,
) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces written in turn) so that a reader sees
    the old file or the new, never half.

    A failure (disk full, no permission) is ``StoreError`` and leaves the old file
    as it was, with no temporary file behind. ``on_replaced`` runs right after the
    new file takes the old one's place, with Ctrl-C held back until it has run,
    so a caller always knows whether the replacement happened. Not ``durable``
    (a cache that can be made again): nothing is forced to the disk, so after a
    power cut the file may be the old one, or empty, but a reader never sees half.
    """
    try:
        _replace_atomically(path, data, on_replaced, durable)
    except OSError as exc:
        raise StoreError(
            path, f"cannot be written ({exc.strerror or exc}); it was left as it was"
        ) from None


def _replace_atomically(
    path: Path, data: bytes | Iterable[bytes | memoryview], on_replaced: Callable[[], None] | None,
    durable: bool = True,
) -> None:
    import tempfile

    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp_name = ""
    try:
        with interrupts_held():  # Ctrl-C between creating the temp file and naming it would leak it
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as tmp:
            if isinstance(data, bytes):
                tmp.write(data)
            else:
                tmp.writelines(data)
            tmp.flush()
            if durable:
                os.fsync(tmp.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with interrupts_held():
            os.replace(tmp_name, path)
            if on_replaced is not None:
                on_replaced()
    except BaseException:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise
    if durable:
        _fsync_folder(folder)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold back SIGINT (Ctrl-C) for the duration: it is delivered, as ``KeyboardInterrupt``, after."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # folders cannot be opened on some systems; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_for_reading(path: Path) -> BinaryIO:
    """The catalogue file opened for reading, or ``StoreError`` saying why it cannot be."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise StoreMissing(path) from None
    except IsADirectoryError:
        raise StoreError(path, "is a folder, not a catalogue file") from None
    except OSError as exc:
        raise StoreError(path, f"cannot be read ({exc.strerror})") from None


def read_bytes(path: Path) -> bytes:
    """The whole catalogue file, or ``StoreError`` saying why it cannot be read."""
    with open_for_reading(path) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise StoreError(path, f"cannot be read ({exc.strerror})") from None


class LockWait(NamedTuple):
    """What a writer waiting for the lock knows: who holds it and for how much longer it waits."""

    holder: str  # "process 1234 (socsopr add)", or "" when the holder did not say
    waited: float
    remaining: float


@contextlib.contextmanager
def locked(
    path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT, *, on_wait: Callable[[LockWait], None] | None = None,
    holder: str = "",
) -> Iterator[None]:
    """Hold the exclusive lock of the catalogue at ``path``; wait at most ``timeout`` seconds.

    The lock is the operating system's advisory lock on a separate file
    (``NAME.lock``, never the data file, which ``os.replace`` swaps for a new
    inode): ``flock`` on POSIX, ``msvcrt.locking`` on Windows. The system
    releases it when the process ends, however it ends, so a killed writer
    never leaves a stale lock behind. The holder writes its process id and
    ``holder`` into the lock file; after a second of waiting, ``on_wait`` is
    called a few times a second with that and the time left.
    """
    lock_file = lock_path(path)
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            path, f"cannot be used: its folder cannot be created ({exc.strerror or exc})"
        ) from None
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            path, f"cannot be locked: the lock file {lock_file} cannot be created ({exc.strerror or exc})"
        ) from None
    try:
        _acquire(fd, timeout, path, lock_file, on_wait)
        with contextlib.suppress(OSError):  # who holds it, for a writer that waits
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {holder}".strip().encode("utf-8", "replace")[:200] + b"\n", 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):  # closing the file releases it in any case
                os.ftruncate(fd, 0)
                _unlock(fd)
    finally:
        os.close(fd)


def _acquire(
    fd: int, timeout: float, path: Path, lock_file: Path, on_wait: Callable[[LockWait], None] | None
) -> None:
    start = time.monotonic()
    deadline = start + timeout
    pause = 0.005
    told = start + 1.0
    try:
        while not _try_lock(fd):
            now = time.monotonic()
            holder = _holder(lock_file) if on_wait is not None or now >= deadline else ""
            if now >= deadline:
                who = f" by {holder}" if holder else " by another socsopr process"
                raise StoreLocked(
                    path, f"is locked{who} (lock file {lock_file}); waited {timeout:g} s, "
                    "try again when it has finished"
                )
            if on_wait is not None and now >= told:
                on_wait(LockWait(holder, now - start, deadline - now))
                told = now + 0.25
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
    except OSError as exc:
        raise StoreError(path, f"cannot be locked ({exc.strerror or exc})") from None


def _holder(lock_file: Path) -> str:
    """``process 1234 (socsopr add)`` from what the holder wrote into the lock file, or ``""``."""
    try:
        text = lock_file.read_bytes()[:200].decode("utf-8", "replace").strip()
    except OSError:
        return ""
    pid, _, what = text.partition(" ")
    if not pid.isdigit():
        return ""
    return f"process {pid}" + (f" ({what})" if what else "")


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
