"""The file system under the catalogue: where files live, reading them, replacing them atomically, locking.

Kept apart from ``store`` (TinyDB) so that commands which only read a file
(``show``, ``list``, ``search``) do not import TinyDB at all.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from catalogue.errors import StoreError, StoreLocked

DEFAULT_LOCK_TIMEOUT = 30.0


def default_path() -> Path:
    """Where the catalogue lives when neither ``--db`` nor ``SOCSOPR_DB`` says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("socsopr") / "catalogue.json"


def lock_path(path: Path) -> Path:
    """The separate file locked around every change (never the data file itself)."""
    return path.with_name(path.name + ".lock")


def atomic_write(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces written in turn) so that a reader sees
    the old file or the new, never half.

    A failure (disk full, no permission) is ``StoreError`` and leaves the old file as it was.
    """
    try:
        _replace_atomically(path, data)
    except OSError as exc:
        raise StoreError(
            path, f"cannot be written ({exc.strerror or exc}); it was left as it was"
        ) from None


def _replace_atomically(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as tmp:
            if isinstance(data, bytes):
                tmp.write(data)
            else:
                tmp.writelines(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)


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
        raise StoreError(path, "does not exist; create it with 'socsopr init'") from None
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


@contextlib.contextmanager
def locked(path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock of the catalogue at ``path``; wait at most ``timeout`` seconds.

    The lock is the operating system's advisory lock on a separate file
    (``NAME.lock``, never the data file, which ``os.replace`` swaps for a new
    inode): ``flock`` on POSIX, ``msvcrt.locking`` on Windows. The system
    releases it when the process ends, however it ends, so a killed writer
    never leaves a stale lock behind.
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
        _acquire(fd, timeout, path, lock_file)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):  # closing the file releases it in any case
                _unlock(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, timeout: float, path: Path, lock_file: Path) -> None:
    deadline = time.monotonic() + timeout
    pause = 0.005
    try:
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise StoreLocked(
                    path, f"is locked by another socsopr process (lock file {lock_file}); "
                    f"waited {timeout:g} s, try again when it has finished"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
    except OSError as exc:
        raise StoreError(path, f"cannot be locked ({exc.strerror or exc})") from None


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
