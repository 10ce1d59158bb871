"""What a planner relies on in a map, measured in the browser: where each symbol, group and label is
drawn against where it belongs. Shared by the map truth tests (and usable by hand on any map page)."""

from __future__ import annotations

MEASURE = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const frame = map.getContainer().getBoundingClientRect();
    const data = JSON.parse(document.getElementById("cm-data").textContent);
    const home = {};
    data.hubs.forEach(h => { home[h.id] = map.latLngToContainerPoint([h.lat, h.lon]); });
    const visible = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
        return s.display !== "none" && s.visibility !== "hidden" && r.width > 0 &&
               r.right > frame.left && r.left < frame.right && r.bottom > frame.top && r.top < frame.bottom; };
    const box = e => { const r = e.getBoundingClientRect();
        return {left: r.left - frame.left, top: r.top - frame.top, right: r.right - frame.left, bottom: r.bottom - frame.top}; };
    const symbols = [...document.querySelectorAll(".cm-hub")].filter(visible).map(e => {
        const b = box(e); return {id: e.dataset.hubId, box: b, x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2,
                                  home: home[e.dataset.hubId], fanned: !!document.querySelector(".cm-leader")}; });
    const groups = [...document.querySelectorAll(".cm-group")].filter(visible).map(e => {
        const b = box(e); return {ids: e.dataset.hubIds.split(" "), box: b, x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2,
                                  r: (b.right - b.left) / 2, homes: e.dataset.hubIds.split(" ").map(id => home[id])}; });
    const labels = [...document.querySelectorAll(".cm-label")].filter(visible).map(e => ({id: e.dataset.labelFor, box: box(e),
                                                                                           text: e.textContent}));
    const controls = [...document.querySelectorAll(".leaflet-control")].filter(visible).map(box);
    const inside = data.hubs.filter(h => { const p = home[h.id]; return p.x >= 0 && p.y >= 0 && p.x <= frame.width && p.y <= frame.height; })
        .map(h => h.id);
    return {symbols, groups, labels, controls, inside, zoom: map.getZoom(), width: frame.width, height: frame.height};
}"""


def gap(a: dict, b: dict) -> float:
    """The distance between two boxes, 0 where they touch or overlap."""
    dx = max(a["left"] - b["right"], b["left"] - a["right"], 0)
    dy = max(a["top"] - b["bottom"], b["top"] - a["bottom"], 0)
    return (dx * dx + dy * dy) ** 0.5


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5


def faults(state: dict) -> list[str]:
    """Every misplaced symbol, group member or label in one measured state (MEASURE's result)."""
    out = []
    fanned = any(s["fanned"] for s in state["symbols"])
    for s in state["symbols"]:
        off = ((s["x"] - s["home"]["x"]) ** 2 + (s["y"] - s["home"]["y"]) ** 2) ** 0.5
        if off > (60 if fanned else 3):
            out.append(f"symbol {s['id']} drawn {off:.0f} px from its place")
    for g in state["groups"]:
        for hid, p in zip(g["ids"], g["homes"]):
            off = ((g["x"] - p["x"]) ** 2 + (g["y"] - p["y"]) ** 2) ** 0.5
            if off > g["r"] + 8:
                out.append(f"group member {hid} {off:.0f} px from its group's centre (radius {g['r']:.0f})")
    own = {s["id"]: s for s in state["symbols"]}
    marks = [(s["id"], s["box"]) for s in state["symbols"]] + [(" ".join(g["ids"]), g["box"]) for g in state["groups"]]
    for label in state["labels"]:
        mine = own.get(label["id"])
        if mine is None:
            out.append(f"label {label['text']!r} shown without its symbol")
            continue
        to_own = gap(label["box"], mine["box"])
        if to_own > 6:
            out.append(f"label {label['text']!r} {to_own:.1f} px from its symbol")
        for other, b in marks:
            if other != label["id"] and gap(label["box"], b) <= to_own:
                out.append(f"label {label['text']!r} as near symbol {other} as its own")
        for c in state["controls"]:
            if overlap(label["box"], c):
                out.append(f"label {label['text']!r} under a control")
    for i, a in enumerate(state["labels"]):
        for b in state["labels"][i + 1:]:
            if overlap(a["box"], b["box"]):
                out.append(f"labels {a['text']!r} and {b['text']!r} overlap")
    return out
