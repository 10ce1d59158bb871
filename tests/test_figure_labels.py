"""`corridors figure` labels what a report's reader looks for: every capital and corridor terminus in
view, by the maps' priority, and the countries where there is room."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from geo.catalog import load_catalog
from geo.figure import render_figure
from geo.layers import build_layers
from geo.mapping import map_specs


def test_the_overview_figure_labels_every_capital_and_terminus_and_names_countries(tmp_path: Path) -> None:
    catalog = load_catalog(ROOT / "data")
    layers = build_layers(catalog)
    spec = next(s for s in map_specs(layers, catalog) if s.id == "index")
    drawn = render_figure(catalog, layers, spec, tmp_path / "index.png", width=1600)
    termini = {catalog.routes[c.legs[k]].via[k].hub for c in catalog.corridors.values() for k in (0, -1)}
    wanted = {h for h in drawn["in_view"] if catalog.hubs[h].capital} | (termini & set(drawn["in_view"]))
    assert {"lianyungang", "constanta", "astana", "baku", "tashkent", "tbilisi"} <= wanted
    assert wanted <= set(drawn["labelled"]), sorted(wanted - set(drawn["labelled"]))
    assert {"Kazakhstan", "China", "Mongolia"} <= set(drawn["countries"]), drawn["countries"]
