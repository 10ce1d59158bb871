"""`corridors figure`: one of the site's maps as a static figure for reports (PNG, PDF or SVG), drawn
with matplotlib from the same layers, style table and year rule as the HTML maps: the offline basemap
(countries, rivers and lakes), the OpenStreetMap network, routes and hubs, labels, legend, scale bar,
north arrow, title, year, as-of date and attribution. The same arguments give the same bytes.
"""

from __future__ import annotations

import math
import os
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import box

from geo.catalog import Catalog
from geo.geodesy import distance_km
from geo.i18n import label_in, t
from geo.mapping import BASEMAP_CREDIT, MapSpec, label_order, map_content, title_of
from geo.network import OSM_ATTRIBUTION
from geo.network import lines as network_lines
from geo.style import (BASEMAP_STYLE, CONTEXT_OPACITY, HUB_STYLE, MODE_STYLE, NETWORK_STYLE, SCHEMATIC_BAND, SCHEMATIC_WEIGHT, SEA,
                       TIME_DASH, route_style)
from geo.timeline import as_of, dates, now, status_in

FORMATS = (".png", ".pdf", ".svg")
WIDTHS = (400, 10000)  # pixels
DPI = 200
MARKERS = {"circle": "o", "ring": "o", "square": "s", "diamond": "D", "triangle": "^", "hexagon": "h", "star": "*"}
PT = 0.75  # points per CSS pixel: the maps' line weights and symbol sizes, in print units
SYMBOL = 0.5  # hub symbols in print: half their screen size in points (about 2 mm across)
SIDES = ((5, 0, "left", "center"), (-5, 0, "right", "center"), (0, 5, "center", "bottom"), (0, -5, "center", "top"),
         (4, 4, "left", "bottom"), (-4, 4, "right", "bottom"), (4, -4, "left", "top"), (-4, -4, "right", "top"))
LEADERS = ((18, 12), (-18, 12), (18, -12), (-18, -12), (28, 0), (-28, 0), (0, 20), (0, -20))  # points, with a leader line
MARGIN = 0.08  # share of the view added round it
HEADER, FOOTER = 0.6, 1.05  # inches above the map (title, year) and below it (legend, attribution)


def _dashes(pattern: str | None) -> Any:
    return "solid" if not pattern else (0, tuple(float(v) * PT for v in pattern.split()))


def render_figure(catalog: Catalog, layers: dict[str, gpd.GeoDataFrame], spec: MapSpec, out: Path,
                  year: int | None = None, width: int = 1600, lang: str = "en") -> dict[str, list[str]]:
    """Draw the map ``spec`` as it shows ``year``, in ``lang``, and write it to ``out`` (whole or not at all).
    Returns the hubs drawn in view and those labelled (ids), and the countries named."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D

    matplotlib.rcParams.update({"svg.hashsalt": "corridor-mapper", "lines.scale_dashes": False,
                                "font.family": "DejaVu Sans", "path.simplify": True})
    content = map_content(spec, layers)
    current = now(catalog)
    shown_year = year or current
    x0, y0, x1, y1 = content.view
    dx, dy = (x1 - x0) * MARGIN, (y1 - y0) * MARGIN
    x0, y0, x1, y1 = x0 - dx, y0 - dy, x1 + dx, y1 + dy
    lat0 = (y0 + y1) / 2
    aspect = 1 / math.cos(math.radians(lat0))
    map_ratio = min((y1 - y0) * aspect / (x1 - x0), 1.4)
    fig_w = width / DPI
    map_h = fig_w * 0.98 * map_ratio
    height = HEADER + map_h + FOOTER
    fig = plt.figure(figsize=(fig_w, height), dpi=DPI)
    ax = fig.add_axes((0.01, FOOTER / height, 0.98, map_h / height))
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    frame = box(x0 - 2 * dx, y0 - 2 * dy, x1 + 2 * dx, y1 + 2 * dy)

    from geo.countries import countries
    from geo.water import lakes, water

    _, _, shapes, _ = countries()
    near = [s for s in shapes if s.intersects(frame)]
    gpd.GeoSeries(near).plot(ax=ax, color=BASEMAP_STYLE["land"]["color"], edgecolor=BASEMAP_STYLE["border"]["color"],
                             linewidth=0.5, zorder=1, aspect=None)
    _, lines, _ = water()  # rivers and lake shores alike
    rivers = [ln for ln in lines if ln.intersects(frame)]
    if rivers:
        gpd.GeoSeries(rivers).plot(ax=ax, color=BASEMAP_STYLE["river"]["color"], linewidth=0.7, zorder=2, aspect=None)
    areas, _ = lakes()
    pools = [a for a in areas if a.intersects(frame)]
    if pools:
        gpd.GeoSeries(pools).plot(ax=ax, color=BASEMAP_STYLE["lake"]["color"], edgecolor=BASEMAP_STYLE["shore"]["color"],
                                  linewidth=0.5, zorder=2, aspect=None)
    for mode, (_, color, weight, opacity) in NETWORK_STYLE.items():
        geometries, _ = network_lines(mode)
        keep = geometries[shapely.intersects(geometries, frame)]
        if len(keep):
            gpd.GeoSeries(keep).plot(ax=ax, color=color, linewidth=weight * PT, alpha=opacity, zorder=3, aspect=None)

    routes = layers["routes"]
    used_modes, used_statuses, used_schematic = [], [], False
    for rid in reversed(content.routes):  # the subject last, on top
        status = status_in(dates(catalog.routes[rid]), shown_year, current)
        if status is None:
            continue
        row = routes.loc[rid]
        schematic = row["alignment"] == "schematic"
        style = route_style(row["mode"], status, schematic)
        outer, inner = style["outer"], style["inner"]
        alpha = CONTEXT_OPACITY if rid in content.context else 0.95
        parts = row.geometry.geoms if row.geometry.geom_type == "MultiLineString" else [row.geometry]
        for part in parts:
            xs, ys = part.xy
            if schematic:  # the pale band beneath, as on the maps
                ax.plot(xs, ys, color=SCHEMATIC_BAND["color"], linewidth=SCHEMATIC_BAND["weight"] * PT,
                        alpha=SCHEMATIC_BAND["opacity"] * alpha, solid_capstyle="round", zorder=4)
            ax.plot(xs, ys, color=outer["color"], linewidth=outer["weight"] * PT, linestyle=_dashes(outer["dashArray"]),
                    alpha=min(alpha, outer["opacity"]), solid_capstyle="butt", zorder=5)
            if inner:
                ax.plot(xs, ys, color=inner["color"], linewidth=inner["weight"] * PT,
                        linestyle=_dashes(inner.get("dashArray")), alpha=alpha, zorder=6)
        used_schematic = used_schematic or schematic
        used_modes.append(row["mode"])
        used_statuses.append(status)

    labels = []
    used_kinds = []
    for hid in content.hubs:
        hub = catalog.hubs[hid]
        if status_in(dates(hub), shown_year, current) is None or not (x0 <= hub.lon <= x1 and y0 <= hub.lat <= y1):
            continue
        style = HUB_STYLE[hub.kind]
        ring = style.shape == "ring"
        ax.plot(hub.lon, hub.lat, marker=MARKERS[style.shape], markersize=style.size * SYMBOL,
                markerfacecolor="#ffffff" if ring else style.color, markeredgecolor=style.color if ring else "#ffffff",
                markeredgewidth=1.6 if ring else 0.8, alpha=CONTEXT_OPACITY if hid in content.context else 1, zorder=8)
        used_kinds.append(hub.kind)
        labels.append(hub)
    ax.set_xlim(x0, x1)  # after the basemap, which would widen them
    ax.set_ylim(y0, y1)
    ax.set_aspect(aspect, adjustable="box")
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    halo = [patheffects.withStroke(linewidth=2.5, foreground="#ffffff")]
    order = {hid: n for n, hid in enumerate(label_order(spec, content, catalog))}
    labels.sort(key=lambda hub: order[hub.id])
    must = {hid for hid in content.hubs if catalog.hubs[hid].capital} | {
        catalog.routes[r].via[i].hub for c in catalog.corridors.values() for r in (c.legs[0], c.legs[-1]) for i in (0, -1)}
    placed = _place_labels(ax, renderer, labels, lang, must, halo)
    named = _name_countries(ax, renderer, (x0, y0, x1, y1), placed[1], lang)
    entries: list[tuple[Any, str]] = [(Line2D([], [], color=MODE_STYLE[m].color, linewidth=MODE_STYLE[m].weight * PT),
                                       t(MODE_STYLE[m].label, lang)) for m in MODE_STYLE if m in used_modes]
    if used_schematic:  # the band and the thin line over it, as one entry
        entries.append(((Line2D([], [], color=SCHEMATIC_BAND["color"], alpha=SCHEMATIC_BAND["opacity"],
                                linewidth=SCHEMATIC_BAND["weight"] * PT, solid_capstyle="round"),
                         Line2D([], [], color="#333333", linewidth=SCHEMATIC_WEIGHT * PT)),
                        t("Schematic: course approximate, only a few points known", lang)))
    by_dash: dict[str | None, list[str]] = {}  # statuses drawn alike share a legend entry, as on the maps
    for status in TIME_DASH:
        if status in used_statuses:
            by_dash.setdefault(TIME_DASH[status][0], []).append(t(TIME_DASH[status][1], lang))
    entries += [(Line2D([], [], color="#333333", linewidth=3 * PT, linestyle=_dashes(dash)), ", ".join(names))
                for dash, names in by_dash.items()]
    entries += [(Line2D([], [], linestyle="", marker=MARKERS[HUB_STYLE[k].shape], markersize=HUB_STYLE[k].size * SYMBOL,
                        markerfacecolor="#ffffff" if HUB_STYLE[k].shape == "ring" else HUB_STYLE[k].color,
                        markeredgecolor=HUB_STYLE[k].color if HUB_STYLE[k].shape == "ring" else "#ffffff"),
                 t(HUB_STYLE[k].label, lang)) for k in HUB_STYLE if k in used_kinds]
    entries += [(Line2D([], [], color=NETWORK_STYLE[m][1], linewidth=1), t(NETWORK_STYLE[m][0], lang)) for m in NETWORK_STYLE]
    fig.legend(handles=[e[0] for e in entries], labels=[e[1] for e in entries], handler_map={tuple: HandlerTuple(ndivide=1)},
               loc="upper left", bbox_to_anchor=(0.01, (FOOTER - 0.05) / height), ncol=4,
               fontsize=5.5, frameon=False, borderaxespad=0, columnspacing=1.5)

    _scale_bar(ax, x0, x1, y0, y1, lat0)
    ax.annotate("N", xy=(0.04, 0.95), xytext=(0.04, 0.86), xycoords="axes fraction", ha="center", va="center",
                fontsize=9, fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": "#222222", "lw": 1.2})
    when = t("now" if shown_year == current else "past: from the catalog's dates" if shown_year < current else "expected", lang)
    fig.text(0.01, 1 - 0.08 / height, title_of(spec, catalog, lang), fontsize=11, fontweight="bold", va="top")
    fig.text(0.01, 1 - 0.36 / height, t("Year shown: {year} ({when}) · statuses as of {as_of} · lengths geodesic (WGS84)",
                                        lang, year=shown_year, when=when, as_of=as_of(catalog)), fontsize=7, va="top", color="#333333")
    credit = (f"{t(BASEMAP_CREDIT, lang)}; {OSM_ATTRIBUTION}; {t('places: GeoNames (CC BY 4.0)', lang)}. "
              + t("Equirectangular projection, true at the centre latitude. Made with corridor-mapper.", lang))
    fig.text(0.01, 0.04 / height, "\n".join(textwrap.wrap(credit, int(width / 11))), fontsize=5.5, color="#555555", va="bottom")
    _save(fig, out)
    plt.close(fig)
    return {"in_view": [hub.id for hub in labels], "labelled": placed[0], "countries": named}


def _place_labels(ax: Any, renderer: Any, hubs: list[Any], lang: str, must: set[str], halo: list[Any]
                  ) -> tuple[list[str], list[Any]]:
    """Labels in priority order, each beside its symbol on the first of eight sides where it overlaps no
    other label or symbol and stays inside the map; a capital or corridor terminus with no room there
    gets a leader line to a place a little further out. Returns the ids labelled and every box taken."""
    frame = ax.get_window_extent(renderer)
    symbols = {hub.id: _symbol_box(ax, hub) for hub in hubs}
    taken: list[Any] = list(symbols.values())
    done = []
    for hub in hubs:
        tries = [(dx, dy, ha, va, False) for dx, dy, ha, va in SIDES]
        if hub.id in must:
            tries += [(dx, dy, "left" if dx >= 0 else "right", "center", True) for dx, dy in LEADERS]
        for dx, dy, ha, va, leader in tries:
            text = ax.annotate(label_in(hub, lang), (hub.lon, hub.lat), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize=6.5, color="#1a1a1a", zorder=9, path_effects=halo,
                               annotation_clip=True, arrowprops={"arrowstyle": "-", "color": "#333333", "lw": 0.6,
                                                                 "shrinkA": 0, "shrinkB": 3} if leader else None)
            extent = text.get_window_extent(renderer)
            clear = not any(extent.overlaps(b) for b in taken if b is not symbols[hub.id])  # labels and other symbols
            if clear and frame.contains(extent.x0, extent.y0) and frame.contains(extent.x1, extent.y1):
                taken.append(extent)
                done.append(hub.id)
                break
            text.remove()
    return done, taken


def _symbol_box(ax: Any, hub: Any) -> Any:
    """A hub symbol's box on the figure, in display units."""
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform((hub.lon, hub.lat))
    half = HUB_STYLE[hub.kind].size * SYMBOL / 2 * ax.figure.dpi / 72
    return Bbox.from_extents(x - half, y - half, x + half, y + half)


def _name_countries(ax: Any, renderer: Any, view: tuple[float, float, float, float], taken: list[Any], lang: str) -> list[str]:
    """Country names where there is room: at the maps' point for each country (inside its largest part
    shown), else at the first point of a grid over the country's part in view that overlaps nothing."""
    from geo.countries import countries
    from geo.mapping import country_labels

    frame = ax.get_window_extent(renderer)
    _, names, shapes, _ = countries()
    shown = box(*view)
    named = []
    for country in country_labels(view):
        part = shapely.intersection(shapes[names.index(country["name"])], shown)
        x0, y0, x1, y1 = part.bounds if not part.is_empty else (0, 0, 0, 0)
        grid = [(x0 + (x1 - x0) * i / 6, y0 + (y1 - y0) * j / 6) for j in range(1, 6) for i in range(1, 6)]
        candidates = [(country["lon"], country["lat"])] + [p for p in grid if part.contains(shapely.Point(p))]
        label = country["names"].get(lang, country["name"]) if lang != "en" else country["name"]
        for lon, lat in candidates:
            if not (view[0] <= lon <= view[2] and view[1] <= lat <= view[3]):
                continue
            text = ax.text(lon, lat, label, ha="center", va="center", fontsize=6, style="italic", color="#8a8275", zorder=4)
            extent = text.get_window_extent(renderer)
            if any(extent.overlaps(b) for b in taken) or not (frame.contains(extent.x0, extent.y0)
                                                             and frame.contains(extent.x1, extent.y1)):
                text.remove()
                continue
            taken.append(extent)
            named.append(country["name"])
            break
    return named


def _scale_bar(ax: Any, x0: float, x1: float, y0: float, y1: float, lat0: float) -> None:
    """A bar of a round number of kilometres, about a fifth of the map's width, measured on the ellipsoid."""
    from matplotlib import patheffects

    km_per_degree = distance_km((x0, lat0), (x0 + 1, lat0))
    target = (x1 - x0) * km_per_degree / 5
    step = 10 ** math.floor(math.log10(target))
    km = max(m * step for m in (1, 2, 5) if m * step <= target)
    left, bottom = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    right = left + km / km_per_degree
    ax.plot([left, right], [bottom, bottom], color="#222222", linewidth=2.2, solid_capstyle="butt", zorder=10)
    ax.plot([left, left], [bottom, bottom + (y1 - y0) * 0.012], color="#222222", linewidth=1, zorder=10)
    ax.plot([right, right], [bottom, bottom + (y1 - y0) * 0.012], color="#222222", linewidth=1, zorder=10)
    ax.text((left + right) / 2, bottom + (y1 - y0) * 0.018, f"{km:,.0f} km", ha="center", va="bottom", fontsize=6.5,
            zorder=10, path_effects=[patheffects.withStroke(linewidth=2, foreground="#ffffff")])


def _save(fig: Any, out: Path) -> None:
    """Write the figure beside ``out`` and move it into place: no half-written file, the same bytes each time."""
    suffix = out.suffix.lower()
    metadata = {".png": {"Software": None}, ".pdf": {"CreationDate": None, "Producer": None, "Creator": None},
                ".svg": {"Date": None, "Creator": None}}[suffix]
    handle, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=suffix)
    os.close(handle)
    try:
        fig.savefig(partial, format=suffix[1:], dpi=DPI, metadata=metadata)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(partial, 0o666 & ~mask)  # as an ordinary new file (mkstemp made it private)
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
