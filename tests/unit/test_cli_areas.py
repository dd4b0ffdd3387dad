"""`csp refresh --area/--dask-address`: options that cannot work together are refused before anything runs;
a Dask cluster logs its warnings, not its INFO chatter."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

from csp.cli import PREFECT_DEFAULTS, main


def test_area_paths_come_from_the_area_settings_files(tmp_path, capsys):
    assert main(["--raw", str(tmp_path), "refresh", "--area", str(tmp_path / "a.toml")]) == 2
    assert "leave out --no-prefect, --raw, --marts and --warehouse" in capsys.readouterr().err


def test_a_remote_dask_cluster_needs_a_prefect_server_its_workers_can_reach(monkeypatch, capsys):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["refresh", "--dask-address", "tcp://10.0.0.5:8786"]) == 2
    assert "set PREFECT_API_URL to a Prefect server they can reach" in capsys.readouterr().err


def test_a_dask_cluster_logs_only_its_warnings_under_the_cli_defaults():
    """The CLI's defaults reach Dask's own logging set-up, in the refresh's process and its workers alike
    (each imports distributed afresh under the same environment); without them it logs at INFO."""
    level = "import logging, distributed; print(logging.getLogger('distributed').getEffectiveLevel())"
    plain = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    for env, expected in ((plain, logging.INFO), ({**plain, **PREFECT_DEFAULTS}, logging.WARNING)):
        out = subprocess.run([sys.executable, "-c", level], env=env, capture_output=True, text=True, check=True)
        assert int(out.stdout) == expected
