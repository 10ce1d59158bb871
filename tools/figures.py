"""`make figures`: the static figure of the overview and of every project map into docs/ (figure-<id>.png),
drawn by `corridors figure` with its defaults (the catalog's as-of year, English, 1600 px wide)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geo.catalog import load_catalog
from geo.layers import build_layers
from geo.mapping import map_specs

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    catalog = load_catalog(ROOT / "data")
    ids = [spec.id for spec in map_specs(build_layers(catalog), catalog) if spec.kind in ("overview", "project")]
    for map_id in ids:
        subprocess.run([sys.executable, "-m", "geo", "figure", map_id, "--out", str(ROOT / "docs" / f"figure-{map_id}.png")],
                       cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
