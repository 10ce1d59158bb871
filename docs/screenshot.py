"""Regenerate the README screenshots (overview, one project map, the overview on a phone, a project map in
Russian in a past year): python docs/screenshot.py.

Needs Debian's chromium; runs offline like the tests, so what you see is the built-in basemap.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import open_page  # noqa: E402

for page_name, image, width, height, fragment in (
        ("index", "overview", 1440, 900, ""), ("dostyk-moyynty", "project-dostyk-moyynty", 1440, 900, ""),
        ("index", "phone-overview", 390, 844, ""), ("bakhty-ayagoz", "project-bakhty-ayagoz-ru-2024", 1440, 900, "year=2024&lang=ru")):
    with open_page(ROOT / "maps" / f"{page_name}.html", width, height, phone=width < 600, fragment=fragment) as (page, errors, _):
        page.wait_for_timeout(500)
        page.screenshot(path=str(ROOT / "docs" / f"{image}.png"), scale="css")
        if errors:
            raise SystemExit(f"{page_name}: page errors: {errors}")
