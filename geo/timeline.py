"""The network in a given year: which status each route and hub had (or is expected to have) then,
derived from the catalog's dates. ``geo/runtime/years.js`` applies the same rule in the browser
(``CM.statusIn``); a browser test checks that the two agree for every entry and year.

For a year before the catalog's as-of year ("now", the newest ``status_as_of``):

- a line or hub with an ``opened`` date is operational from then; between its ``construction_start``
  and its opening it is under construction (a new one) or upgrading (an upgrade, ``upgrade: true``:
  a second track, electrification, a rehabilitation, a widening);
- before its works began, a new line did not exist, while an upgraded one is drawn as the existing
  line: operational from its ``in_service_since`` date (the earliest date a source shows it in
  service), and from the start of the works at the latest; earlier, its status is UNKNOWN;
- an operational entry with no ``opened`` date is known to operate from its ``in_service_since`` or
  else its ``status_as_of`` date (and an upgrade is upgrading from the start of its works until
  then); in earlier years its status is UNKNOWN ("date unknown"), never assumed to have existed
  for ever;
- a line under construction did not exist before its ``construction_start`` (unknown without one);
  a plan or proposal is shown from the year of its ``status_as_of`` (the plan was not known before);
- hubs without a status that are places rather than works (cities, rail junctions: see
  ``PLACE_KINDS``) are always shown.

From now on, a line not yet operational keeps its status until its ``expected_completion`` and after
it (in a future year) is shown as expected.
"""

from __future__ import annotations

from geo.catalog import Catalog

EXPECTED = "expected"  # the status of a line or hub after its expected completion, in a future year
UNKNOWN = "unknown"  # the status of a line or hub in a year the catalog's dates cannot speak for
PLACE_KINDS = ("city", "junction")  # hub kinds that are places, not works with an opening date
FUTURE_YEARS = 5  # the year control reaches this far beyond the last expected completion or now


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def dates(entry: object) -> list[object]:
    """What the rule needs of an entry, compactly (the page carries the same list): status, the years
    of status_as_of, construction_start, opened and expected_completion (None where unknown), whether
    it is an upgrade, the year of in_service_since, and whether it is dated (not a place: see PLACE_KINDS)."""
    return [getattr(entry, "status", None), *(_year(getattr(entry, name, None)) for name in
                                             ("status_as_of", "construction_start", "opened", "expected_completion")),
            bool(getattr(entry, "upgrade", False)), _year(getattr(entry, "in_service_since", None)),
            getattr(entry, "kind", None) not in PLACE_KINDS]


def _before(upgrade: bool, since: int | None, works: int | None, year: int) -> str | None:
    """Before the works: the existing line (an upgrade) or nothing (a new line)."""
    if not upgrade:
        return None
    if since is not None and year >= since or works is not None and year >= works:
        return "operational"
    return UNKNOWN


def status_in(entry_dates: list[object], year: int, now: int) -> str | None:
    """The status shown for ``year`` (None: not there yet), from ``dates(entry)``."""
    status, as_of, start, opened, expected, upgrade, since, dated = entry_dates
    if year >= now:
        if status is None:
            return "operational"
        if status != "operational" and expected is not None and year > now and year >= expected:
            return EXPECTED
        return str(status)
    if status in (None, "operational"):
        if opened is not None:
            if year >= opened:
                return "operational"
            if start is not None and year >= start:
                return "upgrading" if upgrade else "under_construction"
            return _before(bool(upgrade), since, start if start is not None else opened, year)
        if status is None and not dated:
            return "operational"  # a place, not a work: no dates to keep
        known = since if since is not None else as_of
        if upgrade and start is not None and year >= start:
            return "operational" if known is not None and year >= known and known > start else "upgrading"
        return "operational" if known is not None and year >= known else UNKNOWN
    if status == "upgrading":
        return UNKNOWN if start is None else "upgrading" if year >= start else _before(True, since, start, year)
    if status == "under_construction":
        if start is None:
            return str(status) if as_of is not None and year >= as_of else UNKNOWN
        return str(status) if year >= start else None
    return str(status) if as_of is None or year >= as_of else None


def gaps(catalog: Catalog) -> list[tuple[str, str, str]]:
    """Every entry whose history the catalog cannot tell whole: (kind, id, what is missing), for
    `corridors check`. The years it covers run from the first year a map can show to now."""
    first, _ = year_range(catalog)
    current = now(catalog)
    out = []
    for kind, entries in (("route", catalog.routes), ("hub", catalog.hubs)):
        for entry in entries.values():
            unknown = [y for y in range(first, current) if status_in(dates(entry), y, current) == UNKNOWN]
            if unknown:
                span = f"{unknown[0]}" if len(unknown) == 1 else f"{unknown[0]}–{unknown[-1]}"
                out.append((kind, entry.id, f"status unknown in {span}: " + _missing(entry)))
    return out


def _missing(entry: object) -> str:
    """Which date would close an entry's gap, in words."""
    since = getattr(entry, "in_service_since", None)
    if getattr(entry, "upgrade", False) or getattr(entry, "status", None) == "upgrading":
        if getattr(entry, "construction_start", None) is None:
            return "no construction_start for the works"
        return f"what it upgrades is known in service only from {since}" if since else \
            "no in_service_since (since when what it upgrades is known in service)"
    if getattr(entry, "status", None) == "under_construction":
        return "no construction_start"
    if since:
        return f"no opened date; known in service only from {since}"
    as_of = getattr(entry, "status_as_of", None)
    return f"no opened or in_service_since date; known in service only from {as_of}" if as_of else \
        "no opened or in_service_since date"


def as_of(catalog: Catalog) -> str:
    """The catalog's as-of date: its newest status_as_of."""
    return max(e.status_as_of for e in [*catalog.routes.values(), *catalog.hubs.values()] if e.status_as_of)


def now(catalog: Catalog) -> int:
    """The catalog's as-of year: that of its newest status_as_of."""
    return int(as_of(catalog)[:4])


def year_range(catalog: Catalog) -> tuple[int, int]:
    """The years a map can show: from the earliest start of works in the catalog (or its earliest
    date, where none has a start) to a few years after the last date."""
    entries = [*catalog.routes.values(), *catalog.hubs.values()]
    starts = [y for e in entries if (y := _year(e.construction_start)) is not None]
    years = [y for e in entries for y in dates(e)[1:5] if isinstance(y, int)]
    return min(starts or years), max(max(years), now(catalog)) + FUTURE_YEARS
