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
    assert '\\"id\\":\\"extra\\",\\"world\\"' in page and '\\"lines\\":[]' in page
