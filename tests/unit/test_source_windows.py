"""facts.source_windows: a source the catalogue gives window_end_months (KSI: June) ends its window there;
data_to names the latest month counted and the months still arriving after it."""
from __future__ import annotations

import datetime as dt

from csp.config import load_settings
from csp.warehouse import connect, execute, run, set_variables
from transforms.build import build_reference


def test_ksi_window_ends_at_the_latest_complete_june(tmp_path):
    settings = load_settings().with_paths(warehouse=tmp_path / "w.duckdb")
    with connect(settings.warehouse) as con:
        set_variables(con, settings, dt.date(2026, 1, 20))
        build_reference(con)
        # every county district has casualties in every month, January 2023 - November 2025
        execute(con, """CREATE TABLE staging.road_casualties_checked AS
            SELECT 'road_casualties' AS source, CAST(m AS DATE) AS month, d.lad_code, true AS is_current, 1 AS _delivery_id
            FROM range(DATE '2023-01-01', DATE '2025-12-01', INTERVAL 1 MONTH) AS r (m)
            CROSS JOIN ref.districts AS d WHERE d.in_county""")
        execute(con, "SET VARIABLE checked_tables = ['staging.road_casualties_checked']")
        execute(con, "SET VARIABLE window_end_settings = map(['road_casualties'], ['auto'])")
        run(con, "facts/source_windows")
        rows = execute(con, """SELECT current_period, previous_period, comparison_available, data_to
                               FROM facts.source_windows""")
    # the months after June are complete too: the data runs to November
    assert rows == [("July 2024 – June 2025", "July 2023 – June 2024", True, "November 2025")]


def test_a_quarter_not_yet_ended_is_still_arriving(tmp_path):
    settings = load_settings().with_paths(warehouse=tmp_path / "w.duckdb")
    with connect(settings.warehouse) as con:
        set_variables(con, settings, dt.date(2025, 8, 15))
        build_reference(con)
        # every county district's returns for the quarters from January 2023, the latest July - September 2025
        execute(con, """CREATE TABLE staging.youth_offending_checked AS
            SELECT 'youth_offending' AS source, CAST(m AS DATE) AS month, d.lad_code, true AS is_current, 1 AS _delivery_id
            FROM range(DATE '2023-01-01', DATE '2025-10-01', INTERVAL 3 MONTH) AS r (m)
            CROSS JOIN ref.districts AS d WHERE d.in_county""")
        execute(con, "SET VARIABLE checked_tables = ['staging.youth_offending_checked']")
        execute(con, "SET VARIABLE window_end_settings = map(['youth_offending'], ['auto'])")
        run(con, "facts/source_windows")
        rows = execute(con, "SELECT current_period, complete_until, data_to FROM facts.source_windows")
    assert rows == [("July 2024 – June 2025", dt.date(2025, 6, 1), "June 2025 (July 2025 – September 2025 still arriving)")]
