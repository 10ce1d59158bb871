"""Regenerate data/naturalearth/ne_50m_admin_0_countries.geojson from the npm package world-atlas.

world-atlas 2.0.2 (ISC) ships Natural Earth 4.1.0's 1:50m admin-0 countries (public domain) as
TopoJSON keyed by ISO 3166-1 numeric codes. This script reads it with GDAL, turns the numeric code
into the alpha-3 code (pycountry), joins the parts that share a code (Australia and Ashmore and
Cartier Islands), and writes GeoJSON with the properties ADM0_A3 and NAME that geo.countries reads.
Run it with `make naturalearth`; the build reads only the file it writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pycountry
from shapely import get_parts, make_valid, union_all
from shapely.geometry import mapping

OUT = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "ne_50m_admin_0_countries.geojson"
# The territories world-atlas gives no ISO code; Natural Earth's own ADM0_A3 codes for them.
NO_ISO_CODE = {"Somaliland": "SOL", "Kosovo": "KOS", "N. Cyprus": "CYN", "Indian Ocean Ter.": "IOA",
               "Siachen Glacier": "KAS"}
DECIMALS = 5  # about 1 m, finer than the 1:50m source


def main(topojson: Path) -> None:
    frame = gpd.read_file(topojson, layer="countries")
    codes = []
    for numeric, name in zip(frame["id"], frame["name"]):
        country = pycountry.countries.get(numeric=numeric) if isinstance(numeric, str) else None
        codes.append(country.alpha_3 if country else NO_ISO_CODE[name])
    frame["ADM0_A3"] = codes
    features = []
    for code, group in sorted(frame.groupby("ADM0_A3"), key=lambda item: item[0]):
        name = group.loc[group.geometry.area.idxmax(), "name"]  # the main part names a joined country
        # quantised TopoJSON leaves a few rings touching themselves: repair, keep the polygons, join them
        pieces = get_parts(get_parts(make_valid(group.geometry.values)))
        polygons = union_all([p for p in pieces if p.geom_type == "Polygon"])
        geometry = json.loads(json.dumps(mapping(polygons)),
                              parse_float=lambda s: round(float(s), DECIMALS))
        features.append({"type": "Feature", "properties": {"ADM0_A3": code, "NAME": name}, "geometry": geometry})
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{len(features)} countries, {OUT.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
