"""Regenerate data/rivers/rivers.geojson: major rivers and lake shores of the corridors' region.

Source: GSHHG 2.3.7 (WDBII rivers, GSHHS lake shorelines; LGPL), from Debian's packages `gmt` and
`gmt-gshhg-high`, dumped as text by `gmt coast`. Pieces cut at GSHHG's bins are joined again,
simplified to about 500 m, and written as GeoJSON lines with `kind` (river or lake) for the offline
basemap of the maps. Run it with `make rivers`; the build reads only the file it writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shapely import get_parts, line_merge, multilinestrings, simplify
from shapely.geometry import LineString, mapping

OUT = Path(__file__).resolve().parent.parent / "data" / "rivers" / "rivers.geojson"
REGION = "25/125/30/62"  # lon/lat, as the network
COMMANDS = {  # kind -> gmt coast arguments (high resolution)
    "river": ["-I1", "-I2"],  # permanent major and additional major rivers
    "lake": ["-A50/2/2", "-W"],  # shores of lakes (level 2) of at least 50 km²
}
TOLERANCE = 0.005  # degrees, about 500 m
DECIMALS = 4


def segments(arguments: list[str]) -> list[LineString]:
    text = subprocess.run(["gmt", "coast", f"-R{REGION}", "-Dh", "-M", *arguments],
                          capture_output=True, text=True, check=True).stdout
    out, points = [], []
    for line in text.splitlines() + [">"]:
        if line.startswith(">"):
            if len(points) > 1:
                out.append(LineString(points))
            points = []
        elif line.strip():
            x, y = line.split()[:2]
            points.append((float(x), float(y)))
    return out


def main() -> None:
    features = []
    for kind, arguments in COMMANDS.items():
        merged = line_merge(multilinestrings(segments(arguments)))
        for part in sorted(get_parts(simplify(get_parts(merged), TOLERANCE)), key=lambda g: g.coords[0]):
            if part.length > TOLERANCE:
                geometry = json.loads(json.dumps(mapping(part)), parse_float=lambda s: round(float(s), DECIMALS))
                features.append({"type": "Feature", "properties": {"kind": kind}, "geometry": geometry})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{len(features)} lines, {OUT.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
