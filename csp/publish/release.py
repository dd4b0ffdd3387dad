"""Publishing a set of output files all at once.

Outputs are written into a hidden staging folder beside their destination and swapped in with
renames once complete, so readers see the previous release or the new one, never half of one.
A failed run leaves its staging folder behind (removed by the next run) and the release untouched.
Every release is OFFICIAL-SENSITIVE: its folders and files are readable by owner and group only.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

FOLDER_MODE = 0o750
FILE_MODE = 0o640


@contextlib.contextmanager
def staged_release(destination: Path, run_id: str):
    """Yield an empty folder to write into; on success it replaces `destination`."""
    parent = destination.parent
    parent.mkdir(parents=True, exist_ok=True)
    for leftover in parent.glob(f".{destination.name}.*"):  # from a run that died mid-publish
        shutil.rmtree(leftover, ignore_errors=True)
    staging = parent / f".{destination.name}.staging-{run_id}"
    staging.mkdir(mode=FOLDER_MODE)
    try:
        yield staging
        restrict(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = parent / f".{destination.name}.previous-{run_id}"
    if destination.exists():
        os.replace(destination, previous)
    os.replace(staging, destination)
    shutil.rmtree(previous, ignore_errors=True)


def restrict(folder: Path) -> None:
    """Set the modes of a folder and everything in it explicitly: chmod ignores the umask, which
    mkdir and open apply, so the result is the same whatever the analyst's umask."""
    for path in folder.rglob("*"):
        os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)
    os.chmod(folder, FOLDER_MODE)
