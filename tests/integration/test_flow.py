"""The Prefect flow runs the same refresh (one temporary Prefect server for the session)."""
from __future__ import annotations

import dataclasses
import os

import pytest

from tests.conftest import drop, query, settings_file

pytestmark = pytest.mark.prefect


def test_monthly_refresh_flow_publishes_the_comparison(prefect_harness, settings, tmp_path):
    from flows.monthly_refresh import monthly_refresh

    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    path = settings_file(dataclasses.replace(settings, pack_documents=True), tmp_path)   # the flow ends with the PDF
    result = monthly_refresh(settings_path=str(path), as_of="2026-11-23", raw_dir=str(settings.raw_dir),
                             marts_dir=str(settings.marts_dir), warehouse=str(settings.warehouse))
    assert result["comparison"] == "November 2024 – October 2025 compared with November 2023 – October 2024"
    assert {"assessment_pack.pdf", "assessment_pack.html", "assessment_tables.xlsx", "run_manifest.json"} <= {
        os.path.basename(p) for p in result["outputs"]}
    assert query(settings, """SELECT current_count, previous_count FROM comparisons.crime_rolling_12m
                              WHERE area_type = 'county' AND offence_group = 'All crime'""") == [(22, 16)]
    assert query(settings, "SELECT status FROM meta.runs") == [("succeeded",)]
