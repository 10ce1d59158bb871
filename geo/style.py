"""The style table: how each mode, status and hub kind is drawn; one source for maps and legends.

Mode is carried by colour *and* line structure (rail: white cross-ties, road: white centre line,
sea: thin plain line), status by the dash pattern, hub kind by colour *and* shape, so every
distinction survives greyscale printing and colour-blind readers.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ModeStyle:
    label: str
    color: str
    weight: float
    inner: dict[str, object] | None  # a second, narrower line drawn on top of the first


MODE_STYLE = {
    "rail": ModeStyle("Rail (white cross-ties)", "#b2182b", 5, {"color": "#ffffff", "weight": 2, "dashArray": "2 5"}),
    "road": ModeStyle("Road (white centre line)", "#e08214", 5, {"color": "#ffffff", "weight": 1.2}),
    "sea": ModeStyle("Sea crossing (thin line)", "#2166ac", 2.5, None),
}
STATUS_DASH = {  # the dash pattern of the main line carries the status
    "operational": (None, "Operational"),
    "upgrading": ("14 4 3 4", "Upgrading"),
    "under_construction": ("12 7", "Under construction"),
    "planned": ("2 6", "Planned"),
    "proposed": ("2 6", "Proposed"),
}
TIME_DASH = {**STATUS_DASH, "expected": ("10 4 2 4 2 4", "Expected by then (a future year)"),  # the year view's statuses
             "unknown": ("1 5", "Date unknown in the year shown")}
UNKNOWN_OPACITY = 0.4  # a line whose status in the year shown is unknown is drawn this faint
SCHEMATIC_BAND = {"color": "#7a7a7a", "weight": 13, "opacity": 0.22, "lineCap": "round"}  # beneath a schematic line
SCHEMATIC_WEIGHT = 2.0  # a schematic line is drawn this thin (no inner line) over its band: its course is approximate
CONTEXT_OPACITY = 0.45  # routes and hubs shown only as neighbours of a map's subject


@dataclass(frozen=True)
class HubStyle:
    label: str
    color: str
    shape: str  # circle, square, diamond, triangle, hexagon, star or ring
    size: int  # icon width and height in pixels


HUB_STYLE = {  # in label priority order: the first kinds are labelled first when labels would collide
    "seaport": HubStyle("Seaport", "#2166ac", "square", 14),
    "border_crossing": HubStyle("Border crossing", "#d6604d", "diamond", 16),
    "dry_port": HubStyle("Dry port", "#8c510a", "hexagon", 16),
    "logistics_centre": HubStyle("Logistics centre", "#8c510a", "star", 18),
    "junction": HubStyle("Rail junction", "#4d4d4d", "triangle", 17),
    "rail_station": HubStyle("Rail station", "#4d4d4d", "ring", 12),
    "city": HubStyle("City", "#762a83", "circle", 12),
}


def route_style(mode: str, status: str, schematic: bool = False) -> dict[str, dict[str, object] | None]:
    """Leaflet path options for a route: the main line and the optional inner line (a schematic line is
    thin, without inner line, over SCHEMATIC_BAND: it keeps its mode's colour and its status's dashes)."""
    base = MODE_STYLE[mode]
    opacity = UNKNOWN_OPACITY if status == "unknown" else 0.95
    outer = {"color": base.color, "weight": SCHEMATIC_WEIGHT if schematic else base.weight, "opacity": opacity,
             "lineCap": "butt", "dashArray": TIME_DASH[status][0]}
    return {"outer": outer, "inner": None if base.inner is None or status == "unknown" or schematic
            else {**base.inner, "opacity": opacity, "lineCap": "butt"}}


def style_key(mode: str, status: str, schematic: bool) -> str:
    """The key of a route's style in a page's style table: "mode/status", "mode:schematic/status"."""
    return f"{mode}{':schematic' if schematic else ''}/{status}"


def _polygon(sides: int, radius: float, center: float, rotation: float = -90, inner: float | None = None) -> str:
    points = []
    count = sides * 2 if inner else sides
    for i in range(count):
        r = inner if inner and i % 2 else radius
        angle = math.radians(rotation + 360 * i / count)
        points.append(f"{center + r * math.cos(angle):.1f},{center + r * math.sin(angle):.1f}")
    return f'<polygon points="{" ".join(points)}"/>'


@functools.cache
def hub_svg(kind: str) -> str:
    """An inline SVG icon for a hub kind (used for map markers and the legend alike)."""
    style = HUB_STYLE[kind]
    s, c = style.size, style.size / 2
    r = c - 1.5
    shape = {
        "circle": f'<circle cx="{c}" cy="{c}" r="{r}"/>',
        "ring": f'<circle cx="{c}" cy="{c}" r="{r - 1}" fill="#ffffff" stroke="{style.color}" stroke-width="3"/>',
        "square": f'<rect x="1.5" y="1.5" width="{s - 3}" height="{s - 3}"/>',
        "diamond": _polygon(4, r, c),
        "triangle": _polygon(3, r, c),
        "hexagon": _polygon(6, r, c, rotation=0),
        "star": _polygon(5, r, c, inner=r * 0.5),
    }[style.shape]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}" '
        f'fill="{style.color}" stroke="#ffffff" stroke-width="1.5">{shape}</svg>'
    )


SEA = "#d5e5ef"  # the water beneath the offline basemap, and its lakes
BASEMAP_STYLE = {  # how the map's canvas draws the offline basemap by kind (the figures take their colours)
    "land": {"color": "#f2efe9", "fill": True},  # filled without outline
    "border": {"color": "#9b7fa8", "weight": 1.1},  # borders and coasts as lines: muted violet, unlike the grey roads
    "river": {"color": "#6a9fc8", "weight": 1.2, "opacity": 0.9},
    "shore": {"color": "#6a9fc8", "weight": 0.9, "opacity": 0.9},
    "lake": {"color": SEA, "fill": True},
}

# The OpenStreetMap network beneath the corridors: thin and grey, railways darker than roads.
NETWORK_STYLE = {  # mode -> (layer name, colour, weight, opacity)
    "rail": ("Railways (OpenStreetMap)", "#5f5f5f", 1.0, 0.8),
    "road": ("Main roads (OpenStreetMap)", "#a8a8a8", 0.6, 0.55),
}
