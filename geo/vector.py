"""Opening the vector files a catalog names: only inside the catalog folder, only with the driver the suffix promises.

GDAL picks a driver from a file's content, so a ``.geojson`` could be a VRT that reads any local
file or fetches from the network. Here the first bytes must match the suffix, the driver GDAL
reports must be the one the suffix names, and a path (sidecar files included) must resolve inside
the catalog folder. Callers get messages (``inspect``) or a frame (``read``), never GDAL's surprises.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from pyproj import CRS

DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".fgb": "FlatGeobuf", ".shp": "ESRI Shapefile"}
SUFFIXES = tuple(DRIVERS)
_MAGIC = {"GPKG": b"SQLite format 3\x00", "FlatGeobuf": b"fgb\x03", "ESRI Shapefile": b"\x00\x00\x27\x0a"}
_SIDECARS = (".shx", ".dbf", ".prj", ".cpg")


def contained(directory: Path, path: str) -> tuple[Path | None, str | None]:
    """``path`` (relative to ``directory``) resolved, or why it cannot be used."""
    folder = directory.resolve()
    resolved = (directory / path).resolve()
    where = f"paths are relative to {directory}"
    if not resolved.is_relative_to(folder):
        return None, f"{path!r} is outside the catalog folder (it resolves to a file elsewhere); {where}"
    if resolved.suffix.lower() not in DRIVERS or not resolved.is_file():
        return None, f"{path!r} is not a {', '.join(SUFFIXES)} file ({where})"
    for sidecar in (resolved.with_suffix(s) for s in _SIDECARS if resolved.suffix.lower() == ".shp"):
        if sidecar.exists() and not sidecar.resolve().is_relative_to(folder):
            return None, f"{sidecar.name} beside {path!r} resolves outside the catalog folder"
    return resolved, None


def _content_error(path: Path) -> str | None:
    """Why the file's first bytes are not what its suffix says, or None."""
    driver = DRIVERS[path.suffix.lower()]
    with open(path, "rb") as handle:
        head = handle.read(64)
    if driver == "GeoJSON":
        ok = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"
    else:
        ok = head.startswith(_MAGIC[driver])
    return None if ok else f"{path.name} is not a {driver} file inside (its content is something else)"


def inspect(path: Path, layer: str | None, tooltip: str | None) -> list[tuple[str, str]]:
    """Everything wrong with reading ``path`` as a context layer, as (field, message) pairs."""
    problem = _content_error(path)
    if problem:
        return [("path", problem)]
    try:
        import pyogrio  # only for catalogs with context files

        info = pyogrio.read_info(path, layer=layer, force_total_bounds=True)
    except Exception as error:  # noqa: BLE001 - GDAL's many errors become one clear message
        return [("layer" if layer else "path", f"cannot read {path.name}: {error}")]
    if info["driver"] != DRIVERS[path.suffix.lower()]:
        return [("path", f"{path.name} is read by GDAL as {info['driver']}, not {DRIVERS[path.suffix.lower()]}")]
    found = []
    if tooltip and tooltip not in list(info["fields"]):
        found.append(("tooltip", f"{path.name} has no attribute {tooltip!r}"))
    if info["crs"] is None:
        found.append(("path", f"{path.name} does not say its coordinate reference system"))
    elif CRS.from_user_input(info["crs"]).is_geographic and info["features"]:
        west, south, east, north = info["total_bounds"]
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            found.append(("path", f"{path.name} has coordinates outside ±180°/±90° ({west:.6g}, {south:.6g} to "
                                  f"{east:.6g}, {north:.6g}) although it says they are degrees ({info['crs']}); "
                                  "projected coordinates need their CRS in the file"))
    return found


def read(path: Path, layer: str | None, columns: list[str]) -> gpd.GeoDataFrame:
    """The file as a frame, with the driver its suffix names (call ``inspect`` first)."""
    problem = _content_error(path)
    if problem:  # changed since it was inspected
        raise ValueError(problem)
    import pyogrio

    return pyogrio.read_dataframe(path, layer=layer, columns=columns)
