"""Publish workers: jobs handed to worker processes give their values, or raise their errors, as
they would run here; with fewer than two workers they run here and now."""
from __future__ import annotations

import os

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
