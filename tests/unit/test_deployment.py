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


def test_the_persistent_server_deletes_runs_older_than_the_settings_keep(monkeypatch, tmp_path):
    """`csp serve`'s server deletes each flow run ended more than [schedule] prefect_keep_days ago with its logs and
    artifacts (Prefect's database vacuum, off by default: Prefect kept every run's log, which can quote a partner's
    value, for ever); the settings as Prefect reads them from the server's environment."""
    from prefect.settings.models.server.services import ServerServicesDBVacuumSettings

    from csp import prefect_server

    started = {}
    monkeypatch.setattr(prefect_server, "_server_process", lambda command, **popen: started.update(popen) or "server")
    answers = iter([False, True])
    monkeypatch.setattr(prefect_server, "healthy", lambda url: next(answers))
    keep = load_settings().prefect_keep_days
    assert keep == 90
    assert prefect_server.ensure_server("http://127.0.0.1:4299/api", 4299, tmp_path / "server.log",
                                        keep_days=keep) == "server"
    for name in ("PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED", "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD"):
        monkeypatch.setenv(name, started["env"][name])
    vacuum = ServerServicesDBVacuumSettings()
    assert vacuum.enabled_vacuum_types == {"events", "flow_runs", "orphans"}
    assert vacuum.retention_period == dt.timedelta(days=90)


def test_the_cli_keeps_flow_results_in_the_pipelines_own_folder_unless_told_otherwise(monkeypatch, tmp_path):
    """The folder the flow prunes (csp.prefect_server.prune_results), in Prefect's home; a folder the analyst
    set is used as set, and never pruned."""
    import os

    from csp import cli

    for key in [*cli.PREFECT_DEFAULTS, "PREFECT_RESULTS_LOCAL_STORAGE_PATH"]:
        monkeypatch.delenv(key, raising=False)   # restored after the test, as were they set or not
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    cli._prefect_defaults()
    assert os.environ["PREFECT_RESULTS_LOCAL_STORAGE_PATH"] == str(tmp_path / "csp-results")
    monkeypatch.setenv("PREFECT_RESULTS_LOCAL_STORAGE_PATH", "/srv/results")
    cli._prefect_defaults()
    assert os.environ["PREFECT_RESULTS_LOCAL_STORAGE_PATH"] == "/srv/results"


def test_a_file_name_with_backticks_stays_inside_its_code_span_in_the_run_summary():
    # a partner's file name in the refresh-summary artifact: its backticks must not end the span and let the
    # rest of the name be read as Markdown
    from flows.monthly_refresh import _code

    assert _code("crimes.csv") == "`crimes.csv`"
    assert _code("a`b``c.csv") == "```a`b``c.csv```"
    assert _code("`x` [link](http://example.com).csv") == "`` `x` [link](http://example.com).csv ``"


def test_next_run_is_said_in_the_schedules_own_time_zone():
    """The shipped schedule, 06:00 on the 5th, UK time: in winter 06:00 GMT, in summer 06:00 BST (05:00 UTC);
    a moment just after a run gives the month after."""
    from flows.deployment import next_run, next_run_words

    settings = load_settings()
    assert settings.schedule["cron"] == "0 6 5 * *" and settings.schedule["timezone"] == "Europe/London"
    utc = dt.timezone.utc
    assert next_run_words(settings, dt.datetime(2026, 12, 7, 23, 0, tzinfo=utc)) == (
        "06:00 on Tuesday 5 January 2027 (Europe/London), then on the schedule '0 6 5 * *' (minute hour day month "
        "weekday)")
    summer = next_run(settings, dt.datetime(2027, 3, 28, 12, 0, tzinfo=utc))
    assert summer.isoformat() == "2027-04-05T06:00:00+01:00"
    assert next_run(settings, dt.datetime(2027, 4, 5, 5, 0, 1, tzinfo=utc)).date() == dt.date(2027, 5, 5)
