"""The rail and road network and the lines routed over it, against facts that do not come from the code."""

from __future__ import annotations

import json
import re
import pytest
from conftest import ROOT, basemap, page_data, unpacked

from geo import network
from geo.catalog import load_catalog
from geo.geodesy import distance_km, length_km
from shapely.geometry import LineString, shape

CATALOG = load_catalog(ROOT / "data")
TBILISI = (CATALOG.hubs["tbilisi"].lon, CATALOG.hubs["tbilisi"].lat)
GORI = next((w.lon, w.lat) for w in CATALOG.routes["tbilisi-samtredia-rail"].via if w.name == "Gori")


def _routes() -> dict[str, dict]:
    text = (ROOT / "layers" / "routes.geojson").read_text(encoding="utf-8")
    return {f["id"]: f for f in json.loads(text)["features"]}


def test_a_leg_follows_the_railway_between_two_towns() -> None:
    path = network.leg("rail", TBILISI, GORI)
    km, straight = length_km(LineString(path)), distance_km(TBILISI, GORI)
    assert path[0] == TBILISI and path[-1] == GORI
    assert straight < km < 1.5 * straight  # the line bends with the valley, but no detour
    assert len(path) > 10  # many vertices, not a straight chord
    assert network.share_near(LineString(path), "rail") > 0.95


def test_a_point_far_from_the_network_or_an_impossible_leg_is_refused() -> None:
    in_the_kyzylkum = (63.0, 43.2)
    with pytest.raises(network.NetworkError, match="km from the nearest rail line") as error:
        network.leg("rail", TBILISI, in_the_kyzylkum)
    assert error.value.waypoint == 1
    # Baoji to Tianshui: the source network lacks this stretch of the Longhai line, and the only path
    # left is an implausible detour (the catalog crosses it with leg: straight).
    with pytest.raises(network.NetworkError, match="2 times the straight") as error:
        baoji, tianshui = (next((w.lon, w.lat) for w in CATALOG.routes["lianyungang-dostyk-rail"].via if w.name == name)
                           for name in ("Baoji", "Tianshui"))
        network.leg("rail", baoji, tianshui)
    assert error.value.waypoint == 0


def test_lengths_compare_like_with_like_against_published_figures() -> None:
    routes = _routes()
    zhezkazgan_beyneu = routes["zhezkazgan-beyneu"]["properties"]
    assert zhezkazgan_beyneu["official_span_km"] < zhezkazgan_beyneu["length_km"]  # only the new-built spans
    assert abs(zhezkazgan_beyneu["length_diff_pct"]) < 3  # 988 km published for those spans
    assert abs(routes["dostyk-moyynty"]["properties"]["length_diff_pct"]) < 7  # 836 km; see the README's limits
    assert routes["tbilisi-kars-rail"]["properties"]["official_length_km"] is None  # 826 km is the whole BTK line


def test_operational_legs_run_on_the_network_and_between_their_waypoints() -> None:
    for feature in _routes().values():
        p = feature["properties"]
        if p["alignment"] != "network":
            continue
        line = shape(feature["geometry"])
        assert line.is_simple, p["id"]  # no spikes or loops at joined waypoints
        assert network.share_near(line, p["mode"]) >= 0.6, p["id"]


def test_every_generated_data_file_names_its_regeneration_command() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for folder in ("network", "naturalearth", "rivers"):
        readme = (ROOT / "data" / folder / "README.md").read_text(encoding="utf-8")
        target = re.search(r"`make (\w+)`", readme).group(1)
        assert re.search(rf"^{target}:", makefile, re.M), (folder, target)
        assert re.search(r"licen[cs]e|LGPL|public\s+domain|ODbL", readme, re.I), folder
    assert "© OpenStreetMap contributors" in (ROOT / "layers" / "README.md").read_text(encoding="utf-8")


def test_the_river_a_project_crosses_is_on_its_map() -> None:
    html = (ROOT / "maps" / "darbaza-maktaaral.html").read_text(encoding="utf-8")
    data = page_data(html)
    rivers = basemap(data, "river")
    route = shape(_routes()["darbaza-maktaaral"]["geometry"])
    assert min(river.distance(route) for river in rivers) < 0.1  # the Syr Darya, bridged by the new line


def test_a_road_leg_between_two_cities_has_a_plausible_length() -> None:
    taraz = next((w.lon, w.lat) for w in CATALOG.routes["wewc-kazakhstan"].via if w.name == "Taraz")
    shymkent = (CATALOG.hubs["shymkent"].lon, CATALOG.hubs["shymkent"].lat)
    km = length_km(LineString(network.leg("road", taraz, shymkent)))
    assert distance_km(taraz, shymkent) < km < 1.4 * distance_km(taraz, shymkent)


def test_hovering_the_network_names_it_and_the_layer_control_hides_it() -> None:
    from browser import open_page

    page_file = ROOT / "maps" / "dostyk-moyynty.html"
    html = page_file.read_text(encoding="utf-8")
    data = page_data(html)
    rail = next(layer for layer in data["context"] if layer["id"] == "network-rail")
    with open_page(page_file) as (page, errors, _):
        assert errors == []
        x, y = page.evaluate("""([world, starts]) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const s = 256 * Math.pow(2, map.getZoom()) / world, o = map.getPixelOrigin();
            const b = map.getSize();
            for (const [x, y] of starts) {  // the first line that starts inside the view
                const p = map.layerPointToContainerPoint([x * s - o.x, y * s - o.y]);
                if (p.x > 80 && p.y > 80 && p.x < b.x - 400 && p.y < b.y - 80) {
                    const box = map.getContainer().getBoundingClientRect();
                    return [box.left + p.x, box.top + p.y];
                }
            }
        }""", [rail["world"], [line[0] for line in unpacked(rail["lines"])]])
        page.mouse.move(x, y)
        page.locator(".leaflet-tooltip", has_text="Railway (OpenStreetMap)").first.wait_for(timeout=3000)
        before = page.locator("canvas.cm-context").count()
        page.locator(".leaflet-control-layers").hover()
        page.locator(".leaflet-control-layers-overlays label", has_text="Railways (OpenStreetMap)").locator("input").uncheck()
        assert page.locator("canvas.cm-context").count() == before - 1
