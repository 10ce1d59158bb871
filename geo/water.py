"""Rivers and lake shores (GSHHG, data/rivers/) for the offline basemap: loaded once, with a spatial index."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from shapely import STRtree
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

RIVERS_FILE = Path(__file__).resolve().parent.parent / "data" / "rivers" / "rivers.geojson"


@functools.cache
def water() -> tuple[tuple[str, ...], tuple[BaseGeometry, ...], STRtree]:
    """The kind (river or lake) and line of every feature, and a spatial index over the lines."""
    features = json.loads(RIVERS_FILE.read_text(encoding="utf-8"))["features"]
    kinds = tuple(f["properties"]["kind"] for f in features)
    lines = tuple(shape(f["geometry"]) for f in features)
    return kinds, lines, STRtree(lines)
