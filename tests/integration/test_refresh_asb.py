"""ASB on the hand-counted fixture (tests/fixtures/asb/README.md): the restricted extract and the
data.police.uk ASB rows that arrive inside the police street files, landed once."""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil

import duckdb
import pytest

from csp.pipeline import run_refresh
from csp.warehouse import records
from tests.conftest import AS_OF, FIXTURES, drop, query, workspace


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("asb"))
    for name in ("asb_incidents_2025-01.csv", "asb_incidents_2025-02.csv"):
        drop(settings, "asb", name)
    for name in ("2025-02-kent-street.csv", "2025-03-kent-street.csv"):
        drop(settings, "police_crime", FIXTURES / "asb" / name)
    run_refresh(settings, AS_OF)
    return settings


def test_incidents_by_month_district_form_and_category(settings):
    assert query(settings, """
        SELECT strftime(month, '%Y-%m'), d.lad_name, form, asb_category, incidents
        FROM facts.asb_monthly JOIN ref.districts AS d USING (lad_code)
        ORDER BY month, lad_name, asb_category NULLS FIRST""") == [
        ("2025-01", "Ashford", "restricted", "Nuisance", 8),
        ("2025-01", "Ashford", "restricted", "Personal", 2),
        ("2025-01", "Dover", "restricted", "Nuisance", 1),
        ("2025-01", "Medway", "restricted", "Personal", 1),
        ("2025-01", "Thanet", "restricted", None, 1),
        ("2025-01", "Thanet", "restricted", "Environmental", 1),
        ("2025-01", "Thanet", "restricted", "Nuisance", 1),
        ("2025-02", "Ashford", "restricted", "Personal", 1),
        ("2025-02", "Thanet", "restricted", "Nuisance", 1),
        ("2025-03", "Ashford", "police_uk", None, 2),
        ("2025-03", "Dover", "police_uk", None, 1),
        ("2025-03", "Thanet", "police_uk", None, 1),
    ]


def test_staging_interface(settings):
    assert query(settings, "SELECT count(*) FROM staging.asb") == [(23,)]
    assert query(settings, """
        SELECT asb_reference, incident_date, geography, lad_code FROM staging.asb
        WHERE asb_reference IN ('A13', 'A14', 'A15') ORDER BY 1""") == [
        ("A13", dt.date(2025, 1, 13), "in area", "E07000114"),
        ("A14", dt.date(2025, 1, 14), "no location", None),
        ("A15", dt.date(2025, 1, 15), "outside area", None),
    ]
    # data.police.uk gives the month only, and no category
    assert query(settings, """SELECT count(*), count(incident_date), count(asb_category) FROM staging.asb
                              WHERE form = 'police_uk'""") == [(4, 0, 0)]


# valid ASB rows by form and month: current, all
BY_FORM_AND_MONTH = """
    SELECT form, strftime(month, '%Y-%m'), count(*) FILTER (WHERE is_current), count(*)
    FROM staging.asb_checked WHERE reject_code IS NULL GROUP BY ALL ORDER BY 1, 2"""
REFRESHED = [("police_uk", "2025-02", 0, 3), ("police_uk", "2025-03", 4, 4),
             ("restricted", "2025-01", 17, 17), ("restricted", "2025-02", 2, 2)]


def test_restricted_extract_holds_its_months_over_police_uk_rows(settings):
    # February's three data.police.uk ASB rows are the same incidents as the restricted extract's
    assert query(settings, BY_FORM_AND_MONTH) == REFRESHED


def test_staging_asb_checked_is_a_view_over_the_two_checked_tables(settings):
    """Only the restricted rows are a table of their own (built incrementally); the data.police.uk ASB
    rows are read from staging.police_crime_checked, not copied."""
    assert query(settings, """SELECT table_name FROM duckdb_tables() WHERE schema_name = 'staging'
                              AND table_name LIKE 'asb%' ORDER BY ALL""") == [("asb_restricted_checked",)]
    assert query(settings, """SELECT view_name FROM duckdb_views() WHERE schema_name = 'staging'
                              AND view_name LIKE 'asb%' ORDER BY ALL""") == [("asb",), ("asb_checked",)]
    assert query(settings, """SELECT form, count(*) FROM staging.asb_restricted_checked GROUP BY ALL""") == [
        ("restricted", 24)]


@pytest.mark.parametrize("build", ["in full", "incrementally"])
def test_a_warehouse_holding_staging_asb_checked_as_a_table_gets_the_view(settings, tmp_path, build, caplog):
    """Warehouses built before the restricted ASB rows had their own table hold staging.asb_checked as a
    table of both forms' rows, and no staging.asb_restricted_checked. The next build makes both: in full
    (as after an upgrade, whose new code changes the rules), or incrementally, with a new delivery."""
    shutil.copytree(settings.warehouse.parents[1], tmp_path / "copy", symlinks=True)
    old = workspace(tmp_path / "copy")
    with duckdb.connect(str(old.warehouse)) as con:
        con.execute("CREATE TEMP TABLE old_rows AS SELECT * FROM staging.asb_checked")
        con.execute("DROP VIEW staging.asb_checked")
        con.execute("DROP TABLE staging.asb_restricted_checked")
        con.execute("CREATE TABLE staging.asb_checked AS SELECT * FROM old_rows")
        if build == "in full":
            con.execute("DELETE FROM meta.builds")
    if build == "incrementally":   # a restricted extract for March: it holds the month over the street file's rows
        march = tmp_path / "asb_incidents_2025-03.csv"
        march.write_text("Incident Ref,Incident Date,ASB Category,LSOA Code\nM01,03/03/2025,Nuisance,E01023987\n")
        drop(old, "asb", march)
    with caplog.at_level(logging.INFO, logger="csp"):
        run_refresh(old, AS_OF)
    assert f"building the derived tables {'in full' if build == 'in full' else 'from what changed'}" in caplog.text
    assert query(old, """SELECT table_name FROM duckdb_tables() WHERE schema_name = 'staging'
                         AND table_name LIKE 'asb%' ORDER BY ALL""") == [("asb_restricted_checked",)]
    assert query(old, "SELECT count(*) FROM duckdb_views() WHERE view_name = 'asb_checked'") == [(1,)]
    assert query(old, BY_FORM_AND_MONTH) == (REFRESHED if build == "in full" else [
        ("police_uk", "2025-02", 0, 3), ("police_uk", "2025-03", 0, 4),
        ("restricted", "2025-01", 17, 17), ("restricted", "2025-02", 2, 2), ("restricted", "2025-03", 1, 1)])


def test_asb_rows_of_street_files_are_landed_once_and_every_delivery_balances(settings):
    assert query(settings, """
        SELECT source, file_name, rows_received, rows_loaded, rows_quarantined, balanced
        FROM dq.deliveries ORDER BY source, file_name""") == [
        ("asb", "asb_incidents_2025-01.csv", 22, 17, 5, True),
        ("asb", "asb_incidents_2025-02.csv", 2, 2, 0, True),
        ("police_crime", "2025-02-kent-street.csv", 4, 4, 0, True),
        ("police_crime", "2025-03-kent-street.csv", 10, 9, 1, True),
    ]
    assert query(settings, "SELECT count(*) FROM raw.asb") == [(24,)]
    assert query(settings, "SELECT count(*) FROM staging.police_crime") == [(6,)]


def test_the_quality_report_says_which_street_file_rows_are_asb(settings):
    """February's 3 ASB rows are in a month the restricted extract holds; March's 4 (one more quarantined) are not."""
    html = " ".join((settings.marts_dir / "county" / "data_quality" / "report.html").read_text(encoding="utf-8").split())
    asb = ("of its loaded rows are anti-social behaviour (data.police.uk's crime type &ldquo;Anti-social "
           "behaviour&rdquo;), also counted as ASB incidents")
    assert f"<li>3 {asb}, but for 3 in months a restricted ASB delivery holds (its rows are counted instead).</li>" in html
    assert f"<li>4 {asb}.</li>" in html
    # and the ASB section, where there were no ASB deliveries but for these, counts March's 4 as its own
    assert ("<p>4 anti-social behaviour incidents are counted from the &ldquo;Anti-social behaviour&rdquo; rows of "
            "data.police.uk street files delivered as police recorded crime, in the months no ASB delivery holds (each file "
            "says how many, under police recorded crime).</p>") in html


def test_the_annex_deliveries_give_the_months_street_file_rows_count_as_asb(settings):
    """February's street file's ASB rows are in a month the restricted extract holds, so not counted; March's are."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rows = records(con, "publish/deliveries")
    assert [(r["file_name"], r["asb_first_month"], r["asb_last_month"]) for r in rows if r["source"] == "police_crime"] == [
        ("2025-02-kent-street.csv", None, None),
        ("2025-03-kent-street.csv", dt.date(2025, 3, 1), dt.date(2025, 3, 1))]


def test_quarantined_rows_with_reasons(settings):
    assert query(settings, """
        SELECT source, file_name, row_number, reject_code, reject_reason FROM dq.quarantined_rows
        ORDER BY file_name, row_number""") == [
        ("police_crime", "2025-03-kent-street.csv", 5, "bad_date",
         "date '2025-13' is missing or not a date (expected YYYY-MM-DD or DD/MM/YYYY)"),
        ("asb", "asb_incidents_2025-01.csv", 17, "unknown_category",
         "ASB category 'Rowdy' is not one of: Personal, Nuisance, Environmental"),
        ("asb", "asb_incidents_2025-01.csv", 18, "bad_lsoa", "LSOA code 'E0102398' is not a valid LSOA code"),
        ("asb", "asb_incidents_2025-01.csv", 19, "bad_date",
         "date '32/01/2025' is missing or not a date (expected YYYY-MM-DD or DD/MM/YYYY)"),
        ("asb", "asb_incidents_2025-01.csv", 20, "missing_reference", "ASB reference is missing"),
        ("asb", "asb_incidents_2025-01.csv", 22, "duplicate_row", "exact copy of an earlier row in the same file"),
    ]


def test_window_needs_every_district_for_a_dense_source(settings):
    # ASB is complete_month: every_district; no fixture month has all twelve districts
    assert query(settings, "SELECT current_last, comparison_status FROM facts.source_windows WHERE source = 'asb'") == [
        (None, "no complete month of data")]


def test_a_restricted_crime_extract_leaves_the_street_files_asb_rows_current(settings, tmp_path):
    """March's street file holds 4 ASB rows and no restricted ASB delivery covers March: a restricted crime
    extract for March replaces the file's crimes, not its ASB rows (they used to go with them, and March
    had no ASB data at all)."""
    ours = workspace(tmp_path)
    drop(ours, "police_crime", FIXTURES / "asb" / "2025-03-kent-street.csv")
    extract = tmp_path / "police_crime_2025-03.csv"
    extract.write_text("crime_reference,recorded_date,ho_offence_code,offence_group,lsoa_code,domestic_abuse,hate_crime,"
                       "hate_strand,vawg,knife,victim_age_band,victim_sex\n"
                       "R1,2025-03-04,46,Shoplifting,E01024657,N,N,,N,N,Unknown,Unknown\n")
    drop(ours, "police_crime", extract)
    run_refresh(ours, AS_OF)
    assert query(ours, BY_FORM_AND_MONTH) == [("police_uk", "2025-03", 4, 4)]
    # the crimes of March are the extract's alone
    assert query(ours, """SELECT form, count(*) FILTER (WHERE is_current) FROM staging.police_crime_checked
                          WHERE NOT is_asb AND reject_code IS NULL GROUP BY ALL ORDER BY 1""") == [
        ("police_uk", 0), ("restricted", 1)]


def test_the_quality_reports_asb_count_from_street_files_is_of_current_rows(tmp_path):
    """March's street file and a correction of it (one row fewer) landed together: the ASB section counts the
    correction's rows, those the ASB measure counts, where it added the original's too."""
    settings = workspace(tmp_path)
    first = drop(settings, "police_crime", FIXTURES / "asb" / "2025-03-kent-street.csv")
    os.utime(first, (first.stat().st_mtime - 100, first.stat().st_mtime - 100))   # landed first
    corrected = settings.raw_dir / "police_crime" / "2025-03-kent-street-corrected.csv"
    corrected.write_text(first.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    summary = run_refresh(settings, AS_OF)
    counted = query(settings, """SELECT count(*) FROM staging.asb_checked
                                 WHERE form = 'police_uk' AND reject_code IS NULL AND is_current""")[0][0]
    html = " ".join(summary.published.quality_report.read_text(encoding="utf-8").split())
    assert re.findall(r"<p>(\d+) anti-social behaviour incidents are counted", html) == [str(counted)]
    assert query(settings, """SELECT count(*) FROM staging.asb_checked
                              WHERE form = 'police_uk' AND reject_code IS NULL""")[0][0] > counted
