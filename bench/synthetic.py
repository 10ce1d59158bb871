"""Synthetic catalogs for the scale benchmark and the growth test: N rail and road routes of 10-50
inline waypoints between hubs inside Kazakhstan (one hub per four routes), with ``corridors``
corridors of 50 routes and ``projects`` project routes, so that the number of maps stays fixed
while N grows (every map shows the routes near it, and these cross the whole country).

The catalog is valid (hubs lie in the country they claim), deterministic for a given N, and written
as the same YAML a maintainer would write.
"""

from __future__ import annotations

import random
from pathlib import Path

from shapely.geometry import Point

HUBS_PER_ROUTES = 4  # one hub for every this many routes (at least 20)


def _inside_kazakhstan(rng: random.Random, count: int) -> list[tuple[float, float]]:
    from geo.countries import countries

    codes, _, shapes, _ = countries()
    kazakhstan = shapes[codes.index("KAZ")].buffer(-0.3)  # away from the coarse border
    points: list[tuple[float, float]] = []
    while len(points) < count:
        lon, lat = round(rng.uniform(50, 85), 5), round(rng.uniform(41, 54), 5)
        if kazakhstan.contains(Point(lon, lat)):
            points.append((lon, lat))
    return points


def write_catalog(folder: Path, routes: int, corridors: int = 1, projects: int = 2, seed: int = 7) -> Path:
    """A catalog of ``routes`` routes in ``folder`` (created); returns the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    hubs = _inside_kazakhstan(rng, max(20, routes // HUBS_PER_ROUTES))
    (folder / "sources.yaml").write_text(
        "- id: synthetic\n  title: Synthetic benchmark catalog\n  outlet: corridor-mapper bench\n  kind: dataset\n",
        encoding="utf-8")
    hub_text = []
    for n, (lon, lat) in enumerate(hubs):
        hub_text.append(f"- id: hub-{n}\n  name: Hub {n}\n  kind: rail_station\n  country: KAZ\n  lat: {lat}\n  lon: {lon}\n"
                        f"  location_source: synthetic\n  tolerance_km: 500\n  description: Synthetic hub {n}.\n"
                        "  sources: [synthetic]\n")
    (folder / "hubs.yaml").write_text("".join(hub_text), encoding="utf-8")
    route_text = []
    for n in range(routes):
        a, b = rng.sample(range(len(hubs)), 2)
        (x0, y0), (x1, y1) = hubs[a], hubs[b]
        count = rng.randint(10, 50)
        via = [f"    - hub-{a}\n"]
        for k in range(1, count - 1):
            t = k / (count - 1)
            lon = round(x0 + (x1 - x0) * t + rng.uniform(-0.2, 0.2), 5)
            lat = round(y0 + (y1 - y0) * t + rng.uniform(-0.2, 0.2), 5)
            via.append(f"    - {{name: Station {n}-{k}, lat: {lat}, lon: {lon}, location_source: synthetic}}\n")
        via.append(f"    - hub-{b}\n")
        project = "  project: true\n" if n < projects else ""
        route_text.append(f"- id: route-{n}\n  name: Route {n}\n  mode: {'rail' if n % 2 else 'road'}\n  status: operational\n"
                          f"  status_as_of: 2026-01\n{project}  alignment: stations\n  via:\n{''.join(via)}"
                          f"  description: Synthetic route {n}.\n  sources: [synthetic]\n")
    (folder / "routes.yaml").write_text("".join(route_text), encoding="utf-8")
    corridor_text = []
    for c in range(corridors):
        legs = ", ".join(f"route-{n}" for n in range(c * 50, min(routes, c * 50 + 50)))
        corridor_text.append(f"- id: corridor-{c}\n  name: Corridor {c}\n  legs: [{legs}]\n  description: Synthetic corridor.\n"
                             "  sources: [synthetic]\n")
    (folder / "corridors.yaml").write_text("".join(corridor_text), encoding="utf-8")
    return folder
