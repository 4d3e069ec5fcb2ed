"""The browser's screen (textual): a query box, an optional filter bar, the results and the record.

Every value from the catalogue is drawn as literal text with control and bidi
characters made visible (``socsopr_cli.console.literal``): a title holding an
escape sequence is shown, never sent to the terminal.
"""

from __future__ import annotations

import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, LoadingIndicator, Select, Static

from socsopr_cli.browse.engine import Catalogue, FilterBar, Page, SearchLoop
from socsopr_cli.console import literal, visible

if TYPE_CHECKING:
    from textual.timer import Timer

    from catalogue.model.record import Record

PLACEHOLDER = 'Search: words, "a phrase", author:, type:pamphlet, year:2005..2007, tag:, place:, -word'


class Results(DataTable[Any]):
    """The matching records, one a row; the keys that act on the current record or the marked ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "app.mark", "Mark"),
        Binding("k", "app.copy_key", "Copy key"),
        Binding("r", "app.copy_reference", "Copy GOST"),
        Binding("b", "app.copy_bibtex", "Copy BibTeX"),
        Binding("c", "app.cite", "Cite marked"),
        Binding("e", "app.export", "Export marked"),
        Binding("a", "app.mark_all", "Mark all", show=False),
        Binding("u", "app.unmark_all", "Unmark all", show=False),
        Binding("slash", "app.focus_query", "Search", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]


class ExportScreen(ModalScreen[tuple[str, str] | None]):
    """Asks for a format and a file name; Enter writes, Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, formats: list[tuple[str, str]], count: int, error: str = "",
                 name: str = "", fmt: str = "bibtex") -> None:
        super().__init__()
        self._formats = formats
        self._count = count
        self._error = error
        self._name = name or "socsopr-export.bib"
        self._fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            what = "1 record" if self._count == 1 else f"{self._count} records"
            yield Static(Text(f"Export {what}: choose a format, name the file, press Enter (Escape: back)."),
                         markup=False)
            yield Select([(f"{name} — {about}", name) for name, about in self._formats], value=self._fmt,
                         allow_blank=False, id="format")
            yield Input(value=self._name, id="file")
            yield Static(literal(self._error, "bold red"), id="export-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#file", Input).focus()

    @on(Input.Submitted, "#file")
    def _write(self, event: Input.Submitted) -> None:
        fmt = self.query_one("#format", Select).value
        if event.value.strip():
            self.dismiss((str(fmt), event.value.strip()))


class BrowseApp(App[None]):
    """``socsopr browse``."""

    TITLE = "socsopr browse"
    CSS = """
    #query { border: tall $accent; height: 3; }
    #filters { height: 3; display: none; }
    #filters.shown { display: block; }
    #filters Input { width: 1fr; height: 3; }
    #status { height: 1; padding: 0 1; color: $text-muted; }
    #loading { height: 1; }
    #main { height: 1fr; layout: horizontal; }
    Results { width: 3fr; height: 1fr; }
    #pane { width: 2fr; border-left: solid $panel; padding: 0 1; }
    #main.stacked { layout: vertical; }
    #main.stacked Results { width: 1fr; height: 1fr; }
    #main.stacked #pane { width: 1fr; height: 45%; border-left: none; border-top: solid $panel; }
    #export { width: 80%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    ExportScreen { align: center middle; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "toggle_filters", "Filters"),
        Binding("escape", "escape", "Back", show=False),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(self, db: Path, cache_dir: Path) -> None:
        super().__init__()
        self.catalogue = Catalogue(db, cache_dir)
        self.loop: SearchLoop | None = None
        self.page: Page | None = None  # the page on screen
        self.shown_generation = 0  # the request whose answer is on screen
        self.shown_at = 0.0  # perf_counter() when it was put on screen
        self.marked: dict[str, Record] = {}  # key -> record, kept across queries
        self.last_export: tuple[str, str] = ("", "bibtex")
        self._title_width = 0
        self._widths = (0, 0, 0)  # key, title and names columns of the page on screen
        self._filling = False  # the page's next rows are due after the next frame
        self._fill_timer: Timer | None = None
        self.started = time.perf_counter()

    # --- the screen ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="query")
        with Horizontal(id="filters"):
            yield Input(placeholder="type: book, pamphlet", id="f-type")
            yield Input(placeholder="years: 2005..2007", id="f-years")
            yield Input(placeholder="tag", id="f-tag")
            yield Input(placeholder="place: Москва", id="f-place")
        yield LoadingIndicator(id="loading")
        yield Static(Text("Reading the search index (after a change it is rebuilt first: a few seconds on a "
                          "large catalogue)…"), id="status", markup=False)
        with Horizontal(id="main"):
            table = Results(id="results", cursor_type="row", zebra_stripes=True)
            yield table
            with VerticalScroll(id="pane"):
                yield Static(id="record", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#main").set_class(self.size.width < STACKED_BELOW, "stacked")
        self.query_one("#query", Input).focus()
        self.run_worker(self._open_index, thread=True, name="open index", exit_on_error=False)

    def _open_index(self) -> None:
        try:
            self.catalogue.open()
        except Exception as exc:
            self.call_from_thread(self._failed, exc)
            return
        self.call_from_thread(self._index_ready)

    def _failed(self, exc: Exception) -> None:
        self.query_one("#loading").display = False
        self._status(f"The search index could not be read: {exc}", error=True)

    def _index_ready(self) -> None:
        self.query_one("#loading").display = False
        self.loop = SearchLoop(self.catalogue.search, self._answered, prepare=self.catalogue.prepare)
        self._ask()

    # --- searching -----------------------------------------------------------------------------

    def _bar(self) -> FilterBar:
        def text(name: str) -> str:
            return self.query_one(f"#f-{name}", Input).value

        return FilterBar(type=text("type"), years=text("years"), tag=text("tag"), place=text("place"))

    def _ask(self) -> None:
        if self.loop is not None:
            self.loop.ask(self.query_one("#query", Input).value, self._bar())

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == "query" or (event.input.id or "").startswith("f-"):
            self._ask()

    @on(Input.Submitted, "#query")
    def _to_results(self) -> None:
        self.query_one(Results).focus()

    def _answered(self, generation: int, page: Page) -> None:
        """From the search thread: show the page if no newer query was asked meanwhile."""
        if self.loop is not None and generation == self.loop.latest and self.is_running:
            with suppress(RuntimeError):  # the app closed while the search ran
                self.call_from_thread(self._show, generation, page)

    def _show(self, generation: int, page: Page) -> None:
        if self.loop is not None and generation != self.loop.latest:
            return
        if page.error is not None:
            self._status(page.error, error=True)
            self.shown_generation = generation
            self.shown_at = time.perf_counter()
            self._fill_later()  # the previous page stays: its rows still to come, if any
            return
        self.page = page
        self.shown_generation = generation
        self._fill(page)
        self.shown_at = time.perf_counter()
        self._status_line()
        self._show_record()

    def _fill(self, page: Page) -> None:
        """The page's rows, each value cut with "…" to its column (the title takes the room left)."""
        from rich.cells import cell_len

        table = self.query_one(Results)
        width = table.size.width or self.size.width * 3 // 5
        key_width = min(max((cell_len(visible(r.get("id", ""))) for r in page.records), default=3), KEY)
        key_width = max(key_width, 3)
        # each column has a cell of padding on either side; two cells for the scroll bar
        room = width - 2 - (1 + 2) - (key_width + 2) - (YEAR + 2) - 2
        names_width = min(NAMES, room - TITLE_AT_LEAST - 2)  # the names only beside a readable title
        title_width = max(room - (names_width + 2 if names_width >= 8 else 0), 8)
        table.clear(columns=True)
        table.add_column("", key="mark", width=1)
        table.add_column("Key", key="key", width=key_width)
        table.add_column("Year", key="year", width=YEAR)
        table.add_column("Title", key="title", width=title_width)
        if names_width >= 8:
            table.add_column("Names", key="names", width=names_width)
        self._title_width = title_width
        self._widths = (key_width, title_width, names_width)
        # the rows on screen at once; the rest of the page once typing pauses, a few between two frames
        self._add_rows(page, 0, max(table.size.height, self.size.height, 1))
        self._fill_later()

    def _fill_later(self) -> None:
        if self._fill_timer is not None:
            self._fill_timer.stop()
        self._fill_timer = self.set_timer(FILL_AFTER, self._fill_more)

    def _fill_more(self) -> None:
        """Add the next rows of the page on screen after the next frame, unless a newer query was
        typed meanwhile (its answer replaces them; a malformed one resumes them, see ``_show``)."""
        page = self.page
        try:
            table = self.query_one(Results)
        except NoMatches:  # the app is closing
            return
        if self._filling or page is None or table.row_count >= len(page.records):
            return
        if self.loop is not None and self.loop.latest != self.shown_generation:
            return

        def step() -> None:
            self._filling = False
            if self.page is page and table.is_attached:
                self._add_rows(page, table.row_count, table.row_count + ROWS_PER_STEP)
                self._fill_more()

        self._filling = True
        self.call_after_refresh(step)

    def _add_rows(self, page: Page, start: int, end: int) -> None:
        from socsopr_cli.tables import short_names

        table = self.query_one(Results)
        key_width, title_width, names_width = self._widths
        for number, record in zip(page.numbers[start:end], page.records[start:end], strict=True):
            key = str(record.get("id", ""))
            cells = [
                Text("✓" if key in self.marked else " ", style="bold green"),
                _cut(literal(key, "cyan"), key_width), _cut(literal(_year(record)), YEAR),
                _cut(self._marked_words(str(record.get("title", "")), "title", page), title_width),
            ]
            if names_width >= 8:
                cells.append(_cut(literal(short_names(record)), names_width))
            table.add_row(*cells, key=str(number))

    def on_resize(self) -> None:
        # the record below the results on a narrow terminal, beside them on a wide one
        self.query_one("#main").set_class(self.size.width < STACKED_BELOW, "stacked")
        if self.page is not None:
            row = self.query_one(Results).cursor_row
            self.call_after_refresh(self._refill, row)

    def _refill(self, row: int) -> None:
        if self.page is not None:
            self._fill(self.page)
            self.query_one(Results).move_cursor(row=row)

    def _marked_words(self, text: str, column: str, page: Page) -> Text:
        from catalogue.search.ranking import highlight_spans

        shown = literal(" ".join(text.split()))
        for start, end in highlight_spans(shown.plain, page.words.get(column, set())):
            shown.stylize("bold reverse", start, end)
        return shown

    def _status_line(self) -> None:
        page = self.page
        if page is None:
            return
        if page.query.strip() or self._bar():
            found = f"{page.total:,} match{'es' if page.total != 1 else ''}"
        else:
            found = f"{page.total:,} record{'s' if page.total != 1 else ''}"
        parts = [found]
        if page.total > len(page.numbers):
            parts.append(f"the first {len(page.numbers)} shown")
        parts.append(f"{len(self.marked)} marked")
        parts.append(f"{page.seconds * 1000:.0f} ms")
        self._status(" · ".join(parts))

    def _status(self, message: str, error: bool = False) -> None:
        self.query_one("#status", Static).update(literal(message, "bold red" if error else ""))

    # --- the current record --------------------------------------------------------------------

    def current(self) -> Record | None:
        table = self.query_one(Results)
        page = self.page
        if page is None or not page.records or table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), len(page.records) - 1)
        return page.records[row]

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        with suppress(NoMatches):  # a row highlighted as the app closes: the screen is already gone
            self._show_record()

    def _show_record(self) -> None:
        from socsopr_cli.browse.engine import reference
        from socsopr_cli.render import record_panel

        record = self.current()
        pane = self.query_one("#record", Static)
        if record is None:
            matched_none = self.page is not None and (self.page.query.strip() or self._bar())
            pane.update(Text("No record matches." if matched_none else "The catalogue is empty."))
            return
        heading = Text("GOST 7.1", style="bold")
        pane.update(Group(record_panel(record), Text(), heading, literal(reference(record))))

    # --- actions -------------------------------------------------------------------------------

    def _copy(self, text: str, what: str) -> None:
        self.copy_to_clipboard(text)
        self.notify(visible(f"Copied {what}."), markup=False, timeout=3)

    def action_copy_key(self) -> None:
        record = self.current()
        if record is not None:
            self._copy(str(record["id"]), f"the key {record['id']}")

    def action_copy_reference(self) -> None:
        from socsopr_cli.browse.engine import reference

        record = self.current()
        if record is not None:
            self._copy(reference(record), f"the GOST reference of {record['id']}")

    def action_copy_bibtex(self) -> None:
        from socsopr_cli.browse.engine import bibtex

        record = self.current()
        if record is not None:
            self._copy(bibtex(record), f"the BibTeX of {record['id']}")

    def action_mark(self) -> None:
        record = self.current()
        if record is None:
            return
        key = str(record["id"])
        if key in self.marked:
            del self.marked[key]
        else:
            self.marked[key] = record
        table = self.query_one(Results)
        row = table.cursor_row
        table.update_cell_at(Coordinate(row, 0), Text("✓" if key in self.marked else " ", style="bold green"))
        if row + 1 < table.row_count:
            table.move_cursor(row=row + 1)
        self._status_line()

    def action_mark_all(self) -> None:
        if self.page is not None:
            for record in self.page.records:
                self.marked[str(record["id"])] = record
            self._redraw_marks()

    def action_unmark_all(self) -> None:
        self.marked.clear()
        self._redraw_marks()

    def _redraw_marks(self) -> None:
        table = self.query_one(Results)
        if self.page is not None:
            for row, record in enumerate(self.page.records[:table.row_count]):  # later rows: marked as added
                mark = "✓" if str(record["id"]) in self.marked else " "
                table.update_cell_at(Coordinate(row, 0), Text(mark, style="bold green"))
        self._status_line()

    def _chosen(self) -> list[Record]:
        """The marked records, or the current one when none is marked."""
        if self.marked:
            return list(self.marked.values())
        record = self.current()
        return [record] if record is not None else []

    def action_cite(self) -> None:
        from socsopr_cli.browse.engine import cite

        records = self._chosen()
        if not records:
            return
        text = cite(records)
        what = "1 reference" if len(records) == 1 else f"{len(records)} references"
        self.query_one("#record", Static).update(
            Group(Text(f"GOST 7.1 list of {what} (copied)", style="bold"), Text(), literal(text)))
        self._copy(text, f"a GOST list of {what}")

    def action_export(self) -> None:
        from socsopr_cli.browse.engine import export_formats

        records = self._chosen()
        if not records:
            return
        name, fmt = self.last_export
        self.push_screen(ExportScreen(export_formats(), len(records), name=name, fmt=fmt),
                         lambda answer: self._exported(records, answer))

    def _exported(self, records: list[Record], answer: tuple[str, str] | None) -> None:
        if answer is None:
            return
        from catalogue.errors import CatalogueError
        from socsopr_cli.browse.engine import export_formats, export_to

        fmt, name = answer
        self.last_export = (name, fmt)
        target = Path(name).expanduser()
        try:
            export_to(records, fmt, target, self.catalogue.db)
        except CatalogueError as exc:
            self.push_screen(ExportScreen(export_formats(), len(records), str(exc), name, fmt),
                             lambda again: self._exported(records, again))
            return
        what = "1 record" if len(records) == 1 else f"{len(records)} records"
        self.notify(visible(f"Exported {what} to {target} ({fmt})."), markup=False, timeout=4)

    def action_toggle_filters(self) -> None:
        bar = self.query_one("#filters")
        bar.toggle_class("shown")
        if bar.has_class("shown"):
            self.query_one("#f-type", Input).focus()
        else:
            self.query_one("#query", Input).focus()

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_escape(self) -> None:
        query = self.query_one("#query", Input)
        if query.has_focus and query.value:
            query.value = ""
        elif not query.has_focus:
            query.focus()
        else:
            self.exit()

    def on_unmount(self) -> None:
        if self._fill_timer is not None:
            self._fill_timer.stop()
        if self.loop is not None:
            self.loop.stop()
        self.catalogue.close()


STACKED_BELOW = 110  # columns: the record pane goes under the results
KEY = 22  # a longer key is cut in the list (the record pane shows it whole)
YEAR = 9  # 1998–2007
NAMES = 18
TITLE_AT_LEAST = 24
ROWS_PER_STEP = 20  # rows of a page below the screen added between two frames
FILL_AFTER = 0.2  # seconds without a new answer before the rows below the screen are added


def _cut(text: Text, width: int) -> Text:
    """The text on one line of ``width`` cells, with "…" where it was cut."""
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    return text


def _year(record: Record) -> str:
    from catalogue.model.record import year_text

    return year_text(record)
