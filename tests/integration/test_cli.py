import errno
import subprocess
import sys

import duckdb
import pytest

from csp.cli import main


def test_help_explains_every_command():
    out = subprocess.run([sys.executable, "-m", "csp.cli", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("demo", "refresh", "synth", "contracts", "marts"):
        assert command in out


def test_missing_settings_file_is_a_clear_error(tmp_path, capsys):
    assert main(["--settings", str(tmp_path / "nope.toml"), "refresh", "--no-prefect"]) == 2
    assert "settings file not found" in capsys.readouterr().err


def test_a_mistake_in_the_settings_is_one_line_naming_it(tmp_path, capsys):
    from csp.config import load_settings

    path = tmp_path / "settings.toml"
    path.write_text(load_settings().text.replace('label = "OFFICIAL-SENSITIVE"', 'lable = "OFFICIAL-SENSITIVE"'))
    assert main(["--settings", str(path), "refresh", "--no-prefect"]) == 2
    assert capsys.readouterr().err == (f"csp: error: settings file {path}: unknown setting in [marking]: 'lable' "
                                       "(did you mean 'label'?); [marking] label is missing\n")


def test_a_fault_in_the_code_shows_what_it_is(monkeypatch, capsys):
    """A KeyError or ValueError of the code's own was one line with no traceback ("csp: error: 'distrct'")."""
    import csp.cli

    def fault(args):
        return {"lsoa": "LSOAs"}["distrct"]
    monkeypatch.setattr(csp.cli, "cmd_contracts", fault)
    with pytest.raises(KeyError, match="distrct"):
        main(["contracts"])
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", ["refresh", "demo"])
def test_a_wrong_as_of_date_names_the_option_and_the_form(capsys, command):
    with pytest.raises(SystemExit) as exit:
        main([command, "--as-of", "2026-13-01"])
    assert exit.value.code == 2
    assert capsys.readouterr().err.endswith(f"csp {command}: error: argument --as-of: expected a date YYYY-MM-DD, "
                                            "not '2026-13-01' (month must be in 1..12)\n")


def test_refresh_without_prefect_on_fixture(settings, tmp_path, capsys):
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    code = main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Comparison: November 2024 – October 2025 compared with November 2023 – October 2024" in out
    assert f"Outputs (OFFICIAL-SENSITIVE): {settings.marts_dir / 'county'}" in out


def test_demo_refreshes_the_extracts_already_there(settings, tmp_path, capsys):
    """The README's first command: with extracts in the raw folder it generates none and refreshes them."""
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    assert main([*cli_args(settings, tmp_path), "demo", "--no-prefect", "--as-of", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "generating sample data" not in out
    assert "Comparison: November 2024 – October 2025 compared with November 2023 – October 2024" in out
    assert sorted(p.name for p in settings.raw_dir.iterdir()) == ["police_crime"]


# Made afresh in each test: an exception made once for the parameter list keeps, once raised, the
# traceback of the run it ended, and with it the run's warehouse connection, until the worker exits.
@pytest.mark.parametrize("make_error", [
    pytest.param(lambda: OSError(errno.ENOSPC, "No space left on device"), id="outputs"),
    pytest.param(lambda: duckdb.IOException('Could not write file "csp.duckdb": No space left on device'),
                 id="warehouse"),
])
def test_a_full_disk_is_a_clear_error(make_error, settings, tmp_path, monkeypatch, capsys):
    """No space left, for the outputs or the warehouse: a few words on what is left and what to do
    and the error itself, not a traceback; any other OSError is raised as it is."""
    from csp import pipeline
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "current_year.csv")
    error = make_error()

    def full(*args):
        raise error
    monkeypatch.setattr(pipeline, "run_release", full)
    assert main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"]) == 1
    assert capsys.readouterr().err == (
        "csp: failed: no space left on the disk. Nothing half-done is in use: the published outputs are the last "
        "complete release and the warehouse holds only completed steps. A refresh writes new outputs beside the "
        f"current ones, so it needs room for a second copy. Free some space and run it again.\n({error})\n")

    def denied(*args):
        raise PermissionError(errno.EACCES, "Permission denied", "/somewhere")
    monkeypatch.setattr(pipeline, "run_release", denied)
    with pytest.raises(PermissionError):
        main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"])
