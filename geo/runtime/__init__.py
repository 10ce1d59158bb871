"""The maps' browser runtime: eight JavaScript files, one concern each, joined in this order into
every page (the contract between them and with Python is in docs/map-runtime.md), and the pages'
style sheet."""

from __future__ import annotations

from importlib.resources import files

PARTS = ("core", "packed", "routes", "hubs", "labels", "panels", "years", "search")


def script() -> str:
    """The runtime as one script: its parts joined in order."""
    folder = files(__name__)
    return "\n".join(folder.joinpath(f"{part}.js").read_text(encoding="utf-8") for part in PARTS)


def style() -> str:
    """The pages' own style sheet (beside Leaflet's)."""
    return files(__name__).joinpath("map.css").read_text(encoding="utf-8")
