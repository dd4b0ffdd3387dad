"""What the refresh-operation tests (test_refresh_operation.py, test_refresh_recovery.py) share: digests
of the warehouse tables and output files, and refreshed workspaces with every output to copy."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, drop, workspace

REPO = Path(__file__).resolve().parents[2]
DATA_SCHEMAS = ("ref", "raw", "staging", "facts", "stats", "comparisons", "marts", "dq")


def table_digests(settings, ignore: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Every data table's and view's row count and an order-independent hash of its rows (without the
    `ignore` columns: when and by which run a delivery arrived differs between two workspaces). Views
    too: staging.asb_checked, a view, is worked out from two incrementally built tables."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        tables = con.execute("""SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN $schemas
                                UNION ALL
                                SELECT schema_name, view_name FROM duckdb_views() WHERE schema_name IN $schemas
                                ORDER BY ALL""", {"schemas": list(DATA_SCHEMAS)}).fetchall()
        return {f"{s}.{t}": con.execute(f"""SELECT count(*), sum(hash(t)::HUGEINT) FROM (
                                               SELECT COLUMNS(lambda c: NOT list_contains($ignore, c)) FROM "{s}"."{t}") AS t""",
                                        {"ignore": ["-", *ignore]}).fetchone()
                for s, t in tables}


RUN_SPECIFIC = ("received_at", "run_id")


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


ROLLING = "tables/1_01_all_crime.csv"   # the pack's table of all crime: rolling 12 months, year to date


def rolling_rows(outputs: Path) -> list[dict]:
    """The all-crime table without produced_by_run (each workspace has run ids of its own)."""
    with (outputs / ROLLING).open(encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in row.items() if k != "produced_by_run"} for row in csv.DictReader(fh)]


def release_files(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder (county, or the whole marts folder) by its path in it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
