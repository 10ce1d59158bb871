/* corridor-mapper map runtime, part 2 of 8: packed lines (geo/packing.py) read back, and the
 * canvases that draw them: the offline basemap beneath everything and each context layer beneath
 * the corridors (hover finds a context layer's nearest line and names it).
 *
 * Reads cm.data.basemap, cm.data.basemapStyles and cm.data.context (each layer's name and credit per language); sets CM.unpack for the routes.
 */

/* Packed text back into flat arrays: every line's world-unit x, y pairs one after another in xy,
 * where each line's pairs end (ends), and its bounds (boxes: x0, y0, x1, y1). */
CM.unpack = (function () {
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", DIGIT = new Int8Array(128);
  for (var d = 0; d < 64; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;
  return function (text) {
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
  };
})();

/* Lines and areas already projected to Web Mercator integers, drawn straight onto one canvas per
 * layer. The canvas covers the view and a tenth of it round each side; it is drawn again when a move
 * or a zoom ends and scaled along with a zoom's animation.
 * parts: [{lines: packed text, style: {color, weight, opacity, fill, dash}}], drawn in turn. */
CM.PackedCanvas = L.Layer.extend({
  initialize: function (world, parts, options) {
    this._world = world;
    this._parts = parts.map(function (part) { return {style: part.style, lines: CM.unpack(part.lines)}; });
    this._options = options;  // pane, className, id, attribution, tooltips or tooltip, text (an element maker)
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
      ctx.setLineDash(style.dash || []);
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
    this._tip.setContent(this._options.text(text)).setLatLng(event.latlng);
    if (!this._map.hasLayer(this._tip)) this._tip.addTo(this._map);
  }
});

/* The basemap and the context layers, drawn once the view is set and the controls placed, so that
 * each is projected and cut to the view once. */
CM.packed = function (cm) {
  var data = cm.data;
  new CM.PackedCanvas(data.basemap.world, data.basemap.parts.map(function (part) {  // styles: geo/style.py's BASEMAP_STYLE
    return {lines: part.lines, style: data.basemapStyles[part.kind]};
  }), {pane: "cm-basemap", className: "cm-basemap"}).addTo(cm.basemapGroup);
  data.context.forEach(function (layer, k) {
    new CM.PackedCanvas(layer.world, [{lines: layer.lines, style: layer.style}], {
      pane: "overlayPane", className: "cm-context", id: layer.id, attribution: layer.attribution[cm.lang],
      tooltips: layer.tooltips, tooltip: layer.tooltip, text: cm.text
    }).addTo(cm.contextGroups[k]);
  });
};
