"""Output: deterministic RFC 7946 GeoJSON text, and writing the output folders all-or-nothing under a lock."""

from __future__ import annotations

import fcntl
import json
import math
import os
import shutil
import signal
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import geopandas as gpd
from shapely.geometry import mapping

from geo.geodesy import DECIMALS
from geo.layers import SCHEMAS

LOCK_NAME = ".corridors-build.lock"


def _clean(value: Any) -> Any:
    """JSON-ready value: numpy scalars to Python, NaN to null, floats rounded."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def geojson_text(name: str, frame: gpd.GeoDataFrame) -> str:
    """A FeatureCollection with one feature per line, properties in schema order, sorted by id."""
    fields = [f.name for f in SCHEMAS[name]]
    lines = []
    for row in frame.sort_values("id").itertuples(index=False):
        record = row._asdict()
        feature = {
            "type": "Feature",
            "id": record["id"],
            "geometry": _clean(mapping(record["geometry"])),
            "properties": {f: _clean(record[f]) for f in fields},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","name":"{name}","features":[\n{body}\n]}}\n'


class BuildBusy(Exception):
    """Another build holds the lock on the output folders."""


@contextmanager
def build_lock(directories: list[Path]) -> Iterator[None]:
    """Hold an exclusive lock (a file in each output folder's parent) for the whole build."""
    with ExitStack() as stack:
        for parent in sorted({d.resolve().parent for d in directories}):
            parent.mkdir(parents=True, exist_ok=True)
            handle = stack.enter_context(open(parent / LOCK_NAME, "a+", encoding="utf-8"))
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise BuildBusy(
                    f"another corridors build (process {holder}) is writing into {parent}; "
                    "wait for it to finish, then run again"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        yield


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (they are delivered right after it)."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)


def _recover(target: Path) -> None:
    """Clear what killed builds left beside ``target``: staged folders, and a swap cut off halfway.

    Called with the build lock held, so no live build is using any of it.
    """
    for old in sorted(target.parent.glob(f".{target.name}.old-*")):
        saved = old / target.name
        if saved.is_dir() and not target.exists():  # killed between the two renames of a swap
            os.rename(saved, target)
        shutil.rmtree(old, ignore_errors=True)
    for new in target.parent.glob(f".{target.name}.new-*"):
        shutil.rmtree(new, ignore_errors=True)


@contextmanager
def staged_outputs(owned: dict[Path, tuple[str, ...]]) -> Iterator[Callable[[Path, str], None]]:
    """Build output folders beside the real ones; swap them in only if the block completes.

    Call it with build_lock held. ``owned`` maps each output folder to the globs of files the
    build makes there; other files already in the folder are carried over. Yields
    ``write(path, text)``. On any exception, interruption included, the staged folders are deleted
    and the real ones stay byte-identical; what killed builds left behind is cleared first.
    """
    staged: dict[Path, Path] = {}
    try:
        for target in owned:
            target.parent.mkdir(parents=True, exist_ok=True)
            _recover(target)
            with _signals_blocked():  # a folder made is a folder recorded, so the cleanup below finds it
                staged[target] = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
            os.chmod(staged[target], 0o755)

        def write(path: Path, text: str) -> None:
            out = staged[path.parent] / path.name
            with open(out, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.chmod(out, 0o644)

        yield write
        with _signals_blocked():  # the swap itself is not interrupted
            for target, globs in owned.items():
                _swap(target, staged[target], globs)
    finally:
        for folder in staged.values():
            shutil.rmtree(folder, ignore_errors=True)


def _swap(target: Path, new: Path, globs: tuple[str, ...]) -> None:
    """Replace ``target`` by ``new``, keeping files in ``target`` that the build does not own."""
    if target.is_dir():
        ours = {p for pattern in globs for p in target.glob(pattern)}
        for other in target.iterdir():
            if other not in ours and not (new / other.name).exists():
                os.link(other, new / other.name) if other.is_file() else shutil.copytree(other, new / other.name)
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        os.rename(target, old / target.name)
        os.rename(new, target)
        shutil.rmtree(old)
    else:
        os.rename(new, target)
