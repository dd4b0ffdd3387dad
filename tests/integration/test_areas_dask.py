"""Several areas refreshed at once on a local Dask cluster (2 worker processes) give what the serial
refresh of the same areas gives; areas sharing a warehouse file are refused."""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import duckdb
import pytest

from csp import InputError
from tests.conftest import AS_OF, drop, query, workspace

pytestmark = pytest.mark.prefect

# area -> the police fixture files it receives
AREAS = {"north": ["previous_year.csv", "current_year.csv"], "south": ["current_year.csv"]}


def area_settings_files(base: Path) -> list[str]:
    """One settings file per area, each naming its own raw folder, warehouse and marts."""
    paths = []
    for area, files in AREAS.items():
        settings = dataclasses.replace(workspace(base / area), pack_documents=False)
        for name in files:
            drop(settings, "police_crime", name)
        text = (settings.text
                .replace('raw = "data/raw"', f'raw = "{settings.raw_dir}"')
                .replace('marts = "data/marts"', f'marts = "{settings.marts_dir}"')
                .replace('warehouse = "data/warehouse/csp.duckdb"', f'warehouse = "{settings.warehouse}"')
                .replace("documents = true", "documents = false")
                .replace("districts = true", "districts = false")
                .replace('[sources.police_crime]\nwindow_end = "auto"', '[sources.police_crime]\nwindow_end = "2025-10"'))
        path = base / area / "settings.toml"
        path.write_text(text)
        paths.append(str(path))
    return paths


def table_rows(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("""SELECT schema_name, table_name FROM duckdb_tables()
                                WHERE database_name = current_database() ORDER BY ALL""").fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in tables}


ROLLING = """SELECT area_type, area_name, offence_group, current_count, previous_count
             FROM comparisons.crime_rolling_12m ORDER BY ALL"""


class Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_areas_on_a_local_dask_cluster_match_the_serial_refresh(prefect_harness, tmp_path):
    from flows.areas import DASK_RUNNER_LOGGER, refresh_areas

    runner_log = Kept()
    logging.getLogger(DASK_RUNNER_LOGGER).addHandler(runner_log)
    try:
        on_dask = refresh_areas(area_settings_files(tmp_path / "dask"), AS_OF.isoformat(), dask_address="local")
    finally:
        logging.getLogger(DASK_RUNNER_LOGGER).removeHandler(runner_log)
    # the local cluster has no dashboard: no link to one (its scheduler's HTTP port answers 404 there)
    assert runner_log.messages[0].startswith("Creating a new Dask cluster")
    assert not [m for m in runner_log.messages if "dashboard" in m]
    serial = refresh_areas(area_settings_files(tmp_path / "serial")[:1], AS_OF.isoformat())   # north, one at a time

    assert [r["comparison"] for r in on_dask] == [
        "November 2024 – October 2025 compared with November 2023 – October 2024",
        "comparison not available: the previous 12 months (November 2023 – October 2024) have no data; "
        "data starts November 2024"]
    assert serial[0]["comparison"] == on_dask[0]["comparison"]
    north, south = workspace(tmp_path / "dask" / "north"), workspace(tmp_path / "dask" / "south")
    north_serial = workspace(tmp_path / "serial" / "north")
    assert table_rows(north.warehouse) == table_rows(north_serial.warehouse)
    assert query(north, ROLLING) == query(north_serial, ROLLING)
    county_all_crime = """SELECT current_count, previous_count FROM comparisons.crime_rolling_12m
                          WHERE area_type = 'county' AND offence_group = 'All crime'"""
    assert query(north, county_all_crime) == [(22, 16)]
    assert query(south, county_all_crime) == [(22, None)]
    for area in (north, south):   # each area's own warehouse and release, written by its own worker
        assert query(area, "SELECT status FROM meta.runs") == [("succeeded",)]
        assert (area.marts_dir / "county" / "run_manifest.json").is_file()


def test_areas_sharing_a_warehouse_are_refused(tmp_path):
    from flows.areas import check_one_writer

    first, second = area_settings_files(tmp_path)
    Path(second).write_text(Path(first).read_text())
    with pytest.raises(ValueError, match="both write .*csp.duckdb: each area needs its own warehouse file"):
        check_one_writer([first, second])


@pytest.mark.parametrize("threads", [1, 2])
def test_an_area_is_refreshed_only_on_a_worker_of_one_thread(threads):
    """Two areas refreshed at once in one worker process would share its matplotlib and Great Expectations
    state: a worker of two threads is refused before anything runs, one of one thread is not."""
    from distributed import Client, LocalCluster

    from flows.areas import check_one_thread

    check_one_thread()   # not on a Dask worker: nothing to refuse
    with LocalCluster(n_workers=1, threads_per_worker=threads, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        future = client.submit(check_one_thread, pure=False)
        if threads == 1:
            assert future.result() is None
        else:
            with pytest.raises(InputError, match="runs 2 threads: an area's refresh needs a worker process of its own"):
                future.result()
