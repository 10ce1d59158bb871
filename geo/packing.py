"""Packed lines: the compact text in which a page carries lines already projected to integer Web
Mercator (the context layers and the offline basemap), read back by ``unpack`` in map.js.

The text is a run of numbers. Each line is its vertex count, then its first vertex as the step from
the previous line's first vertex, then each further vertex as the step from the one before it. A
number is zigzag-coded (0, -1, 1, -2, ... become 0, 1, 2, 3, ...) and written in base 32, the least
significant digit first, one character per digit: ``ALPHABET[d]`` for a number's last digit d and
``ALPHABET[32 + d]`` for a digit that has more after it. Every character is safe in JSON and HTML as
it is, and a step of under 16 grid units takes one character.
"""

from __future__ import annotations

import numpy as np
import shapely

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
MAX_LAT = 85.0511287798  # where Web Mercator ends
STEPS_PER_TOLERANCE = 2  # the grid has at least this many steps per simplification tolerance, so rounding stays invisible
STRIP = 64  # lines are written in strips this many grid units wide, south to north, so first vertices step little
_DIGITS = 7  # enough for any number the grid can give (2 ** 26 units across the world)
_CODES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def world_for(tolerance: float) -> int:
    """The grid for lines simplified with ``tolerance`` degrees: units across the world, a power of two."""
    return 2 ** int(np.clip(np.ceil(np.log2(360 * STEPS_PER_TOLERANCE / tolerance)), 12, 26))


def mercator(lonlat: np.ndarray, world: int) -> np.ndarray:
    """[lon, lat] degrees to integer Web Mercator [x, y] (world units across, origin top left), as Leaflet projects."""
    lat = np.radians(np.clip(lonlat[:, 1], -MAX_LAT, MAX_LAT))
    x = (lonlat[:, 0] + 180) / 360
    y = 0.5 - np.log(np.tan(np.pi / 4 + lat / 2)) / (2 * np.pi)
    return np.round(np.column_stack([x, y]) * world).astype(np.int64)


def pack(lines: np.ndarray, world: int, least: int = 2, shortest: float = 0.0) -> tuple[str, np.ndarray]:
    """``lines`` (shapely LineStrings or LinearRings) on the grid ``world``, as packed text, and the
    index in ``lines`` of each line written, in the order written.

    Vertices that fall on the grid point of the one before are dropped; then a line with fewer than
    ``least`` vertices, or shorter than ``shortest`` grid units (under a pixel where it is drawn), is
    left out.
    """
    coords, part = shapely.get_coordinates(lines, return_index=True)
    ints = mercator(coords, world)
    first = np.r_[True, part[1:] != part[:-1]][:len(part)]  # empty when there is no line
    steps = np.diff(ints, axis=0, prepend=ints[:1])
    kept = first | np.any(steps != 0, axis=1)
    ints, part, first = ints[kept], part[kept], first[kept]
    starts = np.flatnonzero(first)
    counts = np.diff(np.r_[starts, len(part)])
    steps = np.diff(ints, axis=0, prepend=ints[:1])
    steps[first] = 0
    lengths = np.add.reduceat(np.hypot(steps[:, 0], steps[:, 1]), starts) if len(starts) else np.zeros(0)
    good = np.flatnonzero((counts >= least) & (lengths >= shortest))
    good = good[np.lexsort((ints[starts[good], 1], ints[starts[good], 0] // STRIP))]
    counts = counts[good]
    heads = np.cumsum(counts) - counts  # each line's first vertex in the written order
    order = np.repeat(starts[good] - heads, counts) + np.arange(counts.sum())
    points = ints[order]
    steps = np.diff(points, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    steps[heads] = points[heads] - np.vstack([np.zeros((1, 2), dtype=np.int64), points[heads[:-1]]])
    numbers = np.insert(steps.ravel(), 2 * heads, counts)
    return _text(numbers), part[starts[good]]


def _text(numbers: np.ndarray) -> str:
    """Numbers as zigzag base-32 digits, one character each (see the module's docstring)."""
    zigzag = np.where(numbers < 0, -2 * numbers - 1, 2 * numbers)
    digits = 1 + sum((zigzag >= 32 ** k).astype(np.int64) for k in range(1, _DIGITS))
    place = np.arange(_DIGITS)
    values = (zigzag[:, None] >> (5 * place)) & 31
    more = place < (digits - 1)[:, None]
    codes = (values + 32 * more)[place < digits[:, None]]
    return _CODES[codes].tobytes().decode("ascii")
