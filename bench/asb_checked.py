"""What building ASB's checked rows costs a one-new-month refresh, before and after
staging.asb_checked became a view over staging.asb_restricted_checked (incremental) and the
data.police.uk ASB rows of staging.police_crime_checked:

    ./run python -m bench.asb_checked bench/work/national/warehouse/csp.duckdb

The warehouse is copied (to --scratch) and only the copy is changed. The national benchmark lands no
restricted ASB extract, so the copy is given one a month (--asb-rows each, 36 months, and a 37th that
is the refresh's new delivery). It times, median of --repeat:
  before  the model as it was at --old-rev, rebuilt in full (CREATE OR REPLACE TABLE: every restricted
          row checked again and every data.police.uk ASB row copied);
  after   the restricted table built incrementally (the new month's delivery checked), the view created;
and, for both, the models reading staging.asb_checked, which read a table before and the view after.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import duckdb

from csp.config import REPO_ROOT, load_settings
from csp.warehouse import execute, set_variables
from transforms.build import Since, _check_incrementally, build_model, define_macros

AS_OF = dt.date(2025, 12, 20)   # the national benchmark's one-new-month refresh (d)
READERS = ["staging/asb", "facts/asb_monthly", "facts/source_months", "facts/source_windows", "dq/deliveries",
           "dq/gaps", "dq/quarantined_rows"]


def _seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _add_restricted_asb(con: duckdb.DuckDBPyConnection, rows: int) -> tuple[int, int]:
    """One restricted ASB extract a month, November 2022 - November 2025, `rows` rows each, in the
    county's LSOAs; returns (the last delivery before the new month's, the new month's delivery)."""
    first_id = execute(con, "SELECT max(delivery_id) + 1 FROM meta.deliveries")[0][0]
    execute(con, """
        INSERT INTO meta.deliveries (delivery_id, source, form, file_name, file_path, checksum, size_bytes,
                                     received_at, run_id, status, rows_received, file_type, warnings,
                                     extra_columns, blank_rows)
        SELECT $first + m, 'asb', 'restricted', 'asb_' || strftime(DATE '2022-11-01' + to_months(m), '%Y-%m') || '.csv',
               'synthetic', 'synthetic-' || m, 0, now()::TIMESTAMP, 'bench', 'loaded', $rows, 'CSV, UTF-8', [], [], 0
        FROM range(37) AS t(m)""", {"first": first_id, "rows": rows})
    execute(con, """
        INSERT INTO raw.asb
        WITH lsoas AS (SELECT lsoa_code, row_number() OVER (ORDER BY lsoa_code) - 1 AS i FROM ref.lsoa_district),
        n AS (SELECT count(*) AS n FROM lsoas)
        SELECT $first + m, 'asb_' || m || '.csv', 'synthetic-' || m, r + 1,
               'ASB-' || m || '-' || r,
               strftime(DATE '2022-11-01' + to_months(m) + to_days((r % 28)::INTEGER), '%d/%m/%Y'),
               ['Personal', 'Nuisance', 'Environmental', ''][1 + r % 4],
               l.lsoa_code
        FROM range(37) AS t(m), range($rows) AS s(r), n
        JOIN lsoas AS l ON l.i = (r * 7 + m) % n.n""", {"first": first_id, "rows": rows})
    return first_id + 35, first_id + 36


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warehouse", type=Path, help="a warehouse built by the national benchmark (read only)")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/asb-bench/scratch.duckdb"))
    parser.add_argument("--asb-rows", type=int, default=4000, help="rows of each month's restricted ASB extract")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old-rev", default="0da2fed", help="the commit whose sql/staging/asb_checked.sql is 'before'")
    args = parser.parse_args()

    old_model = subprocess.run(["git", "show", f"{args.old_rev}:sql/staging/asb_checked.sql"], cwd=REPO_ROOT,
                               check=True, capture_output=True, text=True).stdout
    args.scratch.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.warehouse, args.scratch)
    con = duckdb.connect(str(args.scratch))
    execute(con, "SET enable_progress_bar = false")
    set_variables(con, load_settings(), AS_OF)
    define_macros(con)
    execute(con, "SET VARIABLE build_deliveries = NULL")
    last_old, new = _add_restricted_asb(con, args.asb_rows)
    police_asb = execute(con, "SELECT count(*) FROM staging.police_crime_checked WHERE is_asb")[0][0]
    print(f"police_crime_checked: {police_asb:,} data.police.uk ASB rows; raw.asb: "
          f"{execute(con, 'SELECT count(*) FROM raw.asb')[0][0]:,} restricted rows in 37 deliveries")

    def readers() -> dict[str, float]:
        return {name: _seconds(lambda: build_model(con, name, None), args.repeat) for name in READERS}

    # before: the table, rebuilt in full
    if execute(con, "SELECT count(*) FROM duckdb_views() WHERE view_name = 'asb_checked'")[0][0]:
        execute(con, "DROP VIEW staging.asb_checked")
    before = _seconds(lambda: execute(con, old_model), args.repeat)
    before_rows = execute(con, "SELECT count(*), sum(hash(t)::HUGEINT) FROM staging.asb_checked AS t")[0]
    before_readers = readers()

    # after: the restricted table (built in full once, as the build before the new month left it), then
    # the refresh: the new month's delivery checked, the view created
    build_model(con, "staging/asb_restricted_checked", None)
    full_restricted = _seconds(lambda: build_model(con, "staging/asb_restricted_checked", None), 1)

    def refresh() -> None:
        _check_incrementally(con, "staging/asb_restricted_checked", "staging.asb_restricted_checked",
                             Since(last_old, AS_OF))
        build_model(con, "staging/asb_checked", None)

    times = []
    for _ in range(args.repeat):
        execute(con, "DELETE FROM staging.asb_restricted_checked WHERE _delivery_id = $new", {"new": new})
        times.append(_seconds(refresh, 1))
    after = statistics.median(times)
    after_rows = execute(con, "SELECT count(*), sum(hash(t)::HUGEINT) FROM staging.asb_checked AS t")[0]
    after_readers = readers()
    con.close()
    args.scratch.unlink()

    print(f"same rows before and after: {before_rows == after_rows} ({before_rows[0]:,} rows)")
    print(f"ASB's checked rows in a one-new-month build: before {before:.2f} s (table rebuilt in full), "
          f"after {after:.2f} s (restricted table incrementally, view); restricted table in full {full_restricted:.2f} s")
    print(f"{'model reading it':28} {'before':>8} {'after':>8}")
    for name in READERS:
        print(f"{name:28} {before_readers[name]:8.2f} {after_readers[name]:8.2f}")
    print(f"{'in all':28} {before + sum(before_readers.values()):8.2f} {after + sum(after_readers.values()):8.2f}")


if __name__ == "__main__":
    main()
