"""comparisons.measure_trend on hand-built statistics: a measure with no month that has a value has no
direction and says why; a trend whose months came in more than one layout says so."""
from __future__ import annotations

import datetime as dt

from csp.warehouse import execute, run
from tests.conftest import hand_built

PUBLIC_FORM = ("not available: the public data.police.uk form records violence against the person and sexual "
               "offences together as 'Violence and sexual offences'")


def measure_trend(tmp_path, trends: str, periods: str, monthly: str = "", months: str = "",
                  params: dict | None = None) -> list[tuple]:
    """comparisons.measure_trend from what transforms/measure_stats.trend_statistics writes (`trends`: rows of
    stats.measure_trend), the rolling 12 months' status of each measure (`periods`), the values by month
    (`monthly`: measure_id, source, area_code, month, value) and the forms of each month (`months`: source,
    month, form_keys); as of 20 January 2026. `params`: the $names the statements use."""

    def fill(con, statement: str) -> None:
        execute(con, statement, {k: v for k, v in (params or {}).items() if f"${k}" in statement})

    with hand_built(tmp_path / "w.duckdb", dt.date(2026, 1, 20)) as con:
        execute(con, "CREATE SCHEMA IF NOT EXISTS stats")
        execute(con, "CREATE SCHEMA IF NOT EXISTS comparisons")
        fill(con, f"""CREATE TABLE stats.measure_trend AS SELECT * FROM (VALUES {trends})
            AS t (measure_id, area_code, first_month, last_month, months_used, starts_at_break, direction, p_value,
                  slope_per_year)""")
        fill(con, f"""CREATE TABLE facts.measure_periods AS SELECT * FROM (VALUES {periods})
            AS t (measure_id, comparison_type, area_type, area_code, area_name, status)""")
        execute(con, "CREATE TABLE facts.measure_area_monthly (measure_id VARCHAR, source VARCHAR, area_code VARCHAR, "
                     "month DATE, value DOUBLE)")
        execute(con, "CREATE TABLE facts.source_months (source VARCHAR, month DATE, form_keys VARCHAR[])")
        if monthly:
            fill(con, f"INSERT INTO facts.measure_area_monthly {monthly}")
        if months:
            fill(con, f"INSERT INTO facts.source_months {months}")
        run(con, "comparisons/measure_trend")
        return execute(con, """SELECT measure_id, trend_period, months_used, direction, status, trend_layouts
                               FROM comparisons.measure_trend ORDER BY measure_id""")


def test_no_month_with_a_value_is_not_available_not_too_short(tmp_path):
    # 12 months of all crime, none of sexual offences (data.police.uk's files alone). It was "too short to say"
    # over 0 months, "available", and the pack read "There are 0 months of data for Kent (nan), too few ..."
    assert measure_trend(
        tmp_path,
        """('all_crime', 'county', TIMESTAMP '2025-01-01', TIMESTAMP '2025-12-01', 12, false, 'too short to say',
            CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE)),
           ('sexual_offences', 'county', NULL, NULL, 0, false, 'too short to say', NULL, NULL)""",
        """('all_crime', 'rolling 12 months', 'county', 'county', 'Kent',
            'comparison not available: the previous period (January 2024 – December 2024) has no data'),
           ('sexual_offences', 'rolling 12 months', 'county', 'county', 'Kent', $public)""",
        params={"public": PUBLIC_FORM}) == [
        ("all_crime", "January 2025 – December 2025", 12, "too short to say", "available", None),
        ("sexual_offences", None, 0, None, PUBLIC_FORM, None),
    ]


def test_a_trend_over_months_of_two_layouts_says_so(tmp_path):
    """January 2023 – December 2025: the force's extract to September 2025, data.police.uk's files after. All
    crime has a value every month; sexual offences none in the public files' months (their form cannot count
    it), so its trend ends in September 2025, on the extract alone; domestic abuse none in June 2025 alone (a
    public file in the middle), the rest from the extract."""
    public_months = ["2025-06", "2025-10", "2025-11", "2025-12"]
    rows = measure_trend(
        tmp_path,
        """('all_crime', 'county', TIMESTAMP '2023-01-01', TIMESTAMP '2025-12-01', 36, false, 'rising', 0.01, 5.0),
           ('domestic_abuse', 'county', TIMESTAMP '2023-01-01', TIMESTAMP '2025-09-01', 32, false, 'no clear trend',
            0.5, 0.0),
           ('sexual_offences', 'county', TIMESTAMP '2023-01-01', TIMESTAMP '2025-09-01', 32, false, 'falling', 0.01,
            -1.0)""",
        """('all_crime', 'rolling 12 months', 'county', 'county', 'Kent', 'available'),
           ('domestic_abuse', 'rolling 12 months', 'county', 'county', 'Kent', 'available'),
           ('sexual_offences', 'rolling 12 months', 'county', 'county', 'Kent', 'available')""",
        monthly="""SELECT m.measure_id, 'police_crime', 'county', CAST(r.month AS DATE),
                          CASE WHEN m.measure_id <> 'all_crime' AND strftime(r.month, '%Y-%m') IN (SELECT unnest($public))
                               THEN NULL ELSE 10.0 END
                   FROM range(DATE '2023-01-01', DATE '2026-01-01', INTERVAL 1 MONTH) AS r (month),
                        (VALUES ('all_crime'), ('domestic_abuse'), ('sexual_offences')) AS m (measure_id)""",
        months="""SELECT 'police_crime', CAST(r.month AS DATE),
                         CASE WHEN strftime(r.month, '%Y-%m') IN (SELECT unnest($public)) THEN ['police_crime/police_uk']
                              ELSE ['police_crime/restricted'] END
                  FROM range(DATE '2023-01-01', DATE '2026-01-01', INTERVAL 1 MONTH) AS r (month)""",
        params={"public": public_months})
    assert [(measure, layouts) for measure, *_, layouts in rows] == [
        ("all_crime", "two layouts of the data — the force's restricted extract and data.police.uk's public files; "
                      "where the two differ in level, part of the trend may be the layout's, not a real change"),
        ("domestic_abuse", None),
        ("sexual_offences", None),
    ]
