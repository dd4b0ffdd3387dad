"""Named points of a refresh where a crash test can kill or stop the process.

The steps of a run pass named checkpoints ("ingest:landing", "build:model", "publish:staged",
...). With CSP_KILL_AT=<name> in its environment, a process kills itself with SIGKILL (no clean-up
code runs, as in a power cut or the OOM killer) the first time it reaches that checkpoint. The crash
tests use it to show that a run killed there leaves the previous outputs and a consistent
warehouse, and that the next run completes normally. With CSP_INTERRUPT_AT=<name>, it sends SIGINT
to its whole process group there, as the terminal does on Ctrl-C: only a process leading a group of
its own may (the tests start it so), or it would interrupt whatever started it. With
CSP_TERMINATE_AT=<name>, it sends itself SIGTERM, as a supervisor ending it does. With
CSP_SIGNAL_IN_QUERY=1 as well, either signal arrives while a DuckDB query runs there.
"""
from __future__ import annotations

import os
import signal
import threading

KILL_AT = "CSP_KILL_AT"
INTERRUPT_AT = "CSP_INTERRUPT_AT"
TERMINATE_AT = "CSP_TERMINATE_AT"
IN_QUERY = "CSP_SIGNAL_IN_QUERY"


def checkpoint(name: str) -> None:
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(INTERRUPT_AT) == name:
        if os.getpgrp() != os.getpid():
            raise RuntimeError(f"{INTERRUPT_AT} is for a process started in a process group of its own")
        _send(lambda: os.killpg(os.getpgrp(), signal.SIGINT))
    if os.environ.get(TERMINATE_AT) == name:
        _send(lambda: os.kill(os.getpid(), signal.SIGTERM))


def _send(signal_it) -> None:
    if os.environ.get(IN_QUERY) != "1":
        signal_it()
        return
    import duckdb

    threading.Timer(0.5, signal_it).start()
    # a query that would run for hours, on one thread: DuckDB 2.0 sometimes never ends a query on
    # two or more threads that a signal interrupts (caveat 70), which is not what the tests are about
    with duckdb.connect(config={"threads": 1}) as con:
        con.execute("SELECT count(*) FROM range(1_000_000_000_000) t(i) WHERE i % 7 = 3").fetchall()
