"""Rivers, lake shores and lake areas (GSHHG, data/rivers/) for the offline basemap: loaded once, with spatial indexes."""

from __future__ import annotations

import functools
from pathlib import Path

from shapely import STRtree
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

RIVERS_FILE = Path(__file__).resolve().parent.parent / "data" / "rivers" / "rivers.geojson"


@functools.cache
def water() -> tuple[tuple[str, ...], tuple[BaseGeometry, ...], STRtree]:
    """The kind (river or lake) and line of every feature, and a spatial index over the lines."""
    import pyogrio  # GDAL's reader: much faster than json and shapely.shape; only when a basemap is drawn

    frame = pyogrio.read_dataframe(RIVERS_FILE)
    kinds, lines = tuple(frame["kind"]), tuple(frame.geometry)
    return kinds, lines, STRtree(lines)


@functools.cache
def lakes() -> tuple[tuple[Polygon, ...], STRtree]:
    """Each lake whose shore is a closed ring, as an area to fill, and a spatial index over them."""
    kinds, lines, _ = water()
    areas = tuple(Polygon(line.coords) for kind, line in zip(kinds, lines) if kind == "lake" and line.is_closed)
    return areas, STRtree(areas)
