"""The committed maps as a new user meets them, on a desktop (1440x900) and a phone (390x844): issue 17's points.

Each test names the point it covers: labels (1), hubs sharing a point (2), panels (3), popups on a
phone (4), click targets (8), the offline basemap (9), search and scale (10), rough edges (12).
"""

from __future__ import annotations

import itertools

import pytest
from browser import open_page
from maptaps import reach
from conftest import ROOT, basemap, page_data
from shapely.geometry import box

MAPS = ROOT / "maps"
MAP = "Object.values(window).find(v => v instanceof L.Map)"
DESKTOP, PHONE = (1440, 900), (390, 844)
SHOWN_LABELS = """() => Object.fromEntries([...document.querySelectorAll('.cm-label')]
    .filter(e => e.style.visibility !== 'hidden').map(e => [e.className.match(/cm-label-(\\S+)/)[1], e.textContent]))"""
def _data(map_id: str) -> dict:
    html = (MAPS / f"{map_id}.html").read_text(encoding="utf-8")
    return page_data(html)


def _apart(a: dict, b: dict) -> bool:
    return a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }")


def test_labels_show_the_names_people_look_for() -> None:
    """1: capitals, termini and the map's own subject are labelled where they stand alone (those in a group
    are named by it, and labelled one zoom in); short labels; sides other than the right."""
    with open_page(MAPS / "index.html", *DESKTOP) as (page, errors, _):
        shown = page.evaluate(SHOWN_LABELS)
        for hub in ("astana", "almaty", "zhezkazgan", "lianyungang", "istanbul", "moscow"):
            assert hub in shown, (hub, sorted(shown))
        groups = page.evaluate("""() => [...document.querySelectorAll('.cm-group-label')]
            .filter(e => e.style.visibility !== 'hidden').map(e => e.textContent)""")
        for name in ("Tashkent", "Baku"):  # capitals in a group: the group's label names them
            assert any(g.startswith(name + " +") for g in groups), (name, groups)
        assert shown.get("aktobe-orenburg-border", "Zhaisan (KZ–RU border)") == "Zhaisan (KZ–RU border)"
        sides = page.evaluate("() => [...document.querySelectorAll('.cm-label')].filter(e => e.style.visibility !== "
                              "'hidden').map(e => parseFloat(e.style.marginLeft) < 0 || parseFloat(e.style.marginTop) > -6)")
        assert any(sides), "every label sits right of its symbol: no other side was tried"
    with open_page(MAPS / "dostyk-moyynty.html", *DESKTOP) as (page, errors, _):
        shown = page.evaluate(SHOWN_LABELS)
        assert {"dostyk", "moyynty", "aktogay"} <= set(shown), sorted(shown)


@pytest.mark.parametrize("map_id", ["index", "titr", "dostyk-moyynty", "zhanaozen-turkmenistan-border"])
def test_panels_never_overlap_and_the_subject_starts_clear_of_them(map_id: str) -> None:
    """3: the open layer list and the legend never overlap; the initial view keeps the subject out from under panels."""
    data = _data(map_id)
    with open_page(MAPS / f"{map_id}.html", *DESKTOP) as (page, errors, _):
        (south, west), (north, east) = data["view"]
        corners = page.evaluate(f"""(v) => {{ const m = {MAP};
            const a = m.latLngToContainerPoint(v[0]), b = m.latLngToContainerPoint(v[1]);
            const r = m.getContainer().getBoundingClientRect();
            return {{left: r.left + a.x, right: r.left + b.x, top: r.top + b.y, bottom: r.top + a.y}}; }}""",
                                data["view"])
        for panel in (".cm-intro", ".cm-legend"):
            assert _apart(corners, _box(page, panel)), (map_id, panel, corners)
        page.locator(".leaflet-control-layers").hover()
        page.locator(".leaflet-control-layers-list").wait_for()
        listing, legend = _box(page, ".leaflet-control-layers-list"), _box(page, ".cm-legend")
        assert _apart(listing, legend), (map_id, listing, legend)
        last = page.locator(".leaflet-control-layers-overlays label").last
        last.scroll_into_view_if_needed()
        assert last.is_visible()
        page.mouse.move(5, 450)  # the list folds up, the legend opens again
        page.wait_for_function("() => document.querySelector('.cm-legend details').open")


def test_popups_fit_a_phone_and_come_to_the_front() -> None:
    """4: on a 390 px phone a popup is narrower than the screen and nothing covers it."""
    with open_page(MAPS / "index.html", *PHONE, phone=True) as (page, errors, _):
        page.locator(".cm-search input").fill("Aktau")
        page.locator(".cm-search input").press("Enter")
        popup = page.locator(".leaflet-popup-content-wrapper")
        popup.wait_for(timeout=3000)
        page.wait_for_timeout(400)  # the pan that brings it into view
        box_ = _box(page, ".leaflet-popup-content-wrapper")
        assert box_["left"] >= 0 and box_["right"] <= PHONE[0], box_
        for fx, fy in ((0.5, 0.2), (0.5, 0.5), (0.9, 0.1), (0.1, 0.9)):
            x = box_["left"] + fx * (box_["right"] - box_["left"])
            y = max(box_["top"] + fy * (box_["bottom"] - box_["top"]), 1)
            inside = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup')", [x, y])
            assert inside, (x, y, "a panel covers the popup")


def test_the_basemap_covers_every_view_the_map_allows() -> None:
    """9: zoomed right out and panned to the edges, the basemap still covers the view; country names; lakes."""
    for map_id, size in (("index", DESKTOP), ("dostyk-moyynty", DESKTOP), ("zhanaozen-turkmenistan-border", PHONE)):
        data = _data(map_id)
        (south, west), (north, east) = data["coverage"]
        with open_page(MAPS / f"{map_id}.html", *size, phone=size == PHONE) as (page, errors, _):
            page.evaluate(f"() => {{ {MAP}.setZoom({MAP}.getMinZoom(), {{animate: false}}); }}")
            cx, cy = size[0] / 2, size[1] / 2
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):  # drag the map as far as it goes each way
                page.mouse.move(cx, cy)
                page.mouse.down()
                for step in range(1, 9):
                    page.mouse.move(cx + dx * step * size[0] / 9, cy + dy * step * size[1] / 9)
                page.mouse.up()
                page.wait_for_timeout(300)
                seen = page.evaluate(f"() => {MAP}.getBounds().toBBoxString()")
                w, s, e, n = map(float, seen.split(","))
                slack = 0.002 * (east - west)  # Leaflet's bounds are a pixel's rounding wide
                assert west - slack <= w and e <= east + slack and south - slack <= s and n <= north + slack, (map_id, seen)
            assert page.locator(".cm-country").count() > 3
        land = basemap(data, "land")
        assert max(g.bounds[2] for g in land) >= east - 1 and min(g.bounds[0] for g in land) <= west + 1  # edge to edge
    lakes = basemap(_data("dostyk-moyynty"), "lake")
    assert any(lake.intersects(box(74.0, 46.0, 75.0, 46.8)) for lake in lakes)  # Lake Balkhash, filled


def test_search_says_what_it_missed_and_finds_routes_and_corridors() -> None:
    """10: a miss is said in words; a corridor's and a route's names are found; the scale stays visible on a phone."""
    with open_page(MAPS / "index.html", *DESKTOP) as (page, errors, _):
        search = page.locator(".cm-search input")
        search.fill("Atlantis")
        search.press("Enter")
        assert page.locator(".cm-search-status").inner_text() == "No hub, route or corridor named “Atlantis” on this map"
        search.fill("Middle Corridor")
        search.press("Enter")
        assert page.locator(".cm-search-status").inner_text() == ""
        seen = page.evaluate(f"() => {MAP}.getBounds().toBBoxString()")
        w, s, e, n = map(float, seen.split(","))
        assert w < 41.6 and e > 119.2  # Poti to Lianyungang in view
        search.fill("Dostyk–Moyynty second track")
        search.press("Enter")
        page.locator(".leaflet-popup-content h3", has_text="Dostyk–Moyynty second track").wait_for(timeout=3000)
    for map_id in ("index", "titr", "zhanaozen-turkmenistan-border"):
        with open_page(MAPS / f"{map_id}.html", *PHONE, phone=True) as (page, errors, _):
            assert _apart(_box(page, ".leaflet-control-scale"), _box(page, ".leaflet-control-attribution")), map_id


def test_small_rough_edges() -> None:
    """12: no focus box round a clicked route; the gazetteer record is a link; offline, one failed probe and a note."""
    with open_page(MAPS / "dostyk-moyynty.html", *DESKTOP) as (page, errors, blocked):
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
        page.reload()
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert len(messages) <= 1, messages  # the single tile probe; not one error per tile
        assert "Online map tiles cannot be reached" in page.locator(".cm-tiles").inner_text()
        points = page.evaluate("""() => { const p = document.querySelector('path.cm-route-dostyk-moyynty');
            const l = p.getTotalLength(), q = p.getPointAtLength(l / 2), m = p.getScreenCTM();
            return [q.x * m.a + m.e, q.y * m.d + m.f]; }""")
        page.mouse.click(*points)
        page.locator(".leaflet-popup-content").wait_for(timeout=3000)
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "none" or page.evaluate("() => document.activeElement.tagName") != "path", outline
        page.evaluate(f"() => {{ {MAP}.closePopup(); }}")
        page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
        assert reach(page, "dostyk", "Dostyk", touch=False, restore=False)[0] is None
        popup = page.locator(".leaflet-popup-content")
        popup.locator("a[href='https://www.geonames.org/1524537']").wait_for(timeout=3000)
        assert "geonames:" not in popup.inner_text()


def test_labels_and_symbols_do_not_collide_on_a_phone() -> None:
    """1, 8 on a phone: no two visible labels or groups overlap."""
    with open_page(MAPS / "index.html", *PHONE, phone=True) as (page, errors, _):
        boxes = page.evaluate("""() => [...document.querySelectorAll('.cm-label')]
            .filter(e => e.style.visibility !== 'hidden').map(e => { const r = e.getBoundingClientRect();
            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })""")
        for a, b in itertools.combinations(boxes, 2):
            assert _apart(a, b), (a, b)
        assert errors == []
