"""Publishing a set of output files all at once.

A refresh publishes everything it writes (data/marts/county/, data/marts/districts/, ...) as one
release: a folder data/marts/.releases/<run id>/ holding them all, made current by pointing the link
data/marts/.current at it. The link is replaced by renaming a new link over it: one rename, which is
atomic, so a reader sees the previous release or the new one, never a mix and never nothing, and a
run killed at any moment leaves .current on a complete release. data/marts/county and the other
top-level folders are fixed links into .current, so the paths readers use never change. (Renaming
folders instead takes two renames, and a run that dies between them leaves no outputs at all.)

If a new release is byte-identical to the current one it is dropped: a re-run with nothing new
changes nothing, not even a timestamp. After a swap every release but the current one and the one
before it is removed (a reader may still be reading the previous one); releases of runs that died
before their swap go then too.

`staged_release` does the same for a single plain folder (a copy handed over, which may go to a
drive without links): two renames, with the moment between them repaired by the next call.
Every release is OFFICIAL-SENSITIVE: its folders and files are readable by owner and group only.
"""
from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
from pathlib import Path
from typing import Iterator

from csp.checkpoints import checkpoint

FOLDER_MODE = 0o750
FILE_MODE = 0o640
CURRENT = ".current"
RELEASES = ".releases"


def current_release(root: Path) -> Path | None:
    """The release folder root/.current points at (None before the first release)."""
    link = root / CURRENT
    return link.resolve() if link.is_symlink() else None


def _same_files(a: Path, b: Path) -> bool:
    names = sorted(p.relative_to(a) for p in a.rglob("*"))
    if names != sorted(p.relative_to(b) for p in b.rglob("*")):
        return False
    return all(filecmp.cmp(a / n, b / n, shallow=False) for n in names if (a / n).is_file())


def _replace_with_link(path: Path, target: str, run_id: str) -> None:
    """Make `path` a link to `target` in one rename (a new link renamed over the old)."""
    temporary = path.with_name(f".{path.name}.link-{run_id}")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, path)


@contextlib.contextmanager
def run_release(root: Path, run_id: str) -> Iterator[Path]:
    """Yield an empty release folder; its top-level folders become root/<name> when the block ends
    (all at once, or not at all if they are identical to the current release's)."""
    releases = root / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    folder = releases / run_id
    folder.mkdir(mode=FOLDER_MODE)
    try:
        yield folder
        restrict(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    checkpoint("publish:staged")
    previous = current_release(root)
    if previous is not None and _same_files(previous, folder):
        shutil.rmtree(folder)
        return
    _replace_with_link(root / CURRENT, f"{RELEASES}/{run_id}", run_id)
    checkpoint("publish:swapped")
    for name in sorted(p.name for p in folder.iterdir()):
        path, target = root / name, f"{CURRENT}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.is_dir() and not path.is_symlink():   # a plain folder from an earlier version: set aside
            os.replace(path, releases / f"{run_id}.{name}.before")
        _replace_with_link(path, target, run_id)
    keep = {p.resolve() for p in (folder, previous) if p is not None}
    for old in releases.iterdir():
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged_release(destination: Path, run_id: str) -> Iterator[Path]:
    """Yield an empty folder to write into; on success it replaces the plain folder `destination`."""
    parent = destination.parent
    parent.mkdir(parents=True, exist_ok=True)
    previous = sorted(parent.glob(f".{destination.name}.previous-*"))
    if previous and not destination.exists():   # a run died between the two renames: undo the first
        os.replace(previous[-1], destination)
    for leftover in parent.glob(f".{destination.name}.*"):  # from runs that died before their swap
        shutil.rmtree(leftover, ignore_errors=True)
    staging = parent / f".{destination.name}.staging-{run_id}"
    staging.mkdir(mode=FOLDER_MODE)
    try:
        yield staging
        restrict(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    aside = parent / f".{destination.name}.previous-{run_id}"
    if destination.exists():
        os.replace(destination, aside)
    checkpoint("publish:between-renames")
    os.replace(staging, destination)
    shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def restricted_umask() -> Iterator[None]:
    """Files and folders created in the block (by this process, DuckDB and the processes it starts)
    are readable by owner and group only: FILE_MODE and FOLDER_MODE with the usual umask, or stricter
    with a stricter one. For what is written in place rather than released (the warehouse, its
    write-ahead log, the caches beside it): the umask applies as each file is created, which a chmod
    after the fact would miss (DuckDB makes its .wal again after every checkpoint)."""
    umask = os.umask(0o027)
    os.umask(umask | 0o027)
    try:
        yield
    finally:
        os.umask(umask)


def restrict(folder: Path) -> None:
    """Set the modes of a folder and everything in it explicitly: chmod ignores the umask, which
    mkdir and open apply, so the result is the same whatever the analyst's umask."""
    for path in folder.rglob("*"):
        os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)
    os.chmod(folder, FOLDER_MODE)
