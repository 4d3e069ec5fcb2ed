"""socsopr browse, headless through textual's pilot: typing, navigation, marking, copying, exporting,
citing, filters, and terminal-hostile data shown escaped; the search thread on its own."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from catalogue import Catalogue
from socsopr_cli.browse.app import BrowseApp, ExportScreen, Results
from socsopr_cli.browse.engine import Catalogue as Browsed
from socsopr_cli.browse.engine import FilterBar, Page, SearchLoop
from tests.conftest import run, test_cache
from tests.test_output_safety import SHOWN_ESCAPED, UNSAFE, hostile_catalogue


@pytest.fixture
def shipped_db(db_path: Path) -> Path:
    Catalogue.open(db_path, create=True).close()
    return db_path


def drive(db: Path, scenario: Callable[[Any, BrowseApp], Awaitable[None]],
          size: tuple[int, int] = (120, 40)) -> BrowseApp:
    """Run the app headless and play ``scenario(pilot, app)`` on it."""
    app = BrowseApp(db, test_cache())

    async def play() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await settled(pilot, app)
            await scenario(pilot, app)

    asyncio.run(play())
    return app


async def settled(pilot: Any, app: BrowseApp, timeout: float = 20) -> None:
    """Wait until the answer to the newest query is on screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.01)
        if app.loop is not None and app.shown_generation == app.loop.latest:
            await pilot.pause()
            return
    raise AssertionError("the browser showed no results in time")


async def type_query(pilot: Any, app: BrowseApp, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])
    await settled(pilot, app)


def keys(app: BrowseApp) -> list[str]:
    assert app.page is not None
    return [r["id"] for r in app.page.records]


def pane_text(app: BrowseApp) -> str:
    console = Console(width=100, record=True, color_system=None)
    with console.capture() as captured:
        console.print(app.query_one("#record").content)  # type: ignore[attr-defined]
    return captured.get()


def test_first_screen_lists_every_record(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        assert len(keys(app)) == 19 and app.page is not None and app.page.total == 19
        assert "19 records" in str(app.query_one("#status").content)  # type: ignore[attr-defined]
        assert not app.query_one("#loading").display  # the indicator is gone once the index is read

    drive(shipped_db, scenario)


def test_typing_searches_and_ranks(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "why socialism")
        assert keys(app)[0] == "ovsyannikov2006why"
        assert "match" in str(app.query_one("#status").content)  # type: ignore[attr-defined]
        await pilot.press("escape")  # clears the query: every record again
        await settled(pilot, app)
        assert len(keys(app)) == 19

    drive(shipped_db, scenario)


def test_navigation_shows_every_field_and_the_gost_reference(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "ovsyannikov")
        await pilot.press("enter")  # to the results
        assert isinstance(app.focused, Results)
        first = app.current()
        await pilot.press("down")
        second = app.current()
        assert first is not None and second is not None and first["id"] != second["id"]
        text = pane_text(app)
        assert second["id"] in text and "GOST 7.1" in text
        from catalogue.gost.render import render

        assert " ".join(render(second).split())[:40] in " ".join(text.split())
        await pilot.press("slash")
        assert app.focused is app.query_one("#query")

    drive(shipped_db, scenario)


def test_copy_key_reference_and_bibtex(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "why socialism")
        await pilot.press("enter", "k")
        assert app.clipboard == "ovsyannikov2006why"
        await pilot.press("r")
        from catalogue.gost.render import render

        assert app.current() is not None and app.clipboard == render(app.current())  # type: ignore[arg-type]
        assert "Why Socialism?" in app.clipboard
        await pilot.press("b")
        assert app.clipboard.lstrip().startswith("@") and "ovsyannikov2006why" in app.clipboard
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("Copied the key ovsyannikov2006why" in m for m in shown)
        assert any("BibTeX" in m for m in shown)

    drive(shipped_db, scenario)


def test_marks_survive_a_new_query_and_are_cited(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "why socialism")
        await pilot.press("enter", "space")
        assert list(app.marked) == ["ovsyannikov2006why"]
        await pilot.press("slash", *["backspace"] * 20)
        await type_query(pilot, app, "hands")
        await pilot.press("enter", "space")
        assert set(app.marked) == {"ovsyannikov2006why", "ovsyannikov2005hands"}
        assert "2 marked" in str(app.query_one("#status").content)  # type: ignore[attr-defined]
        await pilot.press("c")
        lines = app.clipboard.splitlines()
        assert len(lines) == 2 and lines[0].startswith("1. ") and lines[1].startswith("2. ")
        assert "Why Socialism?" in app.clipboard and "Hands off education!" in app.clipboard
        await pilot.press("space")  # on the record just marked: unmarks it
        assert "ovsyannikov2005hands" not in app.marked or len(app.marked) == 2

    drive(shipped_db, scenario)


def test_export_the_marked_records(shipped_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "marked.ris"

    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "ovsyannikov 2006")
        await pilot.press("enter", "space", "space")
        assert len(app.marked) == 2
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#format").value = "ris"  # type: ignore[attr-defined]
        file_box = screen.query_one("#file")
        file_box.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)

    app = drive(shipped_db, scenario)
    text = target.read_text(encoding="utf-8")
    assert text.count("TY  - ") == 2
    assert all(key in text for key in app.marked)


def test_export_never_overwrites_the_catalogue(shipped_db: Path) -> None:
    before = shipped_db.read_bytes()

    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await pilot.press("enter", "e")
        await pilot.pause()
        app.screen.query_one("#format").value = "json"  # type: ignore[attr-defined]
        app.screen.query_one("#file").value = str(shipped_db)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)  # asked again, with the reason
        error = str(app.screen.query_one("#export-error").content)  # type: ignore[attr-defined]
        assert "is the catalogue file itself" in error
        await pilot.press("escape")

    drive(shipped_db, scenario)
    assert shipped_db.read_bytes() == before


def test_filters_in_the_query_and_in_the_bar(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "type:pamphlet year:2005..2006")
        found = keys(app)
        assert found and all(k.startswith("ovsyannikov200") or "2006" in k or "2005" in k for k in found)
        with Catalogue.open(app.catalogue.db) as cat:
            for key in found:
                record = cat.get(key)
                assert (record.get("genre") or record["type"]) == "pamphlet"
        await pilot.press("escape")  # clears the query
        await settled(pilot, app)
        await pilot.press("f2")
        assert app.focused is app.query_one("#f-type")
        await type_query(pilot, app, "leaflet")
        assert keys(app) == ["socialistlet"]
        await pilot.press("tab")
        await type_query(pilot, app, "1990..1999")
        assert keys(app) == []
        assert "No record matches" in pane_text(app)

    drive(shipped_db, scenario)


def test_a_malformed_term_keeps_the_results_and_says_why(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "socialism")
        before = keys(app)
        app.query_one("#query").value = "socialism year:abc"  # type: ignore[attr-defined]  # pasted
        await settled(pilot, app)
        assert keys(app) == before
        assert "year" in str(app.query_one("#status").content)  # type: ignore[attr-defined]

    drive(shipped_db, scenario)


def test_hostile_data_is_shown_escaped(db_path: Path) -> None:
    hostile_catalogue(db_path)

    async def scenario(pilot: Any, app: BrowseApp) -> None:
        await type_query(pilot, app, "hostile")
        assert len(keys(app)) == 8
        await pilot.press("enter")
        table = app.query_one(Results)
        for row in range(table.row_count):
            await pilot.press("down")
            cells = " ".join(getattr(c, "plain", str(c)) for c in table.get_row_at(row))
            assert not UNSAFE.search(cells), repr(cells)
            text = pane_text(app)
            assert not UNSAFE.search(text) and SHOWN_ESCAPED.search(text), text
        await pilot.press("k")
        await pilot.pause()
        assert all(not UNSAFE.search(n.message) for n in app._notifications)
        svg = app.export_screenshot()
        assert "\x1b" not in svg

    drive(db_path, scenario)


def test_narrow_terminal_stacks_the_record_under_the_results(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        assert app.query_one("#main").has_class("stacked")
        await type_query(pilot, app, "socialism")
        table = app.query_one(Results)
        assert [str(c.label) for c in table.columns.values()][:4] == ["", "Key", "Year", "Title"]

    drive(shipped_db, scenario, size=(80, 30))


def test_a_page_longer_than_the_screen_is_drawn_a_screenful_first_then_whole(shipped_db: Path) -> None:
    async def scenario(pilot: Any, app: BrowseApp) -> None:
        table = app.query_one(Results)
        for _ in range(50):
            if table.row_count == 19:
                break
            await pilot.pause(0.02)
        assert table.row_count == 19 and [str(k.value) for k in table.rows] == [str(n) for n in range(19)]
        await pilot.press("enter", "a")  # mark all: every row shows it, drawn first or later
        assert all(getattr(table.get_row_at(row)[0], "plain", "") == "✓" for row in range(19))
        await type_query(pilot, app, "s")  # a new page replaces the rows still to come of the old one
        assert table.row_count == len(keys(app))

    drive(shipped_db, scenario, size=(120, 12))


def test_not_on_a_terminal_exits_2() -> None:
    code, out, err = run("browse")
    assert code == 2 and out == ""
    assert "browse needs a terminal" in err and "socsopr search" in err


# --- the engine, without a screen ----------------------------------------------------------------

def test_the_search_loop_answers_the_newest_query(shipped_db: Path) -> None:
    browsed = Browsed(shipped_db, test_cache())
    started = threading.Event()
    release = threading.Event()
    answers: list[tuple[int, Page]] = []
    done = threading.Event()

    def slow(text: str, bar: FilterBar) -> Page:
        if text == "first":
            started.set()
            release.wait(5)
        return browsed.search(text, bar)

    def answered(generation: int, page: Page) -> None:
        answers.append((generation, page))
        if page.query == "hands":
            done.set()

    loop = SearchLoop(slow, answered)
    loop.ask("first", FilterBar())
    assert started.wait(5)
    for text in ("h", "ha", "han", "hands"):  # typed while "first" runs: only the last is searched
        loop.ask(text, FilterBar())
    release.set()
    assert done.wait(10)
    loop.stop()
    assert [page.query for _g, page in answers] == ["first", "hands"]
    assert answers[-1][0] == loop.latest
    assert [r["id"] for r in answers[-1][1].records] == ["ovsyannikov2005hands"]
    browsed.close()


def test_the_search_loop_prepares_once_when_idle_after_the_first_answer(shipped_db: Path) -> None:
    browsed = Browsed(shipped_db, test_cache())
    answered = threading.Event()
    prepared: list[int] = []
    prepared_once = threading.Event()

    def prepare() -> None:
        prepared.append(len(prepared))
        browsed.prepare()
        prepared_once.set()

    loop = SearchLoop(browsed.search, lambda _g, _p: answered.set(), prepare)
    time.sleep(0.05)
    assert not prepared  # not before a first query: the first screen comes first
    loop.ask("", FilterBar())
    assert answered.wait(10) and prepared_once.wait(10)
    loop.ask("socialism", FilterBar())
    time.sleep(0.05)
    loop.stop()
    assert prepared == [0]
    browsed.close()
    browsed.prepare()  # closed: nothing is opened again
    assert not browsed.ready


def test_engine_texts(shipped_db: Path, tmp_path: Path) -> None:
    from socsopr_cli.browse import engine

    browsed = Browsed(shipped_db, test_cache())
    page = browsed.search("why socialism")
    record = page.records[0]
    from catalogue.gost.render import render

    assert engine.reference(record) == render(record) and "Why Socialism?" in engine.reference(record)
    assert "@" in engine.bibtex(record)
    assert engine.cite([record]).startswith("1. Ovsyannikov")
    assert tuple(n for n, _d in engine.export_formats() if n == "bibtex") == ("bibtex", )
    engine.export_to([record], "json", tmp_path / "one.json", shipped_db)
    assert json.loads((tmp_path / "one.json").read_text())[0]["id"] == "ovsyannikov2006why"
    assert browsed.search("year:abc").error is not None
    bar = FilterBar(years="2006,2007", type="pamphlet")
    assert all("200" in r["id"] for r in browsed.search("", bar).records)
    browsed.close()
