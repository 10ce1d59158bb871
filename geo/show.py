"""`corridors show`: finding an entry by id, name or alias (with suggestions), and its readable report."""

from __future__ import annotations

import difflib
import textwrap
from typing import Any

import geopandas as gpd

from geo.catalog import Catalog, Corridor, Hub, Route, name_key
from geo.countries import country_name
from geo.layers import SEA, by_country_items
from geo.style import HUB_STYLE, STATUS_DASH

Entry = Hub | Route | Corridor
WIDTH = 100  # wrap long text to this many columns
LABEL = 18  # width of the row labels


def _key(text: str) -> str:
    """Case, accents, dashes and spaces do not matter when looking a name up."""
    return "".join(c for c in name_key(text) if c.isalnum())


def find(catalog: Catalog, query: str, hubs_only: bool = False) -> tuple[Entry | None, str]:
    """The entry ``query`` names (its id in any case, its name or an alias), or why there is none."""
    entries: dict[str, Entry] = {**catalog.hubs} if hubs_only else {**catalog.hubs, **catalog.routes, **catalog.corridors}
    if query in entries:
        return entries[query], ""
    key = _key(query)
    named = [e for e in entries.values() if key in {_key(t) for t in (e.id, e.name, *e.aliases, *dict(e.names).values())}]
    if len(named) == 1:
        return named[0], ""
    if named:
        return None, f"{query!r} names {len(named)} entries: {_listed(named)}; give the id"
    terms = {_key(t): e for e in entries.values() for t in (e.id, e.name, *e.aliases, *dict(e.names).values())}
    close = difflib.get_close_matches(key, list(terms), n=8, cutoff=0.6)
    close += [t for t in terms if key and key in t and t not in close]  # a part of a longer name
    candidates = list(dict.fromkeys(terms[t] for t in close))[:5]
    hint = f"; did you mean {_listed(candidates)}?" if candidates else "; see 'corridors list" + (" hubs'" if hubs_only else "'")
    return None, (f"unknown hub {query!r}" if hubs_only else f"no hub, route or corridor named {query!r}") + hint


def _listed(entries: list[Entry]) -> str:
    return ", ".join(f"{e.id} ({e.name})" for e in entries)


def _row(label: str, text: str) -> list[str]:
    lines = textwrap.wrap(text, WIDTH - LABEL - 4, break_on_hyphens=False, break_long_words=False) or [""]
    return [f"  {label:{LABEL}}{lines[0]}", *(f"  {'':{LABEL}}{line}" for line in lines[1:])]


def _status(status: str | None, as_of: str | None) -> str:
    return f"{STATUS_DASH[status][1].lower()} as of {as_of}" if status else ""


def _dates(entry: Hub | Route) -> str:
    named = (("construction started", entry.construction_start), ("opened", entry.opened),
             ("completion expected", entry.expected_completion))
    return "; ".join(f"{what} {when}" for what, when in named if when)


def _length(row: dict[str, Any], entry: Route | Corridor) -> list[str]:
    lines = _row("length", f"{row['length_km']:,.1f} km computed (geodesic, WGS84 ellipsoid)")
    official = row.get("official_length_km")
    if official == official and official is not None:
        covered = entry.covered_spans if isinstance(entry, Route) else ""
        against = f"{row['official_span_km']:,.1f} km drawn over {covered}" if covered else "the whole line"
        lines += _row("", f"{official:,.1f} km official [{entry.official_length_source}], compared with {against}: "
                          f"{row['length_diff_pct']:+.1f} %")
        if isinstance(entry, Route) and entry.official_length_note:
            lines += _row("", entry.official_length_note)
    else:
        lines += _row("", "no official length published")
    for i, (code, km) in enumerate(by_country_items(row["length_by_country"])):
        place = "at sea" if code == SEA else f"{country_name(code)} ({code})"
        share = km / row["length_km"] * 100 if row["length_km"] else 0
        lines += _row("by country" if i == 0 else "", f"{place:28} {km:>9,.1f} km {share:5.1f} %")
    return lines


def report(catalog: Catalog, entry: Entry, layers: dict[str, gpd.GeoDataFrame]) -> str:
    """Everything known about one entry, each fact once, in words."""
    kind = "hub" if isinstance(entry, Hub) else "route" if isinstance(entry, Route) else "corridor"
    lines = [f"{entry.name}  ({kind} {entry.id})"]
    if isinstance(entry, Hub):
        lines += _row("what", f"{HUB_STYLE[entry.kind].label.lower()} in {country_name(entry.country)} ({entry.country})"
                      + (", a project" if entry.project else ""))
    elif isinstance(entry, Route):
        lines += _row("what", f"{entry.mode}, {_status(entry.status, entry.status_as_of)}"
                      + (", a project" if entry.project else ""))
    else:
        lines += _row("what", f"{len(entry.legs)} legs, {len(entry.branches)} branches")
    if entry.names:
        lines += _row("names", "; ".join(f"{lang}: {name}" for lang, name in entry.names))
    if entry.aliases:
        lines += _row("also called", ", ".join(entry.aliases))
    if isinstance(entry, Hub):
        lines += _row("position", f"{entry.lat:.6f}, {entry.lon:.6f} (lat, lon WGS84), from {entry.location_source}")
        if entry.location_note:
            lines += _row("", entry.location_note)
        if entry.status:
            lines += _row("status", _status(entry.status, entry.status_as_of))
        through = [r for r in catalog.routes.values() if any(w.hub == entry.id for w in r.via)]
        for i, route in enumerate(through):
            lines += _row("routes" if i == 0 else "", f"{route.id} ({route.name}, {route.mode})")
    if isinstance(entry, Route):
        lines += _row("via", " > ".join(w.name for w in entry.via))
        lines += _row("alignment", entry.alignment.replace("_", " "))
    if isinstance(entry, (Route, Corridor)):
        layer = "routes" if isinstance(entry, Route) else "corridors"
        row = layers[layer].loc[entry.id].to_dict()
        lines += _length(row, entry)
        if isinstance(entry, Corridor) and isinstance(row.get("countries"), str):  # a route's are listed by country
            lines += _row("countries", row["countries"].replace("; ", " > "))
    if isinstance(entry, Route):
        corridors = [c for c in catalog.corridors.values() if entry.id in c.legs + c.branches]
        for i, corridor in enumerate(corridors):
            part = "main line" if entry.id in corridor.legs else "branch"
            lines += _row("corridors" if i == 0 else "", f"{corridor.id} ({corridor.name}, {part})")
    if isinstance(entry, Corridor):
        for i, leg in enumerate(entry.legs + entry.branches):
            part = "" if leg in entry.legs else ", branch"
            lines += _row("legs" if i == 0 else "", f"{leg} ({catalog.routes[leg].name}{part})")
    if isinstance(entry, (Hub, Route)) and _dates(entry):
        lines += _row("dates", _dates(entry))
    for i, figure in enumerate(getattr(entry, "figures", ())):
        lines += _row("figures" if i == 0 else "", str(figure))
    for i, note in enumerate(getattr(entry, "annotations", ())):
        lines += _row("agreements" if i == 0 else "", f"{note.title} ({_status(note.status, note.status_as_of)}): "
                                                      f"{note.description} [{', '.join(note.sources)}]")
    lines += _row("description", entry.description)
    for i, sid in enumerate(entry.sources):
        source = catalog.sources[sid]
        text = f"{sid}: {source.title}, {source.outlet}" + (f", {source.date}" if source.date else "")
        lines += _row("sources" if i == 0 else "", text + (f" <{source.url}>" if source.url else ""))
    return "\n".join(lines)
