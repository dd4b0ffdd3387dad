"""Road casualties (STATS19) on the hand-counted fixture (tests/fixtures/road_casualties/README.md):
collision and casualty files, both DfT namings, adjusted severities, a sparse source's window."""
from __future__ import annotations

import datetime as dt
import logging

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, FIXTURES, drop, query, workspace

FILES = [f"dft-road-casualty-statistics-{kind}-{year}.csv" for year in (2023, 2024) for kind in ("collision", "casualty")]


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("road_casualties"))
    for name in FILES:
        drop(settings, "road_casualties", name)
    run_refresh(settings, AS_OF)
    return settings


def test_both_namings_and_the_bom_land_as_their_forms(settings):
    assert query(settings, """
        SELECT file_name, form, status, rows_received, rows_loaded, rows_quarantined, balanced
        FROM dq.deliveries ORDER BY delivery_id""") == [
        ("dft-road-casualty-statistics-collision-2023.csv", "collision", "loaded", 5, 4, 1, True),
        ("dft-road-casualty-statistics-casualty-2023.csv", "casualty", "loaded", 6, 5, 1, True),
        ("dft-road-casualty-statistics-collision-2024.csv", "collision", "loaded", 5, 5, 0, True),
        ("dft-road-casualty-statistics-casualty-2024.csv", "casualty", "loaded", 12, 9, 3, True),
    ]


def test_casualties_by_district_month_and_severity(settings):
    assert query(settings, """
        SELECT strftime(month, '%Y-%m'), d.lad_name, severity, casualties, ksi, round(ksi_adjusted, 2)
        FROM facts.road_casualties_monthly JOIN ref.districts AS d USING (lad_code)
        ORDER BY month, lad_name, severity""") == [
        ("2023-07", "Maidstone", "Serious", 1, 1, 1.0),
        ("2023-07", "Maidstone", "Slight", 1, 0, 0.0),
        ("2023-08", "Medway", "Serious", 1, 1, 1.0),
        ("2023-12", "Ashford", "Fatal", 1, 1, 1.0),
        ("2024-01", "Maidstone", "Serious", 1, 1, 1.0),
        ("2024-01", "Maidstone", "Slight", 1, 0, 0.2),
        ("2024-06", "Thanet", "Slight", 3, 0, 0.1),
        ("2024-07", "Sevenoaks", "Fatal", 1, 1, 1.0),
        ("2024-07", "Sevenoaks", "Serious", 1, 1, 0.75),
        ("2024-11", "Dover", "Slight", 1, 0, 0.0),
    ]


def test_ksi_as_recorded_and_adjusted(settings):
    assert query(settings, """
        SELECT year(month), count(*), count(*) FILTER (WHERE is_ksi), round(sum(ksi_adjusted), 2),
               round(sum(ksi_adjusted) FILTER (WHERE lad_code IS NOT NULL), 2)
        FROM staging.road_casualties GROUP BY ALL ORDER BY 1""") == [(2023, 5, 3, 3.0, 3.0), (2024, 9, 4, 4.05, 3.05)]
    assert query(settings, """
        SELECT geography, count(*) FROM staging.road_casualties GROUP BY ALL ORDER BY 1""") == [
        ("in area", 12), ("no location", 1), ("outside area", 1)]
    # a casualty carries its collision's date and the DfT codes
    assert query(settings, """
        SELECT collision_date, police_force, casualty_class, casualty_type, age_band_of_casualty, sex_of_casualty
        FROM staging.road_casualties WHERE accident_index = '2023470000004'""") == [
        (dt.date(2023, 9, 10), 47, 2, 9, None, 9)]


def test_quarantined_rows_with_reasons(settings):
    assert query(settings, """
        SELECT file_name, row_number, reject_code, reject_reason FROM dq.quarantined_rows
        ORDER BY file_name, row_number""") == [
        ("dft-road-casualty-statistics-casualty-2023.csv", 6, "no_collision",
         "no valid collision with accident index '2023460000005' is loaded (has the collision file for its year arrived?)"),
        ("dft-road-casualty-statistics-casualty-2024.csv", 10, "no_collision",
         "no valid collision with accident index '2024460000099' is loaded (has the collision file for its year arrived?)"),
        ("dft-road-casualty-statistics-casualty-2024.csv", 11, "bad_severity",
         "casualty severity '7' is not 1 (fatal), 2 (serious) or 3 (slight)"),
        ("dft-road-casualty-statistics-casualty-2024.csv", 12, "duplicate_row", "exact copy of an earlier row in the same file"),
        ("dft-road-casualty-statistics-collision-2023.csv", 5, "bad_date",
         "date '31/06/2023' is missing or not a date (expected DD/MM/YYYY)"),
    ]


def test_window_of_a_sparse_source_ends_at_the_latest_month_with_any_data(settings):
    # any month with data counts (not every district), and the catalogue ends the KSI window in June; a month
    # with data has a casualty in the area's districts (September 2023's only collision is in Wealden, outside)
    assert query(settings, """
        SELECT current_period, previous_period, current_months_covered, previous_months_covered, comparison_status
        FROM facts.source_windows WHERE source = 'road_casualties'""") == [
        ("July 2023 – June 2024", "July 2022 – June 2023", 5, 0,
         "only 5 of the 12 months July 2023 – June 2024 have data")]


def test_a_collision_file_alone_gives_its_months_no_data(tmp_path):
    """2024's collisions without their casualties: 2024 is not a year of no one killed or seriously injured."""
    settings = workspace(tmp_path)
    for name in ("collision-2023", "casualty-2023", "collision-2024"):
        drop(settings, "road_casualties", f"dft-road-casualty-statistics-{name}.csv")
    run_refresh(settings, AS_OF)
    assert query(settings, "SELECT min(month), max(month) FROM facts.source_months WHERE source = 'road_casualties'") == [
        (dt.date(2023, 7, 1), dt.date(2023, 12, 1))]
    assert query(settings, """SELECT count(*) FROM comparisons.measure_monthly
                              WHERE measure_id = 'ksi_casualties' AND month >= DATE '2024-01-01'""") == [(0,)]
    drop(settings, "road_casualties", "dft-road-casualty-statistics-casualty-2024.csv")
    run_refresh(settings, AS_OF)
    assert query(settings, "SELECT max(month) FROM facts.source_months WHERE source = 'road_casualties'") == [
        (dt.date(2024, 11, 1),)]


def test_casualties_wait_for_their_collision_file(tmp_path):
    settings = workspace(tmp_path)
    drop(settings, "road_casualties", "dft-road-casualty-statistics-casualty-2024.csv")
    run_refresh(settings, AS_OF)
    assert query(settings, "SELECT count(*) FROM staging.road_casualties") == [(0,)]
    assert query(settings, "SELECT reject_code, count(*) FROM dq.quarantined_rows GROUP BY ALL") == [("no_collision", 12)]
    drop(settings, "road_casualties", "dft-road-casualty-statistics-collision-2024.csv")
    run_refresh(settings, AS_OF)
    assert query(settings, "SELECT count(*) FROM staging.road_casualties") == [(9,)]


def test_the_full_year_release_replaces_each_file_of_the_provisional_half_year(tmp_path, caplog):
    """STATS19's provisional January - June comes first, the whole year later under the same names: the log
    says each file replaces the same kind of file's months (it said the collision file replaced the casualty
    file, the later delivery of those months, and gave that file's rows)."""
    settings = workspace(tmp_path)
    full = {kind: (FIXTURES / "road_casualties" / f"dft-road-casualty-statistics-{kind}-2024.csv").read_text()
            for kind in ("collision", "casualty")}
    for kind, text in full.items():
        lines = text.splitlines(keepends=True)
        half_year = [line for line in lines[1:] if line.startswith(("2024460000001,", "2024460000002,"))]
        dest = settings.raw_dir / "road_casualties" / f"dft-road-casualty-statistics-{kind}-2024.csv"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(lines[0] + "".join(half_year[:5]))
    run_refresh(settings, AS_OF)
    for kind, text in full.items():
        (settings.raw_dir / "road_casualties" / f"dft-road-casualty-statistics-{kind}-2024.csv").write_text(text)
    with caplog.at_level(logging.INFO, logger="csp"):
        run_refresh(settings, AS_OF)
    assert [r.getMessage() for r in caplog.records if " replaces " in r.getMessage()] == [
        "road_casualties: dft-road-casualty-statistics-casualty-2024.csv replaces January 2024, June 2024 of "
        "dft-road-casualty-statistics-casualty-2024.csv (5 rows) with 5 rows (a corrected file)",
        "road_casualties: dft-road-casualty-statistics-collision-2024.csv replaces January 2024, June 2024 of "
        "dft-road-casualty-statistics-collision-2024.csv (2 rows) with 2 rows (a corrected file)"]


def test_the_2023_release_without_adjusted_severities_is_a_series_break_the_trend_starts_after(settings):
    # the 2024 release's Dover casualty without an adjusted value (-1) does not make its month recorded
    assert query(settings, """SELECT measure_id, from_month FROM facts.series_breaks WHERE source = 'road_casualties'""") == [
        ("ksi_casualties", dt.date(2024, 1, 1))]


def test_the_trend_runs_to_the_latest_complete_month_past_the_june_window(settings):
    assert query(settings, """SELECT DISTINCT current_period, complete_until, data_to FROM facts.source_windows
                              WHERE source = 'road_casualties'""") == [
        ("July 2023 – June 2024", dt.date(2024, 11, 1), "November 2024")]
    assert query(settings, """SELECT DISTINCT trend_period FROM comparisons.measure_trend
                              WHERE measure_id = 'ksi_casualties'""") == [("January 2024 – November 2024",)]
