"""Progress on long builds: a line on a terminal once the work takes a while; nothing in a pipe or with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from conftest import MINI, ROOT


def _build_on_a_terminal(out: Path, *extra: str) -> tuple[int, str, str]:
    """Build the mini catalog with stderr on a pseudo-terminal; progress shows at once (CORRIDORS_PROGRESS_AFTER=0)."""
    leader, follower = pty.openpty()
    env = dict(os.environ, CORRIDORS_PROGRESS_AFTER="0")
    result = subprocess.run([sys.executable, "-m", "geo", "--catalog", str(MINI), "build", "--layers", str(out / "layers"),
                             "--maps", str(out / "maps"), *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=follower,
                            env=env, timeout=300, text=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return result.returncode, result.stdout, b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_sees_the_stages_and_counts_then_a_clean_line(tmp_path: Path) -> None:
    status, out, err = _build_on_a_terminal(tmp_path)
    assert status == 0 and out.startswith("built ")
    for words in ("reading the catalog", "routes and cutting them by country", "writing layer routes (", "map 1 written ("):
        assert words in err, err
    assert err.endswith("\r\x1b[K"), repr(err[-40:])  # the line is wiped before the summary


def test_quiet_and_pipes_stay_silent(tmp_path: Path) -> None:
    status, _, err = _build_on_a_terminal(tmp_path / "quiet", "--quiet")
    assert status == 0 and err == ""
    env = dict(os.environ, CORRIDORS_PROGRESS_AFTER="0")
    piped = subprocess.run([sys.executable, "-m", "geo", "--catalog", str(MINI), "build", "--layers", str(tmp_path / "p" / "l"),
                            "--maps", str(tmp_path / "p" / "m")], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""
