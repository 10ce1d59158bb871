"""The catalog: reads data/*.yaml, validates every entry, resolves references, returns typed records.

This is the only module that knows the file format; it raises CatalogError (as does geo.context,
for what it finds inside a context layer's file).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from geo import memo, vector
from geo.countries import country_at, country_name, km_outside
from geo.geodesy import distance_km
from geo.errors import HIDDEN_CATEGORIES, CatalogError, NoCatalog, Problem

FILES = ("sources", "hubs", "routes", "corridors", "context", "transit")
OPTIONAL_FILES = ("context", "transit")  # a catalog without context layers or transit times has no such file
COLOR = re.compile(r"#[0-9a-fA-F]{6}")  # every pattern is used with fullmatch: no "$" before a final newline
HUB_KINDS = ("seaport", "dry_port", "rail_station", "border_crossing", "junction", "city", "logistics_centre")
MODES = ("rail", "road", "sea")
STATUSES = ("operational", "upgrading", "under_construction", "planned", "proposed")
ALIGNMENTS = ("network", "stations", "schematic", "sea_network")
LEGS = ("network", "straight")
CITED_POSITION = "source:"  # location_source of a hub placed from a cited source (source:<source id>), not a gazetteer
SOURCE_KINDS = ("article", "official", "dataset", "reference")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_LABEL = 32  # a map label: the short name shown beside a hub
MAX_ID = 64  # ids name files (maps/<id>.html): short enough for every file system
PARTIAL_DATE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")  # ASCII digits only
YEARS = (1850, 2100)  # a date outside these is a typo
ISO3 = re.compile(r"[A-Z]{3}")
WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+[^\s]*")
RESERVED_IDS = ("index", "all")  # the overview's file name, and "every map" in context.yaml
COUNTRY_TOLERANCE_KM = 10.0  # coastlines and borders at 1:50m are coarse; ports sit on the shore
MAX_FILE_BYTES = 25_000_000  # about 8,000 routes of 10-50 waypoints; anything bigger is a mistake or an attack
MAX_DEPTH = 8  # entries nest three levels deep (entry > figures > figure); leave room, refuse abuse
MAX_ENTRIES = 10_000  # entries in one file: far above a real catalog, low enough that maps stay openable
MAX_ITEMS = 10_000  # items in any one list of an entry (waypoints, aliases, sources)
MAX_MAPS = 500  # maps per build: the overview, one per corridor, one per project
MAX_DIGITS = 20  # digits in one number
UNIT_IN_TEXT = re.compile(r"^\s*[-+]?[\d.,]+\s*[^\d\s.,]+")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    outlet: str
    kind: str
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str
    source: str

    def __str__(self) -> str:
        """'label: value unit [source]', the value written out in full (1500000, not 1.5e+06)."""
        return f"{self.label}: {self.value:.15g} {self.unit} [{self.source}]"


@dataclass(frozen=True)
class Timing:
    """A cited time: ``days`` (a dwell at a hub, or a whole route such as a ferry crossing including the
    wait for a sailing) or a running speed ``km_per_day``, each as a [min, max] range."""

    source: str
    days: tuple[float, float] | None = None
    km_per_day: tuple[float, float] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Speed:
    """The typical running speed of a mode (transit.yaml), used where a route has no timing of its own."""

    id: str
    mode: str
    timing: Timing


@dataclass(frozen=True)
class Annotation:
    title: str
    status: str
    status_as_of: str
    description: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Waypoint:
    name: str
    lat: float
    lon: float
    hub: str | None = None
    line: int | None = None  # where the waypoint is written in the catalog file, for messages
    leg: str = "network"  # how a network route reaches the next waypoint: network, or straight across a gap
    source: str | None = None  # the source id that names this place on the line (a checkpoint's citation)


@dataclass(frozen=True)
class Hub:
    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    location_source: str
    description: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (language, name): the name in Russian (ru) and Kazakh (kk)
    label: str | None = None  # short name for map labels (the name when none)
    capital: bool = False  # a national capital (corridors check compares with GeoNames)
    location_note: str | None = None
    tolerance_km: float | None = None
    project: bool = False
    status: str | None = None
    status_as_of: str | None = None
    construction_start: str | None = None
    opened: str | None = None
    expected_completion: str | None = None
    upgrade: bool = False  # the works upgrade an existing line, road or hub (in service before them)
    in_service_since: str | None = None  # no opened date: in service at the latest then (an upgrade: what it upgrades)
    figures: tuple[Figure, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    dwell: Timing | None = None  # time spent here by a path passing through (gauge change, port, border)

    @property
    def short_name(self) -> str:
        """What a map writes beside the hub: its label, or its name."""
        return self.label or self.name


@dataclass(frozen=True)
class Route:
    id: str
    name: str
    mode: str
    status: str
    status_as_of: str
    alignment: str
    via: tuple[Waypoint, ...]
    description: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (language, name): the name in Russian (ru) and Kazakh (kk)
    project: bool = False
    official_length_km: float | None = None
    official_length_source: str | None = None
    official_length_note: str | None = None
    official_length_covers: tuple[tuple[int, int], ...] = ()  # spans (waypoint indices) the figure counts
    construction_start: str | None = None
    opened: str | None = None
    expected_completion: str | None = None
    upgrade: bool = False  # the works upgrade an existing line, road or hub (in service before them)
    in_service_since: str | None = None  # no opened date: in service at the latest then (an upgrade: what it upgrades)
    figures: tuple[Figure, ...] = ()
    transit: Timing | None = None  # this route's own time (whole-route days or a speed), else its mode's speed

    @property
    def covered_spans(self) -> str:
        """The spans official_length_covers names, as 'A–B, C–D' (empty when the figure is the whole line)."""
        return ", ".join(f"{self.via[a].name}–{self.via[b].name}" for a, b in self.official_length_covers)


@dataclass(frozen=True)
class Corridor:
    id: str
    name: str
    legs: tuple[str, ...]
    description: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (language, name): the name in Russian (ru) and Kazakh (kk)
    branches: tuple[str, ...] = ()
    official_length_km: float | None = None
    official_length_source: str | None = None


@dataclass(frozen=True)
class ContextLayer:
    """A vector file drawn beneath the corridors on chosen maps (e.g. a national rail network)."""

    id: str
    name: str
    path: Path  # resolved against the catalog folder
    attribution: str
    maps: tuple[str, ...]  # map ids (file stems), or ("all",)
    color: str = "#7f7f7f"
    weight: float = 1.0
    opacity: float = 0.7
    layer: str | None = None  # layer name inside a multi-layer file (GeoPackage)
    tooltip: str | None = None  # attribute shown on hover
    source_file: str = ""  # where the entry is, for messages about the file's content
    source_line: int = 0


@dataclass(frozen=True)
class Catalog:
    sources: dict[str, Source]
    hubs: dict[str, Hub]
    routes: dict[str, Route]
    corridors: dict[str, Corridor]
    context: dict[str, ContextLayer] = field(default_factory=dict)
    speeds: dict[str, Speed] = field(default_factory=dict)  # by mode

    def entry(self, entry_id: str) -> Source | Hub | Route | Corridor | None:
        for table in (self.corridors, self.routes, self.hubs, self.sources):
            if entry_id in table:
                return table[entry_id]
        return None


class _Mapping(dict):
    """A YAML mapping that remembers the line and column of itself and of each key."""

    line: int = 0
    column: int = 0
    key_marks: dict[str, tuple[int, int]]
    item_lines: dict[str, list[int]]  # for a key whose value is a list: the line of each item
    duplicates: list[tuple[str, int, int]]  # a key written again: (key, line, column) of each repeat


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but not accepted in a catalog (aliases, tags, deep nesting, huge lists)."""


def _refused(message: str, mark: Any) -> _Refused:
    return _Refused(None, None, message, mark)


def _int(text: str, mark: Any) -> int:
    """YAML 1.2 integers: decimal (0710 is 710, not octal), 0o octal, 0x hex; no sexagesimal, no huge numbers."""
    digits = text.lstrip("+-")
    if len(digits) > MAX_DIGITS:
        raise _refused(f"a number of {len(digits):,} digits", mark)
    base = {"0o": 8, "0x": 16}.get(digits[:2])
    try:
        return (-1 if text.startswith("-") else 1) * int(digits[2:], base) if base else int(text, 10)
    except ValueError:
        raise _refused(f"{text!r} is not an integer", mark) from None


_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


def _float(text: str, mark: Any) -> float:
    """YAML 1.2 floats: no sexagesimal (1:30 is not 90), no underscores."""
    special = _SPECIAL_FLOATS.get(text.lower())
    try:
        return special if special is not None else float(text)
    except ValueError:
        raise _refused(f"{text!r} is not a number", mark) from None


TAG = "tag:yaml.org,2002:"
_SCALARS: dict[str, Callable[[str, Any], Any]] = {
    TAG + "str": lambda text, mark: text, TAG + "null": lambda text, mark: None,
    TAG + "bool": lambda text, mark: text.lower() == "true", TAG + "int": _int, TAG + "float": _float,
}
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # YAML 1.2 core schema, by a plain scalar's first letter
for _tag, _pattern, _first in (  # (yes, no, on, off, 1_000, 1:30 and dates are text); int before float
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    ("float", r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)", "-+.0123456789"),
):
    for _char in _first:
        _IMPLICIT.setdefault(_char, []).append((TAG + _tag, re.compile(f"^(?:{_pattern})$")))
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML was built with it


def _yaml(text: str) -> Any:
    """The one YAML document in ``text`` as plain values, mappings as _Mapping with their positions.

    Built straight from libyaml's events, without PyYAML's pure-Python composer and constructor
    (that made a 2.6 MB file take 10 s); positions come from the events' marks. Refused on the way,
    before the rest is read: aliases (no "billion laughs"), tags other than YAML's own, nesting
    deeper than MAX_DEPTH, more than MAX_ENTRIES entries or MAX_ITEMS items in a list.

    This loop runs once per event of the catalog (300,000 for 1,000 routes), so it keeps the open
    collection and what a list item needs (its limit, the mapping noting its lines) in locals.
    """
    scalar_event, alias_event, document_event = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
    starts = {yaml.MappingStartEvent: TAG + "map", yaml.SequenceStartEvent: TAG + "seq"}
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    stack: list[Any] = []  # open collections: a list, or an _OpenMapping
    top: Any = None  # stack[-1]
    limit, what, lines = 0, "", None  # when top is a list: its limit, and the item lines of the mapping holding it
    documents, result = 0, None
    parser = _PARSER(text)
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            opened: Any = None  # a collection this event opens
            if kind is scalar_event:
                tag, value, mark = event.tag, event.value, event.start_mark
                if tag and tag != "!":
                    if tag not in _SCALARS:
                        raise _refused(f"the tag {tag} is not allowed in the catalog; write the value alone", mark)
                else:
                    implicit, tag = event.implicit[0], None
                    for candidate, pattern in _IMPLICIT.get(value[:1], ()) if implicit else ():
                        if pattern.match(value):
                            tag = candidate
                            break
                if len(stack) >= MAX_DEPTH:
                    raise _refused(f"nesting deeper than {MAX_DEPTH} levels", mark)
                if tag is not None:
                    value = _SCALARS[tag](value, mark)
            elif kind in starts:
                mark = event.start_mark
                if event.tag and event.tag not in ("!", starts[kind]):
                    raise _refused(f"the tag {event.tag} is not allowed in the catalog", mark)
                if len(stack) >= MAX_DEPTH:
                    raise _refused(f"nesting deeper than {MAX_DEPTH} levels", mark)
                opened = _OpenMapping(mark) if kind is yaml.MappingStartEvent else []
                value = opened.mapping if kind is yaml.MappingStartEvent else opened
            elif kind in ends:
                stack.pop()
                top, limit, what, lines = _opened(stack)
                continue
            elif kind is alias_event:
                raise _refused("anchors and aliases (*name) are not allowed in the catalog; write the value out", event.start_mark)
            elif kind is document_event:
                documents += 1
                if documents > 1:
                    raise yaml.composer.ComposerError("but found another document", None, "expected a single document in the stream",
                                                      event.start_mark)
                continue
            elif kind is yaml.StreamEndEvent:
                return result
            else:
                continue
            # the value goes into the open collection: the next item of a list, or a mapping's next key or value
            if top is None:
                result = value
            elif type(top) is list:
                if len(top) >= limit:
                    raise _refused(f"more than {limit:,} {what}", mark)
                top.append(value)
                if lines is not None:
                    lines.append(mark.line + 1)
            elif top.key is _OpenMapping:  # a key: noted with its position, a repeat noted too
                if opened is not None:
                    raise _refused("a key must be plain text", mark)
                top.key, name, where = value, str(value), (mark.line + 1, mark.column + 1)
                if name in top.mapping.key_marks:
                    top.mapping.duplicates.append((name, *where))
                else:
                    top.mapping.key_marks[name] = where
            else:  # a value (a repeated key keeps the last one, as YAML loaders do)
                if type(value) is list:
                    top.item_lines = top.mapping.item_lines[str(top.key)] = []
                top.mapping[top.key], top.key = value, _OpenMapping
            if opened is not None:
                stack.append(opened)
                top, limit, what, lines = _opened(stack)
    finally:
        parser.dispose()


_POSITIONS = "\0"  # in the cache, the key of a mapping's positions (a mapping with a key like it is kept as pairs)


def _parsed(path: Path, text: str) -> Any:
    """``_yaml(text)``, kept in the user cache (one entry per file, replaced when the file changes), so
    that an unchanged file of 2.6 MB is read back in a third of the time it takes to parse."""
    return memo.cached("catalog-yaml", [hashlib.sha256(text.encode()).hexdigest()], (), lambda: _yaml(text),
                       lambda data: type(data) is list and all(type(item) is _Mapping for item in data),
                       dump=_stored, hook=_restored, slot=str(path.resolve()))


def _stored(value: Any) -> Any:
    """``value`` as JSON: each mapping with its positions under _POSITIONS; one whose keys JSON cannot
    hold as they are (not text, or starting with NUL) keeps them as [key, value] pairs there instead."""
    kind = type(value)
    if kind is list:
        return [item if type(item) is str else _stored(item) for item in value]
    if kind is not _Mapping:
        return value
    positions: list[Any] = [value.line, value.column, value.key_marks, value.duplicates, value.item_lines]
    if any(type(key) is not str or key.startswith(_POSITIONS) for key in value):
        return {_POSITIONS: positions + [[[key, _stored(item)] for key, item in value.items()]]}
    out = {_POSITIONS: positions}
    for key, item in value.items():
        out[key] = item if type(item) is str else _stored(item)
    return out


def _restored(stored: dict[str, Any]) -> Any:
    """The inverse of _stored, called by the JSON reader for each object, innermost first (the
    positions' own tables are plain objects, returned as they are)."""
    positions = stored.pop(_POSITIONS, None)
    if positions is None:
        return stored
    mapping = _Mapping(positions[5] if len(positions) == 6 else stored)
    mapping.line, mapping.column, mapping.key_marks, mapping.duplicates, mapping.item_lines = positions[:5]
    return mapping


def _opened(stack: list[Any]) -> tuple[Any, int, str, list[int] | None]:
    """The innermost open collection (None at the top level); for a list, its item limit, what it counts, and
    the item lines to note."""
    top = stack[-1] if stack else None
    if type(top) is not list:
        return top, 0, "", None
    limit, what = (MAX_ENTRIES, "entries in one file") if len(stack) == 1 else (MAX_ITEMS, "items in one list")
    holder = stack[-2] if len(stack) >= 2 else None
    return top, limit, what, holder.item_lines if isinstance(holder, _OpenMapping) else None


class _OpenMapping:
    """A mapping being read by _yaml: its keys and values alternate (``key`` is _OpenMapping while a key is due)."""

    def __init__(self, mark: Any):
        self.mapping = _Mapping()
        self.mapping.line, self.mapping.column = mark.line + 1, mark.column + 1
        self.mapping.key_marks, self.mapping.duplicates, self.mapping.item_lines = {}, [], {}
        self.key: Any = _OpenMapping
        self.item_lines: list[int] = []  # the lines of the items of the list being read as the current value


@dataclass
class _Entry:
    """Reads the fields of one catalog entry, recording a Problem for each bad one."""

    file: str
    data: _Mapping
    problems: list[Problem]
    allowed: set[str] = field(default_factory=set)

    owner: str | None = None  # id of the entry this one is part of (a waypoint, a figure)

    def __post_init__(self) -> None:
        for key, line, column in self.data.duplicates:  # YAML would silently keep the last value
            first = self.data.key_marks[key]
            self.problems.append(Problem(self.file, line, self.id, key,
                                         f"written twice in one entry (first at line {first[0]}, column {first[1]}); "
                                         "keep one", column))

    def part(self, data: _Mapping) -> _Entry:
        """A mapping inside this entry (a waypoint, a figure), read with the same rules; messages name this entry."""
        return _Entry(self.file, data, self.problems, owner=self.id)

    @property
    def id(self) -> str | None:
        if self.owner is not None:
            return self.owner
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    def problem(self, name: str | None, message: str, at_entry: bool = False) -> None:
        """Record a problem at the field's key (or at the start of the entry)."""
        own = (self.data.line, self.data.column)
        line, column = own if at_entry or not name else self.data.key_marks.get(name, own)
        self.problems.append(Problem(self.file, line, self.id, name, message, column))

    def get(self, name: str, required: bool, check: Callable[[Any], Any], expected: str) -> Any:
        self.allowed.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.problem(name, f"missing; expected {expected}", at_entry=True)
            return None
        try:
            return check(self.data[name])
        except _Unfit as why:
            self.problem(name, str(why))
            return None
        except (TypeError, ValueError):
            value = self.data[name]
            hint = ""
            if "number" in expected and isinstance(value, str) and UNIT_IN_TEXT.match(value):
                hint = "; write the number alone (the unit is part of the field's meaning)"
            self.problem(name, f"expected {expected}, got {value!r}{hint}")
            return None

    def text(self, name: str, required: bool = True) -> str | None:
        return self.get(name, required, _text, "non-empty text")

    def slug(self, name: str = "id") -> str | None:
        return self.get(name, True, _slug, "a lowercase slug of letters, digits and single hyphens (e.g. aktau-port)")

    def choice(self, name: str, options: tuple[str, ...], required: bool = True) -> str | None:
        return self.get(name, required, lambda v: _choice(v, options), "one of " + ", ".join(options))

    def number(self, name: str, low: float, high: float, required: bool = True) -> float | None:
        return self.get(name, required, lambda v: _number(v, low, high), f"a number from {low:g} to {high:g}")

    def date(self, name: str, required: bool = False, past: bool = False) -> str | None:
        """A partial date; ``past``: one that has begun by today (the date a status was confirmed)."""
        return self.get(name, required, lambda v: _date(v, past), "a date as YYYY, YYYY-MM or YYYY-MM-DD")

    def flag(self, name: str) -> bool:
        return bool(self.get(name, False, _bool, "true or false"))

    def texts(self, name: str, required: bool = False) -> tuple[str, ...]:
        value = self.get(name, required, lambda v: tuple(_text(x) for x in _list(v)), "a list of texts")
        return value or ()

    def raw_list(self, name: str, required: bool = False) -> list[Any]:
        return self.get(name, required, _list, "a list") or []

    def finish(self) -> None:
        for key in self.data:
            if key not in self.allowed:
                self.problem(str(key), "unknown field; allowed: " + ", ".join(sorted(self.allowed)))


GEONAMES_ID = re.compile(r"geonames:(\d+)")


def geonames_id(location_source: str) -> int | None:
    """The GeoNames record a location_source cites (geonames:<id>, or a point derived from one)."""
    found = GEONAMES_ID.search(location_source)
    return int(found.group(1)) if found else None


def name_key(name: str) -> str:
    """Case- and accent-insensitive form of a name, for matching names and aliases (check, show)."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c)).strip()


class _Unfit(ValueError):
    """A value refused for a reason of its own, which the message says instead of what was expected."""


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    hidden = None if value.isprintable() else next(  # printable text (nearly all) has none of them
        (c for c in value if c not in "\t\n" and unicodedata.category(c) in HIDDEN_CATEGORIES), None)
    if hidden is not None:  # terminal escapes, NUL (GDAL cuts there), lone surrogates, bidi overrides, zero widths
        name = unicodedata.name(hidden, "a control character")
        raise _Unfit(f"contains U+{ord(hidden):04X} ({name}), which is invisible or a control character; remove it")
    return value.strip()


def _label(value: Any) -> str:
    text = _text(value)
    if len(text) > MAX_LABEL:
        raise ValueError
    return text


def _web_address(value: Any) -> str:
    """An http(s) address: the only kind a map links to (javascript:, data: and the like never)."""
    text = _text(value)
    if not WEB_ADDRESS.fullmatch(text):
        raise ValueError
    return text


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ValueError
    if len(value) > MAX_ID:
        raise _Unfit(f"{value[:20]!r}... is {len(value)} characters long; an id may have at most {MAX_ID}")
    return value


def _iso3(value: Any) -> str:
    if not isinstance(value, str) or not ISO3.fullmatch(value):
        raise ValueError
    return value


def _choice(value: Any, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ValueError
    return value


def _number(value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError
    return float(value)


def _date(value: Any, past: bool) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not PARTIAL_DATE.fullmatch(value):
        raise ValueError
    if len(value) == 10:
        dt.date.fromisoformat(value)
    if not YEARS[0] <= int(value[:4]) <= YEARS[1]:
        raise _Unfit(f"year {value[:4]} is outside {YEARS[0]}–{YEARS[1]}; a typo?")
    if past and value > dt.date.today().isoformat():
        raise _Unfit(f"{value} has not begun yet; a status is confirmed on a past date")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError
    return value


def _read_file(path: Path, problems: list[Problem]) -> list[_Mapping]:
    """Parse one YAML file into a list of entry mappings; record problems instead of raising."""
    name = str(path)
    if not path.is_file():
        problems.append(Problem(name, None, None, None, "file not found"))
        return []
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(Problem(name, None, None, None, f"file is {size:,} bytes; a catalog file may have at most {MAX_FILE_BYTES:,}"))
        return []
    try:
        text = path.read_text(encoding="utf-8")
        data = _parsed(path, text)
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"))
        return []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        kind = "not allowed" if isinstance(exc, _Refused) else "YAML syntax error"
        problems.append(Problem(name, mark.line + 1 if mark else None, None, None,
                                f"{kind}: {exc.problem}" + (f" ({exc.context})" if exc.context else ""),
                                mark.column + 1 if mark else None))
        return []
    except yaml.YAMLError as exc:  # e.g. a control character the YAML reader refuses
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if position is not None else None
        problems.append(Problem(name, line, None, None, f"YAML error: {exc}".splitlines()[0]))
        return []
    except RecursionError:
        problems.append(Problem(name, None, None, None, "the YAML nests too deeply"))
        return []
    if data is None:
        problems.append(Problem(name, None, None, None, "file is empty; expected a list of entries"))
        return []
    if not isinstance(data, list):
        problems.append(Problem(name, getattr(data, "line", 1), None, None, "expected a list of entries (lines starting with '- ')"))
        return []
    entries = []
    for item in data:
        if isinstance(item, _Mapping):
            entries.append(item)
        else:
            problems.append(Problem(name, None, None, None, f"expected each entry to be a mapping of fields, got {item!r}"))
    return entries


def _figures(entry: _Entry) -> tuple[Figure, ...]:
    figures = []
    for item in entry.raw_list("figures"):
        if not isinstance(item, _Mapping):
            entry.problem("figures", f"expected a mapping with label, value, unit, source; got {item!r}")
            continue
        sub = entry.part(item)
        label, value = sub.text("label"), sub.number("value", -1e12, 1e12)
        unit, source = sub.text("unit"), sub.slug("source")
        sub.finish()
        if None not in (label, value, unit, source):
            figures.append(Figure(label, value, unit, source))
    return tuple(figures)


MAX_DAYS = 365.0
MAX_KM_PER_DAY = 5000.0


def _range(value: Any, high: float, positive: bool) -> tuple[float, float]:
    """[min, max] with 0 <= min <= max <= high (0 < min for a speed, which divides a length)."""
    pair = tuple(_number(v, 0, high) for v in _list(value))
    if len(pair) != 2 or not 0 <= pair[0] <= pair[1] or pair[1] == 0 or (positive and pair[0] == 0):
        raise ValueError
    return pair  # type: ignore[return-value]


def _mapping(value: Any) -> _Mapping:
    if not isinstance(value, _Mapping):
        raise ValueError
    return value


def _timing(entry: _Entry, name: str, kinds: tuple[str, ...]) -> Timing | None:
    """A mapping with one of ``kinds`` (days: [min, max] and/or km_per_day: [min, max]), a source and a note."""
    expected = " or ".join(f"{k}: [min, max]" for k in kinds)
    item = entry.get(name, False, _mapping, f"a mapping with {expected}, source and an optional note")
    if item is None:
        return None
    sub = entry.part(item)
    limits = {"days": MAX_DAYS, "km_per_day": MAX_KM_PER_DAY}
    ranges = {k: sub.get(k, False, lambda v, k=k: _range(v, limits[k], k == "km_per_day"),
                         f"[min, max] with {'0 < min' if k == 'km_per_day' else '0 <= min'} <= max <= {limits[k]:g}")
              for k in kinds}
    source, note = sub.slug("source"), sub.text("note", required=False)
    sub.finish()
    given = [k for k in kinds if k in item]
    if len(given) != 1:
        entry.problem(name, f"give {expected}" + (" (one of them)" if len(kinds) > 1 else ""))
        return None
    if source is None or ranges[given[0]] is None:
        return None
    return Timing(source=source, note=note, **{given[0]: ranges[given[0]]})


def _speed(entry: _Entry) -> Speed | None:
    values = dict(id=entry.slug(), mode=entry.choice("mode", MODES), timing=_timing(entry, "transit", ("km_per_day",)))
    if "transit" not in entry.data:
        entry.problem("transit", "missing; expected {km_per_day: [min, max], source: ...}", at_entry=True)
    entry.finish()
    return None if any(v is None for v in values.values()) else Speed(**values)


def _annotations(entry: _Entry) -> tuple[Annotation, ...]:
    notes = []
    for item in entry.raw_list("annotations"):
        if not isinstance(item, _Mapping):
            entry.problem("annotations", f"expected a mapping, got {item!r}")
            continue
        sub = entry.part(item)
        values = (sub.text("title"), sub.choice("status", STATUSES), sub.date("status_as_of", required=True, past=True), sub.text("description"))
        sources = sub.texts("sources", required=True)
        sub.finish()
        if None not in values:
            notes.append(Annotation(*values, sources=sources))  # type: ignore[arg-type]
    return tuple(notes)


def _source(entry: _Entry) -> Source | None:
    values = dict(
        id=entry.slug(), title=entry.text("title"), outlet=entry.text("outlet"),
        kind=entry.choice("kind", SOURCE_KINDS), date=entry.date("date"),
        url=entry.get("url", False, _web_address, "a web address starting with http:// or https://"),
    )
    entry.finish()
    return None if None in (values["id"], values["title"], values["outlet"], values["kind"]) else Source(**values)


NAME_LANGUAGES = ("ru", "kk")  # the languages besides English an entry's name may be given in


def _names(value: Any) -> tuple[tuple[str, str], ...]:
    mapping = _mapping(value)
    unknown = [str(k) for k in mapping if k not in NAME_LANGUAGES]
    if unknown:
        raise _Unfit(f"unknown language {', '.join(unknown)}; allowed: {', '.join(NAME_LANGUAGES)}")
    return tuple((lang, _text(mapping[lang])) for lang in NAME_LANGUAGES if lang in mapping)


def _names_field(entry: _Entry) -> tuple[tuple[str, str], ...]:
    return entry.get("names", False, _names, "a mapping of language (ru, kk) to the name in it") or ()


def _common_project_fields(entry: _Entry) -> dict[str, Any]:
    values = dict(
        aliases=entry.texts("aliases"), names=_names_field(entry), project=entry.flag("project"),
        construction_start=entry.date("construction_start"), opened=entry.date("opened"),
        expected_completion=entry.date("expected_completion"), upgrade=entry.flag("upgrade"),
        in_service_since=entry.date("in_service_since", past=True), figures=_figures(entry),
        description=entry.text("description"), sources=entry.texts("sources", required=True),
    )
    if values["in_service_since"] and values["opened"] and not values["upgrade"]:
        entry.problem("in_service_since", "not with an opened date: it says when a source shows in service what has no known "
                                          "opening (for an upgrade, what the works upgrade)")
    if values["upgrade"] and values["in_service_since"] and values["construction_start"] \
            and values["in_service_since"] > values["construction_start"]:
        entry.problem("in_service_since", f"{values['in_service_since']} is after construction_start "
                                        f"{values['construction_start']}; what is upgraded was in service before the works")
    return values


def _hub(entry: _Entry) -> Hub | None:
    values = dict(
        id=entry.slug(), name=entry.text("name"), kind=entry.choice("kind", HUB_KINDS),
        country=entry.get("country", True, _iso3, "an ISO 3166-1 alpha-3 code such as KAZ"),
        lat=entry.number("lat", -90, 90), lon=entry.number("lon", -180, 180),
        location_source=entry.text("location_source"), location_note=entry.text("location_note", required=False),
        tolerance_km=entry.number("tolerance_km", 0, 500, required=False),
        label=entry.get("label", False, _label, f"a short text of at most {MAX_LABEL} characters"),
        capital=entry.flag("capital"),
        status=entry.choice("status", STATUSES, required=False), status_as_of=entry.date("status_as_of", past=True),
        annotations=_annotations(entry), dwell=_timing(entry, "dwell", ("days",)),
        **_common_project_fields(entry),
    )
    if values["status"] and not values["status_as_of"]:
        entry.problem("status_as_of", "missing; a hub with a status needs the date that status was confirmed")
    entry.finish()
    required = ("id", "name", "kind", "country", "lat", "lon", "location_source", "description")
    return None if any(values[k] is None for k in required) else Hub(**values)


def _route(entry: _Entry, hubs: _Known) -> Route | None:
    via = _waypoints(entry, hubs)
    values = dict(
        id=entry.slug(), name=entry.text("name"), mode=entry.choice("mode", MODES),
        status=entry.choice("status", STATUSES), status_as_of=entry.date("status_as_of", required=True, past=True),
        alignment=entry.choice("alignment", ALIGNMENTS), via=via,
        official_length_km=entry.number("official_length_km", 0, 40000, required=False),
        official_length_source=entry.slug("official_length_source") if "official_length_source" in entry.data else None,
        official_length_note=entry.text("official_length_note", required=False),
        transit=_timing(entry, "transit", ("days", "km_per_day")), **_common_project_fields(entry),
    )
    entry.allowed.add("official_length_source")
    values["official_length_covers"] = _covers(entry, via)
    if values["official_length_km"] is not None and not values["official_length_source"]:
        entry.problem("official_length_source", "missing; an official length needs the source id that states it")
    if values["alignment"] == "sea_network" and values["mode"] not in (None, "sea"):
        entry.problem("alignment", "sea_network is only for routes with mode: sea")
    if values["alignment"] == "network" and values["mode"] == "sea":
        entry.problem("alignment", "network is for rail and road routes; sea routes use sea_network")
    elif values["alignment"] == "network" and values["mode"] and via:
        _check_network(entry, values["mode"], via)
    entry.finish()
    required = ("id", "name", "mode", "status", "status_as_of", "alignment", "description")
    return None if any(values[k] is None for k in required) or via is None else Route(**values)


def _waypoints(entry: _Entry, hubs: _Known) -> tuple[Waypoint, ...] | None:
    """The via list: hub ids, ``{hub, leg, source}``, or inline ``{name, lat, lon, location_source, leg, source}``
    (``source``: the id of the source that names the place on this line).

    ``leg: straight`` draws the leg from this waypoint to the next straight in a network route,
    where the network has a gap (the popup and the data dictionary say so).
    """
    items = entry.raw_list("via", required=True)
    lines = entry.data.item_lines.get("via", [])
    points: list[Waypoint] = []
    ok = bool(items)
    for position, item in enumerate(items, start=1):
        line = lines[position - 1] if position <= len(lines) else None
        point = _plain_waypoint(item, line)
        if point is not None:
            points.append(point)
            continue
        sub = entry.part(item) if isinstance(item, _Mapping) else None
        leg = (sub.choice("leg", LEGS, required=False) or LEGS[0]) if sub else LEGS[0]
        source = sub.slug("source") if sub and "source" in item else None
        hub_id = item if isinstance(item, str) else sub.slug("hub") if sub and "hub" in item else None
        if hub_id is not None:
            hub = hubs.get(hub_id)
            if sub:
                sub.finish()
            if hub is None:
                if not hubs.reported(hub_id):  # an invalid hub or unreadable file is reported already
                    entry.problem("via", f"waypoint {position}: unknown hub id {hub_id!r}")
                ok = False
                continue
            points.append(Waypoint(hub.name, hub.lat, hub.lon, hub.id, line, leg, source))
        elif sub:
            name, lat, lon = sub.text("name"), sub.number("lat", -90, 90), sub.number("lon", -180, 180)
            sub.text("location_source")
            sub.finish()
            if None in (name, lat, lon):
                ok = False
                continue
            points.append(Waypoint(name, lat, lon, line=line, leg=leg, source=source))
        else:
            entry.problem("via", f"waypoint {position}: expected a hub id, {{hub, leg}} or {{name, lat, lon, "
                                 f"location_source}}, got {item!r}")
            ok = False
    for a, b in zip(points, points[1:]):
        if _same_place(a, b):
            entry.problem("via", f"waypoints {a.name!r} and {b.name!r} repeat the same point; remove one")
            ok = False
    if ok and all(_same_place(points[0], p) for p in points):
        entry.problem("via", "a route needs at least two distinct waypoints")
        ok = False
    return tuple(points) if ok else None


_PLAIN_WAYPOINT = {"name", "lat", "lon", "location_source"}


def _plain_waypoint(item: Any, line: int | None) -> Waypoint | None:
    """An inline waypoint with exactly its four fields, all valid (nearly every one), read without the
    bookkeeping of _Entry; None for anything else, which _waypoints reads field by field with messages."""
    if type(item) is not _Mapping or item.keys() != _PLAIN_WAYPOINT or item.duplicates:
        return None
    try:
        _text(item["location_source"])
        return Waypoint(_text(item["name"]), _number(item["lat"], -90, 90), _number(item["lon"], -180, 180), line=line)
    except ValueError:  # _Unfit too: the field-by-field reading says what is wrong
        return None


def _same_place(a: Waypoint, b: Waypoint) -> bool:
    """Within a metre on the ground (a pole at any longitude, 180°E and 180°W are one place)."""
    if abs(a.lat - b.lat) > 1e-4:  # a ten-thousandth of a degree of latitude is 11 m or more anywhere
        return False
    return distance_km((a.lon, a.lat), (b.lon, b.lat)) < 0.001


def _covers(entry: _Entry, via: tuple[Waypoint, ...] | None) -> tuple[tuple[int, int], ...]:
    """``official_length_covers``: the spans of the line, each [from, to] waypoint (hub id or name), that the
    official length counts, when it is not the whole line (a figure for the new-built sections only)."""
    spans = entry.get("official_length_covers", False, lambda v: [tuple(_text(x) for x in _list(pair)) for pair in _list(v)],
                      "a list of [from, to] waypoint pairs (hub ids or waypoint names)") or []
    if not via:
        return ()
    keys = [{w.hub, w.name} for w in via]
    out = []
    for pair in spans:
        found = [next((i for i, k in enumerate(keys) if name in k), None) for name in pair]
        if len(pair) != 2 or None in found or found[0] >= found[1]:
            entry.problem("official_length_covers", f"{list(pair)!r} is not a [from, to] pair of this route's waypoints in order")
        else:
            out.append((found[0], found[1]))
    return tuple(out)


def _check_network(entry: _Entry, mode: str, via: tuple[Waypoint, ...]) -> None:
    """Every leg of a network route must join the network and follow it without an implausible detour."""
    from geo.network import NetworkError, leg  # the network is loaded only for catalogs that use it

    for i, (a, b) in enumerate(zip(via, via[1:])):
        if a.leg == "straight":
            continue
        try:
            leg(mode, (a.lon, a.lat), (b.lon, b.lat))
        except NetworkError as error:
            point = (a, b)[error.waypoint]
            position = i + 1 + error.waypoint
            entry.problems.append(Problem(entry.file, point.line or entry.data.line, entry.id, "via",
                                          f"waypoint {position} ({point.name}): {error}"))


def _corridor(entry: _Entry) -> Corridor | None:
    values = dict(
        id=entry.slug(), name=entry.text("name"), aliases=entry.texts("aliases"), names=_names_field(entry),
        legs=entry.texts("legs", required=True), branches=entry.texts("branches"),
        official_length_km=entry.number("official_length_km", 0, 40000, required=False),
        official_length_source=entry.slug("official_length_source") if "official_length_source" in entry.data else None,
        description=entry.text("description"), sources=entry.texts("sources", required=True),
    )
    entry.allowed.add("official_length_source")
    entry.finish()
    return None if any(values[k] is None for k in ("id", "name", "description")) or not values["legs"] else Corridor(**values)


def _context(entry: _Entry, directory: Path) -> ContextLayer | None:
    path = entry.text("path")
    resolved, why = vector.contained(directory, path) if path else (None, None)
    if why:
        entry.problem("path", why)
    values = dict(
        id=entry.slug(), name=entry.text("name"), attribution=entry.text("attribution"), path=resolved,
        maps=entry.get("maps", False, lambda v: tuple(_slug(x) for x in _list(v)), "a list of map ids (or [all])") or ("index",),
        color=entry.get("color", False, _color, "a colour like #7f7f7f") or "#7f7f7f",
        weight=entry.number("weight", 0.1, 20, required=False) or 1.0,
        opacity=entry.number("opacity", 0, 1, required=False) or 0.7,
        layer=entry.text("layer", required=False), tooltip=entry.text("tooltip", required=False),
        source_file=entry.file, source_line=entry.data.line,
    )
    entry.finish()
    if resolved is not None and not any(p.file == entry.file and p.entry == values["id"] for p in entry.problems):
        for name, message in vector.inspect(resolved, values["layer"], values["tooltip"]):
            entry.problem(name, message)
            values["path"] = None
    return None if any(values[k] is None for k in ("id", "name", "attribution", "path")) else ContextLayer(**values)


def _color(value: Any) -> str:
    if not isinstance(value, str) or not COLOR.fullmatch(value):
        raise ValueError
    return value


def _check_country(entry: _Entry, hub: Hub) -> None:
    """The hub's point must lie in (or within COUNTRY_TOLERANCE_KM of) the country it claims."""
    outside = km_outside(hub.lon, hub.lat, hub.country)
    if outside is None:
        entry.problem("country", f"unknown country code {hub.country!r} (Natural Earth ADM0_A3 codes)")
    elif outside > COUNTRY_TOLERANCE_KM:
        found = country_at(hub.lon, hub.lat)
        where = f"in {country_name(found)} ({found})" if found else "at sea"
        hint = ""
        if -90 <= hub.lon <= 90 and (km_outside(hub.lat, hub.lon, hub.country) or 0) <= COUNTRY_TOLERANCE_KM:
            hint = "; lat and lon look swapped"
        entry.problem("lat", f"point ({hub.lat}, {hub.lon}) lies {outside:.0f} km outside {hub.country}, {where}{hint}")


class _Known(dict):
    """Valid records by id, plus what is known to be wrong already (so it is not reported twice):
    ids of entries with problems of their own, and whether the whole file could not be read."""

    def __init__(self, unreadable: bool = False) -> None:
        super().__init__()
        self.invalid: set[str] = set()
        self.unreadable = unreadable

    def reported(self, entry_id: str) -> bool:
        """True when a missing ``entry_id`` is already explained by another problem."""
        return self.unreadable or entry_id in self.invalid


def load_catalog(directory: Path | str) -> Catalog:
    """Load and validate the catalog in ``directory``; raise CatalogError listing every problem."""
    collecting = gc.isenabled()
    gc.disable()  # loading makes millions of small objects and no cycles: the collector's passes over
    try:  # them made the load grow faster than the catalog (400 -> 800 routes: 2.5x the time; now 2.1x)
        return _load(Path(directory))
    finally:
        if collecting:
            gc.enable()


def _load(directory: Path) -> Catalog:
    required = [f"{name}.yaml" for name in FILES if name not in OPTIONAL_FILES]
    if not any((directory / name).is_file() for name in required):
        raise NoCatalog([Problem(str(directory), None, None, None,
                                 f"no catalog found in {directory}/ (it would hold {', '.join(required)}); run "
                                 "corridors in the folder that holds data/, or point at a catalog with --catalog DIR")])
    problems: list[Problem] = []
    raw, unreadable = {}, set()
    for name in FILES:
        if name not in OPTIONAL_FILES or (directory / f"{name}.yaml").exists():
            before = len(problems)
            raw[name] = _read_file(directory / f"{name}.yaml", problems)
            if not raw[name] and len(problems) > before:
                unreadable.add(name)
    paths = {name: str(directory / f"{name}.yaml") for name in FILES}
    seen: dict[str, str] = {}
    entries: dict[str, list[tuple[_Entry, Any]]] = {name: [] for name in FILES}

    def read(name: str, parse: Callable[[_Entry], Any]) -> _Known:
        table = _Known(unreadable=name in unreadable)
        for data in raw.get(name, []):
            entry = _Entry(paths[name], data, problems)
            record = parse(entry)
            entries[name].append((entry, record))
            if entry.id is None:
                continue
            if entry.id in RESERVED_IDS:
                entry.problem("id", f"{entry.id!r} is reserved (maps/index.html is the overview, and 'all' in "
                                    "context.yaml means every map); choose another id")
                continue
            if entry.id in seen:
                entry.problem("id", f"duplicate id {entry.id!r}; already used in {seen[entry.id]}")
                continue
            seen[entry.id] = f"{paths[name]}:{data.line}"
            if record is not None:
                table[entry.id] = record
            else:
                table.invalid.add(entry.id)
        return table

    sources = read("sources", _source)
    hubs = read("hubs", _hub)
    routes = read("routes", lambda e: _route(e, hubs))
    corridors = read("corridors", _corridor)
    context = read("context", lambda e: _context(e, directory))
    speeds = read("transit", _speed)

    for name in ("hubs", "routes", "corridors"):
        for entry, record in entries[name]:
            if record is None:
                continue
            refs = list(record.sources) + [f.source for f in getattr(record, "figures", ())]
            refs += [s for a in getattr(record, "annotations", ()) for s in a.sources]
            if getattr(record, "official_length_source", None):
                refs.append(record.official_length_source)
            refs += [t.source for t in (getattr(record, "dwell", None), getattr(record, "transit", None)) if t]
            refs += [w.source for w in getattr(record, "via", ()) if w.source]
            if getattr(record, "location_source", "").startswith(CITED_POSITION):  # a position a cited source gives
                refs.append(record.location_source.removeprefix(CITED_POSITION))
            for ref in refs:
                if ref not in sources and not sources.reported(ref):
                    entry.problem("sources", f"unknown source id {ref!r}; add it to {paths['sources']}")
    for entry, record in entries["corridors"]:
        if record is None:
            continue
        for leg in record.legs + record.branches:
            if leg not in routes and not routes.reported(leg):
                entry.problem("legs", f"{leg!r} is not a route id")
    modes: dict[str, str] = {}
    for entry, record in entries["transit"]:
        if record is None:
            continue
        if record.timing.source not in sources and not sources.reported(record.timing.source):
            entry.problem("transit", f"unknown source id {record.timing.source!r}; add it to {paths['sources']}")
        if record.mode in modes:
            entry.problem("mode", f"{record.mode} already has a speed ({modes[record.mode]}); keep one per mode")
        modes.setdefault(record.mode, record.id)
    for entry, record in entries["hubs"]:
        if record is not None:
            _check_country(entry, record)
    map_ids = {"index", "all", *corridors, *(r for r, route in routes.items() if route.project),
               *(h for h, hub in hubs.items() if hub.project)}
    if len(map_ids) - 1 > MAX_MAPS:  # "all" is not a map
        problems.append(Problem(paths["hubs"], None, None, None, f"{len(map_ids) - 1:,} maps (the overview, corridors and "
                                f"projects); a build makes at most {MAX_MAPS:,}: mark fewer entries project: true"))
    for entry, record in entries["context"]:
        for unknown in sorted(set(record.maps) - map_ids) if record else ():
            entry.problem("maps", f"no map {unknown!r}; maps are: {', '.join(sorted(map_ids))}")
    if problems:
        raise CatalogError(problems)
    return Catalog(sources=dict(sources), hubs=dict(hubs), routes=dict(routes), corridors=dict(corridors),
                   context=dict(context), speeds={s.mode: s for s in speeds.values()})
