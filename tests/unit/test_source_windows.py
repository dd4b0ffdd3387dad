"""facts.source_windows: a source the catalogue gives window_end_months (KSI: June) ends its window there;
data_to names the latest month counted and the months still arriving after it."""
from __future__ import annotations

import datetime as dt

from csp.config import load_settings
from csp.warehouse import connect, execute, run, set_variables
from transforms.build import build_reference


def _windows(tmp_path, source: str, as_of: dt.date, until: str, step_months: int, columns: str) -> list[tuple]:
    """facts.source_windows (`columns`) run on `as_of`, every county district having rows of `source`
    dated every `step_months` from January 2023 until (not including) `until`."""
    settings = load_settings().with_paths(warehouse=tmp_path / "w.duckdb")
    with connect(settings.warehouse) as con:
        set_variables(con, settings, as_of)
        build_reference(con)
        execute(con, f"""CREATE TABLE staging.{source}_checked AS
            SELECT '{source}' AS source, CAST(m AS DATE) AS month, d.lad_code, true AS is_current, 1 AS _delivery_id
            FROM range(DATE '2023-01-01', DATE '{until}', INTERVAL {step_months} MONTH) AS r (m)
            CROSS JOIN ref.districts AS d WHERE d.in_county""")
        execute(con, f"SET VARIABLE checked_tables = ['staging.{source}_checked']")
        execute(con, f"SET VARIABLE window_end_settings = map(['{source}'], ['auto'])")
        run(con, "facts/source_months")
        run(con, "facts/source_windows")
        return execute(con, f"SELECT {columns} FROM facts.source_windows")


def test_ksi_window_ends_at_the_latest_complete_june(tmp_path):
    # every county district has casualties in every month, January 2023 - November 2025
    rows = _windows(tmp_path, "road_casualties", dt.date(2026, 1, 20), "2025-12-01", 1,
                    "current_period, previous_period, comparison_available, data_to")
    # the months after June are complete too: the data runs to November
    assert rows == [("July 2024 – June 2025", "July 2023 – June 2024", True, "November 2025")]


def test_a_quarter_not_yet_ended_is_still_arriving(tmp_path):
    # every county district's returns for the quarters from January 2023, the latest July - September 2025
    rows = _windows(tmp_path, "youth_offending", dt.date(2025, 8, 15), "2025-10-01", 3,
                    "current_period, complete_until, data_to")
    assert rows == [("July 2024 – June 2025", dt.date(2025, 6, 1), "June 2025 (July 2025 – September 2025 still arriving)")]
