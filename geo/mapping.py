"""Maps: which maps the site has, what each one shows, and the self-contained HTML page of each, in
three languages and any year the catalog's dates cover; ``corridor_map`` gives the same page as a
folium Map for notebooks (its page fills itself in with the same ``_fill`` when rendered).

folium renders one shell page per build (the Leaflet map, tile layers, fullscreen and layer
control), shared by every map; each map's features travel once, as one JSON object in that shell,
drawn by the small runtime in ``map.js`` (layer groups, the basemap and context on canvases, route
lines, hub icons, decluttered labels, hub search, panels); lines travel projected and packed
(geo.packing). Leaflet and plugin assets are inlined from the
folium-offline package, so pages open offline and by e-mail. Catalog text reaches the page only as
escaped HTML or as JSON strings that the runtime inserts with ``textContent``.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Figure, MacroElement
from folium.template import Template
from shapely.geometry import LineString, box

from geo.catalog import STATUSES, Catalog, ContextLayer
from geo.errors import CatalogError, Problem
from geo import memo, packing, runtime
from geo.context import encode_cached, read_context
from geo.countries import COUNTRIES_FILE, countries, country_at
from geo.network import NETWORK_FILE, OSM_ATTRIBUTION
from geo.network import lines as network_lines
from geo.popups import POPUP_HEADINGS, Links, escape, popup_parts
from geo.style import (BASEMAP_STYLE, CONTEXT_OPACITY, HUB_STYLE, MODE_STYLE, NETWORK_STYLE, SCHEMATIC_BAND, SEA, STATUS_DASH,
                       TIME_DASH, hub_svg, route_style, style_key)
from geo.legend import legend
from geo.i18n import LANGUAGE_NAMES, LANGUAGES, TEXT, country_in, name_in, runtime_text, t
from geo.timeline import as_of, dates, now, year_range
from geo.water import RIVERS_FILE, lakes, water

if TYPE_CHECKING:
    from geo.routing import Path as RoutePath

MAP_DECIMALS = 5  # hubs: about 1 m on the ground
ROUTE_WORLD = 2 ** 26  # routes are packed on the grid of Web Mercator pixels at zoom 18: about half a metre
BASEMAP_PIXELS = 1500  # outlines are simplified to about one screen pixel of the initial view
BASEMAP_MARGIN = (0.5, 20.0)  # in detail this share of the view's size around it, at most this many degrees
COVERAGE = 1.5  # the basemap reaches this many view sizes from the view's centre; the map may not go further
FAR_FACTOR = 10  # outside the view's neighbourhood, outlines are this much simpler
MIN_VIEW = (3.0, 2.0)  # smallest initial extent in degrees of longitude and latitude
SEARCH_ZOOM = 9  # zoom level a search result is shown at (at least)
CONTEXT_MARGIN = 0.5  # neighbours within this share of the view's size around it are shown
SITE_TITLE = "Central Asian transport corridors"
BASEMAP_CREDIT = "Basemap: Natural Earth (public domain), rivers and lakes GSHHG (LGPL)"
TITLE_TOKEN = "cm-title-token"
MAX_MAP_CHARACTERS = 25_000_000  # about 25 MB: a page that big takes browsers minutes to open
TILES = (  # (xyzservices name, display name, overlay)
    ("Esri.WorldGrayCanvas", "Light grey (online)", False),
    ("OpenStreetMap.Mapnik", "OpenStreetMap (online)", False),
    ("Esri.WorldImagery", "Satellite imagery (online)", False),
    ("OpenRailwayMap", "OpenRailwayMap (online overlay)", True),
)
RUNTIME = runtime.script()
_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class MapSpec:
    """One page of the site: its subject routes and hubs; neighbours are added for context."""

    id: str  # file stem in maps/
    title: str
    kind: str  # overview, corridor or project
    intro: dict[str, str]  # plain text, in each language
    routes: tuple[str, ...]
    hubs: tuple[str, ...]


@dataclass(frozen=True)
class MapContent:
    """What one map draws: route and hub ids (subject first), which are context, the initial view."""

    routes: tuple[str, ...]
    hubs: tuple[str, ...]
    context: frozenset[str]
    view: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def _hubs_on(route_ids: tuple[str, ...], catalog: Catalog) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.hub for rid in route_ids for w in catalog.routes[rid].via if w.hub))


def _length_text(length: float, official: float | None, lang: str) -> str:
    km = t("km", lang)
    return t("{length} computed", lang, length=f"{length:,.1f} {km}") + (
        t(" ({length} official)", lang, length=f"{official:,g} {km}") if official else "")


def _status_text(entry: object, lang: str) -> str:
    status = getattr(entry, "status")
    return t(" Status: {status} as of {date}", lang, status=t(STATUS_DASH[status][1], lang).lower(), date=getattr(entry, "status_as_of"))


def map_specs(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog) -> list[MapSpec]:
    """The overview, one map per corridor and one per project (route or hub), in site order."""
    routes, hubs, corridors = layers["routes"], layers["hubs"], layers["corridors"]
    latest = as_of(catalog)
    specs = [MapSpec(
        "index", SITE_TITLE, "overview",
        {lang: t("{corridors} corridors, {routes} routes and {hubs} hubs from the corridor-mapper catalog; statuses as of "
                 "{date} at the latest. Lengths are geodesic on the WGS84 ellipsoid. Click a line or point for details and "
                 "sources.", lang, corridors=len(corridors), routes=len(routes), hubs=len(hubs), date=latest)
         for lang in LANGUAGES},
        tuple(routes["id"]), tuple(hubs["id"]),
    )]
    for corridor in catalog.corridors.values():
        row = corridors.loc[corridor.id]
        ids = corridor.legs + corridor.branches
        specs.append(MapSpec(
            corridor.id, corridor.name, "corridor",
            {lang: corridor.description + t(" Main line: {legs} legs, {length}; {branches} branches.", lang,
                                            legs=len(corridor.legs), branches=len(corridor.branches),
                                            length=_length_text(row["length_km"], corridor.official_length_km, lang))
             for lang in LANGUAGES},
            ids, _hubs_on(ids, catalog),
        ))
    for route in catalog.routes.values():
        if route.project:
            specs.append(MapSpec(
                route.id, route.name, "project",
                {lang: route.description + _status_text(route, lang) + "; "
                 + _length_text(routes.loc[route.id, "length_km"], route.official_length_km, lang) + "."
                 for lang in LANGUAGES},
                (route.id,), _hubs_on((route.id,), catalog),
            ))
    for hub in catalog.hubs.values():
        if hub.project:
            specs.append(MapSpec(hub.id, hub.name, "project",
                                 {lang: hub.description + (_status_text(hub, lang) + "." if hub.status else "")
                                  for lang in LANGUAGES},
                                 (), (hub.id,)))
    return specs


def _view(minx: float, miny: float, maxx: float, maxy: float) -> tuple[float, float, float, float]:
    """The initial view around these bounds: centred on them, at least MIN_VIEW across."""
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_w, half_h = max(maxx - minx, MIN_VIEW[0]) / 2, max(maxy - miny, MIN_VIEW[1]) / 2
    return tuple(float(v) for v in (cx - half_w, cy - half_h, cx + half_w, cy + half_h))  # type: ignore[return-value]


def map_content(spec: MapSpec, layers: dict[str, gpd.GeoDataFrame]) -> MapContent:
    """The subject of a map plus every route and hub near it, and the view that frames the subject."""
    routes, hubs = layers["routes"], layers["hubs"]
    shapes = np.concatenate([routes.geometry.values[routes.index.get_indexer(list(spec.routes))],
                             hubs.geometry.values[hubs.index.get_indexer(list(spec.hubs))]])
    view = _view(*shapely.total_bounds(shapes))
    near = box(*view).buffer(CONTEXT_MARGIN * max(view[2] - view[0], view[3] - view[1]), join_style="mitre")
    extra_routes = [r for r in routes.index[routes.intersects(near)] if r not in spec.routes]
    extra_hubs = [h for h in hubs.index[hubs.intersects(near)] if h not in spec.hubs]
    return MapContent(
        spec.routes + tuple(extra_routes), spec.hubs + tuple(extra_hubs),
        frozenset(extra_routes + extra_hubs), view,
    )


class _Page(Figure):
    """The page round a map. Given a title and data (a map from corridor_map), it renders whole: the
    offline assets inlined, folium's ids numbered, and the title, runtime and data put in their places by
    the same ``_fill`` that makes the CLI's pages from the shared shell."""

    def __init__(self, title: str | None = None, data: dict[str, Any] | None = None):
        super().__init__()
        self.page_title, self.data = title, data

    def render(self, **kwargs: Any) -> str:
        html = super().render(**kwargs)
        if self.data is None:
            return html
        return _fill(_deterministic_ids(_inline_assets(html, strict=False)), self.page_title or "", self.data)


class _Map(folium.Map):
    """A folium Map that loads only Leaflet itself (no jQuery, Bootstrap or icon fonts), on a _Page."""

    default_js = [(n, u) for n, u in folium.Map.default_js if n == "leaflet"]
    default_css = [(n, u) for n, u in folium.Map.default_css if n == "leaflet_css"]

    def __init__(self, page: _Page | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        (page or _Page()).add_child(self)


class _Runtime(MacroElement):
    """Where the runtime and a map's data go; both are filled in after folium has rendered the page.

    branca renders each macro's output a second time as a Jinja template, so catalog text never
    passes through folium: it travels in the data, as escaped HTML or as JSON strings.
    """

    _template = Template(
        """{% macro header(this, kwargs) %}<script>/*cm:runtime*/</script>
        <script type="application/json" id="cm-data">/*cm:data*/</script>{% endmacro %}
        {% macro script(this, kwargs) %}
        corridorMap({{ this._parent.get_name() }}, {{ this.control.get_name() }},
                    JSON.parse(document.getElementById("cm-data").textContent));
        {% endmacro %}"""
    )

    def __init__(self, control: folium.LayerControl):
        super().__init__()
        self.control = control


@functools.cache
def _shell() -> str:
    """The page every map shares, rendered by folium once (and kept in the user cache, geo.memo, which
    knows folium's, branca's and the offline assets' versions): Leaflet, tiles, controls, the runtime."""
    return memo.cached("page-shell", [], (), _render_shell, lambda value: isinstance(value, str) and "/*cm:data*/" in value)


def _render_shell() -> str:
    return _deterministic_ids(_inline_assets(_shell_map(_Page()).get_root().render()))


def _shell_map(page: _Page) -> _Map:
    """The folium map every page is made of: Leaflet, tiles, controls and the runtime's place."""
    from folium.plugins import Fullscreen  # plugins and offline assets: only when the cache lacks the shell

    fmap = _Map(page, tiles=None, zoom_snap=0.25)
    fmap.get_root().header.add_child(folium.Element(CSS))
    fmap.get_root().title = TITLE_TOKEN
    for name, label, overlay in TILES:
        folium.TileLayer(name, name=label, overlay=overlay, show=False).add_to(fmap)  # the runtime adds the first if online
    Fullscreen().add_to(fmap)
    control = folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    _Runtime(control).add_to(fmap)
    return fmap


class _Raw(str):
    """Script-safe JSON text that goes into a page's data as it is (kept so in the user cache: not parsed
    and written again for every build)."""


def _script_safe(text: str) -> str:
    """JSON text that a ``<script type="application/json">`` block can hold as it is: every ``<`` written
    as \\u003c, so no ``</script>``, ``<!--`` or ``<script`` can end or change the block (the HTML parser
    looks for nothing else there; ``<`` can only stand inside a JSON string, where \\u003c reads the same)."""
    return text.replace("<", "\\u003c")


def _json(value: Any) -> _Raw:
    return _Raw(_script_safe(_dumps(value)))


def _context_entry(layer: ContextLayer, frame: Callable[[], gpd.GeoDataFrame], view: tuple[float, float, float, float]) -> _Raw:
    """A context layer near ``view`` as page JSON: its encoded lines, then its name and attribution."""
    text = _script_safe(encode_cached(layer, frame, view))
    names = {lang: escape(t("Context: {name}", lang, name=t(layer.name, lang) if layer.name in TEXT else layer.name))
             for lang in LANGUAGES}
    extra = _dumps({"name": names, "attribution": {lang: escape(_attribution(layer.attribution, lang)) for lang in LANGUAGES}})
    return _Raw(text[:-1] + "," + _script_safe(extra)[1:])


RAW = re.compile(r'"\\u0000(\d+)\\u0000"')  # where a _Raw value was held in the dumped data


def _page(title: str, data: dict[str, Any]) -> str:
    """The shared shell with this map's title, the runtime and the data in their places."""
    return _fill(_shell(), title, data)


def _fill(shell: str, title: str, data: dict[str, Any]) -> str:
    """A rendered shell with the title, the runtime and the data in their places.

    The data goes in once, as JSON in a ``<script type="application/json">`` block that the runtime
    reads with JSON.parse (browsers read that much faster than the same object written as
    JavaScript); it is script-safe (see _script_safe).
    """
    raws: list[str] = []

    def hold(value: Any) -> Any:  # a _Raw value, or a list of them, is dumped as a numbered mark
        if isinstance(value, _Raw):
            raws.append(value)
            return f"\x00{len(raws) - 1}\x00"
        return [hold(v) for v in value] if isinstance(value, list) and value and isinstance(value[0], _Raw) else value

    dumped = _script_safe(_dumps({key: hold(value) for key, value in data.items()}))
    texts = {TITLE_TOKEN: escape(title), "/*cm:runtime*/": RUNTIME,
             "/*cm:data*/": RAW.sub(lambda match: raws[int(match.group(1))], dumped)}
    for token in texts:
        if shell.count(token) != 1:
            raise RuntimeError(f"map template must hold {token} exactly once")
    return _TOKENS.sub(lambda match: texts[match.group()], shell)  # one pass: inserted text is never searched


_TOKENS = re.compile("|".join(map(re.escape, (TITLE_TOKEN, "/*cm:runtime*/", "/*cm:data*/"))))


CSS = "<style>\n" + runtime.style().replace("/*cm:sea*/", SEA) + "</style>"


def coverage(view: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The square around the view that the basemap covers and the map may not leave (min lon, lat, max lon, lat)."""
    reach = COVERAGE * max(view[2] - view[0], view[3] - view[1])
    cx, cy = (view[0] + view[2]) / 2, (view[1] + view[3]) / 2
    return max(cx - reach, -180.0), max(cy - reach, -packing.MAX_LAT), min(cx + reach, 180.0), min(cy + reach, packing.MAX_LAT)


def _basemap(view: tuple[float, float, float, float]) -> _Raw:
    """_draw_basemap(view) as page JSON, kept in the user cache (geo.memo) under the countries and rivers files."""
    return memo.cached("basemap-json", list(view), (COUNTRIES_FILE, RIVERS_FILE), lambda: _json(_draw_basemap(view)),
                       lambda value: isinstance(value, str) and value.startswith('{"world":'), _Raw)


def _draw_basemap(view: tuple[float, float, float, float]) -> dict[str, Any]:
    """The offline basemap over the whole coverage (so land never ends in a straight line at any zoom
    the map allows): countries, rivers, lakes and lake shores, packed by kind (geo.packing).

    Near the view the outlines are simplified to about a screen pixel of the initial view, further
    out ten times as much. Land is drawn as fills without outlines and the borders and coasts as
    lines, so no seam shows where the two levels of detail meet. The rings of an area are oriented
    (holes against their outline), so that the map fills them by the non-zero rule.
    """
    size = max(view[2] - view[0], view[3] - view[1])
    near = box(*view).buffer(min(size * BASEMAP_MARGIN[0], BASEMAP_MARGIN[1]), join_style="mitre")
    far = box(*coverage(view))
    tolerance = size / BASEMAP_PIXELS
    _, _, shapes, tree = countries()
    land = np.array([shapes[i] for i in sorted(tree.query(far))], dtype=object)
    outlines = shapely.boundary(land)
    kinds, lines, water_tree = water()
    near_water = sorted(water_tree.query(near))
    lake_areas, lake_tree = lakes()
    parts = [  # (kind, geometries, tolerance)
        ("land", shapely.intersection(land, near), tolerance),
        ("land", shapely.intersection(shapely.difference(land, near), far), tolerance * FAR_FACTOR),
        ("border", shapely.intersection(outlines, near), tolerance),
        ("border", shapely.intersection(shapely.difference(outlines, near), far), tolerance * FAR_FACTOR),
        ("river", np.array([lines[i] for i in near_water if kinds[i] == "river"], dtype=object), tolerance),
        ("shore", np.array([lines[i] for i in near_water if kinds[i] == "lake"], dtype=object), tolerance),
        ("lake", np.array([lake_areas[i] for i in sorted(lake_tree.query(near))  # lakes the land covers (Balkhash),
                           if country_at(*lake_areas[i].point_on_surface().coords[0])], dtype=object), tolerance),  # not the Caspian
    ]
    world = packing.world_for(tolerance)
    found: dict[str, list[np.ndarray]] = {}
    for kind, geometries, tol in parts:
        areas = BASEMAP_STYLE[kind].get("fill", False)  # only areas need their topology kept while simplified
        simple = shapely.simplify(geometries, tol, preserve_topology=areas)
        simple = shapely.get_parts(simple[~shapely.is_empty(simple) & (shapely.area(simple) + shapely.length(simple) > tol)])
        pieces = simple[shapely.get_type_id(simple) == (3 if areas else 1)]  # polygons, or lines (cutting leaves points)
        found.setdefault(kind, []).append(shapely.get_rings(shapely.orient_polygons(pieces)) if areas else pieces)
    return {"world": world, "parts": [{"kind": kind, "lines": packing.pack(np.concatenate(pieces), world,
                                                                           least=4 if BASEMAP_STYLE[kind].get("fill") else 2)[0]}
                                      for kind, pieces in found.items()]}


def country_labels(view: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    """Country names at a point inside each country near the view: its largest part's inner point, or,
    where that lies outside the view (a project map inside a large country), a point inside the part
    of it that the view shows. Every language's name stands at the same point."""
    size = max(view[2] - view[0], view[3] - view[1])
    shown = box(*view)
    area = shown.buffer(size, join_style="mitre")
    codes, names, shapes, tree = countries()
    out = []
    for i in sorted(tree.query(area)):
        largest, lon, lat = _label_point(i)
        if not shown.contains(shapely.Point(lon, lat)):
            inside = shapely.intersection(shapes[i], shown)
            if inside.area >= (size / 6) ** 2:  # room for a name within the view
                point = inside.point_on_surface()
                largest, lon, lat = inside.area, round(point.x, 3), round(point.y, 3)
        if largest < (size / 40) ** 2:  # too small to carry its name at this scale
            continue
        out.append({"name": names[i], "names": {lang: country_in(codes[i], names[i], lang) for lang in LANGUAGES[1:]},
                    "lat": lat, "lon": lon, "area": largest})
    return [{k: v for k, v in c.items() if k != "area"} for c in sorted(out, key=lambda c: -c["area"])]


@functools.cache
def _label_point(i: int) -> tuple[float, float, float]:
    """Country ``i``'s largest part's area (square degrees) and a point inside it (lon, lat), for its label."""
    shape = countries()[2][i]
    largest = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
    point = largest.point_on_surface()
    return largest.area, round(point.x, 3), round(point.y, 3)


def _route_lines(geometry: Any) -> str:
    """A route's line or lines packed (geo.packing) on the grid of map.js's route renderer; a line is
    kept even when all of it falls on one grid point, so that every route has something to click."""
    return packing.pack(shapely.get_parts(geometry), ROUTE_WORLD, least=1)[0]


def _labelled(template: str, value: Callable[[str], str] = lambda lang: "") -> dict[str, str]:
    """A layer group's name in each language: ``template`` (an interface string) with ``value(lang)``."""
    return {lang: t(template, lang, name=value(lang)) for lang in LANGUAGES}


def _kind_group(kind: str) -> dict[str, str]:
    return _labelled("Hubs: {name}", lambda lang: t(HUB_STYLE[kind].label, lang))


def _group_order(label: str) -> tuple[int, int, str]:
    prefixes = ("Corridor: ", "Corridor branches: ", "Projects: ", "Other routes")
    category = next(i for i, p in enumerate(prefixes + ("Hubs: ",)) if label.startswith(p))
    statuses = [STATUS_DASH[s][1].lower() for s in STATUSES]
    kinds = [style.label for style in HUB_STYLE.values()]
    tail = label.split(": ", 1)[-1]
    rank = statuses.index(tail) if category == 2 else kinds.index(tail) if category == 4 else 0
    return category, rank, label


def title_of(spec: MapSpec, catalog: Catalog, lang: str) -> str:
    """A map's title in ``lang``: the site's, or the name of its corridor or project there."""
    if spec.kind == "overview":
        return t(SITE_TITLE, lang)
    return name_in(catalog.corridors.get(spec.id) or catalog.routes.get(spec.id) or catalog.hubs[spec.id], lang)


def _attribution(text: str, lang: str) -> str:
    """A layer's credit in ``lang``: the project's own translation where it has one (a catalog layer's is as written)."""
    return t(text, lang) if text in TEXT else text


def _intro(spec: MapSpec, specs: list[MapSpec], attributions: list[str], catalog: Catalog, lang: str) -> str:
    def link(other: MapSpec) -> str:
        text = t("All corridors", lang) if other.kind == "overview" else title_of(other, catalog, lang)
        if other.id == spec.id:
            return f"<span>{escape(text)}</span>"
        return f'<a href="{escape(other.id)}.html">{escape(text)}</a>'

    nav = "<br>".join(
        f"<b>{t(heading, lang)}:</b> " + " · ".join(link(s) for s in specs if s.kind == kind)
        for heading, kind in (("Overview", "overview"), ("Corridors", "corridor"), ("Projects", "project"))
    )
    return (
        f"<details open><summary><h1>{escape(title_of(spec, catalog, lang))}</h1></summary><p>{escape(spec.intro[lang])}</p>"
        f"<nav>{nav}</nav><p><small>{t(BASEMAP_CREDIT, lang)}; {t('places: GeoNames (CC BY 4.0)', lang)}."
        + "".join(f" {t('Context: {name}', lang, name=escape(_attribution(text, lang)))}." for text in attributions)
        + "</small></p>"
        '<p class="cm-tiles"></p></details>'
    )


def label_order(spec: MapSpec, content: MapContent, catalog: Catalog) -> list[str]:
    """Hub ids in the order their labels are placed when space is short: the map's own subject and the
    end points of its routes, then capitals, corridor termini, project end points, ports, border
    crossings, then hubs on more routes; neighbours last. The figures follow the same order."""
    own = set() if spec.kind == "overview" else set(spec.hubs) | {catalog.routes[r].via[i].hub for r in spec.routes
                                                                  for i in (0, -1)}
    termini = {catalog.routes[legs[k]].via[k].hub for c in catalog.corridors.values() for legs in [c.legs] for k in (0, -1)}
    project_ends = {r.via[i].hub for r in catalog.routes.values() if r.project for i in (0, -1)}
    degree: dict[str, int] = {}
    for rid in content.routes:
        for waypoint in catalog.routes[rid].via:
            if waypoint.hub:
                degree[waypoint.hub] = degree.get(waypoint.hub, 0) + 1
    return sorted(content.hubs, key=lambda h: (
        h in content.context, h not in own, not catalog.hubs[h].capital, h not in termini, h not in project_ends,
        catalog.hubs[h].kind != "seaport", catalog.hubs[h].kind != "border_crossing", -degree.get(h, 0),
        list(HUB_STYLE).index(catalog.hubs[h].kind), h,
    ))


def render_map(spec: MapSpec, specs: list[MapSpec], layers: dict[str, gpd.GeoDataFrame], catalog: Catalog,
               context: list[tuple[ContextLayer, Callable[[], gpd.GeoDataFrame]]] = (), site: Site | None = None) -> str:
    """One map of the site as a self-contained HTML page, with the context layers meant for it
    (each given as a function that reads its lines: only called when the cache lacks the answer)."""
    return _page(*map_page(spec, specs, layers, catalog, context, site))


def map_page(spec: MapSpec, specs: list[MapSpec], layers: dict[str, gpd.GeoDataFrame], catalog: Catalog,
             context: list[tuple[ContextLayer, Callable[[], gpd.GeoDataFrame]]] = (),
             site: Site | None = None, year: int | None = None, lang: str = "en") -> tuple[str, dict[str, Any]]:
    """The title and the runtime's data of one map of the site (showing ``year``, by default the catalog's,
    in ``lang`` unless the address asks for another)."""
    context = [(layer, frame) for layer, frame in context if spec.id in layer.maps or "all" in layer.maps]
    content = map_content(spec, layers)
    named: dict[str, dict[str, str]] = {}  # each layer group's English name -> its name in each language

    def group(label: dict[str, str]) -> str:
        named[label["en"]] = label
        return label["en"]

    corridor_groups: dict[str, str] = {}
    for corridor in catalog.corridors.values():
        for template, legs in (("Corridor: {name}", corridor.legs), ("Corridor branches: {name}", corridor.branches)):
            for leg in legs:
                corridor_groups.setdefault(leg, group(_labelled(template, lambda lang, c=corridor: name_in(c, lang))))
    site = site or Site.of(specs, layers, catalog)
    links = site.links.on(spec.id)

    route_rows = [site.rows[rid] for rid in content.routes]
    group_of = {row["id"]: group(_labelled("Projects: {name}", lambda lang, s=row["status"]: t(STATUS_DASH[s][1], lang).lower()))
                if row["project"] else corridor_groups.get(row["id"]) or group(_labelled("Other routes"))
                for row in route_rows}
    group_of.update({hid: group(_kind_group(catalog.hubs[hid].kind)) for hid in content.hubs})
    labels = sorted(set(group_of.values()), key=_group_order)
    index = {label: i for i, label in enumerate(labels)}
    ranked = label_order(spec, content, catalog)
    data = _data(
        content.view, context, [named[label] for label in labels],
        routes=[site.route_entry(catalog, row, spec.id, index[group_of[row["id"]]], row["id"] in content.context)
                for row in route_rows],
        hubs=[
            {"id": hid, "name": hub.name, "label": hub.short_name, "names": dict(hub.names), "aliases": list(hub.aliases),
             "group": index[group_of[hid]], "kind": hub.kind, "context": hid in content.context,
             "rank": ranked.index(hid),
             "lat": round(hub.lat, MAP_DECIMALS), "lon": round(hub.lon, MAP_DECIMALS),
             "popup": popup_parts(hub, catalog, links), "t": dates(hub)}
            for hid, hub in ((h, catalog.hubs[h]) for h in content.hubs)
        ],
        corridors=[{"id": c.id, "name": c.name, "names": dict(c.names), "aliases": list(c.aliases),
                    "routes": [r for r in c.legs + c.branches if r in group_of]}
                   for c in catalog.corridors.values() if any(r in group_of for r in c.legs)],
        intro={lang: _intro(spec, specs, list(dict.fromkeys(layer.attribution for layer, _ in context)), catalog, lang)
               for lang in LANGUAGES},
        legend_context=bool(content.context), catalog=catalog, year=year, lang=lang,
    )
    return spec.title if spec.kind == "overview" else f"{spec.title} – {SITE_TITLE}", data


def _data(view: tuple[float, float, float, float], context: list[tuple[ContextLayer, Callable[[], gpd.GeoDataFrame]]],
          groups: list[dict[str, str]], routes: list[dict[str, Any]], hubs: list[dict[str, Any]], corridors: list[dict[str, Any]],
          intro: dict[str, str], legend_context: bool, catalog: Catalog, year: int | None = None,
          lang: str = "en") -> dict[str, Any]:
    """A page's data for the runtime: its own routes, hubs, corridors and title panel, and what every
    map has around them (styles, icons, basemap, country names, context layers, layer groups, legend)."""
    bounds = coverage(view)
    first, last = year_range(catalog)
    return {
        "view": [[view[1], view[0]], [view[3], view[2]]],
        "years": {"min": first, "max": last, "now": now(catalog), "default": year or now(catalog)},
        "contextOpacity": CONTEXT_OPACITY,
        "routeWorld": ROUTE_WORLD,
        "searchZoom": SEARCH_ZOOM,
        "styles": {style_key(m, s, schematic): route_style(m, s, schematic)
                   for m in MODE_STYLE for s in TIME_DASH for schematic in (False, True)},
        "schematicBand": SCHEMATIC_BAND,
        "icons": {kind: {"html": hub_svg(kind), "size": style.size} for kind, style in HUB_STYLE.items()},
        "basemapStyles": BASEMAP_STYLE,
        "routes": routes,
        "hubs": hubs,
        "corridors": corridors,
        "basemap": _basemap(view),
        "coverage": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]],
        "countries": country_labels(view),
        "context": [_context_entry(layer, frame, view) for layer, frame in context],
        "groups": {lang: [escape(label[lang]) for label in groups] for lang in LANGUAGES},
        "panels": [
            {"position": "topright", "className": "cm-panel cm-intro", "html": intro},
            {"position": "bottomright", "className": "cm-panel cm-legend",
             "html": {lang: legend(legend_context, lang) for lang in LANGUAGES}},
        ],
        "lang": lang,
        "languages": LANGUAGE_NAMES,
        "text": runtime_text(RUNTIME, POPUP_HEADINGS),
    }


def _network_frame(mode: str) -> gpd.GeoDataFrame:
    geometries, labels = network_lines(mode)
    return gpd.GeoDataFrame({"label": labels}, geometry=geometries, crs="EPSG:4326")


def _network_context() -> list[tuple[ContextLayer, Callable[[], gpd.GeoDataFrame]]]:
    """The OpenStreetMap rail and road network as a context layer of every map."""
    return [(ContextLayer(id=f"network-{mode}", name=name, path=NETWORK_FILE, attribution=OSM_ATTRIBUTION,
                          maps=("all",), color=color, weight=weight, opacity=opacity, tooltip="label"),
             functools.cache(functools.partial(_network_frame, mode)))
            for mode, (name, color, weight, opacity) in NETWORK_STYLE.items()]


@dataclass(frozen=True)
class Site:
    """What every map of a build shares, worked out once: the links between maps and each route's record."""

    links: Links
    rows: dict[str, dict[str, Any]]  # route id -> its record in the routes layer
    lines: dict[str, str]  # route id -> its line as the page carries it, as JSON (encoded once for every map)
    popups: dict[tuple[str, str], str] = field(default_factory=dict)  # (route id, map id or "") -> popup HTML as JSON
    parts: dict[str, tuple[str, str]] = field(default_factory=dict)  # route id -> the JSON before and after what maps vary

    @classmethod
    def of(cls, specs: list[MapSpec], layers: dict[str, gpd.GeoDataFrame], catalog: Catalog) -> Site:
        routes = layers["routes"]
        records = routes.drop(columns="geometry").to_dict("records")
        rows = {rid: {**record, "geometry": geometry} for rid, record, geometry in zip(routes.index, records, routes.geometry)}
        lines = {rid: _json(_route_lines(geometry)) for rid, geometry in zip(routes.index, routes.geometry)}
        return cls(Links.of(catalog, {s.id: s.title for s in specs}, "index"), rows, lines)

    def route_entry(self, catalog: Catalog, row: dict[str, Any], map_id: str, group: int, context: bool) -> _Raw:
        """A route in the data of map ``map_id``, as JSON: the parts that are the same on every map are
        encoded once (its names, style, line and dates); its layer group, context flag and popup per map."""
        rid = row["id"]
        if rid not in self.parts:
            route = catalog.routes[rid]
            head = _json({"id": rid, "name": row["name"], "names": dict(route.names), "aliases": list(route.aliases),
                          "style": style_key(row["mode"], row["status"], route.alignment == "schematic"),
                          "schematic": route.alignment == "schematic"})
            self.parts[rid] = head[:-1], f',"lines":{self.lines[rid]},"t":{_json(dates(route))}}}'
        head, tail = self.parts[rid]
        return _Raw(f'{head},"group":{group},"context":{_dumps(context)},"popup":{self.popup(catalog, rid, map_id)}{tail}')

    def popup(self, catalog: Catalog, route_id: str, map_id: str) -> str:
        """A route's popup on map ``map_id`` as JSON: the same on every map but its own and its corridors'
        (no link to itself)."""
        own = {route_id, *(cid for cid, *_ in self.links.corridor_legs.get(route_id, []))}
        key = (route_id, map_id if map_id in own else "")
        if key not in self.popups:
            self.popups[key] = _json(popup_parts(catalog.routes[route_id], catalog, self.links.on(key[1]), self.rows[route_id]))
        return self.popups[key]


def site_context(catalog: Catalog) -> list[tuple[ContextLayer, Callable[[], gpd.GeoDataFrame]]]:
    """The context layers of the site's maps: the OpenStreetMap network and the catalog's own."""
    return _network_context() + [(layer, functools.cache(functools.partial(read_context, layer)))
                                 for layer in catalog.context.values()]


def chosen_map(catalog: Catalog, layers: dict[str, gpd.GeoDataFrame], map_id: str, year: int | None,
               lang: str) -> tuple[MapSpec, list[MapSpec]]:
    """The map asked for (with the site's maps) in ``year`` and ``lang``, for the notebook map and the
    figure alike; ValueError saying what is allowed for a bad id, year or language."""
    first, last = year_range(catalog)
    if year is not None and not (isinstance(year, int) and first <= year <= last):
        raise ValueError(f"year {year!r}: the catalog's dates allow {first} to {last}")
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: one of {', '.join(LANGUAGES)}")
    specs = map_specs(layers, catalog)
    spec = next((s for s in specs if s.id == map_id), None)
    if spec is None:
        raise ValueError(f"no map {map_id!r}; the maps are: {', '.join(s.id for s in specs)}")
    return spec, specs


def corridor_map(catalog: Catalog | str | Path | None = None, map_id: str = "index", year: int | None = None,
                 lang: str = "en") -> folium.Map:
    """One of the site's maps as a folium Map, for a notebook: the page `corridors build` writes as
    maps/<map_id>.html (saved, it is the same file), to which ordinary folium layers can be added.
    ``catalog``: a loaded Catalog or its folder (default: data); ``year``: the year shown (default: the
    catalog's as-of year); ``lang``: en, ru or kk. A bad argument raises ValueError saying what is allowed."""
    from geo.catalog import load_catalog
    from geo.layers import build_layers

    catalog = catalog if isinstance(catalog, Catalog) else load_catalog(Path(catalog or "data"))
    layers = build_layers(catalog)
    spec, specs = chosen_map(catalog, layers, map_id, year, lang)
    title, data = map_page(spec, specs, layers, catalog, site_context(catalog), year=year, lang=lang)
    return _shell_map(_Page(title, data))


def render_maps(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Every page of the site as (file name, HTML), one at a time so that only one is held in memory."""
    specs = map_specs(layers, catalog)
    site = Site.of(specs, layers, catalog)
    context = site_context(catalog)
    for spec in specs:
        page = render_map(spec, specs, layers, catalog, context, site)
        if len(page) > MAX_MAP_CHARACTERS:
            raise CatalogError([Problem(f"maps/{spec.id}.html", None, spec.id, None,
                                        f"this map would be {len(page) / 1e6:.1f} MB; a map may be at most "
                                        f"{MAX_MAP_CHARACTERS / 1e6:.1f} MB (it would take minutes to open): "
                                        "split the catalog, or mark fewer hubs and routes")])
        yield f"{spec.id}.html", page


def _inline_assets(page: str, strict: bool = True) -> str:
    """Replace every CDN script/stylesheet link with the asset's text from folium-offline; ``strict``:
    fail if one is left (the site's pages), else leave it linked (a plugin a notebook user added)."""
    from offlinefolium.elements import _res as OFFLINE_ASSETS

    def script(match: re.Match[str]) -> str:
        return "<script>" + OFFLINE_ASSETS[match.group(1)] + "</script>" if match.group(1) in OFFLINE_ASSETS else match.group()

    def style(match: re.Match[str]) -> str:
        return "<style>" + OFFLINE_ASSETS[match.group(1)] + "</style>" if match.group(1) in OFFLINE_ASSETS else match.group()

    page = re.sub(r'<script src="(https?://[^"]+)"></script>', script, page)
    page = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"/>', style, page)
    leftover = re.findall(r'(?:src|href)="(https?://[^"]+\.(?:js|css))"', page)
    if leftover and strict:
        raise RuntimeError(f"map still references online assets: {leftover}")
    return page


def _deterministic_ids(page: str) -> str:
    """folium names elements with random hex ids; number them in order of appearance instead."""
    seen: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return seen.setdefault(match.group(0), f"{match.group(1)}_{len(seen)}")

    return re.sub(r"\b([a-z_]+?)_([0-9a-f]{32})(?![0-9a-f])", rename, page)


def _same(title: str, rows: list[tuple[str, str]], body: str = "") -> dict[str, Any]:
    """A popup of a path's map in the pages' popup form (geo/popups.py: popup_parts): its title and rows
    as escaped HTML, each row under an English heading of the interface strings."""
    return {"title": escape(title), "rows": [[label, html] for label, html in rows], "body": body}


def render_path(catalog: Catalog, path: RoutePath, by: str) -> str:
    """The map of one `corridors route` answer: its legs numbered, a popup per leg, the totals in the
    title panel; the same page shell, runtime, basemap and network context as the site's maps."""
    from geo.routing import as_text

    hubs = catalog.hubs
    order = list(dict.fromkeys([path.legs[0].start, *(leg.end for leg in path.legs)]))
    coords = [c for leg in path.legs for c in leg.coords()]
    xs, ys = [x for x, _ in coords], [y for _, y in coords]
    view = _view(min(xs), min(ys), max(xs), max(ys))
    stops = dict(path.stops)
    kinds = sorted({hubs[h].kind for h in order}, key=list(HUB_STYLE).index)
    labels = [_labelled("Path: legs in order")] + [_kind_group(k) for k in kinds]

    def leg_popup(n: int, leg: Any) -> dict[str, Any]:
        edge = leg.edge
        time = edge.time
        rows = [("Leg", f"{n} of {len(path.legs)}"), ("From", hubs[leg.start].name), ("To", hubs[leg.end].name),
                ("Route", edge.name), ("Mode", edge.mode), ("Length", f"{edge.km:,.1f} km"),
                ("Time", "unknown" if edge.days is None else f"{edge.days[0]:.1f}–{edge.days[1]:.1f} days"),
                ("Countries", ", ".join(leg.countries()) or "sea")]
        if time:
            rows.append(("Time from", f"{time.source}" + (f": {time.note}" if time.note else "")))
        return _same(f"{n}. {edge.name}", [(k, escape(v)) for k, v in rows])

    def hub_popup_text(hid: str) -> dict[str, Any]:
        hub = hubs[hid]
        rows = [("Kind", escape(HUB_STYLE[hub.kind].label)), ("Country", escape(hub.country))]
        if hid in stops:
            dwell = stops[hid]
            rows.append(("Time here", escape(f"{dwell.days[0]:.2f}–{dwell.days[1]:.2f} days ({dwell.note or dwell.source})")))
        return _same(hub.name, rows)

    status = {r.id: r.status for r in catalog.routes.values()}
    summary = escape(as_text(catalog, path, by)).replace("\n", "<br>")
    title = f"{hubs[path.legs[0].start].name} → {hubs[path.legs[-1].end].name}"
    data = _data(
        view, _network_context(), labels,
        routes=[
            {"id": f"leg-{n}", "name": f"{n}. {leg.edge.name}", "aliases": [leg.edge.route], "group": 0,
             "style": style_key(leg.edge.mode, status[leg.edge.route], catalog.routes[leg.edge.route].alignment == "schematic"),
             "context": False, "popup": leg_popup(n, leg), "schematic": catalog.routes[leg.edge.route].alignment == "schematic",
             "lines": _route_lines(LineString(leg.coords())), "t": dates(catalog.routes[leg.edge.route])}
            for n, leg in enumerate(path.legs, 1)
        ],
        hubs=[
            {"id": hid, "name": hubs[hid].name, "label": f"{i}. {hubs[hid].short_name}", "aliases": list(hubs[hid].aliases),
             "group": 1 + kinds.index(hubs[hid].kind), "kind": hubs[hid].kind, "context": False, "rank": i - 1,
             "lat": round(hubs[hid].lat, MAP_DECIMALS), "lon": round(hubs[hid].lon, MAP_DECIMALS), "popup": hub_popup_text(hid),
             "t": dates(hubs[hid])}
            for i, hid in enumerate(order, 1)
        ],
        corridors=[],
        intro={lang: f"<details open><summary><h1>{escape(title)}</h1></summary><p>{summary}</p>"
                     f"<p><small>{t(BASEMAP_CREDIT, lang)}. {t('Context: {name}', lang, name=escape(OSM_ATTRIBUTION))}."
                     "</small></p><p class=\"cm-tiles\"></p></details>" for lang in LANGUAGES},
        legend_context=False, catalog=catalog,
    )
    return _page(f"{title} – {SITE_TITLE}", data)
