"""Shared Playwright helpers: Debian Chromium, every non-file request blocked, page errors collected.

One Chromium serves the whole test session (started when first asked for, closed at exit); each
page opens in a fresh browser context of its own, so no page sees another's state, and a test run
does not pay for a browser start per page."""

from __future__ import annotations

import atexit
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
_running: dict[str, Any] = {}


def _browser() -> Browser:
    """The session's Chromium, started when first asked for (again if it has gone)."""
    browser = _running.get("browser")
    if browser is None or not browser.is_connected():
        if "playwright" not in _running:
            _running["playwright"] = sync_playwright().start()
            atexit.register(close_browser)
        _running["browser"] = _running["playwright"].chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    return _running["browser"]


def close_browser() -> None:
    """Close the session's Chromium and Playwright (at exit, or when a script is done with them)."""
    browser, playwright = _running.pop("browser", None), _running.pop("playwright", None)
    if browser is not None and browser.is_connected():
        browser.close()
    if playwright is not None:
        playwright.stop()


@contextmanager
def open_page(html_file: Path, width: int = 1400, height: int = 900, phone: bool = False,
              fragment: str = "") -> Iterator[tuple[Page, list[str], list[str]]]:
    """Open a local HTML file offline (``phone``: as a touch screen; ``fragment``: the part after # in its
    address); yield the page, page errors, blocked URLs."""
    errors: list[str] = []
    blocked: list[str] = []
    context = _browser().new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone,
                                     device_scale_factor=3 if phone else 1)
    page = context.new_page()

    def route(request_route) -> None:  # type: ignore[no-untyped-def]
        url = request_route.request.url
        if url.startswith(("file:", "data:", "about:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    try:
        page.route("**/*", route)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(html_file.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        page.wait_for_load_state("load")
        yield page, errors, blocked
    finally:
        context.close()
