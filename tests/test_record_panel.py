"""The terminal's record panel (show, add's preview, browse) names fields as users type them."""

from __future__ import annotations

from rich.console import Console

from socsopr_cli.render import record_panel

RECORD = {"id": "why2006", "type": "pamphlet", "title": "Why Socialism?", "issued": {"date-parts": [[2006]]},
          "number-of-pages": 36, "publisher-place": "Moscow", "author": [{"family": "Ovsyannikov", "given": "I. A."}]}


def test_the_panel_uses_the_shown_field_names() -> None:
    console = Console(width=100, record=True, color_system=None)
    console.print(record_panel(RECORD))
    text = console.export_text()
    for shown in ("year", "pages", "place", "author", "key"):
        assert any(line.split()[:1] == [shown] for line in text.splitlines()), (shown, text)
    for csl in ("issued", "number-of-pages", "publisher-place"):
        assert csl not in text
    assert "2006" in text and "Ovsyannikov I. A." in text
