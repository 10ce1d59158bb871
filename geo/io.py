"""Output: deterministic RFC 7946 GeoJSON text, and replacing the output folders all-or-nothing under a lock."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import math
import os
import shutil
import signal
import stat
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import geopandas as gpd
from shapely.geometry import mapping

from geo.geodesy import DECIMALS
from geo.errors import UsageError
from geo.layers import SCHEMAS

LOCK_SUFFIX = ".corridors-lock"  # .layers.corridors-lock beside layers/: one lock per output folder
STAGED = ".corridors-new-"  # staged folders: .layers.corridors-new-XXXX beside layers/ (inside a mount point)
OWNED_RECORD = ".corridors-owned"  # in each output folder: the files the build wrote there (JSON)
COMMITTED = ".corridors-commit"  # in a staged folder: being moved in file by file; the next build finishes it
HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
AT_FDCWD, RENAME_EXCHANGE = -100, 2
_LIBC = ctypes.CDLL(None, use_errno=True)


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
    """Another build holds the lock on an output folder."""


class PartlyPublished(Exception):
    """A failure after some output folders were replaced: says which are new and which old."""


class InterruptedAfterPublish(KeyboardInterrupt):
    """Interrupted while the outputs were being replaced; the replacement was finished first."""


def real_folder(folder: Path) -> Path:
    """The folder the build writes into: absolute, through symlinks (a symlinked maps/ is written through)."""
    return folder.resolve()


@contextmanager
def build_lock(directories: list[Path]) -> Iterator[None]:
    """Hold an exclusive lock per output folder (``.NAME.corridors-lock`` beside it) for the whole build.

    The lock file is opened without following symlinks and must be a regular file, so a planted link
    cannot make the build write into another file.
    """
    with ExitStack() as stack:
        for target in sorted({real_folder(d) for d in directories}):
            target.parent.mkdir(parents=True, exist_ok=True)
            path = target.parent / f".{target.name}{LOCK_SUFFIX}"
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
            except OSError as error:
                if error.errno != errno.ELOOP:
                    raise
                raise UsageError(f"{path} is a symbolic link; a build lock must be a plain file (remove the link)") from None
            handle = stack.enter_context(os.fdopen(fd, "r+", encoding="utf-8"))
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise UsageError(f"{path} is not a plain file; remove it so the build can lock {target}")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = handle.read().strip() or "unknown"
                raise BuildBusy(
                    f"another corridors build (process {holder}) is writing into {target}; "
                    "wait for it to finish, then run again"
                ) from None
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        yield


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block is done, then interrupt as KeyboardInterrupt.

    Done with Python handlers that only take note, not with a thread signal mask: a signal sent to
    the process may reach any of its threads (GDAL's, numpy's), and Python runs every handler in the
    main thread, so a note is all that can happen during the block.
    """
    caught: list[int] = []
    previous = {held: signal.signal(held, lambda signum, frame: caught.append(signum)) for held in HELD_SIGNALS}
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        if caught:
            raise KeyboardInterrupt


def _mode(kind: str) -> int:
    """Permissions for a new folder or file under the user's umask (0777 or 0666 before it)."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if kind == "folder" else 0o666) & ~mask


def _owned(target: Path) -> set[str]:
    """The names the last build wrote into ``target`` (its record), or none when there is no record."""
    try:
        return set(json.loads((target / OWNED_RECORD).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _is_mount(target: Path) -> bool:
    return target.is_dir() and os.stat(target).st_dev != os.stat(target.parent).st_dev


def _stagings(target: Path) -> list[Path]:
    """Staged folders of ``target``: beside it, or inside it when it is a mount point."""
    return sorted([*target.parent.glob(f".{target.name}{STAGED}*"), *target.glob(f"{STAGED}*")])


def _remove(folder: Path) -> None:
    """Delete a staged or replaced folder of ours, read-only or not; what cannot go now goes next run."""
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    shutil.rmtree(folder, ignore_errors=True)


def _recover(target: Path) -> None:
    """Finish or clear what killed builds left: a file-by-file replacement is finished, staged folders removed.

    Called with the build lock held, so no live build is using any of it. Also restores a folder
    that a build of an earlier version moved aside and did not move back.
    """
    for old in sorted(target.parent.glob(f".{target.name}.old-*")):
        saved = old / target.name
        if saved.is_dir() and not target.exists():
            os.rename(saved, target)
        _remove(old)
    for staged in _stagings(target):
        if (staged / COMMITTED).is_file():
            _replace_files(target, staged)
        _remove(staged)


def _replace_files(target: Path, staged: Path) -> None:
    """Move the staged files into ``target`` one by one, then delete the files of the last build it no longer makes.

    Runs only after COMMITTED is written, and is rerun from the start by the next build if cut off,
    so a folder replaced this way ends wholly new.
    """
    stale = json.loads((staged / COMMITTED).read_text(encoding="utf-8"))["stale"]
    for entry in sorted(os.listdir(staged)):
        if entry != COMMITTED:
            os.replace(staged / entry, target / entry)
    for name in stale:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target / name)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    rename = getattr(_LIBC, "renameat2", None)
    if rename is None:
        return False
    if rename(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV, errno.EBUSY):
        return False
    raise OSError(code, os.strerror(code), str(a))


@dataclass
class _Output:
    """One output folder being built: where it is staged and what the build has written there."""

    target: Path
    staged: Path
    written: set[str] = field(default_factory=set)
    mount: bool = False
    previous: set[str] = field(default_factory=set)  # the last build's files here (its record), read by prepare

    def prepare(self) -> list[str]:
        """Check that publishing touches only files of ours; return the last build's files to delete."""
        self.previous = previous = _owned(self.target)
        if self.target.is_dir() and (self.target / OWNED_RECORD).exists():
            theirs = sorted(n for n in self.written - previous if (self.target / n).exists() or (self.target / n).is_symlink())
            if theirs:
                raise UsageError(
                    f"{self.target / theirs[0]} was not written by corridors (it is not in {OWNED_RECORD}); "
                    "move it away, or the build would replace it")
        record = {"files": sorted(self.written | {OWNED_RECORD})}
        (self.staged / OWNED_RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        if self.target.is_dir() and not os.access(self.target, os.W_OK | os.X_OK) and not self._exchangeable():
            raise UsageError(f"cannot write into {self.target} (no permission); nothing was changed")
        return sorted(previous - self.written - {OWNED_RECORD})

    def _kept(self) -> list[os.DirEntry[str]]:
        """What stays in the folder: everything but the files the last build and this one write."""
        ours = self.previous | self.written | {OWNED_RECORD}
        with os.scandir(self.target) as entries:
            return [e for e in entries if e.name not in ours]

    def _exchangeable(self) -> bool:
        """Whole-folder swap: for a plain folder holding, besides ours, only files and symlinks."""
        if self.mount or not self.target.is_dir():
            return False
        kept = self._kept()
        return all(e.is_symlink() or e.is_file(follow_symlinks=False) for e in kept) and not any(
            e.name.startswith(".") and (e.name.endswith(LOCK_SUFFIX) or STAGED in e.name) for e in kept)

    def publish(self, stale: list[str]) -> None:
        """Put the staged folder in place: one atomic swap where possible, else file by file (see _replace_files)."""
        if not self.target.exists() and not self.target.is_symlink():
            os.rename(self.staged, self.target)
            return
        if self._exchangeable() and self._link_kept():
            os.chmod(self.staged, stat.S_IMODE(os.stat(self.target).st_mode))
            if _exchange(self.staged, self.target):
                _remove(self.staged)  # now the old folder
                return
            os.chmod(self.staged, 0o700)
        for entry in self._kept():  # links made for the swap are not moved file by file
            if (self.staged / entry.name).exists() or (self.staged / entry.name).is_symlink():
                os.unlink(self.staged / entry.name)
        commit = self.staged / COMMITTED
        with open(commit, "w", encoding="utf-8") as handle:
            json.dump({"stale": stale}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _replace_files(self.target, self.staged)
        _remove(self.staged)

    def _link_kept(self) -> bool:
        """Give the staged folder the user's files too (hard links, symlinks recreated); False if that fails."""
        try:
            for entry in self._kept():
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), self.staged / entry.name)
                else:
                    os.link(entry.path, self.staged / entry.name, follow_symlinks=False)
        except OSError:
            return False
        return True


@contextmanager
def staged_outputs(folders: list[Path]) -> Iterator[Callable[[Path, str], None]]:
    """Build the output folders in staged copies; put them in place only if the block completes.

    Call it with build_lock held. Yields ``write(path, text)``; ``path``'s folder must be one of
    ``folders``. Each folder is replaced in one atomic swap where the file system allows (it holds
    only files and symlinks besides ours, and is not a mount point), else file by file with a
    commit record, finished by the next build if cut off. Files the build did not write
    (``.corridors-owned`` lists those it did) are never touched. On any exception, interruption
    included, the staged folders are deleted and the real ones stay as they were; what killed builds
    left behind is finished or cleared first.
    """
    outputs: dict[Path, _Output] = {}
    try:
        for folder in folders:
            target = real_folder(folder)
            if target in outputs:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _recover(target)
            mount = _is_mount(target)
            with _signals_held():  # a folder made is a folder recorded, so the cleanup below finds it
                staged = Path(tempfile.mkdtemp(dir=target if mount else target.parent,
                                               prefix=STAGED if mount else f".{target.name}{STAGED}"))
                outputs[target] = _Output(target, staged, mount=mount)
            os.chmod(staged, _mode("folder"))

        def write(path: Path, text: str) -> None:
            output = outputs[real_folder(path.parent)]
            with open(output.staged / path.name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            output.written.add(path.name)

        yield write
        stale = {target: output.prepare() for target, output in outputs.items()}
        done: list[Path] = []
        try:
            with _signals_held():  # the swap itself is not interrupted
                for target, output in outputs.items():
                    output.publish(stale[target])
                    done.append(target)
        except KeyboardInterrupt:
            raise InterruptedAfterPublish from None
        except OSError as error:
            left = [str(t) for t in outputs if t not in done]
            raise PartlyPublished(f"{error}; replaced: {', '.join(map(str, done)) or 'nothing'}; "
                                  f"left as they were: {', '.join(left)}") from error
    finally:
        for output in outputs.values():
            if output.staged.exists() and not (output.staged / COMMITTED).exists():  # a commit is finished next run
                _remove(output.staged)


def write_page(target: Path, text: str) -> None:
    """Write one HTML page the user named (``corridors route --map``): whole or not at all.

    An existing page is replaced; a folder, or a file that is not HTML, is refused (UsageError).
    """
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give the name of the .html file to write")
    if target.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{target}: a map is an .html file; give a name ending in .html")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent}/ does not exist; create it first")
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, _mode("file"))
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
