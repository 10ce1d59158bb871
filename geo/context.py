"""Context layers: big vector files (any CRS) made light enough to draw beneath the corridors.

Each layer is read with GDAL, reprojected to WGS84, cut to the area around a map's view, simplified
to about a screen pixel one zoom level in from the initial view, and projected once, here, to Web
Mercator integers on a grid a few times finer than the simplification, packed as text (geo.packing);
a line shorter than two grid steps (at most the tolerance) is left out. The map draws them straight onto one canvas, with no
per-vertex work but a multiply-add.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

import geopandas as gpd
import numpy as np
import shapely

from geo import memo, packing, vector
from geo.catalog import ContextLayer
from geo.errors import CatalogError, Problem

PIXELS = 3000  # view size / PIXELS = simplification tolerance: about a pixel one zoom level in
MARGIN = 0.5  # share of the view's size kept around it (panning room)


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


def encode(frame: gpd.GeoDataFrame, layer: ContextLayer, view: tuple[float, float, float, float]) -> dict[str, Any]:
    """The lines near ``view`` as map data: simplified, projected and packed (geo.packing), with their tooltips."""
    size = max(view[2] - view[0], view[3] - view[1])
    margin = size * MARGIN
    box = (view[0] - margin, view[1] - margin, view[2] + margin, view[3] + margin)
    near = frame.iloc[np.sort(frame.sindex.query(shapely.box(*box)))]  # the index is built once per frame
    tolerance = size / PIXELS
    world = packing.world_for(tolerance)
    shapes = np.asarray(near.geometry.values)  # plain shapely objects: pandas' ufunc path is slow
    geometries = shapely.simplify(shapely.clip_by_rect(shapes, *box), tolerance, preserve_topology=False)
    parts, owner = shapely.get_parts(geometries, return_index=True)  # everything below is vectorised
    keep = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)  # 1: LineString
    parts, owner = parts[keep], owner[keep]
    text, written = packing.pack(parts, world, shortest=2)  # two grid steps, at most the tolerance
    values: list[str | None] = [None] * len(written)
    if layer.tooltip:
        texts: dict[object, str] = {}  # labels repeat (a network's "rail"): each made printable once
        values = [texts[label] if label in texts else texts.setdefault(label, _printable(label))
                  for label in near[layer.tooltip].to_numpy()[owner[written]]]
    same = len(set(values)) == 1  # one text for every line (e.g. "Railway"): sent once, not per line
    return {
        "id": layer.id, "world": world, "lines": text,
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
