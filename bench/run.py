"""Benchmark harness: `.venv/bin/python bench/run.py [--repeat N]` prints ratios measured side by side.

1. `corridors build` of the committed catalog against the import floor
   (`python -c "import geopandas, folium, pyproj, shapely"`), runs alternating.
2. Synthetic context layers of 1,000 and 10,000 lines x 50 vertices (a GeoPackage in UTM 42N, so
   the build reprojects it): build time and peak memory, and how they grow.
3. The resulting overview map against `GeoDataFrame.explore()` of the same 10,000 lines: HTML bytes
   and the time until the lines are drawn in headless Chromium (both offline, assets inlined), with
   a check that a line shows its tooltip on hover in both. And the committed catalog's overview
   against `explore()` of its routes with its hubs added: bytes, and drawn, the two pages in turn.
4. Scale: synthetic catalogs of 200, 1,000, 2,000 and 5,000 routes (bench/synthetic.py): build time
   and peak memory against the import floor taken in the same turns (each built once into an empty
   user cache, then timed warm), the overview's bytes, the time until it is drawn in Chromium, the
   time of one zoom step until its view is painted and the slowest of the three steps after it
   (further in), and how the work above the import floor grows from 1,000 to 2,000 routes.
Everything generated goes to a temporary folder. `--scale-only` runs part 4 alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

VERTICES = 50
EXPLORE = """
import sys, geopandas as gpd
from geo.mapping import _inline_assets
frame = gpd.read_file(sys.argv[1]).to_crs("EPSG:4326")
html = frame.explore(tooltip="name").get_root().render()
open(sys.argv[2], "w", encoding="utf-8").write(_inline_assets(html))
"""
DRAWN = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    let lines = 0;  // explore(): one Leaflet path per line; ours: the count on each context canvas
    map.eachLayer(l => { if (l instanceof L.Polyline && !(l instanceof L.Polygon) && l.feature) lines += 1; });
    document.querySelectorAll("canvas.cm-context").forEach(c => {  // the synthetic layer, not the network
        if (!c.dataset.layer.startsWith("network-")) lines += Number(c.dataset.lines);
    });
    done({ms: performance.now(), lines: lines});
})))"""
EXPLORE_SITE = """
import sys, geopandas as gpd
from geo.mapping import _inline_assets
routes, hubs = (gpd.read_file(f"{sys.argv[1]}/{name}.geojson") for name in ("routes", "hubs"))
page = routes.explore(tooltip="name")
hubs.explore(m=page, tooltip="name")
open(sys.argv[2], "w", encoding="utf-8").write(_inline_assets(page.get_root().render()))
"""
HOVER = """([lat, lon]) => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const p = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    return [box.left + p.x, box.top + p.y];
}"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def side_by_side(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    """Median seconds and peak MB per command, the commands run in turn ``repeat`` times."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(timed(command))
    return {name: (statistics.median(s for s, _ in r), max(m for _, m in r)) for name, r in runs.items()}


def synthetic_lines(count: int, path: Path) -> tuple[float, float]:
    """``count`` random-walk lines of VERTICES vertices over Kazakhstan, written in UTM zone 42N.

    Returns a vertex in the middle of the first line (lat, lon), for the hover check.
    """
    import geopandas as gpd
    import numpy as np
    from shapely import linestrings

    rng = np.random.default_rng(7)
    starts = np.column_stack([rng.uniform(50, 85, count), rng.uniform(41, 54, count)])
    steps = rng.normal(0, 0.02, (count, VERTICES, 2)).cumsum(axis=1)
    lines = linestrings(starts[:, None, :] + steps)
    frame = gpd.GeoDataFrame({"name": [f"line {i}" for i in range(count)]}, geometry=lines, crs="EPSG:4326")
    frame.to_crs("EPSG:32642").to_file(path, driver="GPKG")
    lon, lat = lines[0].coords[VERTICES // 2]
    return lat, lon


def catalog_with_context(work: Path, lines: Path, name: str) -> Path:
    """A copy of the committed catalog with ``lines`` as a context layer (inside the catalog folder, as required)."""
    catalog = work / name
    shutil.copytree(ROOT / "data", catalog)
    shutil.copy(lines, catalog / lines.name)
    (catalog / "context.yaml").write_text(
        f"- id: synthetic\n  name: Synthetic network\n  path: {lines.name}\n  maps: [index]\n  tooltip: name\n"
        "  attribution: synthetic benchmark data\n", encoding="utf-8")
    return catalog


def drawn_in_chromium(page_file: Path, repeat: int, probe: tuple[float, float]) -> tuple[float, int, bool]:
    """Median ms from navigation to two frames after load, lines with tooltips, and a hover check."""
    from browser import open_page

    times, lines, hovered = [], 0, False
    for i in range(repeat):
        with open_page(page_file) as (page, errors, _):
            result = page.evaluate(DRAWN)
            times.append(result["ms"])
            lines = result["lines"]
            if i == 0:
                x, y = page.evaluate(HOVER, list(probe))
                page.mouse.move(x, y)
                page.wait_for_timeout(300)
                hovered = any("line 0" in t for t in page.locator(".leaflet-tooltip").all_inner_texts())
            if errors:
                raise SystemExit(f"{page_file.name}: {errors}")
    return statistics.median(times), lines, hovered


def drawn_in_turn(pages: dict[str, Path], repeat: int) -> dict[str, float]:
    """Median ms from navigation to two frames after load of each page, the pages opened in turn ``repeat`` times."""
    from browser import open_page

    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(repeat):
        for name, page_file in pages.items():
            with open_page(page_file) as (page, errors, _):
                times[name].append(page.evaluate(DRAWN)["ms"])
                if errors:
                    raise SystemExit(f"{page_file.name}: {errors}")
    return {name: statistics.median(t) for name, t in times.items()}


# A zoom step lasts until its view is painted. Chromium rasterises a frame's tiles after the page's
# own work for it; the second frame after the zoom can begin before they are done, the third cannot
# (at 5,000 routes it begins about 2 s after the second), so the step is timed to the third.
ZOOM_STEP = """() => new Promise(done => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const start = performance.now();
    const frames = n => n ? requestAnimationFrame(() => frames(n - 1)) : done(performance.now() - start);
    map.once("zoomend", () => frames(3));
    map.setZoom(map.getZoom() + 1, {animate: false});
})"""
SCALE = (200, 1000, 2000, 5000)
DEEPER = 3  # zoom steps taken after the first, further in: the slowest is reported


def scale_rows(work: Path, repeat: int, floor_command: list[str]) -> list[tuple[str, str, float | None, str]]:
    """Part 4: the synthetic catalogs built side by side with the import floor (warm user cache), their
    overviews in Chromium."""
    from browser import open_page
    from synthetic import write_catalog

    python = sys.executable
    env_cache = work / "scale-cache"
    os.environ["CORRIDORS_CACHE"] = str(env_cache)  # the children inherit it: one cache for the scale runs
    commands = {}
    for n in SCALE:
        catalog = write_catalog(work / f"synthetic-{n}", n)
        commands[str(n)] = [python, "-m", "geo", "--catalog", str(catalog), "build", "--quiet",
                            "--layers", str(work / f"scale-{n}" / "layers"), "--maps", str(work / f"scale-{n}" / "maps")]
        timed(commands[str(n)])  # fills the cache, as any earlier build of the catalog would
    measured = side_by_side({"floor": floor_command, **commands}, repeat)  # the floor in the same turns
    floor = measured["floor"][0]
    rows = [("import floor, taken in turn with these builds", f"{floor:.2f} s", None, "")]
    for n in SCALE:
        seconds, memory = measured[str(n)]
        page = work / f"scale-{n}" / "maps" / "index.html"
        draws, zooms, deeper = [], [], []
        for _ in range(repeat):
            with open_page(page) as (browser_page, errors, _):
                draws.append(browser_page.evaluate(DRAWN)["ms"])
                zooms.append(browser_page.evaluate(ZOOM_STEP))
                deeper.append(max(browser_page.evaluate(ZOOM_STEP) for _ in range(DEEPER)))
                if errors:
                    raise SystemExit(f"{page}: {errors}")
        rows.append((f"{n:,} routes: build, peak memory", f"{seconds:.2f} s, {memory:.0f} MB", seconds / floor,
                     "<= 3 x floor" if n == 1000 else "< 20 s, < 1.5 GB" if n == 5000 else ""))
        rows.append((f"{n:,} routes: overview bytes, drawn, zoom step",
                     f"{page.stat().st_size / 1e6:.1f} MB, {statistics.median(draws):.0f} ms, {statistics.median(zooms):.0f} ms",
                     None, "drawn < 3 s, zoom < 200 ms" if n == 5000 else ""))
        rows.append((f"{n:,} routes: slowest of the next {DEEPER} zoom steps", f"{statistics.median(deeper):.0f} ms", None, ""))
    above = [measured[str(n)][0] - floor for n in (1000, 2000)]
    rows.append(("growth: work above the floor, 2,000 / 1,000", f"{above[1]:.2f} s / {above[0]:.2f} s",
                 above[1] / above[0], "<= 2.3"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--scale-only", action="store_true", help="only the synthetic scale table (part 4)")
    args = parser.parse_args()
    repeat = args.repeat
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="corridors-bench-") as folder:
        work = Path(folder)
        floor = [python, "-c", "import geopandas, folium, pyproj, shapely"]
        if args.scale_only:
            rows += scale_rows(work, repeat, floor)
            _print(rows, repeat)
            return

        def build(catalog: Path, out: str) -> list[str]:
            return [python, "-m", "geo", "--catalog", str(catalog), "build",
                    "--layers", str(work / out / "layers"), "--maps", str(work / out / "maps")]

        first = side_by_side({"floor": floor, "build": build(ROOT / "data", "plain")}, repeat)
        rows.append(("corridors build / import floor", f"{first['build'][0]:.2f} s / {first['floor'][0]:.2f} s",
                     first["build"][0] / first["floor"][0], "<= 1.5"))

        catalogs = {}
        for count in (1000, 10000):
            lines = work / f"lines-{count}.gpkg"
            probe = synthetic_lines(count, lines)
            catalogs[count] = catalog_with_context(work, lines, f"catalog-{count}")
        grown = side_by_side({"0": build(ROOT / "data", "plain"),
                              **{str(n): build(c, f"ctx-{n}") for n, c in catalogs.items()}}, repeat)
        for n in (1000, 10000):
            rows.append((f"build with {n:,} context lines", f"{grown[str(n)][0]:.2f} s, {grown[str(n)][1]:.0f} MB peak",
                         None, "< 15 s, < 1 GB" if n == 10000 else ""))
        extra = [grown[n][0] - grown["0"][0] for n in ("1000", "10000")]  # over a build without context, same runs
        rows.append(("growth: time added by 10,000 / by 1,000 lines", f"{extra[1]:.2f} s / {extra[0]:.2f} s",
                     extra[1] / extra[0] if extra[0] > 0 else float("nan"), "<= 10 (linear)"))
        memory = [grown[n][1] - grown["0"][1] for n in ("1000", "10000")]
        rows.append(("growth: memory added by 10,000 / by 1,000", f"{memory[1]:.0f} MB / {memory[0]:.0f} MB",
                     memory[1] / memory[0] if memory[0] > 0 else float("nan"), "<= 10 (linear)"))

        explore_html = work / "explore.html"
        explore_time = timed([python, "-c", EXPLORE, str(work / "lines-10000.gpkg"), str(explore_html)])[0]
        ours = work / "ctx-10000" / "maps" / "index.html"
        size_ours, size_explore = ours.stat().st_size, explore_html.stat().st_size
        rows.append(("map bytes: ours / explore()", f"{size_ours / 1e6:.2f} MB / {size_explore / 1e6:.2f} MB",
                     size_ours / size_explore, "<= 0.25"))
        ms_ours, lines_ours, hover_ours = drawn_in_chromium(ours, repeat, probe)
        ms_explore, lines_explore, hover_explore = drawn_in_chromium(explore_html, repeat, probe)
        rows.append(("drawn in Chromium: ours / explore()", f"{ms_ours:.0f} ms / {ms_explore:.0f} ms",
                     ms_ours / ms_explore, "<= 0.5"))
        rows.append(("lines drawn; hovering line 0 names it", f"{lines_ours:,} {hover_ours} / {lines_explore:,} {hover_explore}",
                     None, "both 10,000 True"))
        rows.append(("(explore() itself took to write its map)", f"{explore_time:.2f} s", None, ""))

        site_html = work / "explore-site.html"
        timed([python, "-c", EXPLORE_SITE, str(work / "plain" / "layers"), str(site_html)])
        overview = work / "plain" / "maps" / "index.html"
        rows.append(("committed overview bytes: ours / explore()",
                     f"{overview.stat().st_size / 1e6:.2f} MB / {site_html.stat().st_size / 1e6:.2f} MB",
                     overview.stat().st_size / site_html.stat().st_size, "< 0.5"))
        drawn = drawn_in_turn({"ours": overview, "explore": site_html}, repeat)
        rows.append(("committed overview drawn: ours / explore()", f"{drawn['ours']:.0f} ms / {drawn['explore']:.0f} ms",
                     drawn["ours"] / drawn["explore"], "< 1"))
        rows += scale_rows(work, repeat, floor)
    _print(rows, repeat)


def _print(rows: list[tuple[str, str, float | None, str]], repeat: int) -> None:
    print(f"corridor-mapper benchmark, {repeat} runs each, medians; {platform.platform()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"| {'measure':46} | {'values':32} | {'ratio':>6} | target |")
    print(f"| {'-' * 46} | {'-' * 32} | {'-' * 6} | ------ |")
    for measure, values, ratio, target in rows:
        print(f"| {measure:46} | {values:32} | {'' if ratio is None else f'{ratio:.2f}':>6} | {target} |")


if __name__ == "__main__":
    main()
