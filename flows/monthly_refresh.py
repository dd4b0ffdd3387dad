"""Prefect flow for the monthly refresh. Thin: each task is one step of csp.pipeline."""
from __future__ import annotations

import datetime as dt

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from csp import pipeline
from csp.config import load_settings


@task(name="ingest", cache_policy=NO_CACHE, task_run_name="ingest {source}")
def ingest_task(run: pipeline.Run, source: str):
    return pipeline.ingest(run, source)


@task(name="build", cache_policy=NO_CACHE)
def build_task(run: pipeline.Run) -> None:
    pipeline.build(run)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(run: pipeline.Run):
    return pipeline.publish(run)


@flow(name="monthly_refresh")
def monthly_refresh(settings_path: str | None = None, as_of: str | None = None, raw_dir: str | None = None,
                    marts_dir: str | None = None, warehouse: str | None = None) -> dict:
    """Ingest every source's new deliveries, validate, build the models and publish the outputs."""
    settings = load_settings(settings_path).with_paths(raw_dir=raw_dir, marts_dir=marts_dir, warehouse=warehouse)
    summary = pipeline.run_refresh(settings, dt.date.fromisoformat(as_of) if as_of else None,
                                   steps=(ingest_task, build_task, publish_task))
    new = [d for d in summary.deliveries if d.status != "unchanged"]
    create_table_artifact(
        key="deliveries",
        table=[{"file": d.file_name, "status": d.status, "rows": d.rows, "reason": d.reason} for d in new]
        or [{"file": "(none)", "status": "no new deliveries", "rows": 0, "reason": ""}],
        description=f"Deliveries ingested by run {summary.run_id}",
    )
    create_markdown_artifact(
        key="refresh-summary",
        markdown=f"## Monthly refresh {summary.run_id}\n\n- Comparison: {summary.comparison}\n"
                 f"- New deliveries: {len(new)} ({sum(d.status == 'quarantined' for d in new)} quarantined)\n"
                 f"- Outputs: `{summary.outputs_dir}`\n",
    )
    return {"run_id": summary.run_id, "outputs_dir": str(summary.outputs_dir), "comparison": summary.comparison,
            "outputs": [str(p) for p in summary.outputs]}
