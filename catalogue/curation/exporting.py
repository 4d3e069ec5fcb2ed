"""Where an export may be written: never over the catalogue, its history or its lock, and never over a
file that is not a previous export of the same format unless the caller says so; and the export of a
whole catalogue, each record's text remembered from the last one."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from catalogue.errors import UsageProblem
from catalogue.store import memo  # (its module is light: xxhash is imported where records are hashed)
from catalogue.store.files import lock_path, real_path

if TYPE_CHECKING:
    from catalogue.model.record import Record
    from catalogue.store.session import Catalogue

# How the start of a file written by each exporter looks (a previous export may be replaced); compiled when
# a target is checked, so that an export to stdout does not compile them.
_EXPORT_STARTS: dict[str, str] = {
    "bibtex": r"\A\s*[@%]",
    "biblatex": r"\A\s*[@%]",
    "csl-json": r"\A\s*\[",
    "json": r"\A\s*\[",
    "ris": r"\A\s*TY  - ",
    "csv": r"\Akey,",
    "tsv": r"\Akey\t",
    "markdown": r"\A\| *Key",
    "ids": r"\A[A-Za-z0-9][^\s]*\r?\n",
    "gost": r"\A\S",
    "marc": r"\A\d{5}",
    "unimarc": r"\A\d{5}",
    "marcxml": r"\A\s*<\?xml[^>]*>\s*<collection xmlns=\"http://www.loc.gov/MARC21/slim\"",
}


class ExportTargetRefused(UsageProblem):
    """The export would overwrite a file it must not (``replaceable``: allowed when forced)."""

    def __init__(self, target: Path, reason: str, replaceable: bool) -> None:
        self.target = target
        self.replaceable = replaceable
        super().__init__(f"{target} {reason}; nothing was written")


def check_export_target(target: Path, fmt: str, catalogue: Path, *, force: bool = False) -> None:
    """``ExportTargetRefused`` unless ``fmt`` may be written to ``target``.

    Never the catalogue file, its history or its lock (followed through links
    and hard links); an existing file only when it is empty, looks like a
    previous export in ``fmt``, or ``force`` is given.
    """
    from catalogue.store.history import history_path, legacy_history_path

    real = real_path(catalogue)
    own_files = (
        (real, "is the catalogue file itself"), (history_path(real), "is the catalogue's history"),
        (legacy_history_path(real), "is the catalogue's history"),
        (lock_path(real), "is the catalogue's lock file"),
    )
    for own, what in own_files:
        if _same(target, own):
            raise ExportTargetRefused(target, what, replaceable=False)
    if force:
        return
    try:
        with open(target, "rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise ExportTargetRefused(target, "is a folder", replaceable=False) from None
    except OSError:
        return  # unreadable: the write will say what is wrong
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    pattern = _EXPORT_STARTS.get(fmt)
    if text.strip() and (pattern is None or not re.search(pattern, text)):
        raise ExportTargetRefused(target, f"exists and does not look like a {fmt} export", replaceable=True)


def _same(a: Path, b: Path) -> bool:
    try:
        if real_path(a) == real_path(b):
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def write_export(target: Path, text: str) -> None:
    """Write an export atomically, a megabyte at a time (the text is not held twice as bytes)."""
    from catalogue.store.files import atomic_write

    step = 1 << 20
    atomic_write(target, (text[i:i + step].encode("utf-8") for i in range(0, len(text), step)))


# --- the whole catalogue, each record's text remembered ------------------------------------------

# Bump when what an exporter writes for a record changes (the memo of every earlier text is then not
# read). The version also names the source files of the exporters by size and time (``_code_stamp``),
# so an edited checkout is not answered from an older memo; that is a safety net, not the contract.
EXPORT_MEMO_VERSION = 1


# A large catalogue's memo is kept in this many files, each record in the one its key's checksum picks:
# a change of a few records rewrites the files that hold them, not every remembered text.
_SHARDS = 16
# ... from this many records on, so that every file holds well over memo.MIN_RECORDS (it would not be read).
_SHARDED_FROM = 2 * _SHARDS * memo.MIN_RECORDS


class _PerRecord(NamedTuple):
    """A format whose export is its records' texts, each a function of its record alone, assembled."""

    render: Callable[[Record], str]  # one record's text
    assemble: Callable[[list[str]], str]  # the export from the texts, in order


def _per_record(fmt: str) -> _PerRecord | None:
    """How ``fmt``'s export splits into records, or ``None`` for a format that does not split so."""
    if fmt in ("bibtex", "biblatex"):
        from catalogue.formats.bibtex import entry_writer, join_entries

        # the one part of a .bib that depends on more than one record: the @preamble, when some entry
        # uses \enquote; join_entries decides it from the entries' texts, as write_entries does
        return _PerRecord(entry_writer(fmt), lambda texts: join_entries(texts, fmt))
    if fmt == "ris":
        from catalogue.formats.ris import record_text

        return _PerRecord(record_text, "".join)
    if fmt in ("csl-json", "json"):
        from catalogue.formats.native import dump_item, join_items

        if fmt == "json":
            return _PerRecord(dump_item, join_items)
        from catalogue.formats.csljson import csl_item

        def csl_text(record: Record) -> str:
            return dump_item(csl_item(record))

        return _PerRecord(csl_text, join_items)
    return None


def export_catalogue(cat: Catalogue, fmt: str, cache_dir: Path | None, *, romanize: str | None = None) -> str:
    """Every record of ``cat`` in the format ``fmt`` (romanised by the system ``romanize``): the text
    ``formats.export`` gives for ``cat.iter_records()``, byte for byte.

    For a large catalogue in the canonical layout (``memo.MIN_RECORDS`` records or more) and a format
    whose export is its records' texts (bibtex, biblatex, csl-json, json, ris), each record's text is
    remembered in ``cache_dir`` by the record's bytes (``store.memo``), so an export after the last one,
    or after a change of a few records, renders only the records that changed.
    """
    from catalogue.formats import export, get_exporter

    get_exporter(fmt)  # an unknown format is refused before anything is read
    plan = _per_record(fmt)
    raw = cat.raw_records() if plan is not None and cache_dir is not None else None
    if plan is None or cache_dir is None or raw is None or len(raw[1]) < memo.MIN_RECORDS or cat.path is None:
        records = cat.iter_records()
        return export(_romanized(records, romanize) if romanize else records, fmt)
    from catalogue.model.romanization import romanized_record
    from catalogue.store.layout import parse

    data, spans = raw
    path = cat.path
    render = plan.render

    def compute(key: str, span: tuple[int, int, int]) -> str:
        record = parse(path, data, key, span)
        return render(romanized_record(record, romanize) if romanize else record)

    kind = f"export-{fmt}" + (f"-{romanize}" if romanize else "")
    version = _memo_version(fmt, romanize, data, spans)
    is_text = str.__instancecheck__  # the memo is checksummed; what it holds need only be text
    if len(spans) < _SHARDED_FROM:
        remembered = memo.RecordMemo(cache_dir, path, kind, version)
        return plan.assemble(list(remembered.derive(data, spans, compute, is_text)))
    from zlib import crc32

    shard_of = [crc32(key.encode("utf-8", "surrogatepass")) % _SHARDS for key in spans]
    shards: list[dict[str, tuple[int, int, int]]] = [{} for _ in range(_SHARDS)]
    for (key, span), shard in zip(spans.items(), shard_of, strict=True):
        shards[shard][key] = span
    derived = [memo.RecordMemo(cache_dir, path, f"{kind}-{n + 1}of{_SHARDS}", version).derive(
        data, part, compute, is_text) for n, part in enumerate(shards)]
    texts = [next(derived[shard]) for shard in shard_of]  # in key order: a damaged record is met as before
    for rest in derived:
        next(rest, None)  # each memo is stored once its last text has been given
    return plan.assemble(texts)


def _memo_version(fmt: str, romanize: str | None, data: bytes, spans: dict[str, tuple[int, int, int]]) -> str:
    """Everything besides a record's bytes that its text depends on: the format and its options (with
    --romanize, the installed romanisation library's files), the code (``EXPORT_MEMO_VERSION``, the
    source files, orjson's version) and the file's text before the
    first record (its authorities table, which no exporter reads today; should one, no memo of a text
    written under another table is read)."""
    import orjson
    import xxhash

    first = next(iter(spans.values()))[0]
    system = "-"
    if romanize:  # the romanisation library's own code and tables, as installed (an upgrade rewrites them)
        import iuliia

        from catalogue.store.memo import code_stamp

        package = Path(iuliia.__file__).resolve().parent
        system = f"{romanize} {code_stamp([package, *sorted(package.glob('schemas/*.json'))])}"
    return "/".join((f"export {EXPORT_MEMO_VERSION}", fmt, system, f"orjson {orjson.__version__}",
                     f"code {_code_stamp()}", f"head {xxhash.xxh3_64_intdigest(data[:first]):x}"))


# The model's modules the exporters and romanisation use (all of formats/ is stamped).
_MODEL_SOURCES = ("languages.py", "record.py", "romanization.py", "titles.py", "translit.py")


def _code_stamp() -> str:
    """The exporters' source files (all of formats, the model's modules they use) as one number."""
    from catalogue.store.memo import code_stamp

    package = Path(__file__).resolve().parent.parent
    return code_stamp([package / "formats", *(package / "model" / name for name in _MODEL_SOURCES)])


def _romanized(records: Iterable[Record], system: str) -> Iterator[Record]:
    """The records with every Cyrillic text romanised (one at a time, as the export reads them)."""
    from catalogue.model.romanization import romanized_record

    for record in records:
        yield romanized_record(record, system)
