"""The user cache: slow results kept on disk between runs, each under the hash of everything it depends on.

An entry's name is the SHA-256 of its kind, its arguments, the source of the whole ``geo`` package,
the versions of the libraries that compute geometry, and the bytes of the data files it reads. So a
changed catalog, data file, library or line of code can never find a stale answer, and a build with
an empty cache writes the same bytes as one with a full cache. A missing, unreadable or malformed
entry is computed again; a cache folder that cannot be written only costs the time.

The folder is ``$CORRIDORS_CACHE``, else ``$XDG_CACHE_HOME/corridor-mapper``, else
``~/.cache/corridor-mapper``; ``corridors check`` keeps its GeoNames answers there too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")
LIBRARIES = ("shapely", "numpy", "pyproj", "scipy", "pyarrow", "pyogrio", "searoute", "folium", "folium-offline", "branca", "jinja2")  # distributions whose versions can change a result


def folder() -> Path:
    """Where the cache lives (not created here)."""
    explicit = os.environ.get("CORRIDORS_CACHE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "corridor-mapper"


@functools.cache
def file_digest(path: Path) -> str:
    """SHA-256 of a data file's bytes (once per run)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def _code() -> str:
    """SHA-256 of the package's source and the versions of the geometry libraries."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for source in sorted(package.glob("**/*.py")) + sorted(package.glob("runtime/*.js")) + sorted(package.glob("runtime/*.css")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes() + b"\0")
    installed = _installed()
    for name in LIBRARIES:
        digest.update(f"{name}={installed.get(_normal(name)) or _version(name)}\0".encode())
    return digest.hexdigest()


@functools.cache
def _installed() -> dict[str, str]:
    """Distribution versions from the names of the ``name-version.dist-info`` folders on the path (and
    ``name-version[-pyX.Y].egg-info``, which an older pip writes when it installs from setup.py, as
    Debian's does for searoute), first one first as importlib does (importlib.metadata parses each
    METADATA file: 20 ms for LIBRARIES)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder_name in names:
            described = _DESCRIBED.fullmatch(folder_name)
            if described:
                found.setdefault(_normal(described["name"]), described["version"])
    return found


_DESCRIBED = re.compile(r"(?P<name>[^-]+)-(?P<version>[^-]+)(-py[0-9.]+)?\.(dist|egg)-info")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _version(name: str) -> str:
    """The version importlib finds (an egg or other layout), or - when the distribution is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def cached(kind: str, key: Any, files: tuple[Path, ...], compute: Callable[[], T], valid: Callable[[Any], bool],
           load: Callable[[Any], T] = lambda value: value, *, dump: Callable[[T], Any] = lambda value: value,
           hook: Callable[[dict[str, Any]], Any] | None = None, slot: str | None = None) -> T:
    """``compute()``'s result for ``key``, from the cache when it holds it.

    ``valid`` tells a well-formed stored value from a damaged one. ``dump`` turns a result into JSON
    (plain values: the default), and ``load`` and ``hook`` (json's object_hook) turn the stored JSON
    back into what ``compute`` returns (tuples, for instance), so callers cannot tell the two apart.
    With ``slot`` (a file's path, say) the kind keeps one entry per slot, which a new key replaces: a
    file edited a hundred times leaves one entry, not a hundred.
    """
    name = hashlib.sha256(json.dumps([kind, key, _code(), [file_digest(f) for f in files]]).encode()).hexdigest()
    path = folder() / kind / f"{hashlib.sha256(os.fsencode(slot)).hexdigest() if slot is not None else name}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"), object_hook=hook)
        if slot is not None:  # stored as [name, value]
            stored_name, stored = stored
            if stored_name != name:
                raise ValueError("the slot holds another key's value")
        if valid(stored):
            return load(stored)
    except (OSError, ValueError, TypeError, RecursionError):  # unreadable, not JSON, of another key, or refused by the hook
        pass
    result = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps([name, dump(result)] if slot is not None else dump(result), separators=(",", ":")),
                           encoding="utf-8")
        os.replace(partial, path)  # whole or not at all, even when two builds run at once
    except OSError:
        pass  # a read-only or missing home: the result is just not kept
    return result


def is_path(value: Any) -> bool:
    """A stored line: at least two [lon, lat] pairs of floats."""
    return isinstance(value, list) and len(value) >= 2 and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, float) for c in p) for p in value)
