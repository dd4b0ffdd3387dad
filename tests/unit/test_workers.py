"""Publish workers: jobs handed to worker processes give their values, or raise their errors, as
they would run here; with fewer than two workers they run here and now."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from csp.publish.workers import workers


def test_jobs_in_worker_processes_give_their_values_and_errors():
    with workers(2) as pool:
        powers = [pool.submit(pow, 2, n) for n in range(6)]
        failed = pool.submit(int, "twelve")
        elsewhere = pool.submit(os.getpid)
    assert [job.result() for job in powers] == [1, 2, 4, 8, 16, 32]
    with pytest.raises(ValueError, match="twelve"):
        failed.result()
    assert elsewhere.result() != os.getpid()


def test_with_one_worker_jobs_run_here_when_submitted():
    with workers(1) as pool:
        here = pool.submit(os.getpid)
        with pytest.raises(ValueError, match="twelve"):
            pool.submit(int, "twelve")
    assert here.result() == os.getpid()


WARM_UP = """
import multiprocessing.forkserver as fs, sys
from csp.publish.workers import warm_up, workers
warm_up(int(sys.argv[1]))
started = fs._forkserver._forkserver_pid
print(started is not None)
if started:
    with workers(2) as pool:   # the pool forks its workers from the fork server already running
        pool.submit(int).result()
    print(fs._forkserver._forkserver_pid == started)
"""


@pytest.mark.parametrize("count, said", [(1, ["False"]), (2, ["True", "True"])])
def test_warm_up_starts_the_fork_server_the_workers_then_use(count, said):
    """In a fresh interpreter: the fork server is started before the publish step only when there will be
    workers, and the pool uses that one rather than starting another."""
    out = subprocess.run([sys.executable, "-c", WARM_UP, str(count)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == said
