"""Popups: the HTML a planner reads on clicking a route or hub. Every catalog string is escaped here.

A popup answers: what it is and its other names, mode or kind, status and as of when, computed and
official length, countries, years, figures, agreements, which corridors and maps it belongs to,
the description and the sources (title, outlet, date, link).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Any

from geo.catalog import CITED_POSITION, Catalog, Corridor, Figure, Hub, Route
from geo.countries import country_name
from geo.layers import SEA, by_country_items
from geo.style import HUB_STYLE, STATUS_DASH

ALIGNMENT_TEXT = {
    "network": "on the OpenStreetMap rail or road network, along the shortest path through its waypoints",
    "stations": "drawn straight between the named stations, towns and crossings it passes (not on a mapped line)",
    "schematic": "schematic: only the end points and a few towns are known, the line is indicative",
    "sea_network": "along the maritime network (searoute), in navigable water",
}


def escape(value: Any) -> str:
    """HTML-escaped text; braces too, so no template engine downstream can read ``{{ }}`` in it."""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


@dataclass(frozen=True)
class Links:
    """What a popup can link to: the maps of this site and the corridor each route belongs to."""

    maps: dict[str, str]  # map id (file stem) -> title
    current: str  # id of the map the popup is on
    corridor_legs: dict[str, list[tuple[str, str, int, int]]]  # route id -> (corridor id, name, leg no., legs)
    routes_at: dict[str, list[str]]  # hub id -> names of the routes that start, end or pass there, sorted

    @classmethod
    def of(cls, catalog: Catalog, maps: dict[str, str], current: str) -> Links:
        """Links for popups on map ``current`` (``maps`` empty where there is no site, e.g. KML)."""
        legs: dict[str, list[tuple[str, str, int, int]]] = {}
        for corridor in catalog.corridors.values():
            for n, leg in enumerate(corridor.legs, 1):
                legs.setdefault(leg, []).append((corridor.id, corridor.name, n, len(corridor.legs)))
            for leg in corridor.branches:
                legs.setdefault(leg, []).append((corridor.id, corridor.name, 0, len(corridor.legs)))
        at: dict[str, set[str]] = {}
        for route in catalog.routes.values():  # indexed once: a hub's popup must not scan every route
            for waypoint in route.via:
                if waypoint.hub:
                    at.setdefault(waypoint.hub, set()).add(route.name)
        return cls(maps, current, legs, {hub: sorted(names) for hub, names in at.items()})

    def on(self, current: str) -> Links:
        """The same links for popups on another map."""
        return replace(self, current=current)

    def map_link(self, map_id: str, text: str) -> str:
        if map_id not in self.maps or map_id == self.current:
            return escape(text)
        return f'<a href="{escape(map_id)}.html">{escape(text)}</a>'


def _row(label: str, cell_html: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{cell_html}</td></tr>" if cell_html else ""


def _text_row(label: str, value: Any) -> str:
    return _row(label, escape(value)) if value not in (None, "", ()) else ""


def _by_country(row: dict[str, Any]) -> str:
    """'KAZ 776.2; sea 12.0' as 'Kazakhstan 776.2 km, at sea 12.0 km'."""
    return ", ".join(f"{'at sea' if code == SEA else country_name(code)} {km:.1f} km"
                     for code, km in by_country_items(row.get("length_by_country")))


def _status(entry: Hub | Route) -> str:
    if entry.status is None:
        return ""
    return escape(f"{STATUS_DASH[entry.status][1]} (as of {entry.status_as_of})")


def _list(items: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{item}</li>' for item in items)}</ul>" if items else ""


def _figures(figures: tuple[Figure, ...], catalog: Catalog) -> str:
    return _list([
        f"{escape(f.label)}: <b>{escape(f'{f.value:,g}')} {escape(f.unit)}</b> "
        f"<small>({escape(catalog.sources[f.source].outlet)})</small>"
        for f in figures
    ])


def _years(entry: Hub | Route) -> str:
    return "".join(
        _text_row(label, value) for label, value in (
            ("Construction started", entry.construction_start), ("Opened", entry.opened),
            ("Expected completion", entry.expected_completion),
        )
    )


def _sources(ids: tuple[str, ...], catalog: Catalog) -> str:
    items = []
    for sid in ids:
        source = catalog.sources[sid]
        text = f"{escape(source.title)}, <i>{escape(source.outlet)}</i>" + (f", {escape(source.date)}" if source.date else "")
        if source.url and re.match(r"^https?://", source.url):
            text += f' <a href="{escape(source.url)}" target="_blank" rel="noopener noreferrer">link</a>'
        items.append(text)
    return f"<b>Sources</b>{_list(items)}"


def _frame(title: str, rows: str, description: str, sources: str) -> str:
    return f'<div class="cm-popup"><h3>{escape(title)}</h3><table>{rows}</table><p>{escape(description)}</p>{sources}</div>'


def route_popup(route: Route, row: dict[str, Any], catalog: Catalog, links: Links) -> str:
    """Popup of a route; ``row`` is its record in the routes layer (computed length, countries)."""
    official = ""
    if route.official_length_km is not None:
        source = catalog.sources[route.official_length_source] if route.official_length_source else None
        official = escape(f"{route.official_length_km:,g} km") + (f" <small>({escape(source.outlet)})</small>" if source else "")
        if route.covered_spans:
            official += escape(f"; it counts {route.covered_spans} only, drawn {row['official_span_km']:,.1f} km")
        if row.get("length_diff_pct") is not None:
            official += escape(f"; the drawn line differs by {row['length_diff_pct']:+.1f} %")
    corridors = [
        links.map_link(cid, name) + escape(f", leg {n} of {total}" if n else ", branch")
        for cid, name, n, total in links.corridor_legs.get(route.id, [])
    ]
    rows = "".join((
        _text_row("Also known as", ", ".join(route.aliases)),
        _text_row("Mode", route.mode.capitalize()),
        _row("Status", _status(route)),
        _text_row("Length (computed)", f"{row['length_km']:,.1f} km, geodesic on the WGS84 ellipsoid"),
        _row("Length (official)", official),
        _text_row("Length note", route.official_length_note),
        _text_row("Length by country", _by_country(row)),
        _text_row("Via", " – ".join(w.name for w in route.via)),
        _text_row("Alignment", ALIGNMENT_TEXT[route.alignment]),
        _years(route),
        _row("Figures", _figures(route.figures, catalog)),
        _row("Corridors", "<br>".join(corridors)),
        _row("Map", links.map_link(route.id, "Open the map of this project") if route.id in links.maps and route.id != links.current else ""),
    ))
    return _frame(route.name, rows, route.description, _sources(route.sources, catalog))


def _location(hub: Hub, catalog: Catalog) -> str:
    """Where the point comes from, in words: the gazetteer record linked, the cited source named."""
    scheme, _, key = hub.location_source.partition(":")
    if scheme == "geonames" and key.isdigit():
        return (f'GeoNames record <a href="https://www.geonames.org/{key}" target="_blank" '
                f'rel="noopener noreferrer">{escape(key)}</a>')
    if scheme == "searoute":
        return f"the port record of UN/LOCODE {escape(key)} in the searoute package"
    if f"{scheme}:" == CITED_POSITION and key in catalog.sources:
        return f"given by the source {escape(catalog.sources[key].title)} ({escape(catalog.sources[key].outlet)})"
    if scheme == "derived":
        return f"derived: {escape(key)}"
    return escape(hub.location_source)


def hub_popup(hub: Hub, catalog: Catalog, links: Links) -> str:
    """Popup of a hub, with the routes that start, end or pass there."""
    routes = links.routes_at.get(hub.id, [])
    agreements = _list([
        f"<b>{escape(a.title)}</b>: {escape(STATUS_DASH[a.status][1].lower())} as of {escape(a.status_as_of)}. "
        f"{escape(a.description)}"
        for a in hub.annotations
    ])
    location = _location(hub, catalog) + (f"<br><small>{escape(hub.location_note)}</small>" if hub.location_note else "")
    rows = "".join((
        _text_row("Also known as", ", ".join(hub.aliases)),
        _text_row("Kind", HUB_STYLE[hub.kind].label),
        _text_row("Country", country_name(hub.country)),
        _row("Status", _status(hub)),
        _years(hub),
        _row("Figures", _figures(hub.figures, catalog)),
        _row("Agreements", agreements),
        _text_row("Routes here", "; ".join(routes)),
        _row("Location", location),
        _row("Map", links.map_link(hub.id, "Open the map of this project") if hub.id in links.maps and hub.id != links.current else ""),
    ))
    return _frame(hub.name, rows, hub.description, _sources(hub.sources, catalog))


def corridor_popup(corridor: Corridor, row: dict[str, Any], catalog: Catalog) -> str:
    """Balloon of a whole corridor (KML), with its legs in order."""
    legs = [escape(catalog.routes[leg].name) for leg in corridor.legs]
    branches = [escape(catalog.routes[leg].name) for leg in corridor.branches]
    official = f"{corridor.official_length_km:,g} km" if corridor.official_length_km else None
    rows = "".join((
        _text_row("Also known as", ", ".join(corridor.aliases)),
        _text_row("Length (computed)", f"{row['length_km']:,.1f} km, sum of the main legs"),
        _text_row("Length (official)", official),
        _text_row("Length by country", _by_country(row)),
        _row("Main legs", _list(legs)),
        _row("Branches", _list(branches)),
    ))
    return _frame(corridor.name, rows, corridor.description, _sources(corridor.sources, catalog))
