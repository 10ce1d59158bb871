"""Output: deterministic RFC 7946 GeoJSON text, and writing a set of output files all-or-nothing."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import mapping

from geo.geometry import DECIMALS
from geo.layers import SCHEMAS


def _clean(value: Any) -> Any:
    """JSON-ready value: numpy scalars to Python, NaN to null, floats rounded."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def geojson_text(name: str, frame: gpd.GeoDataFrame) -> str:
    """A FeatureCollection with one feature per line, properties in schema order, sorted by id."""
    fields = [f.name for f in SCHEMAS[name]]
    lines = []
    for row in frame.sort_values("id").itertuples(index=False):
        record = row._asdict()
        feature = {
            "type": "Feature",
            "id": record["id"],
            "geometry": _clean(mapping(record["geometry"])),
            "properties": {f: _clean(record[f]) for f in fields},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","name":"{name}","features":[\n{body}\n]}}\n'


def write_outputs(outputs: dict[Path, str], owned: dict[Path, str]) -> None:
    """Write every file, each replaced atomically, only after all contents exist in memory.

    ``owned`` maps each output directory to the glob of files the build owns there; owned files
    that this build no longer produces (e.g. a renamed entry's map) are removed.
    """
    for directory in owned:
        directory.mkdir(parents=True, exist_ok=True)
    for path, text in sorted(outputs.items()):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    for directory, pattern in owned.items():
        for stale in directory.glob(pattern):
            if stale not in outputs:
                stale.unlink()
