"""facts.measure_area_monthly and facts.measure_periods on hand-built facts. An area that a source whose
returns list every area they cover (delivery_rules.lists_every_area) has never listed is not covered by it
(Kent's youth justice service's returns and Medway, which has its own): its values are missing and say
why, never 0; a row-level source's area with no rows has none to count (0). A period of one month is
named as that month."""
from __future__ import annotations

import datetime as dt

import pytest

from csp.warehouse import execute, run
from tests.conftest import hand_built, police_crime_only

ASHFORD = "E07000105"
NOT_COVERED = "not available: no police recorded crime data covers Medway"


def county_only(tmp_path, last_month: str, as_of: dt.date, lists_every_area: bool = True,
                first_month: str = "2023-01-01", break_from: str | None = None):
    """A source with rows for the county's 12 districts, none for Medway, `first_month` (January 2023) to
    `last_month`: 10 a month in each district but Ashford, which has 3; its returns listing every area they
    cover, or not; a series break in the register from `break_from`, if given."""
    con = hand_built(tmp_path / "w.duckdb", as_of)
    execute(con, """CREATE TABLE facts.measure_monthly AS
        SELECT 'police_crime' AS source, 'all_crime' AS measure_id, d.lad_code, CAST(m AS DATE) AS month,
               'restricted' AS form, CASE WHEN d.lad_code = $ashford THEN 3.0 ELSE 10.0 END AS value
        FROM range(CAST($first AS DATE), CAST($last AS DATE) + INTERVAL 1 MONTH, INTERVAL 1 MONTH) AS r (m),
             ref.districts AS d
        WHERE d.in_county""", {"ashford": ASHFORD, "first": first_month, "last": last_month})
    if break_from:
        execute(con, """INSERT INTO ref.series_breaks (source, measure_id, from_month, description)
                        VALUES ('police_crime', NULL, CAST($month AS DATE), 'recorded anew')""", {"month": break_from})
    execute(con, """CREATE TABLE staging.police_crime_checked AS
        SELECT DISTINCT source, month, lad_code, true AS is_current, 1 AS _delivery_id FROM facts.measure_monthly""")
    police_crime_only(con)
    execute(con, "SET VARIABLE lists_every_area = map(['police_crime'], [$lists])", {"lists": lists_every_area})
    execute(con, "CREATE TABLE staging.road_casualties (month DATE, severity_basis VARCHAR)")
    for model in ("facts/source_months", "facts/source_windows", "facts/population", "facts/areas",
                  "facts/series_breaks", "facts/measure_area_monthly", "facts/measure_periods"):
        run(con, model)
    return con


@pytest.fixture
def to_october(tmp_path):
    with county_only(tmp_path, "2025-10-01", dt.date(2025, 11, 20)) as con:
        yield con


def test_an_area_the_source_never_covers_has_no_value(to_october):
    rows = execute(to_october, """SELECT area_name, value, counted, status FROM facts.measure_area_monthly
                                   WHERE measure_id = 'all_crime' AND area_name IN ('Kent', 'Ashford', 'Medway')
                                     AND month IN (DATE '2025-09-01', DATE '2025-10-01')
                                   ORDER BY area_name, month""")
    assert rows == [
        ("Ashford", 3.0, True, "available"),
        ("Ashford", 3.0, True, "available"),
        ("Kent", 113.0, True, "available"),   # 11 districts of 10 and Ashford's 3
        ("Kent", 113.0, True, "available"),
        ("Medway", None, False, NOT_COVERED),
        ("Medway", None, False, NOT_COVERED),
    ]


def test_its_periods_say_why_without_counting_months(to_october):
    rows = execute(to_october, """SELECT area_name, comparison_type, current_value, previous_value, status
                                   FROM facts.measure_periods
                                   WHERE measure_id = 'all_crime' AND area_name IN ('Ashford', 'Medway')
                                   ORDER BY area_name, comparison_order""")
    assert rows == [
        ("Ashford", "rolling 12 months", 36.0, 36.0, "available"),   # 12 months of 3
        ("Ashford", "financial year to date", 21.0, 21.0, "available"),   # April - October: 7 months of 3
        ("Medway", "rolling 12 months", None, None, NOT_COVERED),
        ("Medway", "financial year to date", None, None, NOT_COVERED),
    ]


def test_a_financial_year_to_date_of_one_month_is_named_as_the_month(tmp_path):
    with county_only(tmp_path, "2025-04-01", dt.date(2025, 5, 20)) as con:
        assert execute(con, """SELECT comparison_type, current_period, previous_period, current_value, previous_value
                               FROM facts.measure_periods WHERE measure_id = 'all_crime' AND area_name = 'Ashford'
                               ORDER BY comparison_order""") == [
            ("rolling 12 months", "May 2024 – April 2025", "May 2023 – April 2024", 36.0, 36.0),
            ("financial year to date", "April 2025", "April 2024", 3.0, 3.0)]   # not "April 2025 – April 2025"


def test_a_row_level_source_covers_every_area_an_area_without_rows_has_none(tmp_path):
    with county_only(tmp_path, "2025-10-01", dt.date(2025, 11, 20), lists_every_area=False) as con:
        assert execute(con, """SELECT DISTINCT value, status FROM facts.measure_area_monthly
                               WHERE measure_id = 'all_crime' AND area_name = 'Medway'""") == [(0.0, "available")]


@pytest.mark.parametrize("first_month, break_from, rolling, fytd, monthly", [
    # two years of data: the periods are compared across the break; so is each month a year after one before it
    ("2023-01-01", "2024-04-01", "Series break from April 2024: recorded anew", None,
     ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01",
      "2025-02", "2025-03"]),
    # 12 months alone: no previous period, and a break before the latest 12 months says nothing
    ("2024-11-01", "2024-04-01", None, None, []),
    # nor does one inside them to a month with no month a year earlier, or to a financial year to date starting
    # after it; but it splits the latest 12 months' total
    ("2024-11-01", "2025-03-01", "Series break from March 2025: recorded anew", None, []),
])
def test_a_series_break_is_named_where_it_stands_between_figures(tmp_path, first_month, break_from, rolling, fytd,
                                                                   monthly):
    with county_only(tmp_path, "2025-10-01", dt.date(2025, 11, 20), first_month=first_month,
                     break_from=break_from) as con:
        assert execute(con, """SELECT comparison_type, series_break FROM facts.measure_periods
                               WHERE measure_id = 'all_crime' AND area_name = 'Ashford' ORDER BY comparison_order""") == [
            ("rolling 12 months", rolling), ("financial year to date", fytd)]
        assert [m for (m,) in execute(con, """SELECT strftime(month, '%Y-%m') FROM facts.measure_area_monthly
                                              WHERE measure_id = 'all_crime' AND area_name = 'Ashford'
                                                AND series_break IS NOT NULL ORDER BY month""")] == monthly
