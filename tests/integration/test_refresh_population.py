"""Population deliveries supersede the bundled figures, district by district, and rates use them
(tests/fixtures/population/README.md, with the police crime fixture)."""
from __future__ import annotations

import dataclasses
import logging

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, drop, query, workspace


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("population"))
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    drop(settings, "population", "population_mid_year_2023_revised.csv")
    drop(settings, "population", "population_ashford_correction.csv")
    run_refresh(settings, AS_OF)
    return settings


def test_delivered_figures_supersede_the_bundled_ones_per_district_and_year(settings):
    assert query(settings, """
        SELECT lad_code, mid_year, population, origin FROM facts.population
        WHERE (lad_code, mid_year) IN (('E07000105', 2023), ('E07000105', 2024), ('E07000114', 2023), ('E07000110', 2023))
        ORDER BY 1, 2""") == [
        ("E07000105", 2023, 100000, "delivery 4: population_ashford_correction.csv"),
        ("E07000105", 2024, 141500, "delivery 3: population_mid_year_2023_revised.csv"),
        ("E07000110", 2023, 184187, "reference: population_mid_year.csv"),
        ("E07000114", 2023, 141000, "delivery 3: population_mid_year_2023_revised.csv"),
    ]
    assert query(settings, "SELECT count(*) FROM facts.population") == [(27,)]


def test_rates_use_the_combined_population(settings):
    assert query(settings, "SELECT DISTINCT population FROM facts.areas WHERE area_type = 'county'") == [(1572529,)]
    assert query(settings, """
        SELECT population, current_count, current_rate_per_1000, previous_rate_per_1000
        FROM comparisons.crime_rolling_12m WHERE area_name = 'Ashford' AND offence_group = 'All crime'""") == [
        (100000, 16, pytest.approx(0.16), pytest.approx(0.13))]


def test_every_row_lands_or_is_quarantined_with_a_reason(settings):
    assert query(settings, """SELECT file_name, rows_received, rows_loaded, rows_quarantined, balanced FROM dq.deliveries
                              WHERE source = 'population' ORDER BY delivery_id""") == [
        ("population_mid_year_2023_revised.csv", 6, 4, 2, True), ("population_ashford_correction.csv", 1, 1, 0, True)]
    assert query(settings, """SELECT row_number, reject_code, reject_reason FROM dq.quarantined_rows
                              WHERE source = 'population' ORDER BY row_number""") == [
        (5, "bad_population", "population '-5' is not a whole number above 0"),
        (6, "duplicate_row", "exact copy of an earlier row in the same file"),
    ]
    # a denominator has no comparison window
    assert query(settings, "SELECT count(*) FROM facts.source_windows WHERE source = 'population'") == [(0,)]


def test_the_report_says_which_current_rows_are_in_no_rate(settings):
    """Ashford's mid-2024 figure is current (nothing replaced it) but rates use mid-2023: the data-quality
    report says so beside the delivery, where its 'Current (in the figures)' count alone would read as used."""
    html = " ".join((settings.marts_dir / "county" / "data_quality" / "report.html").read_text(encoding="utf-8").split())
    assert html.count("for mid-2024: rates use mid-2023") == 1
    # a delivery's months covered are its estimates' mid-years (their reference date is 30 June)
    assert "<td>mid-2023 – mid-2024</td>" in html and "<td>mid-2023</td>" in html and "June 2023" not in html
    assert ("1 of its current rows is an estimate for mid-2024: rates use mid-2023 (the settings' "
            "<code>population_mid_year</code>), so it is kept and in no rate.") in html


def test_a_mid_year_held_for_some_districts_gives_no_county_rate(tmp_path, caplog):
    """Rates for mid-2024, which only Ashford's delivered figure covers: Ashford's rate uses it, the
    other districts and the county have none (a county of one district would be ~11 times too small),
    and the run says so."""
    settings = dataclasses.replace(workspace(tmp_path), population_mid_year=2024)
    drop(settings, "police_crime", "current_year.csv")
    drop(settings, "population", "population_mid_year_2023_revised.csv")
    with caplog.at_level(logging.WARNING, logger="csp"):
        summary = run_refresh(settings, AS_OF)
    report = summary.published.quality_report.read_text(encoding="utf-8")
    assert report.count("<p>1 delivery; ") == 2   # police crime's and population's, in the singular
    assert query(settings, """SELECT area_name, population, current_rate_per_1000 FROM comparisons.crime_rolling_12m
                              WHERE area_name IN ('Kent', 'Ashford', 'Dover') AND offence_group = 'All crime'
                              ORDER BY area_name""") == [("Ashford", 141500, pytest.approx(16_000 / 141500)), ("Dover", None, None),
                                                         ("Kent", None, None)]
    (warning,) = [r.getMessage() for r in caplog.records if "population" in r.getMessage()]
    assert warning.startswith("no mid-2024 population for Kent, Canterbury, Dartford, Dover, ")
    assert "Ashford" not in warning


def test_a_sample_population_of_another_mid_year_is_not_said_to_make_figures_up(settings):
    """The cover's "Sample data, not real" names the sources whose figures use generated rows: a population
    delivery's estimates of another mid-year than the settings' are in no rate (the demo's made-up mid-2024 beside
    the real mid-2023 its rates use), so a delivery of only those makes no figure up (the cover named it)."""
    from csp.warehouse import connect, run, set_variables

    with connect(settings.warehouse) as con:
        set_variables(con, settings, AS_OF)
        checksum = dict(con.sql("SELECT file_name, checksum FROM dq.deliveries").fetchall())

        def named(files: list[str], mid_year: int) -> list[str]:
            con.execute(f"SET VARIABLE population_mid_year = {mid_year}")
            return [s for (s,) in run(con, "publish/sample_sources", {"sample": [checksum[f] for f in files]})]

        assert named(["population_ashford_correction.csv"], 2023) == ["population"]
        assert named(["population_ashford_correction.csv"], 2024) == []   # its one row is mid-2023's
        assert named(["population_mid_year_2023_revised.csv"], 2024) == ["population"]   # Ashford's mid-2024
        assert named(["population_mid_year_2023_revised.csv", "current_year.csv"], 2022) == ["police_crime"]
