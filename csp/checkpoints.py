"""Named points of a refresh where a crash test can kill or interrupt the process.

The steps of a run pass named checkpoints ("ingest:landing", "build:model", "publish:staged",
...). With CSP_KILL_AT=<name> in its environment, a process kills itself with SIGKILL (no clean-up
code runs, as in a power cut or the OOM killer) the first time it reaches that checkpoint. The crash
tests use it to show that a run killed there leaves the previous outputs and a consistent
warehouse, and that the next run completes normally. With CSP_INTERRUPT_AT=<name>, it sends SIGINT
to its whole process group there, as the terminal does on Ctrl-C: only a process leading a group of
its own may (the tests start it so), or it would interrupt whatever started it.
"""
from __future__ import annotations

import os
import signal

KILL_AT = "CSP_KILL_AT"
INTERRUPT_AT = "CSP_INTERRUPT_AT"


def checkpoint(name: str) -> None:
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(INTERRUPT_AT) == name:
        if os.getpgrp() != os.getpid():
            raise RuntimeError(f"{INTERRUPT_AT} is for a process started in a process group of its own")
        os.killpg(os.getpgrp(), signal.SIGINT)
