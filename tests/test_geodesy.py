"""Lengths against independently known distances on the WGS84 ellipsoid."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString

from geo.geodesy import length_km


@pytest.mark.parametrize(
    ("coords", "expected_km", "tolerance_km"),
    [
        # One degree of longitude along the equator: a * pi / 180 with a = 6378.137 km.
        ([(0, 0), (1, 0)], 111.3195, 0.001),
        # Meridian arc from the equator to 1 degree north on WGS84: 110.574 km (standard tables).
        ([(0, 0), (0, 1)], 110.574, 0.001),
        # Quarter meridian, equator to pole on WGS84: 10001.966 km.
        ([(0, 0), (0, 90)], 10001.966, 0.01),
    ],
)
def test_known_geodesic_lengths(coords: list[tuple[float, float]], expected_km: float, tolerance_km: float) -> None:
    assert length_km(LineString(coords)) == pytest.approx(expected_km, abs=tolerance_km)


def test_length_is_sum_of_parts() -> None:
    whole = length_km(LineString([(51.17, 43.66), (55.2, 45.32), (61.15, 47.08)]))
    parts = length_km(LineString([(51.17, 43.66), (55.2, 45.32)])) + length_km(LineString([(55.2, 45.32), (61.15, 47.08)]))
    assert whole == pytest.approx(parts, rel=1e-12)
