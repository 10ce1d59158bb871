"""`corridors route`: the best path between two hubs over the catalog's routes, its length, transit time,
countries and border crossings.

The graph's nodes are hubs. Each route gives one edge between each pair of consecutive hubs on its
``via`` list: the route's drawn line between them (the line of the routes layer, cut where it
passes the two hubs), measured on the WGS84 ellipsoid. An edge's time is a [fastest, slowest]
range in days from a cited figure: the route's own ``transit`` (days for the whole route, shared by
length, or a speed), else its mode's speed in ``transit.yaml``; a hub's ``dwell`` (gauge change,
port, border) is added where a path passes through it. The best path is the shortest by the middle
of the time range (or by km); equal paths are ordered by their sequence of route and hub ids, so
the answer never depends on the order of the catalog.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Iterable

import geopandas as gpd
from shapely.geometry import LineString, Point
from shapely.ops import substring

from geo.catalog import MODES, Catalog, Route, Timing
from geo.geodesy import length_km
from geo.segments import crossings, stretches


@dataclass(frozen=True)
class Edge:
    """One route between two consecutive hubs of its via list (``a`` to ``b`` as the route runs)."""

    route: str
    name: str
    mode: str
    a: str
    b: str
    km: float
    days: tuple[float, float] | None  # None: no cited time for this route or its mode
    time: Timing | None  # the figure the days come from
    countries: tuple[str, ...]  # in the order the line runs (the ports' countries for a sea leg)
    crossings: tuple[dict[str, Any], ...]  # where the line changes country, matched to a crossing hub
    coords: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Leg:
    """An edge as a path travels it (possibly against the route's direction)."""

    edge: Edge
    start: str
    end: str

    def coords(self) -> tuple[tuple[float, float], ...]:
        return self.edge.coords if self.start == self.edge.a else tuple(reversed(self.edge.coords))

    def countries(self) -> tuple[str, ...]:
        return self.edge.countries if self.start == self.edge.a else tuple(reversed(self.edge.countries))

    def crossings(self) -> tuple[dict[str, Any], ...]:
        if self.start == self.edge.a:
            return self.edge.crossings
        return tuple({**c, "from_country": c["to_country"], "to_country": c["from_country"]} for c in reversed(self.edge.crossings))


@dataclass(frozen=True)
class Path:
    """A path from ``legs[0].start`` to ``legs[-1].end`` and the dwell at each hub it passes through."""

    legs: tuple[Leg, ...]
    stops: tuple[tuple[str, Timing], ...]  # (hub id, its dwell), in path order

    @property
    def km(self) -> float:
        return sum(leg.edge.km for leg in self.legs)

    @property
    def days(self) -> tuple[float, float] | None:
        if any(leg.edge.days is None for leg in self.legs):
            return None
        spans = [leg.edge.days for leg in self.legs] + [t.days for _, t in self.stops]
        return sum(s[0] for s in spans if s), sum(s[1] for s in spans if s)

    def countries(self) -> list[str]:
        out: list[str] = []
        for leg in self.legs:
            for code in leg.countries():
                if not out or out[-1] != code:
                    out.append(code)
        return out


@dataclass
class NoRoute(Exception):
    """No path between the two hubs under the given conditions; ``reachable``: hubs the start still reaches."""

    start: str
    end: str
    reachable: list[str] = field(default_factory=list)

    def explain(self, catalog: Catalog, modes: Iterable[str], avoid: Iterable[str]) -> str:
        """'no route from A to B by rail avoiding RUS; A reaches only: ...' (or: A is cut off)."""
        hubs, avoid = catalog.hubs, list(avoid)
        avoiding = f" avoiding {', '.join(avoid)}" if avoid else ""
        cut = (f"{hubs[self.start].name} reaches only: {', '.join(hubs[h].name for h in self.reachable)}"
               if self.reachable else f"{hubs[self.start].name} is cut off (no usable leg leaves it)")
        return f"no route from {hubs[self.start].name} to {hubs[self.end].name} by {', '.join(modes)}{avoiding}; {cut}"


def _timing(route: Route, catalog: Catalog) -> Timing | None:
    if route.transit is not None:
        return route.transit
    speed = catalog.speeds.get(route.mode)
    return speed.timing if speed else None


def _days(timing: Timing | None, km: float, route_km: float) -> tuple[float, float] | None:
    if timing is None:
        return None
    if timing.days is not None:  # the whole route's time, shared by length
        share = km / route_km if route_km else 1.0
        return timing.days[0] * share, timing.days[1] * share
    fast, slow = timing.km_per_day  # type: ignore[misc]
    return km / slow, km / fast


def edges(catalog: Catalog, routes: gpd.GeoDataFrame) -> list[Edge]:
    """Every edge of the catalog's routes, cut from the lines of the routes layer."""
    out = []
    for rid, route in catalog.routes.items():
        line = routes.loc[rid].geometry
        hubs = [w.hub for w in route.via if w.hub]
        if len(hubs) < 2 or not isinstance(line, LineString):  # a line cut at 180 degrees is not routed
            continue
        route_km = length_km(line)
        timing = _timing(route, catalog)
        at = [line.project(Point(catalog.hubs[h].lon, catalog.hubs[h].lat)) for h in hubs]
        for (a, start), (b, end) in zip(zip(hubs, at), list(zip(hubs, at))[1:]):
            piece = substring(line, start, end) if end > start else LineString([line.interpolate(start), line.interpolate(end)])
            if piece.geom_type != "LineString" or piece.length == 0:
                piece = LineString([(catalog.hubs[a].lon, catalog.hubs[a].lat), (catalog.hubs[b].lon, catalog.hubs[b].lat)])
            km = length_km(piece)
            sea = route.mode == "sea"
            runs = stretches(piece, sea)
            countries = (catalog.hubs[a].country, catalog.hubs[b].country) if sea else tuple(
                r.country for i, r in enumerate(runs) if r.country and (i == 0 or runs[i - 1].country != r.country))
            found = tuple({"hub": c.hub, "from_country": c.from_country, "to_country": c.to_country, "lat": c.lat, "lon": c.lon}
                          for c in crossings(runs, catalog.hubs.values()))
            out.append(Edge(rid, route.name, route.mode, a, b, round(km, 1), _days(timing, km, route_km), timing,
                            tuple(dict.fromkeys(countries)), found, tuple(piece.coords)))
    return out


def _cost(edge: Edge, by: str) -> float | None:
    if by == "km":
        return edge.km
    return None if edge.days is None else (edge.days[0] + edge.days[1]) / 2


def _dwell(catalog: Catalog, hub: str, by: str) -> float:
    dwell = catalog.hubs[hub].dwell
    return (dwell.days[0] + dwell.days[1]) / 2 if by == "time" and dwell and dwell.days else 0.0


def _shortest(catalog: Catalog, usable: list[Edge], start: str, end: str, by: str) -> list[Leg]:
    """Dijkstra over the hubs; ties go to the path whose (route, hub) sequence sorts first."""
    around: dict[str, list[tuple[Edge, str]]] = {}
    for edge in usable:
        around.setdefault(edge.a, []).append((edge, edge.b))
        around.setdefault(edge.b, []).append((edge, edge.a))
    queue: list[tuple[float, tuple[tuple[str, str], ...], str, tuple[Leg, ...]]] = [(0.0, (), start, ())]
    done: set[str] = set()
    while queue:
        cost, key, hub, legs = heapq.heappop(queue)
        if hub in done:
            continue
        done.add(hub)
        if hub == end:
            return list(legs)
        wait = _dwell(catalog, hub, by) if hub != start else 0.0
        for edge, other in around.get(hub, ()):
            if other not in done:
                step = _cost(edge, by)
                heapq.heappush(queue, (round(cost + wait + step, 9), key + ((edge.route, other),), other, legs + (Leg(edge, hub, other),)))  # type: ignore[operator]
    raise NoRoute(start, end, sorted(done - {start}))


def find_path(catalog: Catalog, all_edges: Iterable[Edge], stops: list[str], avoid: Iterable[str] = (),
              modes: Iterable[str] = MODES, by: str = "time") -> Path:
    """The best path through ``stops`` (from, via..., to) using only ``modes`` and entering none of ``avoid``."""
    avoid, modes = set(avoid), set(modes)
    usable = [e for e in all_edges if e.mode in modes and not avoid & set(e.countries) and (by == "km" or e.days is not None)]
    legs: list[Leg] = []
    for start, end in zip(stops, stops[1:]):
        if catalog.hubs[start].country in avoid or catalog.hubs[end].country in avoid:
            raise NoRoute(start, end)
        legs += _shortest(catalog, usable, start, end, by)
    passed = [leg.end for leg in legs[:-1]]
    return Path(tuple(legs), tuple((h, catalog.hubs[h].dwell) for h in passed if catalog.hubs[h].dwell))  # type: ignore[misc]


def _days_text(days: tuple[float, float] | None) -> str:
    if days is None:
        return "time unknown"
    low, high = days
    return f"{low:.1f} days" if round(low, 1) == round(high, 1) else f"{low:.1f}–{high:.1f} days"


def as_json(catalog: Catalog, path: Path, by: str, avoid: list[str], modes: list[str]) -> dict[str, Any]:
    """The path as the JSON object of `corridors route --format json`."""
    days = path.days

    def span(d: tuple[float, float] | None) -> list[float] | None:
        return None if d is None else [round(d[0], 2), round(d[1], 2)]

    return {
        "from": path.legs[0].start, "to": path.legs[-1].end, "by": by, "avoid": avoid, "modes": modes,
        "km": round(path.km, 1), "days": span(days), "countries": path.countries(),
        "border_crossings": [c for leg in path.legs for c in leg.crossings()],
        "legs": [{"route": leg.edge.route, "name": leg.edge.name, "from": leg.start, "to": leg.end, "mode": leg.edge.mode,
                  "km": leg.edge.km, "days": span(leg.edge.days), "countries": list(leg.countries()),
                  "time_source": leg.edge.time.source if leg.edge.time else None} for leg in path.legs],
        "stops": [{"hub": hub, "days": span(t.days), "source": t.source, "note": t.note} for hub, t in path.stops],
    }


def as_text(catalog: Catalog, path: Path, by: str) -> str:
    """A readable answer: the totals, then each leg and stop, then where the times come from."""
    hubs = catalog.hubs
    start, end = hubs[path.legs[0].start], hubs[path.legs[-1].end]
    crossing_names = [hubs[c["hub"]].name if c["hub"] else f"{c['from_country']}→{c['to_country']} at {c['lat']:.3f}, {c['lon']:.3f}"
                      for leg in path.legs for c in leg.crossings()]
    lines = [f"{start.name} → {end.name}: {path.km:,.0f} km, {_days_text(path.days)} (shortest by {by})",
             f"  countries: {' → '.join(path.countries())}",
             f"  border crossings: {', '.join(crossing_names) or 'none'}", ""]
    dwell = dict(path.stops)
    for n, leg in enumerate(path.legs, 1):
        lines.append(f"  {n:>2}. {hubs[leg.start].name} → {hubs[leg.end].name}: {leg.edge.name} ({leg.edge.mode}), "
                     f"{leg.edge.km:,.0f} km, {_days_text(leg.edge.days)}")
        if leg.end in dwell and n < len(path.legs):
            lines.append(f"      at {hubs[leg.end].name}: {_days_text(dwell[leg.end].days)} ({dwell[leg.end].note or 'dwell'})")
    used = {t.source: t for t in [leg.edge.time for leg in path.legs if leg.edge.time] + [t for _, t in path.stops]}
    if used:
        lines += ["", "  times from: " + "; ".join(f"{s} ({catalog.sources[s].outlet})" for s in used if s in catalog.sources)]
    return "\n".join(lines)
