"""The monthly refresh of several areas at once (e.g. every police force), fanned out over a Dask cluster.

DuckDB allows one writer per database file, so the unit of fan-out is an area: each area has its own
settings file, naming its own raw folder, warehouse file and marts folder, and its refresh is one task
running `csp.pipeline.run_refresh`, the same steps as the single-area flow. Two areas never write the
same file (checked before anything runs), so tasks need no coordination beyond the refresh lock each
warehouse already has.
"""
from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from csp import InputError, pipeline, show_progress
from csp.config import load_settings
from flows import LOCAL

LOCAL_WORKERS = 2


@task(name="refresh area", cache_policy=NO_CACHE, task_run_name="refresh {settings_path}")
def refresh_area_task(settings_path: str, as_of: str | None) -> dict:
    check_one_thread()
    show_progress()
    summary = pipeline.run_refresh(load_settings(settings_path), dt.date.fromisoformat(as_of) if as_of else None)
    return {"settings_path": settings_path, "run_id": summary.run_id, "data_version": summary.data_version,
            "comparison": summary.comparison, "outputs_dir": str(summary.outputs_dir),
            "published": summary.published.changed}


def check_one_thread() -> None:
    """Refuse to refresh on a Dask worker of more than one thread: two areas refreshed at once in one
    process would share matplotlib's state (charts are drawn on figures kept per process) and Great
    Expectations' context. Local clusters are made with one thread a worker; an existing one may not be."""
    try:
        from distributed import get_worker
        worker = get_worker()
    except ValueError:   # not on a Dask worker
        return
    if worker.state.nthreads > 1:
        raise InputError(f"the Dask worker at {worker.address} runs {worker.state.nthreads} threads: an area's refresh "
                           "needs a worker process of its own thread (start the workers with `dask worker "
                           "--nthreads 1 <scheduler address>`; run more workers for more areas at once)")


def check_one_writer(settings_paths: list[str]) -> None:
    """Refuse areas that share a warehouse file or an output folder: one writer per file."""
    seen: dict[Path, str] = {}
    for path in settings_paths:
        settings = load_settings(path)
        for target in (settings.warehouse.resolve(), settings.marts_dir.resolve()):
            if target in seen:
                raise InputError(f"{path} and {seen[target]} both write {target}: each area needs its own "
                                 "warehouse file and marts folder (DuckDB allows one writer per file)")
            seen[target] = path


@contextmanager
def api_for_workers():
    """Tasks on Dask worker processes report to the Prefect API in the settings they are sent. A
    temporary server's address is not in those settings (each worker would start a server of its
    own), so put the address this flow run uses there while submitting."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: str(get_client(sync_client=True).api_url)}):
        yield


@flow(name="monthly_refresh_areas", task_runner=ThreadPoolTaskRunner(max_workers=1))
def monthly_refresh_areas(settings_paths: list[str], as_of: str | None = None) -> list[dict]:
    """Refresh every area (one settings file each); one at a time unless run with a Dask task runner."""
    show_progress()
    check_one_writer(settings_paths)
    with api_for_workers():
        futures = [refresh_area_task.submit(path, as_of) for path in settings_paths]
    return [future.result() for future in futures]


def dask_runner(address: str):
    """A DaskTaskRunner on the cluster at `address`, or on a local cluster made for the run. Local
    workers are processes with one thread each: a refresh holds a Great Expectations context and
    matplotlib state that must not be shared between threads."""
    from prefect_dask import DaskTaskRunner

    if address == LOCAL:
        logging.getLogger(DASK_RUNNER_LOGGER).addFilter(_no_dashboard_link)   # once: the same filter is not added twice
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": LOCAL_WORKERS, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return DaskTaskRunner(address=address)


# the logger of prefect_dask's DaskTaskRunner (Prefect's task_runner.<name>)
DASK_RUNNER_LOGGER = "prefect.task_runner.dask"


def _no_dashboard_link(record: logging.LogRecord) -> bool:
    """A local cluster is made without the dashboard, but its scheduler still serves its HTTP endpoints on
    the dashboard's port, which prefect_dask then logs as 'The Dask dashboard is available at ...': a
    link to a page that is not there."""
    return not record.getMessage().startswith("The Dask dashboard is available")


def refresh_areas(settings_paths: list[str], as_of: str | None = None, dask_address: str | None = None) -> list[dict]:
    """The areas flow, on the Dask cluster at `dask_address` ('local' for one on this machine) or serially."""
    areas_flow = monthly_refresh_areas.with_options(task_runner=dask_runner(dask_address)) if dask_address \
        else monthly_refresh_areas
    return areas_flow(settings_paths=settings_paths, as_of=as_of)
