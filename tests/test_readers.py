"""Maps for every reader: the year view (#year=, the slider, features hidden and restyled by year), the three
languages (#lang=, the switch, no English left in the interface, hostile names shown as text), the Python
API (`from geo import corridor_map`, a marker added, opened in Chromium), print styles, and
`corridors figure` (PNG size and content, PDF and SVG read back, bad arguments)."""

from __future__ import annotations

import re

import json
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from browser import open_page
from maptaps import reach
from conftest import ROOT, page_data, run_cli

from geo.catalog import load_catalog
from geo.i18n import TEXT
from geo.timeline import dates, now, status_in, year_range

MAPS = ROOT / "maps"
CATALOG = load_catalog(ROOT / "data")
NOW = now(CATALOG)
FIRST, LAST = year_range(CATALOG)


def _shown(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate("""() => ({
        year: document.querySelector('.cm-year output').textContent,
        note: document.querySelector('.cm-year-note').textContent, hash: location.hash,
        routes: Object.fromEntries(Array.from(document.querySelectorAll('path.cm-route')).map(p =>
            [Array.from(p.classList).find(c => c.startsWith('cm-route-')).slice(9), p.getAttribute('stroke-dasharray')])),
        hubs: Array.from(document.querySelectorAll('.cm-hub')).map(h =>
            Array.from(h.classList).find(c => c.startsWith('cm-hub-')).slice(7))})""")


def test_the_year_view_follows_the_catalogs_dates_in_the_browser() -> None:
    data = page_data((MAPS / "index.html").read_text(encoding="utf-8"))
    assert data["years"] == {"min": FIRST, "max": LAST, "now": NOW, "default": NOW}
    page_data_styles = {key: style["outer"]["dashArray"] for key, style in data["styles"].items()}
    with open_page(MAPS / "index.html") as (page, errors, _):
        assert _shown(page)["year"].startswith(str(NOW)) and _shown(page)["hash"] == ""  # the default: a plain address
        for year in (FIRST, 2016, 2024, NOW, NOW + 1, LAST):
            page.locator(".cm-year input").fill(str(year))  # the slider, as a keyboard or a drag sets it
            page.locator(".cm-year input").dispatch_event("input")
            shown = _shown(page)
            for route in CATALOG.routes.values():
                status = status_in(dates(route), year, NOW)  # the Python rule and the runtime agree
                assert (route.id in shown["routes"]) == (status is not None), (year, route.id)
                if status is not None:
                    assert shown["routes"][route.id] == page_data_styles[f"{route.mode}/{status}"], (year, route.id)
            for hub in CATALOG.hubs.values():
                assert (hub.id in shown["hubs"]) == (status_in(dates(hub), year, NOW) is not None), (year, hub.id)
            assert shown["hash"] == ("" if year == NOW else f"#year={year}") and shown["year"].startswith(str(year))
        assert errors == []
    with open_page(MAPS / "index.html", fragment="year=2016") as (page, errors, _):
        shown = _shown(page)
        assert shown["routes"]["dostyk-moyynty"] is None  # the single-track line, operational long before its second track
        assert shown["routes"]["tbilisi-kars-rail"] == "12 7"  # under construction (2007-2017): dashed
        assert shown["routes"]["khorgos-almaty-rail"] is None  # operational: solid
        assert shown["routes"]["zhanaozen-turkmenistan-border"] == "1 5"  # in service known only from 2020: date unknown
        assert "kuryk-alat-ferry" in shown["routes"] and "kuryk" in shown["hubs"]  # ferry from 2016-12-07; port 2016-12
        assert "poti-constanta-sea" not in shown["routes"]  # first sailing 2023-06-27
        assert "aktau-container-hub" not in shown["hubs"]  # begun in 2024
        assert "Zhanaozen–Turkmenistan border highway" in page.locator(".cm-year-unknown").inner_text()
        assert page.locator(".cm-intro nav a").first.get_attribute("href").endswith("#year=2016")  # links keep the year
    with open_page(MAPS / "index.html", fragment="year=2015") as (page, errors, _):
        assert "kuryk-alat-ferry" not in _shown(page)["routes"]  # opened in December 2016
    with open_page(MAPS / "index.html", fragment="year=2014") as (page, errors, _):
        assert "kuryk" not in _shown(page)["hubs"]  # the ferry complex was begun in April 2015
    with open_page(MAPS / "index.html", fragment="YEAR=2023") as (page, errors, _):  # parameters in any case
        shown = _shown(page)
        assert shown["routes"]["dostyk-moyynty"] == "14 4 3 4"  # upgrading: the second track was being built
        assert shown["routes"]["zhanaozen-turkmenistan-border"] is None  # the road before its repairs (begun 2025-08)
    with open_page(MAPS / "index.html", fragment="year=2025") as (page, errors, _):
        assert _shown(page)["routes"]["zhanaozen-turkmenistan-border"] == "14 4 3 4"
    with open_page(MAPS / "bakhty-ayagoz.html", fragment=f"year={NOW + 2}") as (page, errors, _):
        assert _shown(page)["routes"]["bakhty-ayagoz"] == "10 4 2 4 2 4"  # expected by then
        assert "(expected)" in _shown(page)["year"]
    for asked in ("1800", "abc"):
        with open_page(MAPS / "index.html", fragment=f"year={asked}") as (page, errors, _):
            shown = _shown(page)
            assert shown["year"].startswith(str(NOW)) and f"#year={asked}" in shown["note"] and str(FIRST) in shown["note"]
            assert errors == []


def test_the_slider_is_a_labelled_keyboard_control() -> None:
    with open_page(MAPS / "index.html") as (page, errors, _):
        slider = page.locator(".cm-year input")
        assert slider.get_attribute("type") == "range" and slider.get_attribute("aria-label")
        slider.focus()
        page.keyboard.press("ArrowLeft")
        assert _shown(page)["hash"] == f"#year={NOW - 1}"


def _interface(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate("""() => ({
        title: document.querySelector('.cm-intro h1').textContent,
        legend: document.querySelector('.cm-legend').textContent,
        label: document.querySelector('.cm-label-dostyk').textContent,
        tooltip: null,
        search: document.querySelector('.cm-search input').placeholder,
        year: document.querySelector('.cm-year').textContent,
        layers: Array.from(document.querySelectorAll('.leaflet-control-layers label')).map(l => l.textContent.trim()),
        nav: document.querySelector('.cm-intro nav').textContent,
        countries: Array.from(document.querySelectorAll('.cm-country')).map(c => c.textContent),
        scale: document.querySelector('.leaflet-control-scale-line').textContent})""")


@pytest.mark.parametrize("lang, title, dostyk", [("ru", "Транспортные коридоры Центральной Азии", "Достык"),
                                                 ("kk", "Орталық Азияның көлік дәліздері", "Достық")])
def test_each_language_leaves_no_english_in_the_interface(lang: str, title: str, dostyk: str) -> None:
    translations = {english: pair[("ru", "kk").index(lang)] for english, pair in TEXT.items()}
    with open_page(MAPS / "index.html", fragment=f"lang={lang}") as (page, errors, _):
        shown = _interface(page)
        assert shown["title"] == title and shown["label"] == dostyk
        assert shown["search"] == translations["Find a hub, route or corridor"]
        for english in ("Legend", "Routes by mode", "Hubs by kind", "Seaport", "Under construction",
                        "Year shown", "Language", "Hub labels", "Light grey (online)", "Overview", "Projects"):
            everything = " ".join([shown["legend"], shown["year"], " ".join(shown["layers"]), shown["nav"]]).lower()
            assert english.lower() not in everything, english
            assert translations[english].lower() in everything, english
        assert translations["Kazakhstan"] in shown["countries"] and "Kazakhstan" not in shown["countries"]
        assert "Finland" not in shown["countries"] and "Egypt" not in shown["countries"]  # pycountry's names
        assert shown["scale"].endswith(" км")
        aktau = dict(CATALOG.hubs["aktau"].names)[lang]
        problem, _ = reach(page, "aktau", aktau, touch=False, restore=False)
        assert problem is None
        popup = page.locator(".leaflet-popup-content").inner_text()
        for heading in ("Kind", "Country", "Routes here", "Location", "Sources", "Opened"):
            assert translations[heading] in popup and f"\n{heading}\t" not in popup
        assert translations["Kazakhstan"] in popup
        # no word of the runtime's or the pages' English left anywhere but in the catalog's own texts
        words = {w for english in TEXT for w in re.findall(r"[A-Za-z]{4,}", re.sub(r"\{[a-z_]+\}", "", english))}
        words -= {"OpenStreetMap", "GeoNames", "Natural", "Earth", "GSHHG", "Leaflet", "WGS84", "corridor", "mapper",
                  "searoute", "OpenRailwayMap", "LOCODE", "public", "domain", "ODbL", "scgraph", "data", "English", "LGPL", "JavaScript"}
        seen = page.evaluate("""() => [...document.querySelectorAll(
            '.cm-intro, .cm-legend, .cm-year, .leaflet-control-layers, .leaflet-control-attribution, .cm-search')].map(e => e.innerText + ' ' + (e.title || '')).join(' ')
            + ' ' + [...document.querySelectorAll('[title], [placeholder], [aria-label]')].map(e =>
            [e.title, e.placeholder, e.getAttribute('aria-label')].join(' ')).join(' ')""")
        seen += " " + page.evaluate("""() => { const table = document.querySelector('.leaflet-popup-content table').cloneNode(true);
            table.querySelectorAll('.cm-catalog-text').forEach(e => e.remove()); return table.innerText; }""")  # catalog words aside
        left = sorted(w for w in words if re.search(rf"\b{w}\b", seen))
        assert left == [], left
        assert page.locator(".cm-lang select").input_value() == lang
        assert errors == []


def test_the_language_switch_and_a_bad_language() -> None:
    with open_page(MAPS / "titr.html") as (page, errors, _):
        page.locator(".cm-lang select").select_option("kk")
        page.wait_for_load_state("load")
        page.wait_for_function("() => document.querySelector('.cm-intro h1')")
        assert "lang=kk" in page.evaluate("location.hash")
        assert page.locator(".cm-intro h1").text_content() == "Транскаспий халықаралық көлік бағыты"
    with open_page(MAPS / "index.html", fragment="lang=fr&year=2020") as (page, errors, _):
        assert "#lang=fr" in _shown(page)["note"] and _shown(page)["year"].startswith("2020")
        assert _interface(page)["title"] == "Central Asian transport corridors"
        assert errors == []


def test_names_in_every_language_are_text_not_markup(mini_catalog: Path, tmp_path: Path) -> None:
    payload = "<img src=x onerror=\"window.__pwned=1\"></script><script>window.__pwned=2</script>{{ 7*7 }}"
    hubs_file = mini_catalog / "hubs.yaml"
    hubs = yaml.safe_load(hubs_file.read_text(encoding="utf-8"))
    for hub in hubs:
        hub["names"] = {"ru": f"Ру {hub['id']}{payload}", "kk": f"Қаз {hub['id']}{payload}"}
    hubs_file.write_text(yaml.safe_dump(hubs, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("--catalog", str(mini_catalog), "build", "--layers", str(tmp_path / "l"), "--maps", str(tmp_path / "m"))
    assert result.returncode == 0, result.stderr
    for lang, prefix in (("ru", "Ру"), ("kk", "Қаз")):
        with open_page(tmp_path / "m" / "index.html", fragment=f"lang={lang}") as (page, errors, _):
            assert page.locator(".cm-label-aktau").text_content() == f"{prefix} aktau{payload}"
            page.click(".cm-hub-aktau")
            assert page.locator(".leaflet-popup-content h3").text_content() == f"{prefix} aktau{payload}"
            assert page.evaluate("window.__pwned") is None and errors == []


def test_the_python_api_gives_the_cli_page_and_takes_folium_layers(tmp_path: Path) -> None:
    import folium

    from geo import corridor_map

    fmap = corridor_map(map_id="dostyk-moyynty")
    assert isinstance(fmap, folium.Map)
    assert fmap.get_root().render() == (MAPS / "dostyk-moyynty.html").read_text(encoding="utf-8")  # one code path
    folium.Marker([46.0, 76.0], tooltip="my marker").add_to(fmap)
    saved = tmp_path / "notebook.html"
    fmap.save(str(saved))
    assert "_repr_html_" in dir(fmap) and "iframe" in fmap._repr_html_()
    with open_page(saved) as (page, errors, _):
        assert page.locator(".leaflet-marker-icon.leaflet-interactive").count() >= 1
        box = page.locator("img.leaflet-marker-icon").bounding_box()
        assert box and 0 < box["x"] < 1400 and 0 < box["y"] < 900  # drawn on the map, in view
        assert page.locator(".cm-route-dostyk-moyynty").count() >= 1  # and the map itself
        assert errors == []
    ru = corridor_map(map_id="index", year=2020, lang="ru")
    data = page_data(ru.get_root().render())
    assert data["lang"] == "ru" and data["years"]["default"] == 2020
    with pytest.raises(ValueError, match=f"{FIRST} to {LAST}"):
        corridor_map(year=1800)
    with pytest.raises(ValueError, match="en, ru, kk"):
        corridor_map(lang="fr")
    with pytest.raises(ValueError, match="the maps are: index"):
        corridor_map(map_id="nowhere")


def test_print_keeps_the_map_and_legend_without_controls() -> None:
    with open_page(MAPS / "index.html", width=1100, height=800) as (page, errors, _):
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        visible = page.evaluate("""() => Object.fromEntries(['.leaflet-control-zoom', '.leaflet-control-layers',
            '.cm-search', '.cm-legend', '.cm-intro h1', '.cm-year input'].map(s => [s,
            getComputedStyle(document.querySelector(s)).display !== 'none']))""")
        assert visible == {".leaflet-control-zoom": False, ".leaflet-control-layers": False, ".cm-search": False,
                           ".cm-legend": True, ".cm-intro h1": True, ".cm-year input": False}
        assert page.evaluate("Array.from(document.querySelectorAll('.cm-panel details')).every(d => d.open)")
        pdf = page.pdf(format="A4", landscape=True)
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
        assert errors == []


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _colours(data: bytes) -> int:
    """How many distinct colours a PNG's first rows hold (a blank figure has one or two)."""
    chunks, at = [], 8
    while at < len(data):
        length = struct.unpack(">I", data[at:at + 4])[0]
        if data[at + 4:at + 8] == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        at += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    width = _png_size(data)[0]
    return len({raw[i:i + 4] for i in range(1, min(len(raw), (width * 4 + 1) * 800), 4)})


def test_figures_in_three_formats(tmp_path: Path) -> None:
    png = tmp_path / "bakhty.png"
    result = run_cli("figure", "bakhty-ayagoz", "--out", str(png), "--lang", "kk", "--year", str(NOW + 2))
    assert result.returncode == 0, result.stderr
    width, height = _png_size(png.read_bytes())
    assert width == 1600 and 1000 < height < 2600
    assert _colours(png.read_bytes()) > 50  # basemap, network, line, symbols, text: not blank
    again = tmp_path / "again.png"
    assert run_cli("figure", "bakhty-ayagoz", "--out", str(again), "--lang", "kk", "--year", str(NOW + 2)).returncode == 0
    assert again.read_bytes() == png.read_bytes()  # the same arguments, the same bytes

    pdf, svg = tmp_path / "index.pdf", tmp_path / "index.svg"
    assert run_cli("figure", "index", "--out", str(pdf), "--width", "2400").returncode == 0
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) == 1 and float(reader.pages[0].mediabox.width) == pytest.approx(2400 / 200 * 72)
    text = reader.pages[0].extract_text()
    assert "Central Asian transport corridors" in text and "OpenStreetMap" in text and str(NOW) in text
    assert run_cli("figure", "titr", "--out", str(svg), "--lang", "ru").returncode == 0
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg") and float(root.get("width", "0").rstrip("pt")) == pytest.approx(1600 / 200 * 72)


@pytest.mark.parametrize("args, message", [
    (["nowhere", "--out", "x.png"], "no map 'nowhere'; the maps are: index"),
    (["index", "--out", "x.gif"], "must end in .png, .pdf, .svg"),
    (["index", "--out", "x.png", "--year", "1800"], f"allow {FIRST} to {LAST}"),
    (["index", "--out", "x.png", "--lang", "fr"], "one of en, ru, kk"),
    (["index", "--out", "x.png", "--width", "50"], "from 400 to 10000 pixels"),
    (["index", "--out", "missing-folder/x.png"], "no folder missing-folder"),
])
def test_figure_refuses_bad_arguments(args: list[str], message: str, tmp_path: Path) -> None:
    result = run_cli("figure", *args, cwd=ROOT)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not list(tmp_path.iterdir())


def test_check_lists_entries_without_a_translation() -> None:
    result = run_cli("check", "--format", "json")
    found = json.loads(result.stdout)
    missing = {u["id"]: u["missing"] for u in found["untranslated"]}
    expected = {e.id: [lang for lang in ("ru", "kk") if lang not in dict(e.names)]
                for table in (CATALOG.hubs, CATALOG.routes, CATALOG.corridors) for e in table.values()}
    assert missing == {k: v for k, v in expected.items() if v}
    names = {h.id: dict(h.names) for h in CATALOG.hubs.values()}
    assert (names["aktau"]["kk"], names["dostyk"]["kk"], names["ayagoz"]["kk"]) == ("Ақтау порты", "Достық", "Аягөз")
    assert (names["dostyk"]["ru"], names["ayagoz"]["ru"]) == ("Достык", "Аягоз")  # Kazakh letters, not Russian spellings


@pytest.mark.parametrize("names, message", [
    ("{fr: Актау}", "unknown language fr; allowed: ru, kk"),
    ("{ru: [a, b]}", "expected a mapping of language (ru, kk) to the name in it"),
    ("Актау", "expected a mapping of language (ru, kk) to the name in it"),
])
def test_a_bad_names_field_is_named_with_its_place(mini_catalog: Path, names: str, message: str, tmp_path: Path) -> None:
    hubs = mini_catalog / "hubs.yaml"
    lines = hubs.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("- id: aktau"))
    lines.insert(at + 1, f"  names: {names}")
    hubs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("--catalog", str(mini_catalog), "build", "--layers", str(tmp_path / "l"), "--maps", str(tmp_path / "m"))
    assert result.returncode == 2
    assert f"hubs.yaml:{at + 2}" in result.stderr and "entry 'aktau', field 'names'" in result.stderr and message in result.stderr
    assert not (tmp_path / "l").exists() and not (tmp_path / "m").exists()
