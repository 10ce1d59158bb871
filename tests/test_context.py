"""Context layers: a big vector file in another CRS drawn light and hoverable beneath the corridors."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from browser import open_page
from conftest import MINI, page_data, run_cli, unpacked
from shapely import linestrings

LINES, VERTICES = 400, 50


@pytest.fixture(scope="module")
def context_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini catalog with 400 dense random-walk lines (~200 m steps) around the Caspian, in Web Mercator."""
    work = tmp_path_factory.mktemp("context")
    catalog = work / "catalog"
    shutil.copytree(MINI, catalog)
    rng = np.random.default_rng(3)
    starts = np.column_stack([rng.uniform(45, 56, LINES), rng.uniform(39, 46, LINES)])
    walks = starts[:, None, :] + rng.normal(0, 0.002, (LINES, VERTICES, 2)).cumsum(axis=1)
    frame = gpd.GeoDataFrame({"label": [f"track {i}" for i in range(LINES)]}, geometry=linestrings(walks), crs="EPSG:4326")
    frame.to_crs("EPSG:3857").to_file(catalog / "tracks.gpkg", driver="GPKG")
    (catalog / "context.yaml").write_text(
        "- id: tracks\n  name: Test tracks <b>bold?</b>\n  path: tracks.gpkg\n  maps: [index, test-corridor]\n"
        "  tooltip: label\n  color: '#555555'\n  attribution: synthetic test data\n", encoding="utf-8")
    result = run_cli("--catalog", str(catalog), "build", "--layers", str(work / "layers"), "--maps", str(work / "maps"))
    assert result.returncode == 0, result.stderr
    return work


def _data(page: Path) -> dict:
    html = page.read_text(encoding="utf-8")
    return page_data(html)


def _own(page: Path) -> list[dict]:
    """The catalog's context layers of a page (the OpenStreetMap network layers are on every map)."""
    layers = _data(page)["context"]
    assert [layer["id"] for layer in layers[:2]] == ["network-rail", "network-road"]
    return layers[2:]


def test_context_is_simplified_quantised_and_only_where_asked(context_build: Path) -> None:
    maps = context_build / "maps"
    overview = _own(maps / "index.html")
    assert len(overview) == 1 and _own(maps / "beyneu-aktau.html") == []  # only on the maps named
    layer = overview[0]
    lines = unpacked(layer["lines"])
    vertices = sum(len(line) for line in lines)
    assert 0 < len(lines) <= LINES and len(layer["tooltips"]) == len(lines)
    assert vertices < 0.6 * LINES * VERTICES  # simplified to what the screen shows
    assert all(a != b for line in lines for a, b in zip(line, line[1:]))  # no point repeated on the grid
    assert len(layer["lines"]) / vertices < 4  # bytes per vertex kept, packed


def test_context_draws_on_canvas_and_names_a_line_on_hover(context_build: Path) -> None:
    first = _own(context_build / "maps" / "index.html")[0]
    with open_page(context_build / "maps" / "index.html") as (page, errors, _):
        assert errors == []
        canvas = page.locator("canvas.cm-context")
        lines = unpacked(first["lines"])
        assert canvas.count() == 3 and int(canvas.nth(0).get_attribute("data-lines")) == len(lines)
        x, y = page.evaluate("""([world, [x, y]]) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const s = 256 * Math.pow(2, map.getZoom()) / world, o = map.getPixelOrigin();
            const p = map.layerPointToContainerPoint([x * s - o.x, y * s - o.y]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""", [first["world"], lines[0][0]])
        page.mouse.move(x, y)
        tip = page.locator(".leaflet-tooltip", has_text="track ")
        tip.wait_for(timeout=3000)
        assert tip.inner_text() == first["tooltips"][0]
        page.locator(".leaflet-control-layers").hover()
        names = page.locator(".leaflet-control-layers-overlays").inner_text()
        assert "Context: Test tracks <b>bold?</b>" in names  # escaped, shown as text
        page.locator(".leaflet-control-layers-overlays label", has_text="Context: Test tracks").locator("input").uncheck()
        assert page.locator("canvas.cm-context").count() == 2


@pytest.mark.parametrize(("entry", "message"), [
    ("  path: missing.gpkg\n", "field 'path': 'missing.gpkg' is not a .geojson, .json, .gpkg, .fgb, .shp file"),
    ("  path: tracks.gpkg\n  tooltip: nosuch\n", "field 'tooltip': tracks.gpkg has no attribute 'nosuch'"),
    ("  path: tracks.gpkg\n  maps: [nowhere]\n", "field 'maps': no map 'nowhere'"),
])
def test_bad_context_entries_are_explained(context_build: Path, tmp_path: Path, entry: str, message: str) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(MINI, catalog)
    shutil.copy(context_build / "catalog" / "tracks.gpkg", catalog)
    (catalog / "context.yaml").write_text(f"- id: tracks\n  name: Tracks\n{entry}  attribution: test\n", encoding="utf-8")
    result = run_cli("--catalog", str(catalog), "build", "--layers", str(tmp_path / "l"), "--maps", str(tmp_path / "m"))
    assert result.returncode == 2, result.stderr
    assert "context.yaml:" in result.stderr and "entry 'tracks'" in result.stderr and message in result.stderr
    assert not (tmp_path / "l").exists()


def test_packed_lines_read_back_as_written() -> None:
    """geo.packing's text, read by the test's own reader: every kept vertex on its grid point, in any
    direction and at any distance; repeated points, one-point lines and lines under a pixel left out."""
    from geo.packing import ALPHABET, pack

    world = 2 ** 26
    lines = [linestrings([[179.9, -85], [-179.9, 85], [-179.9, 85], [0, 0]]),  # the longest steps the grid has
             linestrings([[51.2, 43.6], [51.2, 43.6]]),  # one point once repeats are dropped
             linestrings([[45.0, 40.0], [45.0 + 1e-6, 40.0]]),  # under the shortest length asked for
             linestrings([[-3.1, 57.2], [-3.0, 57.1], [10.0, -20.0]])]
    text, written = pack(np.array(lines, dtype=object), world, shortest=8)
    assert set(text) <= set(ALPHABET)
    assert sorted(written.tolist()) == [0, 3]
    assert len(unpacked(pack(np.array(lines[1:2], dtype=object), world, least=1)[0])[0]) == 1  # kept when asked (routes)
    def grid(lon: float, lat: float) -> tuple[int, int]:  # Web Mercator, origin top left, as Leaflet projects
        y = 0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi)
        return round((lon + 180) / 360 * world), round(y * world)

    for index, line in zip(written.tolist(), unpacked(text)):
        expected = [grid(lon, lat) for lon, lat in lines[index].coords]
        assert line == [p for k, p in enumerate(expected) if k == 0 or p != expected[k - 1]], index
