"""Builds that fail, are interrupted or collide leave the last good outputs alone; junk input never crashes."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from conftest import MINI, ROOT, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo.mapping
from geo.catalog import load_catalog
from geo.cli import main
from geo.errors import CatalogError
from geo.io import build_lock


@pytest.fixture
def last_good(tmp_path: Path, mini_build: Path) -> Path:
    """A folder holding layers/ and maps/ of a good build, as a user's checkout would."""
    out = tmp_path / "out"
    shutil.copytree(mini_build, out)
    return out


def _build_args(out: Path, catalog: Path = MINI) -> list[str]:
    return ["--catalog", str(catalog), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps")]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_interrupted_build_leaves_outputs_byte_identical(sig: signal.Signals, last_good: Path) -> None:
    before = snapshot(last_good)
    process = subprocess.Popen([sys.executable, "-m", "geo", *_build_args(last_good, ROOT / "data")],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(last_good.glob(".layers.corridors-new-*")):  # the build has started writing its staged folders
        assert process.poll() is None and time.monotonic() < deadline, "build ended before it could be interrupted"
        time.sleep(0.005)
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted; layers/ and maps/ were left as they were" in err
    assert snapshot(last_good) == before
    assert sorted(p.name for p in last_good.iterdir()) == [".layers.corridors-lock", ".maps.corridors-lock", "layers", "maps"]


def test_failing_build_leaves_outputs_and_explains(last_good: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(last_good)

    def broken(*_: object) -> Iterator[tuple[str, str]]:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(geo.mapping, "render_maps", broken)
    assert main(_build_args(last_good)) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: renderer exploded (run with --debug for details)" in err
    assert "Traceback" not in err
    assert snapshot(last_good) == before
    with pytest.raises(RuntimeError, match="renderer exploded"):  # --debug shows the real exception
        main(["--debug", *_build_args(last_good)])
    assert snapshot(last_good) == before


def test_second_build_at_once_is_refused_clearly(last_good: Path) -> None:
    before = snapshot(last_good)
    with build_lock([last_good / "layers", last_good / "maps"]):
        result = subprocess.run([sys.executable, "-m", "geo", *_build_args(last_good)], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr
    assert "another corridors build (process " in result.stderr and "wait for it to finish" in result.stderr
    assert snapshot(last_good) == before
    assert main(_build_args(last_good)) == 0  # and the lock is free again afterwards


def test_build_keeps_files_it_does_not_own(last_good: Path) -> None:
    notes = last_good / "maps" / "notes.txt"
    notes.write_text("mine\n", encoding="utf-8")
    assert main(_build_args(last_good)) == 0
    assert notes.read_text(encoding="utf-8") == "mine\n"


def _load_with(file_name: str, content: bytes) -> None:
    """Load a copy of the mini catalog with one file replaced; only CatalogError may come out."""
    with tempfile.TemporaryDirectory() as folder:
        catalog = Path(folder) / "catalog"
        shutil.copytree(MINI, catalog)
        (catalog / file_name).write_bytes(content)
        try:
            load_catalog(catalog)
        except CatalogError as error:
            assert error.problems and all(str(p) for p in error.problems)


JUNK = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
trees = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
    st.sampled_from(["id", "name", "kind", "lat", "lon", "via", "legs", "mode", "status", "sources", "x"]) | st.text(max_size=5),
    kids, max_size=6), max_leaves=25)


@JUNK
@given(st.binary(max_size=400))
def test_junk_bytes_never_crash_the_loader(content: bytes) -> None:
    _load_with("hubs.yaml", content)


@JUNK
@given(st.lists(trees, max_size=4), st.sampled_from(["hubs.yaml", "routes.yaml", "corridors.yaml", "sources.yaml"]))
def test_junk_structures_never_crash_the_loader(entries: list, file_name: str) -> None:
    _load_with(file_name, yaml.safe_dump(entries, allow_unicode=True).encode("utf-8"))
