"""Routes by country: how many kilometres of each route lie in each country, and where routes cross borders.

Land routes are cut by the Natural Earth 1:50m country polygons; stretches that fall outside every
polygon (coarse coastlines) go to the nearest country. Sea legs are not assigned to countries.
A border crossing is the point where consecutive stretches of a route change country; it is
matched to the nearest border-crossing hub within that hub's tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from shapely import clip_by_rect, unary_union
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import linemerge

from geo.catalog import Hub
from geo.countries import countries
from geo.geodesy import DECIMALS, clean_coords, distance_km, length_km

MATCH_KM = 30.0  # a crossing this close to a border-crossing hub is that hub (unless the hub allows more)


@dataclass(frozen=True)
class Stretch:
    """A piece of a route in one country (None at sea), in route order."""

    country: str | None
    line: LineString


@dataclass(frozen=True)
class Crossing:
    """A point where a route passes from one country to another, and the named crossing it matches."""

    from_country: str
    to_country: str
    lon: float
    lat: float
    hub: str | None  # the matched border-crossing hub
    nearest_hub: str | None
    nearest_km: float | None


def _lines(geometry: Any) -> list[LineString]:
    """The non-empty line parts of a shapely intersection result."""
    if geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        return [geometry] if geometry.length > 0 else []
    if isinstance(geometry, MultiLineString):
        merged = linemerge(geometry)
        return _lines(merged) if isinstance(merged, LineString) else [g for g in merged.geoms if g.length > 0]
    return [line for part in getattr(geometry, "geoms", []) for line in _lines(part)]


def stretches(line: LineString | MultiLineString, sea: bool) -> list[Stretch]:
    """The route cut into runs of one country each, in the order the route travels (a part of the line
    that lies in one country is its own run; the pieces of a cut part are rounded to DECIMALS)."""
    parts = list(getattr(line, "geoms", [line]))
    if sea:
        return [Stretch(None, part) for part in parts]
    codes, _, shapes, tree = countries()
    found: list[tuple[int, float, str, LineString]] = []
    whole: set[int] = set()  # the parts that lie in one country, kept as they are
    for n, part in enumerate(parts):
        inside = [i for i in tree.query(part) if shapes[i].contains(part)]  # most routes lie in one country: no cutting
        if len(inside) == 1:
            found.append((n, 0.0, codes[inside[0]], part))
            whole.add(n)
            continue
        minx, miny, maxx, maxy = part.bounds
        near = {i: clip_by_rect(shapes[i], minx - 1, miny - 1, maxx + 1, maxy + 1) for i in tree.query(part)}  # fast
        for i, local in near.items():
            for piece in _lines(local.intersection(part)):
                found.append((n, part.project(Point(piece.coords[0])), codes[i], piece))
        for piece in _lines(part.difference(unary_union(list(near.values())))):
            middle = piece.interpolate(0.5, normalized=True)
            nearest = min(near or range(len(shapes)), key=lambda i: shapes[i].distance(middle))
            found.append((n, part.project(Point(piece.coords[0])), codes[nearest], piece))
    runs: list[tuple[int, str, list[tuple[float, float]]]] = []  # (part, country, coordinates) of the cut parts
    for n, _, code, piece in sorted(found, key=lambda f: (f[0], f[1])):
        if n in whole:
            runs.append((n, code, []))
        elif runs and runs[-1][:2] == (n, code):
            runs[-1][2].extend(piece.coords)
        else:
            runs.append((n, code, list(piece.coords)))
    out = []
    for n, code, coords in runs:
        if n in whole:
            out.append(Stretch(code, parts[n]))
        elif len(cleaned := clean_coords(coords)) > 1:
            out.append(Stretch(code, LineString(cleaned)))
    return _without_slivers(out)


SLIVER_KM = 10.0  # a run this short into another country and back is the coarse line or border, not a crossing


def _without_slivers(runs: list[Stretch]) -> list[Stretch]:
    """The runs with each excursion into another country that is short, or that lies within one straight
    step of the line (no vertex of the line inside: the network source's straight step or the 1:50m border
    cutting a corner), given back to the country on both sides of it, and neighbouring runs of one
    country joined."""
    out: list[Stretch] = []
    for i, run in enumerate(runs):
        before, after = out[-1] if out else None, runs[i + 1] if i + 1 < len(runs) else None
        country = run.country
        if (before and after and before.country == after.country and before.country is not None
                and country != before.country and (len(run.line.coords) == 2 or length_km(run.line) < SLIVER_KM)):
            country = before.country
        if out and out[-1].country == country and country is not None:
            joined = linemerge([out[-1].line, run.line])
            if isinstance(joined, LineString):
                out[-1] = Stretch(country, LineString(clean_coords(list(joined.coords))))
                continue
        out.append(Stretch(country, run.line))
    return out


def by_country(runs: Iterable[Stretch]) -> dict[str | None, float]:
    """Kilometres per country (None: at sea), in the order the countries are first entered."""
    out: dict[str | None, float] = {}
    for run in runs:
        out[run.country] = out.get(run.country, 0.0) + length_km(run.line)
    return out


def crossings(runs: list[Stretch], hubs: Iterable[Hub]) -> list[Crossing]:
    """Every change of country along the route, matched to a border-crossing hub where one is near."""
    posts = [h for h in hubs if h.kind == "border_crossing"]
    out = []
    for before, after in zip(runs, runs[1:]):
        if before.country is None or after.country is None or before.country == after.country:
            continue
        lon, lat = (round(v, DECIMALS) for v in after.line.coords[0])
        distances = sorted((distance_km((lon, lat), (h.lon, h.lat)), h.id, h) for h in posts)
        nearest_km, nearest, hub = distances[0] if distances else (None, None, None)
        matched = hub is not None and nearest_km <= max(MATCH_KM, hub.tolerance_km or 0)
        out.append(Crossing(before.country, after.country, lon, lat, nearest if matched else None, nearest,
                            None if nearest_km is None else round(nearest_km, 1)))
    return out
