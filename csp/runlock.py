"""One refresh at a time: a lock beside the warehouse, held from the start of a run to its end, and
one beside its outputs folder (a refresh of another warehouse into the same folder would remove this
one's release as it is written).

The lock is an advisory `flock` on `<warehouse>.lock`. The kernel releases it when its holder
exits, however it exits (even `kill -9` or a power cut), so a crashed run can never block the
next one and two runs can never both believe they hold it. The file's content says who holds it
(pid, host, run id, start time): a second refresh quotes it when it refuses, and a run that finds
it filled in when it gets the lock knows the previous holder died without finishing.
The file is emptied on release, never deleted (deleting a lock file lets two processes lock two
different files of the same name), but for one case: a run refused its second lock (the outputs
folder's) removes the first lock's file and folders if it created them a moment before, so that a
refused run leaves nothing behind. It removes the file while still holding it, and a process that
opened it meanwhile finds, once it gets the lock, that the file is no longer the one at its path
and takes the one there instead. Nothing is written into a run's locks until it holds them all: a
refused run leaves a dead holder's details as it found them. `holding` is the same lock for anything
else only one process may do at a time (`csp serve` on a port: csp.prefect_server.serve_lock).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

from csp import InWords


@dataclass(frozen=True)
class Holder:
    run_id: str
    pid: int
    host: str
    started_at: str   # ISO time

    def words(self) -> str:
        return f"run {self.run_id} ({self.process()})"

    def process(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started_at.replace('T', ' ')}"


class Locked(RuntimeError, InWords):
    """A lock that another live process holds; the message says which, in words."""

    def __init__(self, message: str, holder: Holder | None):
        self.holder = holder
        super().__init__(message)


class RefreshLocked(Locked):
    """Another refresh holds the refresh lock."""

    def __init__(self, lock_path: Path, holder: Holder | None):
        who = holder.words() if holder else "a process that has not yet recorded its run"
        super().__init__(f"another refresh is running: {who}. Wait for it to finish, then run again "
                         f"(lock: {lock_path})", holder)


class OutputsLocked(Locked):
    """Another refresh, of another warehouse, is publishing into the same outputs folder."""

    def __init__(self, lock_path: Path, holder: Holder | None):
        who = holder.words() if holder else "a process that has not yet recorded its run"
        folder = lock_path.with_name(lock_path.name.removesuffix(".lock"))
        super().__init__(f"another refresh is using the outputs folder {folder}: {who}. Each warehouse "
                         f"needs an outputs folder of its own (--marts), or wait for it to finish (lock: {lock_path})",
                         holder)


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def outputs_lock_path(marts_dir: Path) -> Path:
    """Beside the outputs folder, not in it: a refresh that publishes nothing creates no outputs folder."""
    return marts_dir.with_name(marts_dir.name + ".lock")


def _read(fd: int) -> Holder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 4096).decode("utf-8", errors="replace").strip()
    try:
        return Holder(**json.loads(text)) if text else None
    except (ValueError, TypeError):   # half-written by a holder killed mid-write
        return Holder(run_id="unknown", pid=0, host="unknown", started_at="unknown")


def _write(fd: int, text: str) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text.encode("utf-8"))
    os.fsync(fd)


@contextlib.contextmanager
def run_lock(warehouse: Path, marts_dir: Path, run_id: str, started_at: dt.datetime) -> Iterator[Holder | None]:
    """Hold the refresh lock for the block; yields the holder that died holding it, if any
    (its run never finished: the caller records that). Raises RefreshLocked if a live run holds it.
    The outputs folder's lock too (OutputsLocked): a refresh of another warehouse into the same folder
    would remove this one's release as it is written (a run clears away releases not current)."""
    with _held([(lock_path(warehouse), RefreshLocked), (outputs_lock_path(marts_dir), OutputsLocked)],
               run_id, started_at) as stale:
        yield stale


def holding(path: Path, what: str, started_at: dt.datetime,
            refused: Callable[[Path, Holder | None], Locked]) -> contextlib.AbstractContextManager[Holder | None]:
    """Hold the lock file `path` for the block, recording this process as its holder (`what`: the run,
    or what else holds it); yields the holder that died holding it, if any. Raises `refused(path, the
    live holder)` if another process holds it."""
    return _held([(path, refused)], what, started_at)


@dataclass
class _Taken:
    """A lock file flocked by this process, and what taking it created (the file, its folders: innermost first)."""
    path: Path
    fd: int
    created: list[Path]

    def release(self) -> None:
        _write(self.fd, "")
        self._unlock()

    def withdraw(self) -> None:
        """Release it as though it had never been taken: remove what taking it created (the file while
        still holding it: see the module docstring) and leave the file's content as it was."""
        with contextlib.suppress(OSError):   # a folder another process has since put something in stays
            for made in self.created:
                if made == self.path:
                    made.unlink()
                else:
                    made.rmdir()
        self._unlock()

    def _unlock(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


@contextlib.contextmanager
def _held(locks: list[tuple[Path, Callable[[Path, Holder | None], Locked]]], what: str,
          started_at: dt.datetime) -> Iterator[Holder | None]:
    """Hold every lock file of `locks` for the block, taken in turn; yields the holder that died holding
    the first, if any. Refused one, the ones taken are withdrawn before the refusal is raised."""
    taken: list[_Taken] = []
    try:
        for path, refused in locks:
            taken.append(_take(path, refused))
    except BaseException:
        for lock in reversed(taken):
            lock.withdraw()
        raise
    stale = _read(taken[0].fd)
    me = Holder(what, os.getpid(), socket.gethostname(), started_at.isoformat(timespec="seconds"))
    try:
        for lock in taken:
            _write(lock.fd, json.dumps(asdict(me)) + "\n")
        yield stale
    finally:
        for lock in reversed(taken):
            lock.release()


def _take(path: Path, refused: Callable[[Path, Holder | None], Locked]) -> _Taken:
    """Flock the lock file `path`, creating it (and its folders) if missing; raises `refused(path, the
    live holder)` if another process holds it."""
    while True:
        folders = [f for f in (path.parent, *path.parent.parents) if not f.exists()]
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd, created = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o640), [path, *folders]
        except FileExistsError:
            fd, created = os.open(path, os.O_RDWR), []
        except FileNotFoundError:   # its folder removed meanwhile by a refused run that had made it
            if path.parent.is_dir():
                raise
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise refused(path, holder) from None
        except BaseException:
            os.close(fd)
            raise
        if _is_at(fd, path):
            return _Taken(path, fd, created)
        os.close(fd)   # a file a refused run removed after this one opened it: take the one at the path


def _is_at(fd: int, path: Path) -> bool:
    try:
        here = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (here.st_dev, here.st_ino)
