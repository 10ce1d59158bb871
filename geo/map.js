/* corridor-mapper map runtime: draws one map's data (built by geo/mapping.py) on folium's shell.
 * It owns the layer groups (listed in folium's layer control), the offline basemap and the context
 * layers (packed lines, geo/packing.py, drawn on canvases),
 * the route lines (main line plus the mode's inner line, on an SVG renderer of their own), hub icons
 * (spread apart where they would cover each other, so that each can be clicked at every zoom), hub
 * labels that never overlap (each other, the controls or the edge of the map; tried on four sides),
 * the search box (hubs, routes and corridors), the title and legend panels (collapsed on small
 * screens; never over each other or the subject), the online tiles (only when they load), the
 * initial view, the year shown (statuses by the rule of geo/timeline.py) and the language (en, ru,
 * kk: names and interface strings from the data; popups translated as they open), both read from
 * the address (#year=2020&lang=ru), and the print view. Catalog text is inserted with textContent
 * only; popups, panels and layer names arrive as HTML escaped in Python.
 */
function corridorMap(map, control, data) {
  "use strict";

  // The address says which year and language to show: index.html#year=2020&lang=ru.
  var hash = {};
  location.hash.slice(1).split("&").forEach(function (part) {
    var pair = part.split("=");
    if (pair[0]) hash[decodeURIComponent(pair[0])] = decodeURIComponent(pair.slice(1).join("="));
  });
  var lang = data.lang, langNote = "";
  if ("lang" in hash) {
    if (data.languages.hasOwnProperty(hash.lang)) lang = hash.lang;
    else langNote = "\u201c#lang=" + hash.lang + "\u201d is not a language of these maps (en, ru, kk): showing English.";
  }
  if (langNote) lang = "en";
  function tr(text, values) {  // an interface string in the language shown, {fields} filled in
    var out = lang === "en" ? text : (data.text[lang] || {})[text] || text;
    Object.keys(values || {}).forEach(function (k) { out = out.split("{" + k + "}").join(values[k]); });
    return out;
  }
  function named(item) { return (item.names && item.names[lang]) || item.name; }
  langNote = langNote && tr(langNote, {asked: hash.lang});

  function overlay(name) {  // a layer group, shown and listed in the layer control (name: escaped HTML)
    var group = L.featureGroup().addTo(map);
    control.addOverlay(group, name);
    return group;
  }
  var basemap = overlay(tr("Countries, rivers and lakes (offline basemap)"));
  var contextGroups = data.context.map(function (layer) { return overlay(layer.name[lang]); });
  var groups = data.groups[lang].map(overlay);
  var labelLayer = overlay(tr("Hub labels"));

  function textElement(value) {
    var element = document.createElement("span");
    element.textContent = value;
    return element;
  }

  // The built-in basemap sits beneath the tiles: visible wherever tiles cannot load.
  map.createPane("cm-basemap").style.zIndex = 150;
  map.createPane("cm-labels").style.zIndex = 640;  // above markers, below tooltips and popups

  // Packed lines (geo/packing.py) read back into flat arrays: every line's world-unit x, y pairs one
  // after another in xy, where each line's pairs end (ends), and its bounds (boxes: x0, y0, x1, y1).
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", DIGIT = new Int8Array(128);
  for (var d = 0; d < 64; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;
  function unpack(text) {
    var numbers = new Int32Array(text.length), n = 0, value = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {  // zigzag numbers, base 32, least significant digit first
      var digit = DIGIT[text.charCodeAt(i)];
      value += (digit & 31) * scale;
      if (digit & 32) { scale *= 32; continue; }
      numbers[n++] = value % 2 ? -(value + 1) / 2 : value / 2;
      value = 0; scale = 1;
    }
    var count = 0;
    for (var k = 0; k < n; k += 1 + 2 * numbers[k]) count++;  // a line: its vertex count, then two numbers a vertex
    var xy = new Float64Array(n - count), ends = new Int32Array(count), boxes = new Float64Array(4 * count);
    var x = 0, y = 0, at = 0;
    for (var line = 0, j = 0; line < count; line++) {
      var end = at + 2 * numbers[j];
      x += numbers[j + 1]; y += numbers[j + 2]; j += 3;  // the first vertex: a step from the previous line's first
      var px = x, py = y, x0 = x, y0 = y, x1 = x, y1 = y;
      xy[at++] = px; xy[at++] = py;
      while (at < end) {
        xy[at++] = px += numbers[j++]; xy[at++] = py += numbers[j++];
        if (px < x0) x0 = px; else if (px > x1) x1 = px;
        if (py < y0) y0 = py; else if (py > y1) y1 = py;
      }
      ends[line] = end;
      boxes[4 * line] = x0; boxes[4 * line + 1] = y0; boxes[4 * line + 2] = x1; boxes[4 * line + 3] = y1;
    }
    return {count: count, xy: xy, ends: ends, boxes: boxes};
  }

  // Lines and areas already projected to Web Mercator integers, drawn straight onto one canvas per
  // layer: the offline basemap beneath everything, each context layer beneath the corridors (hover
  // finds its nearest line and names it). The canvas covers the view and a tenth of it round each
  // side; it is drawn again when a move or a zoom ends and scaled along with a zoom's animation.
  // parts: [{lines: packed text, style: {color, weight, opacity, fill}}], drawn in turn.
  var PackedCanvas = L.Layer.extend({
    initialize: function (world, parts, options) {
      this._world = world;
      this._parts = parts.map(function (part) { return {style: part.style, lines: unpack(part.lines)}; });
      this._options = options;  // pane, className, id, attribution, tooltips or tooltip
      this._tip = L.tooltip({sticky: true});
    },
    getAttribution: function () { return this._options.attribution; },  // escaped in Python
    getEvents: function () {
      var events = {moveend: this._draw, zoomend: this._draw, resize: this._draw, zoomanim: this._animate};
      if (this._options.tooltips || this._options.tooltip) events.mousemove = this._hover;
      return events;
    },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", this._options.className + " leaflet-zoom-animated");
      this._canvas.dataset.lines = this._parts.reduce(function (n, part) { return n + part.lines.count; }, 0);
      if (this._options.id) this._canvas.dataset.layer = this._options.id;
      var pane = map.getPane(this._options.pane);
      pane.insertBefore(this._canvas, pane.firstChild);
      this._draw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.closeTooltip(this._tip);
    },
    _scale: function () {  // layer pixel = world unit * k - pixel origin
      var origin = this._map.getPixelOrigin();
      return {k: 256 * Math.pow(2, this._map.getZoom()) / this._world, x: origin.x, y: origin.y};
    },
    _animate: function (event) {  // as Leaflet's own overlays follow a zoom's animation
      var map = this._map;
      L.DomUtil.setTransform(this._canvas, map._latLngToNewLayerPoint(this._corner, event.zoom, event.center),
                             map.getZoomScale(event.zoom));
    },
    _draw: function () {
      var map = this._map, size = map.getSize(), pad = size.multiplyBy(0.1).round();
      var corner = map.containerPointToLayerPoint(pad.multiplyBy(-1)), wide = size.add(pad.multiplyBy(2));
      var ratio = window.devicePixelRatio || 1, canvas = this._canvas, s = this._scale();
      this._corner = map.layerPointToLatLng(corner);
      L.DomUtil.setPosition(canvas, corner);
      canvas.width = wide.x * ratio; canvas.height = wide.y * ratio;
      canvas.style.width = wide.x + "px"; canvas.style.height = wide.y + "px";
      var ctx = canvas.getContext("2d"), dx = -s.x - corner.x, dy = -s.y - corner.y;
      var view = [-dx / s.k, -dy / s.k, (wide.x - dx) / s.k, (wide.y - dy) / s.k];
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineJoin = ctx.lineCap = "round";
      this._parts.forEach(function (part) {
        var xy = part.lines.xy, ends = part.lines.ends, box = part.lines.boxes;
        ctx.beginPath();
        for (var i = 0; i < part.lines.count; i++) {
          if (box[4 * i + 2] < view[0] || box[4 * i] > view[2] || box[4 * i + 3] < view[1] || box[4 * i + 1] > view[3]) continue;
          var at = i ? ends[i - 1] : 0;
          ctx.moveTo(xy[at] * s.k + dx, xy[at + 1] * s.k + dy);
          for (var j = at + 2; j < ends[i]; j += 2) ctx.lineTo(xy[j] * s.k + dx, xy[j + 1] * s.k + dy);
        }
        var style = part.style;
        ctx.globalAlpha = style.opacity === undefined ? 1 : style.opacity;
        if (style.fill) { ctx.fillStyle = style.color; ctx.fill(); }  // rings oriented in Python: non-zero
        else { ctx.strokeStyle = style.color; ctx.lineWidth = style.weight; ctx.stroke(); }
      });
    },
    _hover: function (event) {
      var s = this._scale(), reach = 6, best = null, bestPx = reach, lines = this._parts[0].lines;
      var wx = (event.layerPoint.x + s.x) / s.k, wy = (event.layerPoint.y + s.y) / s.k, r = reach / s.k;
      var p = L.point(event.layerPoint.x, event.layerPoint.y), xy = lines.xy, box = lines.boxes;
      for (var i = 0; i < lines.count; i++) {
        if (wx < box[4 * i] - r || wx > box[4 * i + 2] + r || wy < box[4 * i + 1] - r || wy > box[4 * i + 3] + r) continue;
        for (var j = (i ? lines.ends[i - 1] : 0) + 2; j < lines.ends[i]; j += 2) {
          var a = L.point(xy[j - 2] * s.k - s.x, xy[j - 1] * s.k - s.y), b = L.point(xy[j] * s.k - s.x, xy[j + 1] * s.k - s.y);
          var px = L.LineUtil.pointToSegmentDistance(p, a, b);
          if (px < bestPx) { bestPx = px; best = i; }
        }
      }
      if (best === null) { this._map.closeTooltip(this._tip); return; }
      var text = this._options.tooltips ? this._options.tooltips[best] : this._options.tooltip;
      this._tip.setContent(textElement(text)).setLatLng(event.latlng);
      if (!this._map.hasLayer(this._tip)) this._tip.addTo(this._map);
    }
  });

  // Popups fit the screen, scroll when long and pan clear of the controls; on a small screen the
  // panels step behind an open popup.
  var small = window.matchMedia("(max-width: 600px), (max-height: 500px)").matches;
  var popupOptions = {
    maxWidth: Math.min(380, window.innerWidth - 80), maxHeight: Math.min(420, window.innerHeight - 140),
    autoPanPaddingTopLeft: small ? [10, 10] : [60, 50], autoPanPaddingBottomRight: [small ? 10 : 350, 20]
  };
  map.on("popupopen", function () { map.getContainer().classList.toggle("cm-popup-open", small); });
  map.on("popupclose", function () { map.getContainer().classList.remove("cm-popup-open"); });

  // On a small screen the panels start collapsed (a tap on the heading opens them), so the map stays usable.
  data.panels.forEach(function (panel) {  // title, intro and links; legend (HTML escaped in Python)
    var box = L.control({position: panel.position});
    box.onAdd = function () {
      var div = L.DomUtil.create("div", panel.className);
      div.innerHTML = panel.html[lang];
      if (small) div.querySelectorAll("details").forEach(function (d) { d.open = false; });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    box.addTo(map);
  });
  // An open layer list stops above the legend (and scrolls); where there is no room, the legend
  // folds up while the list is open, so the two panels never overlap.
  var expand = control.expand, collapse = control.collapse, folded = null;
  control.expand = function () {
    expand.call(this);
    var legend = map.getContainer().querySelector(".cm-legend"), list = this._section;
    if (legend && list) {
      var details = legend.querySelector("details");
      var room = legend.getBoundingClientRect().top - list.getBoundingClientRect().top - 10;
      if (room < Math.min(list.scrollHeight, 240) && details && details.open) { details.open = false; folded = details; }
      room = legend.getBoundingClientRect().top - list.getBoundingClientRect().top - 10;
      list.style.maxHeight = Math.max(room, 60) + "px";
      list.style.overflowY = "auto";
    }
    return this;
  };
  control.collapse = function () {
    collapse.call(this);
    if (folded) { folded.open = true; folded = null; }
    return this;
  };
  control._layers.forEach(function (entry) { entry.name = tr(entry.name); });  // the tile layers' names
  control.remove().addTo(map);  // the layer control below the title panel (its events bound to the two above)
  map.getContainer().querySelectorAll(".leaflet-control-zoom a, .leaflet-control-fullscreen a").forEach(function (a) {
    a.title = tr(a.title);
    if (a.getAttribute("aria-label")) a.setAttribute("aria-label", tr(a.getAttribute("aria-label")));
  });


  var scaleBar = L.control.scale({imperial: false}), setScale = scaleBar._updateScale;
  scaleBar._updateScale = function (scale, text, ratio) {  // "500 km" in the language shown
    setScale.call(this, scale, text.replace(/ (k?m)$/, function (_, unit) { return " " + tr(unit); }), ratio);
  };
  scaleBar.addTo(map);

  // The subject is framed clear of the panels: the right-hand panels' width on the right, the zoom
  // control's on the left. The view is set before anything is drawn (the basemap, the context, the
  // routes and hubs), so that each line is projected once and the layout these widths force runs
  // over a page of a few elements.
  function padding() {
    var frame = map.getContainer().getBoundingClientRect(), size = map.getSize();
    function widest(selector, side) {
      return Array.prototype.reduce.call(map.getContainer().querySelectorAll(selector), function (most, element) {
        var box = element.getBoundingClientRect();
        return Math.max(most, side === "right" ? frame.right - box.left : box.right - frame.left);
      }, 0);
    }
    var right = Math.min(widest(".leaflet-right .leaflet-control", "right") + 10, size.x * 0.45);
    var left = Math.min(widest(".leaflet-left .leaflet-control-zoom", "left") + 10, size.x * 0.2);
    return {paddingTopLeft: [left, 20], paddingBottomRight: [right, 20], animate: false};
  }
  // The map stays within the basemap's coverage, zoomed in enough that the coverage fills the view.
  // (The limit is set as an option, not with setMinZoom, which would start an animated zoom first.)
  var covered = L.latLngBounds(data.coverage);
  function limit() {
    map.options.minZoom = map.getBoundsZoom(covered, true);
    map.fire("zoomlevelschange");
  }
  map.options.maxBoundsViscosity = 1;
  limit();
  map.fitBounds(data.view, padding());
  map.panInsideBounds(covered, {animate: false});  // so that setting the bounds starts no animated pan
  map.setMaxBounds(covered);
  map.on("resize", limit);

  // The scale bar stays above the attribution where a narrow screen makes the attribution wrap.
  var scale = map.getContainer().querySelector(".leaflet-control-scale");
  var attribution = map.getContainer().querySelector(".leaflet-control-attribution");
  function keepScaleClear() {
    if (!scale || !attribution) return;
    scale.style.marginBottom = "";
    var a = attribution.getBoundingClientRect(), b = scale.getBoundingClientRect();
    if (b.right > a.left && b.bottom > a.top) scale.style.marginBottom = (b.bottom - a.top + 14) + "px";
  }
  keepScaleClear();
  map.on("resize", keepScaleClear);

  // The basemap, the country names and the context layers, drawn once the view is set and the
  // controls placed, so that each is projected and cut to the view once.
  new PackedCanvas(data.basemap.world, data.basemap.parts.map(function (part) {  // styles: geo/style.py's BASEMAP_STYLE
    return {lines: part.lines, style: data.basemapStyles[part.kind]};
  }), {pane: "cm-basemap", className: "cm-basemap"}).addTo(basemap);
  var countryLabels = data.countries.map(function (country, k) {  // placed after every hub label
    return {rank: 1e9 + k, group: basemap, half: 0, marker: L.marker([country.lat, country.lon], {
      icon: L.divIcon({html: textElement(named(country)), className: "cm-country", iconSize: null, iconAnchor: [0, 6]}),
      interactive: false, keyboard: false, pane: "cm-labels"
    }).addTo(basemap)};
  });
  data.context.forEach(function (layer, k) {
    new PackedCanvas(layer.world, [{lines: layer.lines, style: layer.style}], {
      pane: "overlayPane", className: "cm-context", id: layer.id, attribution: layer.attribution,
      tooltips: layer.tooltips, tooltip: layer.tooltip
    }).addTo(contextGroups[k]);
  });

  // Route lines, drawn by their own renderer. All of them are paths in one SVG, written in Web
  // Mercator pixels of zoom DEEP (the grid they are packed on) measured from the middle of the view
  // (numbers small enough for the browser's single precision: within a pixel up to zoom 18), under
  // one transform that a pan or a zoom sets; their strokes keep their width on screen. A line is
  // written whole while it lies within the SVG (the view and a tenth of it round each side), cut to
  // the SVG's edge where it leaves it, and left empty outside it, so that the browser never strokes
  // or dashes beyond what is seen (a larger box, half a view round the view, made zooming in twice
  // as slow at some levels). When the view leaves that box or the zoom changes, only the lines that
  // cross its edge, or crossed it before, are written again: a zoom at the overview, where every
  // line lies inside, writes none.
  // Each line is a Leaflet layer whose path is its interactive target: popups, tooltips, layer groups
  // and the year view treat it as any Leaflet line.
  var DEEP = Math.round(Math.log(data.routeWorld / 256) / Math.LN2), SVG = "http://www.w3.org/2000/svg";
  var middle = map.project(L.latLngBounds(data.view).getCenter(), DEEP).round();
  function shape(lines, i) {  // line i's points (unpacked, at zoom DEEP) from the middle, their bounds and the whole path
    var points = [], xy = lines.xy;
    for (var j = i ? lines.ends[i - 1] : 0; j < lines.ends[i]; j += 2) points.push(L.point(xy[j] - middle.x, xy[j + 1] - middle.y));
    return {points: points, bounds: L.bounds(points), whole: L.SVG.pointsToPath([points])};
  }
  function latLngs(line) {  // a line's points as LatLngs, worked out when first asked for
    return line.coords || (line.coords = line.points.map(function (p) { return map.unproject(p.add(middle), DEEP); }));
  }
  function clip(points, box) {  // the parts of a line inside box, cut where it leaves
    var parts = [], part = null;
    for (var i = 1; i < points.length; i++) {
      var segment = L.LineUtil.clipSegment(points[i - 1], points[i], box, false, true);
      if (!segment) { part = null; continue; }
      if (!part || segment[0] !== points[i - 1]) parts.push(part = [segment[0]]);
      part.push(segment[1]);
      if (segment[1] !== points[i]) part = null;
    }
    return parts;
  }
  var RouteSurface = L.Layer.extend({
    onAdd: function () {
      this._svg = document.createElementNS(SVG, "svg");
      this._svg.setAttribute("class", "cm-routes leaflet-zoom-animated");
      this._group = this._svg.appendChild(document.createElementNS(SVG, "g"));
      this.getPane().appendChild(this._svg);
      this._lines = {};
      this._update();
    },
    onRemove: function () { L.DomUtil.remove(this._svg); },
    getEvents: function () {
      return {viewreset: this._update, moveend: this._update, resize: this._update, zoom: this._follow, zoomanim: this._animate};
    },
    add: function (line) { this._lines[L.stamp(line)] = line; this._group.appendChild(line._path); line._fit(this._box); },
    remove: function (line) { delete this._lines[L.stamp(line)]; L.DomUtil.remove(line._path); },
    _update: function () {  // the SVG covers the view and a tenth of it round each side
      var map = this._map, size = map.getSize(), pad = size.multiplyBy(0.1).round(), zoom = map.getZoom();
      var min = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round(), box = size.add(pad.multiplyBy(2));
      var s = map.getZoomScale(zoom, DEEP), origin = map.getPixelOrigin();
      L.DomUtil.setPosition(this._svg, min);
      this._svg.setAttribute("width", box.x);
      this._svg.setAttribute("height", box.y);
      this._svg.setAttribute("viewBox", [min.x, min.y, box.x, box.y].join(" "));
      this._group.setAttribute("transform", "matrix(" + [s, 0, 0, s, middle.x * s - origin.x, middle.y * s - origin.y].join(" ") + ")");
      this._topLeft = map.layerPointToLatLng(min);
      var deep = function (p) { return p.add(origin).divideBy(s).subtract(middle); };  // layer pixels to the lines' numbers
      var shown = L.bounds(deep(min), deep(min.add(box)));
      if (!this._box || zoom !== this._zoom || !this._box.contains(shown)) {
        this._box = L.bounds(shown.min.floor(), shown.max.ceil());  // whole numbers, as clipSegment rounds
        for (var id in this._lines) this._lines[id]._fit(this._box);
      }
      this._zoom = zoom;
    },
    _animate: function (event) {  // during a zoom the picture is scaled to where the new view will be
      var map = this._map, half = map.getSize().divideBy(2);
      var offset = map.project(this._topLeft, event.zoom).subtract(map.project(event.center, event.zoom))
        .add(half).add(map.containerPointToLayerPoint([0, 0]));
      L.DomUtil.setTransform(this._svg, offset, map.getZoomScale(event.zoom, this._zoom));
    },
    _follow: function () { this._animate({zoom: this._map.getZoom(), center: this._map.getCenter()}); }
  });
  var surface = new RouteSurface().addTo(map);

  var RouteLine = L.Layer.extend({
    initialize: function (line, options) {  // line: a shape(), shared by a route's main and inner lines
      this._line = line;
      L.setOptions(this, options);
      this._path = document.createElementNS(SVG, "path");
      this._path.setAttribute("class", options.className + (options.interactive ? " leaflet-interactive" : ""));
      this._style();
    },
    onAdd: function () {
      surface.add(this);
      if (this.options.interactive) this.addInteractiveTarget(this._path);
    },
    onRemove: function () {
      surface.remove(this);
      if (this.options.interactive) this.removeInteractiveTarget(this._path);
    },
    _fit: function (box) {
      var line = this._line, state = box.contains(line.bounds) ? "whole" : box.intersects(line.bounds) ? "cut" : "none";
      if (state === this._state && state !== "cut") return;
      var parts = state === "cut" ? clip(line.points, box) : [];
      this._path.setAttribute("d", state === "whole" ? line.whole : parts.length ? L.SVG.pointsToPath(parts) : "");
      this._state = state;
    },
    setStyle: function (style) {
      L.setOptions(this, style);
      this._style();
      return this;
    },
    _style: function () {
      var o = this.options, path = this._path;
      path.setAttribute("stroke", o.color);
      path.setAttribute("stroke-width", o.weight);
      path.setAttribute("stroke-opacity", o.opacity);
      path.setAttribute("stroke-linecap", o.lineCap);
      if (o.dashArray) path.setAttribute("stroke-dasharray", o.dashArray);
      else path.removeAttribute("stroke-dasharray");
    },
    getBounds: function () { return L.latLngBounds(latLngs(this._line)); },
    getCenter: function () { return L.LineUtil.polylineCenter(latLngs(this._line), map.options.crs); }  // halfway along
  });

  data.routes.forEach(function (route) {
    var style = data.styles[route.style];
    var opacity = route.context ? data.contextOpacity : null;
    var lines = unpack(route.lines);
    for (var i = 0; i < lines.count; i++) {
      var line = shape(lines, i);
      var outer = L.extend({}, style.outer, {className: "cm-route cm-route-" + route.id, interactive: true});
      if (opacity) outer.opacity = opacity;
      route.layers = (route.layers || []).concat(new RouteLine(line, outer)
        .bindPopup(route.popup, popupOptions)
        .bindTooltip(function () { return textElement(named(route)); }, {sticky: true})  // made when shown
        .addTo(groups[route.group]));
      if (style.inner) {
        var inner = L.extend({}, style.inner, {interactive: false, className: "cm-route-inner"});
        if (opacity) inner.opacity = opacity;
        route.inner = (route.inner || []).concat(new RouteLine(line, inner).addTo(groups[route.group]));
      }
    }
  });

  var hubs = [];
  var labels = [];
  var leaders = L.layerGroup().addTo(map);
  var symbols = {};  // kind -> its symbol, parsed once from the data's SVG text and copied for each hub
  Object.keys(data.icons).forEach(function (kind) {
    var template = document.createElement("template");
    template.innerHTML = data.icons[kind].html;  // geo/style.py's own SVG, no catalog text
    symbols[kind] = template.content.firstElementChild;
  });
  data.hubs.forEach(function (hub) {
    var icon = data.icons[hub.kind];
    var half = icon.size / 2;
    var marker = L.marker([hub.lat, hub.lon], {
      icon: L.divIcon({
        html: symbols[hub.kind].cloneNode(true), iconSize: [icon.size, icon.size],
        className: "cm-hub cm-hub-" + hub.id + (hub.context ? " cm-context" : "")
      }),
      riseOnHover: true
    });
    marker.bindPopup(hub.popup, L.extend({offset: [0, -half + 6]}, popupOptions))
      .bindTooltip(function () { return textElement(named(hub)); }, {direction: "top", offset: [0, -half]})
      .addTo(groups[hub.group]);
    var label = {
      rank: hub.rank, group: groups[hub.group], half: half,
      marker: L.marker([hub.lat, hub.lon], {
        icon: L.divIcon({html: textElement((hub.names && hub.names[lang]) || hub.label), className: "cm-label cm-label-" + hub.id,
                         iconSize: null, iconAnchor: [-half - 3, 6]}),
        interactive: false, keyboard: false, pane: "cm-labels"
      }).addTo(labelLayer)
    };
    var entry = {hub: hub, marker: marker, label: label, home: L.latLng(hub.lat, hub.lon), size: icon.size};
    label.hub = entry;
    labels.push(label);
    hubs.push(entry);
  });
  labels = labels.sort(function (a, b) { return a.rank - b.rank; }).concat(countryLabels);

  // Symbols closer than a click target are gathered round the highest-ranked of them, which stays
  // in place with its label; the others move to the nearest free place on rings round it, each with
  // a thin line to its true place, and those that find none are counted in a numbered symbol beside
  // it that zooms in on them when clicked. No symbol covers another's centre, so every hub can be
  // clicked (or tapped) at every zoom, directly or after one click on its group.
  var gap = L.Browser.touch ? 36 : 14;  // px between symbol centres: a fingertip, or a symbol (12-16 px) and a margin
  var RINGS = [1, 1.7, 2.4], STEPS = 12;  // where displaced symbols may go: rings of gap x these, STEPS places each
  var around = [];  // those places as [dx, dy] from the centre, in the order they are tried
  RINGS.forEach(function (ring) {
    for (var k = 0; k < STEPS; k++) {
      var angle = -Math.PI / 2 + 2 * Math.PI * k / STEPS;
      around.push([Math.cos(angle) * gap * ring, Math.sin(angle) * gap * ring]);
    }
  });
  function cellKey(column, row) { return column * 4194304 + row; }  // one number per cell of a grid
  function cellAt(x, y) { return cellKey(Math.floor(x / gap), Math.floor(y / gap)); }  // in the grid of gap px
  function filed(grid, key) { return grid.get(key) || grid.set(key, []).get(key); }  // the list a grid keeps at key
  function nearby(grid, x, y, test) {  // test(list) on the lists of the cell at x, y and its eight neighbours, until one is true
    for (var dx = -1; dx <= 1; dx++) for (var dy = -1; dy <= 1; dy++) {
      var list = grid.get(cellAt(x + dx * gap, y + dy * gap));
      if (list && test(list)) return true;
    }
    return false;
  }
  var bunches = L.layerGroup().addTo(map), bunchPool = [];  // numbered symbols, reused from one spread to the next
  var bunchSize = null;  // a numbered symbol's size, read once
  function spread() {
    leaders.clearLayers();
    var shown = hubs.filter(function (h) { return !h.gone && map.hasLayer(groups[h.hub.group]); })
      .sort(function (a, b) { return a.hub.rank - b.hub.rank; });
    var homes = shown.map(function (h) { return map.latLngToLayerPoint(h.home); });
    var cells = new Map();  // placed symbol centres by grid cell of gap px: [x, y, x, y, ...]
    function near(x, y, limit) {  // a placed centre closer than limit (at most gap) px
      return nearby(cells, x, y, function (list) {
        for (var n = 0; n < list.length; n += 2) {
          var ex = list[n] - x, ey = list[n + 1] - y;
          if (ex * ex + ey * ey < limit * limit) return true;
        }
        return false;
      });
    }
    function take(x, y) { filed(cells, cellAt(x, y)).push(x, y); }
    function free(centre, size) {  // the first place on the rings round centre with room for a symbol
      for (var k = 0; k < around.length; k++) {
        var x = centre.x + around[k][0], y = centre.y + around[k][1];
        if (!near(x, y, size)) return L.point(x, y);
      }
      return null;
    }
    var lead = shown.map(function () { return -1; }), heads = new Map();  // the group leaders by grid cell, best-ranked first
    homes.forEach(function (p, i) {  // best-ranked first: a hub with no leader within gap leads a group
      var j = -1;
      nearby(heads, p.x, p.y, function (list) {
        list.forEach(function (l) { if ((j < 0 || l < j) && homes[l].distanceTo(p) < gap) j = l; });
        return false;  // every neighbour is looked at: the best-ranked leader within gap wins
      });
      lead[i] = j < 0 ? i : j;
      if (j < 0) {
        filed(heads, cellAt(p.x, p.y)).push(i);
        take(p.x, p.y);
      }
    });
    var at = homes.slice(), hidden = {};
    shown.forEach(function (_, i) {
      if (lead[i] === i) return;
      var p = free(homes[lead[i]], gap * 0.75);
      if (p) { at[i] = p; take(p.x, p.y); } else { (hidden[lead[i]] = hidden[lead[i]] || []).push(i); }
    });
    var used = Object.keys(hidden).map(function (l, n) {  // the last spread's numbered symbols, moved and renumbered
      var members = hidden[l], spot = free(homes[+l], gap) || homes[+l].add(L.point(gap, -gap));
      take(spot.x, spot.y);
      var where = map.layerPointToLatLng(spot);
      var bunch = bunchPool[n] || (bunchPool[n] = L.marker(where, {
        icon: L.divIcon({html: textElement(""), className: "cm-bunch", iconSize: [24, 24]}), keyboard: true
      }).on("click", function () { map.fitBounds(this.members.pad(0.5), {animate: false}); }));
      bunch.members = L.latLngBounds(members.concat([+l]).map(function (i) { return shown[i].home; }));
      bunch.setLatLng(where).addTo(bunches);
      var element = bunch.getElement();
      element.firstChild.textContent = String(members.length);
      element.title = members.map(function (i) { return shown[i].hub.name; }).join(", ");
      return bunch;
    });
    bunchPool.slice(used.length).forEach(function (bunch) { bunches.removeLayer(bunch); });
    var bunched = {}, lines = [];
    Object.keys(hidden).forEach(function (l) { hidden[l].forEach(function (i) { bunched[i] = true; }); });
    shown.forEach(function (h, i) {
      var place = bunched[i] || lead[i] === i ? h.home : map.layerPointToLatLng(at[i]);
      h.hidden = !!bunched[i];
      if (!place.equals(h.marker.getLatLng(), 0)) {  // at an unchanged place, Leaflet has already moved it for the zoom
        h.marker.setLatLng(place);
        h.label.marker.setLatLng(place);
      }
      if (h.marker.getElement()) h.marker.getElement().style.display = h.hidden ? "none" : "";
      if (!h.hidden && lead[i] !== i) lines.push([h.home, place]);
    });
    if (lines.length) L.polyline(lines, {color: "#555", weight: 1, opacity: 0.8, interactive: false}).addTo(leaders);  // one path
  }

  // Each label is tried right, left, above and below its symbol, then at its four corners. The page's
  // boxes (the map, its controls) are read before anything is written, as a zoom starts; a label's
  // size is read once, when it is first shown, and its place comes from the map's projection, so a
  // zoom forces no layout of the page's thousands of symbols and labels. Placed boxes are kept by
  // grid cell, so each try looks only at the boxes near it.
  var BOX_CELL = 64;  // px
  function clientPoint(latlng, frame) {
    var p = map.latLngToContainerPoint(latlng);
    return {x: frame.left + p.x, y: frame.top + p.y};
  }
  function boxCells(box, each) {  // each grid cell the box (with the margins labels keep) overlaps
    for (var x = Math.floor((box.left - 2) / BOX_CELL); x <= Math.floor((box.right + 2) / BOX_CELL); x++) {
      for (var y = Math.floor((box.top - 1) / BOX_CELL); y <= Math.floor((box.bottom + 1) / BOX_CELL); y++) each(cellKey(x, y));
    }
  }
  function pageBoxes() {  // the map's box and its controls' boxes
    var container = map.getContainer();
    return {frame: container.getBoundingClientRect(), controls: Array.prototype.map.call(
      container.querySelectorAll(".leaflet-control"), function (c) { return c.getBoundingClientRect(); })};
  }
  function declutter(boxes) {
    var shown = labels.filter(function (item) { return item.marker.getElement(); });
    boxes = boxes || pageBoxes();  // read with the new labels' sizes (a box's size does not depend on where it is)
    var frame = boxes.frame;
    shown.forEach(function (item) {
      if (item.size) return;
      var b = item.marker.getElement().getBoundingClientRect();
      item.size = [b.right - b.left, b.bottom - b.top];
    });
    spread();
    var bunched = bunches.getLayers();
    if (bunched.length && !bunchSize) {
      var b = bunched[0].getElement().getBoundingClientRect();
      bunchSize = [b.right - b.left, b.bottom - b.top];
    }
    var placed = new Map();  // boxes taken, by grid cell
    function place(box) { boxCells(box, function (key) { filed(placed, key).push(box); }); }
    function clashes(box) {
      var clash = false;
      boxCells(box, function (key) {
        clash = clash || (placed.get(key) || []).some(function (p) {
          return box.left < p.right + 2 && box.right + 2 > p.left && box.top < p.bottom + 1 && box.bottom + 1 > p.top;
        });
      });
      return clash;
    }
    boxes.controls.forEach(place);
    bunched.forEach(function (marker) {
      var c = clientPoint(marker.getLatLng(), frame);
      place({left: c.x - bunchSize[0] / 2, top: c.y - bunchSize[1] / 2, right: c.x + bunchSize[0] / 2, bottom: c.y + bunchSize[1] / 2});
    });
    shown.forEach(function (item) {
      var w = item.size[0], h = item.size[1], half = item.half, c = clientPoint(item.marker.getLatLng(), frame);
      var x = c.x, y = c.y;  // the symbol's centre
      var sides = [[half + 3, -6], [-half - 3 - w, -6], [-w / 2, -half - 2 - h], [-w / 2, half + 2],  // beside, above, below
                   [half, -half - h], [half, half], [-half - w, -half - h], [-half - w, half]];  // then the four corners
      var style = item.marker.getElement().style;
      var fits = map.hasLayer(item.group) && !(item.hub && (item.hub.hidden || item.hub.gone)) && sides.some(function (side) {
        var box = {left: x + side[0], top: y + side[1], right: x + side[0] + w, bottom: y + side[1] + h};
        var outside = box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom;
        if (outside || clashes(box)) return false;
        place(box);
        style.marginLeft = side[0] + "px"; style.marginTop = side[1] + "px";
        return true;
      });
      style.visibility = fits ? "" : "hidden";
    });
  }
  var atZoomStart = null;  // the boxes as a zoom starts, before anything moves (read after, they would force a layout)
  map.on("zoomstart", function () { atZoomStart = pageBoxes(); });
  map.on("zoomend", function () { declutter(atZoomStart); atZoomStart = null; });
  map.on("overlayadd overlayremove", function () { declutter(); });

  // The search finds hubs, routes and corridors by name or alias; a miss says so in words.
  function terms(item) {  // its name in the language shown, its English name, its aliases: each once
    return [named(item), item.name].concat(item.aliases).filter(function (t, i, all) { return all.indexOf(t) === i; });
  }
  var places = hubs.map(function (h) {
    return {name: named(h.hub), terms: terms(h.hub), group: h.hub.group, hub: h};
  }).concat(data.routes.map(function (route) {
    return {name: named(route), terms: terms(route), group: route.group, route: route};
  })).concat(data.corridors.map(function (corridor) {
    return {name: named(corridor), terms: terms(corridor), corridor: corridor};
  }));
  places.forEach(function (place) { place.keys = place.terms.map(function (t) { return t.toLowerCase(); }); });
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var tests = [
      function (t) { return t === q; },
      function (t) { return t.indexOf(q) === 0; },
      function (t) { return t.indexOf(q) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      for (var j = 0; j < places.length; j++) {
        if (places[j].keys.some(tests[i])) return places[j];
      }
    }
    return null;
  }
  var byId = {};
  data.routes.forEach(function (route) { byId[route.id] = route; });
  function show(place) {
    if (place.hub) {
      var group = groups[place.group];
      if (!map.hasLayer(group)) map.addLayer(group);
      map.setView(place.hub.home, Math.max(map.getZoom(), data.searchZoom), {animate: false});
      declutter();
      place.hub.marker.openPopup();
      return;
    }
    var routes = place.route ? [place.route] : place.corridor.routes.map(function (id) { return byId[id]; });
    var bounds = L.latLngBounds([]);
    routes.forEach(function (route) {
      if (!map.hasLayer(groups[route.group])) map.addLayer(groups[route.group]);
      route.layers.forEach(function (line) { bounds.extend(line.getBounds()); });
    });
    map.fitBounds(bounds, padding());
    if (place.route) place.route.layers[0].openPopup(place.route.layers[0].getCenter());
  }

  var Search = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var container = L.DomUtil.create("div", "cm-search leaflet-bar");
      var input = L.DomUtil.create("input", "", container);
      var list = L.DomUtil.create("datalist", "", container);
      var status = L.DomUtil.create("div", "cm-search-status", container);
      status.setAttribute("role", "status");
      list.id = "cm-place-names";
      input.type = "search";
      input.placeholder = tr("Find a hub, route or corridor");
      input.setAttribute("aria-label", tr("Find a hub, route or corridor by name or alias"));
      input.setAttribute("list", list.id);
      function offer() {  // the names suggested while typing, written when the box is first focused
        L.DomEvent.off(input, "focus", offer);
        var options = document.createDocumentFragment();
        places.forEach(function (place) {
          place.terms.forEach(function (term) {
            var option = options.appendChild(document.createElement("option"));
            option.value = term;
            if (term !== place.name) option.label = place.name;
          });
        });
        list.appendChild(options);
      }
      L.DomEvent.on(input, "focus", offer);
      function go() {
        var hit = find(input.value), asked = input.value.trim();
        input.classList.toggle("cm-miss", !hit && asked !== "");
        status.textContent = !hit && asked ? tr("No hub, route or corridor named \u201c{q}\u201d on this map", {q: asked}) : "";
        if (hit) show(hit);
      }
      L.DomEvent.on(input, "change", go);
      L.DomEvent.on(input, "keydown", function (event) { if (event.key === "Enter") go(); });
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      return container;
    }
  });
  new Search().addTo(map);

  // Online tiles: the first base layer is added only once one of its tiles has loaded (offline
  // there is one failed request, not one per tile); otherwise the built-in basemap stays and the
  // title panel says so.
  var bases = control._layers.filter(function (entry) { return !entry.overlay; }).map(function (entry) { return entry.layer; });
  function offline() {
    var note = map.getContainer().querySelector(".cm-intro .cm-tiles");
    if (note) note.textContent = tr("Online map tiles cannot be reached: the built-in basemap is shown.");
  }
  if (bases.length && navigator.onLine) {
    var first = bases[0], probe = new Image(), center = map.project(map.getCenter(), 3).divideBy(256).floor();
    probe.onload = function () { if (!bases.some(function (layer) { return map.hasLayer(layer); })) map.addLayer(first); };
    probe.onerror = offline;
    probe.src = L.Util.template(first._url, L.extend({}, first.options, {
      s: (first.options.subdomains || "a")[0], x: center.x, y: center.y, z: 3, r: ""
    }));
  } else {
    offline();
  }

  // The year shown (#year=2020 in the address): each route and hub with the status it had, or is
  // expected to have, that year; not yet started: not drawn. The rule is geo/timeline.py's.
  function statusIn(t, year) {
    var status = t[0], asOf = t[1], start = t[2], opened = t[3], expected = t[4], now = data.years.now;
    if (status === null) return "operational";
    if (year >= now) {
      return status !== "operational" && expected !== null && year > now && year >= expected ? "expected" : status;
    }
    if (status === "operational") {
      if (opened !== null && year < opened) return start !== null && year >= start ? "under_construction" : null;
      return "operational";
    }
    if (status === "upgrading") return start !== null && year < start ? "operational" : "upgrading";
    if (status === "under_construction") return start !== null && year < start ? null : "under_construction";
    return asOf === null || year >= asOf ? status : null;
  }
  var years = data.years, year = years.default, yearNote = "";
  if ("year" in hash) {
    var asked = /^[0-9]{4}$/.test(hash.year) ? +hash.year : NaN;
    if (asked >= years.min && asked <= years.max) year = asked;
    else yearNote = "“#year=" + hash.year + "” is not a year from " + years.min + " to " + years.max +
      ": showing " + year + ".";
  }
  function showYear(y) {
    year = y;
    data.routes.forEach(function (route) {  // only the lines whose status changes are touched
      var status = statusIn(route.t, y), mode = route.style.split("/")[0], group = groups[route.group];
      var before = route.shownStatus === undefined ? route.style.split("/")[1] : route.shownStatus;
      if (status === before) return;
      (route.layers || []).concat(route.inner || []).forEach(function (line) {
        if (status === null) group.removeLayer(line);
        else if (!group.hasLayer(line)) group.addLayer(line);
      });
      if (status !== null) {
        (route.layers || []).forEach(function (line) { line.setStyle({dashArray: data.styles[mode + "/" + status].outer.dashArray}); });
      }
      route.shownStatus = status;
    });
    hubs.forEach(function (h) {
      var gone = statusIn(h.hub.t, y) === null, group = groups[h.hub.group];
      if (gone === !!h.gone) return;
      h.gone = gone;
      if (gone) { group.removeLayer(h.marker); labelLayer.removeLayer(h.label.marker); }
      else { if (!group.hasLayer(h.marker)) group.addLayer(h.marker); if (!labelLayer.hasLayer(h.label.marker)) labelLayer.addLayer(h.label.marker); }
    });
    var state = [y !== years.default ? "year=" + y : "", lang !== data.lang ? "lang=" + lang : ""]
      .filter(Boolean).join("&");  // the default view keeps a plain address
    if (history.replaceState) history.replaceState(null, "", location.pathname + location.search + (state ? "#" + state : ""));
    map.getContainer().querySelectorAll(".cm-intro nav a").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + (state ? "#" + state : ""));
    });
    output.textContent = String(y) + " (" + tr(y > years.now ? "expected" : y < years.now ? "past" : "now") + ")";
    map.getContainer().dataset.year = y;
  }
  var panel = map.getContainer().querySelector(".cm-intro details") || map.getContainer().querySelector(".cm-intro");
  var box = document.createElement("p"), label = document.createElement("label"), slider = document.createElement("input");
  var output = document.createElement("output"), note = document.createElement("small");
  box.className = "cm-year";
  label.textContent = tr("Year shown") + " ";
  slider.type = "range"; slider.min = years.min; slider.max = years.max; slider.step = 1; slider.value = year;
  slider.setAttribute("aria-label", tr("Year shown: statuses from the catalog's dates"));
  note.className = "cm-year-note"; note.setAttribute("role", "status"); note.textContent = [yearNote, langNote].join(" ").trim();
  label.appendChild(slider); box.appendChild(label); box.appendChild(document.createTextNode(" ")); box.appendChild(output);
  box.appendChild(document.createElement("br")); box.appendChild(note);
  var summary = panel.querySelector("summary");
  panel.insertBefore(box, summary ? summary.nextSibling : panel.firstChild);
  L.DomEvent.on(slider, "input", function () { showYear(+slider.value); declutter(); });
  // The language: a switch in the title panel; the page opens again in the one chosen.
  var chooser = document.createElement("select"), chooserLabel = document.createElement("label");
  chooserLabel.className = "cm-lang";
  chooserLabel.appendChild(document.createTextNode(tr("Language") + " "));
  Object.keys(data.languages).forEach(function (code) {
    var option = document.createElement("option");
    option.value = code; option.textContent = data.languages[code]; option.selected = code === lang;
    chooser.appendChild(option);
  });
  chooserLabel.appendChild(chooser);
  box.insertBefore(chooserLabel, note);
  box.insertBefore(document.createElement("br"), note);
  L.DomEvent.on(chooser, "change", function () {
    lang = chooser.value;
    location.hash = "year=" + year + "&lang=" + lang;
    location.reload();
  });
  showYear(year);

  // Popups arrive as English HTML: their headings, names and fixed values are shown in the language.
  var localNames = {};
  data.routes.concat(data.hubs).forEach(function (item) { if (named(item) !== item.name) localNames[item.name] = named(item); });
  var countryNames = {};
  data.countries.forEach(function (c) { if (c.names && c.names[lang]) countryNames[c.name] = c.names[lang]; });
  var statusWords = ["Operational", "Upgrading", "Under construction", "Planned", "Proposed"];
  map.on("popupopen", function (event) {
    if (lang === "en") return;
    event.popup.getElement().querySelectorAll("h3, th, b, td, a").forEach(function (element) {
      if (element.children.length) return;
      var text = element.textContent;
      if (localNames[text]) { element.textContent = localNames[text]; return; }
      var joined = [" – ", "; "].filter(function (sep) { return text.indexOf(sep) > 0; })[0];  // "A – B – C", "A; B"
      if (joined && text.split(joined).some(function (p) { return localNames[p]; })) {
        element.textContent = text.split(joined).map(function (p) { return localNames[p] || p; }).join(joined);
        return;
      }
      if ((data.text[lang] || {})[text]) { element.textContent = tr(text); return; }
      var pieces = text.split(", ").map(function (piece) { return /^(.+) ([0-9][0-9,.]*) km$/.exec(piece); });
      if (element.tagName === "TD" && pieces.every(Boolean)) {  // length by country: "Kazakhstan 776.2 km, at sea 12.0 km"
        element.textContent = pieces.map(function (p) {
          return (countryNames[p[1]] || tr(p[1])) + " " + p[2] + " " + tr("km");
        }).join(", ");
        return;
      }
      statusWords.forEach(function (word) {
        if (text.indexOf(word + " (as of ") === 0) {
          element.textContent = tr(word) + " (" + tr("as of") + " " + text.slice(word.length + 8);
        }
      });
    });
  });

  // Printed, a map keeps its legend and title and loses the controls (see the print styles); folded
  // panels open for the print and fold again after it.
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    unfolded = Array.prototype.filter.call(map.getContainer().querySelectorAll(".cm-panel details"), function (d) { return !d.open; });
    unfolded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { unfolded.forEach(function (d) { d.open = false; }); unfolded = []; });
  declutter();
}
