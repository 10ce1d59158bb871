"""The maps' legend: every kind of thing a map draws (routes by mode and status, schematic lines, hubs
by kind, group symbols and leaders, the network, borders, rivers and seas), in each language, as
escaped HTML built from the style table (geo/style.py) once per language."""

from __future__ import annotations

import functools
from typing import Any

from geo.i18n import t
from geo.popups import escape
from geo.style import (BASEMAP_STYLE, HUB_STYLE, MODE_STYLE, NETWORK_STYLE, SCHEMATIC_BAND, SCHEMATIC_WEIGHT, SEA, TIME_DASH, UNKNOWN_OPACITY,
                       hub_svg, route_style)


def _line_svg(*strokes: dict[str, Any]) -> str:
    """A legend sample: lines across a 44 x 12 box, each with its colour, weight, dashes and opacity."""
    lines = "".join(f'<line x1="2" y1="6" x2="42" y2="6" stroke="{s["color"]}" stroke-width="{s["weight"]}" '
                    f'stroke-opacity="{s.get("opacity", 1)}" stroke-dasharray="{s.get("dashArray") or ""}" '
                    f'stroke-linecap="{s.get("lineCap", "butt")}"/>' for s in strokes)
    return f'<svg width="44" height="12">{lines}</svg>'


LEADER = "Leader to a hub's true place (an opened group)"


def _legend_row(sample: str, label: str, lang: str) -> str:
    return f"<div>{sample}{escape(t(label, lang))}</div>"


@functools.cache
def legend(has_context: bool, lang: str) -> str:
    """The legend: every kind of thing the map draws, in the language shown."""
    rows = [f"<details open><summary><b>{t('Legend', lang)}</b></summary><h2>{t('Routes by mode', lang)}</h2>"]
    for mode, mode_style in MODE_STYLE.items():
        style = route_style(mode, "operational")
        rows.append(_legend_row(_line_svg(style["outer"], *([style["inner"]] if style["inner"] else [])), mode_style.label, lang))
    rows.append(_legend_row(_line_svg(SCHEMATIC_BAND, {"color": "#333", "weight": SCHEMATIC_WEIGHT}),
                            "Schematic: course approximate, only a few points known", lang))
    rows.append(f"<h2>{t('Routes by status', lang)}</h2>")
    by_dash: dict[str | None, list[str]] = {}
    for status, (dash, label) in TIME_DASH.items():
        by_dash.setdefault(dash, []).append(status)
    for dash, statuses in by_dash.items():
        names = ", ".join(t(TIME_DASH[s][1], lang).lower() for s in statuses)
        sample = _line_svg({"color": "#333", "weight": 4, "dashArray": dash,
                            "opacity": UNKNOWN_OPACITY if statuses == ["unknown"] else 1})
        rows.append(f"<div>{sample}{escape(names[:1].upper() + names[1:])}</div>")
    rows.append(f'<h2>{t("Hubs by kind", lang)}</h2><div class="cm-kinds">')
    rows.extend(f"<div>{hub_svg(kind)}{escape(t(style.label, lang))}</div>" for kind, style in HUB_STYLE.items())
    rows.append(f'<div><svg width="18" height="18"><circle cx="9" cy="9" r="8" fill="#fff" stroke="#333" stroke-width="2"/>'
                f'<text x="9" y="13" font-size="10" font-weight="700" text-anchor="middle" fill="#222">3</text></svg>'
                f'{escape(t("Group of hubs too close to draw apart: click to open", lang))}</div>')
    rows.append(f'<div><svg width="30" height="12"><line x1="4" y1="6" x2="28" y2="6" stroke="#fff" stroke-width="5"/>'
                f'<line x1="4" y1="6" x2="28" y2="6" stroke="#1a1a1a" stroke-width="2"/>'
                f'<circle cx="4" cy="6" r="3.5" fill="#1a1a1a" stroke="#fff" stroke-width="1.5"/></svg>'
                f'{escape(t(LEADER, lang))}</div></div>')
    rows.append(f"<h2>{t('Background', lang)}</h2>")
    for mode, (label, color, weight, opacity) in NETWORK_STYLE.items():
        rows.append(_legend_row(_line_svg({"color": color, "weight": weight + 0.4, "opacity": opacity}), label, lang))
    rows.append(_legend_row(_line_svg(BASEMAP_STYLE["border"]), "Borders and coasts", lang))
    rows.append(_legend_row(_line_svg(BASEMAP_STYLE["river"]), "Rivers", lang))
    rows.append(f'<div><svg width="44" height="12"><rect x="4" y="1" width="36" height="10" fill="{SEA}" '
                f'stroke="{BASEMAP_STYLE["shore"]["color"]}"/></svg>{escape(t("Seas and lakes", lang))}</div>')
    if has_context:
        rows.append(f"<p>{t('Faded lines and points: neighbours shown for context.', lang)}</p>")
    rows.append(f"<p>{t('Labels that would overlap are hidden; zoom in to see more.', lang)}</p></details>")
    return "".join(rows)
