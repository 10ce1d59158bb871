/* corridor-mapper map runtime, part 4 of 8: hub symbols, the groups of hubs too close to draw apart,
 * and which symbol a click or a tap reaches.
 *
 * Every hub symbol is drawn centred on its own coordinates, at every zoom. Where symbols would cover
 * each other (centres closer than SPACING px), the best-ranked of them leads a group, and the group is
 * drawn as one numbered symbol at the centre of the smallest circle round its members: each member
 * lies at most SPACING px from it, less than the group symbol's radius plus 8 px. A click or tap on a
 * group zooms in until its members stand apart; where no zoom can (the deepest zoom), it fans them out
 * round the group, each at most 60 px from its place with a leader line to a dot on its true point;
 * the fan closes on a zoom or a click elsewhere. (Leaflet.markercluster was weighed: it places a
 * cluster at its members' mean, up to twice its radius from a member, moves markers in animations of
 * its own that the labels cannot follow, and draws its spider legs to the cluster's centre rather
 * than to each member's place.)
 *
 * A click is given to the symbol whose centre is nearest to it, so no symbol's target covers a
 * neighbour's centre; on a coarse pointer (a finger: the media query, not L.Browser.touch) a tap
 * within TAP px of a symbol reaches it too, without invisible targets.
 *
 * Reads cm.data.hubs and cm.data.icons. Sets cm.hubs (each: hub, marker, home, size, gone, grouped,
 * shownAt), cm.symbols() (every symbol drawn: its container point, radius and action), cm.openHub(h)
 * and fires "cm:symbols" whenever symbols are placed again. DOM: each symbol's element carries
 * data-hub-id, each group's data-hub-ids (its members' ids, space-separated).
 */
CM.hubs = function (cm) {
  var map = cm.map, data = cm.data, coarse = cm.coarse;
  var SPACING = coarse ? 22 : 14;  // px between symbol centres below which symbols are grouped
  var GROUP = coarse ? 32 : 24;  // a group symbol's diameter: every member within its radius + 8 px of it
  var TAP = coarse ? 24 : 0;  // px round a symbol's centre that a finger's tap still reaches
  var DEEPEST = 18;  // the deepest zoom a group opens to (the routes' grid: geo/mapping.py's ROUTE_WORLD)
  var FAN = 36;  // px from a fanned group's centre to its members: at most FAN + SPACING (58) from their places
  var templates = {};  // kind -> its symbol, parsed once from the data's SVG text and copied for each hub
  Object.keys(data.icons).forEach(function (kind) {
    var template = document.createElement("template");
    template.innerHTML = data.icons[kind].html;  // geo/style.py's own SVG, no catalog text
    templates[kind] = template.content.firstElementChild;
  });
  var HubIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var element = L.DivIcon.prototype.createIcon.call(this, old);
      element.dataset.hubId = this.options.hubId;
      return element;
    }
  });
  cm.hubs = data.hubs.map(function (hub) {
    var size = data.icons[hub.kind].size;
    var marker = L.marker([hub.lat, hub.lon], {
      icon: new HubIcon({html: templates[hub.kind].cloneNode(true), iconSize: [size, size], hubId: hub.id,
                         className: "cm-hub cm-hub-" + hub.id + (hub.context ? " cm-context" : "")}),
      riseOnHover: true, title: ""
    });
    marker.bindPopup(cm.popup(hub.popup), L.extend({offset: [0, -size / 2 + 6]}, cm.popupOptions))
      .bindTooltip(function () { return cm.text(cm.named(hub)); }, {direction: "top", offset: [0, -size / 2]})
      .addTo(cm.groups[hub.group]);
    return {hub: hub, marker: marker, home: L.latLng(hub.lat, hub.lon), size: size, gone: false, grouped: null};
  }).sort(function (a, b) { return a.hub.rank - b.hub.rank; });

  function shown(h) { return !h.gone && map.hasLayer(cm.groups[h.hub.group]); }
  function display(h, visible) { if (h.marker.getElement()) h.marker.getElement().style.display = visible ? "" : "none"; }

  // The smallest circle round a few points (Welzl's algorithm, points taken in turn).
  function circle(points) {
    function inside(c, p) { return Math.hypot(p.x - c.x, p.y - c.y) <= c.r + 1e-7; }
    function two(a, b) { return {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, r: Math.hypot(a.x - b.x, a.y - b.y) / 2}; }
    function three(a, b, c) {
      var d = 2 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y));
      if (Math.abs(d) < 1e-12) {  // in a line: the circle round the two furthest apart
        return [two(a, b), two(a, c), two(b, c)].sort(function (p, q) { return q.r - p.r; })[0];
      }
      var a2 = a.x * a.x + a.y * a.y, b2 = b.x * b.x + b.y * b.y, c2 = c.x * c.x + c.y * c.y;
      var x = (a2 * (b.y - c.y) + b2 * (c.y - a.y) + c2 * (a.y - b.y)) / d;
      var y = (a2 * (c.x - b.x) + b2 * (a.x - c.x) + c2 * (b.x - a.x)) / d;
      return {x: x, y: y, r: Math.hypot(a.x - x, a.y - y)};
    }
    var c = {x: points[0].x, y: points[0].y, r: 0};
    for (var i = 1; i < points.length; i++) {
      if (inside(c, points[i])) continue;
      c = {x: points[i].x, y: points[i].y, r: 0};
      for (var j = 0; j < i; j++) {
        if (inside(c, points[j])) continue;
        c = two(points[i], points[j]);
        for (var k = 0; k < j; k++) if (!inside(c, points[k])) c = three(points[i], points[j], points[k]);
      }
    }
    return c;
  }

  var GroupIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var element = L.DivIcon.prototype.createIcon.call(this, old);
      element.setAttribute("role", "button");
      return element;
    }
  });
  var groupLayer = L.layerGroup().addTo(map), pool = [], groups = [];
  function groupMarker(n) {  // the n-th group symbol, reused from one placing to the next
    return pool[n] || (pool[n] = L.marker([0, 0], {
      icon: new GroupIcon({html: cm.text(""), className: "cm-group", iconSize: [GROUP, GROUP]}),
      keyboard: true, zIndexOffset: -1000
    }).on("click", function () { openGroup(this.group); }));
  }

  // Groups and symbols that would still overlap are joined where the joined group stays small enough
  // (every member within the group symbol's radius + 6 px of its centre).
  function merge(clusters, points, visible) {
    if (clusters.length > 400) return clusters;  // many symbols: the grouping alone keeps their centres apart
    var items = clusters.map(function (list) {
      var c = list.length > 1 ? circle(list.map(function (i) { return points[i]; })) : {x: points[list[0]].x, y: points[list[0]].y};
      return {list: list, c: c, r: list.length > 1 ? GROUP / 2 : visible[list[0]].size / 2};
    });
    for (var joined = true; joined;) {
      joined = false;
      for (var a = 0; a < items.length && !joined; a++) {
        for (var b = a + 1; b < items.length && !joined; b++) {
          var p = items[a], q = items[b];
          if (Math.hypot(p.c.x - q.c.x, p.c.y - q.c.y) >= p.r + q.r) continue;
          var list = p.list.concat(q.list), c = circle(list.map(function (i) { return points[i]; }));
          if (c.r > GROUP / 2 + 6) continue;
          items.splice(b, 1);
          items[a] = {list: list.sort(function (i, j) { return i - j; }), c: c, r: GROUP / 2};
          joined = true;
        }
      }
    }
    return items.map(function (item) { return item.list; });
  }

  // Symbols placed for the zoom shown: best-ranked first, each hub leads a group unless a leader is
  // within SPACING px; a hub alone is drawn at its place, a group at the centre round its members.
  function regroup() {
    closeFan();
    var visible = cm.hubs.filter(shown), seeds = CM.grid(SPACING), lead = [];
    var points = visible.map(function (h) { return map.latLngToLayerPoint(h.home); });
    points.forEach(function (p, i) {
      var best = -1, nearest = SPACING;
      seeds.near(p.x, p.y, function (j) {
        var d = points[j].distanceTo(p);
        if (d < nearest || (d === nearest && best < 0)) { nearest = d; best = j; }
      });
      lead.push(best < 0 ? i : best);
      if (best < 0) seeds.add(p.x, p.y, i);
    });
    var members = {};
    lead.forEach(function (l, i) { (members[l] = members[l] || []).push(i); });
    var clusters = merge(Object.keys(members).map(function (l) { return members[l]; }), points, visible);
    groups = [];
    cm.hubs.forEach(function (h) { if (!shown(h)) { h.grouped = null; display(h, false); } });
    clusters.forEach(function (list) {
      if (list.length === 1) {
        var alone = visible[list[0]];
        alone.grouped = null;
        display(alone, true);
        return;
      }
      var c = circle(list.map(function (i) { return points[i]; }));
      var group = {members: list.map(function (i) { return visible[i]; }), latlng: map.layerPointToLatLng(L.point(c.x, c.y))};
      group.marker = groupMarker(groups.length);
      group.marker.group = group;
      group.marker.setLatLng(group.latlng).addTo(groupLayer);
      var element = group.marker.getElement();
      element.style.display = "";  // shown again after a fan
      element.firstChild.textContent = String(list.length);
      element.dataset.hubIds = group.members.map(function (h) { return h.hub.id; }).join(" ");
      element.title = group.members.map(function (h) { return cm.named(h.hub); }).join(", ");
      element.setAttribute("aria-label", element.title);
      group.members.forEach(function (h) { h.grouped = group; display(h, false); });
      groups.push(group);
    });
    pool.slice(groups.length).forEach(function (marker) { groupLayer.removeLayer(marker); });
    map.fire("cm:symbols");
  }

  // A group opened: zoomed in until its members stand apart, or fanned out where no zoom can.
  var tapGuard = null;
  function openGroup(group) {
    // The next tap, on a member that now stands near where the group stood, is no double tap to zoom.
    if (map.doubleClickZoom.enabled() || tapGuard) {
      map.doubleClickZoom.disable();
      clearTimeout(tapGuard);  // counted from the last group opened
      tapGuard = setTimeout(function () { tapGuard = null; map.doubleClickZoom.enable(); }, 700);
    }
    var zoom = map.getZoom(), nearest = Infinity, list = group.members;
    for (var i = 0; i < list.length; i++) {
      for (var j = 0; j < i; j++) {  // hubs on one point never stand apart: the others decide the zoom
        var d = map.project(list[i].home, zoom).distanceTo(map.project(list[j].home, zoom));
        if (d > 0.01) nearest = Math.min(nearest, d);
      }
    }
    var snap = map.options.zoomSnap || 1;
    var apart = GROUP + 14;  // px at which no grouping or joining (merge) keeps two symbols together
    var needed = nearest < Infinity ? Math.max(zoom + snap, Math.ceil((zoom + Math.log(apart / nearest) / Math.LN2) / snap) * snap) : Infinity;
    if (needed > Math.min(map.getMaxZoom(), DEEPEST)) { fan(group); return; }
    var bounds = L.latLngBounds(list.map(function (h) { return h.home; })), pad = cm.padding();
    var fits = map.getBoundsZoom(bounds, false, L.point(pad.paddingTopLeft).add(pad.paddingBottomRight));
    if (Math.min(needed, fits) > zoom) {  // as far in as separates them, or as keeps them all in view
      map.fitBounds(bounds, L.extend(pad, {maxZoom: needed}));
    } else {  // they lie far apart but some nearly on one point: one step in at the group, then again
      map.setView(group.latlng, Math.min(zoom + 1, needed), {animate: false});
    }
  }

  var fanLayer = L.layerGroup().addTo(map), fanned = null;
  function fan(group) {
    closeFan();
    var centre = map.latLngToLayerPoint(group.latlng), n = group.members.length;
    var order = group.members.slice().sort(function (a, b) {  // round the circle in the order of their places
      var p = map.latLngToLayerPoint(a.home).subtract(centre), q = map.latLngToLayerPoint(b.home).subtract(centre);
      return Math.atan2(p.y, p.x) - Math.atan2(q.y, q.x);
    });
    group.marker.getElement().style.display = "none";
    order.forEach(function (h, k) {
      var angle = -Math.PI / 2 + 2 * Math.PI * k / n, at = map.layerPointToLatLng(centre.add(L.point(Math.cos(angle) * FAN, Math.sin(angle) * FAN)));
      L.polyline([h.home, at], {color: "#fff", weight: 5, opacity: 0.9, interactive: false, className: "cm-leader-casing"}).addTo(fanLayer);
      L.polyline([h.home, at], {color: "#1a1a1a", weight: 2, interactive: false, className: "cm-leader"}).addTo(fanLayer);
      L.circleMarker(h.home, {radius: 3.5, color: "#fff", weight: 1.5, fillColor: "#1a1a1a", fillOpacity: 1,
                              interactive: false, className: "cm-true-point"}).addTo(fanLayer);
      h.marker.setLatLng(at);
      h.grouped = null;
      h.fanned = true;
      display(h, true);
    });
    fanned = group;
    map.fire("cm:symbols");
  }
  function closeFan() {
    if (!fanned) return;
    fanLayer.clearLayers();
    fanned.members.forEach(function (h) { h.marker.setLatLng(h.home); h.fanned = false; });
    fanned = null;
  }
  cm.closeFan = function () { if (fanned) { closeFan(); regroup(); } };

  // Every symbol drawn now: its container point, radius, element and what a click on it does.
  cm.symbols = function () {
    var out = [];
    cm.hubs.forEach(function (h) {
      if (!shown(h) || h.grouped) return;
      out.push({p: map.latLngToContainerPoint(h.marker.getLatLng()), r: h.size / 2, hub: h,
                element: h.marker.getElement(), open: function () { h.marker.openPopup(); }});
    });
    groups.forEach(function (g) {
      if (g === fanned) return;
      out.push({p: map.latLngToContainerPoint(g.latlng), r: GROUP / 2, group: g, element: g.marker.getElement(),
                open: function () { openGroup(g); }});
    });
    return out;
  };
  cm.openHub = function (h) {  // a hub's popup, from its group if it is in one
    if (h.grouped) {
      var zoom = Math.min(map.getMaxZoom(), Math.max(map.getZoom(), data.searchZoom));
      map.setView(h.home, zoom, {animate: false});
      if (h.grouped) fan(h.grouped);
    }
    h.marker.openPopup();
  };

  // A click or tap goes to the nearest symbol's centre: on a symbol, to whichever is nearest; with a
  // finger, also a tap beside one (within TAP px).
  map.getContainer().addEventListener("click", function (event) {
    if (!event.target.closest || event.target.closest(".leaflet-control, .leaflet-popup")) return;
    var on = event.target.closest(".cm-hub, .cm-group");
    if (!on && (!TAP || (map.dragging && map.dragging.moved()))) { if (!on) cm.closeFan(); return; }
    var frame = map.getContainer().getBoundingClientRect(), x = event.clientX - frame.left, y = event.clientY - frame.top;
    var best = null, reach = on ? Infinity : TAP;
    cm.symbols().forEach(function (s) {
      var d = Math.hypot(s.p.x - x, s.p.y - y);
      if (d < reach) { reach = d; best = s; }
    });
    if (!best) { cm.closeFan(); return; }
    if (best.element === on) return;  // Leaflet gives the click to that symbol itself
    event.stopPropagation();
    event.preventDefault();
    best.open();
  }, true);

  map.on("zoomend overlayadd overlayremove cm:year", regroup);
  map.on("zoomstart", closeFan);
};
