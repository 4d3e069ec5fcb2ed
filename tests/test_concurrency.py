"""Real processes against one catalogue: parallel adds all land; SIGKILL never leaves a broken file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import process_argv

from catalogue import Catalogue
from catalogue.model.validation import validate

pytestmark = pytest.mark.slow


def test_twenty_parallel_adds_all_land(db_path: Path) -> None:
    Catalogue.open(db_path).close()  # seed first, so the processes race only on adding
    env = {**os.environ, "SOCSOPR_DB": str(db_path), "SOCSOPR_LOCK_TIMEOUT": "120"}
    processes = [
        subprocess.Popen(
            [*process_argv("add"), "--title", f"Parallel brochure {i}", "--year", "2010", "--pages", "12"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        )
        for i in range(20)
    ]
    keys = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        keys.append(out.strip())
    assert len(set(keys)) == 20
    with Catalogue.open(db_path) as cat:
        assert len(cat) == 39
        assert all(k in cat for k in keys)
        assert all(validate(r) == [] for r in cat.records())
        assert len(cat.history()) == 20


WRITER = textwrap.dedent("""
    import sys
    from catalogue import Catalogue
    path, start = sys.argv[1], int(sys.argv[2])
    for i in range(start, 100):
        with Catalogue.open(path, writable=True) as cat:
            cat.add({"id": f"zz-kill-{i:03d}", "type": "pamphlet", "title": f"Brochure {i}"})
            cat.save(f"add zz-kill-{i:03d}")
        print(i, flush=True)
""")


PADDING = 2000  # a bigger file makes each save take long enough for kills to land mid-write


def committed_count(path: Path) -> int:
    """How many of the writer's adds the file holds; fails unless it is exactly a committed state."""
    document = json.loads(path.read_bytes())
    records = document["records"]
    assert all(validate(r) == [] for r in records.values())
    ours = sorted(k for k in records if k.startswith("zz-kill-"))
    n = len(ours)
    assert ours == [f"zz-kill-{i:03d}" for i in range(n)], "the file holds a state no commit produced"
    assert len(records) == 19 + PADDING + n
    return n


def test_sigkill_during_100_adds_always_leaves_a_committed_state(db_path: Path, tmp_path: Path) -> None:
    with Catalogue.open(db_path, writable=True) as cat:
        cat.add_many({"id": f"pad-{i:04d}", "type": "book", "title": f"Padding {i}", "note": "n" * 400}
                     for i in range(PADDING))
        cat.save("padding")
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rng = random.Random(20260401)
    done = 0
    kills = 0
    deadline = time.monotonic() + 120
    while done < 100 and time.monotonic() < deadline:
        writer = subprocess.Popen(
            [sys.executable, str(script), str(db_path), str(done)], stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent,
        )
        time.sleep(rng.uniform(0.05, 0.6))
        if writer.poll() is None:
            writer.send_signal(signal.SIGKILL)
            kills += 1
        writer.wait(timeout=30)
        count = committed_count(db_path)
        assert count >= done
        done = count
    assert done == 100 and kills >= 3
    # the history survived too: undo takes back the last add (dropping an entry a kill left unfinished)
    with Catalogue.open(db_path, writable=True) as cat:
        cat.undo()
    assert committed_count(db_path) == 99
