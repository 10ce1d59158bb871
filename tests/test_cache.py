"""The user cache (geo.memo): a build with an empty, a full or a damaged cache writes the same bytes."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import MINI, run_cli, snapshot


def _build(out: Path, cache: Path) -> dict[str, bytes]:
    env = dict(os.environ, CORRIDORS_CACHE=str(cache))
    result = run_cli("--catalog", str(MINI), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps"), env=env)
    assert result.returncode == 0, result.stderr
    return snapshot(out)


def test_empty_full_and_damaged_caches_give_the_same_outputs(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = _build(tmp_path / "cold", cache)
    entries = sorted(p for p in cache.rglob("*.json"))
    assert {p.parent.name for p in entries} >= {"basemap-json", "context-json", "countries", "page-shell", "sea-legs"}, entries
    assert _build(tmp_path / "warm", cache) == cold
    for n, entry in enumerate(entries):  # truncated, not JSON, or JSON of the wrong shape
        entry.write_text(['{"features": [', "not json", '{"lines": 3}', '"a string of the wrong kind"'][n % 4], encoding="utf-8")
    assert _build(tmp_path / "damaged", cache) == cold
    assert _build(tmp_path / "elsewhere", tmp_path / "other-cache") == cold


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    assert _build(tmp_path / "out", blocked) == _build(tmp_path / "ref", tmp_path / "cache")


def test_the_cache_key_knows_each_library_version() -> None:
    """Every library named in the key is installed under that name, and its version is the one importlib gives
    (a misspelt name would hash as missing, and a new version of it could then find a stale answer)."""
    from importlib import metadata

    from geo import memo

    installed = memo._installed()
    for name in memo.LIBRARIES:
        assert installed.get(memo._normal(name)) == metadata.version(name), name
