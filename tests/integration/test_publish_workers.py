"""csp/publish/workers.py: a refresh killed outright (SIGKILL, the OOM killer) cannot shut its pool of
publish workers down; they must not outlive it (they used to wait for jobs for ever, ~200 MB each,
with the fork server and resource tracker)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.integration.operation import REPO

KILLED_WITH_WORKERS_UP = """
import os, signal
from csp.publish.workers import workers
if __name__ == "__main__":
    with workers(2) as pool:
        assert [pool.submit(abs, -n).result() for n in (1, 2)] == [1, 2]   # both workers up and idle
        os.kill(os.getpid(), signal.SIGKILL)
"""


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[2]) == pgid and stat[0] != "Z":
            alive.append(int(pid))
    return alive


def test_workers_exit_when_the_refresh_is_killed(tmp_path):
    script = tmp_path / "killed.py"
    script.write_text(KILLED_WITH_WORKERS_UP)
    killed = subprocess.Popen([sys.executable, str(script)], cwd=REPO, start_new_session=True)
    assert killed.wait(timeout=120) == -signal.SIGKILL
    pgid = killed.pid   # a session of its own: its group is its pid, and the workers are in it
    deadline = time.monotonic() + 15
    while _group(pgid) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = _group(pgid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
