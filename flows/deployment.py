"""The monthly refresh as a Prefect deployment: the flow on the schedule in config/settings.toml,
served from this machine by `./run csp serve` (which also starts the persistent Prefect server)."""
from __future__ import annotations

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from csp.config import Settings
from flows.monthly_refresh import monthly_refresh

DEPLOYMENT_NAME = "monthly-refresh"


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
