"""No quadratic steps: doubling a catalog at most about doubles the build's work.

Synthetic catalogs (bench/synthetic.py) of 1,000 and 2,000 routes are loaded, turned into layers
and rendered into maps in one Python process of their own, taking turns: small, large, small,
large, after one warm-up round of each (it fills the user cache). The fastest turn of each size
counts, in CPU seconds of the process. Taking turns means a slow spell of the machine falls on both
sizes rather than on one (CI once measured 1.25 s and 3.58 s when each size had its own process
and its own minute), and CPU time leaves out the time another process held the core. The process is
not pytest's, because a long-lived test process with a large heap makes the garbage collector's
passes dearer as the catalog grows. Imports are outside the timing, and the fixed costs left only
lower the ratio, so t(2,000) / t(1,000) is about 2 for linear work and approaches 4 when a step grows
with the square of the catalog (the hub popups that scanned every route made it far more).
Differences of three sizes were tried and proved too noisy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_catalog  # noqa: E402

SIZES = (1000, 2000)
TURNS = 3
WORK = """
import gc, json, sys, time
from geo.catalog import load_catalog
from geo.layers import build_layers
from geo.mapping import render_maps
folders, turns = sys.argv[1:-1], int(sys.argv[-1])
best = [float("inf")] * len(folders)
for turn in range(turns + 1):
    for index, folder in enumerate(folders):
        gc.collect()
        started = time.process_time()
        catalog = load_catalog(folder)
        pages = sum(len(page) for _, page in render_maps(build_layers(catalog), catalog))
        spent = time.process_time() - started
        assert pages > 0
        del catalog
        if turn:
            best[index] = min(best[index], spent)
print(json.dumps(best))
"""


def _work(folders: list[Path]) -> list[float]:
    """The fastest CPU time of each catalog's load, layers and maps, the catalogs taking turns."""
    command = [sys.executable, "-c", WORK, *map(str, folders), str(TURNS)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_doubling_the_catalog_about_doubles_the_work(tmp_path: Path) -> None:
    small, large = _work([write_catalog(tmp_path / str(n), n) for n in SIZES])
    assert large / small <= 2.5, (small, large)  # measured 1.81-1.96, 1.86-1.96 with both cores busy
