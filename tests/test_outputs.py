"""Replacing layers/ and maps/: all-or-nothing per folder at every step, user files untouched, odd folders served.

Regression tests for the attack report's output cases (B13, B15, B22–B26, C2–C7, C11, C18); each
runs the real build, in a forked child where it must be killed, interrupted, or run as another user.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pytest
from conftest import MINI

import geo.io
from geo.cli import main
from geo.io import build_lock

NOBODY = 65534


def _args(out: Path, catalog: Path = MINI, layers: str = "layers", maps: str = "maps") -> list[str]:
    return ["--catalog", str(catalog), "build", "--layers", str(out / layers), "--maps", str(out / maps)]


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (symlinks as their target text), by relative path."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = b"-> " + os.fsencode(os.readlink(path))
        elif path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def _in_child(work: Callable[[], int], user: int | None = None, umask: int | None = None) -> int:
    """Run ``work`` in a forked process (as ``user``, under ``umask``); its return value is the exit status."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            if umask is not None:
                os.umask(umask)
            if user is not None and os.getuid() == 0:
                os.setgid(user)
                os.setuid(user)
            status = work()
        finally:
            os._exit(status)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """The mini catalog with one hub renamed, so a build changes every output."""
    catalog = tmp_path / "changed"
    shutil.copytree(MINI, catalog)
    hubs = catalog / "hubs.yaml"
    hubs.write_text(hubs.read_text(encoding="utf-8").replace("name: Baku\n", "name: Baku (renamed)\n"), encoding="utf-8")
    return catalog


Outputs = dict[str, dict[str, bytes]]  # folder name -> that folder's files


def _outputs(out: Path) -> Outputs:
    return {folder: _files(out / folder) for folder in ("layers", "maps")}


@pytest.fixture
def world(tmp_path: Path, mini_build: Path, changed: Path) -> Iterator[tuple[Path, Outputs, Outputs]]:
    """An open folder (other users may enter) holding a good build and the changed catalog; old and new outputs."""
    base = Path(tempfile.mkdtemp(prefix="corridors-outputs-"))
    os.chmod(base, 0o755)
    shutil.copytree(mini_build, base / "out")
    shutil.copytree(changed, base / "changed")
    assert main(_args(tmp_path / "new", changed)) == 0
    yield base, _outputs(base / "out"), _outputs(tmp_path / "new")
    shutil.rmtree(base, ignore_errors=True)


def _killed_at(step: int, args: list[str]) -> Callable[[], int]:
    """A build that dies (as under kill -9) at its ``step``-th call that changes a folder's entries."""

    def work() -> int:
        count = [0]

        def dying(real: Callable[..., object]) -> Callable[..., object]:
            def call(*a: object, **k: object) -> object:
                count[0] += 1
                if count[0] == step:
                    os._exit(137)
                return real(*a, **k)
            return call

        for name in ("rename", "replace", "unlink", "link", "symlink"):
            setattr(geo.io.os, name, dying(getattr(os, name)))
        geo.io._exchange = dying(geo.io._exchange)
        return main(args)

    return work


@pytest.mark.parametrize("user_folder", [False, True], ids=["swapped-whole", "file-by-file"])
def test_killed_at_any_step_each_folder_is_old_or_new_and_the_next_build_finishes(
        world: tuple[Path, Outputs, Outputs], user_folder: bool) -> None:
    """C1-C3: kill -9 at every rename, link, unlink and swap of the build.

    A folder holding only files and symlinks besides ours is swapped in one atomic step, so it is
    wholly old or wholly new whenever the build dies. One holding a folder of the user's is replaced
    file by file after a commit record, which the next build finishes. Either way the next build
    ends with both folders new, the user's files where they were, and nothing left beside them.
    """
    base, old, new = world
    pristine = base / "pristine"
    shutil.copytree(base / "out", pristine)
    (pristine / "layers" / "notes.txt").write_text("mine\n", encoding="utf-8")
    os.symlink("notes.txt", pristine / "layers" / "notes-link")
    if user_folder:
        (pristine / "maps" / "archive").mkdir()
        (pristine / "maps" / "archive" / "2025.html").write_text("<p>old</p>\n", encoding="utf-8")
    users = {k: v for k, v in _outputs(pristine)["layers"].items() if k.startswith("notes")}

    def ours(out: Path) -> Outputs:
        return {f: {k: v for k, v in files.items() if not k.startswith(("notes", "archive"))}
                for f, files in _outputs(out).items()}

    step = 1
    while True:
        out = base / f"run-{step}"
        shutil.copytree(pristine, out, symlinks=True)
        status = _in_child(_killed_at(step, _args(out, base / "changed")))
        if status == 0:  # the build made fewer calls than ``step``: every step has been tried
            break
        assert status == 137
        now = ours(out)
        for folder in ("layers",) if user_folder else ("layers", "maps"):
            assert now[folder] in (old[folder], new[folder]), f"step {step}: {folder}/ is a mix of old and new"
        assert main(_args(out, base / "changed")) == 0, f"step {step}: the next build failed"
        assert ours(out) == new, f"step {step}: the next build did not end with the new outputs"
        assert {k: v for k, v in _outputs(out)["layers"].items() if k.startswith("notes")} == users
        if user_folder:
            assert (out / "maps" / "archive" / "2025.html").read_text(encoding="utf-8") == "<p>old</p>\n"
        assert sorted(p.name for p in out.iterdir()) == [".layers.corridors-lock", ".maps.corridors-lock", "layers", "maps"]
        shutil.rmtree(out)
        step += 1
    assert step > 4, "the kill never reached the publish step"


def test_read_only_folders_are_replaced_whole_or_left_with_a_reason(world: tuple[Path, Outputs, Outputs]) -> None:
    """C6, C7: as an ordinary user, a read-only maps/ and a read-only folder the user keeps in layers/."""
    base, old, new = world
    out = base / "out"
    (out / "layers" / "archive").mkdir()
    (out / "layers" / "archive" / "2025.geojson").write_text("{}\n", encoding="utf-8")
    for path in [base, *base.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    os.chmod(out / "layers" / "archive", 0o555)
    os.chmod(out / "maps", 0o555)
    assert _in_child(lambda: main(_args(out, base / "changed")), user=NOBODY) == 0
    assert _outputs(out)["maps"] == new["maps"]
    assert {k: v for k, v in _outputs(out)["layers"].items() if not k.startswith("archive")} == new["layers"]
    assert (out / "layers" / "archive" / "2025.geojson").read_text(encoding="utf-8") == "{}\n"
    assert stat.S_IMODE(os.stat(out / "maps").st_mode) == 0o555  # the user's choice of mode is kept
    assert sorted(p.name for p in out.iterdir()) == [".layers.corridors-lock", ".maps.corridors-lock", "layers", "maps"]


def test_a_mount_point_is_replaced_file_by_file(world: tuple[Path, Outputs, Outputs], monkeypatch: pytest.MonkeyPatch) -> None:
    """B23: a folder that is a mount point (a Docker volume) cannot be renamed; its files are replaced in it."""
    base, old, new = world
    out = base / "out"
    monkeypatch.setattr(geo.io, "_is_mount", lambda target: target.name == "maps")
    exchanged: list[Path] = []
    real = geo.io._exchange
    monkeypatch.setattr(geo.io, "_exchange", lambda a, b: exchanged.append(b) or real(a, b))
    maps_inode = os.stat(out / "maps").st_ino
    assert main(_args(out, base / "changed")) == 0
    assert _outputs(out) == new
    assert os.stat(out / "maps").st_ino == maps_inode and exchanged == [out / "layers"]
    assert not list((out / "maps").glob(".corridors-new-*"))


def test_symlinked_output_folder_is_written_through(world: tuple[Path, Outputs, Outputs]) -> None:
    """B13: maps -> www/maps is built into www/maps; the link stays, the lock sits beside the real folder."""
    base, old, new = world
    (base / "www").mkdir()
    os.rename(base / "out" / "maps", base / "www" / "maps")
    os.symlink(base / "www" / "maps", base / "out" / "maps")
    assert main(_args(base / "out", base / "changed")) == 0
    assert (base / "out" / "maps").is_symlink()
    assert _files(base / "www" / "maps") == new["maps"]
    assert sorted(p.name for p in (base / "www").iterdir()) == [".maps.corridors-lock", "maps"]


def test_symlinks_the_user_keeps_stay_symlinks(world: tuple[Path, Outputs, Outputs]) -> None:
    """B24, B25: maps/up -> .. and maps/tiles -> a big folder are neither followed nor copied."""
    base, old, new = world
    maps = base / "out" / "maps"
    (base / "tiles").mkdir()
    (base / "tiles" / "0.png").write_bytes(b"png")
    os.symlink("..", maps / "up")
    os.symlink(base / "tiles", maps / "tiles")
    for _ in range(2):
        assert main(_args(base / "out", base / "changed")) == 0
    assert os.readlink(maps / "up") == ".." and os.readlink(maps / "tiles") == str(base / "tiles")
    assert {k: v for k, v in _files(maps).items() if not k.startswith(("up", "tiles"))} == new["maps"]


def test_user_files_are_kept_even_with_our_suffixes_and_never_replaced(
        world: tuple[Path, Outputs, Outputs], capsys: pytest.CaptureFixture[str]) -> None:
    """B26: files the build did not write stay; one at a name the build wants stops the build, nothing changed."""
    base, old, new = world
    out = base / "out"
    (out / "maps" / "about.html").write_text("<h1>mine</h1>\n", encoding="utf-8")
    (out / "layers" / "my-extra.geojson").write_text("{}\n", encoding="utf-8")
    assert main(_args(out, base / "changed")) == 0
    assert (out / "maps" / "about.html").read_text(encoding="utf-8") == "<h1>mine</h1>\n"
    assert (out / "layers" / "my-extra.geojson").read_text(encoding="utf-8") == "{}\n"
    stale = out / "maps" / "aktau.html"  # a project map the next catalog no longer has goes with the build
    routes = base / "changed" / "hubs.yaml"
    routes.write_text(routes.read_text(encoding="utf-8").replace("  project: true\n", "", 1), encoding="utf-8")
    assert main(_args(out, base / "changed")) == 0
    assert not stale.exists() and (out / "maps" / "about.html").exists()
    stale.write_text("<p>a page of mine now</p>\n", encoding="utf-8")
    routes.write_text(routes.read_text(encoding="utf-8").replace("  status: under_construction\n",
                                                                 "  project: true\n  status: under_construction\n", 1))
    before = _outputs(out)
    assert main(_args(out, base / "changed")) == 2
    assert f"{stale} was not written by corridors" in capsys.readouterr().err
    assert _outputs(out) == before


def test_building_into_the_working_folder(tmp_path: Path) -> None:
    """B15: --layers . writes the layers into the current folder, leaving nothing of ours beside it."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("mine\n", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(work)
    try:
        assert main(["--catalog", str(MINI), "build", "--layers", ".", "--maps", "maps"]) == 0
        assert main(["--catalog", str(MINI), "build", "--layers", ".", "--maps", "maps"]) == 0
    finally:
        os.chdir(cwd)
    assert (work / "hubs.geojson").is_file() and (work / "maps" / "index.html").is_file()
    assert (work / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".work.corridors-lock", "work"]


def test_a_planted_lock_symlink_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """B22: the lock is never opened through a symlink."""
    victim = tmp_path / "victim.conf"
    victim.write_text("IMPORTANT\n", encoding="utf-8")
    os.symlink(victim, tmp_path / ".layers.corridors-lock")
    assert main(_args(tmp_path)) == 2
    assert "is a symbolic link" in capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "IMPORTANT\n"
    assert not (tmp_path / "layers").exists()


def test_builds_into_other_folders_of_one_parent_run_side_by_side(tmp_path: Path) -> None:
    """C11: the lock is per output folder, so a build of a-* does not stop one of b-*."""
    with build_lock([tmp_path / "a-layers", tmp_path / "a-maps"]):
        assert main(_args(tmp_path, layers="b-layers", maps="b-maps")) == 0
        assert main(_args(tmp_path, layers="a-layers", maps="b-maps")) == 3


def test_interrupted_while_publishing_says_the_build_is_complete(
        world: tuple[Path, Outputs, Outputs], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """C4: Ctrl-C during the swap is held back until the swap is done, and the message says so."""
    base, old, new = world
    real = geo.io._Output.publish

    def publish(self: geo.io._Output, stale: list[str]) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real(self, stale)

    monkeypatch.setattr(geo.io._Output, "publish", publish)
    assert main(_args(base / "out", base / "changed")) == 130
    assert "interrupted after the new layers/ and maps/ were in place; the build is complete" in capsys.readouterr().err
    assert _outputs(base / "out") == new


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    """C18: with umask 077 the folders and files are private, as every other file the user makes."""
    assert _in_child(lambda: main(_args(tmp_path)), umask=0o077) == 0
    for path in [tmp_path / "layers", tmp_path / "maps", *(tmp_path / "layers").iterdir(), *(tmp_path / "maps").iterdir()]:
        assert stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0, path
