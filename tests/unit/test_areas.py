"""facts.areas: the county's population is the sum of its districts', only when every district has one."""
from __future__ import annotations

import datetime as dt

from csp.config import load_settings
from csp.warehouse import connect, execute, run, set_variables
from transforms.build import build_reference


def county_and_ashford(tmp_path, mid_year: int, districts_with_figures: int) -> list[tuple]:
    """facts.areas' populations when the mid-year's figures cover the first `districts_with_figures`
    county districts (by code), each 100,000, and Medway 1,000."""
    settings = load_settings().with_paths(warehouse=tmp_path / "w.duckdb")
    with connect(settings.warehouse) as con:
        set_variables(con, settings, dt.date(2026, 1, 20))
        build_reference(con)
        execute(con, "CREATE SCHEMA IF NOT EXISTS facts")
        execute(con, """CREATE TABLE facts.population AS
            SELECT lad_code, $mid_year AS mid_year, CASE WHEN in_county THEN 100000 ELSE 1000 END AS population
            FROM (SELECT *, row_number() OVER (PARTITION BY in_county ORDER BY lad_code) AS n FROM ref.districts)
            WHERE NOT in_county OR n <= $districts""", {"mid_year": mid_year, "districts": districts_with_figures})
        execute(con, "SET VARIABLE population_mid_year = $mid_year", {"mid_year": mid_year})
        run(con, "facts/areas")
        return execute(con, """SELECT DISTINCT area_type, area_name, population FROM facts.areas
                               WHERE area_type = 'county' OR area_name IN ('Ashford', 'Tunbridge Wells', 'Medway')
                               ORDER BY area_type, area_name""")


def test_the_county_population_is_the_sum_of_all_twelve_districts(tmp_path):
    assert county_and_ashford(tmp_path, 2024, 12) == [
        ("county", "Kent", 1_200_000), ("district", "Ashford", 100000), ("district", "Tunbridge Wells", 100000),
        ("neighbour", "Medway", 1000)]   # Medway is never part of the county


def test_no_county_population_when_a_district_has_none(tmp_path):
    # a delivery of mid-2024 for 11 districts: the county's would be 1,100,000, every county rate 9% too high
    assert county_and_ashford(tmp_path, 2024, 11) == [
        ("county", "Kent", None), ("district", "Ashford", 100000), ("district", "Tunbridge Wells", None),
        ("neighbour", "Medway", 1000)]
