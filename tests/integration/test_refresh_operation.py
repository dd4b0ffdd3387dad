"""The refresh as an operation: idempotent, atomic when killed at any step, one run at a time."""
from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from csp.cli import main
from csp.pipeline import run_refresh
from csp.publish.release import CURRENT, current_release
from csp.runlock import lock_path, run_lock
from tests.conftest import AS_OF, FIXTURES, cli_args, drop, query, workspace

REPO = Path(__file__).resolve().parents[2]
DATA_SCHEMAS = ("ref", "raw", "staging", "facts", "comparisons", "dq")


def table_digests(settings, ignore: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Every data table's row count and an order-independent hash of its rows (without the
    `ignore` columns: when and by which run a delivery arrived differs between two workspaces)."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        tables = con.execute("""SELECT schema_name, table_name FROM duckdb_tables()
                                WHERE schema_name IN $schemas ORDER BY ALL""", {"schemas": list(DATA_SCHEMAS)}).fetchall()
        return {f"{s}.{t}": con.execute(f"""SELECT count(*), sum(hash(t)::HUGEINT) FROM (
                                               SELECT COLUMNS(lambda c: NOT list_contains($ignore, c)) FROM "{s}"."{t}") AS t""",
                                        {"ignore": ["-", *ignore]}).fetchone()
                for s, t in tables}


RUN_SPECIFIC = ("received_at", "run_id")


# Idempotence and recovery are about every output, the district marts included: their workspaces have
# them all. The tests of the lock and of the incremental build read no output file and use the
# `settings` fixture (tests/conftest.py: the county outputs only).


def refreshed_base(tmp_path_factory, name: str, fixtures: tuple[str, ...]):
    """A workspace with every output (district marts included) that received `fixtures` and was
    refreshed once, for the module: each test that changes it works on its own copy (`own_copy`)."""
    base = tmp_path_factory.mktemp(name)
    settings = workspace(base, district_marts=True)
    for fixture in fixtures:
        drop(settings, "police_crime", fixture)
    return base, run_refresh(settings, AS_OF)


def own_copy(base: Path, folder: Path):
    """A copy of a refreshed workspace (the release links copied as links), with every output."""
    shutil.copytree(base, folder / "workspace", symlinks=True)
    return workspace(folder / "workspace", district_marts=True)


@pytest.fixture(scope="module")
def previous_year_refreshed(tmp_path_factory):
    """The previous year's delivery refreshed once: where the recovery tests and `uninterrupted` start."""
    return refreshed_base(tmp_path_factory, "previous_year", ("previous_year.csv",))


@pytest.fixture(scope="module")
def both_years_refreshed(tmp_path_factory):
    """Both years' deliveries refreshed once, in one run: where the idempotence tests start."""
    return refreshed_base(tmp_path_factory, "both_years", ("previous_year.csv", "current_year.csv"))


ROLLING = "tables/1_01_all_crime.csv"   # the pack's table of all crime: rolling 12 months, year to date


def rolling_rows(outputs: Path) -> list[dict]:
    """The all-crime table without produced_by_run (each workspace has run ids of its own)."""
    with (outputs / ROLLING).open(encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in row.items() if k != "produced_by_run"} for row in csv.DictReader(fh)]


def release_files(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder (county, or the whole marts folder) by its path in it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_second_run_with_nothing_new_changes_nothing(both_years_refreshed, tmp_path):
    base, first = both_years_refreshed
    settings = own_copy(base, tmp_path)
    release, files, tables = current_release(settings.marts_dir), release_files(settings.marts_dir), table_digests(settings)

    second = run_refresh(settings, AS_OF)
    assert (second.built, second.published.changed, second.published.stamp_run_id) == (False, False, first.run_id)
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


@pytest.fixture(scope="module")
def uninterrupted(previous_year_refreshed, tmp_path_factory):
    """Outputs of the two fixture deliveries refreshed without interruption, for comparison."""
    settings = own_copy(previous_year_refreshed[0], tmp_path_factory.mktemp("clean"))
    drop(settings, "police_crime", "current_year.csv")
    summary = run_refresh(settings, AS_OF)
    return (summary.data_version, rolling_rows(summary.outputs_dir),
            table_digests(settings, RUN_SPECIFIC))


@pytest.mark.parametrize("kill_at", ["ingest:landed", "build:model", "publish:staged", "publish:swapped"])
def test_run_killed_at_any_step_leaves_a_consistent_state_and_the_next_run_completes(
        kill_at, previous_year_refreshed, tmp_path, uninterrupted, caplog):
    base, before = previous_year_refreshed
    settings = own_copy(base, tmp_path)
    before_files, before_tables = release_files(settings.marts_dir / "county"), table_digests(settings)
    drop(settings, "police_crime", "current_year.csv")

    killed = subprocess.run([sys.executable, "-m", "csp.cli", *cli_args(settings, tmp_path), "refresh", "--no-prefect",
                             "--as-of", AS_OF.isoformat()], cwd=REPO, env={**os.environ, "CSP_KILL_AT": kill_at},
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    killed_run = json.loads(lock_path(settings.warehouse).read_text())["run_id"]   # the lock it never released
    outputs = settings.marts_dir / "county"
    if kill_at == "publish:swapped":     # killed just after the swap: the new release is complete and in place
        assert rolling_rows(outputs) == uninterrupted[1]
        assert table_digests(settings, RUN_SPECIFIC) == uninterrupted[2]
    else:                                # before the swap: the previous outputs, untouched
        assert release_files(outputs) == before_files
        assert current_release(settings.marts_dir).name == before.run_id
        if kill_at == "publish:staged":  # the build had committed: the new tables, complete
            assert table_digests(settings, RUN_SPECIFIC) == uninterrupted[2]
        else:                            # the previous derived tables, untouched (and the raw rows, if killed landing them)
            derived = {t: d for t, d in table_digests(settings).items() if kill_at == "ingest:landed" or t[:4] != "raw."}
            assert derived == {t: d for t, d in before_tables.items() if t in derived}
    assert query(settings, "SELECT count(*) FROM meta.deliveries") == [(1 if kill_at == "ingest:landed" else 2,)]

    with caplog.at_level(logging.WARNING, logger="csp"):
        after = run_refresh(settings, AS_OF)
    assert "stopped without releasing its lock: taking it over" in caplog.text and killed_run in caplog.text
    assert query(settings, "SELECT status FROM meta.runs WHERE run_id = $r", {"r": killed_run}) == [("abandoned",)]
    assert after.data_version == uninterrupted[0]
    assert rolling_rows(after.outputs_dir) == uninterrupted[1]
    assert table_digests(settings, RUN_SPECIFIC) == uninterrupted[2]
    assert query(settings, "SELECT count(*) FROM raw.police_crime") == [(45,)]


def test_refresh_refuses_while_another_holds_the_lock(settings, tmp_path, capsys):
    drop(settings, "police_crime", "previous_year.csv")
    with run_lock(settings.warehouse, "20261123T093000000", dt.datetime(2026, 11, 23, 9, 30)):
        code = main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", AS_OF.isoformat()])
    assert code == 3
    err = capsys.readouterr().err
    assert err.startswith(f"csp: refused: another refresh is running: run 20261123T093000000 (pid {os.getpid()} on ")
    assert "started 2026-11-23 09:30:00). Wait for it to finish, then run again" in err
    assert not settings.warehouse.exists() or query(settings, "SELECT count(*) FROM meta.runs") == [(0,)]


def test_lock_held_by_another_process_refuses_then_is_taken_over_when_it_dies(settings, tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, datetime as dt; from pathlib import Path; from csp.runlock import run_lock\n"
         f"with run_lock(Path({str(settings.warehouse)!r}), 'other-run', dt.datetime(2026, 11, 23, 9, 0)):\n"
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
    corrected = tmp_path / "current_year_corrected.csv"
    lines = (FIXTURES / "police_crime" / "current_year.csv").read_text().splitlines(keepends=True)
    corrected.write_text("".join(l for l in lines if ",E01024206," not in l))   # resubmitted without Dover
    later = dt.date(2026, 12, 15)        # a later run date: rows dated after it (C24, 1 January 2027) are checked again
    with caplog.at_level(logging.INFO, logger="transforms"):
        for fixture, as_of in (("previous_year.csv", AS_OF), ("current_year.csv", AS_OF), (corrected, AS_OF), (None, later)):
            if fixture:
                drop(settings, "police_crime", fixture)
            caplog.clear()
            run_refresh(settings, as_of)
    # the run date moved: the deliveries with rows dated from November 2026 on, and the one sharing their months
    assert "staging.police_crime_checked: 2 deliveries checked (46 rows), the rows of the others kept" in caplog.text

    full = workspace(tmp_path / "full")
    for fixture in ("previous_year.csv", "current_year.csv", corrected):
        drop(full, "police_crime", fixture)
    run_refresh(full, later)
    assert table_digests(settings, RUN_SPECIFIC) == table_digests(full, RUN_SPECIFIC)
    assert query(settings, """SELECT count(*) FILTER (WHERE is_current), count(*) FILTER (WHERE reject_code = 'future_date')
                              FROM staging.police_crime_checked""") == [(38, 2)]
