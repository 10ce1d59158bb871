"""GIS interchange as a GIS user meets it: RFC 7946 layers, exports read back with GDAL, styles, stable ids."""

from __future__ import annotations

import json
import math
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from conftest import ROOT, build, run_cli
from rfc7946 import problems
from shapely.geometry import shape

from geo.geodesy import GEOD
from geo.export import KML_LAYERS
from geo.layers import SCHEMAS
from geo.style import HUB_STYLE, MODE_STYLE, STATUS_DASH, route_style

ANTIMERIDIAN = ROOT / "tests" / "catalogs" / "antimeridian"
FORMATS = ("gpkg", "flatgeobuf", "geoparquet", "kml", "csv")
KML_FIELDS = {"LIBKML_NAME_FIELD": "kml_name", "LIBKML_DESCRIPTION_FIELD": "kml_description"}  # keep ours apart


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="session")
def antimeridian_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ANTIMERIDIAN, tmp_path_factory.mktemp("antimeridian"))


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every export format of the committed catalog, written by the CLI."""
    out = tmp_path_factory.mktemp("exports")
    for fmt in FORMATS:
        result = run_cli("export", "--format", fmt, "--out", str(out / f"corridors.{fmt}"))
        assert result.returncode == 0, result.stderr
    return out


def test_every_layer_is_rfc7946_clean(mini_build: Path, antimeridian_build: Path) -> None:
    files = [*sorted((ROOT / "layers").glob("*.geojson")), *sorted((mini_build / "layers").glob("*.geojson")),
             *sorted((antimeridian_build / "layers").glob("*.geojson"))]
    assert len(files) == 3 * len(SCHEMAS)
    for path in files:
        assert problems(json.loads(path.read_text(encoding="utf-8"))) == [], path


def test_checker_catches_what_it_should() -> None:
    bad = {"type": "FeatureCollection", "crs": {}, "features": [
        {"type": "Feature", "properties": {"a": 1}, "geometry": {"type": "LineString", "coordinates": [[170, 60], [170, 60], [-170, 61]]}},
        {"type": "Feature", "id": "x", "properties": {"a": "1"}, "geometry": {"type": "Point", "coordinates": [45.1234567, 95]}},
        {"type": "Feature", "id": "p", "properties": {"a": None}, "geometry": {
            "type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}},
    ]}
    found = "\n".join(problems(bad))
    for expected in ("crs member", "no top-level id", "repeated consecutive", "antimeridian", "out of range",
                     "more than 6 decimals", "wound the wrong way", "mixes types"):
        assert expected in found, expected


def test_route_across_the_antimeridian_is_split(antimeridian_build: Path) -> None:
    route = _features(antimeridian_build / "layers" / "routes.geojson")[0]
    assert route["geometry"]["type"] == "MultiLineString"
    west, east = route["geometry"]["coordinates"]
    assert west[-1][0] == 180.0 and east[0][0] == -180.0 and west[-1][1] == east[0][1]
    direct = GEOD.inv(177.5103, 64.73424, -179.11838, 66.32321)[2] / 1000  # Anadyr to Egvekinot, across 180
    assert abs(route["properties"]["length_km"] - direct) < 0.01 * direct
    assert route["properties"]["countries"] == "RUS"


def _normal(value: Any) -> str | None:
    """One spelling for a value whatever the format made of it (None, bool, number or text)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is getattr(gpd.pd, "NA", object()):
        return None
    text = str(value)
    if text.lower() in ("true", "false"):
        return text.lower()
    try:
        return f"{float(text):.6f}"
    except ValueError:
        return text


def _read(exports: Path, fmt: str, layer: str) -> gpd.GeoDataFrame:
    base = exports / f"corridors.{fmt}"
    if fmt == "gpkg":
        return pyogrio.read_dataframe(base, layer=layer)
    if fmt == "flatgeobuf":
        return pyogrio.read_dataframe(base / f"{layer}.fgb")
    if fmt == "geoparquet":  # this GDAL build has no Parquet driver: read with pyarrow through geopandas
        return gpd.read_parquet(base / f"{layer}.parquet")
    if fmt == "kml":
        pyogrio.set_gdal_config_options(KML_FIELDS)
        try:
            return pyogrio.read_dataframe(base, layer=layer)
        finally:
            pyogrio.set_gdal_config_options({key: None for key in KML_FIELDS})
    # CSV cannot tell empty from missing (the README says to read empty as null); booleans are 1 and 0
    frame = pyogrio.read_dataframe(base / f"{layer}.csv", KEEP_GEOM_COLUMNS="NO", EMPTY_STRING_AS_NULL="YES")
    for field in SCHEMAS[layer]:
        if field.type == "boolean":
            frame[field.name] = frame[field.name].map({1: True, 0: False})
    return frame


# QGIS 3.22, src/providers/delimitedtext/qgsdelimitedtextprovider.cpp, readCsvtFieldTypes(): the one line
# of a .csvt, lower-cased, must match this, or the Delimited Text dialog says "not correctly formatted".
QGIS_CSVT = re.compile(r'(?:\s*("?)(?:integer|real|double|long|longlong|int8|string|date|datetime|time)'
                       r'(?:\(\d+(?:\.\d+)?\))?\1\s*(?:,|$))+')


def test_every_csv_opens_with_geometry_and_types_in_gdal_and_qgis(exports: Path) -> None:
    """Issue 17, 5: dropped into QGIS (OGR) each CSV has its geometry; QGIS's Delimited Text accepts each .csvt."""
    for layer, fields in SCHEMAS.items():
        csv_path = exports / "corridors.csv" / f"{layer}.csv"
        types = (exports / "corridors.csv" / f"{layer}.csvt").read_text(encoding="utf-8").strip()
        assert QGIS_CSVT.fullmatch(types.lower()), (layer, types)
        header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert len(types.split(",")) == len(header) and header[-1] == "wkt", layer
        info = pyogrio.read_info(csv_path)  # what "Add vector layer" and drag-and-drop do: no open options
        assert info["features"] == len(_features(ROOT / "layers" / f"{layer}.geojson"))
        frame = pyogrio.read_dataframe(csv_path)
        assert frame.geometry.notna().all() and frame.crs.equals("EPSG:4326", ignore_axis_order=True), layer
        ogr_types = dict(zip(info["fields"], info["ogr_types"]))
        wanted = {"string": "OFTString", "number": "OFTReal", "integer": "OFTInteger", "boolean": "OFTInteger"}
        assert {f.name: ogr_types[f.name] for f in fields} == {f.name: wanted[f.type] for f in fields}, layer


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_reads_back_the_same_as_the_geojson(fmt: str, exports: Path) -> None:
    for layer, fields in SCHEMAS.items():
        if fmt == "kml" and layer not in KML_LAYERS:
            continue
        expected = {f["id"]: f for f in _features(ROOT / "layers" / f"{layer}.geojson")}
        frame = _read(exports, fmt, layer)
        assert frame.crs is not None and frame.crs.equals("EPSG:4326", ignore_axis_order=True), (fmt, layer, frame.crs)
        assert sorted(frame["id"]) == sorted(expected), (fmt, layer)
        for row in frame.to_dict("records"):
            feature = expected[row["id"]]
            for field in fields:
                assert _normal(row.get(field.name)) == _normal(feature["properties"][field.name]), (fmt, layer, row["id"], field.name)
            assert shape(feature["geometry"]).hausdorff_distance(row["geometry"]) < 1e-5, (fmt, layer, row["id"])  # ~1 m


def test_geopackage_carries_qgis_styles_and_metadata(exports: Path) -> None:
    path = exports / "corridors.gpkg"
    info = pyogrio.read_info(path, layer="routes")
    assert {"TITLE", "ABSTRACT", "ATTRIBUTION", "BUILD_DATE"} <= set(info["dataset_metadata"])
    assert info["layer_metadata"]["DESCRIPTION"]
    with sqlite3.connect(path) as db:
        styles = dict(db.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1").fetchall())
        assert db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchone() == ("attributes",)
    assert set(styles) == set(SCHEMAS)
    routes = ET.fromstring(styles["routes"].split("'SYSTEM'>", 1)[1])
    rules = routes.findall(".//rule")
    assert len(rules) == len(MODE_STYLE) * len(STATUS_DASH)
    for rule in rules:  # each mode/status rule draws the web map's line: colour, width, dashes
        mode, status = (part.split("'")[1] for part in rule.get("filter").split(" AND "))
        outer = route_style(mode, status)["outer"]
        symbol = routes.find(f".//symbol[@name='{rule.get('symbol')}']")
        options = {o.get("name"): o.get("value") for o in symbol.find("layer").iter("Option") if o.get("name")}
        red, green, blue = (int(outer["color"][i:i + 2], 16) for i in (1, 3, 5))
        assert options["line_color"].startswith(f"{red},{green},{blue},")
        assert float(options["line_width"]) == outer["weight"]
        assert options.get("customdash") == (outer["dashArray"].replace(" ", ";") if outer["dashArray"] else None)
    hubs = ET.fromstring(styles["hubs"].split("'SYSTEM'>", 1)[1])
    assert sorted(c.get("value") for c in hubs.iter("category")) == sorted(HUB_STYLE)
    assert hubs.find(".//text-style").get("fieldName") == "map_label"  # one label for hubs that share a point
    aktau = {f["id"]: f["properties"]["map_label"] for f in _features(ROOT / "layers" / "hubs.geojson")}
    assert aktau["aktau"] == "Port of Aktau / Aktau container hub" and aktau["aktau-container-hub"] is None


def test_kml_is_styled_like_the_map_with_popups_as_balloons(exports: Path) -> None:
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    doc = ET.parse(exports / "corridors.kml").getroot().find("k:Document", ns)
    styles = {s.get("id"): s for s in doc.findall("k:Style", ns)}
    placemarks = doc.findall(".//k:Placemark", ns)
    assert len(placemarks) == sum(len(_features(ROOT / "layers" / f"{n}.geojson")) for n in KML_LAYERS)
    for placemark in placemarks:
        assert placemark.find("k:styleUrl", ns).text[1:] in styles
    line = styles["route-rail-operational"].find("k:LineStyle/k:color", ns).text
    assert line[2:] == MODE_STYLE["rail"].color[5:7] + MODE_STYLE["rail"].color[3:5] + MODE_STYLE["rail"].color[1:3]
    balloon = next(p for p in placemarks if p.get("id") == "dostyk-moyynty").find("k:description", ns).text
    length = next(f for f in _features(ROOT / "layers" / "routes.geojson") if f["id"] == "dostyk-moyynty")["properties"]["length_km"]
    assert "Dostyk–Moyynty second track" in balloon and f"{length:,.1f} km" in balloon and "Sources</b>" in balloon


def test_published_ids_and_field_types_are_kept() -> None:
    """A committed layer may not lose an id, or change a field's type unless the data dictionary records it."""
    published = json.loads((ROOT / "tests" / "stability" / "published.json").read_text(encoding="utf-8"))["layers"]
    dictionary = (ROOT / "layers" / "README.md").read_text(encoding="utf-8")
    json_types = {"string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,)}
    for layer, spec in published.items():
        features = _features(ROOT / "layers" / f"{layer}.geojson")
        lost = set(spec["ids"]) - {f["id"] for f in features}
        assert not lost, f"{layer}: published ids disappeared: {sorted(lost)} (ids never change; keep them, add aliases)"
        schema = {f.name: f for f in SCHEMAS[layer]}
        for name, old_type in spec["fields"].items():
            assert name in schema, f"{layer}.{name} was published and is gone"
            field = schema[name]
            assert field.type == old_type or field.changed, f"{layer}.{name}: {old_type} -> {field.type} without a note"
            assert f"| `{name}` | {field.type} |" in dictionary
        for feature in features:
            assert feature["id"] == feature["properties"]["id"]
            for name, value in feature["properties"].items():
                ok = value is None or (isinstance(value, json_types[schema[name].type]) and
                                       not (schema[name].type != "boolean" and isinstance(value, bool)))
                assert ok, f"{layer} {feature['id']}.{name} = {value!r} is not {schema[name].type}"


def test_kml_works_offline_typed_and_with_every_layer(exports: Path) -> None:
    """Issue 17, 11-12: no icon to fetch, a typed Schema per layer, the segments and border crossings too."""
    path = exports / "corridors.kml"
    root = ET.parse(path).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert root.findall(".//k:Icon", ns) == []  # Google Earth's own placemark icon, tinted: nothing online
    assert sorted(f.findtext("k:name", namespaces=ns) for f in root.findall(".//k:Folder", ns)) == sorted(SCHEMAS)
    for layer, fields in SCHEMAS.items():
        info = pyogrio.read_info(path, layer=layer)
        types = dict(zip(info["fields"], info["dtypes"]))
        assert types["id"] == "object" and info["features"] == len(_features(ROOT / "layers" / f"{layer}.geojson"))
        for field in fields:
            if field.type == "number":
                assert types[field.name] == "float64", (layer, field.name, types[field.name])
    crossing = root.find(".//k:Folder[k:name='border_crossings']/k:Placemark", ns)
    assert crossing.findtext("k:styleUrl", namespaces=ns) == "#hub-border_crossing"
