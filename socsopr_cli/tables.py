"""Tables that fit the terminal: columns chosen by priority, widths shared out, nothing cut unseen.

A table gets the width of the console it is printed on. Columns are taken in
order of priority while their narrowest useful widths fit; the rest are hidden
and named in a footer (``hidden``). What is left over goes first to the short,
unwrappable columns (year, pages, type), so that they never wrap or cut, then
to the wrapping ones (title first) up to the width of their longest cell: a
title wraps before a year is cut. Short columns cut with ``…`` only when a
value is longer than their cap (a type such as ``article-newspaper``);
wrapping columns fold a word longer than the column onto the next line, so
they never lose a character. Columns whose every cell is empty are dropped
unless asked for by name.

Below ``COMPACT_BELOW`` columns records are listed one per line
(``key  Names (Year) Title [type]``): at 100 columns a table still gives the
title about 30 cells beside key, names, year and type; narrower, every title
wraps to five lines or more, and one line per record reads better.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    from catalogue.model.record import Record

COMPACT_BELOW = 100
MIN_WIDTH = 60  # the narrowest terminal the layouts are designed (and tested) for
WORD_CAP = 20  # a wrapping column is as wide as its longest word up to this; longer words are folded
SEPARATOR = 3  # cells between two columns: padding, a rule, padding (box.MINIMAL_HEAVY_HEAD, no edges)

Highlight = Callable[[str, str], Sequence[tuple[int, int]]]


@dataclass(frozen=True)
class Column:
    """One column of a table: what it shows and how it may shrink.

    ``wrap`` columns share the room left over and wrap (``min_width`` is the
    narrowest they are shown at, ``comfort`` the width they keep before a
    column of lower priority is added); the others are as wide as their
    longest cell, at most ``cap`` cells, beyond which a value is cut with ``…``.
    """

    name: str
    header: str
    wrap: bool = False
    min_width: int = 1
    comfort: int = 1
    cap: int | None = None
    weight: int = 1
    justify: Literal["left", "right"] = "left"
    style: str = ""


@dataclass
class Layout:
    """The columns a table shows at a width, each with its width, and the ones it hides."""

    shown: list[tuple[Column, int]] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)


def fit(
    columns: Sequence[Column], cells: Sequence[Sequence[str]], width: int,
    priority: Sequence[str] | None = None, *, core: int = 4, asked: bool = False,
) -> Layout:
    """Choose the columns that fit in ``width`` cells and their widths.

    ``cells[i]`` are the texts of column ``i``; ``priority`` is the order in
    which columns are kept (the columns' order when not given). The first
    ``core`` of them are kept whenever their narrowest widths fit; a later one
    only while every wrapping column kept so far still has its comfortable
    width (``comfort``), so that a title is not squeezed for a column of tags.
    ``asked``: the columns were named by the person; all are core, and an
    empty one is kept.
    """
    from rich.cells import cell_len

    rank = {name: i for i, name in enumerate(priority or [c.name for c in columns])}
    natural: dict[str, int] = {}
    least: dict[str, int] = {}
    comfort: dict[str, int] = {}
    candidates: list[Column] = []
    for column, texts in zip(columns, cells, strict=True):
        lines = [line for text in texts for line in text.splitlines()]
        longest = max((cell_len(line) for line in lines), default=0)
        if longest == 0 and not asked:
            continue
        header = cell_len(column.header)
        name = column.name
        if column.wrap:
            natural[name] = max(header, longest)
            # never narrower than a word (up to WORD_CAP cells): a tag or a name is not folded
            word = max((cell_len(w) for line in lines for w in line.split()), default=0)
            least[name] = min(natural[name], max(header, column.min_width, min(word, WORD_CAP)))
            comfort[name] = min(natural[name], max(least[name], column.comfort))
        else:
            natural[name] = least[name] = comfort[name] = max(
                header, longest if column.cap is None else min(longest, column.cap))
        candidates.append(column)
    kept: set[str] = set()
    used_least = used_comfort = 0
    by_rank = sorted(candidates, key=lambda c: rank.get(c.name, len(rank)))
    for i, column in enumerate(by_rank):
        gap = SEPARATOR if kept else 0
        name = column.name
        if asked or i < core:
            fits = used_least + gap + least[name] <= width
        else:
            fits = used_comfort + gap + comfort[name] <= width
        if not fits:
            break  # strictly by priority: a narrow column does not jump the queue (a wider
            # terminal would then show a column in its place and lose it)
        kept.add(name)
        used_least += gap + least[name]
        used_comfort += gap + comfort[name]
    widths = {name: least[name] for name in kept}
    spare = width - used_least
    wrapping = [c for c in by_rank if c.name in kept and c.wrap]
    for column in wrapping:  # each to its comfortable width first, in order of priority
        grow = min(spare, comfort[column.name] - widths[column.name])
        widths[column.name] += grow
        spare -= grow
    _share_out(spare, wrapping, widths, natural)
    layout = Layout()
    for column in columns:
        if column.name in kept:
            layout.shown.append((column, widths[column.name]))
        elif column in candidates:
            layout.hidden.append(column.name)
    return layout


def _share_out(spare: int, wrapping: list[Column], widths: dict[str, int], natural: dict[str, int]) -> None:
    """Give ``spare`` cells to the wrapping columns by weight, none beyond its longest cell."""
    growing = [c for c in wrapping if widths[c.name] < natural[c.name]]
    while spare > 0 and growing:
        total = sum(c.weight for c in growing)
        given = 0
        for column in growing:
            share = max(1, spare * column.weight // total)
            grow = min(share, natural[column.name] - widths[column.name], spare - given)
            widths[column.name] += grow
            given += grow
        spare -= given
        growing = [c for c in growing if widths[c.name] < natural[c.name]]
        if given == 0:
            break


def build_table(layout: Layout) -> Table:
    """An empty rich table with the layout's columns at their widths (rows are added by the caller)."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.MINIMAL_HEAVY_HEAD, show_edge=False, pad_edge=False, header_style="bold",
                  expand=False)
    for column, width in layout.shown:
        table.add_column(
            column.header, width=width, justify=column.justify, style=column.style,
            no_wrap=not column.wrap, overflow="fold" if column.wrap else "ellipsis",
        )
    return table


def fitted_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int,
    priority: Sequence[str] | None = None,
) -> Shown:
    """Any rows as a table that fits ``width``: the columns kept in order of ``priority`` (names; the
    columns' order when not given), empty ones dropped, the rest named in the footer."""
    texts = [[row[i] for row in rows] for i in range(len(columns))]
    layout = fit(columns, texts, width, priority, core=len(columns))
    table = build_table(layout)
    index = {c.name: i for i, c in enumerate(columns)}
    for row in rows:
        table.add_row(*(_cell(row[index[c.name]], c.name, None) for c, _width in layout.shown))
    return Shown(table, layout.hidden, hint="widen the terminal, or use --format tsv for every column")


# --- records ------------------------------------------------------------------------------------

RECORD_COLUMNS: tuple[Column, ...] = (
    Column("key", "Key", cap=40, style="cyan"),
    Column("title", "Title", wrap=True, min_width=16, comfort=30, weight=6),
    Column("names", "Names", wrap=True, min_width=12, comfort=16, weight=3),
    Column("year", "Year"),
    Column("type", "Type", cap=16),
    Column("pages", "Pages", justify="right"),
    Column("place", "Place", wrap=True, min_width=8, comfort=10),
    Column("publisher", "Publisher", wrap=True, min_width=10, comfort=12),
    Column("language", "Lang"),
    Column("tags", "Tags", wrap=True, min_width=8, comfort=10),
    Column("score", "Score", justify="right"),
)
PRIORITY = ("key", "title", "year", "names", "type", "place", "publisher", "pages", "language", "tags",
            "score")
LIST_COLUMNS = tuple(c.name for c in RECORD_COLUMNS if c.name != "score")  # what --columns takes in list
SEARCH_COLUMNS = (*LIST_COLUMNS, "score")
# the user-facing names, and the record's own (CSL) names accepted for them
ALIASES = {
    "id": "key", "citation-key": "key", "author": "names", "authors": "names", "issued": "year",
    "date": "year", "genre": "type", "number-of-pages": "pages", "publisher-place": "place",
    "lang": "language", "tag": "tags", "page": "pages",
}
HIGHLIGHTED = ("title", "names", "place")


def column_names(requested: str, allowed: Sequence[str]) -> list[str]:
    """``key,title,year`` as column names, aliases resolved; an unknown one is a usage error."""
    from catalogue.errors import UsageProblem

    chosen: list[str] = []
    for word in requested.replace(" ", ",").split(","):
        word = word.strip().lower()
        if not word:
            continue
        name = ALIASES.get(word, word)
        if name not in allowed:
            raise UsageProblem(f"there is no column {word!r}; the columns are {', '.join(allowed)}")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise UsageProblem(f"--columns names no column; the columns are {', '.join(allowed)}")
    return chosen


def record_cells(record: Record) -> dict[str, str]:
    """The text of each column for one record."""
    from catalogue.formats.tables import names_text
    from catalogue.model.record import places, year_text

    pages = record.get("number-of-pages")
    tags = record.get("tags")
    return {
        "key": str(record.get("id", "")),
        "title": str(record.get("title", "")),
        "names": names_text(record),
        "year": year_text(record),
        "type": str(record.get("genre") or record.get("type", "")),
        "pages": "" if pages is None else str(pages),
        "place": "; ".join(places(record)),
        "publisher": str(record.get("publisher", "")),
        "language": str(record.get("language", "")),
        "tags": ", ".join(tags) if tags else "",
    }


@dataclass
class Shown:
    """A table (or compact list) ready to print, and the footer that names what it leaves out."""

    renderable: RenderableType
    hidden: list[str]
    compact: bool = False
    hint: str = "widen the terminal or use --columns"

    @property
    def footer(self) -> str | None:
        if not self.hidden:
            return None
        what = f"{len(self.hidden)} column{'s' if len(self.hidden) != 1 else ''}"
        if self.compact:
            return (f"One line per record (under {COMPACT_BELOW} columns); not shown: "
                    f"{', '.join(self.hidden)}. {self.hint[0].upper()}{self.hint[1:]}.")
        return f"{what} hidden: {', '.join(self.hidden)}; {self.hint}."


def records_view(
    records: Sequence[Record], width: int, *, columns: Sequence[str] | None = None,
    extra: dict[str, Sequence[Any]] | None = None, highlight: Highlight | None = None,
) -> Shown:
    """Records as they fit ``width`` cells: a table, or one line each below ``COMPACT_BELOW``.

    ``columns`` (names, in order) are the ones asked for: always a table then,
    empty columns kept. ``extra`` adds columns by name (search's ``score``).
    ``highlight(column, text)`` gives spans of the title, names and place to
    emphasise (search's matched words).
    """
    extra = extra or {}
    cells = [record_cells(r) for r in records]
    for name, values in extra.items():
        for row, value in zip(cells, values, strict=True):
            row[name] = str(value)
    available = [c for c in RECORD_COLUMNS if c.name in LIST_COLUMNS or c.name in extra]
    if columns is None and width < COMPACT_BELOW:
        return _compact(records, cells, width, available, highlight)
    if columns is not None:
        by_name = {c.name: c for c in available}
        chosen = [by_name[name] for name in columns if name in by_name]
        priority: Sequence[str] = columns
    else:
        chosen, priority = available, PRIORITY
    texts = [[row.get(c.name, "") for row in cells] for c in chosen]
    layout = fit(chosen, texts, width, priority, asked=columns is not None)
    table = build_table(layout)
    for row in cells:
        table.add_row(*(_cell(row.get(c.name, ""), c.name, highlight) for c, _width in layout.shown))
    return Shown(table, layout.hidden)



def _cell(value: str, column: str, highlight: Highlight | None, one_line: bool = False) -> Text:
    """A cell as literal text (never markup, control characters made visible), matches emphasised."""
    from socsopr_cli.console import literal

    text = literal(" ".join(value.split()) if one_line else value)
    if highlight is not None and column in HIGHLIGHTED:
        for start, end in highlight(column, text.plain):
            text.stylize("bold reverse", start, end)
    return text


def _compact(
    records: Sequence[Record], cells: list[dict[str, str]], width: int, available: Sequence[Column],
    highlight: Highlight | None,
) -> Shown:
    """One line per record: ``key  Names (Year) Title [type]``, cut with ``…`` to the width."""
    from rich.cells import cell_len
    from rich.console import Group

    shown = {"key", "names", "year", "title", "type"}
    for record, row in zip(records, cells, strict=True):
        row["short names"] = short_names(record)
    key_width = min(max((cell_len(row["key"]) for row in cells), default=0), 40)
    room = max(width - key_width - 2, 10)
    lines = []
    for row in cells:
        key = _cell(row["key"], "key", None, one_line=True)
        key.stylize("cyan")
        key.truncate(key_width, overflow="ellipsis", pad=True)
        line = key
        line.append("  ")
        line.append_text(_describe(row, room, highlight))
        lines.append(line)
    hidden = [c.name for c in available if c.name not in shown and any(row.get(c.name) for row in cells)]
    return Shown(Group(*lines), hidden, compact=True)


def _describe(row: dict[str, str], room: int, highlight: Highlight | None) -> Text:
    """``Names (Year) Title [type]`` in ``room`` cells; when too long, the type goes first, then the names
    are cut to a third of the room, then the title is cut (``…``)."""
    from rich.text import Text

    year = _cell(f"({row['year']}) ", "year", None) if row["year"] else Text()
    year.stylize("dim")
    kind = _cell(f" [{row['type']}]", "type", None) if row["type"] else Text()
    kind.stylize("dim")
    names = _cell(row["short names"], "names", highlight, one_line=True) if row["short names"] else Text()
    title = _cell(row["title"], "title", highlight, one_line=True)
    if names.cell_len + 1 + year.cell_len + title.cell_len + kind.cell_len > room:
        kind = Text()
        room_for_names = max((room - year.cell_len) // 3, 12)  # a third, or one surname
        if names.cell_len > room_for_names and names.plain.endswith(" et al."):
            names = names[: -len(" et al.")] + "…"  # "Ovsyannikov…": he and others
        if names.cell_len > room_for_names:
            names.truncate(room_for_names, overflow="ellipsis")
        title.truncate(max(room - year.cell_len - names.cell_len - 1, 1), overflow="ellipsis")
    if names.plain:
        names.append(" ")
    return Text.assemble(names, year, title, kind)


def short_names(record: Record) -> str:
    """The first name's family (or an organisation's name), ``et al.`` when there are more."""
    from catalogue.model.names import family_of
    from catalogue.model.record import NAME_ROLES

    everyone = [n for role in NAME_ROLES for n in record.get(role) or ()]
    if not everyone:
        return ""
    first = family_of(everyone[0]) or str(everyone[0].get("given", ""))
    return first + (" et al." if len(everyone) > 1 else "")
