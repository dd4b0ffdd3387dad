"""The monthly refresh as a Prefect deployment: the flow on the schedule in config/settings.toml,
served from this machine by `./run csp serve` (which also starts the persistent Prefect server)."""
from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from csp.config import Settings
from flows.monthly_refresh import monthly_refresh

DEPLOYMENT_NAME = "monthly-refresh"
# a run a `csp serve` that stopped mid-run left unfinished: Prefect 3 sends no heartbeats by default, so nothing
# else ever ends it, and it holds the deployment's one concurrency slot, so every later run, scheduled ones
# too, waits behind it for ever
LEFT_BY_SERVE = ("the `csp serve` that ran it stopped before the run ended (Ctrl-C, a kill or a restart): "
                 "nothing is published from it; the refresh's lock and staged outputs left the warehouse and "
                 "outputs as they were or as it completed them")


def deployment(settings: Settings, parameters: dict) -> RunnerDeployment:
    """`parameters`: the flow's arguments every scheduled run gets (settings file, paths)."""
    return monthly_refresh.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[Cron(settings.schedule["cron"], timezone=settings.schedule["timezone"])],
        parameters=parameters,
        # Prefect queues a run due while the previous one is still going (the refresh lock would refuse it)
        concurrency_limit=1,
        description=f"Monthly refresh of the {settings.area_name} community safety assessment: ingest new partner "
                    "extracts, validate, build, publish (OFFICIAL-SENSITIVE outputs).",
        tags=["csp", "monthly"],
    )


def next_run(settings: Settings, after: dt.datetime | None = None) -> dt.datetime:
    """When the schedule next runs the refresh after `after` (now), in the schedule's time zone: by the
    same schedule class the Prefect server's scheduler uses, so what `csp serve` says is what it does."""
    from prefect.server.schemas.schedules import CronSchedule

    schedule = CronSchedule(cron=settings.schedule["cron"], timezone=settings.schedule["timezone"])
    [when] = asyncio.run(schedule.get_dates(n=1, start=after or dt.datetime.now(dt.timezone.utc)))
    return when.astimezone(ZoneInfo(settings.schedule["timezone"]))


def next_run_words(settings: Settings, after: dt.datetime | None = None) -> str:
    """"06:00 on Tuesday 5 January 2027 (Europe/London), then on the schedule '0 6 5 * *'"."""
    when = next_run(settings, after)
    return (f"{when:%H:%M} on {when:%A} {when.day} {when:%B %Y} ({settings.schedule['timezone']}), then on the "
            f"schedule '{settings.schedule['cron']}' (minute hour day month weekday)")


async def end_runs_left_unfinished() -> list[str]:
    """Mark the deployment's runs still running or pending as crashed (LEFT_BY_SERVE); returns their names.
    For `csp serve` to call as it starts and as it stops, holding the one serve lock of its server: no other
    process is running them then."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (DeploymentFilter, DeploymentFilterId, FlowRunFilter,
                                                FlowRunFilterState, FlowRunFilterStateType)
    from prefect.client.schemas.objects import StateType
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Crashed

    async with get_client() as client:
        try:
            served = await client.read_deployment_by_name(f"{monthly_refresh.name}/{DEPLOYMENT_NAME}")
        except ObjectNotFound:   # never served on this server yet
            return []
        unfinished = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[served.id])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
                any_=[StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]))))
        for run in unfinished:
            await client.set_flow_run_state(run.id, Crashed(message=LEFT_BY_SERVE), force=True)
        return [run.name for run in unfinished]
