"""The scheduled deployment, checked without a server: what `./run csp serve` would register."""
from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from csp.config import load_settings


def test_deployment_runs_the_refresh_monthly_on_the_settings_schedule():
    from prefect.server.schemas.schedules import CronSchedule

    from flows.deployment import deployment

    dep = deployment(load_settings(), {"settings_path": "config/settings.toml"})
    assert (dep.name, dep.entrypoint) == ("monthly-refresh", "flows/monthly_refresh.py:monthly_refresh")
    assert dep.parameters == {"settings_path": "config/settings.toml"}
    assert dep.concurrency_limit == 1
    (schedule,) = dep.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == ("0 6 5 * *", "Europe/London", True)
    # the next two runs after 23 November 2026, in UK time (GMT in winter)
    server_side = CronSchedule(cron=schedule.schedule.cron, timezone=schedule.schedule.timezone)
    uk = ZoneInfo("Europe/London")
    runs = asyncio.run(server_side.get_dates(n=2, start=dt.datetime(2026, 11, 23, tzinfo=uk)))
    assert [r.isoformat() for r in runs] == ["2026-12-05T06:00:00+00:00", "2027-01-05T06:00:00+00:00"]
