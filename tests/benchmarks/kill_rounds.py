"""The long kill run: N rounds (default 1,000) of real writers killed or interrupted at random moments.

Run: python tests/benchmarks/kill_rounds.py [ROUNDS] [PADDING] [SEED]

Each round is the CI kill test's (tests/test_kill.py): add, edit, import or undo on a padded
catalogue, SIGKILL or SIGINT after a random delay, then the file, its history and what the writer
said are checked; every 50 rounds the whole history is undone in a copy. Prints where the signals
landed (before, during, after the write), the messages, and the time taken.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.test_kill import kill_rounds


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    padding = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with tempfile.TemporaryDirectory(prefix="socsopr-kill-") as work:
        tally = kill_rounds(Path(work), rounds, padding=padding, seed=seed, chain_every=50)
    print(f"{tally.rounds} rounds, padding {padding}, seed {seed}: {tally.seconds:.1f} s "
          f"({tally.seconds / max(tally.rounds, 1):.2f} s a round)")
    for what, counter in (("landed", tally.landed), ("signals", tally.signals), ("messages", tally.messages)):
        print(f"{what}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
    print(f"temp files left by SIGKILL: {tally.kill_debris}; undo chains: {dict(tally.chains)}")


if __name__ == "__main__":
    main()
