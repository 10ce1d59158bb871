"""Country polygons (Natural Earth 1:50m admin-0): which country a point lies in, which a line crosses."""

from __future__ import annotations

import functools
from pathlib import Path

import pyogrio
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.geodesy import distance_km

COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "ne_50m_admin_0_countries.geojson"


@functools.cache
def countries() -> tuple[tuple[str, ...], tuple[str, ...], tuple[BaseGeometry, ...], STRtree]:
    """Codes (ADM0_A3), English names, polygons and a spatial index of all countries."""
    frame = pyogrio.read_dataframe(COUNTRIES_FILE).sort_values("ADM0_A3", kind="stable")  # GDAL reads it fast
    shapes = tuple(frame.geometry)
    return tuple(frame["ADM0_A3"]), tuple(frame["NAME"]), shapes, STRtree(shapes)


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
