"""One refresh at a time: a lock beside the warehouse, held from the start of a run to its end, and
one beside its outputs folder (a refresh of another warehouse into the same folder would remove this
one's release as it is written).

The lock is an advisory `flock` on `<warehouse>.lock`. The kernel releases it when its holder
exits, however it exits (even `kill -9` or a power cut), so a crashed run can never block the
next one and two runs can never both believe they hold it. The file's content says who holds it
(pid, host, run id, start time): a second refresh quotes it when it refuses, and a run that finds
it filled in when it gets the lock knows the previous holder died without finishing.
The file is emptied on release, never deleted (deleting a lock file lets two processes lock two
different files of the same name). `holding` is the same lock for anything else only one process
may do at a time (`csp serve` on a port: csp.prefect_server.serve_lock).
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
    with holding(lock_path(warehouse), run_id, started_at, RefreshLocked) as stale, \
            holding(outputs_lock_path(marts_dir), run_id, started_at, OutputsLocked):
        yield stale


@contextlib.contextmanager
def holding(path: Path, what: str, started_at: dt.datetime,
            refused: Callable[[Path, Holder | None], Locked]) -> Iterator[Holder | None]:
    """Hold the lock file `path` for the block, recording this process as its holder (`what`: the run,
    or what else holds it); yields the holder that died holding it, if any. Raises `refused(path, the
    live holder)` if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise refused(path, _read(fd)) from None
        stale = _read(fd)
        me = Holder(what, os.getpid(), socket.gethostname(), started_at.isoformat(timespec="seconds"))
        _write(fd, json.dumps(asdict(me)) + "\n")
        try:
            yield stale
        finally:
            _write(fd, "")
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
