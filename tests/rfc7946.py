"""An RFC 7946 checker for FeatureCollections, strict where GIS tools are: returns a list of problems."""

from __future__ import annotations

from typing import Any

from shapely.geometry import LinearRing, shape

GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def _json_type(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string"}.get(type(value), type(value).__name__)


def _position(pos: Any, where: str) -> list[str]:
    if not (isinstance(pos, list) and len(pos) in (2, 3) and all(isinstance(v, (int, float)) for v in pos)):
        return [f"{where}: position {pos!r} is not [lon, lat]"]
    lon, lat = pos[0], pos[1]
    out = []
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        out.append(f"{where}: position {pos} out of range (longitude first?)")
    if any(round(v, 6) != v for v in pos[:2]):
        out.append(f"{where}: position {pos} has more than 6 decimals")
    return out


def _line(coords: list, where: str, closed: bool = False) -> list[str]:
    out = [p for pos in coords for p in _position(pos, where)]
    if len(coords) < (4 if closed else 2):
        out.append(f"{where}: too few positions ({len(coords)})")
    for a, b in zip(coords, coords[1:]):
        if a == b:
            out.append(f"{where}: repeated consecutive position {a}")
        elif abs(a[0] - b[0]) > 180:
            out.append(f"{where}: segment {a} -> {b} crosses the antimeridian without a split")
    if closed and coords and coords[0] != coords[-1]:
        out.append(f"{where}: ring is not closed")
    return out


def _polygon(rings: list, where: str) -> list[str]:
    out = []
    for i, ring in enumerate(rings):
        out += _line(ring, f"{where} ring {i}", closed=True)
        if len(ring) >= 4 and LinearRing(ring).is_ccw != (i == 0):
            out.append(f"{where} ring {i}: wound the wrong way (exterior counter-clockwise, holes clockwise)")
    return out


def _geometry(geometry: dict, where: str) -> list[str]:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind not in GEOMETRY_TYPES:
        return [f"{where}: geometry type {kind!r}"]
    checks = {
        "Point": lambda: _position(coords, where),
        "MultiPoint": lambda: [p for pos in coords for p in _position(pos, where)],
        "LineString": lambda: _line(coords, where),
        "MultiLineString": lambda: [p for i, part in enumerate(coords) for p in _line(part, f"{where} part {i}")],
        "Polygon": lambda: _polygon(coords, where),
        "MultiPolygon": lambda: [p for i, poly in enumerate(coords) for p in _polygon(poly, f"{where} part {i}")],
    }
    out = checks[kind]()
    if not out:
        geom = shape(geometry)
        if not geom.is_valid:
            out.append(f"{where}: invalid geometry")
        elif kind in ("LineString", "MultiLineString") and not all(p.is_simple for p in getattr(geom, "geoms", [geom])):
            out.append(f"{where}: line intersects itself")
    return out


def problems(document: dict) -> list[str]:
    """Every way the document departs from RFC 7946 and the conventions GIS importers rely on."""
    out = []
    if document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        return ["not a FeatureCollection"]
    if "crs" in document:
        out.append("has a crs member (RFC 7946 is always WGS84 lon/lat)")
    types: dict[str, set[str]] = {}
    keys = None
    for n, feature in enumerate(document["features"]):
        where = f"feature {n} ({feature.get('id')!r})"
        if feature.get("type") != "Feature":
            out.append(f"{where}: not a Feature")
        if not isinstance(feature.get("id"), (str, int)):
            out.append(f"{where}: no top-level id")
        properties = feature.get("properties") or {}
        if keys is None:
            keys = set(properties)
        elif set(properties) != keys:
            out.append(f"{where}: property names differ from the first feature's")
        for key, value in properties.items():
            if value is not None:
                types.setdefault(key, set()).add(_json_type(value))
            if value == "":
                out.append(f"{where}: empty string in {key!r} (use null)")
        out += _geometry(feature.get("geometry") or {}, where)
    out += [f"property {key!r} mixes types {sorted(kinds)}" for key, kinds in types.items() if len(kinds) > 1]
    return out
