/* corridor-mapper map runtime, part 1 of 8: the shared state and the helpers every part uses.
 *
 * The runtime is eight files joined in this order into each page (geo/runtime/__init__.py lists them):
 * core (this file), packed (the basemap and context canvases), routes (the route lines), hubs (hub
 * and group symbols, taps), labels (hub and country labels), panels (title, legend, controls,
 * popups, the opening view), years (the year and the language shown) and search. Each file adds one
 * function to the CM object; corridorMap, the shell's entry point (end of this file), calls them in
 * turn with one state object, `cm`, whose fields are listed in docs/map-runtime.md together with
 * the page data that Python writes (geo/mapping.py's _data) and the DOM attributes tests and
 * embedders may rely on. Parts talk to each other through that object and through map events:
 * "cm:symbols" (hub and group symbols placed again: labels follow) and "cm:year" (a year shown).
 *
 * Catalog text is inserted with textContent only; popups, panels and layer names arrive as HTML
 * escaped in Python.
 */
var CM = {};

/* The address after # as lower-case keys and their values: index.html#year=2020&lang=ru&find=aktau.
 * Keys are case-insensitive, and so are the values of lang; find keeps what was typed. */
CM.address = function () {
  var hash = {};
  location.hash.slice(1).split("&").forEach(function (part) {
    var pair = part.split("="), key;
    try { key = decodeURIComponent(pair[0]).toLowerCase(); } catch (e) { return; }
    if (!key) return;
    var value = pair.slice(1).join("=");
    try { value = decodeURIComponent(value.replace(/\+/g, " ")); } catch (e) { value = ""; }
    hash[key] = value;
  });
  if ("lang" in hash) hash.lang = hash.lang.toLowerCase();
  return hash;
};

/* The shared state every part reads: the map, its data, the language and its helpers. */
CM.state = function (map, control, data) {
  var hash = CM.address(), lang = data.lang, langNote = "";
  if ("lang" in hash) {
    if (data.languages.hasOwnProperty(hash.lang)) lang = hash.lang;
    else langNote = "“#lang={asked}” is not a language of these maps (en, ru, kk): showing English.";
  }
  if (langNote) lang = "en";
  var cm = {map: map, control: control, data: data, hash: hash, lang: lang,
            coarse: window.matchMedia("(pointer: coarse)").matches,
            small: window.matchMedia("(max-width: 600px), (max-height: 500px)").matches};
  cm.tr = function (text, values) {  // an interface string in the language shown, {fields} filled in
    var out = lang === "en" ? text : (data.text[lang] || {})[text] || text;
    Object.keys(values || {}).forEach(function (k) { out = out.split("{" + k + "}").join(values[k]); });
    return out;
  };
  cm.named = function (item) { return (item.names && item.names[lang]) || item.name; };
  cm.langNote = langNote && cm.tr(langNote, {asked: hash.lang});
  cm.popup = function (p) {  // a popup in the language shown, joined from its parts (geo/popups.py) when opened
    function pick(value) { return typeof value === "string" ? value : value[lang]; }  // HTML escaped in Python
    return function () {
      var rows = p.rows.map(function (row) {
        return "<tr><th>" + cm.tr(row[0]) + "</th><td>" + pick(row[1]) + "</td></tr>";  // headings: our own text
      }).join("");
      return '<div class="cm-popup"><h3>' + pick(p.title) + "</h3><table>" + rows + "</table>" +
        (p.body ? '<b class="cm-sources-heading">' + cm.tr("Sources") + "</b>" + p.body : "") + "</div>";
    };
  };
  cm.overlay = function (name) {  // a layer group, shown and listed in the layer control (name: escaped HTML)
    var group = L.featureGroup().addTo(map);
    control.addOverlay(group, name);
    return group;
  };
  cm.text = function (value, className) {  // catalog text as an element (never parsed as HTML)
    var element = document.createElement("span");
    element.textContent = value;
    if (className) element.className = className;
    return element;
  };
  map.getContainer().classList.toggle("cm-coarse", cm.coarse);
  map.getContainer().classList.toggle("cm-small", cm.small);
  return cm;
};

/* A grid of cells `size` px wide that keeps lists of things by cell, to look only at what is near. */
CM.grid = function (size) {
  var cells = new Map();
  function key(column, row) { return column * 4194304 + row; }
  return {
    add: function (x, y, item) {
      var k = key(Math.floor(x / size), Math.floor(y / size));
      (cells.get(k) || cells.set(k, []).get(k)).push(item);
    },
    near: function (x, y, each) {  // each item in the cell of x, y and its eight neighbours
      var cx = Math.floor(x / size), cy = Math.floor(y / size);
      for (var dx = -1; dx <= 1; dx++) for (var dy = -1; dy <= 1; dy++) (cells.get(key(cx + dx, cy + dy)) || []).forEach(each);
    },
    box: function (left, top, right, bottom, each) {  // each cell a box overlaps, as its list (created)
      for (var x = Math.floor(left / size); x <= Math.floor(right / size); x++) {
        for (var y = Math.floor(top / size); y <= Math.floor(bottom / size); y++) {
          var k = key(x, y);
          each(cells.get(k) || cells.set(k, []).get(k));
        }
      }
    }
  };
};

/* The shell's entry point: one map's data drawn on folium's map and layer control. */
function corridorMap(map, control, data) {
  "use strict";
  var cm = CM.state(map, control, data);
  cm.basemapGroup = cm.overlay(cm.tr("Countries, rivers and lakes (offline basemap)"));
  cm.contextGroups = data.context.map(function (layer) { return cm.overlay(layer.name[cm.lang]); });
  cm.groups = data.groups[cm.lang].map(cm.overlay);
  cm.labelLayer = cm.overlay(cm.tr("Hub labels"));
  map.createPane("cm-basemap").style.zIndex = 150;  // beneath the tiles: seen wherever tiles cannot load
  map.createPane("cm-labels").style.zIndex = 640;  // above markers, below tooltips and popups
  CM.search(cm);  // the controls and panels first, so that the view is set before anything is drawn
  CM.panels(cm);
  CM.packed(cm);
  CM.routes(cm);
  CM.hubs(cm);
  CM.labels(cm);
  CM.years(cm);
  map.fire("cm:year");
  cm.findFromAddress();
}
