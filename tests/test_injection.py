"""Hostile catalog text: every text field carries HTML and script payloads; nothing runs, all shows literally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from browser import open_page
from conftest import run_cli

PAYLOAD = (
    "<img src=x onerror=\"window.__pwned=1\"> 'q' `${window.__pwned=2}` "
    "</script><script>window.__pwned=3</script> {{ 7*7 }} &amp;"
)
TEXT_FIELDS = {"name", "aliases", "description", "title", "outlet", "location_note", "label", "unit",
               "official_length_note"}


MAP = "Object.values(window).find(v => v instanceof L.Map)"


def _poison(node: Any, key: str | None = None) -> Any:
    if isinstance(node, dict):
        if "id" in node and "name" in node:  # hubs, routes and corridors get an alias too
            node = {"aliases": [], **node}
        return {k: _poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        poisoned = [_poison(v, key) for v in node]
        return poisoned + [PAYLOAD] if key == "aliases" else poisoned
    if isinstance(node, str) and key in TEXT_FIELDS:
        return node + PAYLOAD
    return node


def test_payloads_in_every_text_field_show_as_text_and_run_nothing(mini_catalog: Path, tmp_path: Path) -> None:
    for path in mini_catalog.glob("*.yaml"):
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(entries), allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("--catalog", str(mini_catalog), "build", "--layers", str(tmp_path / "l"), "--maps", str(tmp_path / "m"))
    assert result.returncode == 0, result.stderr

    hubs = json.loads((tmp_path / "l" / "hubs.geojson").read_text(encoding="utf-8"))["features"]
    baku = next(f for f in hubs if f["id"] == "baku")["properties"]
    assert baku["name"] == "Baku" + PAYLOAD  # stored verbatim in the GeoJSON

    pages = sorted((tmp_path / "m").glob("*.html"))
    assert len(pages) == 4
    for page_file in pages:
        with open_page(page_file) as (page, errors, _):
            assert errors == [], page_file.name
            assert "Test corridor" + PAYLOAD in page.title() or page_file.name != "test-corridor.html"
            assert PAYLOAD in page.locator(".cm-intro").inner_text()  # map title or intro text
            assert page.locator(".cm-label-aktau").text_content() == "Aktau" + PAYLOAD  # a hub on every map
            page.locator(".cm-search input").fill("akta")  # the search's short list: names as text
            page.locator(".cm-search input").press("Enter")
            options = page.locator(".cm-search-list button").all_inner_texts()
            assert "Aktau" + PAYLOAD in options, options
            page.locator(".cm-search input").fill("")
            page.locator(".cm-search input").press("Enter")

            page.locator(".leaflet-control-layers").hover()
            layer_names = page.locator(".leaflet-control-layers-overlays").inner_text()
            assert "Test corridor" + PAYLOAD in layer_names or page_file.name != "index.html"
            page.mouse.move(5, 450)

            page.locator(".cm-hub-aktau").dispatch_event("mouseover")
            assert "Aktau" + PAYLOAD in page.locator(".leaflet-tooltip").all_inner_texts()
            page.evaluate(f"() => {MAP}.setView([43.68, 51.21], 9, {{animate: false}})")  # Aktau alone, out of any group
            page.locator(".cm-hub-aktau").click()
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for(timeout=3000)
            text = popup.inner_text()
            for field in ("Aktau", "Caspian port.", "Test agreement", "An agreement attached to the port.", "Test capacity",
                          "TEU per year", "Test catalog source with <b>markup</b>", "corridor-mapper tests"):
                assert field + PAYLOAD in text, field
            page.locator("path.cm-route-aktau-baku").first.dispatch_event("click")
            assert "Aktau–Baku test ferry" + PAYLOAD in page.locator(".leaflet-popup-content").last.inner_text()

            page.wait_for_timeout(200)
            assert page.evaluate("window.__pwned === undefined"), page_file.name
            assert page.locator("img[src=x]").count() == 0
            assert "49" not in page.locator(".cm-intro h1").inner_text()  # no template evaluation either
