"""Real LaTeX documents cite every record of our .bib exports and print every value we export (#12).

Five documents (templates in tests/data/latex/), each compiled once per catalogue:

- biblatex + biber, ``style=authoryear``, pdfLaTeX;
- biblatex-gost ``style=gost-numeric`` with babel russian, pdfLaTeX (T2A, utf8) and XeLaTeX;
- classic BibTeX with ``plain.bst`` and with the GOST package's ``ugost2008.bst``, pdfLaTeX (T2A).

Every key is ``\\cite``d (``\\nocite{*}`` would not prove the keys work). A document passes when
every run exits 0, the logs hold no error and no warning our data causes (the warnings the data
itself explains are listed in ``EXPLAINED`` with their reasons), and ``pdftotext`` finds every
title, family name, place, publisher, year and page count we export.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_process

pytestmark = pytest.mark.tools(
    "pdflatex", "xelatex", "biber", "bibtex", "pdftotext", tex=("gost-numeric.bbx", "russianb.ldf", "ugost2008.bst")
)

TEMPLATES = ROOT / "tests" / "data" / "latex"
MIXED = ROOT / "tests" / "data" / "mixed-catalogue.json"


@dataclass(frozen=True)
class Document:
    template: str
    engine: str  # pdflatex or xelatex
    backend: str  # biber or bibtex
    export: str  # the socsopr export format it reads
    bst: str = ""  # the BibTeX style, for backend bibtex
    # babel's main language; the document loads it and every language the entries' langid names
    # (see languages_tex). Empty: the template loads babel itself.
    main_language: str = ""


DOCUMENTS = {
    "authoryear": Document("authoryear.tex", "pdflatex", "biber", "biblatex", main_language="english"),
    "gost-numeric-pdflatex": Document("gost-numeric.tex", "pdflatex", "biber", "biblatex", main_language="russian"),
    "gost-numeric-xelatex": Document("gost-numeric-xelatex.tex", "xelatex", "biber", "biblatex",
                                     main_language="russian"),
    "bibtex-plain": Document("bibtex.tex", "pdflatex", "bibtex", "bibtex", bst="plain"),
    "bibtex-ugost2008": Document("bibtex.tex", "pdflatex", "bibtex", "bibtex", bst="ugost2008"),
}



def _lacks(*fields: str) -> Callable[[re.Match[str], dict[str, dict[str, Any]]], bool]:
    """The record the warning names (its last group) has none of ``fields``: the source gives none."""
    return lambda m, records: not any(records[m.group(m.lastindex or 0)].get(f) for f in fields)


def _has(*fields: str) -> Callable[[re.Match[str], dict[str, dict[str, Any]]], bool]:
    return lambda m, records: all(records[m.group(m.lastindex or 0)].get(f) for f in fields)


def _english_and_regional(m: re.Match[str], records: dict[str, dict[str, Any]]) -> bool:
    """The catalogue holds English with no region (langid english) and a regional English as well."""
    languages = {str(r.get("language", "")) for r in records.values()}
    return "en" in languages and any(lang.startswith("en-") for lang in languages)


@dataclass(frozen=True)
class Explained:
    documents: str  # fnmatch pattern over DOCUMENTS
    pattern: str
    reason: str
    holds: Callable[[re.Match[str], dict[str, dict[str, Any]]], bool] | None = None  # checked on the data


# Warnings our export does not cause: each with its reason, and where the reason is the data,
# a check that the data really says so.
EXPLAINED = [
    Explained("gost-numeric-*", r"^biber: Field '\w+' in sorting template is not a sortable field$",
              "biblatex-gost's sorting template names fields biber 2.19 cannot sort on; every entry gets it"),
    Explained("gost-numeric-*", r"No driver for '(software|dataset)'",
              "biblatex-gost has no driver for these standard biblatex types; biblatex prints them with its fallback"),
    Explained("*", r"No hyphenation patterns for 'ngerman'",
              "TeX Live here has no German patterns (texlive-lang-german); the German record's langid is right"),
    Explained("*", r"^Package Babel Warning: The package option `english' should not be used .*"
              r"with a more specific one \(like `(british|american)'\)",
              "biblatex needs every langid's language loaded (one it is not told of makes it ask for a rerun"
              " forever), and the catalogue has English records of no region and British ones, so the"
              " document loads both english and british, which babel-english advises against",
              _english_and_regional),
    Explained("bibtex-plain", r"^bibtex: Warning--empty author and editor in (\S+)$",
              "the source names no author or editor", _lacks("author", "editor")),
    Explained("bibtex-plain", r"^bibtex: Warning--empty publisher in (\S+)$",
              "the source names no publisher", _lacks("publisher")),
    Explained("bibtex-*", r"^bibtex: Warning--empty year(/date)? in (\S+)$", "the source gives no date", _lacks("issued")),
    Explained("bibtex-plain", r"^bibtex: Warning--can't use both author and editor fields in (\S+)$",
              "plain.bst prints authors or editors, never both", _has("author", "editor")),
    Explained("bibtex-plain", r"^bibtex: Warning--there's a number but no volume in (\S+)$",
              "the source gives an issue number and no volume", _lacks("volume")),
    Explained("bibtex-ugost2008", r"^bibtex: Warning--language is not defined: ngerman",
              "ugost2008.bst knows English and Russian only; the German record's langid is right"),
]
# BibTeX errors that are no fault of the .bib: (style, pattern, reason).
KNOWN_ERRORS = [
    ("ugost2008", r"^bibtex: \"\\\" can't start a style-file command---line \d+ of file ugost2008\.bst$",
     "TeX Live 2022's gost .bst files end in \\endinput, which BibTeX reports after writing the whole .bbl"),
]
# Values a style has no field for, whatever the .bib holds: (document, field) -> reason.
NOT_PRINTED = {
    ("bibtex-plain", "number-of-pages"): "plain.bst has no page-count field (the GOST styles print pagetotal)",
    ("bibtex-plain", "compiler"): "plain.bst knows authors and editors only; a compiler is not an editor",
    ("bibtex-plain", "translator"): "plain.bst has no translator field",
    ("bibtex-ugost2008", "translator"): "ugost2008.bst has no translator field",
}


def _bibtex_book_with_author(record: dict[str, Any]) -> bool:
    from catalogue.formats._bibmap import bibtex_type

    return bool(record.get("author")) and bibtex_type(record) == "book"


# Values a style leaves out of some entries only: (document, field, which records, reason).
NOT_PRINTED_WHEN = [
    ("bibtex-plain", "editor", _bibtex_book_with_author,
     "plain.bst's FUNCTION {book} prints the authors and, when there are any, never the editors"
     " (it warns \"can't use both author and editor fields\"); biblatex and ugost2008 print both"),
]

# TeX wraps its log at 79 columns unless told otherwise; a wrapped warning is hard to match.
TEX_ENV = {"max_print_line": "10000", "error_line": "254", "half_error_line": "238"}


@dataclass
class Build:
    name: str
    steps: list[tuple[str, int, str]]  # (command, exit status, its output)
    warnings: list[str]
    errors: list[str]
    text: str  # pdftotext output


# --- the catalogues ---------------------------------------------------------------------


@dataclass
class Exported:
    records: list[dict[str, Any]]
    bib: dict[str, str]  # export format -> text


def export_catalogue(folder: Path, source: Path | None) -> Exported:
    """The bibtex, biblatex and json exports of a fresh shipped catalogue, or of ``source``."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "catalogue.json"
    env = {"SOCSOPR_DB": str(db), "SOCSOPR_CACHE_DIR": str(folder / "cache")}
    if source is not None:
        for args in (("init", "--empty"), ("import", "-f", "json", str(source))):
            done = run_process(*args, env=env)
            assert done.returncode == 0, done.stderr
    texts = {}
    for fmt in ("bibtex", "biblatex", "json"):
        done = run_process("export", "-f", fmt, env=env)
        assert done.returncode == 0, done.stderr
        texts[fmt] = done.stdout
    records = json.loads(texts.pop("json"))
    return Exported(records if isinstance(records, list) else records["records"], texts)


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Exported]:
    folder = tmp_path_factory.mktemp("catalogues")
    out = {"shipped": export_catalogue(folder / "shipped", None)}
    if MIXED.exists():
        out["mixed"] = export_catalogue(folder / "mixed", MIXED)
    return out


# --- compiling ------------------------------------------------------------------------

_TEX_WARNING = re.compile(r"^(?:LaTeX|Package|Class) ?[\w.-]* Warning: .*(?:\n\([\w.-]+\) .*)*", re.MULTILINE)
_LOST_CHAR = re.compile(r"^Missing character: .*", re.MULTILINE)
_TEX_ERROR = re.compile(r"^! .*", re.MULTILINE)
_BIBER = re.compile(r"^\[\d+\] .*?> (WARN|ERROR) - (.*)$", re.MULTILINE)
_BIBTEX_WARNING = re.compile(r"^Warning--.*", re.MULTILINE)
_BIBTEX_ERROR = re.compile(r"^.*---(?:line \d+ of file|this can't happen|while executing).*", re.MULTILINE)


def compile_document(name: str, doc: Document, exported: Exported, folder: Path) -> Build:
    folder.mkdir(parents=True)
    bib = exported.bib[doc.export]
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    keys = [r["id"] for r in exported.records]
    (folder / "cites.tex").write_text("".join(f"Cited: \\cite{{{k}}}.\n\n" for k in keys), encoding="utf-8")
    (folder / "style.tex").write_text(f"\\bibliographystyle{{{doc.bst or 'plain'}}}\n", encoding="utf-8")
    if doc.main_language:
        (folder / "languages.tex").write_text(languages_tex(doc.main_language, bib), encoding="utf-8")
    shutil.copyfile(TEMPLATES / doc.template, folder / "doc.tex")
    env = {**os.environ, **TEX_ENV}
    engine = [doc.engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    steps = []
    for command in (engine, [doc.backend, "doc"], engine, engine, engine):
        if command is engine and len(steps) == 4 and "Please rerun LaTeX" not in _log(folder):
            break  # a third LaTeX run only when biblatex asks for it (as latexmk would)
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, errors="replace",
                              env=env, timeout=300, check=False)
        steps.append((command[0], done.returncode, done.stdout + done.stderr))
    log = _log(folder)
    blg = (folder / "doc.blg").read_text("utf-8", errors="replace") if (folder / "doc.blg").exists() else ""
    warnings = [" ".join(w.split()) for w in _TEX_WARNING.findall(log) + _LOST_CHAR.findall(log)]
    errors = _TEX_ERROR.findall(log)
    if doc.backend == "biber":
        for level, message in _BIBER.findall(blg):
            (errors if level == "ERROR" else warnings).append(f"biber: {message}")
    else:
        warnings += [f"bibtex: {w}" for w in _BIBTEX_WARNING.findall(blg)]
        errors += [f"bibtex: {e}" for e in _BIBTEX_ERROR.findall(blg)]
    text = ""
    if (folder / "doc.pdf").exists():
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "doc.pdf", "-"], cwd=folder, capture_output=True,
                              text=True, check=True, timeout=120).stdout
    return Build(name, steps, warnings, errors, text)


_LANGID = re.compile(r"^\s*langid = \{(\w+)\},?$", re.MULTILINE)


def languages_tex(main: str, bib: str) -> str:
    """babel loading ``main`` and every language the entries' ``langid`` names that babel has here.

    As a writer must: biblatex 3.18 switches to an entry's langid language (autolang=other) but,
    when babel was not told of it, asks for one more LaTeX run on every run ("There were undefined
    references", "Please rerun LaTeX"), so latexmk never settles. A language TeX Live lacks here
    (ngerman without texlive-lang-german) is left out; biblatex then warns it has no patterns.
    """
    wanted = sorted(set(_LANGID.findall(bib)) - {main})
    found = [lang for lang in wanted if _babel_has(lang)]
    return f"\\usepackage[{','.join([*found, main])}]{{babel}}\n"  # the last one is the main language


# babel options whose .ldf file has another name (babel.sty's \bbl@try@load@lang).
_LDF = {"russian": "russianb", "ukrainian": "ukraineb", "hungarian": "magyar", "nynorsk": "norsk",
        "lowersorbian": "lsorbian", "uppersorbian": "usorbian", "polutonikogreek": "greek"}


def _babel_has(language: str) -> bool:
    """Whether babel takes ``language`` as a package option here: its .ldf file is installed."""
    names = (f"{language}.ldf", f"{_LDF[language]}.ldf") if language in _LDF else (f"{language}.ldf",)
    return any(subprocess.run(["kpsewhich", name], capture_output=True, check=False).stdout.strip()
               for name in names)


def _log(folder: Path) -> str:
    return (folder / "doc.log").read_text("utf-8", errors="replace") if (folder / "doc.log").exists() else ""


@pytest.fixture(scope="module")
def builds(catalogues: dict[str, Exported], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """Every document over every catalogue, compiled once for the module."""
    folder = tmp_path_factory.mktemp("latex")
    out = {}
    for cat, exported in catalogues.items():
        for name, doc in DOCUMENTS.items():
            out[f"{cat}-{name}"] = compile_document(name, doc, exported, folder / f"{cat}-{name}")
    return out


CASES = [f"{cat}-{name}" for cat in ("shipped", "mixed") for name in DOCUMENTS]


def build_of(builds: dict[str, Build], case: str) -> Build:
    if case not in builds:
        pytest.skip(f"{MIXED.relative_to(ROOT)} is not there yet")
    return builds[case]


def unexplained(build: Build, records: list[dict[str, Any]]) -> list[str]:
    by_key = {r["id"]: r for r in records}
    left = []
    for warning in build.warnings:
        for rule in EXPLAINED:
            found = re.search(rule.pattern, warning) if fnmatch(build.name, rule.documents) else None
            if found and (rule.holds is None or rule.holds(found, by_key)):
                break
        else:
            left.append(warning)
    return left


def unknown_errors(build: Build) -> list[str]:
    style = DOCUMENTS[build.name].bst
    return [e for e in build.errors if not any(s == style and re.search(p, e) for s, p, _ in KNOWN_ERRORS)]


# --- the checks -----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_the_document_compiles_without_errors_or_warnings(builds: dict[str, Build],
                                                         catalogues: dict[str, Exported], case: str) -> None:
    build = build_of(builds, case)
    errors = unknown_errors(build)
    for command, status, output in build.steps:
        allowed = 1 if command == "bibtex" else 0  # BibTeX exits 1 after warnings, 2 after errors
        if command == "bibtex" and not errors:
            allowed = 2
        assert status <= allowed, f"{command} exited {status}:\n{output[-3000:]}"
    assert errors == [], "\n".join(errors)
    left = unexplained(build, catalogues[case.split("-", 1)[0]].records)
    assert left == [], "\n".join(left)


# Letters that come out of a PDF as another letter of the same shape: T2A puts Cyrillic і and ј
# in the slots of Latin i and j (t2aenc.def: \cyrii 105, \cyrje 106), so pdftotext reads the
# Ukrainian "Львів" as "Львiв"; an accent over a dotless ı built by \' (T2A has no í) reads "ı́".
_SAME_GLYPH = str.maketrans({"і": "i", "ј": "j", "ı": "i"})


def normal(text: str) -> str:
    """Text as compared: compatibility forms (ligatures), no white space, dashes, quotes; case folded."""
    text = unicodedata.normalize("NFKD", text).casefold()  # ligatures apart, accents as marks
    text = "".join(c for c in text if not unicodedata.category(c).startswith(("M", "Sk"))).translate(_SAME_GLYPH)
    return re.sub(r"[\s\u00ad\-‐‑‒–—―'\"`‘’‚‛“”„«»‹›]+", "", text)


def expected_values(record: dict[str, Any]) -> list[tuple[str, str]]:
    """``(field, text)`` the rendered bibliography must hold for a record."""
    values = [("title", str(record.get("title", "")).rstrip(".!? "))]
    for role in ("author", "editor", "compiler", "translator"):
        for person in record.get(role) or ():
            values.append((role, str(person.get("literal") or person.get("family", ""))))
    for field in ("container-title", "publisher"):
        if record.get(field):
            values.append((field, str(record[field]).rstrip(".")))
    for place in str(record.get("publisher-place", "")).split(";"):
        if place.strip():
            values.append(("publisher-place", place.strip()))
    issued = record.get("issued") or {}
    for part in issued.get("date-parts") or ():
        values.append(("issued", str(part[0])))
    if record.get("note"):
        values.append(("note", str(record["note"]).rstrip(".")))
    return [(f, v) for f, v in values if v]


_PAGE_COUNT = r"(?<![0-9]){}\s*(?:pp?\.|с\.|S\.)"


@pytest.mark.parametrize("case", CASES)
def test_every_exported_value_is_printed(builds: dict[str, Build], catalogues: dict[str, Exported],
                                         case: str) -> None:
    build = build_of(builds, case)
    assert build.text, "no PDF"
    records = catalogues[case.split("-", 1)[0]].records
    printed = normal(build.text)
    flat = " ".join(build.text.split())
    missing = []
    for record in records:
        left_out = {f for d, f, which, _ in NOT_PRINTED_WHEN if d == build.name and which(record)}
        for field, value in expected_values(record):
            if (build.name, field) not in NOT_PRINTED and field not in left_out and normal(value) not in printed:
                missing.append(f"{record['id']}: {field} {value!r}")
        count = record.get("number-of-pages")
        page_count_printed = (build.name, "number-of-pages") not in NOT_PRINTED
        if count and page_count_printed and not re.search(_PAGE_COUNT.format(count), flat):
                missing.append(f"{record['id']}: number-of-pages {count}")
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("shipped-")])
def test_curator_remarks_are_never_printed(builds: dict[str, Build], case: str) -> None:
    assert "Title as given in the source" not in " ".join(build_of(builds, case).text.split())
