"""Layers: the catalog as GeoDataFrames (hubs, routes, corridors) with one fixed schema per layer."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import shapely
from shapely import STRtree
from shapely.geometry import MultiLineString, Point

from geo.catalog import ALIGNMENTS, HUB_KINDS, MODES, STATUSES, Catalog, Figure, Route
from geo.countries import country_name
from geo.geodesy import distance_km, length_km
from geo.geometry import leg_km, route_line, steps_km
from geo.lengths import REASON_PCT, STRAIGHT_KM, reasons
from geo.segments import by_country, crossings, stretches

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string", "number", "integer" or "boolean"
    description: str
    unit: str | None = None
    values: tuple[str, ...] | None = None  # the allowed values, when the field is a code list
    changed: str | None = None  # a published change of type or meaning, for the data dictionary


LAYER_INFO = {  # layer name -> (geometry type, what a feature is)
    "hubs": ("Point", "Ports, dry ports, border crossings, junctions and cities named along the corridors."),
    "routes": ("LineString (MultiLineString where a line crosses 180 degrees)",
               "Rail, road and sea legs and the named projects, drawn through their waypoints."),
    "corridors": ("MultiLineString", "Each corridor as the sequence of its main legs (branches listed, not drawn)."),
    "segments": ("LineString or MultiLineString",
                 "Each route split by country (Natural Earth 1:50m admin-0), with the length in each; sea legs "
                 "form one segment with no country."),
    "border_crossings": ("Point", "Every point where a route passes from one country to another, matched to the "
                                  "named border-crossing hub when one is within its tolerance."),
}
SEA = "sea"  # the length_by_country key of stretches at sea
COLOCATED_M = 100.0  # hubs closer than this share one point: one label, symbols spread on the maps


_COMMON = (
    Field("id", "string", "Stable identifier (lowercase slug); also the feature id."),
    Field("name", "string", "English name."),
    Field("name_ru", "string", "Russian name (the catalog's names.ru); empty where the catalog has none."),
    Field("name_kk", "string", "Kazakh name, in Kazakh letters (the catalog's names.kk); empty where the catalog has none."),
    Field("aliases", "string", "Other names and spellings, separated by '; '."),
)
_PROJECT = (
    Field("project", "boolean", "True for the projects named in the source articles."),
    Field("status", "string", "Project or route status, as of status_as_of.", values=STATUSES),
    Field("status_as_of", "string", "Date of the newest source confirming the status (YYYY[-MM[-DD]])."),
    Field("construction_start", "string", "When construction started (YYYY[-MM[-DD]])."),
    Field("opened", "string", "When it opened (YYYY[-MM[-DD]])."),
    Field("expected_completion", "string", "Expected completion (YYYY[-MM[-DD]])."),
    Field("figures", "string", "Capacity and traffic figures as 'label: value unit [source]', separated by '; '."),
)
_TAIL = (
    Field("description", "string", "What it is, in the catalog's own words."),
    Field("sources", "string", "Source ids (see data/sources.yaml), separated by '; '."),
)

SCHEMAS: dict[str, tuple[Field, ...]] = {
    "hubs": _COMMON + (
        Field("kind", "string", "What kind of hub it is.", values=HUB_KINDS),
        Field("country", "string", "ISO 3166-1 alpha-3 code of the country the hub is in."),
        Field("lat", "number", "Latitude, WGS84.", "degree"),
        Field("lon", "number", "Longitude, WGS84.", "degree"),
        Field("location_source", "string", "Where the point comes from: a gazetteer record (geonames:<id>, "
              "searoute:<LOCODE>), a cited source (source:<source id>) or a derivation (derived:...)."),
        Field("location_note", "string", "How the point was placed when the place itself is not in a gazetteer."),
        Field("label", "string", "Short name for map labels (the name when the catalog gives none)."),
        Field("map_label", "string", "What a static map writes at the point: the label, or for hubs that share one "
              f"point (within {COLOCATED_M:g} m) all their labels joined by ' / ' on the first of them by id and "
              "null on the others, so that no label hides another (the QGIS style labels this field)."),
        Field("capital", "boolean", "True for a national capital."),
    ) + _PROJECT + (
        Field("annotations", "string", "Agreements and measures attached to the hub, as 'title (status as of date)', separated by '; '."),
    ) + _TAIL,
    "routes": _COMMON + (
        Field("mode", "string", "Transport mode.", values=MODES),
        Field("alignment", "string", "How the line was drawn: network (shortest path on the OpenStreetMap rail or "
              "road network through the waypoints; derived from OpenStreetMap, ODbL), stations (straight through named "
              "stations and towns), schematic (indicative, only end points and a few towns known) or sea_network "
              "(searoute maritime network).", values=ALIGNMENTS,
              changed="2026-12-01: new value network; most operational rail and road legs moved to it."),
        Field("from_hub", "string", "Id of the first waypoint when it is a hub."),
        Field("to_hub", "string", "Id of the last waypoint when it is a hub."),
        Field("via", "string", "Waypoint names in order, separated by '; '."),
        Field("countries", "string", "ISO alpha-3 codes of the countries the line passes through, in order (Natural Earth 1:50m).",
              changed="2026-11-22: null for sea legs, which are no longer assigned to the countries of their ports."),
        Field("length_by_country", "string", "Kilometres in each country in route order, as 'ISO3 km' (or 'sea km'), "
              "separated by '; '; see segments.geojson.", "km"),
        Field("corridors", "string", "Ids of corridors using this route as a leg or branch, separated by '; '."),
        Field("length_km", "number", "Geodesic length of the drawn line on the WGS84 ellipsoid.", "km"),
        Field("official_length_km", "number", "Length published by an official or press source.", "km"),
        Field("official_length_source", "string", "Source id of official_length_km."),
        Field("official_length_note", "string", "Why the official length may cover a different span."),
        Field("official_span_km", "number", "Drawn length of the span that official_length_km counts: the whole "
              "line, or only the sections the figure covers (official_length_covers in the catalog).", "km",
              changed="2026-12-01: new field."),
        Field("length_diff_pct", "number", "(official_span_km - official_length_km) / official_length_km x 100.", "%",
              changed="2026-12-01: compares the span the figure covers, no longer always the whole line."),
        Field("length_reason", "string", f"The named reasons, separated by '; ', why the drawn span differs from the "
              f"official length by more than {REASON_PCT:g} %: a schematic line, straight steps that cut the bends, "
              "or the catalog's official_length_note; empty within that margin.", changed="2026-12-08: new field."),
        Field("longest_step_km", "number", "Longest straight step between two consecutive vertices of the drawn line "
              "(the network source's coarse stretches, gaps crossed straight, schematic lines).", "km",
              changed="2026-12-08: new field."),
        Field("straight_km", "number", f"Kilometres of the drawn line in straight steps of {STRAIGHT_KM:g} km or more "
              "(the network source's simplification, gaps crossed straight, schematic lines): there the line is "
              "straighter, and shorter, than the real track or road.", "km", changed="2026-12-08: new field."),
    ) + _PROJECT + _TAIL,
    "corridors": _COMMON + (
        Field("legs", "string", "Route ids of the main line in order, separated by '; '."),
        Field("branches", "string", "Route ids of branches and alternatives, separated by '; '."),
        Field("countries", "string", "ISO alpha-3 codes of the countries its legs pass through, in order."),
        Field("length_km", "number", "Sum of the geodesic lengths of the legs (branches excluded).", "km"),
        Field("length_by_country", "string", "Kilometres of the main legs in each country, as 'ISO3 km' (or 'sea km'), "
              "separated by '; '.", "km"),
        Field("official_length_km", "number", "Length published by an official or press source.", "km"),
        Field("official_length_source", "string", "Source id of official_length_km."),
        Field("length_diff_pct", "number", "(length_km - official_length_km) / official_length_km x 100.", "%"),
    ) + _TAIL,
    "segments": (
        Field("id", "string", "Route id and country code (or 'sea'), e.g. 'wewc-kazakhstan--kaz'; also the feature id."),
        Field("route", "string", "Id of the route."),
        Field("route_name", "string", "Name of the route."),
        Field("mode", "string", "Transport mode of the route.", values=MODES),
        Field("country", "string", "ISO 3166-1 alpha-3 code; null at sea."),
        Field("country_name", "string", "English name of the country, or 'sea'."),
        Field("order", "integer", "1 for the first country the route enters, 2 for the next, ..."),
        Field("length_km", "number", "Geodesic length of the route in this country (WGS84).", "km"),
        Field("share_pct", "number", "length_km as a share of the route's length.", "%"),
    ),
    "border_crossings": (
        Field("id", "string", "Route id and the two countries, e.g. 'lianyungang-dostyk-rail--chn-kaz' "
              "(with '-2', '-3' ... when a route crosses the same border again)."),
        Field("route", "string", "Id of the route."),
        Field("from_country", "string", "ISO alpha-3 code of the country the route leaves."),
        Field("to_country", "string", "ISO alpha-3 code of the country the route enters."),
        Field("hub", "string", "Id of the matched border-crossing hub; null when none is near (reported by corridors check)."),
        Field("nearest_hub", "string", "Id of the nearest border-crossing hub."),
        Field("nearest_hub_km", "number", "Geodesic distance from the crossing point to nearest_hub.", "km"),
    ),
}


def _join(values: Any) -> str | None:
    values = [str(v) for v in values]
    return LIST_SEPARATOR.join(values) if values else None


def _figures(figures: tuple[Figure, ...]) -> str | None:
    return _join(map(str, figures))


def _diff_pct(computed: float, official: float | None) -> float | None:
    return None if not official else round((computed - official) / official * 100, 1)


def _unique(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _frame(name: str, rows: list[dict[str, Any]], geometries: list[Any]) -> gpd.GeoDataFrame:
    columns = [f.name for f in SCHEMAS[name]]
    order = sorted(range(len(rows)), key=lambda i: rows[i]["id"])
    frame = gpd.GeoDataFrame(
        [{c: rows[i].get(c) for c in columns} for i in order], columns=columns,
        geometry=[geometries[i] for i in order], crs="EPSG:4326",
    )
    return frame.set_index("id", drop=False).rename_axis(None)


def _by_country_text(km: dict[str | None, float]) -> str | None:
    return _join(f"{code or SEA} {value:.1f}" for code, value in km.items())


def colocated(catalog: Catalog) -> list[list[str]]:
    """Groups of hub ids that share one point (a chain of hubs within COLOCATED_M), each sorted, in id order."""
    hubs = sorted(catalog.hubs.values(), key=lambda h: h.id)
    tree = STRtree([Point(h.lon, h.lat) for h in hubs])  # candidates from the index, then the geodesic decides
    group_of = list(range(len(hubs)))

    def root(i: int) -> int:
        while group_of[i] != i:
            i = group_of[i]
        return i

    for i, hub in enumerate(hubs):
        dlat = 2 * COLOCATED_M / 111_000  # twice the reach in degrees: the geodesic test below decides
        dlon = dlat / max(math.cos(math.radians(hub.lat)), 0.01)
        near = tree.query(shapely.box(hub.lon - dlon, hub.lat - dlat, hub.lon + dlon, hub.lat + dlat))
        for j in near.tolist():
            if j != i and distance_km((hub.lon, hub.lat), (hubs[j].lon, hubs[j].lat)) * 1000 <= COLOCATED_M:
                group_of[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list[str]] = {}
    for i, hub in enumerate(hubs):
        groups.setdefault(root(i), []).append(hub.id)
    return [g for g in groups.values() if len(g) > 1]


def _map_labels(catalog: Catalog) -> dict[str, str | None]:
    labels: dict[str, str | None] = {h.id: h.short_name for h in catalog.hubs.values()}
    for group in colocated(catalog):
        labels[group[0]] = " / ".join(catalog.hubs[h].short_name for h in group)
        labels.update({h: None for h in group[1:]})
    return labels


def by_country_items(text: Any) -> list[tuple[str, float]]:
    """A length_by_country field back to (ISO3 or 'sea', km) pairs; none when the value is missing."""
    if not isinstance(text, str):
        return []
    return [(code, float(km)) for code, km in (item.split(" ") for item in text.split(LIST_SEPARATOR))]


def _span_km(route: Route, whole_km: float) -> float:
    """The drawn length of what the route's official figure counts (the whole line unless it says otherwise)."""
    if not route.official_length_covers:
        return whole_km
    legs = leg_km(route)
    return round(sum(sum(legs[a:b]) for a, b in route.official_length_covers), 1)


def _with_reason(row: dict[str, Any], note: str | None) -> dict[str, Any]:
    """The routes record with its length_reason (geo.lengths), in English."""
    return {**row, "length_reason": "; ".join(reasons(row, note)) or None}


def _names(entry: Any) -> dict[str, str | None]:
    names = dict(entry.names)
    return {"name_ru": names.get("ru"), "name_kk": names.get("kk")}


def build_layers(catalog: Catalog) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of the catalog, keyed by layer name, rows sorted by id."""
    lines = {rid: route_line(route) for rid, route in catalog.routes.items()}
    lengths = {rid: round(length_km(line), 1) for rid, line in lines.items()}
    runs = {rid: stretches(lines[rid], route.mode == "sea") for rid, route in catalog.routes.items()}
    km = {rid: by_country(route_runs) for rid, route_runs in runs.items()}
    crossed = {rid: tuple(code for code in km[rid] if code) for rid in lines}
    used_by: dict[str, list[str]] = {}
    for corridor in sorted(catalog.corridors.values(), key=lambda c: c.id):
        for leg in corridor.legs + corridor.branches:
            used_by.setdefault(leg, []).append(corridor.id)

    def project_fields(entry: Any) -> dict[str, Any]:
        return dict(
            project=entry.project, status=entry.status, status_as_of=entry.status_as_of,
            construction_start=entry.construction_start, opened=entry.opened,
            expected_completion=entry.expected_completion, figures=_figures(entry.figures),
            description=entry.description, sources=_join(entry.sources), aliases=_join(entry.aliases),
            **_names(entry),
        )

    map_labels = _map_labels(catalog)
    hubs = [
        dict(
            id=h.id, name=h.name, kind=h.kind, country=h.country, lat=h.lat, lon=h.lon,
            location_source=h.location_source, location_note=h.location_note, label=h.short_name,
            map_label=map_labels[h.id], capital=h.capital,
            annotations=_join(f"{a.title} ({a.status} as of {a.status_as_of})" for a in h.annotations),
            **project_fields(h),
        )
        for h in catalog.hubs.values()
    ]
    spans = {rid: _span_km(route, lengths[rid]) for rid, route in catalog.routes.items() if route.official_length_km}
    steps = {rid: steps_km(line) for rid, line in lines.items()}
    routes = [
        _with_reason(dict(
            id=r.id, name=r.name, mode=r.mode, alignment=r.alignment,
            from_hub=r.via[0].hub, to_hub=r.via[-1].hub, via=_join(w.name for w in r.via),
            countries=_join(crossed[r.id]), length_by_country=_by_country_text(km[r.id]),
            corridors=_join(used_by.get(r.id, ())),
            length_km=lengths[r.id], official_length_km=r.official_length_km,
            official_length_source=r.official_length_source, official_length_note=r.official_length_note,
            official_span_km=spans.get(r.id), length_diff_pct=_diff_pct(spans.get(r.id, 0.0), r.official_length_km),
            longest_step_km=round(float(steps[r.id].max(initial=0.0)), 1),
            straight_km=round(float(steps[r.id][steps[r.id] >= STRAIGHT_KM].sum()), 1),
            **project_fields(r),
        ), r.official_length_note)
        for r in catalog.routes.values()
    ]
    corridors = []
    for c in catalog.corridors.values():
        total = round(sum(lengths[leg] for leg in c.legs), 1)
        corridor_km: dict[str | None, float] = {}
        for leg in c.legs:
            for code, value in km[leg].items():
                corridor_km[code] = corridor_km.get(code, 0.0) + value
        corridors.append(dict(
            id=c.id, name=c.name, **_names(c), aliases=_join(c.aliases), legs=_join(c.legs), branches=_join(c.branches),
            countries=_join(code for code in corridor_km if code), length_by_country=_by_country_text(corridor_km),
            length_km=total, official_length_km=c.official_length_km, official_length_source=c.official_length_source,
            length_diff_pct=_diff_pct(total, c.official_length_km), description=c.description, sources=_join(c.sources),
        ))
    segments, segment_lines = [], []
    for rid, route in catalog.routes.items():
        for order, (code, value) in enumerate(km[rid].items(), 1):
            parts = [run.line for run in runs[rid] if run.country == code]
            segments.append(dict(
                id=f"{rid}--{(code or SEA).lower()}", route=rid, route_name=route.name, mode=route.mode, country=code,
                country_name=country_name(code) if code else SEA, order=order, length_km=round(value, 1),
                share_pct=round(value / (lengths[rid] or 1) * 100, 1),
            ))
            segment_lines.append(parts[0] if len(parts) == 1 else MultiLineString(parts))
    border_rows, border_points = [], []
    for rid in catalog.routes:
        seen: dict[str, int] = {}
        for crossing in crossings(runs[rid], catalog.hubs.values()):
            pair = f"{rid}--{crossing.from_country}-{crossing.to_country}".lower()
            seen[pair] = seen.get(pair, 0) + 1
            border_rows.append(dict(
                id=pair if seen[pair] == 1 else f"{pair}-{seen[pair]}", route=rid, from_country=crossing.from_country, to_country=crossing.to_country,
                hub=crossing.hub, nearest_hub=crossing.nearest_hub, nearest_hub_km=crossing.nearest_km,
            ))
            border_points.append(Point(crossing.lon, crossing.lat))
    return {
        "hubs": _frame("hubs", hubs, [Point(h.lon, h.lat) for h in catalog.hubs.values()]),
        "routes": _frame("routes", routes, [lines[r] for r in catalog.routes]),
        "corridors": _frame("corridors", corridors, [
            MultiLineString([part for leg in c.legs for part in getattr(lines[leg], "geoms", [lines[leg]])])
            for c in catalog.corridors.values()
        ]),
        "segments": _frame("segments", segments, segment_lines),
        "border_crossings": _frame("border_crossings", border_rows, border_points),
    }
