"""The kill test (issue #11): real ``socsopr`` writers killed (SIGKILL) or interrupted (SIGINT) at random
moments of add, edit, import and undo on a padded catalogue. After every round the file parses, its
history agrees with it exactly, no temporary file is left by an interrupted writer, and whatever an
interrupted writer said was true. ``tests/benchmarks/kill_rounds.py`` runs the same rounds N times.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from catalogue import Catalogue
from catalogue.errors import NothingToUndo
from catalogue.model.validation import validate
from catalogue.store.history import history_path
from catalogue.store.session import init_catalogue
from tests.conftest import process_argv

OPERATIONS = ("add", "edit", "import", "undo")


@dataclass
class Tally:
    """What the rounds saw: where the signals landed, and how long it all took."""

    landed: Counter[str] = field(default_factory=Counter)  # before / during / after the write
    signals: Counter[str] = field(default_factory=Counter)
    messages: Counter[str] = field(default_factory=Counter)
    kill_debris: int = 0  # temp files a SIGKILL left between writing and replacing
    chains: Counter[str] = field(default_factory=Counter)  # whole-history undos: to the padding or not
    rounds: int = 0
    seconds: float = 0.0


def pad(path: Path, records: int) -> None:
    """An empty catalogue with ``records`` records of padding saved as one change."""
    init_catalogue(path, empty=True)
    with Catalogue.open(path, writable=True) as cat:
        cat.add_many({"id": f"pad{i:05d}", "type": "book", "title": f"Padding {i}", "note": "p" * 200,
                      "issued": {"date-parts": [[1990 + i % 30]]}} for i in range(records))
        cat.save("padding")


def argv(operation: str, n: int, folder: Path) -> list[str]:
    if operation == "add":
        return list(process_argv("add", "--title", f"Killed add {n}", "--year", "2005", "--key", f"kill{n}"))
    if operation == "edit":
        return list(process_argv("edit", f"pad{n % 50:05d}", "--set", f"note=edited in round {n}"))
    if operation == "import":
        bib = folder.parent / f"round{n}.bib"
        bib.write_text(
            f"@book{{imp{n}a, title = {{Imported A {n}}}, year = {{2006}}, author = {{Ivanov, Ivan}}}}\n"
            f"@book{{imp{n}b, title = {{Imported B {n}}}, year = {{2007}}, author = {{Petrov, Petr}}}}\n",
            encoding="utf-8",
        )
        return list(process_argv("import", str(bib)))
    return list(process_argv("undo", "--yes"))


def temp_files(folder: Path, db: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{db.name}.") and p.name.endswith(".tmp")]


def check_history_matches(db: Path) -> None:
    """The file parses, every record is valid, and the newest change left exactly what the file holds."""
    with Catalogue.open(db) as cat:
        records = {r["id"]: r for r in cat.records()}
        history = cat.history()
        status = cat.history_status()
    assert all(validate(r) == [] for r in records.values())
    assert not status.detached, "the history names no state of the file"
    if history:
        newest = history[0]
        for key, record in newest.after.items():
            assert records.get(key) == record, f"change #{newest.number} left {key} otherwise"


def check_undo_chain(db: Path, scratch: Path, padding: int) -> bool:
    """Undo every change in turn in a copy of the folder: never a conflict; down to the padding when
    no change was dropped by the size policy (True then)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(db.parent, scratch, ignore=shutil.ignore_patterns("*.tmp", "*.lock"))
    copy = scratch / db.name
    reached_padding = False
    with Catalogue.open(copy, writable=True) as cat:
        while True:
            try:
                if cat.undoable().command == "padding":
                    reached_padding = True
                    break
                cat.undo()
            except NothingToUndo:
                break
        keys = cat.keys()
        dropped = cat.history_status().dropped  # the undo lines count too: older changes may go
    if not dropped and not reached_padding:  # the rounds' own undos took the padding back too
        assert keys == []
        return False
    if not dropped:  # the whole history was kept: back to the padding itself
        assert keys == [f"pad{i:05d}" for i in range(padding)]
        with Catalogue.open(copy) as cat:
            assert all(r.get("note") == "p" * 200 for r in cat.records())
        return True
    return False


def kill_round(db: Path, n: int, rng: random.Random, durations: dict[str, float], tally: Tally) -> None:
    """One round: start a writer, signal it after a random delay, check what it left and said."""
    folder = db.parent
    operation = rng.choice(OPERATIONS)
    sig = rng.choice((signal.SIGKILL, signal.SIGINT))
    before = db.read_bytes()
    journal_before = history_path(db).read_bytes()
    took = durations[operation]
    # most signals aimed at the end of the run, where the writing is; some anywhere
    delay = rng.uniform(0.55, 1.05) * took if rng.random() < 0.75 else rng.uniform(0.0, 1.0) * took
    proc = subprocess.Popen(argv(operation, n, folder), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "SOCSOPR_DB": str(db)})
    time.sleep(delay)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    after = db.read_bytes()
    debris = temp_files(folder, db)
    changed = after != before
    if changed:
        tally.landed["after the write"] += 1
    elif debris or history_path(db).read_bytes() != journal_before:
        tally.landed["during the write"] += 1  # journal appended or temp file written, file not replaced
    else:
        tally.landed["before the write"] += 1
    tally.signals[f"{sig.name} {operation}"] += 1
    if sig == signal.SIGINT and proc.returncode < 0:  # died of a signal (Python's start-up, a crash)
        tally.messages[f"exit {proc.returncode}, temp files {len(debris)}"] += 1
        tally.kill_debris += len(debris)
        for leftover in debris:
            leftover.unlink()
    elif sig == signal.SIGINT:
        assert not debris, f"an interrupted writer left {debris} (exit {proc.returncode}: {err!r})"
        if "nothing was written" in err:
            assert not changed, f"round {n}: said nothing was written, yet the file changed"
            tally.messages["nothing was written"] += 1
        elif "after the change was saved" in err:
            assert changed, f"round {n}: said the change was saved, yet the file is as before"
            tally.messages["saved"] += 1
        else:
            tally.messages[f"exit {proc.returncode}, no claim"] += 1
        if changed:
            assert "nothing was written" not in err
    else:
        tally.kill_debris += len(debris)
        for leftover in debris:  # a killed process cannot clean up after itself
            leftover.unlink()
    check_history_matches(db)
    tally.rounds += 1


def measure(db: Path) -> dict[str, float]:
    """How long each operation takes when left alone (its effect is undone where it matters)."""
    durations = {}
    for operation in OPERATIONS:
        start = time.monotonic()
        done = subprocess.run(argv(operation, 10**6 + len(durations), db.parent), capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, env={**os.environ, "SOCSOPR_DB": str(db)},
                              timeout=120)
        durations[operation] = time.monotonic() - start
        assert done.returncode == 0, done.stderr
    return durations


def kill_rounds(workdir: Path, rounds: int, *, padding: int, seed: int, chain_every: int = 0) -> Tally:
    folder = workdir / "catalogue"
    folder.mkdir(parents=True)
    db = folder / "catalogue.json"
    pad(db, padding)
    durations = measure(db)
    rng = random.Random(seed)
    tally = Tally()
    start = time.monotonic()
    for n in range(rounds):
        kill_round(db, n, rng, durations, tally)
        if chain_every and (n + 1) % chain_every == 0:
            tally.chains["to the padding" if check_undo_chain(db, workdir / "copy", padding) else "dropped"] += 1
    tally.chains["to the padding" if check_undo_chain(db, workdir / "copy", padding) else "dropped"] += 1
    tally.seconds = time.monotonic() - start
    return tally


ROUNDS = int(os.environ.get("SOCSOPR_KILL_ROUNDS", "200"))
PADDING = 1500


@pytest.mark.slow
def test_writers_killed_at_random_moments_leave_a_file_and_history_that_agree(tmp_path: Path) -> None:
    tally = kill_rounds(tmp_path, ROUNDS, padding=PADDING, seed=1917, chain_every=40)
    print(f"\nkill test: {tally.rounds} rounds in {tally.seconds:.1f} s; landed {dict(tally.landed)}; "
          f"messages {dict(tally.messages)}; temp files left by SIGKILL {tally.kill_debris}; "
          f"undo chains {dict(tally.chains)}")
    assert tally.rounds == ROUNDS
    # the test proved something only if signals landed on every side of the write
    assert tally.landed["after the write"] and tally.landed["before the write"]
    assert tally.landed["during the write"] >= 1, tally.landed
    assert tally.chains["to the padding"] >= 1, tally.chains
