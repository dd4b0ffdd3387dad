import datetime as dt
import errno
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from csp.cli import main
from csp.config import REPO_ROOT as REPO


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


def test_a_run_date_after_today_is_refused(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["refresh", "--as-of", "2099-01-01"])
    assert exit.value.code == 2
    assert capsys.readouterr().err.endswith(
        f"csp refresh: error: argument --as-of: 2099-01-01 is after today ({dt.date.today()}): the run date decides "
        "the latest complete month, so it cannot be in the future\n")


@pytest.mark.parametrize("option, value, words", [
    ("--months", "0", "expected a number of months (1 or more), not '0'"),   # wrote 36 months
    ("--months", "-3", "expected a number of months (1 or more), not '-3'"),   # an IndexError
    ("--first-month", "2025-13", "expected a month YYYY-MM, not '2025-13'"),   # a ValueError's traceback
    ("--first-month", "11/2022", "expected a month YYYY-MM, not '11/2022'"),
])
def test_a_wrong_synth_option_names_it(option, value, words, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--raw", str(tmp_path / "raw"), "synth", option, value])
    assert exit.value.code == 2
    assert capsys.readouterr().err.endswith(f"csp synth: error: argument {option}: {words}\n")
    assert not (tmp_path / "raw").exists()


def test_path_options_go_before_or_after_the_command():
    """As messages name them (`give an empty folder with --raw`): after the command the option given there wins,
    else the one before it stands."""
    from csp.cli import parser

    assert parser().parse_args(["refresh", "--raw", "b"]).raw == Path("b")
    assert parser().parse_args(["--raw", "a", "refresh"]).raw == Path("a")
    assert parser().parse_args(["--raw", "a", "refresh", "--raw", "b"]).raw == Path("b")
    args = parser().parse_args(["marts", "pull", "--district", "Dover", "--to", "out", "--marts", "m"])
    assert (args.marts, args.raw, args.settings) == (Path("m"), None, None)


def test_a_settings_mistake_is_one_line_before_prefect_starts(tmp_path, capsys, monkeypatch):
    """Under Prefect (the default) too: it was said after a Prefect server started, below a flow run's traceback."""
    import csp.cli

    monkeypatch.setattr(csp.cli, "_temporary_server", lambda: pytest.fail("a Prefect server was started"))
    assert main(["refresh", "--settings", str(tmp_path / "nope.toml")]) == 2
    assert capsys.readouterr().err == f"csp: error: settings file not found: {tmp_path / 'nope.toml'}\n"
    assert main(["refresh", "--area", str(tmp_path / "kent.toml"), "--area", str(tmp_path / "essex.toml")]) == 2
    assert capsys.readouterr().err == f"csp: error: settings file not found: {tmp_path / 'kent.toml'}\n"


def test_a_reference_folder_that_is_not_there_names_the_setting(tmp_path, capsys):
    from csp.config import load_settings

    path = tmp_path / "settings.toml"
    text = load_settings().text
    assert 'reference_dir = "data/reference"' in text
    path.write_text(text.replace('reference_dir = "data/reference"', 'reference_dir = "data/referenc"'))
    assert main(["--settings", str(path), "refresh", "--no-prefect"]) == 2
    assert capsys.readouterr().err == (f"csp: error: settings file {path}: [area] reference_dir = 'data/referenc': no "
                                       f"such folder ({REPO / 'data' / 'referenc'})\n")


def test_refresh_without_prefect_on_fixture(settings, tmp_path, capsys, caplog):
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    code = main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"])
    assert code == 0
    out, err = capsys.readouterr()
    assert "Comparison (police recorded crime): November 2024 – October 2025 compared with November 2023 – October 2024" in out
    assert f"Outputs (OFFICIAL-SENSITIVE): {settings.marts_dir / 'county'}" in out
    # the run's last line: what arrived, and how many warnings the pipeline gave (data overdue, months missing; and
    # the code not committed where it is not): a run with warnings ended in the same words as a clean one
    warned = [r for r in caplog.records if r.name.startswith("csp") and r.levelno >= logging.WARNING]
    assert len(warned) >= 2
    assert out.splitlines()[-1] == ("New deliveries: 2 (2 loaded, 0 quarantined whole); 42 rows loaded, 3 rows "
                                    f"quarantined. Warnings: {len(warned)} (above)")
    caplog.clear()
    assert main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"]) == 0
    warned = [r for r in caplog.records if r.name.startswith("csp") and r.levelno >= logging.WARNING]
    assert capsys.readouterr().out.splitlines()[-1] == f"New deliveries: none. Warnings: {len(warned)} (above)"


def test_demo_refreshes_the_extracts_already_there(settings, tmp_path, capsys):
    """The README's first command: with extracts in the raw folder it generates none and refreshes them."""
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    assert main([*cli_args(settings, tmp_path), "demo", "--no-prefect"]) == 0
    out = capsys.readouterr().out
    assert "generating sample data" not in out
    assert "Comparison (police recorded crime): November 2024 – October 2025 compared with November 2023 – October 2024" in out
    # as of the sample data's run date, not today's: run today, every source read as a year overdue
    manifest = json.loads((settings.marts_dir / "county" / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2025-11-20"
    assert sorted(p.name for p in settings.raw_dir.iterdir()) == ["police_crime"]


def test_the_demo_does_not_roll_a_later_release_back(settings, tmp_path, capsys, caplog):
    """Run on real data released as of January 2026, the demo's sample date (20 November 2025) would publish the
    pack again as of then, its later months refused as in the future: it is refused, and an earlier --as-of
    given on purpose is warned of."""
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    manifest = settings.marts_dir / "county" / "run_manifest.json"
    assert main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-01-05"]) == 0
    released = manifest.read_bytes()
    capsys.readouterr()
    assert main([*cli_args(settings, tmp_path), "demo", "--no-prefect"]) == 2
    assert capsys.readouterr().err == (
        f"csp: error: the outputs in {settings.marts_dir} are a release as of 05 January 2026; the demo runs as of "
        "the sample data's date, 20 November 2025, and would replace them with an earlier one: run `./run csp "
        "refresh` (as of today), or the demo with --as-of\n")
    assert manifest.read_bytes() == released
    # nor, given an empty raw folder (a share not mounted), does it write sample data before refusing
    empty = tmp_path / "unmounted"
    assert main([*cli_args(settings, tmp_path), "--raw", str(empty), "demo", "--no-prefect"]) == 2
    assert "would replace them with an earlier one" in capsys.readouterr().err
    assert not empty.exists()
    with caplog.at_level(logging.WARNING, logger="csp"):
        assert main([*cli_args(settings, tmp_path), "demo", "--no-prefect", "--as-of", "2025-12-01"]) == 0
    assert ("this refresh is as of 2025-12-01, before the release it will replace (as of 2026-01-05): the outputs go "
            "back to the earlier date, and rows dated after it are refused as in the future") in caplog.messages
    assert json.loads(manifest.read_text(encoding="utf-8"))["as_of"] == "2025-12-01"


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

    def broken(*args):
        raise OSError(errno.EIO, "Input/output error", "/somewhere")
    monkeypatch.setattr(pipeline, "run_release", broken)
    with pytest.raises(OSError, match="Input/output error"):
        main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"])


def denied_message(folder, name, error) -> str:
    return (f"csp: failed: no permission to write in {folder} ({name} could not be written). Nothing half-done is in "
            "use: the published outputs are the last complete release and the warehouse holds only completed steps. "
            f"Let this user write to {folder} (or choose another folder) and run it again.\n({error})\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod does not stop root writing")
@pytest.mark.parametrize("folder", ["marts", "warehouse"])
def test_a_read_only_folder_is_a_clear_error(folder, settings, tmp_path, capsys):
    """A folder the refresh may not write in: named, with what is left; the published outputs kept."""
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "current_year.csv")
    args = [*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"]
    assert main(args) == 0
    drop(settings, "police_crime", "previous_year.csv")
    where = settings.marts_dir if folder == "marts" else settings.warehouse.parent
    published = sorted(p.name for p in (settings.marts_dir / "county").iterdir())
    capsys.readouterr()
    where.chmod(0o550)
    try:
        assert main(args) == 1
    finally:
        where.chmod(0o750)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    err = err[err.index("csp: failed"):]   # after the run's progress lines
    assert err.startswith(f"csp: failed: no permission to write in {where} (")
    assert sorted(p.name for p in (settings.marts_dir / "county").iterdir()) == published


@pytest.mark.parametrize("where", ["marts", "warehouse"])
def test_a_read_only_folder_is_a_clear_error_simulated(where, settings, tmp_path, monkeypatch, capsys):
    """The same as root (whom chmod does not stop): the errors a read-only folder gives, made to happen
    where they would: making the release current (a link in the marts folder), or DuckDB opening its
    write-ahead log beside the warehouse."""
    from csp import pipeline
    from csp.publish import release
    from tests.conftest import cli_args, drop

    drop(settings, "police_crime", "current_year.csv")
    if where == "marts":
        def symlink(target, link):
            raise PermissionError(errno.EACCES, "Permission denied", target, None, link)
        monkeypatch.setattr(release.os, "symlink", symlink)
        folder, name = settings.marts_dir, None
    else:
        wal = settings.warehouse.with_name("csp.duckdb.wal")
        error = duckdb.IOException(f'IO Error: Cannot open file "{wal}": Permission denied')

        def connect(*args):
            raise error
        monkeypatch.setattr(pipeline, "connect", connect)
        folder, name = settings.warehouse.parent, "csp.duckdb.wal"
    assert main([*cli_args(settings, tmp_path), "refresh", "--no-prefect", "--as-of", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    err = err[err.index("csp: failed"):]   # after the run's progress lines
    if name is None:   # the link's name has the run id in it
        name = err.split("(", 1)[1].split(" could not", 1)[0]
        assert name.startswith("..current.link-")   # the new link to .current
        error = err.rsplit("\n(", 1)[1].removesuffix(")\n")
    assert err == denied_message(folder, name, error)
    assert not (settings.marts_dir / "county").exists()


def test_relative_paths_are_taken_from_the_folder_run_was_called_from(tmp_path, monkeypatch):
    """./run changes to the repository: the folder it was called from comes in $CSP_CALLER_DIR."""
    from csp.cli import absolute_paths, parser

    monkeypatch.setenv("CSP_CALLER_DIR", str(tmp_path))
    args = parser().parse_args(["--settings", "real.toml", "--raw", "raw", "--marts", "/abs/marts",
                                "--warehouse", "w/csp.duckdb", "marts", "pull", "--district", "Ashford", "--to", "share"])
    absolute_paths(args)
    assert (args.settings, args.raw, args.marts, args.warehouse, args.to) == (
        tmp_path / "real.toml", tmp_path / "raw", Path("/abs/marts"), tmp_path / "w" / "csp.duckdb", tmp_path / "share")
    args = parser().parse_args(["refresh", "--area", "areas/kent.toml", "--area", "/abs/essex.toml"])
    absolute_paths(args)
    assert args.area == [tmp_path / "areas" / "kent.toml", Path("/abs/essex.toml")]


def test_run_passes_the_folder_it_was_called_from(tmp_path):
    out = subprocess.run([str(REPO / "run"), "python", "-c", "import os; print(os.environ['CSP_CALLER_DIR'], os.getcwd())"],
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(tmp_path), str(REPO)]


def test_synth_writes_into_a_relative_raw_folder_and_never_beside_a_delivery(tmp_path, monkeypatch, capsys):
    """`synth --raw raw` from another folder writes there; a second time it leaves its own files as they are,
    and beside a partner's file it is refused with nothing written."""
    monkeypatch.setenv("CSP_CALLER_DIR", str(tmp_path))
    args = ["--raw", "raw", "synth", "--first-month", "2024-04", "--months", "3"]
    assert main(args) == 0
    raw = tmp_path / "raw"
    assert f"police_crime: wrote 3 sample extract(s) to {raw / 'police_crime'}\n" in capsys.readouterr().out
    files = {p: p.is_file() and p.read_bytes() for p in raw.rglob("*")}
    assert sorted(p.relative_to(raw).as_posix() for p in files if p.parent == raw / "asb") == [
        "asb/asb_incidents_2024-04.csv", "asb/asb_incidents_2024-05.csv", "asb/asb_incidents_2024-06.csv"]
    # the same months again: every file there as it is, nothing written
    assert main(args) == 0
    assert f"police_crime: wrote 0 sample extract(s) to {raw / 'police_crime'}\n" in capsys.readouterr().out
    assert {p: p.is_file() and p.read_bytes() for p in raw.rglob("*")} == files
    # beside a partner's file: refused, nothing written
    (raw / "asb" / "asb_extract_2024-07.csv").write_text("real\n")
    files = {p: p.is_file() and p.read_bytes() for p in raw.rglob("*")}
    assert main([*args[:-4], "--first-month", "2024-07", "--months", "1"]) == 2
    err = capsys.readouterr().err
    assert err == (f"csp: error: refused: sample data is written only beside sample data an earlier `csp synth` "
                   f"wrote, never beside or over partners' files, and {raw} holds 1 other in asb/ "
                   "(asb_extract_2024-07.csv). Nothing was written: give an empty folder with --raw\n")
    assert {p: p.is_file() and p.read_bytes() for p in raw.rglob("*")} == files

