"""Regenerate data/naturalearth/ne_50m_admin_0_countries.geojson from the npm package world-atlas.

world-atlas 2.0.2 (ISC) ships Natural Earth 4.1.0's 1:50m admin-0 countries (public domain) as
TopoJSON keyed by ISO 3166-1 numeric codes. This script reads it with GDAL, turns the numeric code
into the alpha-3 code (pycountry), cuts at 180° the polygons TopoJSON draws across it (Russia's
Chukotka, Fiji: read flat, each would become a band round the world), joins the parts that share a
code (Australia and Ashmore and Cartier Islands), and writes GeoJSON with the properties ADM0_A3 and
NAME that geo.countries reads.
Run it with `make naturalearth`; the build reads only the file it writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pycountry
from shapely import affinity, get_parts, make_valid, union_all
from shapely.geometry import Polygon, box, mapping

OUT = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "ne_50m_admin_0_countries.geojson"
# The territories world-atlas gives no ISO code; Natural Earth's own ADM0_A3 codes for them.
NO_ISO_CODE = {"Somaliland": "SOL", "Kosovo": "KOS", "N. Cyprus": "CYN", "Indian Ocean Ter.": "IOA",
               "Siachen Glacier": "KAS"}
DECIMALS = 5  # about 1 m, finer than the 1:50m source


def _unwrapped(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with longitudes made continuous (a step of more than 180 degrees goes the short way)."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        while lon - out[-1][0] > 180:
            lon -= 360
        while lon - out[-1][0] < -180:
            lon += 360
        out.append((lon, lat))
    return out


def _cut_at_180(polygon: Polygon) -> list[Polygon]:
    """A polygon whose rings step across 180 degrees, as its parts either side of it.

    A ring that goes round a pole (Antarctica) does not close when unwrapped and is kept as it is.
    """
    shell = _unwrapped(list(polygon.exterior.coords))
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(polygon.exterior.coords, list(polygon.exterior.coords)[1:])) \
            or abs(shell[-1][0] - shell[0][0]) > 1e-9:
        return [polygon]
    whole = make_valid(Polygon(shell, [_unwrapped(list(h.coords)) for h in polygon.interiors]))
    parts = []
    for shift in (-360, 0, 360):  # the parts that fall in -180..180 once moved by a whole turn
        moved = affinity.translate(whole, xoff=shift).intersection(box(-180, -90, 180, 90))
        parts += [p for p in get_parts(moved) if p.geom_type == "Polygon" and not p.is_empty]
    return parts


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
        raw = [p for g in group.geometry.values for p in get_parts(g) if p.geom_type == "Polygon"]
        pieces = get_parts(get_parts(make_valid([cut for p in raw for cut in _cut_at_180(p)])))
        polygons = union_all([p for p in pieces if p.geom_type == "Polygon"])
        geometry = json.loads(json.dumps(mapping(polygons)),
                              parse_float=lambda s: round(float(s), DECIMALS))
        features.append({"type": "Feature", "properties": {"ADM0_A3": code, "NAME": name}, "geometry": geometry})
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{len(features)} countries, {OUT.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
