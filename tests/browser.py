"""Shared Playwright helpers: Debian Chromium, every non-file request blocked, page errors collected."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@contextmanager
def open_page(html_file: Path, width: int = 1400, height: int = 900, phone: bool = False,
              fragment: str = "") -> Iterator[tuple[Page, list[str], list[str]]]:
    """Open a local HTML file offline (``phone``: as a touch screen; ``fragment``: the part after # in its
    address); yield the page, page errors, blocked URLs."""
    errors: list[str] = []
    blocked: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone,
                                device_scale_factor=3 if phone else 1)

        def route(request_route) -> None:
            url = request_route.request.url
            if url.startswith(("file:", "data:", "about:")):
                request_route.continue_()
            else:
                blocked.append(url)
                request_route.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(html_file.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        page.wait_for_load_state("load")
        try:
            yield page, errors, blocked
        finally:
            browser.close()
