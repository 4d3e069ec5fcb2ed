"""Creating a catalogue file: from the shipped records on first use, or on purpose (``socsopr init``)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from catalogue.errors import StoreError, StoreExists
from catalogue.store import files, layout


def seed_if_missing(path: Path, lock_timeout: float, *, already_locked: bool) -> bool:
    """Create a missing catalogue from the shipped data; False if another process just did."""
    lock = contextlib.nullcontext() if already_locked else files.locked(path, lock_timeout)
    with lock:
        if path.exists():
            return False
        from catalogue.store.storage import shipped_catalogue_bytes

        data = shipped_catalogue_bytes()
        layout.parse_records(path, data)  # refuse to seed from a broken package
        files.atomic_write(path, data)
    return True


def init_catalogue(
    path: Path, *, empty: bool = False, force: bool = False,
    lock_timeout: float = files.DEFAULT_LOCK_TIMEOUT,
) -> Path | None:
    """Create a catalogue file: the shipped records, or none. Returns the backup of a replaced file.

    An existing file is refused (``StoreExists``) unless ``force``; then it is
    kept as ``<name>.bak`` (or ``.bak1``, ``.bak2`` …), written whole before the
    new file replaces it — a backup is complete or not there at all. Its
    history moves aside the same way.
    """
    from catalogue.store.history import history_path, legacy_history_path
    from catalogue.store.storage import shipped_catalogue_bytes

    real = files.real_path(Path(path))
    if real.is_dir():
        raise StoreError(path, "is a folder, not a catalogue file")
    with files.locked(real, lock_timeout):
        backup = None
        if real.exists():
            if not force:
                raise StoreExists(path)
            files.check_writable(real)
            backup = _free_backup_name(real)
            files.atomic_write(backup, files.read_bytes(real))
        data = layout.dump_records({}) if empty else shipped_catalogue_bytes()
        try:
            files.atomic_write(real, data)
        except StoreError:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
            raise
        for hist in (history_path(real), legacy_history_path(real)):
            if hist.exists():
                with contextlib.suppress(OSError):
                    os.replace(hist, _free_backup_name(hist))
    return backup


def _free_backup_name(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak{n}")
        n += 1
    return candidate
