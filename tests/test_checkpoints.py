"""Lines through the places they pass: checkpoints on the line, lengths against the official ones with
their reasons, schematic lines drawn as such, and no border crossed by a coarse straight step."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, page_data, run_cli
from shapely.geometry import LineString, Point, shape

from geo.catalog import load_catalog
from geo.geodesy import length_km
from geo.geometry import checkpoint_km, route_line
from geo.lengths import REASON_PCT
from geo.style import SCHEMATIC_WEIGHT

CATALOG = load_catalog(ROOT / "data")
ROUTES = {f["properties"]["id"]: f for f in json.loads((ROOT / "layers" / "routes.geojson").read_text())["features"]}


def test_a_town_beside_a_coarse_step_is_passed_through() -> None:
    """The source's road runs 52 km from Aral in one 360 km step; the cited town bends the line to it."""
    route = CATALOG.routes["wewc-kazakhstan"]
    line = shape(ROUTES["wewc-kazakhstan"]["geometry"])
    by_name = dict(zip((w.name for w in route.via), checkpoint_km(route, line)))
    assert by_name["Aral"] < 1 and by_name["Zhosaly"] < 1 and by_name["Irgiz"] < 1


def test_every_cited_checkpoint_of_the_kazakh_lines_is_within_5_km() -> None:
    for rid in ("wewc-kazakhstan", "dostyk-moyynty", "zhezkazgan-beyneu", "beyneu-aktau", "almaty-moyynty-rail",
                "moyynty-zhezkazgan", "kars-istanbul-rail"):
        route = CATALOG.routes[rid]
        km = checkpoint_km(route, shape(ROUTES[rid]["geometry"]))
        far = [(w.name, d) for w, d in zip(route.via, km) if w.source and d > 5]
        assert far == [], (rid, far)


def test_lengths_meet_the_official_ones_or_say_why() -> None:
    dostyk = ROUTES["dostyk-moyynty"]["properties"]
    assert abs(dostyk["length_diff_pct"]) <= 5, dostyk["length_km"]
    for rid, feature in ROUTES.items():
        p = feature["properties"]
        if p["length_diff_pct"] is not None and abs(p["length_diff_pct"]) > REASON_PCT:
            assert p["length_reason"], rid
        assert p["longest_step_km"] > 0 and 0 <= p["straight_km"] <= p["length_km"] + 0.1, rid
    assert "straight steps" in ROUTES["wewc-kazakhstan"]["properties"]["length_reason"]
    assert "schematic" in ROUTES["bakhty-ayagoz"]["properties"]["length_reason"]


def test_no_border_is_crossed_by_a_straight_step_cutting_a_corner() -> None:
    crossings = json.loads((ROOT / "layers" / "border_crossings.geojson").read_text())["features"]
    assert not [c for c in crossings if "KGZ" in (c["properties"]["from_country"], c["properties"]["to_country"])]


def test_check_lists_checkpoints_longest_steps_and_warns_on_a_far_one(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for name in ("hubs", "sources", "corridors", "transit"):
        (catalog / f"{name}.yaml").write_text((ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    routes = (ROOT / "data" / "routes.yaml").read_text(encoding="utf-8")
    far = '    - {name: Shetpe, lat: 44.13922, lon: 52.15305, location_source: "geonames:608324"}'
    assert far in routes
    moved = far.replace("lat: 44.13922", "lat: 44.17922")  # 4.4 km north, beside the short steps there
    (catalog / "routes.yaml").write_text(routes.replace(far, moved), encoding="utf-8")
    result = run_cli("--catalog", str(catalog), "check", "--format", "json")
    found = json.loads(result.stdout)
    shetpe = next(c for c in found["checkpoints"] if c["route"] == "beyneu-aktau" and c["name"] == "Shetpe")
    assert shetpe["km"] > 3 and not shetpe["ok"]
    assert any("checkpoint Shetpe" in w["text"] for w in found["warnings"])
    assert next(r for r in found["routes"] if r["id"] == "beyneu-aktau")["longest_step_km"] > 25
    text = run_cli("--catalog", str(catalog), "check").stdout
    assert "beyneu-aktau: Beyneu 0.0, Shetpe" in text and "WARNING route beyneu-aktau: checkpoint Shetpe" in text


def test_a_schematic_line_looks_schematic_and_says_approx() -> None:
    data = page_data((ROOT / "maps" / "bakhty-ayagoz.html").read_text(encoding="utf-8"))
    route = next(r for r in data["routes"] if r["id"] == "bakhty-ayagoz")
    style = data["styles"][route["style"]]
    assert route["schematic"] and style["outer"]["weight"] == SCHEMATIC_WEIGHT and style["inner"] is None
    normal = data["styles"][route["style"].replace(":schematic", "")]
    assert normal["outer"]["weight"] > 2 * SCHEMATIC_WEIGHT
    rows = [row[0] for row in route["popup"]["rows"]]
    assert rows.index("Length (official)") < rows.index("Length (computed)")
    computed = dict((row[0], row[1]) for row in route["popup"]["rows"])["Length (computed)"]
    assert "approx." in json.dumps(computed, ensure_ascii=False)


def test_the_port_sea_leg_starts_at_the_shore() -> None:
    """Aktau–Alat leaves from the quay: none of its start lies on land inside the Caspian shore the maps draw."""
    from shapely.ops import polygonize, unary_union

    from geo.water import water

    _, shores, _ = water()
    caspian = max(polygonize(unary_union([s for s in shores if s.bounds[0] < 55 and s.bounds[2] > 47])), key=lambda p: p.area)
    for rid in ("aktau-alat-ferry",):
        line = route_line(CATALOG.routes[rid])
        ashore = line.difference(caspian).intersection(Point(line.coords[0]).buffer(0.2))  # the Aktau end
        assert ashore.is_empty or length_km(ashore) < 2, (rid, length_km(ashore))
    assert LineString(shape(ROUTES["aktau-alat-ferry"]["geometry"])).coords[0] == (51.2086, 43.6186)
