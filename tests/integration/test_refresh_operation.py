"""The refresh as an operation: idempotent, one run at a time, incremental (killed at any step:
test_refresh_recovery.py)."""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import stat
import subprocess
import sys

import duckdb
import markupsafe
import pytest

from csp import pipeline
from csp.cli import main
from csp.pipeline import run_refresh
from csp.publish import chart_cache
from csp.publish.release import current_release, restricted_umask
from csp.runlock import run_lock
from csp.warehouse import connect
from tests.conftest import AS_OF, FIXTURES, cli_args, drop, query, workspace
from tests.integration.operation import REPO, RUN_SPECIFIC, own_copy, refreshed_base, release_files, table_digests

# Idempotence is about every output, the district marts included: its workspaces
# have them all. The tests of the lock and of the incremental build read no output file and use the
# `settings` fixture (tests/conftest.py: the county outputs only).


@pytest.fixture(scope="module")
def both_years_refreshed(tmp_path_factory):
    """Both years' deliveries refreshed once, in one run: where the idempotence tests start."""
    return refreshed_base(tmp_path_factory, "both_years", ("previous_year.csv", "current_year.csv"))


def test_second_run_with_nothing_new_changes_nothing(both_years_refreshed, tmp_path, monkeypatch):
    base, first = both_years_refreshed
    settings = own_copy(base, tmp_path)
    release, files, tables = current_release(settings.marts_dir), release_files(settings.marts_dir), table_digests(settings)
    # nothing built and the release holds this data version: nothing is rendered (rendering again
    # would give the same bytes: the next test)
    monkeypatch.setattr(pipeline, "run_release", lambda *a: pytest.fail("rendered the outputs again"))

    second = run_refresh(settings, AS_OF)
    assert (second.built, second.published.changed, second.published.stamp_run_id) == (False, False, first.run_id)
    assert (sorted(p.relative_to(second.outputs_dir) for p in second.outputs)
            == sorted(p.relative_to(first.outputs_dir) for p in first.outputs))
    assert second.comparison == first.comparison
    assert current_release(settings.marts_dir) == release          # not even re-linked
    assert release_files(settings.marts_dir) == files              # county and district files: same bytes
    assert table_digests(settings) == tables
    assert query(settings, "SELECT status, data_version = $v FROM meta.runs ORDER BY started_at, run_id",
                 {"v": first.data_version}) == [("succeeded", True), ("succeeded", True)]


def test_rebuilding_and_rendering_again_gives_the_same_bytes(both_years_refreshed, tmp_path):
    base, first = both_years_refreshed
    settings = own_copy(base, tmp_path)
    release, files, tables = current_release(settings.marts_dir), release_files(settings.marts_dir), table_digests(settings)
    # forget the build: every table is computed and every output written again from the same inputs,
    # then compared byte for byte with the current release (the district DuckDB files by their rows:
    # DuckDB writes a random identifier into each file)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("DELETE FROM meta.builds")

    again = run_refresh(settings, AS_OF)
    assert (again.built, again.published.changed, again.published.stamp_run_id) == (True, False, first.run_id)
    assert current_release(settings.marts_dir) == release
    assert release_files(settings.marts_dir) == files
    assert table_digests(settings) == tables


def test_the_warehouse_and_the_caches_beside_it_are_readable_by_owner_and_group_only(tmp_path):
    """OFFICIAL-SENSITIVE as the outputs are: created 0750 (folders) and 0640 (files) under the usual
    umask, DuckDB's write-ahead log too (it was 0644 in a 0755 folder)."""
    settings = workspace(tmp_path, pack_documents=True)
    drop(settings, "police_crime", "current_year.csv")
    umask = os.umask(0o022)
    try:
        run_refresh(settings, AS_OF)
        with restricted_umask(), connect(settings.warehouse) as con:   # as every step opens it
            con.execute("CREATE TABLE meta.written AS SELECT 1 AS x")
            wal = settings.warehouse.with_name("csp.duckdb.wal")
            assert stat.S_IMODE(wal.stat().st_mode) == 0o640
    finally:
        os.umask(umask)
    folder = settings.warehouse.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    assert stat.S_IMODE(settings.warehouse.stat().st_mode) == 0o640
    caches = [settings.cache("charts"), settings.cache("data_docs")]
    assert all(stat.S_IMODE(cache.stat().st_mode) == 0o750 for cache in caches)
    modes = {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*")}
    assert any(name.endswith(".png") for name in modes) and any(name.endswith(".html") for name in modes)
    assert {name: mode for name, mode in modes.items() if mode & 0o027} == {}
    assert os.umask(0o022) == 0o022   # put back


def test_refresh_refuses_while_another_holds_the_lock(settings, tmp_path, capsys):
    drop(settings, "police_crime", "previous_year.csv")
    with run_lock(settings.warehouse, settings.marts_dir, "20261123T093000000", dt.datetime(2026, 11, 23, 9, 30)):
        code = main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", AS_OF.isoformat()])
    assert code == 3
    err = capsys.readouterr().err
    assert err.startswith(f"csp: refused: another refresh is running: run 20261123T093000000 (pid {os.getpid()} on ")
    assert "started 2026-11-23 09:30:00). Wait for it to finish, then run again" in err
    assert not settings.warehouse.exists() or query(settings, "SELECT count(*) FROM meta.runs") == [(0,)]


def test_a_refresh_of_another_warehouse_into_the_same_outputs_folder_is_refused(settings, tmp_path, capsys):
    # its clean-up would remove this run's release as it is written (a run clears away releases not current)
    other = settings.with_paths(warehouse=tmp_path / "other" / "csp.duckdb")
    drop(settings, "police_crime", "previous_year.csv")
    with run_lock(other.warehouse, other.marts_dir, "20261123T093000000", dt.datetime(2026, 11, 23, 9, 30)):
        code = main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", AS_OF.isoformat()])
    assert code == 3
    err = capsys.readouterr().err
    assert err.startswith(f"csp: refused: another refresh is using the outputs folder {settings.marts_dir}: "
                          f"run 20261123T093000000 (pid {os.getpid()} on ")
    assert "Each warehouse needs an outputs folder of its own (--marts)" in err
    assert not (settings.marts_dir / "county").exists()
    assert not settings.warehouse.parent.exists()   # not even its lock: a refused run leaves nothing behind


def test_lock_held_by_another_process_refuses_then_is_taken_over_when_it_dies(settings, tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, datetime as dt; from pathlib import Path; from csp.runlock import run_lock\n"
         f"with run_lock(Path({str(settings.warehouse)!r}), Path({str(settings.marts_dir)!r}), 'other-run', "
         "dt.datetime(2026, 11, 23, 9, 0)):\n"
         "    print('held', flush=True); sys.stdin.read()"],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        drop(settings, "police_crime", "previous_year.csv")
        refused = subprocess.run([sys.executable, "-m", "csp.cli", *cli_args(settings, tmp_path), "refresh",
                                  "--no-prefect"], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 3
        assert f"another refresh is running: run other-run (pid {holder.pid} on " in refused.stderr
    finally:
        holder.kill()
        holder.wait()
    summary = run_refresh(settings, AS_OF)      # the dead holder's lock is taken over
    assert [d.status for d in summary.deliveries] == ["loaded"]


def test_incremental_build_gives_what_a_full_build_gives(settings, tmp_path, caplog):
    """Police crime, ASB, fire and hospital deliveries arriving over five runs, each built
    incrementally, give every table and view a build in full of the same deliveries gives."""
    corrected = tmp_path / "current_year_corrected.csv"
    lines = (FIXTURES / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    corrected.write_text("".join(l for l in lines if ",E01024206," not in l))   # resubmitted without Dover
    # January's restricted ASB extract resubmitted without A01 and with an incident dated after the
    # run date (quarantined, future_date, until the run date passes it)
    asb_lines = (FIXTURES / "asb" / "asb_incidents_2025-01.csv").read_text().splitlines(keepends=True)
    asb_corrected = tmp_path / "asb_incidents_2025-01_corrected.csv"
    asb_corrected.write_text("".join(l for l in asb_lines if not l.startswith("A01,")) + "A99,01/12/2026,Nuisance,E01023987\n")
    # July's fire incidents resubmitted without F01: the two deliveries share the month
    fire_lines = (FIXTURES / "fire_incidents" / "kfrs_incidents_2025-07.csv").read_text().splitlines(keepends=True)
    fire_corrected = tmp_path / "kfrs_incidents_2025-07_corrected.csv"
    fire_corrected.write_text("".join(l for l in fire_lines if not l.startswith("F01,")))
    later = dt.date(2026, 12, 15)        # a later run date: rows dated after it (C24, 1 January 2027) are checked again
    runs = (
        ([("police_crime", "previous_year.csv"), ("asb", "asb_incidents_2025-01.csv"),
          ("hospital_admissions", "hes_injury_admissions_2025-03.csv")], AS_OF),
        # data.police.uk ASB rows for February, current for the month until a restricted extract holds it
        ([("police_crime", "current_year.csv"), ("police_crime", FIXTURES / "asb" / "2025-02-kent-street.csv"),
          ("fire_incidents", "kfrs_incidents_2025-07.csv"), ("hospital_admissions", "hes_admissions_by_district_2025-04.csv")],
         AS_OF),
        # February's restricted extract: the street file's ASB rows, not checked again, stop being current
        ([("police_crime", corrected), ("asb", "asb_incidents_2025-02.csv"),
          ("police_crime", FIXTURES / "asb" / "2025-03-kent-street.csv"), ("fire_incidents", fire_corrected)], AS_OF),
        ([("asb", asb_corrected)], AS_OF),
        ([], later),
    )
    with caplog.at_level(logging.INFO, logger="transforms"), caplog.at_level(logging.INFO, logger="csp"):
        for number, (fixtures, as_of) in enumerate(runs):
            for source, fixture in fixtures:
                drop(settings, source, fixture)
            caplog.clear()
            run_refresh(settings, as_of)
            assert ("building the derived tables in full" in caplog.text) == (number == 0)
            if number == 2:   # the corrected July and the July it replaces
                assert "staging.fire_incidents_checked: 2 deliveries checked (25 rows), the rows of the others kept" \
                    in caplog.text
            if number == 3:
                assert "staging.hospital_admissions_checked: nothing new to check" in caplog.text
    # the run date moved: the deliveries with rows dated from November 2026 on, and the ones sharing their months
    assert "staging.police_crime_checked: 4 deliveries checked (60 rows), the rows of the others kept" in caplog.text
    assert "staging.asb_restricted_checked: 2 deliveries checked (44 rows), the rows of the others kept" in caplog.text
    # F13 (1 July 2027) in both July deliveries: after either run date, so checked again
    assert "staging.fire_incidents_checked: 2 deliveries checked (25 rows), the rows of the others kept" in caplog.text
    assert "staging.hospital_admissions_checked: nothing new to check" in caplog.text
    incremental = table_digests(settings, RUN_SPECIFIC)

    # the same warehouse, its builds forgotten: every table built in full from the same deliveries
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("DELETE FROM meta.builds")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="csp"):
        run_refresh(settings, later)
    assert "building the derived tables in full" in caplog.text
    assert table_digests(settings, RUN_SPECIFIC) == incremental
    # 38 current crimes from the restricted extracts, less the corrected file's March crime, which the
    # March street file (the same force, delivered later) replaced with its 5
    assert query(settings, """SELECT count(*) FILTER (WHERE is_current), count(*) FILTER (WHERE reject_code = 'future_date')
                              FROM staging.police_crime_checked WHERE NOT is_asb""") == [(42, 2)]
    assert query(settings, """
        SELECT form, _source_file, strftime(month, '%Y-%m'), count(*) FILTER (WHERE is_current), count(*)
        FROM staging.asb_checked WHERE reject_code IS NULL GROUP BY ALL ORDER BY ALL""") == [
        ("police_uk", "2025-02-kent-street.csv", "2025-02", 0, 3),
        ("police_uk", "2025-03-kent-street.csv", "2025-03", 4, 4),
        ("restricted", "asb_incidents_2025-01.csv", "2025-01", 0, 17),
        ("restricted", "asb_incidents_2025-01_corrected.csv", "2025-01", 16, 16),
        ("restricted", "asb_incidents_2025-01_corrected.csv", "2026-12", 1, 1),
        ("restricted", "asb_incidents_2025-02.csv", "2025-02", 2, 2)]


def test_a_refresh_with_no_extract_anywhere_is_refused_and_publishes_nothing(settings):
    """A wrong --raw, or a fresh clone before `csp demo`: an empty pack would say nothing and would
    replace a release published from the same marts folder."""
    with pytest.raises(pipeline.NoExtracts) as refused:
        run_refresh(settings, AS_OF)
    assert str(refused.value).startswith(f"no partner extracts: every source folder under {settings.raw_dir} is "
                                         "empty or missing, and the warehouse holds none. Put each partner's files in")
    assert query(settings, "SELECT status FROM meta.runs") == [("failed",)]
    assert not settings.marts_dir.exists()


def test_a_refresh_with_an_empty_raw_folder_reports_from_what_the_warehouse_holds(settings, caplog):
    drop(settings, "police_crime", "current_year.csv")
    first = run_refresh(settings, AS_OF)
    (settings.raw_dir / "police_crime" / "current_year.csv").unlink()
    with caplog.at_level(logging.WARNING, logger="csp"):
        again = run_refresh(settings, AS_OF)
    assert f"no files in any source folder under {settings.raw_dir}: the outputs come from the 1 delivery " \
           "already in the warehouse" in caplog.messages
    # the delivery's file is gone but its rows stay in the warehouse: the data-quality report now lists it
    assert f"{settings.raw_dir}/police_crime/current_year.csv (delivery 1) is no longer in the raw folder: its rows " \
           "stay in the warehouse, used as before unless replaced or quarantined (see the README to withdraw a delivery " \
           "or start afresh)" in caplog.messages
    assert (again.data_version != first.data_version, again.published.changed) == (True, True)
    with caplog.at_level(logging.WARNING, logger="csp"):
        third = run_refresh(settings, AS_OF)
    assert (third.data_version, third.published.changed) == (again.data_version, False)


def test_a_raw_folder_that_is_not_there_is_refused_and_the_release_stays(settings, caplog):
    """A mistyped --raw or a share not mounted: not a folder emptied on purpose, so nothing is
    published (a release would list every delivery's file as gone) and the log is not filled with them."""
    drop(settings, "police_crime", "current_year.csv")
    run_refresh(settings, AS_OF)
    before = release_files(settings.marts_dir)
    shutil.rmtree(settings.raw_dir)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="csp"), pytest.raises(pipeline.NoExtracts) as refused:
        run_refresh(settings, AS_OF)
    assert str(refused.value) == (
        f"the raw folder {settings.raw_dir} does not exist, though the warehouse holds 1 delivery read from it: check "
        "--raw or the settings' [paths] raw (is a network share not mounted?). Nothing was published")
    assert not [m for m in caplog.messages if "no longer" in m]
    assert query(settings, "SELECT status FROM meta.runs ORDER BY run_id") == [("succeeded",), ("failed",)]
    assert release_files(settings.marts_dir) == before

def test_files_no_source_reads_are_in_the_quality_report_until_they_are_moved(settings, caplog):
    """A partner's extract saved beside the source folders is in none of the figures: the report the
    Working Group reads says so (not only the analyst's log), and says it again once it is gone."""
    drop(settings, "police_crime", "current_year.csv")
    first = run_refresh(settings, AS_OF)
    report = first.published.quality_report.read_text(encoding="utf-8")
    assert "no source reads" not in report
    drop(settings, "police", FIXTURES / "police_crime" / "previous_year.csv")
    with caplog.at_level(logging.WARNING, logger="csp"):
        stray = run_refresh(settings, AS_OF)
    why = "is not a source's folder, so its file is not read (did you mean police_crime?)"
    assert f"{settings.raw_dir / 'police'} {why}" in caplog.messages
    assert (stray.data_version != first.data_version, stray.published.changed) == (True, True)
    listed = stray.published.quality_report.read_text(encoding="utf-8")
    assert f"<tr><td><code>police/</code></td><td>{markupsafe.escape(why)}</td></tr>" in listed
    assert query(settings, "SELECT count(*) FROM meta.deliveries") == [(1,)]   # it was not read
    again = run_refresh(settings, AS_OF)   # nothing changed: nothing built or rendered
    assert (again.data_version, again.built, again.published.changed) == (stray.data_version, False, False)
    (settings.raw_dir / "police" / "previous_year.csv").unlink()
    moved = run_refresh(settings, AS_OF)
    assert (moved.data_version, moved.published.changed) == (first.data_version, True)
    assert moved.published.quality_report.read_text(encoding="utf-8") == report


def test_charts_whose_data_did_not_change_are_copied_and_are_what_drawing_gives(tmp_path, caplog):
    """A year of police data more: the police charts are drawn again, the road casualty (KSI) chart
    copied from the chart cache; rendered again with no cache, every file is the same bytes."""
    settings = workspace(tmp_path, pack_documents=True)
    kept = settings.cache("charts")
    for name in sorted((FIXTURES / "road_casualties").glob("*.csv")):
        drop(settings, "road_casualties", name)
    drop(settings, "police_crime", "previous_year.csv")
    run_refresh(settings, AS_OF)
    charts = settings.marts_dir / "county" / "charts"
    first = {p.name: p.read_bytes() for p in charts.glob("*.png")}
    assert len(chart_cache.names(kept)) == len(first) == 6   # the trend charts: one year, nothing to compare

    drop(settings, "police_crime", "current_year.csv")
    with caplog.at_level(logging.INFO, logger="csp"):
        second_run = run_refresh(settings, AS_OF)
    second = {p.name: p.read_bytes() for p in charts.glob("*.png")}
    assert len(second) == 20
    # KSI's window (July - June) and data are as they were: its one chart, the trend, is copied
    assert "charts: 19 drawn, 1 unchanged since an earlier run and copied" in caplog.text
    assert [name for name in second if name.startswith("ksi_")] == ["ksi_casualties_trend.png"]
    assert [name for name in second if second[name] == first.get(name)] == ["ksi_casualties_trend.png"]
    assert {(kept / name).read_bytes() for name in chart_cache.names(kept)} == set(second.values())   # no more kept

    shutil.rmtree(kept)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("DELETE FROM meta.builds")
    files = release_files(settings.marts_dir)
    again = run_refresh(settings, AS_OF)
    assert (again.built, again.published.changed, again.published.stamp_run_id) == (True, False, second_run.run_id)
    assert release_files(settings.marts_dir) == files
