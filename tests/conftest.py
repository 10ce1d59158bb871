"""Fixtures: the repository paths and a helper that runs the `corridors` CLI as a user would."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "catalogs" / "mini"
HOME = Path(tempfile.mkdtemp(prefix="corridors-tests-home-"))  # never the user's home or cache


def pytest_configure(config: pytest.Config) -> None:
    """Every test, and every CLI it runs, sees an empty home and its own cache, as on a fresh machine."""
    os.environ.update(HOME=str(HOME), XDG_CACHE_HOME=str(HOME / ".cache"), CORRIDORS_CACHE=str(HOME / "corridors-cache"))


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(HOME, ignore_errors=True)


def page_data(html: str) -> dict:
    """The data object a map page carries (its JSON block), as the runtime reads it."""
    return json.loads(re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', html, re.S).group(1))


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def unpacked(text: str) -> list[list[tuple[int, int]]]:
    """Packed lines (the format geo/packing.py writes, read here on its own) as lists of (x, y) grid points."""
    numbers, value, shift = [], 0, 0
    for char in text:
        digit = ALPHABET.index(char)
        value, shift = value | (digit & 31) << shift, shift + 5
        if digit < 32:  # a number's last digit
            numbers.append(-(value + 1) // 2 if value % 2 else value // 2)
            value = shift = 0
    assert shift == 0, "the text ends inside a number"
    lines: list[list[tuple[int, int]]] = []
    i, x, y = 0, 0, 0
    while i < len(numbers):
        count, x, y, i = numbers[i], x + numbers[i + 1], y + numbers[i + 2], i + 3
        line = [(x, y)]
        for _ in range(count - 1):
            line.append((line[-1][0] + numbers[i], line[-1][1] + numbers[i + 1]))
            i += 2
        lines.append(line)
    return lines


def lonlat(point: tuple[float, float], world: int) -> tuple[float, float]:
    """A Web Mercator grid point (``world`` units across, origin top left) as (lon, lat) degrees."""
    x, y = point
    return x / world * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world))))


def basemap(data: dict, kind: str) -> list:
    """The page's offline basemap of one kind as shapely shapes in lon/lat: each ring of an area as a
    polygon, each line as a line."""
    from shapely.geometry import LineString, Polygon

    world, make = data["basemap"]["world"], Polygon if kind in ("land", "lake") else LineString
    return [make([lonlat(p, world) for p in line]) for part in data["basemap"]["parts"] if part["kind"] == kind
            for line in unpacked(part["lines"])]


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m geo ARGS`` and capture its output (``env`` replaces the environment)."""
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env)


@pytest.fixture
def mini_catalog(tmp_path: Path) -> Path:
    """A writable copy of the small test catalog."""
    target = tmp_path / "catalog"
    shutil.copytree(MINI, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every byte of the layers/ and maps/ under ``folder``, by relative path."""
    files = [p for sub in ("layers", "maps") for p in sorted((folder / sub).rglob("*")) if p.is_file()]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def build(catalog: Path, out: Path) -> Path:
    """Build ``catalog`` with the CLI into ``out``/layers and ``out``/maps; return ``out``."""
    result = run_cli("--catalog", str(catalog), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps"))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small test catalog built once into a temporary folder (layers/ and maps/ inside)."""
    return build(MINI, tmp_path_factory.mktemp("mini-build"))
