/* corridor-mapper map runtime, part 6 of 8: the panels (title and legend), the controls, popups that
 * stay on the screen, and the opening view.
 *
 * The map opens on its subject (cm.data.view: the bounds of its corridors, routes and hubs), framed
 * clear of the controls: on a wide screen beside the right-hand panels, on a small one between the
 * controls at the top and those at the bottom (the panels start folded there). A popup opens wholly
 * inside the screen: it is no taller than the screen allows (its content scrolls), and the map may pan
 * beyond its usual bounds while a popup is open so that the popup fits. On a small screen an open
 * title panel moves below the search box.
 *
 * Reads cm.data.panels, cm.data.view and cm.data.coverage; sets cm.popupOptions, cm.padding() and
 * cm.fit(bounds).
 */
CM.panels = function (cm) {
  var map = cm.map, control = cm.control, tr = cm.tr, container = map.getContainer();
  var margin = cm.small ? 8 : 20;
  cm.popupOptions = {
    maxWidth: Math.min(380, window.innerWidth - 2 * margin - 80), minWidth: Math.min(200, window.innerWidth - 2 * margin - 80),
    maxHeight: Math.max(120, Math.min(420, window.innerHeight - 2 * margin - 60)),
    autoPanPaddingTopLeft: [margin, margin], autoPanPaddingBottomRight: [cm.small ? margin : 350, margin]
  };
  var covered = L.latLngBounds(cm.data.coverage);
  map.on("autopanstart", function () { map.setMaxBounds(null); });  // a popup may need the map beyond its bounds
  map.on("popupopen", function (event) {
    container.classList.toggle("cm-popup-open", cm.small);
    L.Util.requestAnimFrame(function () {  // once Leaflet's own pan (if any) has ended
      if (map._panAnim && map._panAnim._inProgress) map.once("moveend", function () { fitPopup(event.popup); });
      else fitPopup(event.popup);
    });
  });
  function fitPopup(popup) {  // after Leaflet's own pan: whatever still lies off the screen is brought in
    var element = popup.getElement();
    if (!element || !popup.isOpen()) return;
    var box = element.getBoundingClientRect(), frame = container.getBoundingClientRect(), dx = 0, dy = 0;
    if (box.right > frame.right - margin) dx = box.right - frame.right + margin;
    if (box.left - dx < frame.left + margin) dx = box.left - frame.left - margin;
    if (box.bottom > frame.bottom - margin) dy = box.bottom - frame.bottom + margin;
    if (box.top - dy < frame.top + margin) dy = box.top - frame.top - margin;
    if (!dx && !dy) return;
    map.setMaxBounds(null);
    map.panBy([Math.round(dx), Math.round(dy)], {animate: false});
  }
  map.on("popupclose", function () {
    container.classList.remove("cm-popup-open");
    if (!map.options.maxBounds) map.setMaxBounds(covered);
  });

  cm.data.panels.forEach(function (panel) {  // title, intro and links; legend (HTML escaped in Python)
    var box = L.control({position: panel.position});
    box.onAdd = function () {
      var div = L.DomUtil.create("div", panel.className);
      div.innerHTML = panel.html[cm.lang];
      if (cm.small) div.querySelectorAll("details").forEach(function (d) { d.open = false; });
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
    var legend = container.querySelector(".cm-legend"), list = this._section;
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
  control.options.sortLayers = false;
  control.remove().addTo(map);  // the layer control below the title panel (its events bound to the two above)
  var toggle = container.querySelector(".leaflet-control-layers-toggle");
  if (toggle) { toggle.title = tr("Layers"); toggle.setAttribute("aria-label", tr("Layers")); }
  container.querySelectorAll(".leaflet-control-zoom a, .leaflet-control-fullscreen a").forEach(function (a) {
    a.title = tr(a.title);
    if (a.getAttribute("aria-label")) a.setAttribute("aria-label", tr(a.getAttribute("aria-label")));
  });
  var attributions = map.attributionControl, prefix = attributions && attributions.options.prefix;
  if (typeof prefix === "string") {  // Leaflet's link, its title in the language shown (our own text: no quotes in it)
    attributions.setPrefix(prefix.replace('title="A JavaScript library for interactive maps"',
                                          'title="' + tr("A JavaScript library for interactive maps") + '"'));
  }

  var scaleBar = L.control.scale({imperial: false}), setScale = scaleBar._updateScale;
  scaleBar._updateScale = function (scale, text, ratio) {  // "500 km" in the language shown
    setScale.call(this, scale, text.replace(/ (k?m)$/, function (_, unit) { return " " + tr(unit); }), ratio);
  };
  scaleBar.addTo(map);

  // On a small screen an open title panel stands below the search box, never over it.
  var intro = container.querySelector(".cm-intro");
  function clearSearch() {
    var search = container.querySelector(".cm-search");
    if (!intro || !search) return;
    var details = intro.querySelector("details");
    intro.style.marginTop = "";
    if (!cm.small || !details || !details.open) return;
    var s = search.getBoundingClientRect(), p = intro.getBoundingClientRect();
    if (p.left < s.right && p.top < s.bottom) intro.style.marginTop = (s.bottom - p.top + 16) + "px";
  }
  if (intro) intro.addEventListener("toggle", clearSearch, true);
  clearSearch();

  // The subject framed clear of the controls: on a wide screen, the right-hand panels' width on the
  // right and the zoom control's on the left; on a small one, the folded controls at top and bottom.
  cm.padding = function () {
    var frame = container.getBoundingClientRect(), size = map.getSize();
    function edge(selector, reduce, start) {
      return Array.prototype.reduce.call(container.querySelectorAll(selector), function (most, element) {
        return reduce(most, element.getBoundingClientRect());
      }, start);
    }
    if (cm.small) {
      var top = edge(".leaflet-top .leaflet-control", function (m, b) { return Math.max(m, b.bottom - frame.top); }, 0);
      var bottom = edge(".leaflet-bottom .leaflet-control", function (m, b) { return Math.max(m, frame.bottom - b.top); }, 0);
      return {paddingTopLeft: [10, Math.min(top + 6, size.y * 0.3)], paddingBottomRight: [10, Math.min(bottom + 6, size.y * 0.2)],
              animate: false};
    }
    var right = edge(".leaflet-right .leaflet-control", function (m, b) { return Math.max(m, frame.right - b.left); }, 0);
    var left = edge(".leaflet-left .leaflet-control-zoom", function (m, b) { return Math.max(m, b.right - frame.left); }, 0);
    return {paddingTopLeft: [Math.min(left + 10, size.x * 0.2), 20], paddingBottomRight: [Math.min(right + 10, size.x * 0.4), 20],
            animate: false};
  };
  cm.fit = function (bounds) {
    var pad = cm.padding();
    map.setMaxBounds(null);
    map.fitBounds(bounds, pad);
    map.setMaxBounds(covered);
  };
  // The map stays within the basemap's coverage, zoomed in enough that the coverage fills the view.
  // (The limit is set as an option, not with setMinZoom, which would start an animated zoom first.)
  function limit() {
    map.options.minZoom = map.getBoundsZoom(covered, true);
    map.fire("zoomlevelschange");
  }
  map.options.maxBoundsViscosity = 1;
  limit();
  map.fitBounds(cm.data.view, cm.padding());
  map.panInsideBounds(covered, {animate: false});  // so that setting the bounds starts no animated pan
  map.setMaxBounds(covered);
  map.on("resize", limit);

  // The scale bar stays above the attribution where a narrow screen makes the attribution wrap.
  var scale = container.querySelector(".leaflet-control-scale");
  var attribution = container.querySelector(".leaflet-control-attribution");
  function keepScaleClear() {
    if (!scale || !attribution) return;
    scale.style.marginBottom = "";
    var a = attribution.getBoundingClientRect(), b = scale.getBoundingClientRect();
    if (b.right > a.left && b.bottom > a.top) scale.style.marginBottom = (b.bottom - a.top + 14) + "px";
  }
  keepScaleClear();
  map.on("resize", keepScaleClear);

  // Online tiles: the first base layer is added only once one of its tiles has loaded (offline
  // there is one failed request, not one per tile); otherwise the built-in basemap stays and the
  // title panel says so.
  var bases = control._layers.filter(function (entry) { return !entry.overlay; }).map(function (entry) { return entry.layer; });
  function offline() {
    var note = container.querySelector(".cm-intro .cm-tiles");
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

  // Printed, a map keeps its legend and title and loses the controls (see the print styles); folded
  // panels open for the print and fold again after it.
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    unfolded = Array.prototype.filter.call(container.querySelectorAll(".cm-panel details"), function (d) { return !d.open; });
    unfolded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { unfolded.forEach(function (d) { d.open = false; }); unfolded = []; });
};
