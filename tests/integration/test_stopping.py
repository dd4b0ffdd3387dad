"""Stopping a refresh or the scheduler: Ctrl-C ends either at once, and no Prefect server outlives
the process that started it, however that process ends.

Each test runs the command line in a process group of its own, as a terminal runs a command: the
terminal's Ctrl-C is SIGINT to every process of that group, which the tests send the same way."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from csp.prefect_server import healthy
from csp.runlock import lock_path
from tests.conftest import AS_OF, cli_args, drop, query
from tests.integration.operation import REPO

pytestmark = pytest.mark.prefect


@pytest.fixture
def cli(settings, tmp_path):
    """Start `python -m csp.cli` in a process group of its own, with no Prefect server named (so the
    command starts its own), output to a file the test reads while it runs; whatever is still
    running at the end of the test is killed."""
    started = []

    def start(*command: str, sigint_ignored: bool = False, **env: str) -> subprocess.Popen:
        """sigint_ignored: started as a script's background job is, with SIGINT ignored (its shell's doing)."""
        environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        with (tmp_path / "output.txt").open("w") as log:
            process = subprocess.Popen([sys.executable, "-m", "csp.cli", *cli_args(settings, tmp_path), *command],
                                       cwd=REPO, env={**environment, "PREFECT_HOME": str(tmp_path / "prefect"), **env},
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                       preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
                                       if sigint_ignored else None)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _output(folder) -> str:
    return (folder / "output.txt").read_text(encoding="utf-8", errors="replace")


def _server_url(folder) -> str:
    """The Prefect API the run reported to, from the flow run's link in the log."""
    return re.search(r"View at (http://127\.0\.0\.1:\d+)/", _output(folder)).group(1) + "/api"


def _gone(url: str, within_s: float = 20) -> bool:
    deadline = time.monotonic() + within_s
    while healthy(url):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_ctrl_c_stops_a_refresh_at_once_and_the_next_run_completes(cli, settings, tmp_path):
    """Ctrl-C during the build: the run ends within seconds, says so, is recorded as failed and holds
    no lock; its temporary Prefect server is stopped. When the server was in the terminal's group it
    died with the same Ctrl-C: Prefect retried reporting the crash to it for over a minute, and the
    refresh then ended with exit code 1."""
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    refresh = cli("refresh", "--as-of", AS_OF.isoformat(), CSP_INTERRUPT_AT="build:model")
    assert refresh.wait(timeout=90) == 130, _output(tmp_path)
    assert "csp: interrupted. The published outputs are the last complete release" in _output(tmp_path)
    assert _gone(_server_url(tmp_path))
    assert query(settings, "SELECT status FROM meta.runs") == [("failed",)]
    assert not (settings.marts_dir / "county").exists()   # nothing was published
    assert lock_path(settings.warehouse).read_text() == ""   # released, not left by a run that died

    again = subprocess.run([sys.executable, "-m", "csp.cli", *cli_args(settings, tmp_path), "refresh", "--no-prefect",
                            "--as-of", AS_OF.isoformat()], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert query(settings, "SELECT status FROM meta.runs ORDER BY started_at, run_id") == [("failed",), ("succeeded",)]


@pytest.mark.parametrize("stop, prefect, in_query, code, words", [
    ("CSP_TERMINATE_AT", True, True, 143, "csp: stopped by a termination signal (SIGTERM)."),
    ("CSP_TERMINATE_AT", True, False, 143, "csp: stopped by a termination signal (SIGTERM)."),
    ("CSP_INTERRUPT_AT", False, True, 130, "csp: interrupted."),
    ("CSP_TERMINATE_AT", False, False, 143, "csp: stopped by a termination signal (SIGTERM)."),
], ids=["sigterm-in-a-query", "sigterm-between-queries", "ctrl-c-in-a-query-no-prefect", "sigterm-no-prefect"])
def test_a_stop_during_a_query_or_without_prefect_ends_in_words(cli, settings, tmp_path, stop, prefect, in_query,
                                                                  code, words):
    """A signal that arrives while DuckDB runs a query surfaced as DuckDB's RuntimeError('Query
    interrupted'): exit 1 and a traceback (Prefect's too) rather than the stop's one line. Without
    Prefect, SIGTERM ended the process at once, leaving its run 'running' and its lock to be found
    by the next run. Between queries with Prefect, Prefect's own handler ended the process with the
    signal, without a word. Either way the run is now recorded as failed and the lock released."""
    drop(settings, "police_crime", "previous_year.csv")
    refresh = cli("refresh", "--as-of", AS_OF.isoformat(), *([] if prefect else ["--no-prefect"]),
                  **{stop: "build:model", "CSP_SIGNAL_IN_QUERY": "1" if in_query else "0"})
    assert refresh.wait(timeout=90) == code, _output(tmp_path)
    assert f"{words} The published outputs are the last complete release" in _output(tmp_path)
    assert "Traceback" not in _output(tmp_path) and "Query interrupted" not in _output(tmp_path)
    if prefect:
        assert _gone(_server_url(tmp_path))
    assert query(settings, "SELECT status FROM meta.runs") == [("failed",)]
    assert lock_path(settings.warehouse).read_text() == ""


def test_a_killed_refresh_leaves_no_prefect_server_behind(cli, settings, tmp_path):
    """kill -9 (or the OOM killer) runs no exit handler: the temporary server used to be left
    running, holding its port and memory, after every such run."""
    drop(settings, "police_crime", "previous_year.csv")
    refresh = cli("refresh", "--as-of", AS_OF.isoformat(), CSP_KILL_AT="build:model")
    assert refresh.wait(timeout=90) == -signal.SIGKILL, _output(tmp_path)
    assert _gone(_server_url(tmp_path))


def _serving(cli, tmp_path, **start) -> tuple[subprocess.Popen, int]:
    """`csp serve` on a free port, once it serves the deployment, and the port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    serve = cli("serve", "--port", str(port), **start)
    deadline = time.monotonic() + 180   # the server's own start allows as long (ensure_server)
    while "being served" not in _output(tmp_path):
        assert serve.poll() is None and time.monotonic() < deadline, _output(tmp_path)
        time.sleep(0.5)
    return serve, port


def _ends_serving(serve: subprocess.Popen, tmp_path, port: int) -> None:
    """The serve ends within 150 s, exit 0, saying so, its server gone. Prefect's runner, the runs' check and
    the server's own stop (up to 30 s) take a while on a busy machine (~2 s alone); past that, it is killed
    and the test fails with its output and the server's log."""
    try:
        code = serve.wait(timeout=150)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
        server_logs = "".join(p.read_text(errors="replace")[-3000:] for p in tmp_path.rglob("prefect-server.log"))
        pytest.fail(f"csp serve did not end within 150 s of the signal:\n{_output(tmp_path)}\n{server_logs}")
    assert code == 0, _output(tmp_path)
    assert "csp: serving stopped: no refresh runs on the schedule until `csp serve` is started again." in _output(tmp_path)
    assert _gone(f"http://127.0.0.1:{port}/api")


def test_ctrl_c_stops_serving_and_the_server(cli, tmp_path):
    """`csp serve`, stopped by Ctrl-C once it serves the deployment: it stops its persistent server
    and ends, also when started with SIGINT ignored, as a script's background job is (it served on,
    and only SIGKILL ended it). (Prefect pauses the deployment on the way out when the Ctrl-C comes
    after the runner has started, a moment after the message this waits for: not asserted.) A second
    `csp serve` on the same port is refused while the first runs: it used the first one's server, and
    lost it when the first stopped."""
    serve, port = _serving(cli, tmp_path, sigint_ignored=True)
    second = subprocess.run([sys.executable, "-m", "csp.cli", "serve", "--port", str(port)], cwd=REPO,
                            env={**{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
                                 "PREFECT_HOME": str(tmp_path / "prefect")}, capture_output=True,
                            text=True, timeout=60)
    assert second.returncode == 3, second.stderr
    assert (f"csp: refused: `csp serve` is already running on port {port} (pid {serve.pid} on "
            f"{socket.gethostname()}, started ") in second.stderr
    # so is one told to use that server (PREFECT_API_URL, as the README has `deployment run` use): stopping, it
    # paused the deployment the first one still served
    third = subprocess.run([sys.executable, "-m", "csp.cli", "serve"], cwd=REPO, capture_output=True, text=True,
                           env={**os.environ, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
                                "PREFECT_HOME": str(tmp_path / "prefect")}, timeout=60)
    assert third.returncode == 3, third.stderr
    assert f"csp: refused: `csp serve` is already running on port {port} (pid {serve.pid} on " in third.stderr
    assert healthy(f"http://127.0.0.1:{port}/api")   # the first one's server, still serving
    # its log beside the warehouse, restricted as the warehouse's files are (it was 0644)
    assert (tmp_path / "warehouse" / "prefect-server.log").stat().st_mode & 0o777 == 0o640
    os.killpg(serve.pid, signal.SIGINT)
    _ends_serving(serve, tmp_path, port)


def test_sigterm_stops_serving_as_ctrl_c_does(cli, tmp_path):
    """A supervisor's SIGTERM (systemd, `kill`): the same end as Ctrl-C, exit 0, the server stopped. It ended
    with Prefect's warning of a coroutine never awaited and without a word of csp's."""
    serve, port = _serving(cli, tmp_path)
    os.killpg(serve.pid, signal.SIGTERM)
    _ends_serving(serve, tmp_path, port)
    assert "never awaited" not in _output(tmp_path)
