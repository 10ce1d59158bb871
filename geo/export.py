"""Exports: the layers as GeoPackage (with QGIS styles and metadata), FlatGeobuf, GeoParquet, KML and CSV.

Every format is written from the same GeoDataFrames, field list (geo.layers.SCHEMAS) and style
table (geo.style) as the GeoJSON and the maps. Files are written beside their target and moved
into place only when complete; nothing but an earlier export of the same format is ever replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import geopandas as gpd
import pyogrio
import pyproj
from shapely import to_wkt

from geo.catalog import Catalog
from geo.errors import UsageError
from geo.layers import LAYER_INFO, SCHEMAS
from geo.popups import Links, corridor_popup, escape, hub_popup, route_popup
from geo.style import HUB_STYLE, MODE_STYLE, STATUS_DASH, route_style

TITLE = "corridor-mapper: Central Asian transport corridors"
ATTRIBUTION = "corridor-mapper (MIT); GeoNames (CC BY 4.0); Natural Earth (public domain); sources in data/sources.yaml"
QGIS_MARKERS = {"circle": "circle", "ring": "circle", "square": "square", "diamond": "diamond",
                "triangle": "triangle", "hexagon": "hexagon", "star": "star"}
CORRIDOR_STYLE = {"color": "#6a3d9a", "weight": 10, "opacity": 0.25}  # wide translucent band under the legs
PX_TO_MM = 0.2646  # one CSS pixel at 96 dpi
GPKG_VERSION = "1.2"  # GDAL 3.6 (QGIS 3.22 LTS, Debian 12) warns on every open of a 1.4 file
MANIFEST = "corridors-export.json"  # in a folder export: what it holds, so that --force replaces only that


def _frame(layers: dict[str, gpd.GeoDataFrame], name: str) -> gpd.GeoDataFrame:
    return layers[name][[f.name for f in SCHEMAS[name]] + ["geometry"]].reset_index(drop=True)


def _rgba(color: str, opacity: float = 1.0) -> str:
    return f"{int(color[1:3], 16)},{int(color[3:5], 16)},{int(color[5:7], 16)},{round(opacity * 255)}"


# --- QGIS styles (QML) --------------------------------------------------------------------------

def _options(**values: Any) -> str:
    return '<Option type="Map">' + "".join(
        f'<Option name="{k}" type="QString" value="{v}"/>' for k, v in values.items()
    ) + "</Option>"


def _line_layer(color: str, weight: float, opacity: float = 1.0, dash: str | None = None) -> str:
    dash_options = dict(use_custom_dash="1", customdash=dash.replace(" ", ";"), customdash_unit="Pixel") if dash else {}
    return '<layer class="SimpleLine" enabled="1" locked="0" pass="0">' + _options(
        line_color=_rgba(color, opacity), line_width=weight, line_width_unit="Pixel", capstyle="flat",
        joinstyle="round", line_style="solid", **dash_options,
    ) + "</layer>"


def _qml(renderer: str, labels: bool) -> str:
    labeling = (
        '<labeling type="simple"><settings calloutType="simple">'
        '<text-style fieldName="map_label" fontSize="9" fontWeight="63" textColor="26,26,26,255" isExpression="0">'
        '<text-buffer bufferDraw="1" bufferSize="1" bufferColor="255,255,255,255"/></text-style>'
        '<placement placement="0" dist="2" distUnits="MM"/></settings></labeling>'
    ) if labels else ""
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        f'<qgis version="3.34" styleCategories="Symbology|Labeling" labelsEnabled="{int(labels)}">'
        f"{renderer}{labeling}<mapTip>[% \"name\" %]</mapTip></qgis>"
    )


def _routes_qml() -> str:
    rules, symbols = [], []
    for i, (mode, status) in enumerate((m, s) for m in MODE_STYLE for s in STATUS_DASH):
        style = route_style(mode, status)
        outer, inner = style["outer"], style["inner"]
        layers = _line_layer(outer["color"], outer["weight"], outer["opacity"], outer["dashArray"])
        if inner:
            layers += _line_layer(inner["color"], inner["weight"], inner["opacity"], inner.get("dashArray"))
        label = f"{MODE_STYLE[mode].label.split(' (')[0]}, {STATUS_DASH[status][1].lower()}"
        rules.append(
            f'<rule key="r{i}" symbol="{i}" label="{label}" '
            f"filter=\"&quot;mode&quot; = '{mode}' AND &quot;status&quot; = '{status}'\"/>"
        )
        symbols.append(f'<symbol type="line" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">{layers}</symbol>')
    renderer = (
        '<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">'
        f'<rules key="root">{"".join(rules)}</rules><symbols>{"".join(symbols)}</symbols></renderer-v2>'
    )
    return _qml(renderer, labels=False)


def _hubs_qml() -> str:
    categories, symbols = [], []
    for i, (kind, style) in enumerate(HUB_STYLE.items()):
        fill = "#ffffff" if style.shape == "ring" else style.color
        outline = style.color if style.shape == "ring" else "#ffffff"
        categories.append(f'<category value="{kind}" symbol="{i}" label="{style.label}" render="true"/>')
        symbols.append(
            f'<symbol type="marker" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleMarker" enabled="1" locked="0" pass="0">' + _options(
                name=QGIS_MARKERS[style.shape], color=_rgba(fill), outline_color=_rgba(outline),
                outline_width=1.5, outline_width_unit="Pixel", size=style.size, size_unit="Pixel",
            ) + "</layer></symbol>"
        )
    renderer = (
        '<renderer-v2 type="categorizedSymbol" attr="kind" symbollevels="0" enableorderby="0" forceraster="0">'
        f'<categories>{"".join(categories)}</categories><symbols>{"".join(symbols)}</symbols></renderer-v2>'
    )
    return _qml(renderer, labels=True)


def _corridors_qml() -> str:
    symbol = _line_layer(CORRIDOR_STYLE["color"], CORRIDOR_STYLE["weight"], CORRIDOR_STYLE["opacity"])
    renderer = (
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols>'
        f'<symbol type="line" name="0" alpha="1" clip_to_extent="1" force_rhr="0">{symbol}</symbol>'
        "</symbols></renderer-v2>"
    )
    return _qml(renderer, labels=False)


def _segments_qml() -> str:
    """Segments by mode (colour and width of the web map), labelled with country and kilometres."""
    categories, symbols = [], []
    for i, (mode, style) in enumerate(MODE_STYLE.items()):
        categories.append(f'<category value="{mode}" symbol="{i}" label="{style.label}" render="true"/>')
        symbols.append(f'<symbol type="line" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">'
                       f"{_line_layer(style.color, style.weight, 0.8)}</symbol>")
    renderer = (
        '<renderer-v2 type="categorizedSymbol" attr="mode" symbollevels="0" enableorderby="0" forceraster="0">'
        f'<categories>{"".join(categories)}</categories><symbols>{"".join(symbols)}</symbols></renderer-v2>'
    )
    return _qml(renderer, labels=False)


def _crossings_qml() -> str:
    """Crossing points: a border-crossing diamond, dark when no named hub matches."""
    style = HUB_STYLE["border_crossing"]
    symbols = []
    for i, color in enumerate((style.color, "#333333")):
        symbols.append(
            f'<symbol type="marker" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleMarker" enabled="1" locked="0" pass="0">' + _options(
                name="diamond", color=_rgba(color), outline_color=_rgba("#ffffff"), outline_width=1,
                outline_width_unit="Pixel", size=style.size * 0.7, size_unit="Pixel",
            ) + "</layer></symbol>"
        )
    renderer = (
        '<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0"><rules key="root">'
        '<rule key="m" symbol="0" label="At a named crossing" filter="&quot;hub&quot; IS NOT NULL"/>'
        '<rule key="u" symbol="1" label="No named crossing" filter="&quot;hub&quot; IS NULL"/>'
        f'</rules><symbols>{"".join(symbols)}</symbols></renderer-v2>'
    )
    return _qml(renderer, labels=False)


QML = {"hubs": _hubs_qml, "routes": _routes_qml, "corridors": _corridors_qml, "segments": _segments_qml,
       "border_crossings": _crossings_qml}
KML_LAYERS = ("corridors", "routes", "hubs", "segments", "border_crossings")  # browsed top down in Google Earth
KML_TYPES = {"string": "string", "number": "double", "integer": "int", "boolean": "bool"}


def _store_styles(path: Path) -> None:
    """QGIS's layer_styles table, one default style per layer, registered as a GeoPackage attribute table.

    Times are ISO 8601 with T and Z, as the GeoPackage standard wants for DATETIME columns.
    """
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
            "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
            "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
            "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
        )
        for name, qml in QML.items():
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                "styleQML, styleSLD, useAsDefault, description) VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?)",
                (name, f"corridor-mapper {name}", qml(), "Same style table as the web maps (geo/style.py)"),
            )
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles')"
        )


# --- writers ----------------------------------------------------------------------------------

def _gpkg(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog, target: Path) -> None:
    built = dt.date.today().isoformat()
    for name in SCHEMAS:
        pyogrio.write_dataframe(
            _frame(layers, name), target, layer=name, driver="GPKG", dataset_options={"VERSION": GPKG_VERSION},
            layer_options={"IDENTIFIER": name, "DESCRIPTION": LAYER_INFO[name][1], "GEOMETRY_NAME": "geom",
                           "FID": "fid"},
            dataset_metadata={"TITLE": TITLE, "ABSTRACT": "Corridors, routes and hubs from the corridor-mapper catalog.",
                              "ATTRIBUTION": ATTRIBUTION, "BUILD_DATE": built},
            layer_metadata={"TITLE": name, "DESCRIPTION": LAYER_INFO[name][1]},
        )
    _store_styles(target)


def _per_layer(suffix: str, write: Callable[[gpd.GeoDataFrame, Path], None]) -> Callable[..., None]:
    def write_all(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog, target: Path) -> None:
        target.mkdir()
        for name in SCHEMAS:
            write(_frame(layers, name), target / f"{name}{suffix}")
    return write_all


CSVT_TYPES = {"string": "String", "number": "Real", "integer": "Integer", "boolean": "Integer"}  # what QGIS 3.22 accepts
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting so as a formula (OWASP)


def _no_formula(value: object) -> object:
    """A text cell a spreadsheet shows as text: an apostrophe before a formula's first character."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _csv(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog, target: Path) -> None:
    """Per layer: <layer>.csv with a ``wkt`` geometry column, its column types (.csvt) and CRS (.prj).

    The .csvt uses only the types both GDAL and QGIS 3.22's Delimited Text reader accept (Integer,
    Real, String): QGIS refuses a file listing GDAL's Integer(Boolean) or WKT. GDAL takes a column
    named wkt as the geometry by itself, and QGIS offers it as the WKT field.
    """
    target.mkdir()
    wgs84 = pyproj.CRS("EPSG:4326").to_wkt("WKT1_GDAL")
    for name, fields in SCHEMAS.items():
        frame = _frame(layers, name)
        table = frame.drop(columns="geometry")
        types = [CSVT_TYPES[f.type] for f in fields]
        for field in fields:
            if field.type == "boolean":  # 1 and 0: QGIS's Delimited Text reader has no boolean type
                table[field.name] = table[field.name].map({True: 1, False: 0})
            elif field.type == "string":
                table[field.name] = table[field.name].map(_no_formula)
        table["wkt"] = [to_wkt(g, rounding_precision=6, trim=True) for g in frame.geometry]  # GDAL and QGIS find it by name
        types.append("String")
        table.to_csv(target / f"{name}.csv", index=False, lineterminator="\n")
        (target / f"{name}.csvt").write_text(",".join(types) + "\n", encoding="utf-8")
        (target / f"{name}.prj").write_text(wgs84, encoding="utf-8")


def _kml_color(color: str, opacity: float) -> str:
    return f"{round(opacity * 255):02x}{color[5:7]}{color[3:5]}{color[1:3]}"


def _kml_geometry(parent: ET.Element, geometry: Any) -> None:
    def line(into: ET.Element, coords: Any) -> None:
        ET.SubElement(ET.SubElement(into, "LineString"), "coordinates").text = " ".join(f"{x},{y}" for x, y in coords)

    if geometry.geom_type == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = f"{geometry.x},{geometry.y}"
    elif geometry.geom_type == "LineString":
        line(parent, geometry.coords)
    else:
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in geometry.geoms:
            line(multi, part.coords)


def _kml_table(row: dict[str, Any], name: str) -> str:
    """A balloon for an analysis layer: its fields as an HTML table, each value escaped."""
    cells = "".join(f"<tr><th>{escape(f.name)}</th><td>{escape(str(row[f.name]))}</td></tr>"
                    for f in SCHEMAS[name] if row[f.name] is not None and row[f.name] == row[f.name])
    return f"<table>{cells}</table>"


def _kml(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog, target: Path) -> None:
    """One Folder per layer with a typed Schema; styles from the style table; balloons carry the map popups.

    Hubs use Google Earth's own placemark icon, tinted by kind (no icon file to fetch, so it shows
    offline); values are typed SimpleData (length_km is a number, project a boolean).
    """
    root = ET.Element("kml", xmlns="http://www.opengis.net/kml/2.2")
    doc = ET.SubElement(root, "Document")
    ET.SubElement(doc, "name").text = TITLE
    ET.SubElement(doc, "description").text = ATTRIBUTION
    for name in KML_LAYERS:
        schema = ET.SubElement(doc, "Schema", name=name, id=name)
        for field in SCHEMAS[name]:
            ET.SubElement(schema, "SimpleField", name=field.name, type=KML_TYPES[field.type])
    for mode in MODE_STYLE:  # KML has no dash patterns: status shows in the balloon and the name of the style
        for status in STATUS_DASH:
            outer = route_style(mode, status)["outer"]
            style = ET.SubElement(doc, "Style", id=f"route-{mode}-{status}")
            line = ET.SubElement(style, "LineStyle")
            ET.SubElement(line, "color").text = _kml_color(outer["color"], outer["opacity"])
            ET.SubElement(line, "width").text = str(outer["weight"])
    for kind, hub_style in HUB_STYLE.items():
        icon = ET.SubElement(ET.SubElement(doc, "Style", id=f"hub-{kind}"), "IconStyle")
        ET.SubElement(icon, "color").text = _kml_color(hub_style.color, 1)
        ET.SubElement(icon, "scale").text = f"{hub_style.size / 14:.2f}"
    corridor_style = ET.SubElement(ET.SubElement(doc, "Style", id="corridor"), "LineStyle")
    ET.SubElement(corridor_style, "color").text = _kml_color(CORRIDOR_STYLE["color"], CORRIDOR_STYLE["opacity"])
    ET.SubElement(corridor_style, "width").text = str(CORRIDOR_STYLE["weight"])

    links = Links.of(catalog, {}, "")
    routes = layers["routes"].set_index("id")
    balloons = {
        "hubs": lambda row: hub_popup(catalog.hubs[row["id"]], catalog, links),
        "routes": lambda row: route_popup(catalog.routes[row["id"]], row, catalog, links),
        "corridors": lambda row: corridor_popup(catalog.corridors[row["id"]], row, catalog),
        "segments": lambda row: _kml_table(row, "segments"),
        "border_crossings": lambda row: _kml_table(row, "border_crossings"),
    }
    names = {"segments": lambda row: f"{row['route_name']}: {row['country_name']}",
             "border_crossings": lambda row: f"{routes.loc[row['route'], 'name']}: {row['from_country']} to {row['to_country']}"}
    styles = {"hubs": lambda row: f"#hub-{row['kind']}", "routes": lambda row: f"#route-{row['mode']}-{row['status']}",
              "corridors": lambda row: "#corridor",
              "segments": lambda row: f"#route-{row['mode']}-{routes.loc[row['route'], 'status']}",
              "border_crossings": lambda row: "#hub-border_crossing"}
    for name in KML_LAYERS:
        folder = ET.SubElement(doc, "Folder")
        ET.SubElement(folder, "name").text = name
        for row in _frame(layers, name).to_dict("records"):
            placemark = ET.SubElement(folder, "Placemark", id=row["id"])
            ET.SubElement(placemark, "name").text = names[name](row) if name in names else row["name"]
            ET.SubElement(placemark, "description").text = balloons[name](row)
            ET.SubElement(placemark, "styleUrl").text = styles[name](row)
            data = ET.SubElement(ET.SubElement(placemark, "ExtendedData"), "SchemaData", schemaUrl=f"#{name}")
            for field in SCHEMAS[name]:
                value = row[field.name]
                if value is not None and value == value:  # NaN != NaN: missing values are left out
                    ET.SubElement(data, "SimpleData", name=field.name).text = (
                        str(value).lower() if isinstance(value, bool) else str(value))
            _kml_geometry(placemark, row["geometry"])
    ET.indent(root)
    ET.ElementTree(root).write(target, encoding="utf-8", xml_declaration=True)


FORMATS: dict[str, tuple[str, str, Callable[[dict[str, gpd.GeoDataFrame], Catalog, Path], None]]] = {
    # name -> (file or folder, what --out names, writer)
    "gpkg": ("file", "a .gpkg file holding every layer", _gpkg),
    "flatgeobuf": ("folder", "a folder of <layer>.fgb files",
                   _per_layer(".fgb", lambda frame, path: pyogrio.write_dataframe(frame, path, driver="FlatGeobuf"))),
    "geoparquet": ("folder", "a folder of <layer>.parquet files",
                   _per_layer(".parquet", lambda frame, path: frame.to_parquet(path, index=False))),
    "kml": ("file", "a .kml file with a folder per layer", _kml),
    "csv": ("folder", "a folder of <layer>.csv files, each with a WKT geometry column (hubs with lat/lon too)", _csv),
}


def _previous_export(path: Path, fmt: str) -> str | None:
    """Why ``path`` (which exists) is not an earlier ``fmt`` export of ours, or None when it is one."""
    if FORMATS[fmt][0] == "folder":
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            ours = {MANIFEST, *manifest["files"]}
        except (OSError, ValueError, KeyError, TypeError):
            return "holds files that corridors export did not write"
        if manifest.get("format") != fmt:
            return f"holds a {manifest.get('format')} export, not {fmt}"
        foreign = sorted(p.name for p in path.iterdir() if p.name not in ours)
        return f"holds files that corridors export did not write ({', '.join(foreign)})" if foreign else None
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if fmt == "kml":
        return None if f"<name>{TITLE}</name>".encode() in head else "is not a KML file written by corridors export"
    if not head.startswith(b"SQLite format 3"):
        return "is not a GeoPackage written by corridors export"
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            found = db.execute("SELECT count(*) FROM gpkg_metadata WHERE metadata LIKE ?", (f"%{TITLE}%",)).fetchone()[0]
    except sqlite3.Error:
        found = 0
    return None if found else "is not a GeoPackage written by corridors export"


def _target(out: Path, fmt: str, force: bool) -> Path:
    """The absolute path to write, after refusing anything that the export must not replace."""
    target = Path(os.path.abspath(out))
    shape = FORMATS[fmt][0]
    advice = f"choose a path that does not exist yet (a new {'folder' if shape == 'folder' else fmt + ' file'})"
    if target.is_symlink():
        raise UsageError(f"--out {out} is a symbolic link; {advice}")
    if not target.exists():
        if target.parent.exists() and not target.parent.is_dir():
            raise UsageError(f"--out {out}: {target.parent} is not a folder")
        return target
    if not (target.is_dir() or target.is_file()):
        raise UsageError(f"--out {out} is a device, pipe or socket; {advice}")
    if target.is_dir() != (shape == "folder"):
        what = "a folder" if target.is_dir() else "a file"
        raise UsageError(f"--out {out} is {what}, and {fmt} is written as {FORMATS[fmt][1]}; {advice}")
    why = _previous_export(target, fmt)
    if why is not None:
        raise UsageError(f"--out {out} {why}; nothing was changed. {advice.capitalize()}")
    if not force:
        raise UsageError(f"--out {out} holds an earlier {fmt} export; add --force to replace it, or {advice}")
    return target


@dataclass(frozen=True)
class Exported:
    """What an export wrote: where, the features of each layer, the bytes, and a folder it had to create."""

    path: Path
    features: dict[str, int]
    size: int
    created: Path | None

    def __str__(self) -> str:
        counts = ", ".join(f"{name} {count:,}" for name, count in self.features.items())
        text = (f"wrote {self.path}: {len(self.features)} layers ({counts} features), "
                f"{self.size / 1e6:,.2f} MB")
        return text + (f"; created {self.created}/, which did not exist" if self.created else "")


def export(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog, fmt: str, out: Path, force: bool = False) -> Exported:
    """Write ``fmt`` to ``out``; say what was written.

    Refuses (UsageError) to replace anything but an earlier export of the same format, and that
    only with ``force``. The export is written beside the target and moved into place complete.
    """
    target = _target(out, fmt, force)
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.export-"))
    except OSError as error:
        raise UsageError(f"--out {out}: cannot write in {target.parent} ({error.strerror})") from None
    try:
        new = staging / target.name
        FORMATS[fmt][2](layers, catalog, new)
        if FORMATS[fmt][0] == "folder":
            files = sorted(p.name for p in new.iterdir())
            (new / MANIFEST).write_text(json.dumps({"format": fmt, "files": files}, indent=1) + "\n", encoding="utf-8")
            if target.exists():
                os.rename(target, staging / "previous")  # removed with the staging folder below
        os.replace(new, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file()) if target.is_dir() else target.stat().st_size
    return Exported(target, {name: len(_frame(layers, name)) for name in SCHEMAS}, size, missing[0] if missing else None)
