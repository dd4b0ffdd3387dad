"""comparisons.measure_trend: a measure with no month that has a value (every month in a form it cannot be
counted from: sexual offences from data.police.uk's files alone) has no direction and a status saying why, as
a source with no data has. It was "too short to say" over 0 months, "available", and the pack read "There are
0 months of data for Kent (nan), too few (under 36) to describe a longer-term trend"."""
from __future__ import annotations

import datetime as dt

from csp.warehouse import execute, run
from tests.conftest import hand_built

PUBLIC_FORM = ("not available: the public data.police.uk form records violence against the person and sexual "
               "offences together as 'Violence and sexual offences'")


def test_no_month_with_a_value_is_not_available_not_too_short(tmp_path):
    with hand_built(tmp_path / "w.duckdb", dt.date(2026, 1, 20)) as con:
        execute(con, "CREATE SCHEMA IF NOT EXISTS stats")
        execute(con, "CREATE SCHEMA IF NOT EXISTS comparisons")
        # what transforms/measure_stats.trend_statistics writes: 12 months of all crime, none of sexual offences
        execute(con, """CREATE TABLE stats.measure_trend AS SELECT * FROM (VALUES
            ('all_crime', 'county', TIMESTAMP '2025-01-01', TIMESTAMP '2025-12-01', 12, false, 'too short to say',
             CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE)),
            ('sexual_offences', 'county', NULL, NULL, 0, false, 'too short to say', NULL, NULL))
            AS t (measure_id, area_code, first_month, last_month, months_used, starts_at_break, direction, p_value,
                  slope_per_year)""")
        execute(con, """CREATE TABLE facts.measure_periods AS SELECT * FROM (VALUES
            ('all_crime', 'rolling 12 months', 'county', 'county', 'Kent',
             'comparison not available: the previous period (January 2024 – December 2024) has no data'),
            ('sexual_offences', 'rolling 12 months', 'county', 'county', 'Kent', $public))
            AS t (measure_id, comparison_type, area_type, area_code, area_name, status)""", {"public": PUBLIC_FORM})
        run(con, "comparisons/measure_trend")
        assert execute(con, """SELECT measure_id, trend_period, months_used, direction, status
                               FROM comparisons.measure_trend ORDER BY measure_id""") == [
            ("all_crime", "January 2025 – December 2025", 12, "too short to say", "available"),
            ("sexual_offences", None, 0, None, PUBLIC_FORM),
        ]
