"""The file system under the catalogue: where files live, reading them, replacing them atomically, locking.

Kept apart from ``store`` (TinyDB) so that commands which only read a file
(``show``, ``list``, ``search``) do not import TinyDB at all.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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
    """Hold the exclusive lock of the catalogue at ``path``; wait at most ``timeout`` seconds."""
    from filelock import FileLock, Timeout

    lock_file = lock_path(path)
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            path, f"cannot be used: its folder cannot be created ({exc.strerror or exc})"
        ) from None
    try:
        # filelock takes a lock file it may not create for one held by someone else and waits out
        # the timeout; find out at once whether it can be created at all.
        os.close(os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise StoreError(
            path, f"cannot be locked: the lock file {lock_file} cannot be created ({exc.strerror or exc})"
        ) from None
    try:
        lock = FileLock(str(lock_file), timeout=timeout)
        lock.acquire()
    except Timeout:
        raise StoreLocked(
            path, f"is locked by another socsopr process (lock file {lock_file}); "
            f"waited {timeout:g} s, try again when it has finished"
        ) from None
    except OSError as exc:
        raise StoreError(path, f"cannot be locked ({exc.strerror})") from None
    try:
        yield
    finally:
        lock.release()
