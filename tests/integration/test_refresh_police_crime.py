"""The monthly refresh on the hand-counted police crime fixture (tests/fixtures/police_crime/README.md)."""
from __future__ import annotations

import csv
import html as html_module
import datetime as dt
import json
import logging
import os
import shutil

import duckdb
import openpyxl
import pytest

from csp.catalogue import load_catalogue
from csp.pipeline import run_refresh
from csp.publish.quality_report import gap_lines, gaps_compared
from tests.conftest import AS_OF, FIXTURES, drop, query, workspace
from transforms.build import build_model, define_macros

COMPARISON = "November 2024 – October 2025 compared with November 2023 – October 2024"


def comparison_rows(settings, offence_group="All crime"):
    """area -> counts, change and percentage change (to one place here: the table holds it unrounded)."""
    rows = query(settings, """
        SELECT area_name, current_count, previous_count, change, round(pct_change, 1)
        FROM comparisons.crime_rolling_12m WHERE offence_group = $g""", {"g": offence_group})
    return {r[0]: r[1:] for r in rows}


@pytest.fixture
def refreshed(settings):
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    summary = run_refresh(settings, AS_OF)
    return settings, summary


def test_rolling_12_months_match_hand_counts(refreshed_once):
    settings, summary = refreshed_once
    assert summary.comparison == COMPARISON
    rows = comparison_rows(settings)
    assert rows["Kent"] == (22, 16, 6, 37.5)
    assert rows["Ashford"] == (16, 13, 3, 23.1)
    assert query(settings, """SELECT pct_change FROM comparisons.crime_rolling_12m
                              WHERE area_name = 'Ashford' AND offence_group = 'All crime'""") == [(pytest.approx(300 / 13),)]
    assert rows["Thanet"] == (2, 3, -1, -33.3)
    assert rows["Dover"] == (4, 0, 4, None)
    assert rows["Medway"] == (0, 2, -2, -100.0)
    assert rows["Tunbridge Wells"] == (0, 0, 0, None)
    assert len(rows) == 14  # Kent, its 12 districts, Medway
    assert comparison_rows(settings, "Shoplifting")["Kent"] == (2, 4, -2, -50.0)


def test_rates_per_1000_use_mid_2023_population(refreshed_once):
    settings, _ = refreshed_once
    (row,) = query(settings, """
        SELECT population, current_rate_per_1000, previous_rate_per_1000, comparison
        FROM comparisons.crime_rolling_12m WHERE area_name = 'Ashford' AND offence_group = 'All crime'""")
    assert row == (138283, pytest.approx(16_000 / 138283), pytest.approx(13_000 / 138283), COMPARISON)   # 0.12, 0.09
    (kent,) = query(settings, "SELECT DISTINCT population FROM comparisons.crime_rolling_12m WHERE area_type = 'county'")
    assert kent == (1610251,)


def test_every_row_lands_or_is_quarantined_with_a_reason(refreshed_once):
    settings, _ = refreshed_once
    deliveries = query(settings, """
        SELECT file_name, status, rows_received, rows_loaded, rows_quarantined, balanced
        FROM dq.deliveries ORDER BY file_name""")
    assert deliveries == [
        ("current_year.csv", "loaded", 25, 22, 3, True),
        ("previous_year.csv", "loaded", 20, 20, 0, True),
    ]
    quarantined = query(settings, "SELECT row_number, reject_code FROM dq.quarantined_rows ORDER BY row_number")
    assert quarantined == [(22, "unknown_offence"), (24, "duplicate_row"), (25, "future_date")]
    (reason,) = query(settings, "SELECT reject_reason FROM dq.quarantined_rows WHERE reject_code = 'unknown_offence'")
    assert reason == ("offence 'Violence' is not a recognised offence group",)


def test_provenance_on_every_landed_row(refreshed_once):
    settings, _ = refreshed_once
    rows = query(settings, """
        SELECT _source_file, _row_number, crime_reference, length(_checksum) FROM raw.police_crime
        WHERE crime_reference IN ('P01', 'C24') ORDER BY _row_number""")
    assert rows == [("previous_year.csv", 1, "P01", 64), ("current_year.csv", 25, "C24", 64)]


def test_row_without_location_counts_in_no_district(refreshed_once):
    settings, _ = refreshed_once
    assert query(settings, "SELECT crime_reference, geography, lad_code FROM staging.police_crime WHERE lsoa_code IS NULL") == [
        ("P20", "no location", None)]


def test_same_file_again_is_skipped_and_outputs_are_identical(refreshed):
    settings, first = refreshed
    before = {p.name: p.read_bytes() for p in first.outputs}
    second = run_refresh(settings, AS_OF)
    assert [d.status for d in second.deliveries] == ["unchanged", "unchanged"]
    assert query(settings, "SELECT count(*) FROM meta.deliveries") == [(2,)]
    assert query(settings, "SELECT count(*) FROM raw.police_crime") == [(45,)]
    assert {p.name: p.read_bytes() for p in second.outputs} == before


def test_a_copy_of_a_delivered_file_under_another_name_is_said_not_read(settings):
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    drop(settings, "police_crime", "current_year.csv", name="current_year_copy.csv")
    summary = run_refresh(settings, AS_OF)
    assert [(d.file_name, d.status, d.copy_of) for d in summary.deliveries] == [
        ("previous_year.csv", "loaded", ""), ("current_year.csv", "loaded", ""),
        ("current_year_copy.csv", "unchanged", "current_year.csv")]
    assert summary.not_read == (("police_crime/current_year_copy.csv",
                                 "holds the same bytes as current_year.csv (delivery 2, already read): not read again"),)
    report = summary.published.quality_report.read_text(encoding="utf-8")
    assert "current_year_copy.csv" in report and "holds the same bytes as current_year.csv" in report
    assert query(settings, "SELECT count(*) FROM meta.deliveries") == [(2,)]
    again = run_refresh(settings, AS_OF)   # said again, and nothing else changes
    assert again.not_read == summary.not_read and not again.published.changed


def test_corrected_file_replaces_its_months(refreshed, tmp_path):
    settings, _ = refreshed
    # the partner resubmits the current year without the four Dover rows
    corrected = tmp_path / "current_year_corrected.csv"
    lines = (settings.raw_dir / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    corrected.write_text("".join(l for l in lines if ",E01024206," not in l))
    drop(settings, "police_crime", corrected)
    summary = run_refresh(settings, AS_OF)
    assert [(d.file_name, d.status) for d in summary.deliveries if d.status != "unchanged"] == [
        ("current_year_corrected.csv", "loaded")]
    rows = comparison_rows(settings)
    assert rows["Kent"] == (18, 16, 2, 12.5)
    assert rows["Dover"] == (0, 0, 0, None)
    # the first submission's rows are kept, no longer current
    assert query(settings, """
        SELECT count(*) FILTER (WHERE is_current), count(*) FILTER (WHERE reject_code IS NULL)
        FROM staging.police_crime_checked WHERE _source_file = 'current_year.csv'""") == [(0, 22)]
    # and the data-quality report says which rows the figures use: the 20 of last year and the 18 corrected (of
    # 25 + 21 received, 3 of each quarantined), not the 22 loaded of the first submission
    report = summary.published.quality_report.read_text(encoding="utf-8")
    assert "66 rows received: 60 loaded and 6\nquarantined with a reason.\nOf the rows loaded, 38 are current, in " \
           "the figures: the other 22 are in months a later delivery replaced" in report
    assert "66 rows received, 60 loaded,\n6 quarantined; 38 of the loaded rows current (in the figures).</p>" in report
    replaced = report[report.index('<th scope="row">current_year.csv</th>'):
                      report.index('<th scope="row">current_year_corrected.csv</th>')]
    assert '<td class="n">22</td>\n<td class="n">3</td><td class="n">0</td>' in replaced   # loaded, quarantined, current
    assert "<li>All its loaded rows are in months a later delivery replaced: kept in the warehouse, counted no " \
           "longer.</li>" in replaced and "Nothing to report" not in replaced


def test_a_file_replaced_by_one_landed_with_it_is_said(settings, tmp_path, caplog):
    """A file and its correction landed by one run (a rebuild, a backlog): the later file time is taken as the
    later delivery, and the run says so, as times copied without care would make the original current."""
    lines = (FIXTURES / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    corrected = tmp_path / "current_year_corrected.csv"
    corrected.write_text("".join(line for line in lines if ",E01024206," not in line))
    drop(settings, "police_crime", "current_year.csv")
    drop(settings, "police_crime", corrected)
    drop(settings, "police_crime", "previous_year.csv")   # later, but of other months: it replaced nothing
    with caplog.at_level(logging.WARNING, logger="csp"):
        run_refresh(settings, AS_OF)
    (warning,) = [r.getMessage() for r in caplog.records if "landed in this run" in r.getMessage()]
    assert warning.startswith("police_crime: current_year.csv, landed in this run, has 22 rows replaced by a later "
                              "file landed with it (current_year_corrected.csv). A delivery for a month replaces the "
                              "month as a whole: if the files are parts of one month, put all its rows in one file "
                              "and send that. Files landed together are taken in the order of their file times, "
                              "then names")
    caplog.clear()
    again = tmp_path / "current_year_corrected_again.csv"   # a correction in a later run: the order is known
    header, _, *rest = corrected.read_text().splitlines(keepends=True)   # without its first crime
    again.write_text(header + "".join(rest))
    drop(settings, "police_crime", again)
    with caplog.at_level(logging.WARNING, logger="csp"):
        run_refresh(settings, AS_OF)
    assert query(settings, """SELECT file_name, rows_current FROM dq.deliveries ORDER BY delivery_id""") == [
        ("current_year.csv", 0), ("current_year_corrected.csv", 0), ("previous_year.csv", 20),
        ("current_year_corrected_again.csv", 17)]
    assert "landed in this run" not in caplog.text


def test_without_the_previous_year_the_change_is_not_available(settings):
    drop(settings, "police_crime", "current_year.csv")
    summary = run_refresh(settings, AS_OF)
    assert "comparison not available" in summary.comparison
    assert comparison_rows(settings)["Kent"] == (22, None, None, None)
    (status,) = query(settings, "SELECT DISTINCT comparison_status FROM comparisons.crime_rolling_12m")
    assert status[0] == ("comparison not available: the previous 12 months (November 2023 – October 2024) "
                         "have no data; data starts November 2024")


def test_with_a_month_missing_from_the_latest_12_there_is_no_12_month_total(settings, tmp_path):
    # the fixture without its one crime recorded in January 2025: 21 crimes in 11 of the 12 months
    lines = (FIXTURES / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    no_january = tmp_path / "current_year.csv"
    no_january.write_text("".join(line for line in lines if ",2025-01-" not in line))
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", no_january)
    run_refresh(settings, AS_OF)
    # the previous 12 months have every month: their total stands (as the catalogue measures'), the change does not
    assert comparison_rows(settings)["Kent"] == (None, 16, None, None)
    assert query(settings, """SELECT DISTINCT current_rate_per_1000, comparison_status FROM comparisons.crime_rolling_12m""") == [
        (None, "only 11 of the 12 months November 2024 – October 2025 have data")]


def test_bad_delivery_is_quarantined_and_the_run_carries_on(settings, tmp_path):
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    wrong_layout = tmp_path / "wrong_layout.csv"
    wrong_layout.write_text("ref,when,what\n1,2025-01-01,theft\n2,2025-01-02,theft\n")
    drop(settings, "police_crime", wrong_layout)
    mostly_bad = tmp_path / "mostly_bad_groups.csv"
    header = "crime_reference,recorded_date,ho_offence_code,offence_group,lsoa_code,domestic_abuse,hate_crime,hate_strand,vawg,knife,victim_age_band,victim_sex\n"
    body = "".join(f"B{i},2025-09-0{1 + i % 9},8N,{'Assault' if i < 6 else 'Robbery'},E01023987,N,N,,N,N,26-34,Male\n" for i in range(10))
    mostly_bad.write_text(header + body)
    drop(settings, "police_crime", mostly_bad)
    summary = run_refresh(settings, AS_OF)
    statuses = {d.file_name: (d.status, d.reason) for d in summary.deliveries}
    assert statuses["wrong_layout.csv"][0] == "quarantined"
    assert "the 'restricted' layout is missing: 'crime reference', 'recorded date', 'offence group'" in statuses["wrong_layout.csv"][1]
    assert statuses["wrong_layout.csv"][1].endswith(" (headings in any case; every name accepted for each column is in "
                                                    "expectations/contracts/police_crime.yml)")
    assert statuses["mostly_bad_groups.csv"][0] == "quarantined"
    assert statuses["mostly_bad_groups.csv"][1] == (
        "failed its data contract: column 'offence_group': 60.0% of values are not allowed values (e.g. 'Assault')")
    assert statuses["current_year.csv"][0] == "loaded"
    assert comparison_rows(settings)["Kent"] == (22, 16, 6, 37.5)   # unaffected
    assert query(settings, """
        SELECT file_name, rows_received, rows_loaded, rows_quarantined FROM dq.deliveries
        WHERE status = 'quarantined' ORDER BY file_name""") == [
        ("mostly_bad_groups.csv", 10, 0, 10), ("wrong_layout.csv", 2, 0, 2)]


def test_outputs_carry_marking_period_and_values(refreshed_once):
    settings, summary = refreshed_once
    out = summary.outputs_dir
    assert sorted(p.name for p in summary.outputs if p.parent == out) == [
        "assessment_pack.html", "assessment_pack.pdf", "assessment_tables.xlsx", "run_manifest.json"]
    # UTF-8 with a byte-order mark, as Excel needs to read the dashes of the periods
    assert (out / "tables" / "1_01_all_crime.csv").read_bytes().startswith(b"\xef\xbb\xbfprotective_marking,measure_id,")
    with (out / "tables" / "1_01_all_crime.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["protective_marking"] for r in rows} == {"OFFICIAL-SENSITIVE"}
    kent = next(r for r in rows if r["area_name"] == "Kent" and r["comparison_type"] == "rolling 12 months")
    assert (kent["current_value"], kent["previous_value"], kent["pct_change"], kent["current_period"],
            kent["previous_period"]) == ("22.0", "16.0", "37.5", "November 2024 – October 2025",
                                         "November 2023 – October 2024")

    wb = openpyxl.load_workbook(out / "assessment_tables.xlsx")
    ws = wb["Table_1_01"]
    assert ws["A1"].value == "OFFICIAL-SENSITIVE"
    assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text and "OFFICIAL-SENSITIVE" in ws.oddFooter.left.text
    assert wb.properties.subject == "OFFICIAL-SENSITIVE"
    assert any(f"Period (rolling 12 months): {COMPARISON}" == ws.cell(r, 1).value for r in range(1, 8))
    assert ws["A2"].value.startswith("All police recorded crime: ")   # the sheet's title in full, under the marking
    header_row = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Measure ID")   # in words
    assert ws.cell(header_row - 1, 1).value.startswith(f"Produced by run {summary.run_id} (")   # no blank row
    headers = [c.value for c in ws[header_row]]
    kent_row = next(r for r in ws.iter_rows(min_row=header_row + 1, values_only=True)
                    if r[headers.index("Area")] == "Kent")
    assert kent_row[headers.index("Count, latest period")] == 22 and kent_row[headers.index("Change")] == 6

    manifest = json.loads((out / "run_manifest.json").read_text())
    assert manifest["protective_marking"] == "OFFICIAL-SENSITIVE"
    assert [(i["file"], i["rows_received"], i["rows_loaded"]) for i in manifest["inputs"]] == [
        ("previous_year.csv", 20, 20), ("current_year.csv", 25, 22)]
    assert {o["file"] for o in manifest["outputs"]} == {
        p.relative_to(out).as_posix() for p in summary.outputs} - {"run_manifest.json"}
    assert (out / "charts" / "all_crime_trend.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_district_marts_only_the_county_outputs_are_published(refreshed_once):
    settings, summary = refreshed_once
    assert settings.district_marts is False
    assert sorted(p.name for p in settings.marts_dir.iterdir()) == [".current", ".releases", "county"]


RESTRICTED_HEADER = ("crime_reference,recorded_date,ho_offence_code,offence_group,lsoa_code,domestic_abuse,"
                     "hate_crime,hate_strand,vawg,knife,victim_age_band,victim_sex\n")
POLICE_UK_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                    "Crime type,Last outcome category,Context\n")


def police_uk_file(folder, name: str, force: str, crimes: int):
    """A data.police.uk street file of October 2025: `crimes` shoplifting crimes of `force` in Ashford."""
    path = folder / name
    path.write_text(POLICE_UK_HEADER + "".join(
        f"{name[:-4]}-{i},2025-10,{force},{force},0.87,51.14,On or near High Street,E01023987,Ashford 001A,"
        "Shoplifting,Under investigation,\n" for i in range(crimes)))
    return path


def test_a_delivery_replaces_only_its_own_forces_month(settings, tmp_path):
    """A later file replaces a month for its force only: the area's data.police.uk file and its restricted
    extract replace each other, while British Transport Police's file for the same month counts beside them."""
    def deliver(path, second: int) -> None:   # in this arrival order
        os.utime(drop(settings, "police_crime", path), (1_700_000_000 + second,) * 2)

    def october_rows() -> dict[str, int]:
        return dict(query(settings, """
            SELECT _source_file, count(*) FROM staging.police_crime_checked
            WHERE is_current AND month = DATE '2025-10-01' GROUP BY ALL ORDER BY ALL"""))

    def october_forms() -> list[tuple]:
        return query(settings, """SELECT forms, form_keys FROM facts.source_months
                                  WHERE source = 'police_crime' AND month = DATE '2025-10-01'""")

    deliver(police_uk_file(tmp_path, "2025-10-kent-street.csv", "Kent Police", 3), 1)
    deliver(police_uk_file(tmp_path, "2025-10-btp-street.csv", "British Transport Police", 2), 2)
    run_refresh(settings, AS_OF)
    assert october_rows() == {"2025-10-btp-street.csv": 2, "2025-10-kent-street.csv": 3}
    assert october_forms() == [(["police_uk"], ["police_crime/police_uk"])]

    deliver(police_uk_file(tmp_path, "2025-10-kent-street-corrected.csv", "Kent Police", 1), 3)
    run_refresh(settings, AS_OF)
    assert october_rows() == {"2025-10-btp-street.csv": 2, "2025-10-kent-street-corrected.csv": 1}

    restricted = tmp_path / "kent_october_2025.csv"
    restricted.write_text(RESTRICTED_HEADER + "".join(
        f"R{i},2025-10-0{i + 1},46,Shoplifting,E01023987,N,N,,N,N,Unknown,Unknown\n" for i in range(4)))
    deliver(restricted, 4)
    run_refresh(settings, AS_OF)
    assert october_rows() == {"2025-10-btp-street.csv": 2, "kent_october_2025.csv": 4}
    # British Transport Police's public file beside Kent's restricted extract does not make October a month of two
    # layouts: Kent's flag measures (domestic abuse, knife crime, ...) stay counted, not unavailable
    assert october_forms() == [(["restricted"], ["police_crime/restricted"])]
    # only the group the restricted extract never has is unknown: violence against the person and sexual offences
    # are Kent's, BTP's few violent crimes (in data.police.uk's joint group) counted in all crime alone
    assert query(settings, """SELECT offence_group FROM facts.crime_groups_unrecorded
                              WHERE month = DATE '2025-10-01'""") == [("Violence and sexual offences",)]


def test_a_warehouse_holding_staging_police_crime_as_a_table_gets_the_view(refreshed):
    """Warehouses built before staging.police_crime became a view hold it as a table: the build replaces it."""
    settings, _ = refreshed
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("DROP VIEW staging.police_crime")
        con.execute("CREATE TABLE staging.police_crime AS SELECT 1 AS stale")
        define_macros(con)
        build_model(con, "staging/police_crime", load_catalogue(settings.catalogue, settings.series_breaks))
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'police_crime'").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM staging.police_crime").fetchall() == [(42,)]


def test_a_copy_landed_before_a_correction_of_it_stays_a_copy_at_the_next_run(settings, tmp_path, caplog):
    """A copy of a delivered file (another name) lands in the same run as a correction of it, before it: the copy is
    not read and the correction replaces the original. The next run, with nothing new, judged the copy again, after
    the correction, took it for the original sent again and landed it: the correction undone and a new release
    published by a run with nothing new (diff review). A copy found is kept as one (meta.copies)."""
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    run_refresh(settings, AS_OF)
    lines = (FIXTURES / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    corrected = tmp_path / "current_year_corrected.csv"
    corrected.write_text("".join(line for line in lines if ",E01024206," not in line))
    copy = drop(settings, "police_crime", "current_year.csv", name="current_year_copy.csv")
    fixed = drop(settings, "police_crime", corrected)
    os.utime(copy, ns=(1_700_000_000_000_000_000,) * 2)   # the copy lands first: the order is the files' times
    os.utime(fixed, ns=(1_700_000_001_000_000_000,) * 2)
    landed = run_refresh(settings, AS_OF)
    assert [(d.file_name, d.status, d.copy_of) for d in landed.deliveries if d.status != "unchanged" or d.copy_of] == [
        ("current_year_copy.csv", "unchanged", "current_year.csv"), ("current_year_corrected.csv", "loaded", "")]
    after_correction = comparison_rows(settings)
    with caplog.at_level(logging.INFO, logger="csp"):
        again = run_refresh(settings, AS_OF)
    assert "landed again" not in caplog.text and "police_crime: 4 file(s), 0 new" in caplog.text
    assert again.not_read == landed.not_read == (
        ("police_crime/current_year_copy.csv",
         "holds the same bytes as current_year.csv (delivery 2, already read): not read again"),)
    assert not again.published.changed
    assert query(settings, "SELECT delivery_id, file_name, rows_current FROM dq.deliveries ORDER BY delivery_id") == [
        (1, "previous_year.csv", 20), (2, "current_year.csv", 0), (3, "current_year_corrected.csv", 18)]
    assert comparison_rows(settings) == after_correction


def test_the_original_sent_again_after_its_correction_is_current_again(refreshed, tmp_path, caplog):
    """The partner withdraws a correction by sending the original file again (same name, same bytes): the
    original is the latest delivery, as a build from the raw folder as it now is would take it. It used to
    be skipped as already read, leaving the withdrawn correction current."""
    settings, _ = refreshed
    original = comparison_rows(settings)
    lines = (FIXTURES / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    corrected = tmp_path / "current_year.csv"
    corrected.write_text("".join(line for line in lines if ",E01024206," not in line))
    drop(settings, "police_crime", corrected)
    run_refresh(settings, AS_OF)
    assert comparison_rows(settings)["Kent"] != original["Kent"]
    drop(settings, "police_crime", "current_year.csv")
    with caplog.at_level(logging.WARNING, logger="csp"):
        run_refresh(settings, AS_OF)
    assert "current_year.csv has the same bytes as delivery 2 (current_year.csv), whose rows later deliveries " \
           "replaced: landed again as the latest delivery" in caplog.text
    assert query(settings, "SELECT delivery_id, file_name, rows_current FROM dq.deliveries ORDER BY delivery_id") == [
        (1, "previous_year.csv", 20), (2, "current_year.csv", 0), (3, "current_year.csv", 0), (4, "current_year.csv", 22)]
    assert comparison_rows(settings) == original
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="csp"):   # and once is enough: the next run finds nothing new
        run_refresh(settings, AS_OF)
    assert "police_crime: 2 file(s), 0 new" in caplog.text


def test_a_raw_folder_moved_does_not_undo_a_correction(tmp_path, caplog):
    """Every file of a raw folder copied elsewhere has a new path and time, so each is found by its checksum: the
    original, still in the folder beside the correction that replaced it, is the same file, not sent again, and
    stays replaced (it was landed again as the latest, undoing the correction, as a review found)."""
    settings = workspace(tmp_path / "first")
    for name in ("previous_year.csv", "current_year.csv"):
        drop(settings, "police_crime", name)
    run_refresh(settings, AS_OF)
    lines = (FIXTURES / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    corrected = tmp_path / "current_year_corrected.csv"
    corrected.write_text("".join(line for line in lines if ",E01024206," not in line))
    drop(settings, "police_crime", corrected)
    run_refresh(settings, AS_OF)
    after_correction = comparison_rows(settings)
    moved = settings.with_paths(raw_dir=tmp_path / "moved" / "raw", marts_dir=settings.marts_dir,
                                warehouse=settings.warehouse)
    shutil.copytree(settings.raw_dir, moved.raw_dir)   # new paths, new modification times
    with caplog.at_level(logging.INFO, logger="csp"):
        run_refresh(moved, AS_OF)
    assert "landed again" not in caplog.text and "police_crime: 3 file(s), 0 new" in caplog.text
    assert query(moved, "SELECT delivery_id, file_name, rows_current FROM dq.deliveries ORDER BY delivery_id") == [
        (1, "previous_year.csv", 20), (2, "current_year.csv", 0), (3, "current_year_corrected.csv", 22 - 4)]   # its 4 Dover rows taken out
    assert comparison_rows(moved) == after_correction


def test_a_later_day_of_the_same_month_loads_rows_an_earlier_day_refused(tmp_path):
    """Run as of 20 November 2025, a crime recorded on the 25th is dated after the run date (future_date); run
    again as of the 28th with nothing new, it is loaded and the outputs say the 28th. The data version held the
    as-of month only, so the second run found 'nothing new' and kept both (a review's finding)."""
    settings = workspace(tmp_path)
    extract = (FIXTURES / "police_crime" / "current_year.csv").read_text()
    late = tmp_path / "current_year.csv"
    late.write_text(extract + "C99,2025-11-25,46,Shoplifting,E01024657,N,N,,N,N,Unknown,Unknown\n")
    drop(settings, "police_crime", late)
    first = run_refresh(settings, dt.date(2025, 11, 20))
    assert query(settings, "SELECT reject_code FROM dq.quarantined_rows WHERE row_number = 26") == [("future_date",)]
    second = run_refresh(settings, dt.date(2025, 11, 28))
    assert second.data_version != first.data_version
    assert query(settings, "SELECT count(*) FROM dq.quarantined_rows WHERE row_number = 26") == [(0,)]
    assert query(settings, "SELECT count(*) FROM staging.police_crime WHERE crime_reference = 'C99'") == [(1,)]
    manifest = json.loads((settings.marts_dir / "county" / "run_manifest.json").read_text())
    assert manifest["as_of"] == "2025-11-28"


def test_months_some_districts_miss_inside_the_months_compared_are_said_with_what_they_do(refreshed_once):
    """The fixture's districts have crimes in few months: the comparison stands, each district counting none in a
    month it has no rows in, and the line says what that does (it named only the months)."""
    settings, summary = refreshed_once
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        line = gap_lines(gaps_compared(con))["police_crime"]
    assert line.startswith("Police recorded crime: missing November 2023 – December 2023 (Thanet); November 2023 – "
                           "January 2025 (Dover); ")
    assert line.endswith(", inside the months compared (November 2023 – October 2025): a district missing a month counts "
                         "none in it, so its totals, and the county's, leave out that month's records and may read low")
    # and the pack says it with the periods, as the log does
    html = html_module.unescape((summary.published.outputs_dir / "assessment_pack.html").read_text(encoding="utf-8"))
    assert html.count(line) == 1
