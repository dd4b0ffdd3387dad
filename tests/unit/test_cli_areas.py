"""`csp refresh --area/--dask-address`: options that cannot work together are refused before anything runs."""
from __future__ import annotations

from csp.cli import main


def test_area_paths_come_from_the_area_settings_files(tmp_path, capsys):
    assert main(["--raw", str(tmp_path), "refresh", "--area", str(tmp_path / "a.toml")]) == 2
    assert "leave out --no-prefect, --raw, --marts and --warehouse" in capsys.readouterr().err


def test_a_remote_dask_cluster_needs_a_prefect_server_its_workers_can_reach(monkeypatch, capsys):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["refresh", "--dask-address", "tcp://10.0.0.5:8786"]) == 2
    assert "set PREFECT_API_URL to a Prefect server they can reach" in capsys.readouterr().err
