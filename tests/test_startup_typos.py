"""Search's typo tier without rapidfuzz: ``ranking.typo_matches`` finds exactly what rapidfuzz's OSA
distance finds, and a search loads no rapidfuzz."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA

from catalogue.search.ranking import typo_matches

# few letters, so that words near one another are common; two scripts, a digit, a letter beyond U+FFFF
WORDS = st.text(alphabet="abcsoиоc1\U0001d538", max_size=9)


def _rapidfuzz(word: str, vocab: list[str], limit: int) -> list[tuple[int, int]]:
    found = process.extract(word, vocab, scorer=OSA.distance, score_cutoff=limit, limit=None)
    return sorted((number, int(distance)) for _word, distance, number in found)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=80, unique=True), WORDS, st.integers(0, 3))
def test_typo_matches_are_what_rapidfuzz_osa_finds(vocab: list[str], word: str, limit: int) -> None:
    vocab.sort()
    assert sorted(typo_matches(word, vocab, limit)) == _rapidfuzz(word, vocab, limit)


def test_typo_matches_of_real_words() -> None:
    vocab = sorted({"socialism", "socialist", "social", "society", "sociology", "socilism", "marx", "marxism",
                    "max", "mars", "arx", "amrx", "революция", "революции", "эволюция", "ovsyannikov",
                    "ovsiannikov", "ovsjannikov", "", "s", "so", "soc"})
    for word in ("socilism", "socialism", "marx", "революция", "ovsyannikov", "sco", ""):
        for limit in (1, 2):
            assert sorted(typo_matches(word, vocab, limit)) == _rapidfuzz(word, vocab, limit), (word, limit)


def test_a_search_with_a_typo_loads_no_rapidfuzz(tmp_path: Path) -> None:
    env = {**os.environ, "SOCSOPR_DB": str(tmp_path / "c.json"), "SOCSOPR_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "socsopr_cli", "init"], env=env, check=True, capture_output=True)
    code = (
        "import sys\n"
        "from socsopr_cli.app import app\n"
        "sys.argv = ['socsopr', 'search', '-f', 'tsv', 'socilism']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('rapidfuzz', 'socsopr_cli.errors') if m in sys.modules], file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip(), result.stderr  # the shipped records have "socialism" (a typo away)
    assert result.stderr.strip().splitlines()[-1] == "[]"
