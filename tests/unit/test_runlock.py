"""The refresh lock: one run at a time, a clear refusal, a dead holder's lock taken over."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket

import pytest

from csp.runlock import Holder, OutputsLocked, RefreshLocked, lock_path, outputs_lock_path, run_lock

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


def test_a_run_refused_the_outputs_lock_leaves_nothing_behind(tmp_path):
    """Not its warehouse's folder or lock file: it created them a moment before it was refused."""
    marts = tmp_path / "marts"
    with run_lock(tmp_path / "other" / "csp.duckdb", marts, "run-1", STARTED):
        before = sorted(tmp_path.rglob("*"))
        with pytest.raises(OutputsLocked):
            with run_lock(tmp_path / "new" / "warehouse" / "csp.duckdb", marts, "run-2", STARTED):
                pass
        assert sorted(tmp_path.rglob("*")) == before
    assert before == [tmp_path / "marts.lock", tmp_path / "other", tmp_path / "other" / "csp.duckdb.lock"]


def test_a_run_refused_the_outputs_lock_leaves_a_dead_holder_of_the_warehouse_lock_as_it_was(tmp_path):
    """The next run still finds that the dead run never finished."""
    warehouse, marts = tmp_path / "csp.duckdb", tmp_path / "marts"
    dead = '{"run_id": "dead-run", "pid": 999999, "host": "analyst-pc", "started_at": "2026-11-01T08:00:00"}'
    lock_path(warehouse).write_text(dead)
    with run_lock(tmp_path / "other" / "csp.duckdb", marts, "run-1", STARTED):
        with pytest.raises(OutputsLocked):
            with run_lock(warehouse, marts, "run-2", STARTED):
                pass
    assert lock_path(warehouse).read_text() == dead
    assert outputs_lock_path(marts).read_text() == ""


def test_a_lock_file_removed_after_it_was_opened_is_not_the_one_taken(tmp_path, monkeypatch):
    """As when a run refused the outputs lock removes the warehouse lock file it had just created,
    which another run has opened: that one, once it gets the lock, takes the file now at the path."""
    warehouse = tmp_path / "csp.duckdb"
    lock_path(warehouse).write_text("")
    real_flock, flocked = fcntl.flock, []

    def removed_first(fd, operation):
        if not flocked:
            lock_path(warehouse).unlink()
        flocked.append(operation)
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", removed_first)
    with run_lock(warehouse, tmp_path / "marts", "run-2", STARTED):
        assert json.loads(lock_path(warehouse).read_text())["run_id"] == "run-2"
