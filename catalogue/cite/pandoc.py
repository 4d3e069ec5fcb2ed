"""Running pandoc's citeproc: the binary of the pypandoc_binary wheel, once for a whole reference list.

(Or, for a long list in APA and the styles like it, once per batch of records and
once for the order: pandoc's time there grows faster than the square of the
length; ``catalogue.cite.batches`` says why the entries are still pandoc's. Those
runs are shared among a few pandoc processes, one per usable processor: in each,
the Lua writer calls ``pandoc.utils.citeproc``, the function ``--citeproc``
runs, once per run, so a process starts and builds its collation tables once.)

pandoc reads a tiny Markdown document that cites every item (``nocite: '@*'``),
the items as CSL-JSON and the style, all from a private temporary folder, and
writes through a small Lua writer: it takes the reference list pandoc's
citeproc made and writes each entry with pandoc's own writer for the asked
format (plain, markdown, html), so every entry is exactly what pandoc prints for
it, and socsopr never re-implements a writer or splits a printed document.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from catalogue.cite.batches import MIN_ITEMS, Run, plan, render_in_batches
from catalogue.errors import CatalogueError

PANDOC_FORMATS = {"text": "plain", "markdown": "markdown", "html": "html"}
MAX_WORKERS = 4
LUA_ERROR = "Error running Lua:"
DOCUMENT = "---\nnocite: '@*'\n...\n"
# The entries of the reference list (the Div ``refs``), each written alone by pandoc's
# writer of the asked format. As in pandoc's HTML writer, an entry that is one paragraph
# is written as plain inlines (no <p>), which changes nothing in plain text or Markdown.
# With ``socsopr-runs`` (a JSON file of [items file, style file, ids only] lists) it makes
# one list per run, with the run's files as ``bibliography`` and ``csl``, and writes a
# list of lists; a run for the order writes the ids only.
ENTRIES_WRITER = """\
local function entries(doc, format, opts, ids_only)
  local found = {}
  for _, block in ipairs(doc.blocks) do
    if block.t == 'Div' and block.identifier == 'refs' then
      for _, entry in ipairs(block.content) do
        if entry.t == 'Div' and entry.classes:includes('csl-entry') then
          local text = ''
          if not ids_only then
            local content = entry.content
            if #content == 1 and content[1].t == 'Para' then
              content = {pandoc.Plain(content[1].content)}
            end
            text = pandoc.write(pandoc.Pandoc(content), format, opts)
          end
          table.insert(found, {entry.identifier, text})
        end
      end
    end
  end
  return found
end

function Writer(doc, opts)
  local format = pandoc.utils.stringify(doc.meta['socsopr-format'])
  if doc.meta['socsopr-runs'] == nil then
    return pandoc.json.encode(entries(doc, format, opts, false))
  end
  local handle = assert(io.open(pandoc.utils.stringify(doc.meta['socsopr-runs']), 'r'))
  local runs = pandoc.json.decode(handle:read('a'), false)
  handle:close()
  local lists = {}
  for _, run in ipairs(runs) do
    local meta = {}
    for name, value in pairs(doc.meta) do
      if name ~= 'socsopr-runs' then
        meta[name] = value
      end
    end
    meta.bibliography = pandoc.MetaString(run[1])
    meta.csl = pandoc.MetaString(run[2])
    local done = pandoc.utils.citeproc(pandoc.Pandoc(doc.blocks, meta))
    table.insert(lists, entries(done, format, opts, run[3]))
  end
  return pandoc.json.encode(lists)
end
"""


class EngineMissing(CatalogueError):
    """The pandoc binary of pypandoc_binary is not installed."""


class EngineFailed(CatalogueError):
    """pandoc exited with an error or was killed; ``stderr`` holds what it said."""

    def __init__(self, message: str, stderr: str = "") -> None:
        self.stderr = stderr
        super().__init__(message)


def pandoc_binary() -> Path:
    """The pandoc of the pypandoc_binary wheel (found without importing pypandoc)."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("pandoc", "pandoc.exe"):
                candidate = Path(folder) / "files" / name
                if candidate.is_file():
                    return candidate
    raise EngineMissing(
        "the CSL engine is missing: pandoc from the package pypandoc_binary is not installed "
        "(reinstall socsopr, or pip install 'pypandoc_binary>=1.17,<1.18')"
    )


def render_entries(
    items_json: str, style_path: Path, locale: str | None, fmt: str, pandoc: Path | None = None
) -> list[tuple[str, str]]:
    """``(item id, entry)`` in the order of the style's list: one pandoc run for all items, or, for a
    long list in a style whose given-name disambiguation spans the list, a run per batch of items
    that cannot affect one another and one for the order (``catalogue.cite.batches``), several
    runs in one pandoc process and ``workers()`` processes at a time."""
    binary = pandoc or pandoc_binary()
    if items_json.count('"id"') >= MIN_ITEMS:
        try:
            style_text = style_path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            style_text = ""
        found = plan(style_text) if style_text else None
        items = json.loads(items_json) if found else None
        if found and isinstance(items, list) and len(items) >= MIN_ITEMS:

            def render(runs: Sequence[Run]) -> list[list[tuple[str, str]]]:
                return _render_runs(binary, runs, locale, fmt)

            pairs = render_in_batches(items, style_text, found, render, workers=workers())
            if pairs is not None:
                return pairs
    return _render(binary, items_json, style_path.read_bytes(), locale, fmt)


def workers() -> int:
    """How many pandoc processes render the batches of a list at a time: the processors this
    process may use, at most ``MAX_WORKERS``."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, usable))


def _arguments(binary: Path, work: Path, locale: str | None, fmt: str) -> list[str]:
    argv = [
        str(binary), "--from=markdown", "--to=entries.lua", "--wrap=none", f"--data-dir={work}",
        f"--metadata=socsopr-format:{PANDOC_FORMATS[fmt]}",
    ]
    if locale:
        argv.append(f"--metadata=lang:{locale}")
    return argv


def _render(
    binary: Path, items_json: str, style: bytes, locale: str | None, fmt: str
) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="socsopr-cite-") as folder:
        work = Path(folder)
        (work / "items.json").write_text(items_json, encoding="utf-8")
        (work / "style.csl").write_bytes(style)
        (work / "entries.lua").write_text(ENTRIES_WRITER, encoding="utf-8")
        argv = _arguments(binary, work, locale, fmt)
        argv[4:4] = ["--citeproc", "--bibliography=items.json", "--csl=style.csl"]
        output = _run(argv, work)
    return _pairs(_decoded(output))


def _render_runs(
    binary: Path, runs: Sequence[Run], locale: str | None, fmt: str
) -> list[list[tuple[str, str]]]:
    """The entries of each run, all made in one pandoc process: its Lua writer calls
    ``pandoc.utils.citeproc`` (what ``--citeproc`` runs) once per run, on the same document with
    the run's items and style as ``bibliography`` and ``csl``; the process reads pandoc's
    collation tables once instead of once a run."""
    with tempfile.TemporaryDirectory(prefix="socsopr-cite-") as folder:
        work = Path(folder)
        styles: dict[str, str] = {}
        listed = []
        for number, run in enumerate(runs):
            if run.style_text not in styles:
                styles[run.style_text] = f"style-{len(styles)}.csl"
                (work / styles[run.style_text]).write_text(run.style_text, encoding="utf-8")
            items_file = f"items-{number}.json"
            (work / items_file).write_text(json.dumps(run.items, ensure_ascii=False), encoding="utf-8")
            listed.append([items_file, styles[run.style_text], run.order_only])
        (work / "runs.json").write_text(json.dumps(listed), encoding="utf-8")
        (work / "entries.lua").write_text(ENTRIES_WRITER, encoding="utf-8")
        argv = _arguments(binary, work, locale, fmt)
        argv.append("--metadata=socsopr-runs:runs.json")
        output = _run(argv, work, from_lua=True)
    lists = _decoded(output)
    if not isinstance(lists, list) or len(lists) != len(runs):
        raise EngineFailed("pandoc's citeproc printed something that is not the expected list")
    return [_pairs(pairs) for pairs in lists]


def _decoded(output: str) -> Any:
    try:
        return json.loads(output)
    except json.JSONDecodeError:
        raise EngineFailed("pandoc's citeproc printed something that is not the expected list") from None


def _pairs(pairs: Any) -> list[tuple[str, str]]:
    return [(str(ident).removeprefix("ref-"), str(text).rstrip("\n")) for ident, text in pairs or []]


def _run(argv: Sequence[str], folder: Path, from_lua: bool = False) -> str:
    """pandoc's output; ``from_lua``: an error raised in the Lua writer (by
    ``pandoc.utils.citeproc``) is told as pandoc tells it without the writer."""
    try:
        done = subprocess.run(
            argv, input=DOCUMENT.encode(), capture_output=True, cwd=folder, check=False,
        )
    except OSError as exc:
        raise EngineFailed(f"pandoc could not be started ({exc.strerror or exc})") from None
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if from_lua and stderr.startswith(LUA_ERROR):
        stderr = stderr.removeprefix(LUA_ERROR).split("stack traceback:")[0].strip()
    if done.returncode < 0:
        raise EngineFailed(f"pandoc was stopped by signal {-done.returncode} before it finished", stderr)
    if done.returncode != 0:
        said = " ".join(stderr.split())[:300] or "no message"
        raise EngineFailed(f"pandoc's citeproc failed (exit {done.returncode}: {said})", stderr)
    return done.stdout.decode("utf-8")
