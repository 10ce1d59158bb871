"""Country polygons (Natural Earth 1:50m admin-0): which country a point lies in, which a line crosses."""

from __future__ import annotations

import functools
from pathlib import Path

import shapely
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo import memo
from geo.geodesy import distance_km

COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "ne_50m_admin_0_countries.geojson"


def _read() -> dict[str, list[str]]:
    import pyogrio  # GDAL reads the GeoJSON fast; the cache (as WKB) is faster still

    frame = pyogrio.read_dataframe(COUNTRIES_FILE).sort_values("ADM0_A3", kind="stable")
    return {"codes": list(frame["ADM0_A3"]), "names": list(frame["NAME"]), "wkb": list(shapely.to_wkb(frame.geometry.values, hex=True))}


@functools.cache
def countries() -> tuple[tuple[str, ...], tuple[str, ...], tuple[BaseGeometry, ...], STRtree]:
    """Codes (ADM0_A3), English names, polygons and a spatial index of all countries (kept in the
    user cache, geo.memo, as WKB: exactly the same coordinates)."""
    table = memo.cached("countries", [], (COUNTRIES_FILE,), _read, lambda value: isinstance(value, dict) and all(
        isinstance(value.get(k), list) for k in ("codes", "names", "wkb")) and len({len(value[k]) for k in ("codes", "names", "wkb")}) == 1)
    polygons = shapely.from_wkb([bytes.fromhex(wkb) for wkb in table["wkb"]])  # GEOS reads hex ten times slower
    shapely.prepare(polygons)  # point-in-country and line-in-country tests are asked of them thousands of times
    shapes = tuple(polygons)
    return tuple(table["codes"]), tuple(table["names"]), shapes, STRtree(shapes)


def country_name(code: str) -> str:
    codes, names, _, _ = countries()
    return names[codes.index(code)] if code in codes else code


def country_at(lon: float, lat: float) -> str | None:
    """ADM0_A3 code of the country containing the point, or None at sea."""
    codes, _, shapes, tree = countries()
    point = Point(lon, lat)
    hits = [i for i in tree.query(point) if shapes[i].covers(point)]
    return codes[min(hits)] if hits else None


def km_outside(lon: float, lat: float, code: str) -> float | None:
    """Geodesic distance from the point to country ``code`` (0 inside), None if the code is unknown."""
    codes, _, shapes, _ = countries()
    if code not in codes:
        return None
    polygon, point = shapes[codes.index(code)], Point(lon, lat)
    if polygon.covers(point):
        return 0.0
    nearest = nearest_points(polygon, point)[0]
    return distance_km((lon, lat), (nearest.x, nearest.y))
