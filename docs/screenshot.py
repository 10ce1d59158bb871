"""Regenerate the README screenshot of the overview map: python docs/screenshot.py (needs Debian chromium)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import open_page  # noqa: E402

with open_page(ROOT / "maps" / "index.html", 1400, 860) as (page, errors, _):
    page.wait_for_timeout(500)
    page.screenshot(path=str(ROOT / "docs" / "overview.png"))
    if errors:
        raise SystemExit(f"page errors: {errors}")
