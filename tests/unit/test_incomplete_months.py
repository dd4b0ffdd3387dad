"""facts.source_months and facts.measure_area_monthly: a month after the source's latest complete month
is not counted (its partial count would read as a fall), and rows outside the area's districts give a
month no data."""
from __future__ import annotations

import datetime as dt

import pytest

from csp.marts.readme import period_line
from csp.marts.spec import load_spec
from csp.warehouse import execute, run
from tests.conftest import hand_built, police_crime_only


@pytest.fixture
def monthly(tmp_path):
    """Every district 100 crimes a month, January 2022 - October 2025, but Ashford has none in October
    2025 yet; and a file of another force's area holding only December 2021, all outside the county's
    districts (LSOAs of the City of London). Run on 5 November 2025."""
    with hand_built(tmp_path / "w.duckdb", dt.date(2025, 11, 5)) as con:
        execute(con, """CREATE TABLE facts.measure_monthly AS
            SELECT 'police_crime' AS source, 'all_crime' AS measure_id, d.lad_code, CAST(m AS DATE) AS month,
                   'restricted' AS form, 100.0 AS value
            FROM range(DATE '2022-01-01', DATE '2025-11-01', INTERVAL 1 MONTH) AS r (m), ref.districts AS d
            WHERE NOT (d.lad_code = 'E07000105' AND m = DATE '2025-10-01')""")
        execute(con, """CREATE TABLE staging.police_crime_checked AS
            SELECT DISTINCT source, month, lad_code, true AS is_current, 1 AS _delivery_id FROM facts.measure_monthly
            UNION ALL
            SELECT 'police_crime', DATE '2021-12-01', lad_code, true, 1 FROM (VALUES ('E09000001'), (NULL)) AS t (lad_code)""")
        police_crime_only(con)
        # the same crimes for comparisons.crime_trend (the marts' monthly police table)
        execute(con, "CREATE SCHEMA IF NOT EXISTS comparisons")
        execute(con, """CREATE TABLE facts.crime_monthly AS
            SELECT lad_code, month, 'Burglary' AS offence_group, 100 AS crimes FROM facts.measure_monthly""")
        execute(con, "CREATE TABLE staging.road_casualties (month DATE, severity_basis VARCHAR)")
        for model in ("facts/source_months", "facts/source_windows", "facts/population", "facts/areas",
                      "facts/series_breaks", "facts/measure_area_monthly", "facts/crime_groups_unrecorded",
                      "comparisons/crime_trend"):
            run(con, model)
        yield con


def test_a_month_after_the_latest_complete_one_is_not_counted(monthly):
    assert execute(monthly, "SELECT current_period, complete_until, data_to FROM facts.source_windows") == [
        ("October 2024 – September 2025", dt.date(2025, 9, 1), "September 2025 (October 2025 still arriving)")]
    rows = execute(monthly, """SELECT area_name, month, value, counted, rolling_12m, value_year_earlier, status
                               FROM facts.measure_area_monthly
                               WHERE measure_id = 'all_crime' AND area_name IN ('Kent', 'Ashford', 'Dover')
                                 AND month >= DATE '2025-09-01'
                               ORDER BY area_name, month""")
    incomplete = "incomplete: the data for it is still arriving (the latest complete month is September 2025)"
    assert rows == [
        ("Ashford", dt.date(2025, 9, 1), 100.0, True, 1200.0, 100.0, "available"),
        ("Ashford", dt.date(2025, 10, 1), None, False, None, 100.0, incomplete),
        # Dover's October is in, but the month is not complete until every district's is
        ("Dover", dt.date(2025, 9, 1), 100.0, True, 1200.0, 100.0, "available"),
        ("Dover", dt.date(2025, 10, 1), None, False, None, 100.0, incomplete),
        ("Kent", dt.date(2025, 9, 1), 1200.0, True, 14400.0, 1200.0, "available"),
        ("Kent", dt.date(2025, 10, 1), None, False, None, 1200.0, incomplete),
    ]


def test_rows_outside_the_area_give_a_month_no_data(monthly):
    assert execute(monthly, "SELECT min(month), count(*) FROM facts.source_months") == [(dt.date(2022, 1, 1), 46)]
    assert execute(monthly, "SELECT min(month) FROM facts.measure_area_monthly") == [(dt.date(2022, 1, 1),)]


def test_the_marts_monthly_police_table_ends_at_the_latest_complete_month(monthly):
    assert execute(monthly, """SELECT max(month), count(DISTINCT month) FROM comparisons.crime_trend""") == [
        (dt.date(2025, 9, 1), 45)]   # January 2022 - September 2025: October is still arriving, and
                                     # December 2021's rows are all outside the area
    assert execute(monthly, """SELECT crimes, rolling_12m FROM comparisons.crime_trend
                               WHERE area_type = 'county' AND offence_group = 'All crime' AND month = DATE '2025-09-01'""") == [
        (1200, 14400)]


def test_the_marts_lsoa_table_ends_at_the_latest_complete_month_and_says_so(monthly):
    # Dover's first LSOA: a crime in September 2025 (complete) and one in October (still arriving)
    execute(monthly, """CREATE TABLE staging.police_crime AS
        SELECT lad_code, lsoa_code, CAST(m AS DATE) AS month, 'Burglary' AS offence_group
        FROM (SELECT lad_code, min(lsoa_code) AS lsoa_code FROM ref.lsoa_district WHERE lad_code = 'E07000108' GROUP BY ALL),
             (VALUES ('2025-09-01'), ('2025-10-01')) AS t (m)""")
    run(monthly, "facts/crime_lsoa_monthly")
    assert execute(monthly, "SELECT month, crimes FROM facts.crime_lsoa_monthly") == [(dt.date(2025, 9, 1), 1)]
    windows = monthly.table("facts.source_windows").df().set_index("source")
    table = next(t for t in load_spec() if t.name == "crime_lsoa_monthly")
    assert period_line(table, windows) == "Months: January 2022 – September 2025 (October 2025 still arriving)"


def test_a_month_with_rows_only_outside_the_area_is_a_gap_for_every_district(monthly):
    # June 2023 came only from another force's file; December 2021 (before the area's first month) too
    execute(monthly, "DELETE FROM staging.police_crime_checked WHERE month = DATE '2023-06-01'")
    execute(monthly, "INSERT INTO staging.police_crime_checked VALUES ('police_crime', DATE '2023-06-01', 'E09000001', true, 1)")
    execute(monthly, "CREATE SCHEMA IF NOT EXISTS dq")
    run(monthly, "dq/gaps")
    assert execute(monthly, "SELECT district, first_month, months FROM dq.gaps ORDER BY first_month, district") == [
        ("every district", dt.date(2023, 6, 1), 1),
        ("Ashford", dt.date(2025, 10, 1), 1),
    ]
