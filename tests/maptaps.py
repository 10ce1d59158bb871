"""Reaching every hub of a map as a person does: a tap (or click) on its symbol, or on its group and
then on the symbol, and the popup that opens, measured against the screen."""

from __future__ import annotations

from playwright.sync_api import Page

SYMBOL_AT = """id => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const frame = map.getContainer().getBoundingClientRect();
    const own = document.querySelector(`.cm-hub[data-hub-id="${id}"]`);
    const seen = e => e && getComputedStyle(e).display !== "none" && e.getBoundingClientRect().width > 0;
    const centre = e => { const r = e.getBoundingClientRect(); return {x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2}; };
    const controls = [...document.querySelectorAll(".leaflet-control")].map(c => c.getBoundingClientRect());
    const inFrame = p => p.x > frame.left && p.x < frame.right && p.y > frame.top && p.y < frame.bottom &&
        !controls.some(c => p.x >= c.left && p.x <= c.right && p.y >= c.top && p.y <= c.bottom);
    if (seen(own) && inFrame(centre(own))) return {kind: "hub", ...centre(own)};
    const group = [...document.querySelectorAll(".cm-group")].find(g => seen(g) && g.dataset.hubIds.split(" ").includes(id));
    if (group && inFrame(centre(group))) return {kind: "group", ...centre(group)};
    return null;
}"""
POPUP = """() => { const p = document.querySelector(".leaflet-popup");
    if (!p) return null;
    const r = p.getBoundingClientRect(), c = document.querySelector(".leaflet-popup-close-button").getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, title: (p.querySelector("h3") || p).textContent,
            close: Math.min(c.width, c.height)}; }"""
OPEN_AREA = """() => {  // the hubs whose places lie in the map's open area (inside it, under no control)
    const map = Object.values(window).find(v => v instanceof L.Map);
    const frame = map.getContainer().getBoundingClientRect();
    const controls = [...document.querySelectorAll(".leaflet-control")].map(c => c.getBoundingClientRect());
    return JSON.parse(document.getElementById("cm-data").textContent).hubs.filter(h => {
        const p = map.latLngToContainerPoint([h.lat, h.lon]), x = p.x + frame.left, y = p.y + frame.top;
        return p.x > 2 && p.y > 2 && p.x < frame.width - 2 && p.y < frame.height - 2 &&
               !controls.some(c => x >= c.left - 4 && x <= c.right + 4 && y >= c.top - 4 && y <= c.bottom + 4);
    }).map(h => [h.id, h.name]);
}"""
STILL = """() => { const m = Object.values(window).find(v => v instanceof L.Map);
    return !(m._panAnim && m._panAnim._inProgress) && !m._animatingZoom; }"""
VIEW = """() => { const m = Object.values(window).find(v => v instanceof L.Map); return [m.getCenter(), m.getZoom()]; }"""
RESTORE = """([c, z]) => { const m = Object.values(window).find(v => v instanceof L.Map);
    m.closePopup();
    if (document.querySelector(".cm-leader")) m.setView(c, z + 1, {animate: false});  // a zoom closes a fan
    const now = m.getCenter();
    if (m.getZoom() !== z || Math.abs(now.lat - c.lat) > 1e-9 || Math.abs(now.lng - c.lng) > 1e-9) m.setView(c, z, {animate: false});
}"""  # back to where the person started


def press(page: Page, x: float, y: float, touch: bool) -> None:
    if touch:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def reach(page: Page, hub_id: str, name: str, touch: bool, restore: bool = True) -> tuple[str | None, dict | None]:
    """Tap a hub's symbol (through its group if it is in one): what went wrong, and the popup's box;
    ``restore``: close the popup and go back to the view as it was."""
    view = page.evaluate(VIEW)
    found = _tap_through(page, hub_id, name, touch)
    if restore:
        page.evaluate(RESTORE, view)
        page.wait_for_function("() => !document.querySelector('.leaflet-popup')")  # a closed popup fades out for 0.2 s
        page.wait_for_function(STILL)
    return found


def _tap_through(page: Page, hub_id: str, name: str, touch: bool) -> tuple[str | None, dict | None]:
    for _ in range(8):  # a group opens by zooming in (maybe more than once) or by fanning out
        at = page.evaluate(SYMBOL_AT, hub_id)
        if at is None:
            return f"{hub_id}: no symbol or group to tap", None
        press(page, at["x"], at["y"], touch)
        page.wait_for_timeout(50)
        page.wait_for_function(STILL)  # a popup's pan to fit the screen takes a quarter of a second
        page.wait_for_timeout(80)
        page.wait_for_function(STILL)
        if at["kind"] == "hub":
            popup = page.evaluate(POPUP)
            if popup is None or name not in popup["title"]:
                return f"{hub_id}: a tap on its symbol opened {popup and popup['title']!r}", popup
            return None, popup
    return f"{hub_id}: its group never let it out", None
