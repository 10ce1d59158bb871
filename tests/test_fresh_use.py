"""Everyday use as a new user meets it: exports that never destroy a user's files, user mistakes
explained (exit 2), closed pipes, no catalog in sight, builds killed outright, and GeoPackages that
the GDAL of current LTS desktop GIS opens without a warning."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import MINI, ROOT, run_cli, snapshot

import geo.io
from geo.cli import main
from geo.io import build_lock

DEBIAN_OGRINFO = Path("/usr/bin/ogrinfo")  # Debian 12's gdal-bin: GDAL 3.6, as QGIS 3.22 LTS uses


def _export(fmt: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--catalog", str(MINI), "export", "--format", fmt, "--out", str(out), *extra, cwd=out.parent)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["kml", "gpkg", "flatgeobuf", "csv"])
def test_export_never_replaces_a_users_folder(fmt: str, tmp_path: Path) -> None:
    work = tmp_path / "mywork"
    work.mkdir()
    (work / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (work / "thesis.docx").write_bytes(b"PK\x03\x04 not really a thesis")
    before = _tree(tmp_path)
    for extra in ((), ("--force",)):
        result = _export(fmt, work, *extra)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "mywork" in result.stderr and "Traceback" not in result.stderr
        assert _tree(tmp_path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["mywork"]  # nothing staged is left either


def test_export_replaces_only_an_earlier_export_of_the_same_kind_and_only_with_force(tmp_path: Path) -> None:
    csv = tmp_path / "csv"
    assert _export("csv", csv).returncode == 0
    first = _tree(csv)
    assert "corridors-export.json" in first and "hubs.csv" in first

    again = _export("csv", csv)
    assert again.returncode == 2 and "earlier csv export; add --force" in again.stderr
    other_kind = _export("gpkg", csv, "--force")  # a csv export folder never becomes a GeoPackage file
    assert other_kind.returncode == 2 and "is a folder" in other_kind.stderr
    fgb = _export("flatgeobuf", csv, "--force")
    assert fgb.returncode == 2 and "holds a csv export, not flatgeobuf" in fgb.stderr
    assert _tree(csv) == first

    assert _export("csv", csv, "--force").returncode == 0
    assert _tree(csv).keys() == first.keys()
    (csv / "keep.txt").write_text("mine\n", encoding="utf-8")  # a user's file inside the export folder
    kept = _export("csv", csv, "--force")
    assert kept.returncode == 2 and "did not write (keep.txt)" in kept.stderr
    assert (csv / "keep.txt").read_text(encoding="utf-8") == "mine\n"

    gpkg = tmp_path / "corridors.gpkg"
    assert _export("gpkg", gpkg).returncode == 0
    assert _export("gpkg", gpkg, "--force").returncode == 0
    not_ours = tmp_path / "other.gpkg"
    shutil.copy(gpkg, not_ours)
    (tmp_path / "plain.kml").write_text("<kml>someone else's</kml>\n", encoding="utf-8")
    refused = _export("kml", tmp_path / "plain.kml", "--force")
    assert refused.returncode == 2 and "is not a KML file written by corridors export" in refused.stderr
    assert (tmp_path / "plain.kml").read_text(encoding="utf-8") == "<kml>someone else's</kml>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corridors.gpkg", "csv", "other.gpkg", "plain.kml"]


def test_export_refuses_links_pipes_the_current_folder_and_wrong_kinds(tmp_path: Path) -> None:
    (tmp_path / "real.gpkg").write_bytes(b"mine")
    (tmp_path / "link.gpkg").symlink_to(tmp_path / "real.gpkg")
    os.mkfifo(tmp_path / "pipe.kml")
    (tmp_path / "stdout.kml").symlink_to("/proc/self/fd/1")  # what /dev/stdout is
    (tmp_path / "table.csv").write_text("a,b\n", encoding="utf-8")
    cases = {
        ("gpkg", "link.gpkg"): "is a symbolic link",
        ("kml", "stdout.kml"): "is a symbolic link",
        ("kml", "pipe.kml"): "is a device, pipe or socket",
        ("csv", "table.csv"): "is a file, and csv is written as a folder",
        ("csv", "."): "holds files that corridors export did not write",
    }
    if os.getuid() == 0:  # B21: a device node, as /dev/null is (only root may make one)
        os.mknod(tmp_path / "null.kml", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        cases[("kml", "null.kml")] = "is a device, pipe or socket"
    for (fmt, name), words in cases.items():
        result = run_cli("--catalog", str(MINI), "export", "--format", fmt, "--out", name, cwd=tmp_path)
        assert result.returncode == 2, (name, result.stderr)
        assert words in result.stderr and "internal error" not in result.stderr, result.stderr
    assert (tmp_path / "real.gpkg").read_bytes() == b"mine"
    assert (tmp_path / "table.csv").read_text(encoding="utf-8") == "a,b\n"
    assert (tmp_path / "stdout.kml").is_symlink() and (tmp_path / "pipe.kml").is_fifo()


def test_geopackage_opens_without_warnings_in_debian_gdal(tmp_path: Path) -> None:
    """Debian 12's gdal-bin is GDAL 3.6, the oldest GDAL of a current LTS desktop GIS; a newer one must be quiet too."""
    assert DEBIAN_OGRINFO.exists(), "install Debian's gdal-bin (apt-get install gdal-bin); .ci/run does"
    out = tmp_path / "corridors.gpkg"
    assert _export("gpkg", out).returncode == 0
    for args in (["-so", "-al"], ["-al"], ["-sql", "SELECT * FROM layer_styles"]):
        result = subprocess.run([str(DEBIAN_OGRINFO), *args, str(out)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "Warning" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    assert result.stdout.count("OGRFeature(SELECT)") == 5  # the five layer styles, read back


def test_closed_pipe_ends_quietly() -> None:
    """Like `corridors list | head -1` once head has gone: the reading end is closed before corridors writes."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "geo", "list"], cwd=ROOT, stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_outside_a_project_says_once_where_the_catalog_should_be(tmp_path: Path) -> None:
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "no catalog found in data/" in result.stderr and "--catalog DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _start_build(out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "geo", "--catalog", str(ROOT / "data"), "build", "--layers", str(out / "layers"),
         "--maps", str(out / "maps")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(out: Path, pattern: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not any(out.glob(pattern)):
        assert process.poll() is None and time.monotonic() < deadline, "build ended too soon"
        time.sleep(0.005)


def test_next_build_clears_what_a_killed_build_left(tmp_path: Path, mini_build: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(mini_build, out)
    for _ in range(2):  # each kill -9 leaves its staged pair; the next build clears the one before
        process = _start_build(out)
        _wait_for(out, ".maps.corridors-new-*", process)
        process.kill()
        process.communicate(timeout=60)
        assert len(list(out.glob(".layers.corridors-new-*"))) == 1 and len(list(out.glob(".maps.corridors-new-*"))) == 1
    assert main(["--catalog", str(MINI), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps")]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".layers.corridors-lock", ".maps.corridors-lock", "layers", "maps"]


def test_a_swap_cut_off_halfway_is_recovered(tmp_path: Path, mini_build: Path) -> None:
    """Killed between moving the old layers/ aside and moving the new one in: the user's files come back."""
    out = tmp_path / "out"
    shutil.copytree(mini_build, out)
    (out / "layers" / "my-notes.txt").write_text("mine\n", encoding="utf-8")
    aside = out / ".layers.old-dead"
    aside.mkdir()
    os.rename(out / "layers", aside / "layers")
    assert main(["--catalog", str(MINI), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps")]) == 0
    assert (out / "layers" / "my-notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in out.iterdir()) == [".layers.corridors-lock", ".maps.corridors-lock", "layers", "maps"]


def test_a_live_builds_staged_folders_are_never_touched(tmp_path: Path, mini_build: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(mini_build, out)
    with build_lock([out / "layers", out / "maps"]):  # a live build holds the lock and its staged folder
        (out / ".layers.corridors-new-live").mkdir()
        assert main(["--catalog", str(MINI), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps")]) == 3
        assert (out / ".layers.corridors-new-live").is_dir()


def test_an_interrupt_while_staging_leaves_nothing(tmp_path: Path, mini_build: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The race behind the flaky SIGINT test: Ctrl-C just after a staged folder is made, before it is recorded."""
    out = tmp_path / "out"
    shutil.copytree(mini_build, out)
    before = snapshot(out)
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp_then_interrupted(**kwargs: str) -> str:
        folder = real_mkdtemp(**kwargs)
        if kwargs["prefix"].startswith(".maps.corridors-new-"):
            os.kill(os.getpid(), signal.SIGINT)  # delivered at the next bytecode unless blocked
        return folder

    monkeypatch.setattr(geo.io.tempfile, "mkdtemp", mkdtemp_then_interrupted)
    assert main(["--catalog", str(MINI), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps")]) == 130
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == [".layers.corridors-lock", ".maps.corridors-lock", "layers", "maps"]


def test_export_says_what_it_wrote_and_which_folder_it_made(tmp_path: Path) -> None:
    """Issue 17, 7: layers, features and size, and a missing parent folder made and said."""
    out = tmp_path / "new" / "deeper" / "corridors.gpkg"
    result = run_cli("--catalog", str(MINI), "export", "--format", "gpkg", "--out", str(out))
    assert result.returncode == 0, result.stderr
    size = out.stat().st_size / 1e6
    assert result.stdout.strip() == (f"wrote {out}: 5 layers (hubs 4, routes 3, corridors 1, segments 4, border_crossings 1 "
                                     f"features), {size:,.2f} MB; created {out.parent}/, which did not exist")
    again = run_cli("--catalog", str(MINI), "export", "--format", "csv", "--out", str(tmp_path / "new" / "csv"))
    assert "created" not in again.stdout and "5 layers" in again.stdout
