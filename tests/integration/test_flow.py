"""The Prefect flow runs the same refresh (one temporary Prefect server for the session)."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import logging
import os
import time

import pytest

from csp.runlock import run_lock
from tests.conftest import drop, query, settings_file

pytestmark = pytest.mark.prefect


def _flow_run_errors(settings) -> tuple[object, list[logging.LogRecord]]:
    """The flow's final state on `settings`' folders, and the ERROR records of its run's log (Prefect's
    loggers do not propagate to pytest's)."""
    from flows.monthly_refresh import monthly_refresh

    records = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append
    flow_runs = logging.getLogger("prefect.flow_runs")
    flow_runs.addHandler(handler)
    try:
        return monthly_refresh(as_of="2026-11-23", raw_dir=str(settings.raw_dir), marts_dir=str(settings.marts_dir),
                               warehouse=str(settings.warehouse), return_state=True), records
    finally:
        flow_runs.removeHandler(handler)


def test_an_error_for_the_analyst_ends_the_flow_in_words_without_a_traceback(prefect_harness, settings):
    """Prefect logs the exception that ends a flow run with its traceback: for the analyst's input (here
    no extract anywhere) or a refresh already running, the line alone, as the command line says it."""
    state, (record,) = _flow_run_errors(settings)
    assert state.is_failed()
    assert record.getMessage().startswith('Encountered exception during execution: NoExtracts("no partner extracts:')
    assert record.exc_info is None
    with run_lock(settings.warehouse, settings.marts_dir, "20261123T090000000", dt.datetime(2026, 11, 23, 9)):
        state, (record,) = _flow_run_errors(settings)
    assert state.is_failed()
    assert record.getMessage().startswith("Encountered exception during execution: RefreshLocked('another refresh is "
                                          "running: run 20261123T090000000")
    assert record.exc_info is None


def test_a_failed_runs_pickled_error_is_kept_in_the_pipelines_folder_and_pruned(prefect_harness, settings, tmp_path,
                                                                              monkeypatch):
    """Prefect 3 pickles a failed run's exception (its message can quote a partner's value) into its results
    storage and never deletes it: the CLI points that at a folder of the pipeline's own, which each run prunes
    of results older than [schedule] prefect_keep_days (90), as the persistent server deletes their runs."""
    from prefect.settings import PREFECT_RESULTS_LOCAL_STORAGE_PATH, temporary_settings

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    folder = tmp_path / "csp-results"
    with temporary_settings(updates={PREFECT_RESULTS_LOCAL_STORAGE_PATH: folder}):   # as cli._prefect_defaults sets it
        assert _flow_run_errors(settings)[0].is_failed()   # no extracts
        (first,) = folder.iterdir()
        assert b"no partner extracts" in base64.b64decode(first.read_bytes())   # the pickle, in base 64
        days_ago = time.time() - 89 * 86400
        os.utime(first, (days_ago, days_ago))
        _flow_run_errors(settings)
        assert len(list(folder.iterdir())) == 2              # 89 days old: kept
        days_ago = time.time() - 91 * 86400
        os.utime(first, (days_ago, days_ago))
        _flow_run_errors(settings)
        kept = list(folder.iterdir())
        assert len(kept) == 2 and first not in kept          # 91 days old: deleted; this run's error written
    (elsewhere := tmp_path / "storage").mkdir()              # a results folder the analyst set is left alone
    (old := elsewhere / "theirs").write_text("x")
    os.utime(old, (days_ago, days_ago))
    with temporary_settings(updates={PREFECT_RESULTS_LOCAL_STORAGE_PATH: elsewhere}):
        _flow_run_errors(settings)
    assert old.exists()


def test_monthly_refresh_flow_publishes_the_comparison(prefect_harness, settings, tmp_path):
    from flows.monthly_refresh import monthly_refresh

    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    drop(settings, "police_crime", "current_year.csv", "2024/current_year.csv")   # a sub-folder: not read
    path = settings_file(dataclasses.replace(settings, pack_documents=True), tmp_path)   # the flow ends with the PDF
    state = monthly_refresh(settings_path=str(path), as_of="2026-11-23", raw_dir=str(settings.raw_dir),
                            marts_dir=str(settings.marts_dir), warehouse=str(settings.warehouse), return_state=True)
    result = state.result()
    assert result["comparison"] == "November 2024 – October 2025 compared with November 2023 – October 2024"
    assert {"assessment_pack.pdf", "assessment_pack.html", "assessment_tables.xlsx", "run_manifest.json"} <= {
        os.path.basename(p) for p in result["outputs"]}
    assert query(settings, """SELECT current_count, previous_count FROM comparisons.crime_rolling_12m
                              WHERE area_type = 'county' AND offence_group = 'All crime'""") == [(22, 16)]
    assert query(settings, "SELECT status FROM meta.runs") == [("succeeded",)]
    artifacts = _artifacts(state.state_details.flow_run_id)
    assert sorted(artifacts) == ["deliveries", "headline-changes", "quarantined-rows", "refresh-summary"]
    assert [(row["file_name"], row["status"], row["rows_received"], row["rows_loaded"], row["rows_quarantined"])
            for row in artifacts["deliveries"]] == [("previous_year.csv", "loaded", 20, 20, 0),
                                                    ("current_year.csv", "loaded", 25, 22, 3)]
    # the fixture's three bad rows (tests/fixtures/police_crime/README.md)
    # codes, counts and the first row's number: no reason in words, which quotes the value as sent (C22's offence
    # group 'Violence' here; a victim's name typed into the wrong field there), as Prefect keeps its artifacts in
    # its own database, outside the restricted warehouse and outputs, and shows them in its UI
    assert sorted(tuple(row.items()) for row in artifacts["quarantined-rows"]) == [
        (("file_name", "current_year.csv"), ("reject_code", "duplicate_row"), ("rows", 1), ("first_row", 24)),
        (("file_name", "current_year.csv"), ("reject_code", "future_date"), ("rows", 1), ("first_row", 25)),
        (("file_name", "current_year.csv"), ("reject_code", "unknown_offence"), ("rows", 1), ("first_row", 22))]
    assert query(settings, "SELECT reject_reason FROM dq.quarantined_rows WHERE reject_code = 'unknown_offence'") == [
        ("offence 'Violence' is not a recognised offence group",)]
    assert not [key for key, artifact in artifacts.items() if "'Violence'" in json.dumps(artifact)]
    assert {row["offence_group"]: (row["current_count"], row["previous_count"], row["change"])
            for row in artifacts["headline-changes"]}["All crime"] == (22, 16, "+6 (+37.5%)")
    summary = artifacts["refresh-summary"]
    assert "- **Comparison (police recorded crime):** November 2024 – October 2025 compared with November 2023 – October 2024" in summary
    # what the log warned of, on the run's page (the fixture's data is a year old by the run date)
    overdue, gaps = [line for line in summary.splitlines() if line.startswith("- **Warning:**")]
    assert overdue == ("- **Warning:** Police recorded crime: data to October 2025 — 12 months behind the run date; "
                       "expected within 1 (November 2025 – September 2026 overdue)")
    # the fixture's districts have months without a crime: said as missing (its dq.gaps)
    assert gaps.startswith("- **Warning:** Police recorded crime: missing November 2023 – December 2023 (Thanet); ")
    assert gaps.endswith("; August 2025 – October 2025 (Thanet), inside the months compared (November 2023 – October "
                         "2025): a district missing a month counts none in it, so its totals, and the county's, leave "
                         "out that month's records and may read low")
    assert ("- Not read: `police_crime/2024/` is a folder inside police_crime's folder, so its file is not read: "
            "only files directly in police_crime/ are") in summary


def _artifacts(flow_run_id) -> dict:
    """The flow run's artifacts by key: a table's rows, or a markdown artifact's text."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {a.key: json.loads(a.data) if a.type == "table" else a.data for a in found}


def test_a_run_a_stopped_serve_left_running_is_ended_so_later_runs_are_not_blocked(prefect_harness):
    """A `csp serve` stopped mid-run left its run Running for ever (Prefect 3 sends no heartbeats by default),
    holding the deployment's one run slot: every later run, scheduled ones too, waited behind it. Serve ends
    such runs as it starts and stops; a run only scheduled is left to run."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.states import Running

    from csp.config import load_settings
    from flows.deployment import LEFT_BY_SERVE, deployment, end_runs_left_unfinished

    served = deployment(load_settings(), {})   # made here: inside a coroutine Prefect hands back another

    async def scenario():
        assert await end_runs_left_unfinished() == []   # not yet served on this server
        deployment_id = await served.apply()
        async with get_client() as client:
            left = await client.create_flow_run_from_deployment(deployment_id, name="left-running")
            await client.set_flow_run_state(left.id, Running(), force=True)
            waiting = await client.create_flow_run_from_deployment(deployment_id, name="scheduled")
            ended = await end_runs_left_unfinished()
            states = [(await client.read_flow_run(run.id)).state for run in (left, waiting)]
            await client.delete_deployment(deployment_id)
        return ended, states

    ended, (left, waiting) = asyncio.run(scenario())
    assert ended == ["left-running"]
    assert (left.type.value, left.message) == ("CRASHED", LEFT_BY_SERVE)
    assert waiting.type.value == "SCHEDULED"
