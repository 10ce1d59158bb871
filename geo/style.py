"""The style table: mode x status to line style, hub kind to marker style; shared by maps and legend."""

from __future__ import annotations

from dataclasses import dataclass

MODE_STYLE = {  # colour and weight carry the mode; the dash pattern of sea legs is distinct too
    "rail": {"color": "#b2182b", "weight": 4, "label": "Rail"},
    "road": {"color": "#2166ac", "weight": 4, "label": "Road"},
    "sea": {"color": "#01665e", "weight": 3, "label": "Sea crossing"},
}
STATUS_DASH = {  # the dash pattern carries the status
    "operational": (None, "Operational"),
    "upgrading": ("12 8", "Upgrading"),
    "under_construction": ("12 8", "Under construction"),
    "planned": ("2 8", "Planned"),
    "proposed": ("2 8", "Proposed"),
}
SEA_DASH = "1 6"  # sea legs are always a fine dotted line, so they differ from rail and road without colour


@dataclass(frozen=True)
class HubStyle:
    color: str
    radius: int
    label: str


HUB_STYLE = {
    "seaport": HubStyle("#01665e", 7, "Seaport"),
    "dry_port": HubStyle("#8c510a", 7, "Dry port"),
    "logistics_centre": HubStyle("#8c510a", 9, "Logistics centre"),
    "border_crossing": HubStyle("#d6604d", 7, "Border crossing"),
    "junction": HubStyle("#4d4d4d", 5, "Rail junction"),
    "rail_station": HubStyle("#4d4d4d", 5, "Rail station"),
    "city": HubStyle("#762a83", 5, "City"),
}


def route_style(mode: str, status: str) -> dict[str, object]:
    """Leaflet path options for a route of this mode and status."""
    base = MODE_STYLE[mode]
    dash = SEA_DASH if mode == "sea" else STATUS_DASH[status][0]
    return {"color": base["color"], "weight": base["weight"], "opacity": 0.9, "dashArray": dash, "lineCap": "butt"}
