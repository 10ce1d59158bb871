"""The rail and road network (OpenStreetMap, data/network/): paths over it between waypoints, and how near a line keeps to it.

The network file holds lines that run through junctions; the graph is found again from shared
vertices. Each waypoint is joined to the nearest point of the network (on a line, not only at a
vertex) within SNAP_KM; a leg is the shortest path on the WGS84 ellipsoid between the two joins.

The source is coarse in places: a step of COARSE_KM or more is a straight line where the real track or
road bends. A waypoint beside such a step (a station or town that a source says the line passes) is
joined to it within COARSE_SNAP of the step's length, and the path bends through the waypoint itself
instead of passing it at a distance: the cited place is more exact than the straight step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

import numpy as np
import shapely

from geo import memo
from geo.geodesy import GEOD, distance_km

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from scipy.spatial import cKDTree

NETWORK_FILE = Path(__file__).resolve().parent.parent / "data" / "network" / "network.parquet"
SNAP_KM = 15.0  # a waypoint farther than this from every line of its mode cannot be joined to the network
MAX_DETOUR = 2.0  # a leg routed longer than this many times its straight distance (plus the joins) is refused
NEAR_KM = 3.0  # a stretch of line within this distance of the network counts as on it (corridors check)
GRID = 1000  # vertices closer than 1/GRID degree are one node
COARSE_KM = 25.0  # a network step at least this long is a straight line standing for a bending track or road
COARSE_SNAP = 0.4  # a waypoint may lie this share of a coarse step's length from it (and is then passed through)
PASS_KM = 1.0  # a waypoint farther than this from a coarse step is passed through, the step bent to it
OSM_ATTRIBUTION = "rail and road network © OpenStreetMap contributors (ODbL), via scgraph-data"


class NetworkError(Exception):
    """A leg that cannot be routed: ``waypoint`` is the 0-based index of the waypoint at fault."""

    def __init__(self, waypoint: int, message: str):
        super().__init__(message)
        self.waypoint = waypoint


@dataclass(frozen=True)
class Graph:
    """One mode's network: vertices (lon, lat), undirected edges between them and their lengths in km."""

    coords: np.ndarray  # (n, 2)
    edges: np.ndarray  # (m, 2) vertex indices
    km: np.ndarray  # (m,)
    matrix: csr_matrix
    vertices: cKDTree  # over the vertices as unit vectors, for joining a waypoint
    edge_of: csr_matrix  # (vertex, neighbour) -> edge index + 1


@functools.cache
def lines(mode: str) -> tuple[np.ndarray, list[str]]:
    """The network file's lines of ``mode`` as shapely geometries, with their hover labels."""
    import pyarrow.parquet as pq  # only when a map's network context or a leg is not in the cache

    table = pq.read_table(NETWORK_FILE, columns=["mode", "label", "geometry"],
                          filters=[("mode", "==", mode)])
    geometries = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    return geometries, table.column("label").to_pylist()


@functools.cache
def graph(mode: str) -> Graph:
    """The graph of ``mode``: one node per vertex position, one edge per step of a line (each once)."""
    from scipy.sparse import csr_matrix  # imported here: a build whose legs are all cached needs no graph
    from scipy.spatial import cKDTree

    geometries, _ = lines(mode)
    coords, part = shapely.get_coordinates(geometries, return_index=True)
    same_line = part[1:] == part[:-1]
    starts, ends = np.flatnonzero(same_line), np.flatnonzero(same_line) + 1
    grid = np.round(coords * GRID).astype(np.int64)  # the source's points lie on a 0.001-degree grid
    _, first, vertex = np.unique(grid[:, 0] * 10**9 + grid[:, 1], return_index=True, return_inverse=True)
    unique = coords[first]
    edges = np.sort(np.column_stack([vertex[starts], vertex[ends]]), axis=1)
    edges = np.unique(edges[edges[:, 0] != edges[:, 1]], axis=0)  # a step written twice would add up in the matrix
    a, b = unique[edges[:, 0]], unique[edges[:, 1]]
    km = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2] / 1000
    n = len(unique)
    matrix = csr_matrix((np.r_[km, km], (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]])), shape=(n, n))
    index = np.arange(1, len(edges) + 1)
    edge_of = csr_matrix((np.r_[index, index], (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]])),
                         shape=(n, n))
    return Graph(unique, edges, km, matrix, cKDTree(_unit(unique)), edge_of)


def _unit(lonlat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


@functools.cache
def segments(mode: str) -> shapely.STRtree:
    """One 2-point line per edge of ``mode``, in the order of Graph.edges (for measuring nearness)."""
    g = graph(mode)
    return shapely.STRtree(shapely.linestrings(np.stack([g.coords[g.edges[:, 0]], g.coords[g.edges[:, 1]]], axis=1)))


@dataclass(frozen=True)
class Join:
    """Where a waypoint meets the network: a point on edge ``edge``, ``along`` km from its first vertex."""

    edge: int
    point: tuple[float, float]
    along: float
    off_km: float


JOIN_CANDIDATES = 16  # nearest vertices whose edges are tried when joining a point to the network


def join(g: Graph, point: tuple[float, float]) -> Join:
    """The nearest point of the network to ``point``: on one of the edges at its nearest vertices, measured on the ellipsoid."""
    _, near = g.vertices.query(_unit(np.array([point]))[0], k=JOIN_CANDIDATES)
    edges = np.unique(g.edge_of[near].data) - 1
    a, b = g.coords[g.edges[edges, 0]], g.coords[g.edges[edges, 1]]
    steps = shapely.linestrings(np.stack([a, b], axis=1))
    spots = shapely.line_interpolate_point(steps, shapely.line_locate_point(steps, shapely.Point(point)))
    x, y = shapely.get_x(spots), shapely.get_y(spots)
    off = GEOD.inv(np.full_like(x, point[0]), np.full_like(y, point[1]), x, y)[2] / 1000
    best = int(np.argmin(off))
    on = (float(x[best]), float(y[best]))
    return Join(int(edges[best]), on, distance_km(tuple(a[best]), on), float(off[best]))


@functools.cache
def leg(mode: str, start: tuple[float, float], end: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """The path over the network from ``start`` to ``end`` (both (lon, lat)), the waypoints included.

    Paths are kept in the user cache (geo.memo), keyed by the network file's bytes. Raises
    NetworkError naming the waypoint (0: start, 1: end) that cannot be joined, or the leg's start
    when the shortest path is an implausible detour or there is none (such answers are not kept).
    """
    return memo.cached("network-legs", [mode, start, end, SNAP_KM, MAX_DETOUR, COARSE_KM, COARSE_SNAP, PASS_KM], (NETWORK_FILE,),
                       lambda: _route(mode, start, end), memo.is_path, lambda path: tuple(tuple(p) for p in path))


def _bent(g: Graph, j: Join, point: tuple[float, float]) -> Join:
    """The join moved onto the waypoint itself where it meets a coarse step from farther than PASS_KM."""
    if g.km[j.edge] >= COARSE_KM and j.off_km > PASS_KM:
        return Join(j.edge, point, j.along, j.off_km)
    return j


def _route(mode: str, start: tuple[float, float], end: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    from scipy.sparse.csgraph import dijkstra

    g = graph(mode)
    joins = [_bent(g, join(g, point), point) for point in (start, end)]
    for index, j in enumerate(joins):
        if j.off_km > max(SNAP_KM, COARSE_SNAP * g.km[j.edge] if g.km[j.edge] >= COARSE_KM else 0.0):
            raise NetworkError(index, f"{j.off_km:.1f} km from the nearest {mode} line of the network "
                                      f"(at most {SNAP_KM:g} km, or {COARSE_SNAP:.0%} of a straight step of "
                                      f"{COARSE_KM:g} km or more); add the places between or use leg: straight")
    straight = distance_km(start, end)
    limit = MAX_DETOUR * straight + joins[0].off_km + joins[1].off_km
    (ja, jb) = joins
    if ja.edge == jb.edge:
        nodes: list[int] = []
        best = abs(ja.along - jb.along)
    else:
        ua, va = g.edges[ja.edge]
        ub, vb = g.edges[jb.edge]
        to_start = {ua: ja.along, va: g.km[ja.edge] - ja.along}  # km from the join to each end of its edge
        to_end = {ub: jb.along, vb: g.km[jb.edge] - jb.along}
        sources = list(to_start)
        dist, pred = dijkstra(g.matrix, indices=sources, return_predecessors=True, limit=limit)
        best, choice = np.inf, None
        for row, s in enumerate(sources):
            for t, tail in to_end.items():
                total = to_start[s] + dist[row, t] + tail
                if total < best:
                    best, choice = total, (row, s, t)
        if choice is None:
            raise NetworkError(0, f"no {mode} path on the network to the next waypoint within {MAX_DETOUR:g} times "
                                  f"the straight distance ({straight:,.0f} km)")
        row, s, t = choice
        nodes = [t]
        while nodes[-1] != s:
            nodes.append(int(pred[row, nodes[-1]]))
        nodes.reverse()
    routed = best + ja.off_km + jb.off_km
    if routed > limit:
        raise NetworkError(0, f"the shortest {mode} path to the next waypoint is {routed:,.0f} km, more than "
                              f"{MAX_DETOUR:g} times the straight {straight:,.0f} km; add a waypoint on the intended line")
    path = [start, ja.point, *(tuple(g.coords[n]) for n in nodes), jb.point, end]
    return tuple((float(x), float(y)) for x, y in path)


def share_near(line: shapely.Geometry, mode: str, km: float = NEAR_KM) -> float:
    """Share (0-1) of the line's length that lies within ``km`` of the network of ``mode``.

    The line is cut into pieces of about 1 km; a piece counts when its midpoint is that near.
    """
    tree = segments(mode)
    parts = list(getattr(line, "geoms", [line]))
    total = near = 0.0
    for part in parts:
        dense = shapely.segmentize(part, 0.01)
        xy = shapely.get_coordinates(dense)
        mids = (xy[1:] + xy[:-1]) / 2
        lengths = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])[2] / 1000
        nearest = tree.query_nearest(shapely.points(mids), all_matches=False)[1]
        targets = tree.geometries[nearest]
        on = shapely.line_interpolate_point(targets, shapely.line_locate_point(targets, shapely.points(mids)))
        gap = GEOD.inv(mids[:, 0], mids[:, 1], shapely.get_x(on), shapely.get_y(on))[2] / 1000
        total += lengths.sum()
        near += lengths[gap <= km].sum()
    return near / total if total else 0.0
