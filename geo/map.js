/* corridor-mapper map runtime: draws one map's data (built by geo/mapping.py) into folium's layers.
 * It owns the route lines (main line plus the mode's inner line), hub icons, hub labels that never
 * overlap, the hub search box, the title and legend panels and the initial view. Catalog text is
 * inserted with textContent only; popups and panels arrive as HTML already escaped in Python.
 */
function corridorMap(map, groups, basemap, labelLayer, data) {
  "use strict";

  function textElement(value) {
    var element = document.createElement("span");
    element.textContent = value;
    return element;
  }

  // The built-in basemap sits beneath the tiles: visible wherever tiles cannot load.
  map.createPane("cm-basemap").style.zIndex = 150;
  L.geoJSON(data.basemap, {
    pane: "cm-basemap", interactive: false,
    style: {color: "#9e9e9e", weight: 0.8, fillColor: "#f2efe9", fillOpacity: 1}
  }).addTo(basemap);

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

  data.panels.forEach(function (panel) {  // title, intro and links; legend (HTML escaped in Python)
    var control = L.control({position: panel.position});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", panel.className);
      div.innerHTML = panel.html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
  });

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
  function declutter() {
    var controls = map.getContainer().querySelectorAll(".leaflet-control");
    var placed = Array.prototype.map.call(controls, function (c) { return c.getBoundingClientRect(); });
    labels.forEach(function (item) {
      var element = item.marker.getElement();
      if (!element) return;
      element.style.visibility = "";
      var box = element.getBoundingClientRect();
      var clash = !map.hasLayer(item.group) || placed.some(function (p) {
        return box.left < p.right + 2 && box.right + 2 > p.left && box.top < p.bottom + 1 && box.bottom + 1 > p.top;
      });
      if (clash) element.style.visibility = "hidden";
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
