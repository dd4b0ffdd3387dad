"""facts.source_windows.overdue: a source whose latest complete month is older than its contract's
expected_lag_months allows at the run's as-of date is said to be overdue, with the months overdue."""
from __future__ import annotations

import datetime as dt

import pytest

from csp.config import load_settings
from csp.warehouse import connect, execute, run, set_variables
from transforms.build import build_reference


def overdue(tmp_path, source: str, first: str, last: str, step: int, as_of: dt.date):
    """`source` with every county district's rows from month `first` to `last`, every `step` months."""
    settings = load_settings().with_paths(warehouse=tmp_path / f"{as_of}.duckdb")
    with connect(settings.warehouse) as con:
        set_variables(con, settings, as_of)
        build_reference(con)
        execute(con, f"""CREATE TABLE staging.{source}_checked AS
            SELECT '{source}' AS source, CAST(m AS DATE) AS month, d.lad_code, true AS is_current, 1 AS _delivery_id
            FROM range(DATE '{first}', DATE '{last}' + INTERVAL 1 DAY, INTERVAL {step} MONTH) AS r (m)
            CROSS JOIN ref.districts AS d WHERE d.in_county""")
        execute(con, f"SET VARIABLE checked_tables = ['staging.{source}_checked']")
        execute(con, f"SET VARIABLE window_end_settings = map(['{source}'], ['auto'])")
        run(con, "facts/source_months")
        run(con, "facts/source_windows")
        return execute(con, "SELECT expected_until, overdue FROM facts.source_windows")[0]


@pytest.mark.parametrize("as_of, expected", [
    # a month's crimes are due a month after it ends: on 6 December October's are, November's not yet
    (dt.date(2025, 12, 6), (dt.date(2025, 10, 1), None)),
    (dt.date(2026, 12, 6), (dt.date(2026, 10, 1), "data to October 2025 — 13 months behind the run date; expected "
                                                  "within 1 (November 2025 – October 2026 overdue)")),
    (dt.date(2026, 1, 6), (dt.date(2025, 11, 1), "data to October 2025 — 2 months behind the run date; expected "
                                                 "within 1 (November 2025 overdue)")),
])
def test_police_data_older_than_a_month_after_it_ends_is_overdue(tmp_path, as_of, expected):
    assert overdue(tmp_path, "police_crime", "2023-11-01", "2025-10-01", 1, as_of) == expected


@pytest.mark.parametrize("as_of, expected", [
    # a quarter is due two months after it ends: July - September by the end of November
    (dt.date(2025, 11, 6), (dt.date(2025, 6, 1), None)),
    (dt.date(2025, 12, 6), (dt.date(2025, 9, 1), "data to June 2025 — 5 months behind the run date; expected within 2 "
                                                 "(July 2025 – September 2025 overdue)")),
])
def test_a_quarterly_return_is_due_a_quarter_at_a_time(tmp_path, as_of, expected):
    # returns for the quarters January 2023 - June 2025
    assert overdue(tmp_path, "youth_offending", "2023-01-01", "2025-04-01", 3, as_of) == expected


def test_ksi_waits_for_the_september_release(tmp_path):
    # STATS19 to June 2025: still the latest in September 2026, before the full year's release
    assert overdue(tmp_path, "road_casualties", "2023-01-01", "2025-06-01", 1, dt.date(2026, 9, 5))[1] is None
    assert overdue(tmp_path, "road_casualties", "2023-01-01", "2025-06-01", 1, dt.date(2026, 10, 5))[1] == (
        "data to June 2025 — 15 months behind the run date; expected within 14 (July 2025 overdue)")


def test_a_lag_that_is_no_whole_number_is_refused(tmp_path, monkeypatch):
    from csp import contracts

    text = (contracts.CONTRACTS_DIR / "asb.yml").read_text(encoding="utf-8")
    (tmp_path / "asb.yml").write_text(text.replace("expected_lag_months: 1", "expected_lag_months: one"),
                                      encoding="utf-8")
    monkeypatch.setattr(contracts, "CONTRACTS_DIR", tmp_path)
    contracts.load_contract.cache_clear()
    try:
        with pytest.raises(ValueError, match="asb.yml: expected_lag_months 'one' is not a whole number of months"):
            contracts.load_contract("asb")
    finally:
        contracts.load_contract.cache_clear()
