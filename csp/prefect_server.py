"""A persistent local Prefect server (API and UI) for scheduled runs.

The temporary server Prefect starts for a one-off run refuses to hold schedules and dies with its
process, so a deployment needs `prefect server start` running beside it. `ensure_server` uses the
one at the URL if it answers, or starts one and waits until it does.
"""
from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from csp.runlock import Holder, Locked, holding

# a closed network: no analytics calls home
SERVER_ENV = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
PR_SET_PDEATHSIG = 1   # linux/prctl.h


def _server_process(command: list[str], **popen) -> subprocess.Popen:
    """Start a Prefect server that only the process starting it stops, and that never outlives it.

    - Its own session: the terminal's Ctrl-C reaches every process of its foreground group at once,
      and a server in that group died before the refresh or the scheduler had told it that the run
      stopped, which Prefect then retried for minutes. Out of the group, the server is stopped after
      the run's last report (the refresh's exit handler, `serve`'s finally).
    - On Linux, SIGTERM when this process ends however it ends (SIGKILL, or SIGTERM, after which no
      exit handler runs): a server left behind would hold its port and memory until the machine restarts.
    """
    if sys.platform.startswith("linux"):
        prctl, parent = ctypes.CDLL(None, use_errno=True).prctl, os.getpid()

        def die_with_parent() -> None:
            prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != parent:   # the parent ended before the signal was asked for
                os._exit(1)
        popen["preexec_fn"] = die_with_parent
    return subprocess.Popen(command, start_new_session=True, **popen)


def api_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api"


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def prefect_home() -> Path:
    """Prefect's home, as Prefect finds it (read before Prefect is imported)."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def results_folder() -> Path:
    """Where the pipeline's flow runs keep their results: Prefect 3 pickles a failed run's exception, traceback
    and message (which can quote a partner's value) into its results storage whatever the flow asks, and never
    deletes it. A folder of the pipeline's own in Prefect's home (the CLI's default for
    PREFECT_RESULTS_LOCAL_STORAGE_PATH, not Prefect's shared `storage/`), so that prune_results deletes nothing
    of other flows'."""
    return prefect_home() / "csp-results"


def prune_results(keep_days: int) -> list[Path]:
    """Delete the results in results_folder() written more than `keep_days` days ago, as the persistent server
    deletes the runs they belong to (kept_for); return them. Only when Prefect writes there: a results folder
    the analyst set is theirs."""
    from prefect.settings import get_current_settings

    folder = results_folder()
    if Path(get_current_settings().results.local_storage_path).expanduser() != folder or not folder.is_dir():
        return []
    cutoff = time.time() - keep_days * 86400
    old = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < cutoff]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def kept_for(days: int) -> dict[str, str]:
    """The persistent server's settings that delete every flow run ended more than `days` days ago, with its
    logs and artifacts (Prefect's database vacuum, hourly; off by default, when Prefect keeps them for ever). Its
    database also holds the runs of `csp refresh`'s temporary servers (the same Prefect home), whose own vacuum
    does not run: this one deletes them too."""
    return {"PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events,flow_runs",
            "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD": str(days * 86400)}


def ensure_server(url: str, port: int, log_file: Path, keep_days: int,
                  timeout_s: float = 180) -> subprocess.Popen | None:
    """Return None if a server already answers at `url`; otherwise start `prefect server start`
    (output to `log_file`), keeping runs for `keep_days` days (kept_for), and return its process once it answers."""
    if healthy(url):
        return None
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # created 0640, restricted as the warehouse's files beside it are (README)
    with open(os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640), "ab") as log:
        server = _server_process(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **SERVER_ENV, **kept_for(keep_days)})
    deadline = time.monotonic() + timeout_s
    while not healthy(url):
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped while starting (exit {server.returncode}): see {log_file}")
        if time.monotonic() > deadline:
            server.terminate()
            raise RuntimeError(f"the Prefect server did not answer within {timeout_s:.0f} s: see {log_file}")
        time.sleep(0.5)
    return server


class ServeLocked(Locked):
    """Another `csp serve` serves on the port: a second would share its server, and lose it when the
    first stops."""

    def __init__(self, port: int, holder: Holder | None):
        who = f" ({holder.process()})" if holder else ""
        super().__init__(f"`csp serve` is already running on port {port}{who}: its UI is at "
                         f"{api_url(port).removesuffix('/api')}. Stop it (Ctrl-C) first, or serve on another "
                         "port (--port)", holder)


def serve_lock(port: int) -> contextlib.AbstractContextManager[Holder | None]:
    """One `csp serve` per port at a time, in the Prefect home its server keeps its database in."""
    return holding(prefect_home() / f"csp-serve-{port}.lock", f"csp serve on port {port}", dt.datetime.now(),
                   lambda _path, holder: ServeLocked(port, holder))


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class TemporaryServer:
    """The temporary Prefect server of a one-off run, started at once so that it comes up while this
    process imports the pipeline (Prefect would start the same server only when the flow begins, after
    importing its server code here, ~10 s, just to launch it). The same command and settings as
    Prefect's own temporary server (prefect.server.api.server.SubprocessASGIServer): its API without
    the UI, on a free local port; `wait()` returns its API URL once it answers."""

    def __init__(self, timeout_s: float = 120):
        self.timeout_s = timeout_s
        self.port = _free_port()
        self.url = api_url(self.port)
        env = {**os.environ, **SERVER_ENV, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1"}
        self.process = _server_process(
            [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self) -> str:
        deadline = time.monotonic() + self.timeout_s
        while not healthy(self.url):
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode(errors="replace")[-2000:] if self.process.stderr else ""
                raise RuntimeError(f"the temporary Prefect server stopped while starting (exit "
                                   f"{self.process.returncode}): {error}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the temporary Prefect server did not answer within {self.timeout_s:.0f} s")
            time.sleep(0.1)
        return self.url

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
