"""Worker processes for the publish step: the county pack and each district's workbook, README and
pack are independent of one another, so on two cores two processes write them while the refresh's
own process goes on with what needs the warehouse (disclosure control, the marts' DuckDB and
Parquet files, the manifests). Every job's files are the same bytes as when written in this process.

The workers are started by a fork server (a fresh process that imports the publishing modules once,
then forks each worker), never forked from the refresh's process: that holds the warehouse's DuckDB
threads and, under Prefect, Prefect's threads, which a fork would copy mid-flight."""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Callable, Iterator

PRELOAD = ["csp.marts.publish", "csp.publish.pack"]


class _Done:
    """A job already done in this process: the part of a Future's interface the callers use."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Handed:
    """A job being handed to the pool by the submitting thread: its result is the pool's future's."""

    def __init__(self, handing: Future):
        self.handing = handing

    def result(self):
        return self.handing.result().result()


class Workers:
    """`submit(fn, *args)` runs fn(*args) in a worker process, or here and now if there are none;
    either way `.result()` gives its value or raises its error. Jobs reach the pool through one
    thread, in the order submitted, so that submitting never waits for the workers to start."""

    def __init__(self, pool: ProcessPoolExecutor | None, submitter: ThreadPoolExecutor | None = None):
        self.pool, self.submitter = pool, submitter

    def submit(self, fn: Callable, *args):
        if not self.pool:
            return _Done(fn(*args))
        return _Handed(self.submitter.submit(self.pool.submit, fn, *args))


def _start_worker(refresh_pid: int) -> None:
    """Each worker's start: gc.freeze (the modules the fork server imported are never garbage, so the
    collector need not walk them again and again while the charts make their many short-lived objects:
    ~5% less CPU for a pack's charts), and a watch on the refresh's process. A refresh killed outright
    (SIGKILL, the OOM killer) cannot shut its pool down; its workers, children of the fork server,
    would then wait for jobs for ever, ~200 MB each, and the fork server and resource tracker with them
    (they exit once no worker is left)."""
    gc.freeze()

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(refresh_pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="watch-refresh", daemon=True).start()


def _usable(count: int) -> bool:
    """Worker processes for `count` (fewer than 2: none, every job runs in this process; so too in a
    daemonic process, such as a Dask worker's, which may not start processes of its own)."""
    return count >= 2 and not multiprocessing.current_process().daemon


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def warm_up(count: int) -> None:
    """Start the fork server now, if `workers(count)` will use it: it imports the publishing modules
    (~1.3 s of CPU) while the refresh ingests and builds, which leave the second core idle, not at
    the start of the publish step, when both cores are busy (disclosure control, the county pack)."""
    if _usable(count):
        _context()
        multiprocessing.forkserver.ensure_running()


@contextlib.contextmanager
def workers(count: int) -> Iterator[Workers]:
    """`count` worker processes (none: see _usable). Leaving the block waits for the jobs still
    running; after an error, those not started are cancelled."""
    if not _usable(count):
        yield Workers(None)
        return
    pool = ProcessPoolExecutor(max_workers=count, mp_context=_context(), initializer=_start_worker,
                               initargs=(os.getpid(),))
    # starting a worker waits for the fork server to import the publishing modules (~1.3 s): the
    # submitting thread starts them now, while this thread goes on with what comes before the jobs
    submitter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish-submit")
    for _ in range(count):
        submitter.submit(pool.submit, int)
    try:
        yield Workers(pool, submitter)
    except BaseException:
        submitter.shutdown(wait=True, cancel_futures=True)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    submitter.shutdown(wait=True)
    pool.shutdown(wait=True)
