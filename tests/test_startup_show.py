"""``show`` of a record as json or fields loads neither the renderer nor the format registry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from socsopr_cli import render
from socsopr_cli.commands import show_cmd


def test_show_names_the_table_format_as_render_does() -> None:
    assert show_cmd.TABLE == render.TABLE


def test_show_as_json_loads_no_renderer(tmp_path: Path) -> None:
    env = {**os.environ, "SOCSOPR_DB": str(tmp_path / "c.json"), "SOCSOPR_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "socsopr_cli", "init"], env=env, check=True, capture_output=True)
    for fmt in ("json", "fields"):
        code = (
            "import sys\n"
            "from socsopr_cli.app import app\n"
            f"sys.argv = ['socsopr', 'show', '-f', {fmt!r}, 'ovsyannikov2006why']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print([m for m in ('socsopr_cli.render', 'socsopr_cli.errors', 'catalogue.formats') if m in sys.modules],"
            " file=sys.stderr)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert "ovsyannikov2006why" in result.stdout, result.stderr
        assert result.stderr.strip().splitlines()[-1] == "[]", fmt
