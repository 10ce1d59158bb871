"""Geodesy shared by every module that measures or writes coordinates: the WGS84 ellipsoid, rounding, lengths.

It sits below catalog, countries and geometry, so that they can all use it without importing each other.
"""

from __future__ import annotations

import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

GEOD = Geod(ellps="WGS84")
DECIMALS = 6  # about 0.1 m: published coordinates keep 6 decimals at most


def clean_coords(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Round to DECIMALS and drop repeated consecutive points."""
    out: list[tuple[float, float]] = []
    for lon, lat in coords:
        point = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not out or out[-1] != point:
            out.append(point)
    return out


def length_km(line: LineString | MultiLineString) -> float:
    """Length on the WGS84 ellipsoid, in kilometres (sum of geodesics between vertices; as Geod.geometry_length,
    which reads the vertices through shapely's slower ``xy``)."""
    parts = line.geoms if isinstance(line, MultiLineString) else [line]
    return sum(GEOD.line_length(*shapely.get_coordinates(part).T) for part in parts) / 1000


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two (lon, lat) points on the WGS84 ellipsoid, in kilometres."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000
