"""Regenerate data/network/: OpenStreetMap railways and main roads of the corridors' region, as lines.

Source: the PyPI package scgraph-data (2.0.0, MIT), whose world_railways and world_highways graphs
are derived from OpenStreetMap (ODbL, "© OpenStreetMap contributors"). Its nodes are rounded to
0.001 degree and its edges are straight steps between them. This script keeps the region's part,
drops steps that run over water (Natural Earth 1:50m), joins dead ends to nearby pieces it stops
short of, drops short dead ends, joins the edges into as few lines
as cover each edge once, and writes one GeoParquet file (zstd; columns id, mode, label, length_km) with
each line's geodesic length on WGS84. Run it with `make network` (a venv that has scgraph-data); the
build reads only the files it writes.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod
from shapely.geometry import LineString

REGION = (25.0, 30.0, 125.0, 62.0)  # lon/lat box of the corridors and their neighbours
GRAPHS = {"rail": "world_railways", "road": "world_highways"}
SPUR_KM = 5.0  # dead ends shorter than this are sidings, yards and slip roads, not corridor lines
WATER_KM = 3.0  # a straight step with more than this much of its length off land is not a railway or road
COUNTRIES = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "ne_50m_admin_0_countries.geojson"
GAP_KM = 5.0  # a dead end this close to another piece of the network is joined to it
OUT = Path(__file__).resolve().parent.parent / "data" / "network"
FILE = "network.parquet"
LABELS = {"rail": "Railway (OpenStreetMap)", "road": "Main road (OpenStreetMap)"}  # the source has no line names
GEOD = Geod(ellps="WGS84")


def trails(adjacency: dict[int, set[int]]) -> list[list[int]]:
    """Walks that use every edge once, each as long as it can be (few lines, so a small file).

    Lines run through junctions: the build finds the graph again from shared vertices, so nothing
    of the topology is lost by not splitting there.
    """
    unused = {n: set(near) for n, near in adjacency.items()}
    out = []
    starts = sorted(adjacency, key=lambda n: (len(adjacency[n]) % 2 == 0, n))  # odd-degree nodes first
    for start in starts:
        while unused[start]:
            path = [start]
            while unused[path[-1]]:
                here = path[-1]
                step = min(unused[here])
                unused[here].discard(step)
                unused[step].discard(here)
                path.append(step)
            out.append(path)
    return out


def chains(adjacency: dict[int, set[int]]) -> list[list[int]]:
    """Runs of edges between junctions and ends (nodes that do not have exactly two neighbours)."""
    ends = {n for n, near in adjacency.items() if len(near) != 2}
    seen: set[tuple[int, int]] = set()
    out = []
    for start in sorted(ends) + sorted(adjacency):  # then loops that have no junction
        for step in sorted(adjacency[start]):
            if (start, step) in seen:
                continue
            path = [start, step]
            while path[-1] not in ends and path[-1] != start:
                a, b = adjacency[path[-1]]
                path.append(a if b == path[-2] else b)
            seen.update(zip(path, path[1:]))
            seen.update(zip(path[1:], path))
            out.append(path)
    return out


def prune_spurs(adjacency: dict[int, set[int]], nodes: np.ndarray, min_km: float) -> None:
    """Remove dead ends shorter than ``min_km`` (sidings, yards, slip roads), repeatedly."""
    while True:
        removed = 0
        for path in chains(adjacency):
            dead = len(adjacency[path[0]]) == 1 or len(adjacency[path[-1]]) == 1
            if not dead or (len(adjacency[path[0]]) == 1 and len(adjacency[path[-1]]) == 1):
                continue  # keep whole isolated lines, prune only spurs off the network
            km = GEOD.line_length(nodes[path, 1], nodes[path, 0]) / 1000
            if km < min_km:
                for a, b in zip(path, path[1:]):
                    adjacency[a].discard(b)
                    adjacency[b].discard(a)
                removed += 1
        for n in [n for n, near in adjacency.items() if not near]:
            del adjacency[n]
        if not removed:
            return


def heal_gaps(adjacency: dict[int, set[int]], nodes: np.ndarray, max_km: float) -> int:
    """Join each dead end to the nearest node of another connected part within ``max_km``.

    The source's network is cut into pieces where OpenStreetMap ways did not share a node when it
    was made (Tbilisi and Gori end up in different pieces); a dead end that stops short of another
    piece is joined to it with a straight step. Returns how many steps were added.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    keys = np.array(sorted(adjacency))
    index = {int(n): i for i, n in enumerate(keys)}
    rows = [index[n] for n in keys.tolist() for _ in adjacency[n]]
    cols = [index[m] for n in keys.tolist() for m in adjacency[n]]
    parts = connected_components(csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys),) * 2), directed=False)[1]
    lat, lon = np.radians(nodes[keys, 0]), np.radians(nodes[keys, 1])
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    tree = cKDTree(xyz)
    reach = max_km / 6371.0
    added = 0
    for i in np.flatnonzero([len(adjacency[n]) == 1 for n in keys.tolist()]):
        near = [j for j in tree.query_ball_point(xyz[i], reach) if parts[j] != parts[i]]
        if near:
            j = min(near, key=lambda k: float(np.sum((xyz[k] - xyz[i]) ** 2)))
            a, b = int(keys[i]), int(keys[j])
            adjacency[a].add(b)
            adjacency[b].add(a)
            added += 1
    return added


def drop_water_steps(adjacency: dict[int, set[int]], nodes: np.ndarray, max_km: float) -> int:
    """Remove each straight step that runs more than ``max_km`` off land (Natural Earth 1:50m countries):
    the source joins some pieces across water (a "railway" from Mangyshlak straight across the
    Kara-Bogaz-Gol gulf). What remains there is a gap, shown as one. Returns how many steps were removed."""
    import shapely

    countries = [g for g in gpd.read_file(COUNTRIES).geometry.values]
    for country in countries:
        shapely.prepare(country)
    tree = shapely.STRtree(countries)
    pairs = np.array(sorted({(a, b) for a, near in adjacency.items() for b in near if a < b}))
    starts, ends = nodes[pairs[:, 0]], nodes[pairs[:, 1]]  # [lat, lon]
    long = GEOD.inv(starts[:, 1], starts[:, 0], ends[:, 1], ends[:, 0])[2] / 1000 > max_km  # shorter: cannot be that far off land
    removed = 0
    for (u, v), start, end in zip(pairs[long].tolist(), starts[long], ends[long]):
        step = shapely.LineString([start[::-1], end[::-1]])
        near = [countries[i] for i in tree.query(step)]
        if any(country.contains(step) for country in near):
            continue
        wet = step.difference(shapely.union_all(near)) if near else step
        if GEOD.geometry_length(wet) / 1000 > max_km:
            adjacency[u].discard(v)
            adjacency[v].discard(u)
            removed += 1
    for n in [n for n, near in adjacency.items() if not near]:
        del adjacency[n]
    return removed


def region_lines(module: str) -> tuple[gpd.GeoDataFrame, int, int, int]:
    graph = getattr(importlib.import_module(f"scgraph_data.{module}"), f"{module}_geograph")
    nodes = np.asarray(graph.nodes, dtype=float)  # [lat, lon]
    lon, lat = nodes[:, 1], nodes[:, 0]
    inside = (lon >= REGION[0]) & (lon <= REGION[2]) & (lat >= REGION[1]) & (lat <= REGION[3])
    _, first, same = np.unique(nodes, axis=0, return_index=True, return_inverse=True)
    canonical = first[same.ravel()]  # the source repeats some points as several nodes: one node per point
    adjacency: dict[int, set[int]] = {}
    for i in np.flatnonzero(inside).tolist():
        for j in graph.graph[i]:
            a, b = int(canonical[i]), int(canonical[j])
            if a != b and inside[j]:
                adjacency.setdefault(a, set()).add(b)
                adjacency.setdefault(b, set()).add(a)
    dropped = drop_water_steps(adjacency, nodes, WATER_KM)
    healed = heal_gaps(adjacency, nodes, GAP_KM)
    prune_spurs(adjacency, nodes, SPUR_KM)
    paths = trails(adjacency)
    coords = [np.column_stack([lon[p], lat[p]]) for p in paths]
    lines = [LineString(c) for c in coords]
    km = np.round([GEOD.geometry_length(line) / 1000 for line in lines], 3)
    frame = gpd.GeoDataFrame({"length_km": km}, geometry=lines, crs="EPSG:4326")
    frame = frame.assign(key=[tuple(c[0]) + tuple(c[-1]) + (len(c),) for c in coords]).sort_values("key")
    return frame.drop(columns="key").reset_index(drop=True), int(inside.sum()), healed, dropped


def main() -> None:
    version = importlib.metadata.version("scgraph_data")
    OUT.mkdir(parents=True, exist_ok=True)
    frames, summary = [], {}
    for mode, module in GRAPHS.items():
        frame, nodes, healed, dropped = region_lines(module)
        frame.insert(0, "label", LABELS[mode])
        frame.insert(0, "mode", mode)
        frame.insert(0, "id", [f"{mode}-{i + 1}" for i in range(len(frame))])
        frames.append(frame)
        summary[mode] = {"graph": module, "source_nodes_in_region": nodes, "steps_off_land_dropped": dropped,
                         "gaps_joined": healed, "lines": len(frame),
                         "vertices": int(sum(len(g.coords) for g in frame.geometry)),
                         "km": round(float(frame["length_km"].sum()), 1)}
    network = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    network.to_parquet(OUT / FILE, compression="zstd", index=False, schema_version="1.0.0")
    (OUT / "provenance.json").write_text(json.dumps({
        "file": FILE, "bytes": (OUT / FILE).stat().st_size,
        "source": f"scgraph-data {version} (PyPI), graphs {', '.join(GRAPHS.values())}",
        "derived_from": "OpenStreetMap", "licence": "ODbL 1.0", "attribution": "© OpenStreetMap contributors",
        "region_lon_lat": REGION, "water_km": WATER_KM, "gap_km": GAP_KM, "spur_km": SPUR_KM, "layers": summary,
    }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
