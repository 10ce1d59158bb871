"""The user cache (geo.memo): a build with an empty, a full or a damaged cache writes the same bytes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
    assert {p.parent.name for p in entries} >= {"basemap-json", "catalog-yaml", "context-json", "countries", "page-shell", "sea-legs"}, entries
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


ODD_KEYS = '- id: odd-keys\n  name: Odd keys\n  1: a number\n  true: a boolean\n  "\\0x": starts with NUL\n  "\\0": only NUL\n'


def test_a_catalog_read_back_from_the_cache_gives_the_messages_of_a_fresh_parse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every broken catalog of the corpus, and an entry with keys JSON cannot hold as they are, loads from the
    parse cache with the very problems (file, line, column, entry, field, message) that parsing finds; and
    the second load parses at most the broken file again (when it cannot be parsed, nothing is kept)."""
    from test_broken import CASES, _break

    from geo import catalog as catalog_module

    parses = []
    parse = catalog_module._yaml
    monkeypatch.setattr(catalog_module, "_yaml", lambda text: parses.append(1) or parse(text))
    monkeypatch.setenv("CORRIDORS_CACHE", str(tmp_path / "cache"))
    cases = CASES + [{"case": "odd-keys", "file": "hubs.yaml", "append_entries": [1, ODD_KEYS]}]
    for case in cases:
        folder = tmp_path / case["case"]
        shutil.copytree(MINI, folder)
        _break(folder, case)
        before = len(parses)
        first = _loaded(folder)
        between = len(parses)
        assert between - before >= 3, case["case"]  # sources, hubs, routes, corridors...: each file parsed
        assert _loaded(folder) == first, case["case"]
        assert len(parses) - between <= 1, case["case"]  # ...and then read back, but for a broken one
    assert ("odd-keys", "1") in {(p.entry, p.field) for p in _loaded(tmp_path / "odd-keys")}


def _loaded(folder: Path) -> object:
    """The catalog in ``folder``, or the problems that keep it from loading."""
    from geo.catalog import load_catalog
    from geo.errors import CatalogError

    try:
        return load_catalog(folder)
    except CatalogError as error:
        return error.problems
