/* corridor-mapper map runtime, part 7 of 8: the year shown and the language.
 *
 * The year (#year=2020 in the address) draws each route and hub with the status it had then, or is
 * expected to have, by the rule of geo/timeline.py (statusIn below; a browser test checks that the two
 * agree for every entry and year): not drawn before it existed, "date unknown" (faint) where the
 * catalog cannot say whether it existed, and the year note says which entries those are. The
 * language (#lang=ru) is chosen in the title panel; the page opens again in it.
 *
 * Reads cm.data.years and each route's and hub's t (geo.timeline.dates); fires "cm:year".
 * DOM: the map's container carries data-year; hubs of unknown date carry the class cm-unknown.
 */
CM.statusIn = function (t, year, now) {
  var status = t[0], asOf = t[1], start = t[2], opened = t[3], expected = t[4], upgrade = t[5], since = t[6], dated = t[7];
  if (year >= now) {
    if (status === null) return "operational";
    return status !== "operational" && expected !== null && year > now && year >= expected ? "expected" : status;
  }
  function before(works) {  // before the works: the existing line (an upgrade) or nothing (a new one)
    if (!upgrade) return null;
    return (since !== null && year >= since) || (works !== null && year >= works) ? "operational" : "unknown";
  }
  if (status === null || status === "operational") {
    if (opened !== null) {
      if (year >= opened) return "operational";
      if (start !== null && year >= start) return upgrade ? "upgrading" : "under_construction";
      return before(start !== null ? start : opened);
    }
    if (status === null && !dated) return "operational";  // a place, not a work: no dates to keep
    var known = since !== null ? since : asOf;
    if (upgrade && start !== null && year >= start) return known !== null && year >= known && known > start ? "operational" : "upgrading";
    return known !== null && year >= known ? "operational" : "unknown";
  }
  if (status === "upgrading") return start === null ? "unknown" : year >= start ? "upgrading" : before(start);
  if (status === "under_construction") return start === null ? (asOf !== null && year >= asOf ? status : "unknown") : year >= start ? status : null;
  return asOf === null || year >= asOf ? status : null;  // a plan or proposal: not known before it was made
};

CM.years = function (cm) {
  var map = cm.map, data = cm.data, tr = cm.tr, years = data.years, year = years.default, yearNote = "";
  if ("year" in cm.hash) {
    var asked = /^[0-9]{4}$/.test(cm.hash.year) ? +cm.hash.year : NaN;
    if (asked >= years.min && asked <= years.max) year = asked;
    else yearNote = tr("“#year={asked}” is not a year from {first} to {last}: showing {year}.",
                       {asked: cm.hash.year, first: years.min, last: years.max, year: year});
  }
  var panel = map.getContainer().querySelector(".cm-intro details") || map.getContainer().querySelector(".cm-intro");
  var box = document.createElement("p"), label = document.createElement("label"), slider = document.createElement("input");
  var output = document.createElement("output"), note = document.createElement("small"), unknown = document.createElement("small");
  box.className = "cm-year";
  label.textContent = tr("Year shown") + " ";
  slider.type = "range"; slider.min = years.min; slider.max = years.max; slider.step = 1; slider.value = year;
  slider.setAttribute("aria-label", tr("Year shown: statuses from the catalog's dates"));
  note.className = "cm-year-note"; note.setAttribute("role", "status"); note.textContent = [yearNote, cm.langNote].join(" ").trim();
  unknown.className = "cm-year-unknown";
  label.appendChild(slider); box.appendChild(label); box.appendChild(document.createTextNode(" ")); box.appendChild(output);

  // The language: a switch in the title panel; the page opens again in the one chosen.
  var chooser = document.createElement("select"), chooserLabel = document.createElement("label");
  chooserLabel.className = "cm-lang";
  chooserLabel.appendChild(document.createTextNode(tr("Language") + " "));
  Object.keys(data.languages).forEach(function (code) {
    var option = document.createElement("option");
    option.value = code; option.textContent = data.languages[code]; option.selected = code === cm.lang;
    chooser.appendChild(option);
  });
  chooserLabel.appendChild(chooser);
  [document.createElement("br"), chooserLabel, document.createElement("br"), note, unknown].forEach(function (e) { box.appendChild(e); });
  var summary = panel.querySelector("summary");
  panel.insertBefore(box, summary ? summary.nextSibling : panel.firstChild);
  L.DomEvent.on(chooser, "change", function () {
    location.hash = cm.addressFor({lang: chooser.value});
    location.reload();
  });

  // What the address keeps: the year and language when not the defaults, and what search found.
  cm.found = "find" in cm.hash ? cm.hash.find : "";
  cm.addressFor = function (change) {
    var state = L.extend({year: year !== years.default ? year : "", lang: cm.lang !== data.lang ? cm.lang : "", find: cm.found}, change || {});
    return ["year", "lang", "find"].filter(function (k) { return state[k] !== ""; })
      .map(function (k) { return k + "=" + encodeURIComponent(state[k]); }).join("&");
  };
  cm.remember = function () {  // the address and the links to the other maps say what is shown
    var state = cm.addressFor(), keep = cm.addressFor({find: ""});
    if (history.replaceState) history.replaceState(null, "", location.pathname + location.search + (state ? "#" + state : ""));
    map.getContainer().querySelectorAll(".cm-intro nav a").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + (keep ? "#" + keep : ""));
    });
  };

  function showYear(y) {
    year = y;
    var unknownNames = [];
    data.routes.forEach(function (route) {  // only the lines whose status changes are touched
      var status = CM.statusIn(route.t, y, years.now);
      if (status === "unknown") unknownNames.push(cm.named(route));
      if (status !== route.shownStatus) cm.setRouteStyle(route, status);
    });
    cm.hubs.forEach(function (h) {  // a hub not there yet leaves the map, with its label
      var status = CM.statusIn(h.hub.t, y, years.now), group = cm.groups[h.hub.group];
      if (status === "unknown") unknownNames.push(cm.named(h.hub));
      if ((status === null) !== h.gone) {
        h.gone = status === null;
        if (h.gone) { group.removeLayer(h.marker); cm.labelLayer.removeLayer(h.label.marker); }
        else { group.addLayer(h.marker); cm.labelLayer.addLayer(h.label.marker); }
      }
      h.unknown = status === "unknown";
      if (h.marker.getElement()) h.marker.getElement().classList.toggle("cm-unknown", h.unknown);
    });
    unknown.textContent = unknownNames.length ? tr("In {year} the catalog has no date for: {names}. They are drawn faint.",
                                                   {year: y, names: unknownNames.join(", ")}) : "";
    cm.remember();
    output.textContent = String(y) + " (" + tr(y > years.now ? "expected" : y < years.now ? "past" : "now") + ")";
    map.getContainer().dataset.year = y;
  }
  L.DomEvent.on(slider, "input", function () { showYear(+slider.value); map.fire("cm:year"); });
  map.on("overlayadd", function () {  // a hub layer shown again: its symbols keep the year's look
    cm.hubs.forEach(function (h) { if (h.marker.getElement()) h.marker.getElement().classList.toggle("cm-unknown", !!h.unknown); });
  });
  showYear(year);
};
