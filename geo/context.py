"""Context layers: big vector files (any CRS) made light enough to draw beneath the corridors.

Each layer is read with GDAL, reprojected to WGS84, cut to the area around a map's view, simplified
to about a screen pixel one zoom level in from the initial view, and projected once, here, to Web
Mercator integers on a grid a few times finer than the simplification, each vertex stored as the difference from the one
before. The map draws them straight onto one canvas, with no per-vertex work but a multiply-add.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

import geopandas as gpd
import numpy as np
import shapely

from geo import memo, vector
from geo.catalog import ContextLayer
from geo.errors import CatalogError, Problem

PIXELS = 3000  # view size / PIXELS = simplification tolerance: about a pixel one zoom level in
MARGIN = 0.5  # share of the view's size kept around it (panning room)
UNITS_PER_TOLERANCE = 4  # integer grid: this many steps per simplification tolerance, so rounding stays invisible
MAX_LAT = 85.0511287798  # where Web Mercator ends


def read_context(layer: ContextLayer) -> gpd.GeoDataFrame:
    """The file's lines in WGS84 with only the tooltip attribute (the catalog has inspected the file)."""
    columns = [layer.tooltip] if layer.tooltip else []
    try:
        frame = vector.read(layer.path, layer.layer, columns)
    except Exception as error:  # noqa: BLE001 - GDAL's many errors become one clear message
        raise CatalogError([Problem(layer.source_file, layer.source_line, layer.id, "path", f"cannot read {layer.path}: {error}")])
    frame = frame.to_crs("EPSG:4326").explode(index_parts=False)
    lines = frame[frame.geometry.geom_type == "LineString"]
    return lines.reset_index(drop=True)


CONTROLS = dict.fromkeys([*range(32), *range(127, 160)], "\ufffd")


def _printable(value: object) -> str:
    """A file's attribute as text a page can carry: lone surrogates and control characters become U+FFFD."""
    return str(value).encode("utf-8", "replace").decode("utf-8").translate(CONTROLS)


def _mercator(lonlat: np.ndarray, world: int) -> np.ndarray:
    """[lon, lat] degrees to integer Web Mercator [x, y] (world units across, origin top left), as Leaflet projects."""
    lat = np.radians(np.clip(lonlat[:, 1], -MAX_LAT, MAX_LAT))
    x = (lonlat[:, 0] + 180) / 360
    y = 0.5 - np.log(np.tan(np.pi / 4 + lat / 2)) / (2 * np.pi)
    return np.round(np.column_stack([x, y]) * world).astype(np.int64)


def encode(frame: gpd.GeoDataFrame, layer: ContextLayer, view: tuple[float, float, float, float]) -> dict[str, Any]:
    """The lines near ``view`` as map data: simplified, projected, delta-encoded integers [x0, y0, dx1, dy1, ...]."""
    size = max(view[2] - view[0], view[3] - view[1])
    margin = size * MARGIN
    box = (view[0] - margin, view[1] - margin, view[2] + margin, view[3] + margin)
    near = frame.iloc[np.sort(frame.sindex.query(shapely.box(*box)))]  # the index is built once per frame
    tolerance = size / PIXELS
    world = 2 ** int(np.clip(np.ceil(np.log2(360 * UNITS_PER_TOLERANCE / tolerance)), 12, 26))
    shapes = np.asarray(near.geometry.values)  # plain shapely objects: pandas' ufunc path is slow
    geometries = shapely.simplify(shapely.clip_by_rect(shapes, *box), tolerance, preserve_topology=False)
    parts, owner = shapely.get_parts(geometries, return_index=True)  # everything below is vectorised
    keep = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)  # 1: LineString
    parts, owner = parts[keep], owner[keep]
    coords, part = shapely.get_coordinates(parts, return_index=True)
    ints = _mercator(coords, world)
    step = np.diff(ints, axis=0)
    first = np.r_[True, part[1:] != part[:-1]][:len(part)]  # empty when nothing of the layer is near the view
    kept = first | np.r_[True, np.any(step != 0, axis=1)][:len(part)]  # drop points repeated after rounding
    ints, part, first = ints[kept], part[kept], first[kept]
    deltas = np.where(first[:, None], ints, np.vstack([ints[:1], np.diff(ints, axis=0)]))
    starts = np.flatnonzero(first)
    counts = np.diff(np.r_[starts, len(part)])
    labels = near[layer.tooltip].to_numpy() if layer.tooltip else None
    flat = deltas.ravel().tolist()  # one conversion; each line is then a slice of it
    lines, values = [], []
    texts: dict[object, str] = {}  # labels repeat (a network's "rail"): each made printable once
    for start, count, index in zip(starts.tolist(), counts.tolist(), part[starts].tolist()):
        if count >= 2:
            lines.append(flat[2 * start:2 * (start + count)])
            if labels is None:
                values.append(None)
            else:
                label = labels[owner[index]]
                values.append(texts[label] if label in texts else texts.setdefault(label, _printable(label)))
    same = len(set(values)) == 1  # one text for every line (e.g. "Railway"): sent once, not per line
    return {
        "id": layer.id, "world": world, "lines": lines,
        "tooltips": values if layer.tooltip and not same else None, "tooltip": values[0] if same else None,
        "style": {"color": layer.color, "weight": layer.weight, "opacity": layer.opacity},
    }


def _files(layer: ContextLayer) -> tuple[Path, ...]:
    """The layer's file and every file beside it with the same stem (a shapefile's .dbf, .prj, ...)."""
    return tuple(sorted(p for p in layer.path.parent.iterdir() if p.is_file() and p.stem == layer.path.stem))


def encode_cached(layer: ContextLayer, frame: Callable[[], gpd.GeoDataFrame], view: tuple[float, float, float, float]) -> str:
    """encode() as compact JSON text, kept in the user cache (geo.memo) under the layer's files, style
    and the view; ``frame`` is read only when the cache lacks the answer."""
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(layer).items()}
    return memo.cached("context-json", [settings, view], _files(layer),
                       lambda: json.dumps(encode(frame(), layer, view), ensure_ascii=False, separators=(",", ":")),
                       lambda value: isinstance(value, str) and value.startswith('{"id":'))
