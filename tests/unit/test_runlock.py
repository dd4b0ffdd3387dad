"""The refresh lock: one run at a time, a clear refusal, a dead holder's lock taken over."""
from __future__ import annotations

import datetime as dt
import json
import os
import socket

import pytest

from csp.runlock import Holder, RefreshLocked, lock_path, run_lock

STARTED = dt.datetime(2026, 11, 23, 9, 30, 5)


def test_second_holder_is_refused_with_the_first_one_named(tmp_path):
    warehouse = tmp_path / "csp.duckdb"
    with run_lock(warehouse, warehouse.parent / "marts", "run-1", STARTED) as stale:
        assert stale is None
        with pytest.raises(RefreshLocked) as refused:
            with run_lock(warehouse, warehouse.parent / "marts", "run-2", STARTED):
                pass
    assert str(refused.value) == (
        f"another refresh is running: run run-1 (pid {os.getpid()} on {socket.gethostname()}, started "
        f"2026-11-23 09:30:05). Wait for it to finish, then run again (lock: {tmp_path / 'csp.duckdb.lock'})")
    assert refused.value.holder == Holder("run-1", os.getpid(), socket.gethostname(), "2026-11-23T09:30:05")


def test_lock_is_free_and_empty_after_the_run(tmp_path):
    warehouse = tmp_path / "csp.duckdb"
    with run_lock(warehouse, warehouse.parent / "marts", "run-1", STARTED):
        assert json.loads(lock_path(warehouse).read_text())["run_id"] == "run-1"
    assert lock_path(warehouse).read_text() == ""
    with run_lock(warehouse, warehouse.parent / "marts", "run-2", STARTED) as stale:
        assert stale is None


def test_lock_left_by_a_dead_run_is_taken_over_and_reported(tmp_path):
    warehouse = tmp_path / "csp.duckdb"
    # what a run killed with SIGKILL leaves: its details in the file, no flock (the kernel dropped it)
    lock_path(warehouse).write_text(json.dumps(
        {"run_id": "dead-run", "pid": 999999, "host": "analyst-pc", "started_at": "2026-11-01T08:00:00"}))
    with run_lock(warehouse, warehouse.parent / "marts", "run-2", STARTED) as stale:
        assert stale == Holder("dead-run", 999999, "analyst-pc", "2026-11-01T08:00:00")
        assert json.loads(lock_path(warehouse).read_text())["run_id"] == "run-2"


def test_half_written_lock_file_counts_as_a_dead_holder(tmp_path):
    warehouse = tmp_path / "csp.duckdb"
    lock_path(warehouse).write_text('{"run_id": "dea')
    with run_lock(warehouse, warehouse.parent / "marts", "run-2", STARTED) as stale:
        assert stale == Holder("unknown", 0, "unknown", "unknown")
