/* corridor-mapper map runtime, part 8 of 8: the search box.
 *
 * It finds hubs, routes and corridors by id, name (in the language shown and in English), alias and
 * the label written on the map, without regard to case, accents or dashes. Matches are ranked: an
 * exact id, name, alias or label first, then a whole word, then the start of a name, the start of a
 * word, any part, and last names within a typing error or two (so "Aktua" finds Aktau). One match at
 * the best rank opens at once; several open a short list to choose from, best first; a miss says so
 * and suggests the nearest names. A hub found opens its popup (from its group if it is in one); a
 * route or corridor found lights up its lines and fits the view to them. The address keeps what was
 * found (#find=...), so a link opens the map on it.
 *
 * Reads cm.hubs, cm.data.routes and cm.data.corridors (when first searched); sets cm.findFromAddress().
 */
CM.search = function (cm) {
  var map = cm.map, data = cm.data, tr = cm.tr;
  function plain(text) {  // lower case, no accents, dashes and brackets as spaces
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2010-\u2015\-_()\/,.'’]+/g, " ").replace(/\s+/g, " ").trim();
  }
  function terms(item, extra) {  // its id, names, aliases and label: each once
    return [item.id, cm.named(item), item.name].concat(item.aliases || [], extra || [])
      .filter(function (t, i, all) { return t && all.indexOf(t) === i; });
  }
  var byId = {}, places = null;
  function index() {  // what can be found, listed when first asked for
    data.routes.forEach(function (route) { byId[route.id] = route; });
    places = cm.hubs.map(function (h) {
      return {name: cm.named(h.hub), terms: terms(h.hub, [h.hub.label]), hub: h};
    }).concat(data.routes.map(function (route) {
      return {name: cm.named(route), terms: terms(route), route: route};
    })).concat(data.corridors.map(function (corridor) {
      return {name: cm.named(corridor), terms: terms(corridor), corridor: corridor};
    }));
    places.forEach(function (place, order) {
      place.order = order;
      place.keys = place.terms.map(plain);
      place.words = [].concat.apply([], place.keys.map(function (k) { return k.split(" "); }));
    });
  }

  function distance(a, b, limit) {  // edits from a to b (a swap of neighbours counts once), or limit + 1
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var rows = [[]], i, j;
    for (j = 0; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      rows[i] = [i];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
    return rows[a.length][b.length];
  }
  function rank(place, q) {  // 0 exact, 1 a whole word, 2 a name's start, 3 a word's start, 4 any part, 5 a typo; null: no match
    if (place.keys.indexOf(q) >= 0) return 0;
    if (q.indexOf(" ") < 0 && place.words.indexOf(q) >= 0) return 1;
    if (place.keys.some(function (k) { return k.indexOf(q) === 0; })) return 2;
    if (place.keys.some(function (k) { return k.indexOf(" " + q) >= 0; })) return 3;
    if (place.keys.some(function (k) { return k.indexOf(q) >= 0; })) return 4;
    var limit = q.length < 5 ? 1 : 2;
    return place.keys.concat(place.words).some(function (k) { return k.length > 2 && distance(q, k, limit) <= limit; }) ? 5 : null;
  }
  function find(query) {  // the matches, best first
    var q = plain(query);
    if (!q) return [];
    if (!places) index();
    return places.map(function (place) { return {place: place, rank: rank(place, q)}; })
      .filter(function (m) { return m.rank !== null; })
      .sort(function (a, b) { return a.rank - b.rank || a.place.order - b.place.order; });
  }

  function show(place) {
    cm.found = place.hub ? place.hub.hub.id : (place.route || place.corridor).id;
    cm.remember();
    if (place.hub) {
      var h = place.hub, group = cm.groups[h.hub.group];
      cm.highlight([]);
      if (!map.hasLayer(group)) map.addLayer(group);
      if (h.gone) return;
      map.setView(h.home, Math.max(map.getZoom(), data.searchZoom), {animate: false});
      cm.openHub(h);
      return;
    }
    var routes = place.route ? [place.route] : place.corridor.routes.map(function (id) { return byId[id]; });
    var bounds = L.latLngBounds([]);
    routes.forEach(function (route) {
      if (!map.hasLayer(cm.groups[route.group])) map.addLayer(cm.groups[route.group]);
      route.layers.forEach(function (line) { bounds.extend(line.getBounds()); });
    });
    map.closePopup();
    cm.fit(bounds);
    cm.highlight(routes);
    if (place.route && place.route.layers[0]._map) place.route.layers[0].openPopup(place.route.layers[0].getCenter());
  }

  var Search = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var container = L.DomUtil.create("div", "cm-search leaflet-bar");
      var input = L.DomUtil.create("input", "", container);
      var list = L.DomUtil.create("ul", "cm-search-list", container);
      var status = L.DomUtil.create("div", "cm-search-status", container);
      status.setAttribute("role", "status");
      list.setAttribute("role", "listbox");
      input.type = "search";
      input.placeholder = tr("Find a hub, route or corridor");
      input.setAttribute("aria-label", tr("Find a hub, route or corridor by name or alias"));
      function choices(matches) {  // a short list to choose from
        list.textContent = "";
        matches.slice(0, 8).forEach(function (m) {
          var item = list.appendChild(document.createElement("li")), button = item.appendChild(document.createElement("button"));
          button.type = "button";
          button.textContent = m.place.name;
          button.setAttribute("role", "option");
          L.DomEvent.on(button, "click", function () { list.textContent = ""; status.textContent = ""; show(m.place); });
        });
      }
      function go() {
        var asked = input.value.trim(), matches = find(asked);
        list.textContent = "";
        input.classList.toggle("cm-miss", asked !== "" && (!matches.length || matches[0].rank === 5));
        status.textContent = "";
        if (!asked) return;
        if (!matches.length) {
          status.textContent = tr("No hub, route or corridor named “{q}” on this map", {q: asked});
          return;
        }
        var best = matches.filter(function (m) { return m.rank === matches[0].rank; });
        if (matches[0].rank === 5) {
          status.textContent = tr("No hub, route or corridor named “{q}” on this map. Did you mean:", {q: asked});
          choices(matches);
        } else if (best.length === 1 && matches[0].rank <= 1) {
          show(best[0].place);
        } else {
          choices(matches);
        }
      }
      L.DomEvent.on(input, "keydown", function (event) { if (event.key === "Enter") go(); });
      L.DomEvent.on(input, "search", go);
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      return container;
    }
  });
  new Search().addTo(map);

  cm.findFromAddress = function () {  // #find= in the address: the map opens on what was found
    var matches = cm.found ? find(cm.found) : [];
    if (matches.length && matches[0].rank <= 1) show(matches[0].place);
  };
};
