"""Export of a whole catalogue through the memo of each record's text (``curation.exporting.export_catalogue``):
always byte for byte what the plain exporter writes for the same records, whatever changed in between."""

from __future__ import annotations

import contextlib
import random
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalogue import Catalogue
from catalogue.curation import exporting
from catalogue.formats import export
from catalogue.model.romanization import romanized_record
from catalogue.store import layout, memo
from tests.conftest import process_argv, run, run_process, test_cache

FORMATS = ("bibtex", "biblatex", "csl-json", "ris", "json")
# What a hand-edited or imported record may hold: TeX specials, control and bidi characters, several
# scripts, combining marks, line breaks, text that looks like the formats' own syntax.
HOSTILE = ("{", "}", "\\", "$", "%", "&", "#", "_", "^", "~", '"', "'", " and ", "\x00", "\x1b[31m", "\x7f",
           "\r\n", "\n", "\t", "\u202e", "\u200b", "ё", "Ё", "ӕ", "𝔘", "e\u0301", "中文", "@string{x=y}",
           "ER  - ", "TY  - BOOK", "}\n@misc{evil,", "``", "--", "\\enquote{", "\"quoted\"", "  ", "")
TYPES = ("book", "article-journal", "chapter", "thesis", "report", "webpage", "periodical", "pamphlet",
         "paper-conference", "dataset", "article-newspaper", "no-such-type")


def hostile_text(rng: random.Random) -> str:
    return "".join(rng.choice(HOSTILE) + rng.choice(("Маркс", "Marx", "x", "Ж", "1917")) for _ in range(
        rng.randrange(1, 5)))


def make_record(key: str, rng: random.Random) -> dict[str, Any]:
    """A record with hostile values in most fields; some of them invalid in ways the exporters accept."""
    record: dict[str, Any] = {"id": key, "type": rng.choice(TYPES), "title": hostile_text(rng)}
    if rng.random() < 0.8:
        record["author"] = [{"family": hostile_text(rng), "given": rng.choice(("K.", "И. А.", "Jean-Paul"))}
                            for _ in range(rng.randrange(1, 3))]
    if rng.random() < 0.3:
        record["editor"] = [{"literal": hostile_text(rng)}]
    if rng.random() < 0.2:
        record["translator"] = [{"family": "Перевод", "given": "П."}]
    if rng.random() < 0.8:
        record["issued"] = {"date-parts": rng.choice(([[rng.randrange(1850, 2030)]], [[1998], [2007]],
                                                      [[2007, 10, 3]], [[2007, 10]]))}
    for field in ("publisher", "publisher-place", "container-title", "note", "genre", "abstract",
                  "collection-title", "remarks"):
        if rng.random() < 0.4:
            record[field] = hostile_text(rng)
    if rng.random() < 0.4:
        record["page"] = rng.choice(("12-34", "5–7", "iv", "12 — 14"))
    if rng.random() < 0.3:
        record["number-of-pages"] = rng.randrange(1, 900)
    if rng.random() < 0.4:
        record["language"] = rng.choice(("ru", "en", "de", "uk", "Russian", "xx-hostile", "ru-Latn"))
    if rng.random() < 0.3:
        record["tags"] = [hostile_text(rng), "checked"]
    if rng.random() < 0.2:
        record["URL"] = "https://example.org/" + rng.choice(("a%20b", "{x}", "#frag", "ё"))
    if rng.random() < 0.2:
        record["ISBN"] = "978-5-00000-000-0"
    if rng.random() < 0.1:
        record["aliases"] = [key + "old"]
    if rng.random() < 0.1:
        record["titles"] = [{"kind": "original", "language": "ru", "text": hostile_text(rng)}]
    if rng.random() < 0.05:
        record["volume"] = rng.randrange(1, 30)  # a number where text is usual
    return record


def make_records(count: int, seed: int = 0) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    keys = [f"k{i:06d}" for i in range(count)] + ["ключ1917", "a b", 'quo"te', "back\\slash", "t\tab"]
    return {key: make_record(key, rng) for key in keys}


def write_catalogue(path: Path, records: dict[str, dict[str, Any]], authorities: dict[str, Any] | None = None
                    ) -> None:
    path.write_bytes(layout.dump_catalogue(records, authorities or {}))


def plain_export(path: Path, fmt: str, romanize: str | None = None) -> str:
    """What the exporter writes for the file's records, read one at a time (no memo involved)."""
    with Catalogue.open(path, create=False) as cat:
        records = list(cat.iter_records())
    return export((romanized_record(r, romanize) for r in records) if romanize else records, fmt)


def memo_export(path: Path, fmt: str, cache: Path, romanize: str | None = None) -> str:
    with Catalogue.open(path, create=False) as cat:
        return exporting.export_catalogue(cat, fmt, cache, romanize=romanize)


@contextlib.contextmanager
def counted_parses() -> Iterator[list[str]]:
    """The keys of the records the memo-backed export parses (those it renders afresh)."""
    parsed: list[str] = []
    real = layout.parse

    def parse(path: Path, data: bytes, key: str, raw: layout.Raw) -> dict[str, Any]:
        parsed.append(key)
        return real(path, data, key, raw)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layout, "parse", parse)
        yield parsed


def outcome(produce: Callable[..., str], *args: Any) -> tuple[str, str]:
    """``("ok", text)``, or the exception's type when producing the text fails."""
    try:
        return "ok", produce(*args)
    except Exception as exc:  # an exporter may fail on a damaged record: the memo must fail alike
        return "raised", type(exc).__name__


def same(got: str | bytes, expected: str | bytes) -> bool:
    """Whether two exports are equal; if not, an ``AssertionError`` showing where they first differ
    (pytest's own comparison of two megabytes of text takes minutes)."""
    if got == expected:
        return True
    at = next((i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), min(len(got), len(expected)))
    raise AssertionError(f"differ at {at} (lengths {len(got)}, {len(expected)}): "
                         f"{got[max(0, at - 60):at + 60]!r} != {expected[max(0, at - 60):at + 60]!r}")


def memo_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("memo-export-*"))


# --- at the real threshold ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue just over memo.MIN_RECORDS, of hostile records."""
    path = tmp_path_factory.mktemp("large") / "catalogue.json"
    write_catalogue(path, make_records(memo.MIN_RECORDS + 50))
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_remembered_export_is_the_plain_export_byte_for_byte(large: Path, fmt: str, tmp_path: Path) -> None:
    expected = plain_export(large, fmt)
    with counted_parses() as parsed:
        first = memo_export(large, fmt, tmp_path)
    assert same(first, expected)
    assert len(parsed) == memo.MIN_RECORDS + 55  # every record rendered once, the memo written
    assert memo_files(tmp_path)
    with counted_parses() as parsed:
        second = memo_export(large, fmt, tmp_path)
    assert same(second, expected)
    assert parsed == []  # every text remembered


def test_one_changed_record_is_the_only_one_rendered_again(large: Path, tmp_path: Path) -> None:
    records = orjson.loads(large.read_bytes())["records"]
    path = tmp_path / "catalogue.json"
    write_catalogue(path, records)
    cache = tmp_path / "cache"
    memo_export(path, "bibtex", cache)
    records["k000007"]["title"] = "Changed \\enquote{quoted} {title}"
    records["k000008"] = {**records["k000008"], "note": '"Straight quotes" and more'}
    records["new1"] = make_record("new1", random.Random(5))
    del records["k000009"]
    write_catalogue(path, records)
    for fmt in ("bibtex", "biblatex"):
        with counted_parses() as parsed:
            text = memo_export(path, fmt, cache)
        assert same(text, plain_export(path, fmt))
        if fmt == "bibtex":
            assert sorted(parsed) == ["k000007", "k000008", "new1"]
            assert text.startswith("@preamble")  # the one part of a .bib that depends on several records


def test_small_or_hand_laid_out_catalogues_export_as_before(tmp_path: Path) -> None:
    records = make_records(memo.MIN_RECORDS + 10)
    small = tmp_path / "small.json"
    write_catalogue(small, dict(list(records.items())[:50]))
    assert same(memo_export(small, "ris", tmp_path / "cache"), plain_export(small, "ris"))
    by_hand = tmp_path / "by_hand.json"  # the records' JSON, not in the layout socsopr writes
    by_hand.write_bytes(orjson.dumps({"format": "socsopr-catalogue", "records": records, "version": 1}))
    assert same(memo_export(by_hand, "bibtex", tmp_path / "cache"), plain_export(by_hand, "bibtex"))
    assert memo_files(tmp_path / "cache") == []


# --- the memo's version: what besides a record's bytes its text depends on ---------------------------


def test_a_changed_authorities_table_renders_every_record_again(tmp_path: Path) -> None:
    from catalogue.model.authority import problems

    authority = {"id": "marx-k", "kind": "person", "name": {"family": "Marx", "given": "K."},
                 "variants": [{"family": "Маркс", "given": "К."}]}
    assert problems(authority, "marx-k") == []
    path = tmp_path / "catalogue.json"
    records = make_records(memo.MIN_RECORDS)
    write_catalogue(path, records, {"marx-k": authority})
    cache = tmp_path / "cache"
    for fmt in FORMATS:
        assert same(memo_export(path, fmt, cache), plain_export(path, fmt))
    changed = {**authority, "variants": [{"family": "Marks", "given": "K."}],
               "links": {"k000001": "author"}}
    write_catalogue(path, records, {"marx-k": changed})
    for fmt in FORMATS:
        expected = plain_export(path, fmt)
        with counted_parses() as parsed:
            assert same(memo_export(path, fmt, cache), expected)
        assert len(parsed) == len(records)
    write_catalogue(path, records)  # no table at all: version 1 of the file
    expected = plain_export(path, "ris")
    with counted_parses() as parsed:
        assert same(memo_export(path, "ris", cache), expected)
    assert len(parsed) == len(records)


def test_romanised_exports_are_remembered_apart(large: Path, tmp_path: Path) -> None:
    plain = memo_export(large, "bibtex", tmp_path)
    romanised = memo_export(large, "bibtex", tmp_path, romanize="gost-7.79-b")
    assert same(romanised, plain_export(large, "bibtex", romanize="gost-7.79-b"))
    assert romanised != plain
    with counted_parses() as parsed:
        assert same(memo_export(large, "bibtex", tmp_path), plain)
        assert same(memo_export(large, "bibtex", tmp_path, romanize="gost-7.79-b"), romanised)
    assert parsed == []


def test_a_new_memo_version_renders_every_record_again(large: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    memo_export(large, "ris", tmp_path)
    monkeypatch.setattr(exporting, "EXPORT_MEMO_VERSION", exporting.EXPORT_MEMO_VERSION + 1)
    expected = plain_export(large, "ris")
    with counted_parses() as parsed:
        assert same(memo_export(large, "ris", tmp_path), expected)
    assert len(parsed) == memo.MIN_RECORDS + 55


# --- a damaged or hostile memo ----------------------------------------------------------------------


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1:]


def _garbage(data: bytes) -> bytes:
    return b"\x00\xff" * 100


def _empty(data: bytes) -> bytes:
    return b""


def _other_header(data: bytes) -> bytes:
    return data.replace(b'"version":', b'"version":"x', 1)


@pytest.mark.parametrize("damage", [_truncated, _flipped, _garbage, _empty, _other_header])
@pytest.mark.parametrize("fmt", ["bibtex", "csl-json"])
def test_a_damaged_memo_reads_as_empty(large: Path, tmp_path: Path, fmt: str,
                                       damage: Callable[[bytes], bytes]) -> None:
    expected = memo_export(large, fmt, tmp_path)
    assert same(expected, plain_export(large, fmt))
    for file in memo_files(tmp_path):
        file.write_bytes(damage(file.read_bytes()))
    with counted_parses() as parsed:
        assert same(memo_export(large, fmt, tmp_path), expected)
    assert len(parsed) == memo.MIN_RECORDS + 55
    with counted_parses() as parsed:  # stored again, whole
        assert same(memo_export(large, fmt, tmp_path), expected)
    assert parsed == []


def test_a_checksummed_memo_of_values_that_are_no_text_is_not_used(large: Path, tmp_path: Path) -> None:
    expected = memo_export(large, "ris", tmp_path)
    (file,) = memo_files(tmp_path)
    with Catalogue.open(large, create=False) as cat:
        raw = cat.raw_records()
        assert raw is not None and cat.path is not None
        data, spans = raw
        version = exporting._memo_version("ris", None, data, spans)
        hostile = memo.RecordMemo(tmp_path, cat.path, "export-ris", version)
        prints = memo.fingerprints(data, list(spans.values()))
        hostile._store(prints, [[1, 2]] * (len(prints) - 1) + [None])
    assert file.exists()
    with counted_parses() as parsed:
        assert same(memo_export(large, "ris", tmp_path), expected)
    assert len(parsed) == len(spans)


def test_a_memo_that_cannot_be_stored_changes_nothing(large: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    for fmt in FORMATS:
        assert same(memo_export(large, fmt, blocked), plain_export(large, fmt))


# --- random changes between two exports ---------------------------------------------------------------

_CHANGE = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 10_000), st.sampled_from(
        ["title", "note", "publisher", "page", "language", "tags", "author", "issued", "type"]),
        st.integers(0, 10_000)),
    st.tuples(st.just("add"), st.text(alphabet="abcdefgйё0123_-", min_size=1, max_size=8),
              st.integers(0, 10_000), st.integers(0, 0)),
    st.tuples(st.just("remove"), st.integers(0, 10_000), st.just(""), st.integers(0, 0)),
)


def _value(field: str, seed: int) -> Any:
    rng = random.Random(seed)
    sample = make_record("x", rng)
    return sample.get(field, hostile_text(rng)) if field != "type" else rng.choice(TYPES)


@hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(seed=st.integers(0, 2**32), changes=st.lists(_CHANGE, max_size=8), sharded=st.booleans(),
       extra=st.lists(st.text(max_size=12), max_size=3))
def test_after_random_changes_the_export_is_the_plain_export(
    seed: int, changes: list[tuple[str, Any, Any, int]], sharded: bool, extra: list[str],
) -> None:
    """Edits, adds and removes between two exports of a (made small) catalogue: every format byte for byte
    what the plain exporter writes, and only the records whose bytes changed rendered again."""
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(memo, "MIN_RECORDS", 1)
        patch.setattr(exporting, "_SHARDED_FROM", 0 if sharded else 10**9)
        path, cache = Path(folder) / "catalogue.json", Path(folder) / "cache"
        rng = random.Random(seed)
        records = {f"r{i:03d}": make_record(f"r{i:03d}", rng) for i in range(rng.randrange(1, 40))}
        for i, text in enumerate(extra):  # any text at all, in a title
            records[f"r{i:03d}"] = {**records.get(f"r{i:03d}", make_record(f"r{i:03d}", rng)), "title": text}
        write_catalogue(path, records)
        before = {key: orjson.dumps(record) for key, record in records.items()}
        for fmt in FORMATS:
            assert outcome(memo_export, path, fmt, cache) == outcome(plain_export, path, fmt)
        for op, which, field, value_seed in changes:
            keys = sorted(records)
            if op == "edit" and keys:
                key = keys[which % len(keys)]
                records[key] = {**records[key], field: _value(field, value_seed)}
            elif op == "add":
                records[which] = make_record(which, random.Random(field))
            elif op == "remove" and len(keys) > 1:
                del records[keys[which % len(keys)]]
        write_catalogue(path, records)
        changed = sorted(key for key, record in records.items() if before.get(key) != orjson.dumps(record))
        for fmt in FORMATS:
            with counted_parses() as parsed:
                got = outcome(memo_export, path, fmt, cache)
            assert got == outcome(plain_export, path, fmt), fmt
            if got[0] == "ok":
                assert sorted(parsed) == changed, fmt


# --- the command ---------------------------------------------------------------------------------------


def test_export_of_the_whole_catalogue_is_remembered_through_the_cli(large: Path, db_path: Path) -> None:
    db_path.write_bytes(large.read_bytes())
    for fmt in FORMATS:
        first = run("export", "-f", fmt)
        assert first.code == 0, first.err
        assert same(first.out, plain_export(db_path, fmt).replace("\r\n", "\n"))  # as CliRunner reads it
        assert same(run("export", "-f", fmt).out, first.out)
    assert len(memo_files(test_cache())) == len(FORMATS)
    done = run("export", "-f", "ris", "-o", str(db_path.parent / "out.ris"))
    assert done.code == 0 and f"Exported {memo.MIN_RECORDS + 55} records" in done.err
    assert same((db_path.parent / "out.ris").read_bytes().decode(), plain_export(db_path, "ris"))
    filtered = run("export", "-f", "ris", "--year", "1917")  # a selection: exported as before, not remembered
    assert filtered.code in (0, 1)


def test_the_installed_command_exports_through_the_memo_after_an_add(large: Path, db_path: Path) -> None:
    def exported(fmt: str) -> bytes:  # bytes: RIS's CRLF and the records' own line breaks as written
        done = subprocess.run([*process_argv("export", "-f", fmt)], capture_output=True, timeout=120,
                              stdin=subprocess.DEVNULL, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    db_path.write_bytes(large.read_bytes())
    for fmt in ("biblatex", "ris"):
        assert same(exported(fmt), plain_export(db_path, fmt).encode())
    assert len(memo_files(test_cache())) == 2
    added = run_process("add", "--title", "Added {title} & 100% \\enquote{x}", "--author", "Marx K.", "-y", "1917")
    assert added.returncode == 0, added.stderr
    for fmt in ("biblatex", "ris", "bibtex"):
        assert same(exported(fmt), plain_export(db_path, fmt).encode())


def test_a_romanised_export_names_the_romanisation_library_in_its_version(
        large: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another installed iuliia (its files stamped) means other texts: no memo of the old one is read."""
    with Catalogue.open(large, create=False) as cat:
        raw = cat.raw_records()
        assert raw is not None
        data, spans = raw
    system = "gost-7.79-b"
    plain = exporting._memo_version("bibtex", None, data, spans)
    before = exporting._memo_version("bibtex", system, data, spans)
    assert before != plain and before == exporting._memo_version("bibtex", system, data, spans)
    stamps: list[list[Path]] = []
    real = memo.code_stamp

    def other_install(sources: Any) -> str:
        sources = list(sources)
        stamps.append(sources)
        return "0" * 16 if any("iuliia" in str(s) for s in sources) else real(sources)

    monkeypatch.setattr(memo, "code_stamp", other_install)
    assert exporting._memo_version("bibtex", system, data, spans) != before
    assert any(any(str(s).endswith(".json") for s in group) for group in stamps)  # the tables too
