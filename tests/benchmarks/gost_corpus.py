"""The GOST corpus (tests/corpus/gost): how many real reference lines parse into exactly the
expected fields, and how many render back identical after the documented normalisation.

    python -m tests.benchmarks.gost_corpus            # the shares and every failing line
    python -m tests.benchmarks.gost_corpus --quiet    # the shares only
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "gost"
COLUMNS = ("id", "kind", "line", "author", "title", "container", "volume", "issue", "part", "place",
           "publisher", "year", "page", "extra")
KINDS = {
    "book": {"book", "pamphlet"}, "article": {"article-journal", "article-newspaper", "article-magazine"},
    "chapter": {"chapter", "paper-conference"}, "serial": {"periodical"}, "thesis": {"thesis"},
    "web": {"webpage"}, "archive": {"manuscript"},
}


def corpus() -> list[dict[str, str]]:
    rows = []
    for name in ("tolstoy.tsv", "modern.tsv"):
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                rows.append(dict(zip(COLUMNS, line.split("\t"), strict=True)))
    return rows


def _names(people: Any) -> str:
    from catalogue.model.names import format_gost

    return "|".join(format_gost(p) for p in people or ())


def _year(record: dict[str, Any]) -> str:
    from catalogue.model.record import year_text

    return year_text(record)


def got_fields(record: dict[str, Any]) -> dict[str, str]:
    """The parsed record in the expectation's columns."""
    got = {
        "kind": next((k for k, types in KINDS.items() if record.get("type") in types), str(record.get("type"))),
        "author": _names(record.get("author")), "title": str(record.get("title", "")),
        "container": str(record.get("container-title", "")) if record.get("type") != "webpage" else "",
        "volume": str(record.get("volume", "")), "issue": str(record.get("issue", "")),
        "part": str(record.get("part", "")), "place": str(record.get("publisher-place", "")).replace("; ", "|"),
        "publisher": str(record.get("publisher", "")), "year": _year(record), "page": str(record.get("page", "")),
    }
    extra: dict[str, str] = {}
    if record.get("URL"):
        extra["url"] = record["URL"]
    if record.get("accessed"):
        y, m, d = record["accessed"]["date-parts"][0][:3]
        extra["accessed"] = f"{y:04d}-{m:02d}-{d:02d}"
    if record.get("number-of-pages"):
        extra["pages"] = str(record["number-of-pages"])
    if record.get("edition"):  # "Изд. 2-е" as printed is the 2nd edition, as the expectation writes it
        edition = str(record["edition"])
        extra["edition"] = re.sub(r"\D", "", edition) if edition.startswith("Изд. ") else edition
    if record.get("editor"):
        extra["ed"] = _names(record["editor"]).replace("|", ";")
    if record.get("genre"):
        extra["genre"] = record["genre"]
    if record.get("ISBN"):
        extra["isbn"] = record["ISBN"]
    if record.get("container-author"):
        extra["cauthor"] = _names(record["container-author"])
    if record.get("archive") and record.get("type") == "manuscript":
        extra["archive"] = record["archive"]
    site = record.get("container-title") if record.get("type") == "webpage" else record.get("archive")
    if site and record.get("type") != "manuscript":
        extra["site"] = site
    if record.get("note", "").startswith("Translated from "):
        extra["trans"] = record["note"][len("Translated from "):].rstrip(".")
    if record.get("language") not in (None, "ru"):
        extra["lang"] = record["language"]
    got["extra"] = "|".join(f"{k}={v}" for k, v in sorted(extra.items()))
    return got


_COMPARED_EXTRA = ("url", "accessed", "pages", "edition", "ed", "genre", "isbn", "cauthor", "archive", "site",
                   "trans", "lang")


def expected_fields(row: dict[str, str]) -> dict[str, str]:
    want = {k: row[k] for k in COLUMNS if k not in ("id", "line", "extra")}
    pairs = dict(p.split("=", 1) for p in row["extra"].split("|") if "=" in p)
    if "edition" in pairs and not pairs["edition"].isdigit():
        pairs["edition"] = pairs["edition"]
    if "edition" in pairs and pairs["edition"].startswith("Изд. "):
        pairs["edition"] = re.sub(r"\D", "", pairs["edition"])
    want["extra"] = "|".join(f"{k}={v}" for k, v in sorted(pairs.items()) if k in _COMPARED_EXTRA)
    return want


def normalise(line: str) -> str:
    """The documented normalisation (tests/corpus/gost/README.md): separators and spacing only."""
    text = " ".join(line.replace("\u00a0", " ").split())
    text = re.sub(r"\s*(?:\.\s*[—–-]|\s[—–-])\s+(?=\S)", ". ", text)  # ". — ", ". - ", " - " -> ". "
    text = re.sub(r"(?<=\d)\s*[–—-]\s*(?=\d)", "–", text)  # ranges
    text = re.sub(r"\s*:\s*", " : ", text)
    text = re.sub(r"\s*;\s*", " ; ", text)
    text = re.sub(r"(?<=\s)([A-ZА-ЯЁ][\w]*\.?)[–—-]([A-ZА-ЯЁ][\w]*\.?)(?=\s*[:,])", r"\1 ; \2", text)
    text = re.sub(r",\s+(?=[A-ZА-ЯЁ][\w.]*\s*:)", " ; ", text)
    text = re.sub(r"(\d) c\.", r"\1 с.", text)
    text = re.sub(r"(?<![\w.])([A-ZА-ЯЁ]\.)(?=[A-ZА-ЯЁ]\.)", r"\1 ", text)  # initials "А.В." -> "А. В."
    text = re.sub(r"\.\s*//", " //", text)  # "Письма. // Host": the title's stop before "//"
    text = re.sub(r"№№", "№", text)  # the doubled sign of several numbers in older lists ("№№ 31–32")
    text = re.sub(r"(?<![\w.])Тт\.(?=\s*\d)", "Т.", text)  # and of several volumes ("Тт. 1–3")
    text = re.sub(r"(?<=\b\d{4}),\s+(?=(?:№|[Вв]ып\.|[Кк]н\.|[Тт]\.)\s*[\dIVXLC])", ". ", text)  # "1894, № 12"
    # a comma for the area separator before a part's designation ("музея, Вып. 3–5") and before an
    # imprint ("Т. 1, М., 1922"); a place's comma before its year left out ("Кн. 12. М. 1948")
    text = re.sub(r"(?<=[\w.]),\s+(?=(?:Вып|Кн|Ч|Т)\.\s*[\dIVXLC])", ". ", text)
    text = re.sub(r"(?<=\d),\s+(?=[А-ЯЁ][а-яё]{0,3}\.,\s\d{4}\b)", ". ", text)
    text = re.sub(r"(?<=\.\s)([А-ЯЁ][а-яё]{0,3}\.)\s(?=\d{4}\b)", r"\1, ", text)
    text = re.sub(r"\.\s*\.", ".", text)
    text = text.strip()
    return text if text.endswith((".", "?", "!", ")")) else text + "."


def run(*, quiet: bool = False) -> tuple[float, float, list[str], list[str]]:
    from catalogue.gost.parse import NotAGostDescription, parse_gost_line
    from catalogue.gost.render import render

    rows = corpus()
    parse_fail: list[str] = []
    render_fail: list[str] = []
    for row in rows:
        try:
            parsed = parse_gost_line(row["line"])
        except NotAGostDescription as exc:
            parse_fail.append(f"{row['id']}: not read ({exc.reason}): {row['line']}")
            render_fail.append(f"{row['id']}: not read")
            continue
        got, want = got_fields(parsed.record), expected_fields(row)
        if got != want:
            diff = "; ".join(f"{k}: got {got[k]!r}, want {want[k]!r}" for k in want if got[k] != want[k])
            parse_fail.append(f"{row['id']}: {diff}")
        rendered = render(parsed.record, parsed.locale, parsed.edition, practice=parsed.practice)
        if normalise(rendered) != normalise(row["line"]):
            render_fail.append(f"{row['id']}:\n    line:     {row['line']}\n    rendered: {rendered}")
    total = len(rows)
    parse_share = 1 - len(parse_fail) / total
    render_share = 1 - len(render_fail) / total
    if not quiet:
        print(f"{total} lines: parsed into exactly the expected fields {parse_share:.1%} "
              f"({total - len(parse_fail)}), rendered back identical after normalisation {render_share:.1%} "
              f"({total - len(render_fail)})")
        print(f"\nparse failures ({len(parse_fail)}):")
        print("\n".join(parse_fail))
        print(f"\nrender failures ({len(render_fail)}):")
        print("\n".join(render_fail))
    return parse_share, render_share, parse_fail, render_fail


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    share = run(quiet="--quiet" in sys.argv)
    if "--quiet" in sys.argv:
        print(f"parse {share[0]:.1%}, render {share[1]:.1%}")
