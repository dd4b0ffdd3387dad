"""Named points of a refresh where a crash test can kill the process.

The steps of a run pass named checkpoints ("ingest:landing", "build:model", "publish:staged",
...). With CSP_KILL_AT=<name> in its environment, a process kills itself with SIGKILL (no clean-up
code runs, as in a power cut or the OOM killer) the first time it reaches that checkpoint. The crash
tests use it to show that a run killed there leaves the previous outputs and a consistent
warehouse, and that the next run completes normally.
"""
from __future__ import annotations

import os
import signal

KILL_AT = "CSP_KILL_AT"


def checkpoint(name: str) -> None:
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
