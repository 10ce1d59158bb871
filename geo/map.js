/* corridor-mapper map runtime: draws one map's data (built by geo/mapping.py) on folium's shell.
 * It owns the layer groups (listed in folium's layer control), the context layers (on a canvas),
 * the route lines (main line plus the mode's inner line), hub icons, hub labels that never
 * overlap (each other, the controls or the edge of the map), the hub search box, the title and legend
 * panels (collapsed on small screens) and the initial view. Catalog text is
 * inserted with textContent only; popups, panels and layer names arrive as HTML escaped in Python.
 */
function corridorMap(map, control, data) {
  "use strict";

  function overlay(name) {  // a layer group, shown and listed in the layer control (name: escaped HTML)
    var group = L.featureGroup().addTo(map);
    control.addOverlay(group, name);
    return group;
  }
  var basemap = overlay("Countries, rivers and lakes (offline basemap)");
  var contextGroups = data.context.map(function (layer) { return overlay(layer.name); });
  var groups = data.groups.map(overlay);
  var labelLayer = overlay("Hub labels");

  function textElement(value) {
    var element = document.createElement("span");
    element.textContent = value;
    return element;
  }

  // The built-in basemap sits beneath the tiles: visible wherever tiles cannot load.
  map.createPane("cm-basemap").style.zIndex = 150;
  L.geoJSON(data.basemap, {  // countries filled, then rivers and lake shores as blue lines
    pane: "cm-basemap", interactive: false,
    style: function (feature) {
      var water = feature.properties.water;
      if (water) return {color: "#6a9fc8", weight: water === "river" ? 1.2 : 0.9, opacity: 0.9, fill: false};
      return {color: "#9e9e9e", weight: 0.8, fillColor: "#f2efe9", fillOpacity: 1};
    }
  }).addTo(basemap);

  // Context layers: lines already projected to Web Mercator integers (delta-encoded) and drawn
  // straight onto one canvas per layer beneath the corridors; hover finds the nearest line.
  var ContextLines = L.Layer.extend({
    initialize: function (layer) {
      this._layer = layer;
      this._lines = layer.lines.map(function (deltas) {
        var xy = new Float64Array(deltas.length), x = 0, y = 0;
        for (var j = 0; j < deltas.length; j += 2) {
          x += deltas[j]; y += deltas[j + 1]; xy[j] = x; xy[j + 1] = y;
        }
        return xy;
      });
      this._boxes = this._lines.map(function (xy) {
        var box = [Infinity, Infinity, -Infinity, -Infinity];
        for (var j = 0; j < xy.length; j += 2) {
          box[0] = Math.min(box[0], xy[j]); box[1] = Math.min(box[1], xy[j + 1]);
          box[2] = Math.max(box[2], xy[j]); box[3] = Math.max(box[3], xy[j + 1]);
        }
        return box;
      });
      this._tip = L.tooltip({sticky: true});
    },
    getAttribution: function () { return this._layer.attribution; },  // escaped in Python
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "cm-context leaflet-zoom-hide");
      this._canvas.dataset.lines = this._lines.length;
      this._canvas.dataset.layer = this._layer.id;
      var pane = map.getPanes().overlayPane;
      pane.insertBefore(this._canvas, pane.firstChild);
      map.on("moveend zoomend resize", this._draw, this);
      if (this._layer.tooltips || this._layer.tooltip) map.on("mousemove", this._hover, this);
      this._draw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize", this._draw, this).off("mousemove", this._hover, this);
      map.closeTooltip(this._tip);
    },
    _scale: function () {  // layer pixel = world unit * k - pixel origin
      var origin = this._map.getPixelOrigin();
      return {k: 256 * Math.pow(2, this._map.getZoom()) / this._layer.world, x: origin.x, y: origin.y};
    },
    _draw: function () {
      var map = this._map, size = map.getSize(), corner = map.containerPointToLayerPoint([0, 0]);
      var ratio = window.devicePixelRatio || 1, canvas = this._canvas, s = this._scale();
      L.DomUtil.setPosition(canvas, corner);
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d"), dx = -s.x - corner.x, dy = -s.y - corner.y;
      var view = [-dx / s.k, -dy / s.k, (size.x - dx) / s.k, (size.y - dy) / s.k];
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.strokeStyle = this._layer.style.color; ctx.lineWidth = this._layer.style.weight;
      ctx.globalAlpha = this._layer.style.opacity; ctx.lineJoin = ctx.lineCap = "round";
      ctx.beginPath();
      for (var i = 0; i < this._lines.length; i++) {
        var xy = this._lines[i], box = this._boxes[i];
        if (box[2] < view[0] || box[0] > view[2] || box[3] < view[1] || box[1] > view[3]) continue;
        ctx.moveTo(xy[0] * s.k + dx, xy[1] * s.k + dy);
        for (var j = 2; j < xy.length; j += 2) ctx.lineTo(xy[j] * s.k + dx, xy[j + 1] * s.k + dy);
      }
      ctx.stroke();
    },
    _hover: function (event) {
      var s = this._scale(), reach = 6, best = null, bestPx = reach;
      var wx = (event.layerPoint.x + s.x) / s.k, wy = (event.layerPoint.y + s.y) / s.k, r = reach / s.k;
      var p = L.point(event.layerPoint.x, event.layerPoint.y);
      for (var i = 0; i < this._lines.length; i++) {
        var box = this._boxes[i], xy = this._lines[i];
        if (wx < box[0] - r || wx > box[2] + r || wy < box[1] - r || wy > box[3] + r) continue;
        for (var j = 2; j < xy.length; j += 2) {
          var a = L.point(xy[j - 2] * s.k - s.x, xy[j - 1] * s.k - s.y), b = L.point(xy[j] * s.k - s.x, xy[j + 1] * s.k - s.y);
          var px = L.LineUtil.pointToSegmentDistance(p, a, b);
          if (px < bestPx) { bestPx = px; best = i; }
        }
      }
      if (best === null) { this._map.closeTooltip(this._tip); return; }
      var text = this._layer.tooltips ? this._layer.tooltips[best] : this._layer.tooltip;
      this._tip.setContent(textElement(text)).setLatLng(event.latlng);
      if (!this._map.hasLayer(this._tip)) this._tip.addTo(this._map);
    }
  });
  data.context.forEach(function (layer, k) { new ContextLines(layer).addTo(contextGroups[k]); });

  // Popups scroll when long and pan clear of the zoom, fullscreen and search controls.
  var popupOptions = {maxWidth: 380, maxHeight: 420, autoPanPaddingTopLeft: [60, 50]};

  data.routes.forEach(function (route) {
    var style = data.styles[route.style];
    var opacity = route.context ? data.contextOpacity : null;
    route.lines.forEach(function (coords) {
      var outer = L.extend({}, style.outer, {className: "cm-route cm-route-" + route.id});
      if (opacity) outer.opacity = opacity;
      L.polyline(coords, outer)
        .bindPopup(route.popup, popupOptions)
        .bindTooltip(textElement(route.name), {sticky: true})
        .addTo(groups[route.group]);
      if (style.inner) {
        var inner = L.extend({}, style.inner, {interactive: false, className: "cm-route-inner"});
        if (opacity) inner.opacity = opacity;
        L.polyline(coords, inner).addTo(groups[route.group]);
      }
    });
  });

  // On a small screen the panels start collapsed (a tap on the heading opens them), so the map stays usable.
  var small = window.matchMedia("(max-width: 600px), (max-height: 500px)").matches;
  data.panels.forEach(function (panel) {  // title, intro and links; legend (HTML escaped in Python)
    var box = L.control({position: panel.position});
    box.onAdd = function () {
      var div = L.DomUtil.create("div", panel.className);
      div.innerHTML = panel.html;
      if (small) div.querySelectorAll("details").forEach(function (d) { d.open = false; });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    box.addTo(map);
  });
  control.remove().addTo(map);  // the layer control below the title panel

  // An open layer list stops above the legend (and scrolls), so the two panels never overlap.
  var expand = control.expand;
  control.expand = function () {
    expand.call(this);
    var legend = map.getContainer().querySelector(".cm-legend"), list = this._section;
    if (legend && list) {
      var room = legend.getBoundingClientRect().top - list.getBoundingClientRect().top - 10;
      list.style.maxHeight = Math.max(room, 120) + "px";
      list.style.overflowY = "auto";
    }
    return this;
  };

  map.createPane("cm-labels").style.zIndex = 640;  // above markers, below tooltips and popups
  L.control.scale({imperial: false}).addTo(map);

  var hubs = [];
  var labels = [];
  data.hubs.forEach(function (hub) {
    var icon = data.icons[hub.kind];
    var half = icon.size / 2;
    var marker = L.marker([hub.lat, hub.lon], {
      icon: L.divIcon({
        html: icon.html, iconSize: [icon.size, icon.size],
        className: "cm-hub cm-hub-" + hub.id + (hub.context ? " cm-context" : "")
      }),
      riseOnHover: true
    });
    marker.bindPopup(hub.popup, L.extend({offset: [0, -half + 6]}, popupOptions))
      .bindTooltip(textElement(hub.name), {direction: "top", offset: [0, -half]})
      .addTo(groups[hub.group]);
    var terms = [hub.name].concat(hub.aliases);
    hubs.push({hub: hub, marker: marker, terms: terms, keys: terms.map(function (t) { return t.toLowerCase(); })});
    labels.push({
      rank: hub.label, group: groups[hub.group],
      marker: L.marker([hub.lat, hub.lon], {
        icon: L.divIcon({html: textElement(hub.name), className: "cm-label cm-label-" + hub.id,
                         iconSize: null, iconAnchor: [-half - 3, 6]}),
        interactive: false, keyboard: false, pane: "cm-labels"
      }).addTo(labelLayer)
    });
  });
  labels.sort(function (a, b) { return a.rank - b.rank; });

  // Show labels in priority order; hide any that would overlap a control or a label already shown.
  // All boxes are read in one pass (one layout), then the hidden ones are written.
  function declutter() {
    var container = map.getContainer(), frame = container.getBoundingClientRect();
    var controls = container.querySelectorAll(".leaflet-control");
    var placed = Array.prototype.map.call(controls, function (c) { return c.getBoundingClientRect(); });
    var shown = labels.filter(function (item) { return item.marker.getElement(); });
    shown.forEach(function (item) { item.marker.getElement().style.visibility = ""; });
    var boxes = shown.map(function (item) { return item.marker.getElement().getBoundingClientRect(); });
    shown.forEach(function (item, i) {
      var box = boxes[i];
      var outside = box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom;
      var clash = outside || !map.hasLayer(item.group) || placed.some(function (p) {
        return box.left < p.right + 2 && box.right + 2 > p.left && box.top < p.bottom + 1 && box.bottom + 1 > p.top;
      });
      if (clash) item.marker.getElement().style.visibility = "hidden";
      else placed.push(box);
    });
  }
  map.on("zoomend overlayadd overlayremove", declutter);

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var tests = [
      function (t) { return t === q; },
      function (t) { return t.indexOf(q) === 0; },
      function (t) { return t.indexOf(q) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      for (var j = 0; j < hubs.length; j++) {
        if (hubs[j].keys.some(tests[i])) return hubs[j];
      }
    }
    return null;
  }

  var Search = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var container = L.DomUtil.create("div", "cm-search leaflet-bar");
      var input = L.DomUtil.create("input", "", container);
      var list = L.DomUtil.create("datalist", "", container);
      list.id = "cm-hub-names";
      input.type = "search";
      input.placeholder = "Find a hub (name or alias)";
      input.setAttribute("aria-label", "Find a hub by name or alias");
      input.setAttribute("list", list.id);
      hubs.forEach(function (entry) {
        entry.terms.forEach(function (term) {
          var option = document.createElement("option");
          option.value = term;
          if (term !== entry.hub.name) option.label = entry.hub.name;
          list.appendChild(option);
        });
      });
      function go() {
        var hit = find(input.value);
        input.classList.toggle("cm-miss", !hit && input.value.trim() !== "");
        if (!hit) return;
        var group = groups[hit.hub.group];
        if (!map.hasLayer(group)) map.addLayer(group);
        map.setView([hit.hub.lat, hit.hub.lon], Math.max(map.getZoom(), data.searchZoom), {animate: false});
        hit.marker.openPopup();
      }
      L.DomEvent.on(input, "change", go);
      L.DomEvent.on(input, "keydown", function (event) { if (event.key === "Enter") go(); });
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      return container;
    }
  });
  new Search().addTo(map);

  var width = map.getSize().x;
  map.fitBounds(data.view, {
    paddingTopLeft: [Math.min(60, width * 0.05), 20],
    paddingBottomRight: [Math.min(360, width * 0.3), 20],
    animate: false
  });
  declutter();
}
