"""Prefect flow for the monthly refresh. Thin: each task is one step of csp.pipeline."""
from __future__ import annotations

import datetime as dt
import re

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from csp import pipeline, show_progress
from csp.config import load_settings
from csp.prefect_server import prune_results


@task(name="ingest", cache_policy=NO_CACHE, task_run_name="ingest {source}")
def ingest_task(run: pipeline.Run, source: str):
    return pipeline.ingest(run, source)


@task(name="build", cache_policy=NO_CACHE)
def build_task(run: pipeline.Run) -> tuple[str, bool]:
    return pipeline.build(run)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(run: pipeline.Run, version: str, built: bool = True) -> pipeline.Published:
    return pipeline.publish(run, version, built)


def _count(value: int | None) -> str:
    """A 12-month count, or nothing where the 12 months are not all covered by data."""
    return "" if value is None else format(value, ",")


def _code(text: str) -> str:
    """`text` as a Markdown code span that no backtick in it (a partner's file name) can close early: fenced
    with one backtick more than its longest run, padded where it begins or ends with one (CommonMark)."""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _change(row: dict) -> str:
    if row["change"] is None:
        return "not available"
    pct = f" ({row['pct_change']:+.1f}%)" if row["pct_change"] is not None else ""
    return f"{row['change']:+,}{pct}"


def summary_markdown(summary: pipeline.RefreshSummary) -> str:
    """The run in words: what arrived, what was rejected, what changed in the headline figures."""
    report = summary.report
    quarantined = [d for d in report.deliveries if d["status"] == "quarantined"]
    lines = [
        f"## Monthly refresh {summary.run_id}",
        "",
        f"- **Comparison (police recorded crime):** {summary.comparison}",
        f"- **New deliveries:** {report.deliveries_in_words()}",
        f"- **Derived tables:** {'rebuilt' if summary.built else 'unchanged (nothing new)'}; data version {_code(summary.data_version)}",
        f"- **Outputs:** {'published to' if summary.published.changed else 'unchanged in'} {_code(str(summary.outputs_dir))} "
        f"(stamped with run {summary.published.stamp_run_id})",
    ]
    # a scheduled run's page says what the log warned of the months compared (data overdue, months missing)
    lines += [f"- **Warning:** {w}" for w in report.windows]
    for d in quarantined:
        lines.append(f"- Quarantined {_code(d['file_name'])}: its reason is in the data-quality report, "
                     f"{_code(str(summary.published.quality_report))}")
    for n in summary.not_read:
        lines.append(f"- Not read: {_code(n.path)} {n.why}")
    if report.headlines:
        lines += ["", "| offence group | latest 12 months | previous 12 months | change |", "|---|---:|---:|---:|"]
        lines += [f"| {h['offence_group']} | {_count(h['current_count'])} | {_count(h['previous_count'])} | {_change(h)} |"
                  for h in report.headlines]
    return "\n".join(lines) + "\n"


def record_artifacts(summary: pipeline.RefreshSummary) -> None:
    report = summary.report
    create_table_artifact(
        key="deliveries", table=report.deliveries or [{"file_name": "(none)", "status": "no new deliveries"}],
        description=f"Deliveries received by run {summary.run_id}: rows received, loaded, quarantined",
    )
    create_table_artifact(
        key="quarantined-rows", table=report.quarantines or [{"file_name": "(none)", "reject_code": "no rows quarantined"}],
        description=f"Rows quarantined in run {summary.run_id}'s deliveries, by file and reason",
    )
    create_table_artifact(
        key="headline-changes", table=[{**h, "change": _change(h)} for h in report.headlines],
        description=f"County headline changes: {summary.comparison}",
    )
    create_markdown_artifact(key="refresh-summary", markdown=summary_markdown(summary),
                             description=f"Monthly refresh {summary.run_id}")


@flow(name="monthly_refresh")
def monthly_refresh(settings_path: str | None = None, as_of: str | None = None, raw_dir: str | None = None,
                    marts_dir: str | None = None, warehouse: str | None = None) -> dict:
    """Ingest every source's new deliveries, validate, build the models and publish the outputs."""
    show_progress()
    settings = load_settings(settings_path).with_paths(raw_dir=raw_dir, marts_dir=marts_dir, warehouse=warehouse)
    prune_results(settings.prefect_keep_days)   # earlier failed runs' pickled errors, as their runs are deleted
    summary = pipeline.run_refresh(settings, dt.date.fromisoformat(as_of) if as_of else None,
                                   steps=(ingest_task, build_task, publish_task))
    record_artifacts(summary)
    return {"run_id": summary.run_id, "outputs_dir": str(summary.outputs_dir), "comparison": summary.comparison,
            "outputs": [str(p) for p in summary.outputs], "published": summary.published.changed,
            "quality_report": str(summary.published.quality_report),
            "new_deliveries": summary.report.deliveries_in_words()}
