"""facts.series_breaks: KSI counted from adjusted severities after months counted from recorded
severity (a STATS19 release without adjusted values) is a series break the data itself shows, beside
the register's breaks (caveat 17)."""
from __future__ import annotations

import datetime as dt

from csp.config import load_settings
from csp.warehouse import connect, execute, run, set_variables
from transforms.build import build_reference


def _breaks(tmp_path, months: list[tuple[str, str | None]]) -> list[tuple]:
    settings = load_settings().with_paths(warehouse=tmp_path / "w.duckdb")
    with connect(settings.warehouse) as con:
        set_variables(con, settings, dt.date(2025, 11, 5))
        build_reference(con)
        execute(con, "CREATE TABLE staging.road_casualties (month DATE, severity_basis VARCHAR)")
        for month, basis in months:
            execute(con, "INSERT INTO staging.road_casualties VALUES ($m, $b)", {"m": month, "b": basis})
        execute(con, "CREATE SCHEMA IF NOT EXISTS facts")
        run(con, "facts/series_breaks")
        return execute(con, "SELECT source, measure_id, from_month, note FROM facts.series_breaks ORDER BY from_month")


ASB = ("asb", None, dt.date(2024, 4, 1),
       "Series break from April 2024: Kent Police changed how anti-social behaviour incidents are recorded (2024/25)")


def test_adjusted_months_after_recorded_ones_start_a_break(tmp_path):
    rows = [("2022-11-01", "recorded"), ("2022-12-01", "recorded"), ("2022-12-01", None),  # a death: either basis
            ("2023-01-01", None), ("2023-02-01", "adjusted"), ("2023-03-01", "adjusted")]
    assert _breaks(tmp_path, rows) == [
        ("road_casualties", "ksi_casualties", dt.date(2023, 2, 1),
         "Series break from February 2023: KSI counted from the DfT's adjusted severities, after months of severity "
         "as recorded by the police (a STATS19 release without adjusted values)"),
        ASB,
    ]


def test_one_basis_throughout_is_no_break_and_a_mixed_month_counts_as_recorded(tmp_path):
    assert _breaks(tmp_path, [("2023-01-01", "adjusted"), ("2023-02-01", "adjusted")]) == [ASB]
    mixed = [("2023-01-01", "recorded"), ("2023-02-01", "recorded"), ("2023-02-01", "adjusted"), ("2023-03-01", "recorded")]
    assert _breaks(tmp_path / "mixed", mixed) == [ASB]
