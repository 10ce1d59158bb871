"""The CLI end to end on a small catalog of our own: build, validate, list, show, and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
from conftest import MINI, ROOT, lonlat, page_data, run_cli, unpacked
from shapely.geometry import Point, shape


def _features(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    return data["features"]


def test_build_writes_every_layer_and_map(mini_build: Path) -> None:
    hubs = _features(mini_build / "layers" / "hubs.geojson")
    routes = _features(mini_build / "layers" / "routes.geojson")
    corridors = _features(mini_build / "layers" / "corridors.geojson")
    assert [f["id"] for f in hubs] == ["aktau", "baku", "beyneu", "tbilisi"]
    assert [f["id"] for f in routes] == ["aktau-baku", "baku-tbilisi", "beyneu-aktau"]
    assert [f["id"] for f in corridors] == ["test-corridor"]
    baku = next(f for f in hubs if f["id"] == "baku")
    assert baku["geometry"]["coordinates"] == [49.89201, 40.37767]  # longitude first (RFC 7946)
    rail = next(f for f in routes if f["id"] == "beyneu-aktau")["properties"]
    assert rail["via"] == "Beyneu; Shetpe; Aktau" and rail["official_length_km"] == 400
    assert 300 < rail["length_km"] < 450
    assert rail["length_diff_pct"] == round((rail["length_km"] - 400) / 4, 1)
    total = sum(f["properties"]["length_km"] for f in routes)
    assert abs(corridors[0]["properties"]["length_km"] - total) < 0.2
    assert corridors[0]["properties"]["countries"] == "KAZ; AZE; GEO"
    maps = sorted(p.name for p in (mini_build / "maps").iterdir())
    assert maps == [".corridors-owned", "aktau.html", "beyneu-aktau.html", "index.html",  # the record of what it wrote,
                    "test-corridor.html"]  # overview, corridor, 2 projects
    page = (mini_build / "maps" / "index.html").read_text(encoding="utf-8")
    assert "Aktau test line" in page and "leaflet" in page.lower()
    assert "https://cdn" not in page and "<script src=" not in page  # everything inline, nothing from a CDN


def test_every_coordinate_has_at_most_six_decimals(mini_build: Path) -> None:
    text = (mini_build / "layers" / "routes.geojson").read_text(encoding="utf-8")
    for feature in _features(mini_build / "layers" / "routes.geojson"):
        for lon, lat in feature["geometry"]["coordinates"]:
            assert round(lon, 6) == lon and round(lat, 6) == lat
    assert "NaN" not in text


def test_sea_leg_follows_the_maritime_network(mini_build: Path) -> None:
    routes = _features(mini_build / "layers" / "routes.geojson")
    sea = next(f for f in routes if f["id"] == "aktau-baku")
    assert len(sea["geometry"]["coordinates"]) > 2  # not a straight chord between the ports
    assert sea["geometry"]["coordinates"][0] == [51.212927, 43.682325]
    assert sea["geometry"]["coordinates"][-1] == [49.89201, 40.37767]


def test_building_twice_is_byte_identical(mini_build: Path, tmp_path: Path) -> None:
    result = run_cli("--catalog", str(MINI), "build", "--layers", str(tmp_path / "l"), "--maps", str(tmp_path / "m"))
    assert result.returncode == 0, result.stderr
    for name in ("hubs", "routes", "corridors"):
        assert (tmp_path / "l" / f"{name}.geojson").read_bytes() == (mini_build / "layers" / f"{name}.geojson").read_bytes()
    for page in (mini_build / "maps").iterdir():
        assert (tmp_path / "m" / page.name).read_bytes() == page.read_bytes()


def test_validate_list_and_show() -> None:
    assert run_cli("--catalog", str(MINI), "validate").returncode == 0
    listing = run_cli("--catalog", str(MINI), "list", "routes")
    assert listing.returncode == 0 and "aktau-baku" in listing.stdout and "baku-tbilisi" in listing.stdout
    show = run_cli("--catalog", str(MINI), "show", "beyneu-aktau")
    assert show.returncode == 0, show.stderr
    assert "km computed (geodesic, WGS84 ellipsoid)" in show.stdout and "400.0 km official" in show.stdout
    missing = run_cli("--catalog", str(MINI), "show", "no-such-id")
    assert missing.returncode == 2 and "no hub, route or corridor named 'no-such-id'" in missing.stderr


def test_show_finds_entries_by_any_name_and_reads_as_prose() -> None:
    """Issue 17, 6: ids in any case, names and aliases (accents, dashes and case aside), did you mean; each fact once."""
    for query, entry_id in (("Aktau", "aktau"), ("AKTAU", "aktau"), ("Port of Aktau", "aktau"), ("aqtau", "aktau"),
                            ("Актау", "aktau"), ("Dostyk-Moiynty", "dostyk-moyynty"), ("Druzhba", "dostyk"),
                            ("middle corridor", "titr")):
        result = run_cli("show", query)
        assert result.returncode == 0, (query, result.stderr)
        assert result.stdout.splitlines()[0].endswith(f" {entry_id})"), (query, result.stdout[:100])
    typo = run_cli("show", "Aktu")
    assert typo.returncode == 2 and "did you mean aktau (Port of Aktau)" in typo.stderr
    route = run_cli("show", "dostyk-moyynty").stdout
    hub = run_cli("show", "aktau").stdout
    for text in (route, hub):
        assert not {"True", "False", "status_as_of", "official_length_km", "location_source"} & set(text.split())
    assert route.count("836.0 km") == 1 and route.count("ktz-dostyk-moyynty-2024") == 2  # figure, then source list
    assert "beyneu-aktau (Beyneu–Mangyshlak–Aktau railway, rail)" in hub and "aktau-alat-ferry" in hub


def test_invalid_catalog_exits_2_naming_file_line_entry_field(mini_catalog: Path, tmp_path: Path) -> None:
    hubs = mini_catalog / "hubs.yaml"
    hubs.write_text(hubs.read_text().replace("lat: 40.37767", "lat: 140.37767"), encoding="utf-8")
    routes = mini_catalog / "routes.yaml"
    routes.write_text(routes.read_text().replace("mode: road", "mode: hovercraft"), encoding="utf-8")
    layers = tmp_path / "layers"
    result = run_cli("--catalog", str(mini_catalog), "build", "--layers", str(layers), "--maps", str(tmp_path / "maps"))
    assert result.returncode == 2
    lat_line = next(i for i, text in enumerate(hubs.read_text().splitlines(), 1) if "140.37767" in text)
    assert f"hubs.yaml:{lat_line}:3: entry 'baku', field 'lat'" in result.stderr
    assert "entry 'baku-tbilisi', field 'mode'" in result.stderr and "hovercraft" in result.stderr
    assert "Traceback" not in result.stderr
    assert not layers.exists()


def test_point_in_the_wrong_country_suggests_swapped_coordinates(mini_catalog: Path) -> None:
    hubs = mini_catalog / "hubs.yaml"
    hubs.write_text(hubs.read_text().replace("lat: 45.31667\n  lon: 55.2", "lat: 55.2\n  lon: 45.31667"), encoding="utf-8")
    result = run_cli("--catalog", str(mini_catalog), "validate")
    assert result.returncode == 2
    assert "entry 'beyneu', field 'lat'" in result.stderr and "swapped" in result.stderr


def test_unknown_references_are_reported(mini_catalog: Path) -> None:
    corridors = mini_catalog / "corridors.yaml"
    corridors.write_text(corridors.read_text().replace("baku-tbilisi]", "baku-moscow]"), encoding="utf-8")
    routes = mini_catalog / "routes.yaml"
    routes.write_text(routes.read_text().replace("via: [aktau, baku]", "via: [aktau, atlantis]"), encoding="utf-8")
    result = run_cli("--catalog", str(mini_catalog), "validate")
    assert result.returncode == 2
    assert "'baku-moscow' is not a route id" in result.stderr
    assert "unknown hub id 'atlantis'" in result.stderr


def test_map_data_is_lean(mini_build: Path) -> None:
    """Budgets that guard the maps' weight: lines packed to ~1 m, each feature's data in the page once."""
    page = (mini_build / "maps" / "index.html").read_text(encoding="utf-8")
    text = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', page, re.S).group(1)
    data = page_data(page)
    assert text.startswith('{"view":') and 'JSON.parse("' not in page  # encoded once: an object, not a string of JSON
    assert sorted(r["id"] for r in data["routes"]) == ["aktau-baku", "baku-tbilisi", "beyneu-aktau"]
    assert sorted(h["id"] for h in data["hubs"]) == ["aktau", "baku", "beyneu", "tbilisi"]
    layer = json.loads((mini_build / "layers" / "routes.geojson").read_text(encoding="utf-8"))
    geometries = {f["properties"]["id"]: shape(f["geometry"]) for f in layer["features"]}
    for route in data["routes"]:
        points = [lonlat(p, data["routeWorld"]) for line in unpacked(route["lines"]) for p in line]
        assert len(points) == len(shapely.get_coordinates(geometries[route["id"]])), route["id"]  # every vertex
        assert max(geometries[route["id"]].distance(Point(p)) for p in points) < 1e-5, route["id"]  # within ~1 m
        assert text.count(f'"lines":"{route["lines"]}"') == 1, route["id"]  # once per route, shared by both of its drawn lines
    assert page.count("Capital of Azerbaijan.") == 1  # a hub's description appears once, in its popup
    context = len(json.dumps(data["context"], separators=(",", ":")))  # the OpenStreetMap network beneath
    # everything else: 351 KB, of which Leaflet and the runtime (eight commented files) are 245 KB and
    # the basemap (the whole reachable area, lakes filled, borders drawn apart from the land) 33 KB;
    # the title panel, legend and popups come in three languages, with the year control
    assert len(page) - context < 370_000
    assert context < 50_000


def test_show_on_the_committed_catalog_explains_what_an_official_figure_counts(capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main

    for entry_id in ("zhezkazgan-beyneu", "dostyk-moyynty", "wewc", "aktau"):
        assert main(["--catalog", str(ROOT / "data"), "show", entry_id]) == 0, entry_id
    out = capsys.readouterr().out
    assert "compared with 972.2 km drawn" in out and "Zhezkazgan–Saksaulskaya, Shalkar–Beyneu" in out
