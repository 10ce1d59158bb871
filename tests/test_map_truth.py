"""The committed maps tell the truth about place and time, measured as a planner meets them in Chromium:
at 1440x900 with a mouse and on a 390x844 phone with touch, at the opening view and after zooming in
twice and out once.

- every hub symbol is drawn on its place (within 3 px), every group's members within its radius + 8 px;
- every label stands beside its own symbol (at most 6 px), nearer to it than to any other symbol, over
  no control and no other label;
- every hub in the opening view is reached by one tap on its symbol, or through its group, and its
  popup opens wholly on the screen with a close button a finger can hit;
- on a phone the map opens on its subject; the year view draws what the catalog's dates support.
"""

from __future__ import annotations

import pytest
from browser import open_page
from conftest import ROOT, page_data
from maptaps import OPEN_AREA, reach
from maptruth import MEASURE, faults

MAPS = ROOT / "maps"
MAP = "Object.values(window).find(v => v instanceof L.Map)"
DESKTOP, PHONE = (1440, 900), (390, 844)
ALL_MAPS = sorted(p.stem for p in MAPS.glob("*.html"))


def _zoom(page, step: float) -> None:  # type: ignore[no-untyped-def]
    page.evaluate(f"(d) => {{ const m = {MAP}; m.setZoom(m.getZoom() + d, {{animate: false}}); }}", step)
    page.wait_for_timeout(50)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("map_id", ALL_MAPS)
def test_symbols_and_labels_stand_where_they_belong(map_id: str, size: tuple[int, int]) -> None:
    with open_page(MAPS / f"{map_id}.html", *size, phone=size == PHONE) as (page, errors, _):
        for step, change in (("opening view", 0), ("in once", 1), ("in twice", 1), ("out again", -1)):
            if change:
                _zoom(page, change)
            state = page.evaluate(MEASURE)
            assert faults(state) == [], (map_id, size, step)
            assert change or state["symbols"] or state["groups"], map_id  # the opening view shows hubs
        assert errors == []


def test_the_checks_see_a_misplaced_symbol_and_a_stray_label() -> None:
    """The measure itself: a symbol pushed 20 px off its place and a label moved beside another symbol
    are both reported (so the test above can fail)."""
    with open_page(MAPS / "index.html", *DESKTOP) as (page, errors, _):
        assert faults(page.evaluate(MEASURE)) == []
        page.evaluate("""() => { const e = document.querySelector('.cm-hub[data-hub-id="astana"]');
            e.style.marginLeft = (parseFloat(e.style.marginLeft) + 20) + 'px'; }""")
        assert any("astana" in f and "from its place" in f for f in faults(page.evaluate(MEASURE)))
        page.evaluate("""() => { const label = document.querySelector('.cm-label[data-label-for="almaty"]'),
            other = document.querySelector('.cm-hub[data-hub-id="moyynty"]').getBoundingClientRect(),
            own = label.getBoundingClientRect();
            label.style.marginLeft = (parseFloat(label.style.marginLeft) + other.right + 1 - own.left) + 'px';
            label.style.marginTop = (parseFloat(label.style.marginTop) + other.top - own.top) + 'px'; }""")
        found = faults(page.evaluate(MEASURE))
        assert any("'Almaty'" in f for f in found), found


@pytest.mark.parametrize(("map_id", "size"), [("index", PHONE), ("dostyk-moyynty", PHONE), ("aktau-container-hub", DESKTOP)])
def test_every_hub_in_view_is_reached_and_its_popup_fits_the_screen(map_id: str, size: tuple[int, int]) -> None:
    phone = size == PHONE
    with open_page(MAPS / f"{map_id}.html", *size, phone=phone) as (page, errors, _):
        hubs = page.evaluate(OPEN_AREA)
        assert len(hubs) >= 5, hubs
        for hub_id, name in hubs:
            problem, popup = reach(page, hub_id, name, touch=phone)
            assert problem is None, (map_id, size, problem)
            assert popup["left"] >= 0 and popup["top"] >= 0 and popup["right"] <= size[0] and popup["bottom"] <= size[1], \
                (map_id, hub_id, popup)
            if phone:
                assert popup["close"] >= 40, popup
        assert errors == []


def test_a_group_opens_by_zooming_in_and_a_fan_marks_each_true_place() -> None:
    """Aktau port and the container hub share one point: the group zooms in while that separates others,
    then fans the two out, each symbol within 60 px of its place with a leader to a dot on it."""
    with open_page(MAPS / "aktau-container-hub.html", *DESKTOP) as (page, errors, _):
        for _ in range(8):
            group = page.locator(".cm-group[data-hub-ids~='aktau-container-hub']")
            if not group.count() or not group.is_visible():
                break
            group.click()
            page.wait_for_timeout(100)
        assert page.locator("path.cm-leader").count() == 2 and page.locator("path.cm-true-point").count() == 2
        state = page.evaluate(MEASURE)
        assert faults(state) == []
        fanned = {s["id"]: s for s in state["symbols"]}
        for hub_id in ("aktau", "aktau-container-hub"):
            s = fanned[hub_id]
            assert 10 < ((s["x"] - s["home"]["x"]) ** 2 + (s["y"] - s["home"]["y"]) ** 2) ** 0.5 <= 60
        _zoom(page, -1)  # a zoom closes the fan
        assert page.locator("path.cm-leader").count() == 0
        assert errors == []


@pytest.mark.parametrize("map_id", ["index", "dostyk-moyynty", "zhanaozen-turkmenistan-border"])
def test_on_a_phone_each_map_opens_on_its_subject_and_pans_both_ways(map_id: str) -> None:
    data = page_data((MAPS / f"{map_id}.html").read_text(encoding="utf-8"))
    (south, west), (north, east) = data["view"]
    with open_page(MAPS / f"{map_id}.html", *PHONE, phone=True) as (page, errors, _):
        box = page.evaluate(f"""([s, w, n, e]) => {{ const m = {MAP};
            const a = m.latLngToContainerPoint([n, w]), b = m.latLngToContainerPoint([s, e]);
            return [a.x, a.y, b.x, b.y, m.getSize().x, m.getSize().y]; }}""", [south, west, north, east])
        x0, y0, x1, y1, width, height = box
        assert x0 >= -1 and y0 >= -1 and x1 <= width + 1 and y1 <= height + 1, box  # the subject in view
        assert (x1 - x0) / width >= 0.6 or (y1 - y0) / height >= 0.6, box  # and filling it
        panels = page.evaluate("""() => [...document.querySelectorAll('.leaflet-control')].reduce((sum, e) => {
            const r = e.getBoundingClientRect(); return sum + r.width * r.height; }, 0)""")
        assert panels / (width * height) <= 0.25
        for dx, dy in ((0, 120), (0, -240), (120, 0)):
            before = page.evaluate(f"() => {MAP}.getCenter()")
            page.evaluate(f"([x, y]) => {MAP}.panBy([x, y], {{animate: false}})", [dx, dy])
            after = page.evaluate(f"() => {MAP}.getCenter()")
            assert before != after, (dx, dy)  # the map moves up, down and sideways
        assert errors == []


def test_on_a_phone_an_open_title_panel_leaves_the_search_box_clear() -> None:
    with open_page(MAPS / "index.html", *PHONE, phone=True) as (page, errors, _):
        page.locator(".cm-intro summary").tap()
        page.wait_for_timeout(100)
        search = page.locator(".cm-search input").bounding_box()
        panel = page.locator(".cm-intro").bounding_box()
        assert panel["y"] >= search["y"] + search["height"] or panel["x"] >= search["x"] + search["width"], (panel, search)
        page.locator(".cm-search input").tap()
        page.keyboard.type("Almaty")
        page.keyboard.press("Enter")
        page.locator(".leaflet-popup-content h3", has_text="Almaty").wait_for(timeout=3000)
        assert errors == []


def test_touch_sizes_follow_the_pointer_not_the_browser() -> None:
    """Desktop Chromium has pointer events, so Leaflet calls it touch; the fingertip sizes come only with
    a coarse pointer."""
    with open_page(MAPS / "index.html", *DESKTOP) as (page, errors, _):
        assert page.evaluate("() => L.Browser.touch")
        assert not page.evaluate("() => document.querySelector('.folium-map').classList.contains('cm-coarse')")
        size = page.locator(".cm-group").first.bounding_box()["width"]
    with open_page(MAPS / "index.html", *PHONE, phone=True) as (page, errors, _):
        assert page.evaluate("() => document.querySelector('.folium-map').classList.contains('cm-coarse')")
        assert page.locator(".cm-group").first.bounding_box()["width"] > size
