"""Publishing a set of output files all at once.

A destination such as data/marts/county is a symbolic link to a release folder beside it
(data/marts/.county/<run id>/). A run writes its files into a new release folder and, once every
file is complete, points the link at it by renaming a new link over the old one: one rename, which
is atomic, so a reader sees the previous release or the new one, never a mix, never nothing, and a
run killed at any moment leaves the link on a complete release. (Two renames of folders, the
obvious alternative, leave no destination at all if the process dies between them.)

If the new files are byte-identical to the current release, the link is left alone: a re-run with
nothing new changes nothing, not even a timestamp. After a swap every release but the current one
and the one before it is removed (a reader may still be reading the previous one); folders of runs
that died before their swap go then too.
"""
from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from csp.checkpoints import checkpoint


@dataclass
class Release:
    folder: Path                 # write the release's files here
    changed: bool | None = None  # after the block: False if identical to the current release


def releases_dir(destination: Path) -> Path:
    return destination.parent / f".{destination.name}"


def current_release(destination: Path) -> Path | None:
    """The release folder the destination points at (None before the first release)."""
    return destination.resolve() if destination.is_symlink() else None


def _same_files(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    return all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


@contextlib.contextmanager
def staged_release(destination: Path, run_id: str) -> Iterator[Release]:
    """Yield a Release whose empty folder the block fills; on success it becomes `destination`."""
    releases = releases_dir(destination)
    releases.mkdir(parents=True, exist_ok=True)
    release = Release(releases / run_id)
    release.folder.mkdir(mode=0o750)
    try:
        yield release
    except BaseException:
        shutil.rmtree(release.folder, ignore_errors=True)
        raise
    checkpoint("publish:staged")
    previous = current_release(destination)
    if previous is not None and _same_files(previous, release.folder):
        shutil.rmtree(release.folder)
        release.changed = False
        return
    if destination.is_dir() and not destination.is_symlink():
        # a plain folder published by an earlier version of the pipeline: keep it as the previous release
        previous = releases / f"{run_id}.before"
        os.replace(destination, previous)
    link = destination.parent / f".{destination.name}.link-{run_id}"
    os.symlink(os.path.relpath(release.folder, destination.parent), link)
    os.replace(link, destination)
    release.changed = True
    checkpoint("publish:swapped")
    keep = {p.resolve() for p in (release.folder, previous) if p is not None}
    for old in releases.iterdir():
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for stray in destination.parent.glob(f".{destination.name}.link-*"):
        stray.unlink(missing_ok=True)
