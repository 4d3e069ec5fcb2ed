"""One whole process timed for the benchmark scripts: its seconds, exit code and peak memory, killed
(with its process group) after a time limit. What it prints is handed to a reader as it comes."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, NamedTuple, TypeVar

T = TypeVar("T")


class Finished(NamedTuple):
    seconds: float
    code: int
    peak_kib: int
    timed_out: bool


def run_limited(argv: list[str], env: dict[str, str], timeout: float, read: Callable[[IO[bytes]], T],
                cwd: Path | None = None) -> tuple[Finished, T]:
    """Run ``argv`` to its end, or kill its process group after ``timeout`` seconds; ``read`` takes its
    standard output (read before waiting: a full pipe would block the child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    expired = threading.Event()

    def kill() -> None:
        expired.set()
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    assert proc.stdout is not None
    out = read(proc.stdout)
    _pid, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Finished(time.perf_counter() - start, proc.returncode, usage.ru_maxrss, expired.is_set()), out
