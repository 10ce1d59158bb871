"""Layers: the catalog as GeoDataFrames (hubs, routes, corridors) with one fixed schema per layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from shapely.geometry import MultiLineString, Point

from geo.catalog import ALIGNMENTS, HUB_KINDS, MODES, STATUSES, Catalog, Figure
from geo.countries import countries_along
from geo.geometry import length_km, route_line

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
}


_COMMON = (
    Field("id", "string", "Stable identifier (lowercase slug); also the feature id."),
    Field("name", "string", "English name."),
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
        Field("location_source", "string", "Gazetteer record the point comes from (geonames:<id>, searoute:<LOCODE>, derived:...)."),
        Field("location_note", "string", "How the point was placed when the place itself is not in a gazetteer."),
    ) + _PROJECT + (
        Field("annotations", "string", "Agreements and measures attached to the hub, as 'title (status as of date)', separated by '; '."),
    ) + _TAIL,
    "routes": _COMMON + (
        Field("mode", "string", "Transport mode.", values=MODES),
        Field("alignment", "string", "How the line was drawn: stations (through named stations and towns), "
              "schematic (indicative, only end points and a few towns known) or sea_network (searoute maritime network).",
              values=ALIGNMENTS),
        Field("from_hub", "string", "Id of the first waypoint when it is a hub."),
        Field("to_hub", "string", "Id of the last waypoint when it is a hub."),
        Field("via", "string", "Waypoint names in order, separated by '; '."),
        Field("countries", "string", "ISO alpha-3 codes of the countries the line passes through, in order (Natural Earth 1:50m)."),
        Field("corridors", "string", "Ids of corridors using this route as a leg or branch, separated by '; '."),
        Field("length_km", "number", "Geodesic length of the drawn line on the WGS84 ellipsoid.", "km"),
        Field("official_length_km", "number", "Length published by an official or press source.", "km"),
        Field("official_length_source", "string", "Source id of official_length_km."),
        Field("official_length_note", "string", "Why the official length may cover a different span."),
        Field("length_diff_pct", "number", "(length_km - official_length_km) / official_length_km x 100.", "%"),
    ) + _PROJECT + _TAIL,
    "corridors": _COMMON + (
        Field("legs", "string", "Route ids of the main line in order, separated by '; '."),
        Field("branches", "string", "Route ids of branches and alternatives, separated by '; '."),
        Field("countries", "string", "ISO alpha-3 codes of the countries its legs pass through, in order."),
        Field("length_km", "number", "Sum of the geodesic lengths of the legs (branches excluded).", "km"),
        Field("official_length_km", "number", "Length published by an official or press source.", "km"),
        Field("official_length_source", "string", "Source id of official_length_km."),
        Field("length_diff_pct", "number", "(length_km - official_length_km) / official_length_km x 100.", "%"),
    ) + _TAIL,
}


def _join(values: Any) -> str | None:
    values = [str(v) for v in values]
    return LIST_SEPARATOR.join(values) if values else None


def _figures(figures: tuple[Figure, ...]) -> str | None:
    return _join(f"{f.label}: {f.value:g} {f.unit} [{f.source}]" for f in figures)


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


def build_layers(catalog: Catalog) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of the catalog, keyed by layer name, rows sorted by id."""
    lines = {rid: route_line(route) for rid, route in catalog.routes.items()}
    lengths = {rid: round(length_km(line), 1) for rid, line in lines.items()}
    crossed = {rid: countries_along(line) for rid, line in lines.items()}
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
        )

    hubs = [
        dict(
            id=h.id, name=h.name, kind=h.kind, country=h.country, lat=h.lat, lon=h.lon,
            location_source=h.location_source, location_note=h.location_note,
            annotations=_join(f"{a.title} ({a.status} as of {a.status_as_of})" for a in h.annotations),
            **project_fields(h),
        )
        for h in catalog.hubs.values()
    ]
    routes = [
        dict(
            id=r.id, name=r.name, mode=r.mode, alignment=r.alignment,
            from_hub=r.via[0].hub, to_hub=r.via[-1].hub, via=_join(w.name for w in r.via),
            countries=_join(crossed[r.id]), corridors=_join(used_by.get(r.id, ())),
            length_km=lengths[r.id], official_length_km=r.official_length_km,
            official_length_source=r.official_length_source, official_length_note=r.official_length_note,
            length_diff_pct=_diff_pct(lengths[r.id], r.official_length_km), **project_fields(r),
        )
        for r in catalog.routes.values()
    ]
    corridors = []
    for c in catalog.corridors.values():
        total = round(sum(lengths[leg] for leg in c.legs), 1)
        corridors.append(dict(
            id=c.id, name=c.name, aliases=_join(c.aliases), legs=_join(c.legs), branches=_join(c.branches),
            countries=_join(_unique(code for leg in c.legs for code in crossed[leg])), length_km=total,
            official_length_km=c.official_length_km, official_length_source=c.official_length_source,
            length_diff_pct=_diff_pct(total, c.official_length_km), description=c.description, sources=_join(c.sources),
        ))
    return {
        "hubs": _frame("hubs", hubs, [Point(h.lon, h.lat) for h in catalog.hubs.values()]),
        "routes": _frame("routes", routes, [lines[r] for r in catalog.routes]),
        "corridors": _frame("corridors", corridors, [
            MultiLineString([part for leg in c.legs for part in getattr(lines[leg], "geoms", [lines[leg]])])
            for c in catalog.corridors.values()
        ]),
    }


