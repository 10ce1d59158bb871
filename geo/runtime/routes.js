/* corridor-mapper map runtime, part 3 of 8: the route lines, on an SVG renderer of their own.
 *
 * All route lines are paths in one SVG, written in Web Mercator pixels of zoom DEEP (the grid they
 * are packed on) measured from the middle of the view (numbers small enough for the browser's single
 * precision: within a pixel up to zoom 18), under one transform that a pan or a zoom sets; their
 * strokes keep their width on screen. A line is written whole while it lies within the SVG (the view
 * and a tenth of it round each side), cut to the SVG's edge where it leaves it, and left empty outside
 * it, so that the browser never strokes or dashes beyond what is seen. When the view leaves that box
 * or the zoom changes, only the lines that cross its edge, or crossed it before, are written again.
 * Each line is a Leaflet layer whose path is its interactive target: popups, tooltips, layer groups
 * and the year view treat it as any Leaflet line.
 *
 * Reads cm.data.routes (each: id, name, names, aliases, style "mode/status", schematic, group,
 * context, popup, lines, t) and cm.data.styles; gives each route its layers (route.layers: the
 * clickable main lines, route.inner: the mode's inner lines, route.band: the pale band of a
 * schematic line) and sets cm.setRouteStyle(route, status) and cm.highlight(routes).
 */
CM.routes = function (cm) {
  var map = cm.map, data = cm.data, SVG = "http://www.w3.org/2000/svg";
  var DEEP = Math.round(Math.log(data.routeWorld / 256) / Math.LN2);
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
    add: function (line) {
      this._lines[L.stamp(line)] = line;
      var after = line.options.band ? this._group.firstChild : null;  // bands beneath every line
      this._group.insertBefore(line._path, after);
      line._fit(this._box);
    },
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
    initialize: function (line, options) {  // line: a shape(), shared by a route's band, main and inner lines
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
      path.setAttribute("stroke-linecap", o.lineCap || "butt");
      if (o.dashArray) path.setAttribute("stroke-dasharray", o.dashArray);
      else path.removeAttribute("stroke-dasharray");
    },
    getBounds: function () { return L.latLngBounds(latLngs(this._line)); },
    getCenter: function () { return L.LineUtil.polylineCenter(latLngs(this._line), map.options.crs); }  // halfway along
  });

  function faded(style, route) {  // a neighbour's lines are drawn fainter
    return route.context ? L.extend({}, style, {opacity: Math.min(style.opacity, data.contextOpacity)}) : style;
  }
  data.routes.forEach(function (route) {
    var style = data.styles[route.style], lines = CM.unpack(route.lines), group = cm.groups[route.group];
    route.layers = []; route.inner = []; route.band = [];
    for (var i = 0; i < lines.count; i++) {
      var line = shape(lines, i);
      if (route.schematic) {
        route.band.push(new RouteLine(line, L.extend({}, faded(data.schematicBand, route), {className: "cm-route-band", band: true}))
          .addTo(group));
      }
      route.layers.push(new RouteLine(line, L.extend({}, faded(style.outer, route), {className: "cm-route cm-route-" + route.id, interactive: true}))
        .bindPopup(cm.popup(route.popup), cm.popupOptions)
        .bindTooltip(function () { return cm.text(cm.named(route)); }, {sticky: true})  // made when shown
        .addTo(group));
      if (style.inner) route.inner.push(new RouteLine(line, L.extend({}, faded(style.inner, route), {className: "cm-route-inner"})).addTo(group));
    }
    route.shownStatus = route.style.split("/")[1];
  });

  // The year view: a route drawn with the status it had (null: not there yet), every part of it.
  cm.setRouteStyle = function (route, status) {
    var group = cm.groups[route.group], all = route.layers.concat(route.inner, route.band);
    all.forEach(function (line) {
      if (status === null) group.removeLayer(line);
      else if (!group.hasLayer(line)) group.addLayer(line);
    });
    if (status !== null) {
      var style = data.styles[route.style.split("/")[0] + "/" + status];
      route.layers.forEach(function (line) { line.setStyle(faded(style.outer, route)); });
      if (style.inner) route.inner.forEach(function (line) { line.setStyle(faded(style.inner, route)); });
    }
    route.shownStatus = status;
  };

  // A search result's lines stand out (wider, on top) until the next search.
  var lit = [];
  cm.highlight = function (routes) {
    lit.forEach(function (path) { path.classList.remove("cm-lit"); });
    lit = [];
    routes.forEach(function (route) {
      route.layers.forEach(function (line) {
        if (!line._path) return;
        line._path.classList.add("cm-lit");
        line._path.parentNode.appendChild(line._path);  // drawn last: on top of the others
        lit.push(line._path);
      });
    });
  };
};
