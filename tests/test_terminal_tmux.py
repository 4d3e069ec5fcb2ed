"""socsopr in a real terminal: tmux runs it at a given size and ``capture-pane`` reads the screen.

    python tests/test_terminal_tmux.py [DIR]   # prints (and saves in DIR) the screens of
                                               # 'socsopr list' at 60, 80, 120 and 200 columns

Each test starts a tmux server of its own (``-L``, a socket named after the
test's process) and kills only that server.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.cells import cell_len

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import socsopr_command

WIDTHS = (60, 80, 120, 200)


class Terminal:
    """One tmux session running one command, at a fixed size."""

    def __init__(self, socket: str, name: str) -> None:
        self.socket = socket
        self.name = name

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, seen: Callable[[str], bool], timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if seen(screen) or time.monotonic() > deadline:
                return screen
            time.sleep(0.05)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(("-l",) if literal else ()), *keys)


@contextmanager
def terminal(argv: list[str], width: int, height: int, env: dict[str, str]) -> Iterator[Terminal]:
    """``argv`` running in a fresh tmux server at ``width`` x ``height``; the pane stays after it exits."""
    socket = f"socsopr-test-{os.getpid()}-{time.monotonic_ns()}"
    term = Terminal(socket, "t")
    command = " ".join(shlex.quote(a) for a in argv) + "; echo '[exited '$?']'; sleep 600"
    settings = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
              *settings, command)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=30)


def environment() -> dict[str, str]:
    """What the command needs from the test's environment (tmux gives a session its server's)."""
    names = ("SOCSOPR_DB", "SOCSOPR_CACHE_DIR", "SOCSOPR_LOCK_TIMEOUT", "PATH", "HOME", "LANG", "LC_ALL")
    env = {name: os.environ[name] for name in names if name in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env["COLUMNS"] = ""  # the terminal's own width, not the test's fixed 200
    return env


def list_screen(width: int, env: dict[str, str]) -> tuple[str, str]:
    """The screen of 'socsopr list' at ``width`` columns (and the same run's stderr lines, which tmux
    shows on the same screen)."""
    with terminal([socsopr_command(), "list"], width, 60, env) as term:
        screen = term.wait_for(lambda s: "[exited " in s)
    return screen.split("[exited ")[0].rstrip("\n"), screen


@pytest.mark.tools("tmux")
@pytest.mark.parametrize("width", WIDTHS)
def test_list_fits_a_real_terminal(width: int) -> None:
    from catalogue import Catalogue

    Catalogue.open(Path(os.environ["SOCSOPR_DB"]), create=True).close()
    shown, screen = list_screen(width, environment())
    assert "[exited 0]" in screen, screen
    lines = shown.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    assert any(line.startswith("ovsyannikov2006why") for line in lines), shown
    if width < 100:  # one line per record, and the footer says what is not shown
        footer = " ".join(shown.split("One line per record", 1)[-1].split())
        assert "One line per record" in shown and "use --columns" in footer
        assert any("Why Socialism?" in line for line in lines)
    else:
        assert lines[0].startswith("Key") and "Title" in lines[0] and "Year" in lines[0]
        assert ("hidden" in shown) == (width < 200), shown


@pytest.mark.tools("tmux")
def test_browse_in_a_real_terminal(tmp_path: Path) -> None:
    from catalogue import Catalogue

    Catalogue.open(Path(os.environ["SOCSOPR_DB"]), create=True).close()
    with terminal([socsopr_command(), "browse"], 120, 30, environment()) as term:
        first = term.wait_for(lambda s: "19 records" in s)
        assert "19 records" in first, first
        term.keys("why socialism", literal=True)
        found = term.wait_for(lambda s: "1 match " in s and "ovsyannikov2006why" in s)
        assert "1 match " in found and "Why Socialism?" in found, found
        rows = [line for line in found.splitlines() if "ovsyannikov" in line]
        assert rows and "ovsyannikov2006why" in rows[0]
        term.keys("C-q")
        done = term.wait_for(lambda s: "[exited " in s)
        assert "[exited 0]" in done, done
    (tmp_path / "browse.txt").write_text(found, encoding="utf-8")


def main() -> None:
    """Print the screens of 'socsopr list' at every width (and save them in the folder given)."""
    import tempfile

    from catalogue import Catalogue

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as scratch:
        env = {**environment(), "SOCSOPR_DB": f"{scratch}/catalogue.json", "SOCSOPR_CACHE_DIR": scratch}
        Catalogue.open(Path(env["SOCSOPR_DB"]), create=True).close()
        for width in WIDTHS:
            shown, _ = list_screen(width, env)
            print(f"--- socsopr list at {width} columns\n{shown}\n")
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"list-{width}.txt").write_text(shown + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
