"""Youth offending on the hand-counted fixture (tests/fixtures/youth_offending/README.md): an
aggregate, quarterly source, with districts by name or code and a resubmitted quarter."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, FIXTURES, drop, query, workspace

Q1, Q2, Q1_REVISED = "yjs_return_2024-25_Q1.csv", "yjs_return_2024-25_Q2.csv", "yjs_return_2024-25_Q1_revised.csv"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("youth_offending"))
    for name in (Q1, Q2, Q1_REVISED):
        drop(settings, "youth_offending", name)
    run_refresh(settings, AS_OF)
    return settings


def test_county_counts_by_quarter_use_the_resubmitted_quarter(settings):
    assert query(settings, """
        SELECT quarter_start, sum(first_time_entrants), sum(proven_offences)
        FROM facts.youth_offending_quarterly JOIN ref.districts USING (lad_code)
        WHERE in_county GROUP BY ALL ORDER BY 1""") == [(dt.date(2024, 4, 1), 27, 56), (dt.date(2024, 7, 1), 3, 30)]
    assert query(settings, """
        SELECT first_time_entrants, proven_offences FROM facts.youth_offending_quarterly
        WHERE lad_code = 'E07000105' AND quarter_start = DATE '2024-04-01' AND age_band = '15-17'""") == [(4, 10)]
    assert query(settings, """
        SELECT _source_file, count(*) FILTER (WHERE reject_code IS NULL), count(*) FILTER (WHERE is_current)
        FROM staging.youth_offending_checked GROUP BY ALL ORDER BY 1""") == [(Q1, 25, 0), (Q1_REVISED, 24, 24), (Q2, 24, 24)]


def test_districts_by_name_or_code(settings):
    assert query(settings, """
        SELECT DISTINCT district, lad_code, month = quarter_start FROM staging.youth_offending
        WHERE district IN ('E07000114', 'Tonbridge & Malling') ORDER BY 1""") == [
        ("E07000114", "E07000114", True), ("Tonbridge & Malling", "E07000115", True)]


def test_every_row_lands_or_is_quarantined_with_a_reason(settings):
    assert query(settings, "SELECT file_name, rows_received, rows_loaded, rows_quarantined, balanced FROM dq.deliveries ORDER BY delivery_id") == [
        (Q1, 29, 25, 4, True), (Q2, 24, 24, 0, True), (Q1_REVISED, 24, 24, 0, True)]
    # the months a return covers: its quarter's three (a row is dated at the quarter's first month)
    assert query(settings, "SELECT first_month, last_month FROM dq.deliveries ORDER BY delivery_id") == [
        (dt.date(2024, 4, 1), dt.date(2024, 6, 1)), (dt.date(2024, 7, 1), dt.date(2024, 9, 1)),
        (dt.date(2024, 4, 1), dt.date(2024, 6, 1))]
    assert query(settings, "SELECT row_number, reject_code, reject_reason FROM dq.quarantined_rows ORDER BY row_number") == [
        (26, "duplicate_row", "exact copy of an earlier row in the same file"),
        (27, "bad_date", "date '2024/25 Q5' is missing or not a date (expected a financial-year quarter such as "
                         "2024/25 Q1, or a quarter's first day as YYYY-MM-DD)"),
        (28, "unknown_age_band", "age band '18-21' is not one of: 10-14, 15-17"),
        (29, "bad_count", "first-time entrants 'two' and proven offences '3' must both be whole numbers, 0 or more"),
    ]


def test_quarterly_window_ends_at_the_latest_complete_quarter(settings):
    assert query(settings, """
        SELECT current_period, current_months_covered, comparison_status
        FROM facts.source_windows WHERE source = 'youth_offending'""") == [
        ("October 2023 – September 2024", 6, "only 6 of the 12 months October 2023 – September 2024 have data")]


def test_a_quarter_not_yet_ended_is_not_complete(tmp_path):
    # the workspace's fixed police window (October 2025) would be after this run's month, and refused
    settings = dataclasses.replace(workspace(tmp_path), window_end={})
    drop(settings, "youth_offending", Q1)
    drop(settings, "youth_offending", Q2)
    run_refresh(settings, dt.date(2024, 9, 15))
    assert query(settings, """SELECT current_period, current_months_covered FROM facts.source_windows
                              WHERE source = 'youth_offending'""") == [("July 2023 – June 2024", 3)]


def test_a_stray_row_of_another_quarter_does_not_replace_it(tmp_path):
    """A Q2 return holding one row dated in Q1 (1 of 25, 4%): the row is quarantined as outside the return's
    period, and Q1 keeps its own return's figures (it used to be replaced by the one stray row)."""
    settings = workspace(tmp_path)
    drop(settings, "youth_offending", Q1_REVISED)
    stray = tmp_path / "yjs_return_2024-25_Q2_with_a_stray_row.csv"
    stray.write_text((FIXTURES / "youth_offending" / Q2).read_text() + "Ashford,2024/25 Q1,15-17,1,0\n")
    drop(settings, "youth_offending", stray)
    run_refresh(settings, AS_OF)
    assert query(settings, """SELECT reject_code, reject_reason FROM dq.quarantined_rows
                              WHERE source = 'youth_offending'""") == [
        ("outside_period", "dated April 2024, a month this delivery otherwise does not cover (1 of 25 rows): it is "
                           "counted once a delivery of April 2024 holds it")]
    assert query(settings, """
        SELECT quarter_start, sum(first_time_entrants) FROM facts.youth_offending_quarterly JOIN ref.districts USING (lad_code)
        WHERE in_county GROUP BY ALL ORDER BY 1""") == [(dt.date(2024, 4, 1), 27), (dt.date(2024, 7, 1), 3)]


def test_a_resubmitted_quarter_is_said_to_replace_the_quarter(tmp_path, caplog):
    """The log names the quarter a resubmission replaces by its three months (it said "April 2024")."""
    settings = workspace(tmp_path)
    drop(settings, "youth_offending", Q1)
    run_refresh(settings, AS_OF)
    drop(settings, "youth_offending", Q1_REVISED)
    with caplog.at_level(logging.INFO, logger="csp"):
        run_refresh(settings, AS_OF)
    assert [r.getMessage() for r in caplog.records if " replaces " in r.getMessage()] == [
        f"youth_offending: {Q1_REVISED} replaces April – June 2024 of {Q1} (25 rows) with 24 rows (a corrected file)"]


def test_a_returns_county_total_rows_are_quarantined_as_totals_not_loaded_as_outside_the_area(tmp_path):
    """A Q2 return with the county's totals as districts (Kent, and a TOTAL row): 3 of its 27 rows, 11%, are
    quarantined as totals with their reason, not loaded as rows outside the area (which the annex counted as
    events placed nowhere), and they do not make the return unusable (over the 10% its contract allows a check)."""
    settings = workspace(tmp_path)
    totals = tmp_path / "yjs_return_2024-25_Q2_with_totals.csv"
    totals.write_text((FIXTURES / "youth_offending" / Q2).read_text() + "Kent,2024/25 Q2,10-14,2,20\n"
                      "Kent County Council,2024/25 Q2,15-17,1,10\nTOTAL,2024/25 Q2,10-14,2,20\n")
    drop(settings, "youth_offending", totals)
    run_refresh(settings, AS_OF)
    assert query(settings, """SELECT status, rows_received, rows_loaded, rows_quarantined, rows_outside_area
                              FROM dq.deliveries""") == [("loaded", 27, 24, 3, 0)]
    assert query(settings, "SELECT row_number, reject_code, reject_reason FROM dq.quarantined_rows ORDER BY 1") == [
        (25, "total_row", "'Kent' is a total, not a district: the districts' own rows are counted"),
        (26, "total_row", "'Kent County Council' is a total, not a district: the districts' own rows are counted"),
        (27, "total_row", "'TOTAL' is a total, not a district: the districts' own rows are counted")]
    assert query(settings, """
        SELECT quarter_start, sum(first_time_entrants), sum(proven_offences)
        FROM facts.youth_offending_quarterly JOIN ref.districts USING (lad_code)
        WHERE in_county GROUP BY ALL""") == [(dt.date(2024, 7, 1), 3, 30)]


def test_a_district_name_outside_the_area_is_quoted_with_the_district_it_is_close_to(tmp_path):
    """A return's row with a district the lookup does not know loads as outside the area (Bexley's, a real place
    beyond Kent), but the data-quality report quotes the names as sent, and names the area's district a name is
    close to: 'Tunbridge Wells Borough' read as a place outside Kent, its quarter then missing a district, with
    nothing in the report to say why (an adversarial review)."""
    settings = workspace(tmp_path)
    misspelt = tmp_path / "yjs_return_2024-25_Q2_misspelt.csv"
    misspelt.write_text((FIXTURES / "youth_offending" / Q2).read_text().replace("Tunbridge Wells,", "Tunbridge Wells Borough,")
                        + "Bexley,2024/25 Q2,10-14,1,1\n")
    drop(settings, "youth_offending", misspelt)
    summary = run_refresh(settings, AS_OF)
    assert query(settings, "SELECT rows_received, rows_loaded, rows_outside_area FROM dq.deliveries") == [(25, 25, 3)]
    report = " ".join(summary.published.quality_report.read_text(encoding="utf-8").split())
    assert ("3 loaded rows with an LSOA or district outside the area: counted in no district. Districts as sent: "
            "&lsquo;Tunbridge Wells Borough&rsquo; (2 rows; not a district of the area, though close to Tunbridge "
            "Wells: misspelt?); &lsquo;Bexley&rsquo; (1 row).") in report
