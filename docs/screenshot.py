"""Regenerate the README screenshots (overview and one project map): python docs/screenshot.py.

Needs Debian's chromium; runs offline like the tests, so what you see is the built-in basemap.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import open_page  # noqa: E402

for page_name, image in (("index", "overview"), ("dostyk-moyynty", "project-dostyk-moyynty")):
    with open_page(ROOT / "maps" / f"{page_name}.html", 1400, 860) as (page, errors, _):
        page.wait_for_timeout(500)
        page.screenshot(path=str(ROOT / "docs" / f"{image}.png"))
        if errors:
            raise SystemExit(f"{page_name}: page errors: {errors}")
