"""Rivers and lake shores (GSHHG, data/rivers/) for the offline basemap: loaded once, with a spatial index."""

from __future__ import annotations

import functools
from pathlib import Path

import pyogrio
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

RIVERS_FILE = Path(__file__).resolve().parent.parent / "data" / "rivers" / "rivers.geojson"


@functools.cache
def water() -> tuple[tuple[str, ...], tuple[BaseGeometry, ...], STRtree]:
    """The kind (river or lake) and line of every feature, and a spatial index over the lines."""
    frame = pyogrio.read_dataframe(RIVERS_FILE)  # GDAL's reader: much faster than json and shapely.shape
    kinds, lines = tuple(frame["kind"]), tuple(frame.geometry)
    return kinds, lines, STRtree(lines)
