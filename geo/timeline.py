"""The network in a given year: which status each route and hub had (or is expected to have) then,
derived from the catalog's dates. ``map.js`` applies the same rule in the browser (``statusIn``);
a browser test checks that the two agree for every entry and year.

For a year before the catalog's as-of year ("now", the newest ``status_as_of``): an operational line
with an ``opened`` date was under construction from its ``construction_start`` and did not exist
before it; one without an ``opened`` date is taken to have existed throughout. An upgrade was a plain
operational line before its work began; a line under construction did not exist before its start; a
plan or proposal is shown from the year of its ``status_as_of`` (the plan was not known before).
From now on, a line not yet operational keeps its status until its ``expected_completion`` and after
it (in a future year) is shown as expected. Hubs without a status are always shown.
"""

from __future__ import annotations

from geo.catalog import Catalog

EXPECTED = "expected"  # the status of a line or hub after its expected completion, in a future year
FUTURE_YEARS = 5  # the year control reaches this far beyond the last expected completion or now


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def dates(entry: object) -> list[object]:
    """What the rule needs of an entry, compactly (the page carries the same list): status, the years
    of status_as_of, construction_start, opened and expected_completion (None where unknown)."""
    return [getattr(entry, "status", None), *(_year(getattr(entry, name, None)) for name in
                                             ("status_as_of", "construction_start", "opened", "expected_completion"))]


def status_in(entry_dates: list[object], year: int, now: int) -> str | None:
    """The status shown for ``year`` (None: not there yet), from ``dates(entry)``."""
    status, as_of, start, opened, expected = entry_dates
    if status is None:
        return "operational"
    if year >= now:
        if status != "operational" and expected is not None and year > now and year >= expected:
            return EXPECTED
        return str(status)
    if status == "operational":
        if opened is not None and year < opened:
            return "under_construction" if start is not None and year >= start else None
        return "operational"
    if status == "upgrading":
        return "operational" if start is not None and year < start else "upgrading"
    if status == "under_construction":
        return None if start is not None and year < start else "under_construction"
    return str(status) if as_of is None or year >= as_of else None


def as_of(catalog: Catalog) -> str:
    """The catalog's as-of date: its newest status_as_of."""
    return max(e.status_as_of for e in [*catalog.routes.values(), *catalog.hubs.values()] if e.status_as_of)


def now(catalog: Catalog) -> int:
    """The catalog's as-of year: that of its newest status_as_of."""
    return int(as_of(catalog)[:4])


def year_range(catalog: Catalog) -> tuple[int, int]:
    """The years a map can show: from the earliest date in the catalog to a few years after the last."""
    years = [y for e in [*catalog.routes.values(), *catalog.hubs.values()] for y in dates(e)[1:] if isinstance(y, int)]
    return min(years), max(max(years), now(catalog)) + FUTURE_YEARS
