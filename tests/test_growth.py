"""No quadratic steps: doubling a catalog at most about doubles the build's work.

Synthetic catalogs (bench/synthetic.py) of 1,000 and 2,000 routes are loaded, turned into layers
and rendered into maps, each three times in a fresh Python process (the fastest counts; the user
cache is warm after the first; a fresh process, because a long-lived test process with a large heap
makes the garbage collector's passes dearer as the catalog grows). Imports are outside the timing,
and the fixed costs left only lower the ratio, so t(2,000) / t(1,000) is about 2 for linear work
and approaches 4 when a step grows with the square of the catalog (the hub popups that scanned
every route made it far more). Differences of three sizes were tried and proved too noisy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_catalog  # noqa: E402

SIZES = (1000, 2000)
WORK = """
import sys, time
from geo.catalog import load_catalog
from geo.layers import build_layers
from geo.mapping import render_maps
best = float("inf")
for _ in range(3):
    started = time.perf_counter()
    catalog = load_catalog(sys.argv[1])
    pages = sum(len(page) for _, page in render_maps(build_layers(catalog), catalog))
    best = min(best, time.perf_counter() - started)
    assert pages > 0
print(best)
"""


def _work(folder: Path) -> float:
    result = subprocess.run([sys.executable, "-c", WORK, str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return float(result.stdout)


def test_doubling_the_catalog_about_doubles_the_work(tmp_path: Path) -> None:
    small, large = (_work(write_catalog(tmp_path / str(n), n)) for n in SIZES)
    assert large / small <= 2.5, (small, large)  # measured 1.98-2.01
