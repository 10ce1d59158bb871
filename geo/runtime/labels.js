/* corridor-mapper map runtime, part 5 of 8: hub labels and country names.
 *
 * A hub's label stands beside its own symbol: tried right, left, above and below it, then at its four
 * corners, always within 3 px of the symbol's box. A place is refused when the label would leave the
 * map, touch a control, another label or another symbol, or stand nearer to another symbol than to its
 * own (by the gap between boxes, and between centres); a label with no place is hidden. Labels are
 * placed in the order of their hubs' rank (geo/mapping.py: the map's subject, capitals, corridor
 * termini, project end points, ports, border crossings, then the rest), and country names, centred
 * on a point inside each country, after them where there is room. They are placed again after every
 * zoom, pan, resize, layer toggle, year change and fan.
 *
 * A group's label names its best-ranked member and how many more it holds ("Tashkent +2"), placed by
 * the same rules in the same order.
 *
 * Reads cm.hubs, cm.symbols() and cm.data.countries. DOM: each hub label carries data-label-for
 * (its hub's id), each group label data-group-label-for (its group's member ids); a label without
 * room is hidden with visibility: hidden.
 */
CM.labels = function (cm) {
  var map = cm.map, GAP = 3;  // px between a label and its symbol's box
  var LabelIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var element = L.DivIcon.prototype.createIcon.call(this, old);
      if (this.options.labelFor) element.dataset.labelFor = this.options.labelFor;
      return element;
    }
  });
  var items = cm.hubs.map(function (h) {
    return h.label = {hub: h, marker: L.marker(h.home, {
      icon: new LabelIcon({html: cm.text(cm.named(h.hub) === h.hub.name ? h.hub.label : cm.named(h.hub)),
                           className: "cm-label cm-label-" + h.hub.id, iconSize: null, iconAnchor: [0, 0], labelFor: h.hub.id}),
      interactive: false, keyboard: false, pane: "cm-labels"
    }).addTo(cm.labelLayer)};
  });
  var groupLabels = [];  // a group's label, "Tashkent +2": its best-ranked member's name and how many more
  function groupLabel(n) {
    return groupLabels[n] || (groupLabels[n] = {marker: L.marker([0, 0], {
      icon: new LabelIcon({html: cm.text(""), className: "cm-group-label", iconSize: null, iconAnchor: [0, 0]}),
      interactive: false, keyboard: false, pane: "cm-labels"
    })});
  }
  var countries = cm.data.countries.map(function (country) {
    return {marker: L.marker([country.lat, country.lon], {
      icon: new LabelIcon({html: cm.text(cm.named(country)), className: "cm-country", iconSize: null, iconAnchor: [0, 0]}),
      interactive: false, keyboard: false, pane: "cm-labels"
    }).addTo(cm.basemapGroup)};
  });

  function pageBoxes() {  // the map's box and its controls' boxes, relative to the map
    var container = map.getContainer(), frame = container.getBoundingClientRect();
    return {width: frame.width, height: frame.height, controls: Array.prototype.map.call(
      container.querySelectorAll(".leaflet-control"), function (c) {
        var b = c.getBoundingClientRect();
        return {left: b.left - frame.left, top: b.top - frame.top, right: b.right - frame.left, bottom: b.bottom - frame.top};
      })};
  }
  function gap(a, b) {  // the distance between two boxes (0 where they touch or overlap)
    var dx = Math.max(a.left - b.right, b.left - a.right, 0), dy = Math.max(a.top - b.bottom, b.top - a.bottom, 0);
    return Math.hypot(dx, dy);
  }
  function around(s) { return {left: s.p.x - s.r, top: s.p.y - s.r, right: s.p.x + s.r, bottom: s.p.y + s.r}; }
  function centre(b) { return L.point((b.left + b.right) / 2, (b.top + b.bottom) / 2); }
  function measure(item) {  // a label's size, read once (it does not depend on where the label is)
    if (!item.size) {
      var b = item.marker.getElement().getBoundingClientRect();
      item.size = [b.width, b.height];
    }
    return item.size;
  }

  function place(boxes) {
    boxes = boxes || pageBoxes();
    var symbols = cm.symbols(), taken = CM.grid(64), near = CM.grid(128);
    function take(box) { taken.box(box.left - 2, box.top - 1, box.right + 2, box.bottom + 1, function (list) { list.push(box); }); }
    function clashes(box) {
      var clash = false;
      taken.box(box.left - 2, box.top - 1, box.right + 2, box.bottom + 1, function (list) {
        clash = clash || list.some(function (p) {
          return box.left < p.right + 2 && box.right + 2 > p.left && box.top < p.bottom + 1 && box.bottom + 1 > p.top;
        });
      });
      return clash;
    }
    function nearerOther(box, own) {  // does another symbol stand as near the label as its own, or nearer?
      var mine = around(own), c = centre(box), toOwn = gap(box, mine), centres = c.distanceTo(own.p), other = false;
      near.near(c.x, c.y, function (s) {
        if (other || s === own) return;
        other = gap(box, around(s)) <= toOwn + 2 || c.distanceTo(s.p) <= centres;
      });
      return other;
    }
    boxes.controls.forEach(take);
    symbols.forEach(function (s) { near.add(s.p.x, s.p.y, s); });
    var bySymbol = new Map();
    symbols.forEach(function (s) { if (s.hub) bySymbol.set(s.hub, s); });
    var labelsOn = map.hasLayer(cm.labelLayer);
    var groups = symbols.filter(function (s) { return s.group; });
    groups.forEach(function (s, n) {  // each group's label, written for this placing
      var item = groupLabel(n), leader = s.group.members[0], text = cm.named(leader.hub) === leader.hub.name ? leader.hub.label : cm.named(leader.hub);
      item.rank = leader.hub.rank;
      item.marker.setLatLng(s.group.latlng);
      if (!labelsOn) { cm.labelLayer.removeLayer(item.marker); return; }
      item.marker.addTo(cm.labelLayer);
      var element = item.marker.getElement(), value = text + " +" + (s.group.members.length - 1);
      if (element.textContent !== value) { element.firstChild.textContent = value; item.size = null; }
      element.dataset.groupLabelFor = s.element.dataset.hubIds;
    });
    groupLabels.slice(groups.length).forEach(function (item) { cm.labelLayer.removeLayer(item.marker); });
    // Every new label's size read at once, before any is moved: one layout of the page, not one a label.
    items.concat(groupLabels.slice(0, groups.length), countries).forEach(function (item) {
      if (!item.size && item.marker.getElement()) measure(item);
    });
    var queue = items.map(function (item) { return {item: item, own: bySymbol.get(item.hub), rank: item.hub.hub.rank}; })
      .concat(groups.map(function (s, n) { return {item: groupLabels[n], own: s, rank: groupLabels[n].rank}; }))
      .sort(function (a, b) { return a.rank - b.rank; });
    queue.forEach(function (entry) {
      var item = entry.item, own = entry.own, element = item.marker.getElement();
      if (!element) return;
      var fits = false;
      if (labelsOn && own && own.p.x >= 0 && own.p.y >= 0 && own.p.x <= boxes.width && own.p.y <= boxes.height) {
        var size = measure(item), w = size[0], h = size[1], r = own.r, x = own.p.x, y = own.p.y;
        var sides = [[r + GAP, -h / 2], [-r - GAP - w, -h / 2], [-w / 2, -r - GAP - h], [-w / 2, r + GAP],
                     [r, -r - GAP - h + 2], [r, r + GAP - 2], [-r - w, -r - GAP - h + 2], [-r - w, r + GAP - 2]];
        fits = sides.some(function (side) {
          var box = {left: x + side[0], top: y + side[1], right: x + side[0] + w, bottom: y + side[1] + h};
          if (box.left < 0 || box.top < 0 || box.right > boxes.width || box.bottom > boxes.height) return false;
          if (clashes(box) || nearerOther(box, own)) return false;
          take(box);
          var at = item.hub ? item.hub.marker.getLatLng() : own.group.latlng;
          if (!at.equals(item.marker.getLatLng())) item.marker.setLatLng(at);
          element.style.marginLeft = side[0] + "px";
          element.style.marginTop = side[1] + "px";
          return true;
        });
      }
      element.style.visibility = fits ? "" : "hidden";
    });
    symbols.forEach(function (s) { take(around(s)); });
    var basemapOn = map.hasLayer(cm.basemapGroup);
    countries.forEach(function (item) {
      var element = item.marker.getElement();
      if (!element) return;
      var fits = false;
      if (basemapOn) {
        var size = measure(item), p = map.latLngToContainerPoint(item.marker.getLatLng());
        var box = {left: p.x - size[0] / 2, top: p.y - size[1] / 2, right: p.x + size[0] / 2, bottom: p.y + size[1] / 2};
        fits = box.left >= 0 && box.top >= 0 && box.right <= boxes.width && box.bottom <= boxes.height && !clashes(box);
        if (fits) {
          take(box);
          element.style.marginLeft = -size[0] / 2 + "px";
          element.style.marginTop = -size[1] / 2 + "px";
        }
      }
      element.style.visibility = fits ? "" : "hidden";
    });
  }
  cm.placeLabels = place;

  // The page's boxes are read as a move starts, before anything moves (read after, they would force a
  // layout of the page's symbols and labels); symbols placed again bring the labels with them.
  var atStart = null, placed = false;
  map.on("movestart", function () { atStart = pageBoxes(); placed = false; });
  map.on("cm:symbols", function () { place(atStart); placed = true; });
  map.on("moveend", function () { if (!placed) place(atStart); atStart = null; placed = false; });
  map.on("resize", function () { place(); });
};
