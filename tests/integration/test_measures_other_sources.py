"""The measures of the other sources, on their hand-counted fixtures (tests/fixtures/<source>/README.md),
and a quarterly source compared over two years (youth offending returns generated here)."""
from __future__ import annotations

import csv
import datetime as dt
from math import comb

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, FIXTURES, drop, query, workspace

FILES = {
    "asb": ["asb_incidents_2025-01.csv", "asb_incidents_2025-02.csv"],
    "road_casualties": ["dft-road-casualty-statistics-collision-2023.csv", "dft-road-casualty-statistics-casualty-2023.csv",
                        "dft-road-casualty-statistics-collision-2024.csv", "dft-road-casualty-statistics-casualty-2024.csv"],
    "hospital_admissions": ["hes_injury_admissions_2025-03.csv", "hes_admissions_by_district_2025-04.csv"],
    "fire_incidents": ["kfrs_incidents_2025-07.csv"],
    "youth_offending": ["yjs_return_2024-25_Q1.csv", "yjs_return_2024-25_Q2.csv", "yjs_return_2024-25_Q1_revised.csv"],
}


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("sources"))
    for source, files in FILES.items():
        for f in files:   # in this order: the revised Q1 return replaces the first
            drop(settings, source, f)
    run_refresh(settings, AS_OF)
    return settings


def monthly(settings, measure, area="Kent"):
    return query(settings, """SELECT period, value FROM comparisons.measure_monthly
                              WHERE measure_id = $m AND area_name = $a AND value > 0 ORDER BY month""",
                 {"m": measure, "a": area})


def test_asb_incidents(sources):
    assert monthly(sources, "asb_incidents") == [("January 2025", 14), ("February 2025", 2)]
    assert monthly(sources, "asb_incidents", "Ashford") == [("January 2025", 10), ("February 2025", 1)]
    assert monthly(sources, "asb_incidents", "Medway") == [("January 2025", 1)]   # never in Kent


def test_ksi_is_a_sum_of_adjusted_severities(sources):
    kent = [(period, round(value, 2)) for period, value in monthly(sources, "ksi_casualties")]
    assert kent == [("July 2023", 1.0), ("December 2023", 1.0), ("January 2024", 1.2), ("June 2024", 0.1),
                    ("July 2024", 1.75)]
    # the window ends in June, and a sparse fixture does not fill it: July, August and December 2023, January
    # and June 2024 have data; September 2023's one collision is in Wealden, outside the area, and gives it none
    assert query(sources, """SELECT DISTINCT comparison, status FROM comparisons.measure_change
                             WHERE measure_id = 'ksi_casualties' AND comparison_type = 'rolling 12 months'""") == [
        ("July 2023 – June 2024 compared with July 2022 – June 2023",
         "not available: only 5 of the 12 months July 2023 – June 2024 have data")]
    assert query(sources, """SELECT current_months_covered FROM facts.source_windows
                             WHERE source = 'road_casualties'""") == [(5,)]


def test_assault_admissions_and_fires(sources):
    assert monthly(sources, "hospital_admissions_assault") == [("March 2025", 4), ("April 2025", 3)]
    assert monthly(sources, "hospital_admissions_assault", "Thanet") == [("March 2025", 2), ("April 2025", 1)]
    assert monthly(sources, "deliberate_secondary_fires", "Thanet") == [("July 2025", 3)]
    assert monthly(sources, "accidental_dwelling_fires") == [("July 2025", 1)]   # Ashford; F09 has no location
    assert monthly(sources, "accidental_dwelling_fires", "Ashford") == [("July 2025", 1)]


def test_first_time_entrants_by_quarter(sources):
    assert monthly(sources, "first_time_entrants") == [("April – June 2024", 27), ("July – September 2024", 3)]
    assert monthly(sources, "first_time_entrants", "Ashford") == [("April – June 2024", 5)]   # the revised return
    assert query(sources, """SELECT period, value, status FROM comparisons.measure_monthly
                             WHERE measure_id = 'first_time_entrants' AND area_name = 'Kent'
                               AND month = '2024-05-01'""") == [("May 2024", None, "counted in April – June 2024")]


def youth_return(path, quarter: str, per_row: int) -> None:
    """A complete return: every Kent district, both age bands, `per_row` first-time entrants each."""
    districts = [r["lad_name"] for r in csv.DictReader((FIXTURES.parents[1] / "data" / "reference" / "districts.csv").open())
                 if r["in_county"] == "true"]
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Local Authority", "Quarter", "Age Band", "First Time Entrants", "Proven Offences"])
        for district in districts:
            for band in ("10-14", "15-17"):
                out.writerow([district, quarter, band, per_row, 2 * per_row])


@pytest.fixture(scope="module")
def two_years_of_quarters(tmp_path_factory):
    """2023/24: every row 1 first-time entrant (24 a quarter); 2024/25: every row 2 (48 a quarter)."""
    base = tmp_path_factory.mktemp("youth")
    settings = workspace(base)
    for year, per_row in (("2023/24", 1), ("2024/25", 2)):
        for q in range(1, 5):
            path = base / f"yjs_{year.replace('/', '-')}_Q{q}.csv"
            youth_return(path, f"{year} Q{q}", per_row)
            drop(settings, "youth_offending", path)
    run_refresh(settings, AS_OF)
    return settings


def test_a_quarterly_source_compares_four_quarters_with_four(two_years_of_quarters):
    rows = query(two_years_of_quarters, """
        SELECT comparison_type, comparison, current_value, previous_value, round(p_value, 12), verdict
        FROM comparisons.measure_change WHERE measure_id = 'first_time_entrants' AND area_name = 'Kent'
        ORDER BY comparison_order""")
    n = 96 + 192
    p = round(2 * sum(comb(n, i) for i in range(97)) / 2 ** n, 12)
    period = "April 2024 – March 2025 compared with April 2023 – March 2024"
    assert rows == [("rolling 12 months", period, 192, 96, p, "significant increase"),
                    ("financial year to date", period, 192, 96, p, "significant increase")]
    assert query(two_years_of_quarters, """
        SELECT period, value, value_year_earlier, comparison, rolling_12m FROM comparisons.measure_monthly
        WHERE measure_id = 'first_time_entrants' AND area_name = 'Kent' AND month >= '2025-01-01'""") == [
        ("January – March 2025", 48, 24, "January – March 2025 compared with January – March 2024", None),
        # a quarter's other months: no comparison of their own (they were labelled "February 2025 compared
        # with February 2024"), the rolling total at the quarter's end
        ("February 2025", None, None, None, None),
        ("March 2025", None, None, None, 192)]
    assert query(two_years_of_quarters, """
        SELECT month, rolling_12m_period FROM comparisons.measure_monthly
        WHERE measure_id = 'first_time_entrants' AND area_name = 'Kent' AND month >= '2025-01-01'""") == [
        (dt.date(2025, 1, 1), None), (dt.date(2025, 2, 1), None), (dt.date(2025, 3, 1), "April 2024 – March 2025")]
    assert query(two_years_of_quarters, """SELECT months_used, direction FROM comparisons.measure_trend
                                          WHERE measure_id = 'first_time_entrants' AND area_name = 'Kent'""") == [
        (24, "too short to say")]
