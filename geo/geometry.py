"""Geometry: route waypoints to lines: over the rail and road network, on the searoute maritime network, or straight.

Lines are RFC 7946 clean: longitude first, at most DECIMALS decimals, no repeated consecutive
points, and split into a MultiLineString where they cross the antimeridian.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point

from geo import memo
from geo.countries import COUNTRIES_FILE, countries
from geo.geodesy import DECIMALS, GEOD, clean_coords, distance_km, length_km

if TYPE_CHECKING:
    from geo.catalog import Route


PORT_REACH = 0.1  # degrees (~10 km): a port's own approach, where coarse coastlines are not held against a line


def _over_water(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """True when the straight step from a to b stays off land (Natural Earth 1:50m) beyond the ports' reach."""
    _, _, shapes, tree = countries()
    step = LineString([a, b]).difference(Point(a).buffer(PORT_REACH)).difference(Point(b).buffer(PORT_REACH))
    return step.is_empty or not any(shapes[i].intersects(step) for i in tree.query(step))


def _join_port(port: tuple[float, float], path: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The path from its best entry point for ``port``: the one that is shortest overall and reached over water.

    searoute snaps a port to its nearest network node, which may lie across a headland (Kuryk snaps to
    Aktau); the straight connector would then cross land.
    """
    remaining = [0.0] * len(path)
    for i in range(len(path) - 2, -1, -1):
        remaining[i] = remaining[i + 1] + GEOD.inv(*path[i], *path[i + 1])[2]
    reachable = [i for i in range(len(path)) if _over_water(port, path[i])] or [0]
    best = min(reachable, key=lambda i: GEOD.inv(*port, *path[i])[2] + remaining[i])
    return [port, *path[best:]]


@functools.cache
def _sea_path(start: tuple[float, float], end: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """Path over navigable water between two ports, joined to each port over water; kept in the user
    cache (geo.memo: keyed by searoute's version among others) under the countries file."""
    return memo.cached("sea-legs", [start, end, PORT_REACH], (COUNTRIES_FILE,), lambda: _compute_sea_path(start, end),
                       memo.is_path, lambda path: tuple(tuple(p) for p in path))


def _compute_sea_path(start: tuple[float, float], end: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    import searoute  # imported lazily: only sea legs the cache lacks need the maritime network

    feature = searoute.searoute(list(start), list(end))
    path = [(float(x), float(y)) for x, y in feature["geometry"]["coordinates"]]
    return tuple(_join_port(end, _join_port(start, path)[::-1])[::-1])


def _legs(route: Route) -> list[list[tuple[float, float]]]:
    """Each leg's path, waypoint to waypoint: over the network, over water, or straight."""
    from geo.network import leg

    out = []
    for waypoint, a, b in zip(route.via, route.via, route.via[1:]):
        start, end = (a.lon, a.lat), (b.lon, b.lat)
        if route.alignment == "sea_network":
            out.append(list(_sea_path(start, end)))
        elif route.alignment == "network" and waypoint.leg == "network":
            out.append(list(leg(route.mode, start, end)))
        else:
            out.append([start, end])
    return out


def _network_path(route: Route, legs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """The legs over the network joined into one line that leaves the network only at the route's two ends.

    An intermediate waypoint off the line (a town beside the railway) is passed where the line comes
    nearest, not visited by a spike; a branch the path enters and leaves along the same track is cut.
    """
    line: list[tuple[float, float]] = []
    places = {(w.lon, w.lat) for w in route.via}
    for waypoint, path in zip(route.via, legs):
        for point in path[1:-1] if waypoint.leg == "network" else path:  # the network part, not the spikes
            if len(line) >= 2 and line[-2] == point:
                if line[-1] not in places:
                    line.pop()  # back along the step just taken
                # else: a waypoint the path was bent through (geo.network) stays; the line goes on from it
            elif not line or line[-1] != point:
                line.append(point)
    return _untangle([legs[0][0], *line, legs[-1][-1]])


LOOP_STEPS = 40  # a line crossing itself within this many steps and LOOP_KM makes a loop at a join: cut it
LOOP_KM = 60.0


def _untangle(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The line with small loops removed: where step i crosses step j (a few steps on), keep the crossing point only."""
    while True:
        xy = np.asarray(coords)
        steps = shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1))
        i, j = shapely.STRtree(steps).query(steps, predicate="intersects")  # all crossings at once
        near = (j - i >= 2) & (j - i <= LOOP_STEPS)
        for a, b in sorted(zip(i[near].tolist(), j[near].tolist())):
            crossing = steps[a].intersection(steps[b])
            point = crossing if crossing.geom_type == "Point" else Point(crossing.coords[0])
            at = (point.x, point.y)
            if length_km(LineString([at, *coords[a + 1:b + 1], at])) <= LOOP_KM:  # the loop itself
                coords = [*coords[:a + 1], at, *coords[b + 1:]]
                break
        else:
            return coords


def _split_antimeridian(coords: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Cut the line where a step between vertices crosses 180 degrees (the shorter way round).

    The crossing latitude is interpolated linearly in longitude, which is within metres of the
    geodesic for the short steps between neighbouring waypoints. ``coords`` are clean (clean_coords).
    """
    parts = [[coords[0]]]
    for (x0, y0), (x1, y1) in zip(coords, coords[1:]):
        if abs(x1 - x0) == 360:  # both on the 180th meridian, written -180 and 180: a step along it
            parts[-1].append((x0, y1))
            parts.append([])
        elif abs(x1 - x0) > 180:
            unwrapped = x1 - 360 if x1 > x0 else x1 + 360
            edge = 180.0 if unwrapped > x0 else -180.0
            lat = round(y0 + (edge - x0) / (unwrapped - x0) * (y1 - y0), DECIMALS)
            parts[-1].append((edge, lat))
            parts.append([(-edge, lat)])
        parts[-1].append((x1, y1))
    if len(parts) == 1:  # nothing crossed (nearly every line): the coordinates are clean already
        return parts if len(coords) > 1 else []
    return [part for part in map(clean_coords, parts) if len(part) > 1]


def leg_km(route: Route) -> list[float]:
    """Length of each leg (waypoint to waypoint) as drawn, on the WGS84 ellipsoid."""
    return [length_km(LineString(path)) for path in _legs(route)]


def route_line(route: Route) -> LineString | MultiLineString:
    """The route's line in WGS84 lon/lat: over the network, over water for sea legs, or straight through its waypoints."""
    legs = _legs(route)  # for network routes the catalog has checked that every leg can be routed
    if route.alignment == "network":
        coords = _network_path(route, legs)
    else:
        coords = [point for path in legs for point in path]  # clean_coords drops the repeated joins
    parts = _split_antimeridian(clean_coords(coords))
    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def steps_km(line: LineString | MultiLineString) -> np.ndarray:
    """The geodesic length of every step between consecutive vertices, in kilometres."""
    parts = line.geoms if isinstance(line, MultiLineString) else [line]
    xy = [shapely.get_coordinates(part) for part in parts]
    return np.concatenate([GEOD.inv(c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1])[2] / 1000 for c in xy]) if xy else np.zeros(0)


def checkpoint_km(route: Route, line: LineString | MultiLineString) -> list[float]:
    """Each waypoint's distance to the drawn line on the ellipsoid (the nearest point found in degrees,
    then measured geodesically), in kilometres, in route order."""
    out = []
    for waypoint in route.via:
        point = Point(waypoint.lon, waypoint.lat)
        near = line.interpolate(line.project(point)) if isinstance(line, LineString) else min(
            (part.interpolate(part.project(point)) for part in line.geoms), key=point.distance)
        out.append(round(distance_km((waypoint.lon, waypoint.lat), (near.x, near.y)), 1))
    return out
