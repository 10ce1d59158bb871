"""Maps: folium HTML rendered from the layers, self-contained so it opens offline and by e-mail.

Leaflet and plugin assets are inlined from the folium-offline package's resource table, so no map
fetches anything from a CDN; tiles are the only online extra, over a built-in Natural Earth basemap.
Every catalog string is HTML-escaped in Python and passed to JavaScript as a JSON string literal.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterable

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.plugins import Fullscreen
from folium.template import Template
from offlinefolium.elements import _res as OFFLINE_ASSETS
from shapely.geometry import box, mapping

from geo.catalog import Catalog
from geo.countries import countries, country_name
from geo.layers import LIST_SEPARATOR
from geo.style import HUB_STYLE, MODE_STYLE, SEA_DASH, STATUS_DASH, route_style

MAP_DECIMALS = 5  # about 1 m on the ground
BASEMAP_TOLERANCE = 0.02  # degrees; enough for country outlines at corridor scale
TILES = (  # (xyzservices-style name, display name, overlay)
    ("Esri.WorldGrayCanvas", "Light grey (online)", False),
    ("OpenStreetMap.Mapnik", "OpenStreetMap (online)", False),
    ("Esri.WorldImagery", "Satellite imagery (online)", False),
    ("OpenRailwayMap", "OpenRailwayMap (online overlay)", True),
)


class _Map(folium.Map):
    """A folium Map that loads only Leaflet itself (no jQuery, Bootstrap or icon fonts)."""

    default_js = [(n, u) for n, u in folium.Map.default_js if n == "leaflet"]
    default_css = [(n, u) for n, u in folium.Map.default_css if n == "leaflet_css"]


class _Bind(MacroElement):
    """Bind an already-escaped HTML popup and tooltip to the parent layer."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.popup|tojson }}, {maxWidth: 380})
            .bindTooltip({{ this.tooltip|tojson }}, {sticky: true});
        {% endmacro %}"""
    )

    def __init__(self, popup: str, tooltip: str):
        super().__init__()
        self.popup, self.tooltip = popup, tooltip


class _Panel(MacroElement):
    """A static Leaflet control holding escaped HTML (title, legend)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
            var panel = L.control({position: {{ this.position|tojson }}});
            panel.onAdd = function () {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            panel.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, html_text: str, position: str, css_class: str):
        super().__init__()
        self.html, self.position, self.css_class = html_text, position, css_class


CSS = """
<style>
.cm-panel{background:rgba(255,255,255,.94);padding:8px 10px;border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.35);
font:13px/1.35 system-ui,sans-serif;max-width:330px}
.cm-panel h1{font-size:16px;margin:0 0 4px}.cm-panel p{margin:0 0 4px}
.cm-legend svg{vertical-align:middle;margin-right:6px}.cm-legend div{white-space:nowrap}
.cm-legend h2{font-size:12px;margin:6px 0 2px;text-transform:uppercase;color:#555}
.cm-popup table{border-collapse:collapse;font:12px/1.3 system-ui,sans-serif}
.cm-popup th{text-align:left;padding:1px 8px 1px 0;color:#555;vertical-align:top;white-space:nowrap}
.cm-popup td{padding:1px 0}.cm-popup h3{font-size:14px;margin:0 0 4px}.cm-popup ul{margin:2px 0;padding-left:16px}
</style>
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _present(value: Any) -> bool:
    return value is not None and value == value and value != ""  # NaN != NaN


def _split(value: Any) -> list[str]:
    """A '; '-joined layer field back to its items (missing values give none)."""
    return value.split(LIST_SEPARATOR) if isinstance(value, str) else []


def _sources_html(ids: str | None, catalog: Catalog) -> str:
    items = []
    for sid in _split(ids):
        source = catalog.sources.get(sid)
        if source is None:
            continue
        text = f"{_e(source.title)}, <i>{_e(source.outlet)}</i>" + (f", {_e(source.date)}" if source.date else "")
        if source.url and re.match(r"^https?://", source.url):
            text += f' <a href="{_e(source.url)}" target="_blank" rel="noopener noreferrer">link</a>'
        items.append(f"<li>{text}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _popup(row: dict[str, Any], rows: Iterable[tuple[str, str]], catalog: Catalog) -> str:
    cells = "".join(
        f"<tr><th>{_e(label)}</th><td>{_e(row[key])}</td></tr>" for label, key in rows if _present(row.get(key))
    )
    description = f"<p>{_e(row['description'])}</p>" if _present(row.get("description")) else ""
    return (
        f'<div class="cm-popup"><h3>{_e(row["name"])}</h3><table>{cells}</table>{description}'
        f"<b>Sources</b>{_sources_html(row.get('sources'), catalog)}</div>"
    )


ROUTE_ROWS = (
    ("Also known as", "aliases"), ("Mode", "mode"), ("Status", "status"), ("Status as of", "status_as_of"),
    ("Computed length (km)", "length_km"), ("Official length (km)", "official_length_km"),
    ("Length note", "official_length_note"), ("Countries", "countries"), ("Alignment", "alignment"),
    ("Via", "via"), ("Construction start", "construction_start"), ("Opened", "opened"),
    ("Expected completion", "expected_completion"), ("Figures", "figures"), ("Corridors", "corridors"),
)
HUB_ROWS = (
    ("Also known as", "aliases"), ("Kind", "kind"), ("Country", "country"), ("Status", "status"),
    ("Status as of", "status_as_of"), ("Construction start", "construction_start"),
    ("Expected completion", "expected_completion"), ("Figures", "figures"), ("Agreements", "annotations"),
    ("Location", "location_source"), ("Location note", "location_note"),
)


def _line_coords(geometry: Any) -> list[list[tuple[float, float]]]:
    parts = geometry.geoms if geometry.geom_type == "MultiLineString" else [geometry]
    return [[(round(y, MAP_DECIMALS), round(x, MAP_DECIMALS)) for x, y in part.coords] for part in parts]


def _basemap(bounds: tuple[float, float, float, float]) -> folium.GeoJson:
    """Natural Earth country outlines around the data, simplified: readable with no tiles at all."""
    codes, _, shapes, _ = countries()
    area = box(*bounds).buffer(15)
    features = []
    for code, shape in zip(codes, shapes):
        if shape.intersects(area):
            simple = shape.intersection(area).simplify(BASEMAP_TOLERANCE)
            geo = json.loads(json.dumps(mapping(simple)), parse_float=lambda s: round(float(s), 3))
            features.append({"type": "Feature", "properties": {"name": country_name(code)}, "geometry": geo})
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name="Country outlines (offline)",
        style_function=lambda _: {"color": "#9e9e9e", "weight": 0.8, "fillColor": "#f2efe9", "fillOpacity": 1},
        smooth_factor=1, control=True, interactive=False,
    )


def _legend() -> str:
    rows = ["<h2>Routes: colour and width by mode</h2>"]
    for mode, style in MODE_STYLE.items():
        dash = SEA_DASH if mode == "sea" else ""
        rows.append(
            f'<div><svg width="42" height="10"><line x1="0" y1="5" x2="42" y2="5" stroke="{style["color"]}" '
            f'stroke-width="{style["weight"]}" stroke-dasharray="{dash}"/></svg>{_e(style["label"])}</div>'
        )
    rows.append("<h2>Line pattern by status</h2>")
    for dash, label in STATUS_DASH.values():
        rows.append(
            f'<div><svg width="42" height="10"><line x1="0" y1="5" x2="42" y2="5" stroke="#333" stroke-width="3" '
            f'stroke-dasharray="{dash or ""}"/></svg>{_e(label)}</div>'
        )
    rows.append("<h2>Hubs</h2>")
    for style in HUB_STYLE.values():
        rows.append(
            f'<div><svg width="42" height="16"><circle cx="21" cy="8" r="{style.radius}" fill="{style.color}" '
            f'stroke="#fff" stroke-width="1.5"/></svg>{_e(style.label)}</div>'
        )
    return "".join(rows)


def _inline_assets(page: str) -> str:
    """Replace every CDN script/stylesheet link with the asset's text from folium-offline."""

    def script(match: re.Match[str]) -> str:
        return "<script>" + OFFLINE_ASSETS[match.group(1)] + "</script>"

    def style(match: re.Match[str]) -> str:
        return "<style>" + OFFLINE_ASSETS[match.group(1)] + "</style>"

    page = re.sub(r'<script src="(https?://[^"]+)"></script>', script, page)
    page = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"/>', style, page)
    leftover = re.findall(r'(?:src|href)="(https?://[^"]+\.(?:js|css))"', page)
    if leftover:
        raise RuntimeError(f"map still references online assets: {leftover}")
    return page


def _deterministic_ids(page: str) -> str:
    """folium names elements with random hex ids; number them in order of appearance instead."""
    seen: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return seen.setdefault(match.group(0), f"{match.group(1)}_{len(seen)}")

    return re.sub(r"\b([a-z_]+?)_([0-9a-f]{32})(?![0-9a-f])", rename, page)


def render_overview(layers: dict[str, gpd.GeoDataFrame], catalog: Catalog) -> str:
    """The overview map: every corridor, project route and hub, as one self-contained HTML page."""
    routes, hubs, corridors = layers["routes"], layers["hubs"], layers["corridors"]
    minx, miny, maxx, maxy = routes.total_bounds
    fmap = _Map(location=None, tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    fmap.get_root().header.add_child(folium.Element(CSS))
    fmap.get_root().title = "Central Asian transport corridors"
    _basemap((minx, miny, maxx, maxy)).add_to(fmap)
    for name, label, overlay in TILES:
        folium.TileLayer(name, name=label, overlay=overlay, show=not overlay and name == TILES[0][0]).add_to(fmap)

    groups: dict[str, folium.FeatureGroup] = {}

    def group(label: str) -> folium.FeatureGroup:
        if label not in groups:
            groups[label] = folium.FeatureGroup(name=_e(label)).add_to(fmap)
        return groups[label]

    corridor_of = {}
    for corridor in corridors.itertuples():
        for leg in _split(corridor.legs):
            corridor_of.setdefault(leg, f"Corridor: {corridor.name}")
        for leg in _split(corridor.branches):
            corridor_of.setdefault(leg, f"Corridor branches: {corridor.name}")
    for row in routes.to_dict("records"):
        label = f"Projects: {row['status'].replace('_', ' ')}" if row["project"] else corridor_of.get(row["id"], "Other routes")
        style = route_style(row["mode"], row["status"])
        for coords in _line_coords(row["geometry"]):
            line = folium.PolyLine(coords, class_name=f"cm-route cm-route-{row['id']}", **style)
            line.add_child(_Bind(_popup(row, ROUTE_ROWS, catalog), _e(row["name"])))
            line.add_to(group(label))
    for row in hubs.to_dict("records"):
        style = HUB_STYLE[row["kind"]]
        marker = folium.CircleMarker(
            (round(row["lat"], MAP_DECIMALS), round(row["lon"], MAP_DECIMALS)), radius=style.radius,
            color="#ffffff", weight=1.5, fill=True, fill_color=style.color, fill_opacity=0.95,
            class_name=f"cm-hub cm-hub-{row['id']}",
        )
        marker.add_child(_Bind(_popup(row, HUB_ROWS, catalog), _e(row["name"])))
        marker.add_to(group(f"Hubs: {style.label}"))

    as_of = max(v for v in list(routes["status_as_of"]) + list(hubs["status_as_of"]) if isinstance(v, str))
    intro = (
        f"<h1>Central Asian transport corridors</h1><p>{len(corridors)} corridors, {len(routes)} routes and "
        f"{len(hubs)} hubs from the corridor-mapper catalog. Statuses as of {_e(as_of)} at the latest; "
        "lengths are geodesic on the WGS84 ellipsoid. Click a line or point for details and sources.</p>"
        "<p>Made with Natural Earth and GeoNames data.</p>"
    )
    _Panel(intro, "topright", "cm-panel").add_to(fmap)
    _Panel(_legend(), "bottomright", "cm-panel cm-legend").add_to(fmap)
    Fullscreen().add_to(fmap)
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=(10, 10), padding_bottom_right=(360, 10))
    return _deterministic_ids(_inline_assets(fmap.get_root().render()))
