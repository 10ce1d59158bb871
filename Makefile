# Regenerate what data/ holds that is not written by hand. The build needs none of this tooling.
# `make network`: OpenStreetMap railways and main roads (data/network/) from the PyPI package scgraph-data.

NETWORK_VENV := .venv-network

.PHONY: network
network:
	python3 -m venv $(NETWORK_VENV)
	$(NETWORK_VENV)/bin/pip install -q "scgraph-data==2.0.0" "scgraph==2.4.1" "geopandas>=1.0" "pyarrow>=14" "numpy>=1.26" "scipy>=1.10"
	$(NETWORK_VENV)/bin/python tools/network.py
