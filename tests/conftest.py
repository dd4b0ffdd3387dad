"""Shared test fixtures: a throwaway workspace (raw folder, marts, warehouse) per test."""
from __future__ import annotations

import dataclasses
import os
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from csp.config import load_settings

FIXTURES = Path(__file__).parent / "fixtures"
# `./run pytest` from another folder: the tests run in the repository (./run changes to it), and the
# command lines they run take a relative path from there, not from the folder ./run was called from
os.environ.pop("CSP_CALLER_DIR", None)
def _shared_data() -> Path:
    """Real public samples: $CSP_SHARED_DATA, else ../shared/data beside the repository."""
    candidates = [os.environ.get("CSP_SHARED_DATA"), Path(__file__).resolve().parents[2] / "shared" / "data",
                  Path("/work/shared/data")]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), Path(candidates[1]))


SHARED_DATA = _shared_data()
AS_OF = dt.date(2026, 11, 23)


def workspace(base: Path, pack_documents: bool = False, district_marts: bool = False):
    """Settings pointing at an empty workspace under `base`, police window fixed at October 2025 (the
    police fixture's); every other source's window is "auto". The pack's document and charts (~5 s a
    refresh) and the district marts (~15 s) only for the tests that read them."""
    settings = load_settings().with_paths(raw_dir=base / "raw", marts_dir=base / "marts",
                                          warehouse=base / "warehouse" / "csp.duckdb")
    return dataclasses.replace(settings, window_end={"police_crime": "2025-10"}, pack_documents=pack_documents,
                               district_marts=district_marts)


@pytest.fixture
def settings(tmp_path):
    return workspace(tmp_path)


def drop(settings, source: str, fixture: str | Path, name: str | None = None) -> Path:
    """Deliver a fixture file into the raw folder, as a partner would."""
    src = fixture if isinstance(fixture, Path) else FIXTURES / source / fixture
    dest = settings.raw_dir / source / (name or src.name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


def settings_file(settings, folder: Path) -> Path:
    """The fixture's settings as a file, for a refresh in another process (CLI, subprocess): its
    police window, and its pack documents (county, districts) and district marts on or off as in `settings`."""
    path = folder / "settings.toml"
    path.write_text(settings.text
                    .replace('[sources.police_crime]\nwindow_end = "auto"', '[sources.police_crime]\nwindow_end = "2025-10"')
                    .replace("\ndocuments = true", f"\ndocuments = {str(settings.pack_documents).lower()}")
                    .replace("\npack_documents = true",
                             f"\npack_documents = {str(settings.district_pack_documents).lower()}")
                    .replace("districts = true", f"districts = {str(settings.district_marts).lower()}"))
    return path


def cli_args(settings, folder: Path) -> list[str]:
    """Command-line options that point the CLI at the fixture's workspace."""
    return ["--settings", str(settings_file(settings, folder)), "--raw", str(settings.raw_dir),
            "--marts", str(settings.marts_dir), "--warehouse", str(settings.warehouse)]


def hand_built(warehouse: Path, as_of: dt.date) -> duckdb.DuckDBPyConnection:
    """A warehouse for building facts models from tables a test writes by hand: the run's variables, the
    reference tables, one loaded police delivery (id 1) and an empty facts schema."""
    from csp.warehouse import connect, execute, set_variables
    from transforms.build import build_reference

    con = connect(warehouse)
    set_variables(con, load_settings(), as_of)
    build_reference(con)
    execute(con, """INSERT INTO meta.deliveries (delivery_id, source, form, file_name, file_path, checksum,
                                                 size_bytes, received_at, run_id, status, rows_received)
                    VALUES (1, 'police_crime', 'restricted', 'f', 'f', 'x', 1, now(), 'r', 'loaded', 1)""")
    execute(con, "CREATE SCHEMA IF NOT EXISTS facts")
    return con


def police_crime_only(con: duckdb.DuckDBPyConnection) -> None:
    """A hand_built warehouse's build variables with staging.police_crime_checked (written by the test) as the
    one checked table, its window automatic, and no population delivered (staging.population empty)."""
    from csp.warehouse import execute

    execute(con, "SET VARIABLE checked_tables = ['staging.police_crime_checked']")
    execute(con, "SET VARIABLE window_end_settings = map(['police_crime'], ['auto'])")
    execute(con, "CREATE TABLE staging.population (lad_code VARCHAR, mid_year INTEGER, population BIGINT, "
                 "_delivery_id INTEGER, _source_file VARCHAR)")


def workbook_tables(path: Path) -> dict[str, "pd.DataFrame"]:
    """Every table sheet of a workbook (csp.publish.workbook), its columns under their names in the data
    files, as an analyst moving between the workbook and the CSV reads them: the headings in words
    mapped back by the workbook's Columns sheet, and so are those a row's Columns suppressed lists; a value
    withheld ([c]) blank, as in the files. Each table is read where the sheet's Excel table (or, with no
    rows, its filter) says it is. The Cover, Contents and Columns sheets are left out; so are the marking
    and run the files give on every row (workbook.ROW_STAMP), which a sheet states above its table."""
    import openpyxl
    import pandas as pd
    from openpyxl.utils import range_boundaries

    from csp.publish.formats import SUPPRESSED_COLUMNS
    from csp.publish.workbook import COLUMNS, CONTENTS, COVER, HEADINGS_APART, WITHHELD

    book = openpyxl.load_workbook(path)
    names = dict(row[:2] for ws in [book[COLUMNS]] for ref in [t.ref for t in ws.tables.values()]
                 for row in _cells(ws, ref)[1:])
    tables = {}
    for ws in book.worksheets:
        refs = [t.ref for t in ws.tables.values()] or ([ws.auto_filter.ref] if ws.auto_filter.ref else [])
        if ws.title in (COVER, CONTENTS, COLUMNS) or not refs:
            continue
        assert len(refs) == 1, ws.title
        top, *rows = _cells(ws, refs[0])
        assert range_boundaries(refs[0])[:2] == (1, ws.max_row - len(rows)), f"{ws.title}: rows below its table"
        # a withheld value, [c] in the workbook, is blank in the data files
        table = pd.DataFrame([[None if v == WITHHELD else v for v in row] for row in rows],
                             columns=[names[h] for h in top])
        if SUPPRESSED_COLUMNS in table:
            table[SUPPRESSED_COLUMNS] = table[SUPPRESSED_COLUMNS].map(
                lambda words: ", ".join(names[h] for h in words.split(HEADINGS_APART)) if isinstance(words, str)
                else words)
        tables[ws.title] = table
    return tables


def _cells(ws, ref: str) -> list[tuple]:
    """The values of a sheet's range ("A8:X36"), row by row."""
    from openpyxl.utils import range_boundaries

    left, top, right, bottom = range_boundaries(ref)
    return list(ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right, values_only=True))


def query(settings, statement: str, params=None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(statement, params or {}).fetchall()


@pytest.fixture(scope="session")
def refreshed_once(tmp_path_factory):
    """The hand-counted police crime fixture (both years) refreshed once for the whole session, so the
    tests that only read its warehouse and outputs share one refresh. Read it; never change it."""
    from csp.pipeline import run_refresh

    settings = workspace(tmp_path_factory.mktemp("refreshed_once"), pack_documents=True)
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    return settings, run_refresh(settings, AS_OF)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every flow test of the session (its start dominates their time)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield



# The suite runs on two workers (pytest-xdist; pyproject's addopts: -n 2 --dist loadfile), each group
# of tests on one worker: a module is a group, so its module fixtures are set up once, and the modules
# sharing a costly session fixture are one group, so it is set up once (the Prefect server starts once,
# `refreshed_once` is refreshed once). A module using one of them that is not listed here still
# passes, on whichever worker (the fixture is then set up on both).
SESSION_GROUPS = {"tests/integration/test_flow.py": "prefect_harness",
                  "tests/integration/test_areas_dask.py": "prefect_harness",
                  "tests/integration/test_pack.py": "refreshed_once",
                  "tests/integration/test_refresh_police_crime.py": "refreshed_once"}
# The slowest groups go first (each many full refreshes, or a Prefect server), so that the two
# workers finish together rather than one starting a long module when the other is done.
SLOWEST_FIRST = ("tests/integration/test_refresh_recovery.py", "tests/integration/test_refresh_operation.py",
                 "prefect_harness", "refreshed_once", "tests/integration/test_district_marts.py")


def worker_group(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return SESSION_GROUPS.get(module, module)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile, with the modules of SESSION_GROUPS grouped by their session fixture."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return GroupScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput"):   # on a worker of pytest-xdist: the order the groups are handed out in
        rank = {group: i for i, group in enumerate(SLOWEST_FIRST)}
        items.sort(key=lambda item: rank.get(worker_group(item.nodeid), len(rank)))
