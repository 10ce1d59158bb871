"""Every map in real Chromium, offline, used as a planner would: look, click, hover, toggle, search, follow links.

Runs on each map of the small test catalog and on each committed map of the real catalog. The
expected features come from the layers and the site plan (geo.mapping), the checks from the page.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from browser import open_page
from conftest import MINI, ROOT

from geo.catalog import Catalog, load_catalog
from geo.layers import build_layers
from geo.mapping import SEARCH_ZOOM, map_content, map_specs
from geo.style import HUB_STYLE

MAP_STATE = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const b = map.getBounds();
    return {south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast(), zoom: map.getZoom()};
}"""
VISIBLE_LABELS = """() => [...document.querySelectorAll('.cm-label')]
    .filter(e => e.style.visibility !== 'hidden')
    .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""


@functools.cache
def _plan(catalog_dir: Path) -> tuple[Catalog, dict, dict]:
    catalog = load_catalog(catalog_dir)
    layers = build_layers(catalog)
    return catalog, layers, {spec.id: spec for spec in map_specs(layers, catalog)}


def _cases() -> list[tuple[str, str]]:
    return [("mini", name) for name in _plan(MINI)[2]] + [("committed", name) for name in _plan(ROOT / "data")[2]]


@pytest.mark.parametrize(("which", "map_id"), _cases())
def test_map_works_offline_like_a_planner_uses_it(which: str, map_id: str, mini_build: Path) -> None:
    catalog, layers, specs = _plan(MINI if which == "mini" else ROOT / "data")
    folder = mini_build / "maps" if which == "mini" else ROOT / "maps"
    spec = specs[map_id]
    content = map_content(spec, layers)
    routes = layers["routes"]
    lines = sum(len(getattr(routes.loc[r].geometry, "geoms", [0])) for r in content.routes)
    with open_page(folder / f"{map_id}.html") as (page, errors, blocked):
        assert errors == []
        assert all("tile" in url or "arcgis" in url for url in blocked), blocked  # only map tiles try the network
        assert page.locator("path.cm-route").count() == lines
        assert page.locator(".cm-hub").count() == len(content.hubs)
        for subject in spec.routes:
            assert page.locator(f"path.cm-route-{subject}").count() >= 1
        for subject in spec.hubs:
            assert page.locator(f".cm-hub-{subject}").count() == 1
        assert page.locator(".cm-legend").is_visible()
        assert page.title().startswith(spec.title)
        assert page.locator("canvas.cm-context").count() >= 2  # the OpenStreetMap railways and roads beneath
        assert "© OpenStreetMap contributors" in page.locator(".leaflet-control-attribution").inner_text()

        boxes = page.evaluate(VISIBLE_LABELS)
        assert boxes, "no hub label is shown"
        for a, b in itertools.combinations(boxes, 2):
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], f"labels overlap: {a} {b}"

        if spec.routes:  # click a subject route: popup with its name and computed length
            route = routes.loc[spec.routes[0]]
            page.locator(f"path.cm-route-{route['id']}").first.dispatch_event("click")
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for(timeout=3000)
            assert route["name"] in popup.inner_text() and f"{route['length_km']:,.1f} km" in popup.inner_text()
            page.keyboard.press("Escape")

        hub = catalog.hubs[spec.hubs[0]]  # hover a subject hub: tooltip with its name
        page.locator(f".cm-hub-{hub.id}").dispatch_event("mouseover")
        page.locator(".leaflet-tooltip", has_text=hub.name).first.wait_for(timeout=3000)
        page.locator(f".cm-hub-{hub.id}").dispatch_event("mouseout")

        # toggle the layer of that hub's kind off: its hubs and their labels disappear
        kind_hubs = [h for h in content.hubs if catalog.hubs[h].kind == hub.kind]
        page.locator(".leaflet-control-layers").hover()
        label = f"Hubs: {HUB_STYLE[hub.kind].label}"
        page.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input").uncheck()
        assert page.locator(".cm-hub").count() == len(content.hubs) - len(kind_hubs)
        assert page.locator(f".cm-label-{hub.id}").evaluate("e => e.style.visibility") == "hidden"
        page.mouse.move(5, 450)

        # search by an alias (or the name) of that now hidden hub: its layer returns and the map zooms to it
        terms = [t.lower() for h in content.hubs for t in (catalog.hubs[h].name, *catalog.hubs[h].aliases)]
        query = next((a for a in hub.aliases if terms.count(a.lower()) == 1), hub.name)
        search = page.locator(".cm-search input")
        search.fill(query)
        search.press("Enter")
        page.locator(".leaflet-popup-content").get_by_role("heading", name=hub.name, exact=True).wait_for(timeout=3000)
        state = page.evaluate(MAP_STATE)
        assert state["south"] < hub.lat < state["north"] and state["west"] < hub.lon < state["east"]
        assert state["zoom"] >= SEARCH_ZOOM  # zoomed in on it, whatever the initial extent
        assert page.locator(".cm-hub").count() == len(content.hubs)

        # links make a small site: every link resolves, the overview reaches every map, every map the overview
        targets = page.locator(".cm-intro a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert all((folder / target).is_file() for target in targets), targets
        expected = {f"{s}.html" for s in specs if s != map_id} if map_id == "index" else {"index.html"}
        assert expected <= set(targets)



CONTROL_BOXES = """() => [...document.querySelectorAll('.leaflet-control')].map(e => {
    const r = e.getBoundingClientRect(); return [e.className, r.left, r.top, r.right, r.bottom]; })"""


@pytest.mark.parametrize("map_id", ["index", "zhanaozen-turkmenistan-border"])
def test_map_on_a_phone_starts_with_panels_collapsed_and_controls_apart(map_id: str) -> None:
    width, height = 390, 844
    with open_page(ROOT / "maps" / f"{map_id}.html", width, height, phone=True) as (page, errors, _):
        assert errors == []
        assert page.locator(".cm-panel details[open]").count() == 0
        boxes = page.evaluate(CONTROL_BOXES)
        for name, *box in boxes:  # every control on the screen
            assert box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height, (name, box)
        for (a_name, *a), (b_name, *b) in itertools.combinations(boxes, 2):
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], f"{a_name} overlaps {b_name}"
        covered = sum((b[2] - b[0]) * (b[3] - b[1]) for _, *b in boxes)
        assert covered / (width * height) < 0.15, covered / (width * height)
        zoom_in = page.locator(".leaflet-control-zoom-in")
        assert zoom_in.bounding_box()["width"] >= 40  # a thumb-sized target
        before = page.evaluate(MAP_STATE)["zoom"]
        zoom_in.tap()
        page.wait_for_function(f"() => Object.values(window).find(v => v instanceof L.Map).getZoom() > {before}")
        page.locator(".cm-search input").fill("Aktau")
        page.locator(".cm-search input").press("Enter")
        page.locator(".leaflet-popup-content").wait_for(timeout=3000)
        page.locator(".leaflet-popup-close-button").dispatch_event("click")  # the panels step behind an open popup, and back
        page.locator(".cm-intro summary").tap()
        assert page.locator(".cm-intro details[open]").count() == 1


UNDER_POINTER = """([lat, lon, zoom]) => new Promise(done => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    if (zoom !== null) map.setView([lat, lon], zoom, {animate: false});
    requestAnimationFrame(() => {
        const frame = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint([lat, lon]);
        const hit = document.elementFromPoint(frame.left + p.x, frame.top + p.y), b = map.getBounds();
        const own = document.querySelector('path.cm-route-dostyk-moyynty').getBoundingClientRect();
        done({hit: hit && hit.getAttribute('class'), width: frame.width, drawn: own.width,
              view: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
              paths: [...document.querySelectorAll('path.cm-route')].map(e =>
                  [[...e.classList].find(c => c.startsWith('cm-route-')).slice(9), !!e.getAttribute('d')])});
    });
})"""


def _drawn_where_seen(state: dict, routes: gpd.GeoDataFrame) -> None:
    """Every route that crosses the view is drawn; every route far outside it (a third of a view
    round it) is left empty."""
    west, south, east, north = state["view"]
    view = shapely.box(west, south, east, north)
    far = shapely.box(west - (east - west) / 3, south - (north - south) / 3, east + (east - west) / 3, north + (north - south) / 3)
    drawn: dict[str, bool] = {}
    for route_id, nonempty in state["paths"]:
        drawn[route_id] = drawn.get(route_id, False) or nonempty
    for route_id, shown in drawn.items():
        line = routes.loc[route_id].geometry
        if line.intersects(view):
            assert shown, (route_id, state["view"])
        elif not line.intersects(far):
            assert not shown, (route_id, state["view"])


def test_route_lines_are_where_the_map_puts_them_at_every_zoom() -> None:
    """The routes' own renderer (one SVG under one transform, lines cut to the SVG's edge): a
    route's vertex is under the pointer from the overview to zoom 18; every route crossing the view is
    drawn and those far outside it are not; zoomed in, a line is cut to about the view."""
    routes = build_layers(load_catalog(ROOT / "data"))["routes"]
    line = routes.loc["dostyk-moyynty"].geometry
    lon, lat = (line.geoms[0] if hasattr(line, "geoms") else line).coords[5]
    with open_page(ROOT / "maps" / "dostyk-moyynty.html") as (page, errors, _):
        first = page.evaluate(UNDER_POINTER, [lat, lon, None])
        _drawn_where_seen(first, routes)
        overview = page.evaluate(MAP_STATE)["zoom"]
        for zoom in (overview, overview + 3, 12, 18):
            state = page.evaluate(UNDER_POINTER, [lat, lon, zoom])
            assert "cm-route-dostyk-moyynty" in (state["hit"] or ""), (zoom, state["hit"])
            _drawn_where_seen(state, routes)
            if zoom >= 12:
                assert state["drawn"] <= 1.5 * state["width"], (zoom, state["drawn"])  # cut, not stroked far beyond the view
                assert not all(nonempty for _, nonempty in state["paths"]), zoom
        assert errors == []
