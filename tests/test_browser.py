"""The overview map in real Chromium, offline: it draws every route and hub and answers clicks and hovers."""

from __future__ import annotations

import json
from pathlib import Path

from browser import open_page


def test_overview_map_works_offline(mini_build: Path) -> None:
    routes = json.loads((mini_build / "layers" / "routes.geojson").read_text())["features"]
    hubs = json.loads((mini_build / "layers" / "hubs.geojson").read_text())["features"]
    with open_page(mini_build / "maps" / "index.html") as (page, errors, blocked):
        page.wait_for_timeout(300)
        assert errors == []
        assert all("tile" in url or "arcgis" in url for url in blocked), blocked  # only map tiles try the network
        assert page.locator("path.leaflet-interactive").count() == len(routes) + len(hubs)
        assert page.locator(".cm-legend").is_visible()
        assert "Central Asian transport corridors" in page.title()

        rail = next(f for f in routes if f["id"] == "beyneu-aktau")
        page.locator("path.cm-route-beyneu-aktau").dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=3000)
        assert "Beyneu–Aktau test line" in popup.inner_text()
        assert f"{rail['properties']['length_km']}" in popup.inner_text()

        page.locator("path.cm-hub-baku").dispatch_event("mouseover")
        tooltip = page.locator(".leaflet-tooltip", has_text="Baku")
        tooltip.wait_for(timeout=3000)
        assert tooltip.inner_text() == "Baku"


def test_catalog_text_is_escaped_not_run(mini_catalog: Path, tmp_path: Path) -> None:
    from conftest import run_cli

    payload = "<img src=x onerror=\"window.__pwned=1\">`${window.__pwned=2}`</script><script>window.__pwned=3</script>"
    hubs = mini_catalog / "hubs.yaml"
    hubs.write_text(hubs.read_text().replace("name: Baku", f"name: {json.dumps(payload)}")
                    .replace("description: Capital of Azerbaijan.", f"description: {json.dumps(payload)}"), encoding="utf-8")
    result = run_cli("--catalog", str(mini_catalog), "build", "--layers", str(tmp_path / "l"), "--maps", str(tmp_path / "m"))
    assert result.returncode == 0, result.stderr
    stored = json.loads((tmp_path / "l" / "hubs.geojson").read_text())["features"]
    assert next(f for f in stored if f["id"] == "baku")["properties"]["name"] == payload  # verbatim in GeoJSON
    with open_page(tmp_path / "m" / "index.html") as (page, errors, _):
        page.wait_for_timeout(300)
        assert errors == []
        page.locator("path.cm-hub-baku").dispatch_event("click")
        page.locator("path.cm-hub-baku").dispatch_event("mouseover")
        assert payload in page.locator(".leaflet-popup-content h3").inner_text()
        assert payload in page.locator(".leaflet-tooltip").all_inner_texts()
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("img[src=x]").count() == 0
