"""The monthly refresh as plain functions: ingest every source, build the models, publish.

The Prefect flow (flows/monthly_refresh.py) calls these same steps as tasks; tests call them
directly. Each step opens the warehouse itself, so steps can run as separate tasks.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from csp.catalogue import load_catalogue
from csp.config import Settings
from csp.contracts import available_sources
from csp.ingest.deliveries import DeliveryResult, ingest_source
from csp.marts.publish import publish_district_marts
from csp.publish.manifest import write_manifest
from csp.publish.model import Stamp
from csp.publish.pack import publish_pack
from csp.publish.release import staged_release
from csp.runs import code_version, data_version, new_run_id
from csp.warehouse import connect, run as run_sql, set_variables
from transforms.build import build_models, build_reference

log = logging.getLogger("csp")


@dataclass(frozen=True)
class Run:
    settings: Settings
    run_id: str
    started_at: dt.datetime
    as_of: dt.date

    def warehouse(self) -> duckdb.DuckDBPyConnection:
        con = connect(self.settings.warehouse)
        set_variables(con, self.settings, self.as_of)
        return con


@dataclass
class RefreshSummary:
    run_id: str
    outputs_dir: Path
    deliveries: list[DeliveryResult] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    comparison: str = ""


def start_run(settings: Settings, as_of: dt.date | None = None) -> Run:
    now = dt.datetime.now().replace(microsecond=0)
    run = Run(settings, new_run_id(dt.datetime.now()), now, as_of or now.date())
    with run.warehouse() as con:
        run_sql(con, "ops/start_run", {"run_id": run.run_id, "started_at": now, "code_version": code_version()})
    log.info("run %s started (as of %s)", run.run_id, run.as_of.isoformat())
    return run


def ingest(run: Run, source: str) -> list[DeliveryResult]:
    with run.warehouse() as con:
        results = ingest_source(con, source, run.settings.raw_dir, run.run_id)
    new = [r for r in results if r.status != "unchanged"]
    log.info("%s: %d file(s), %d new (%d loaded, %d quarantined)", source, len(results), len(new),
             sum(r.status == "loaded" for r in new), sum(r.status == "quarantined" for r in new))
    return results


def build(run: Run) -> None:
    catalogue = load_catalogue(run.settings.catalogue, run.settings.series_breaks)
    with run.warehouse() as con:
        build_reference(con)
        build_models(con, catalogue)


def publish(run: Run) -> tuple[Path, list[Path], str]:
    """Write the county outputs into a staging folder and swap them in at once."""
    settings = run.settings
    with run.warehouse() as con:
        checksums = [r[0] for r in run_sql(con, "ops/delivery_checksums")]
        catalogue = load_catalogue(settings.catalogue, settings.series_breaks)
        version = data_version(checksums, settings.text + catalogue.sha256, run.as_of)
        run_sql(con, "ops/stamp_run", {"run_id": run.run_id, "data_version": version})
        first = run_sql(con, "ops/first_run_of_version", {"data_version": version})[0]
        stamp = Stamp(settings.marking, settings.area_name, first[0], first[1], version)
        destination = settings.marts_dir / "county"
        with staged_release(destination, run.run_id) as staging:
            files = publish_pack(con, staging, stamp, documents=settings.pack_documents)
            publish_district_marts(con, settings, stamp, run.run_id)
            window = con.table("facts.source_windows").filter("source = 'police_crime'").df().iloc[0]
            comparison = (f"{window['current_period']} compared with {window['previous_period']}"
                          if window["comparison_available"] else str(window["comparison_status"]))
            files.append(write_manifest(con, staging, stamp, files, catalogue_version=catalogue.sha256))
    return destination, [destination / f.relative_to(staging) for f in files], comparison


def finish_run(run: Run, status: str) -> None:
    with run.warehouse() as con:
        run_sql(con, "ops/finish_run", {"run_id": run.run_id, "status": status, "finished_at": dt.datetime.now()})


def run_refresh(settings: Settings, as_of: dt.date | None = None, *,
                steps: tuple[Callable, Callable, Callable] = (ingest, build, publish)) -> RefreshSummary:
    """The whole refresh. `steps` (ingest, build, publish) lets the Prefect flow run each step
    as a task; by default they run as plain calls in this process."""
    do_ingest, do_build, do_publish = steps
    run = start_run(settings, as_of)
    try:
        deliveries = [r for source in available_sources() for r in do_ingest(run, source)]
        do_build(run)
        outputs_dir, outputs, comparison = do_publish(run)
    except BaseException:
        finish_run(run, "failed")
        raise
    finish_run(run, "succeeded")
    return RefreshSummary(run.run_id, outputs_dir, deliveries, outputs, comparison)
