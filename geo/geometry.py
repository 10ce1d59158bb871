"""Geometry: route waypoints to lines (sea legs on the searoute maritime network) and geodesic lengths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyproj import Geod
from shapely.geometry import LineString

if TYPE_CHECKING:
    from geo.catalog import Route

GEOD = Geod(ellps="WGS84")
DECIMALS = 6  # about 0.1 m: published coordinates keep 6 decimals at most


def _rounded(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Round to DECIMALS and drop repeated consecutive points."""
    out: list[tuple[float, float]] = []
    for lon, lat in coords:
        point = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not out or out[-1] != point:
            out.append(point)
    return out


def _sea_path(start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
    """Path over navigable water between two ports, joined to the ports themselves."""
    import searoute  # imported lazily: only sea legs need the maritime network

    feature = searoute.searoute(list(start), list(end))
    return [start, *[(float(x), float(y)) for x, y in feature["geometry"]["coordinates"]], end]


def route_line(route: Route) -> LineString:
    """The route's line in WGS84 lon/lat: through its waypoints, or over water for sea legs."""
    points = [(w.lon, w.lat) for w in route.via]
    if route.alignment == "sea_network":
        coords: list[tuple[float, float]] = []
        for start, end in zip(points, points[1:]):
            coords.extend(_sea_path(start, end))
    else:
        coords = points
    return LineString(_rounded(coords))


def length_km(line: LineString) -> float:
    """Length on the WGS84 ellipsoid, in kilometres (sum of geodesics between vertices)."""
    return GEOD.geometry_length(line) / 1000
