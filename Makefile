# Regenerate what data/ holds that is not written by hand. The build needs none of this tooling.
#   make network      OpenStreetMap railways and main roads (data/network/) from the PyPI package scgraph-data
#   make naturalearth Natural Earth 1:50m countries (data/naturalearth/) from the npm package world-atlas
#   make figures      the static figures in docs/ (the overview and every project), with `corridors figure`

TOOLS_VENV := .venv-tools
WORLD_ATLAS := world-atlas@2.0.2

.PHONY: network naturalearth rivers tools-venv figures
tools-venv:
	python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install -q "scgraph-data==2.0.0" "scgraph==2.4.1" "geopandas>=1.0" "pyarrow>=14" \
		"numpy>=1.26" "scipy>=1.10" "pycountry>=22.3"

network: tools-venv
	$(TOOLS_VENV)/bin/python tools/network.py

naturalearth: tools-venv
	rm -rf .world-atlas && mkdir .world-atlas
	cd .world-atlas && npm pack --silent $(WORLD_ATLAS) >/dev/null && tar xzf world-atlas-*.tgz
	$(TOOLS_VENV)/bin/python tools/naturalearth.py .world-atlas/package/countries-50m.json
	rm -rf .world-atlas

# `make rivers`: GSHHG rivers and lake shores (data/rivers/) from Debian's gmt and gmt-gshhg-high (apt-get install them first)
rivers: tools-venv
	$(TOOLS_VENV)/bin/python tools/rivers.py

figures:
	.venv/bin/python tools/figures.py
