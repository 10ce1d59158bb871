"""Popups: the HTML a planner reads on clicking a route or hub. Every catalog string is escaped here.

A popup answers: what it is and its other names, mode or kind, status and as of when, computed and
official length, countries, years, figures, agreements, which corridors and maps it belongs to,
the description and the sources (title, outlet, date, link).

Each popup is built in every language of the maps (headings, fixed values, names of entries and
countries, from geo.i18n); the catalog's own descriptions and sources stay as written. For the
pages, ``popup_parts`` gives it as parts (title, rows, shared body), each cell once where it reads
the same in every language, which map.js joins in the language shown (docs/map-runtime.md).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Any

from geo.catalog import CITED_POSITION, Catalog, Corridor, Figure, Hub, Route
from geo.countries import country_name
from geo.i18n import LANGUAGES, country_in, name_in, t
from geo.layers import SEA, by_country_items
from geo.lengths import reasons
from geo.style import HUB_STYLE, STATUS_DASH

BODY = "<!--cm:body-->"  # where the shared part (description and sources) goes in a popup's frame
POPUP_HEADINGS = ("Also known as", "Mode", "Status", "Length (computed)", "Length (official)", "Why the lengths differ", "Length note",
                  "Length by country", "Via", "Alignment", "Construction started", "Opened", "In service at least since",
                  "Expected completion", "Figures", "Corridors", "Map", "Kind", "Country", "Agreements", "Routes here",
                  "Location", "Sources", "Main legs", "Branches")  # the page translates them from its interface strings

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
    routes_at: dict[str, list[str]]  # hub id -> ids of the routes that start, end or pass there, by name

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
                    at.setdefault(waypoint.hub, set()).add(route.id)
        return cls(maps, current, legs, {hub: sorted(ids, key=lambda r: (catalog.routes[r].name, r)) for hub, ids in at.items()})

    def on(self, current: str) -> Links:
        """The same links for popups on another map."""
        return replace(self, current=current)

    def map_link(self, map_id: str, text: str) -> str:
        if map_id not in self.maps or map_id == self.current:
            return escape(text)
        return f'<a href="{escape(map_id)}.html">{escape(text)}</a>'


Rows = list[tuple[str, str]]  # a popup's table: (English heading, the cell's HTML in one language)


def _row(label: str, cell_html: str) -> Rows:
    return [(label, cell_html)] if cell_html else []


def _text_row(label: str, value: Any) -> Rows:
    return _row(label, escape(value)) if value not in (None, "", ()) else []


def _joined(parts: tuple[Rows, ...]) -> Rows:
    return [row for part in parts for row in part]


def _country(code: str, lang: str) -> str:
    return country_in(code, country_name(code), lang)


def _by_country(row: dict[str, Any], lang: str) -> str:
    """'KAZ 776.2; sea 12.0' as 'Kazakhstan 776.2 km, at sea 12.0 km' in ``lang``."""
    return ", ".join(f"{t('at sea', lang) if code == SEA else _country(code, lang)} {km:.1f} {t('km', lang)}"
                     for code, km in by_country_items(row.get("length_by_country")))


def _status(entry: Hub | Route, lang: str) -> str:
    if entry.status is None:
        return ""
    return escape(f"{t(STATUS_DASH[entry.status][1], lang)} ({t('as of', lang)} {entry.status_as_of})")


def _list(items: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{item}</li>' for item in items)}</ul>" if items else ""


def _figures(figures: tuple[Figure, ...], catalog: Catalog) -> str:
    return _list([
        f"{escape(f.label)}: <b>{escape(f'{f.value:,g}')} {escape(f.unit)}</b> "
        f"<small>({escape(catalog.sources[f.source].outlet)})</small>"
        for f in figures
    ])


def _years(entry: Hub | Route, lang: str) -> Rows:
    return _joined(tuple(
        _text_row(label, value) for label, value in (
            ("Construction started", entry.construction_start), ("Opened", entry.opened),
            ("In service at least since", entry.in_service_since), ("Expected completion", entry.expected_completion),
        )
    ))


def _body(description: str, ids: tuple[str, ...], catalog: Catalog) -> str:
    """The part of a popup that is the same in every language: the description and the sources (each
    link written as its site's name)."""
    items = []
    for sid in ids:
        source = catalog.sources[sid]
        text = f"{escape(source.title)}, <i>{escape(source.outlet)}</i>" + (f", {escape(source.date)}" if source.date else "")
        if source.url and re.match(r"^https?://", source.url):
            site = re.sub(r"^www\.", "", re.split(r"[/?#]", source.url.split("://", 1)[1])[0])
            text += f' <a href="{escape(source.url)}" target="_blank" rel="noopener noreferrer">{escape(site)}</a>'
        items.append(text)
    return f"<p>{escape(description)}</p>{_list(items)}"


def _frame(title: str, rows: Rows, lang: str) -> str:
    cells = "".join(f"<tr><th>{escape(t(label, lang))}</th><td>{html}</td></tr>" for label, html in rows)
    return (f'<div class="cm-popup"><h3>{escape(title)}</h3><table>{cells}</table>'
            f'<b class="cm-sources-heading">{escape(t("Sources", lang))}</b>{BODY}</div>')


def _one(values: dict[str, str]) -> str | dict[str, str]:
    """The same value in every language once, else the value of each."""
    return values["en"] if len(set(values.values())) == 1 else values


def popup_parts(entry: Hub | Route, catalog: Catalog, links: Links, row: dict[str, Any] | None = None) -> dict[str, Any]:
    """A route's (with its layer ``row``) or hub's popup for the pages, as parts that map.js joins: its
    title and each row's cell (one text, or one for each language where they differ), the English
    heading of each row (translated by the page from the interface strings), and the shared body."""
    build = (lambda lang: _route_rows(entry, row, catalog, links, lang)) if isinstance(entry, Route) else \
        (lambda lang: _hub_rows(entry, catalog, links, lang))
    made = {lang: build(lang) for lang in LANGUAGES}
    rows = [[label, _one({lang: made[lang][1][n][1] for lang in LANGUAGES})] for n, (label, _) in enumerate(made["en"][1])]
    return {"title": _one({lang: escape(made[lang][0]) for lang in LANGUAGES}), "rows": rows,
            "body": _body(entry.description, entry.sources, catalog)}


def route_popup(route: Route, row: dict[str, Any], catalog: Catalog, links: Links, lang: str = "en") -> str:
    """Popup of a route; ``row`` is its record in the routes layer (computed length, countries)."""
    return _frame(*_route_rows(route, row, catalog, links, lang), lang).replace(BODY, _body(route.description, route.sources, catalog))


def _route_rows(route: Route, row: dict[str, Any], catalog: Catalog, links: Links, lang: str) -> tuple[str, Rows]:
    km = t("km", lang)
    official = ""
    if route.official_length_km is not None:
        source = catalog.sources[route.official_length_source] if route.official_length_source else None
        official = escape(f"{route.official_length_km:,g} {km}") + (f" <small>({escape(source.outlet)})</small>" if source else "")
        if route.covered_spans:
            official += escape(t("; it counts {spans} only, drawn {length}", lang, spans=route.covered_spans,
                                 length=f"{row['official_span_km']:,.1f} {km}"))
        if row.get("length_diff_pct") is not None:
            official += escape(t("; the drawn line differs by {pct} %", lang, pct=f"{row['length_diff_pct']:+.1f}"))
    corridors = [
        links.map_link(cid, name_in(catalog.corridors[cid], lang))
        + escape(t(", leg {n} of {total}", lang, n=n, total=total) if n else t(", branch", lang))
        for cid, _, n, total in links.corridor_legs.get(route.id, [])
    ]
    via = " – ".join(name_in(catalog.hubs[w.hub], lang) if w.hub else w.name for w in route.via)
    rows = _joined((
        _text_row("Also known as", ", ".join(route.aliases)),
        _text_row("Mode", t(route.mode.capitalize(), lang)),
        _row("Status", _status(route, lang)),
        *_length_rows(route, row, official, lang),
        _text_row("Length note", route.official_length_note),
        _text_row("Length by country", _by_country(row, lang)),
        _text_row("Via", via),
        _text_row("Alignment", t(ALIGNMENT_TEXT[route.alignment], lang)),
        _years(route, lang),
        _row("Figures", _figures(route.figures, catalog)),
        _row("Corridors", "<br>".join(corridors)),
        _row("Map", links.map_link(route.id, t("Open the map of this project", lang))
             if route.id in links.maps and route.id != links.current else ""),
    ))
    return name_in(route, lang), rows


def _length_rows(route: Route, row: dict[str, Any], official: str, lang: str) -> tuple[Rows, ...]:
    """Computed and official length, and why they differ: a schematic line shows the official figure first
    and its computed length as approximate."""
    km = t("km", lang)
    length = f"{row['length_km']:,.1f} {km}"
    if route.alignment == "schematic":
        computed = _text_row("Length (computed)", t("approx. {length}, along a schematic line", lang, length=length))
        rows = (_row("Length (official)", official), computed)
    else:
        rows = (_text_row("Length (computed)", t("{length}, geodesic on the WGS84 ellipsoid", lang, length=length)),
                _row("Length (official)", official))
    return (*rows, _text_row("Why the lengths differ", "; ".join(reasons(row, None, lang))))


def _location(hub: Hub, catalog: Catalog, lang: str) -> str:
    """Where the point comes from, in words: the gazetteer record linked, the cited source named."""
    scheme, _, key = hub.location_source.partition(":")
    if scheme == "geonames" and key.isdigit():
        return (f'{escape(t("GeoNames record", lang))} <a href="https://www.geonames.org/{key}" target="_blank" '
                f'rel="noopener noreferrer">{escape(key)}</a>')
    if scheme == "searoute":
        return escape(t("the port record of UN/LOCODE {code} in the searoute package", lang, code=key))
    if f"{scheme}:" == CITED_POSITION and key in catalog.sources:
        source = catalog.sources[key]
        return escape(t("given by the source {title} ({outlet})", lang, title=source.title, outlet=source.outlet))
    if scheme == "derived":
        return escape(t("derived: {how}", lang, how=key))
    return escape(hub.location_source)


def hub_popup(hub: Hub, catalog: Catalog, links: Links, lang: str = "en") -> str:
    """Popup of a hub, with the routes that start, end or pass there."""
    return _frame(*_hub_rows(hub, catalog, links, lang), lang).replace(BODY, _body(hub.description, hub.sources, catalog))


def _hub_rows(hub: Hub, catalog: Catalog, links: Links, lang: str) -> tuple[str, Rows]:
    routes = [name_in(catalog.routes[rid], lang) for rid in links.routes_at.get(hub.id, [])]
    agreements = _list([
        f"<b>{escape(a.title)}</b>: {escape(t(STATUS_DASH[a.status][1], lang).lower())} {escape(t('as of', lang))} "
        f"{escape(a.status_as_of)}. {escape(a.description)}"
        for a in hub.annotations
    ])
    location = _location(hub, catalog, lang) + (f'<br><small class="cm-catalog-text">{escape(hub.location_note)}</small>'
                                                if hub.location_note else "")  # the catalog's own words
    rows = _joined((
        _text_row("Also known as", ", ".join(hub.aliases)),
        _text_row("Kind", t(HUB_STYLE[hub.kind].label, lang)),
        _text_row("Country", _country(hub.country, lang)),
        _row("Status", _status(hub, lang)),
        _years(hub, lang),
        _row("Figures", _figures(hub.figures, catalog)),
        _row("Agreements", agreements),
        _text_row("Routes here", "; ".join(routes)),
        _row("Location", location),
        _row("Map", links.map_link(hub.id, t("Open the map of this project", lang))
             if hub.id in links.maps and hub.id != links.current else ""),
    ))
    return name_in(hub, lang), rows


def corridor_popup(corridor: Corridor, row: dict[str, Any], catalog: Catalog, lang: str = "en") -> str:
    """Balloon of a whole corridor (KML), with its legs in order."""
    legs = [escape(name_in(catalog.routes[leg], lang)) for leg in corridor.legs]
    branches = [escape(name_in(catalog.routes[leg], lang)) for leg in corridor.branches]
    km = t("km", lang)
    official = f"{corridor.official_length_km:,g} {km}" if corridor.official_length_km else None
    rows = _joined((
        _text_row("Also known as", ", ".join(corridor.aliases)),
        _text_row("Length (computed)", t("{length}, sum of the main legs", lang, length=f"{row['length_km']:,.1f} {km}")),
        _text_row("Length (official)", official),
        _text_row("Length by country", _by_country(row, lang)),
        _row("Main legs", _list(legs)),
        _row("Branches", _list(branches)),
    ))
    return _frame(name_in(corridor, lang), rows, lang).replace(BODY, _body(corridor.description, corridor.sources, catalog))
