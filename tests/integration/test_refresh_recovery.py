"""The refresh as an operation: atomic when killed at any step, the next run completing it. Every
output, the district marts included: recovery is about all of them."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from csp.pipeline import run_refresh
from csp.publish.release import current_release
from csp.runlock import lock_path
from tests.conftest import AS_OF, cli_args, drop, query
from tests.integration.operation import (REPO, RUN_SPECIFIC, own_copy, refreshed_base, release_files, rolling_rows,
                                         table_digests)


@pytest.fixture(scope="module")
def previous_year_refreshed(tmp_path_factory):
    """The previous year's delivery refreshed once: where the recovery tests and `uninterrupted` start."""
    return refreshed_base(tmp_path_factory, "previous_year", ("previous_year.csv",))


@pytest.fixture(scope="module")
def uninterrupted(previous_year_refreshed, tmp_path_factory):
    """Outputs of the two fixture deliveries refreshed without interruption, for comparison."""
    settings = own_copy(previous_year_refreshed[0], tmp_path_factory.mktemp("clean"))
    drop(settings, "police_crime", "current_year.csv")
    summary = run_refresh(settings, AS_OF)
    return (summary.data_version, rolling_rows(summary.outputs_dir),
            table_digests(settings, RUN_SPECIFIC))


@pytest.mark.parametrize("kill_at", ["ingest:landed", "build:model", "publish:staged", "publish:swapped"])
def test_run_killed_at_any_step_leaves_a_consistent_state_and_the_next_run_completes(
        kill_at, previous_year_refreshed, tmp_path, uninterrupted, caplog):
    base, before = previous_year_refreshed
    settings = own_copy(base, tmp_path)
    before_files, before_tables = release_files(settings.marts_dir / "county"), table_digests(settings)
    drop(settings, "police_crime", "current_year.csv")

    killed = subprocess.run([sys.executable, "-m", "csp.cli", *cli_args(settings, tmp_path), "refresh", "--no-prefect",
                             "--as-of", AS_OF.isoformat()], cwd=REPO, env={**os.environ, "CSP_KILL_AT": kill_at},
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    killed_run = json.loads(lock_path(settings.warehouse).read_text())["run_id"]   # the lock it never released
    outputs = settings.marts_dir / "county"
    if kill_at == "publish:swapped":     # killed just after the swap: the new release is complete and in place
        assert rolling_rows(outputs) == uninterrupted[1]
        assert table_digests(settings, RUN_SPECIFIC) == uninterrupted[2]
    else:                                # before the swap: the previous outputs, untouched
        assert release_files(outputs) == before_files
        assert current_release(settings.marts_dir).name == before.run_id
        if kill_at == "publish:staged":  # the build had committed: the new tables, complete
            assert table_digests(settings, RUN_SPECIFIC) == uninterrupted[2]
        else:                            # the previous derived tables, untouched (and the raw rows, if killed landing them)
            derived = {t: d for t, d in table_digests(settings).items() if kill_at == "ingest:landed" or t[:4] != "raw."}
            assert derived == {t: d for t, d in before_tables.items() if t in derived}
    assert query(settings, "SELECT count(*) FROM meta.deliveries") == [(1 if kill_at == "ingest:landed" else 2,)]
    published_by = json.loads((outputs / "run_manifest.json").read_text(encoding="utf-8"))["produced_by_run"]
    assert (published_by == killed_run) == (kill_at == "publish:swapped")

    with caplog.at_level(logging.WARNING, logger="csp"):
        after = run_refresh(settings, AS_OF)
    assert "stopped without releasing its lock: taking it over" in caplog.text and killed_run in caplog.text
    # killed after its swap, the run published the outputs in use, which name it: it succeeded
    status = "succeeded" if kill_at == "publish:swapped" else "abandoned"
    assert query(settings, "SELECT status FROM meta.runs WHERE run_id = $r", {"r": killed_run}) == [(status,)]
    assert f"run {killed_run} (started " in caplog.text and f"recorded as {status}" in caplog.text
    assert after.data_version == uninterrupted[0]
    assert rolling_rows(after.outputs_dir) == uninterrupted[1]
    assert table_digests(settings, RUN_SPECIFIC) == uninterrupted[2]
    assert query(settings, "SELECT count(*) FROM raw.police_crime") == [(45,)]
    # the run completing the killed one says what is new since the last release, the delivery the killed run
    # landed included (it said 'New deliveries: none'); killed after its swap, the killed run published it
    reported = [(d["file_name"], d["earlier_run"]) for d in after.report.deliveries]
    assert reported == {"ingest:landed": [("current_year.csv", False)], "publish:swapped": []}.get(
        kill_at, [("current_year.csv", True)])
    if kill_at in ("build:model", "publish:staged"):
        assert after.report.deliveries_in_words() == (
            "1 (1 loaded, 0 quarantined whole); 22 rows loaded, 3 rows quarantined (1 of the deliveries landed by a "
            "refresh that stopped before publishing)")
