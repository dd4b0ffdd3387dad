"""Settings: paths given on the command line are taken from the current folder, once; a settings file
with a mistake in it is refused, saying what and where."""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

import csp.config
from csp import InputError
from csp.config import SCHEMA, check_window_ends, load_settings


def test_relative_paths_become_absolute_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings().with_paths(marts_dir=Path("out/marts"), warehouse=Path("wh/csp.duckdb"), raw_dir=None)
    assert settings.marts_dir == tmp_path / "out" / "marts"
    assert settings.warehouse == tmp_path / "wh" / "csp.duckdb"
    assert settings.raw_dir == load_settings().raw_dir


def test_each_warehouse_file_has_caches_of_its_own_though_they_share_a_folder(tmp_path):
    kent, essex = (load_settings().with_paths(warehouse=tmp_path / f"{area}.duckdb") for area in ("kent", "essex"))
    assert (kent.cache("charts"), essex.cache("charts")) == (tmp_path / "kent.duckdb.charts", tmp_path / "essex.duckdb.charts")
    assert kent.cache("data_docs") == tmp_path / "kent.duckdb.data_docs"


def test_district_marts_are_published_unless_the_settings_say_not(tmp_path):
    assert load_settings().district_marts is True
    text = load_settings().text.replace("districts = true", "districts = false", 1)
    (tmp_path / "settings.toml").write_text(text, encoding="utf-8")
    assert load_settings(tmp_path / "settings.toml").district_marts is False


def test_district_pack_documents_follow_their_own_setting_and_the_packs(tmp_path):
    shipped = load_settings()
    assert (shipped.pack_documents, shipped.district_pack_documents) == (True, True)
    text = shipped.text.replace("\npack_documents = true", "\npack_documents = false", 1)
    (tmp_path / "settings.toml").write_text(text, encoding="utf-8")
    settings = load_settings(tmp_path / "settings.toml")
    assert (settings.pack_documents, settings.district_pack_documents) == (True, False)   # the county's pack keeps its


def _problems(tmp_path, *edits: tuple[str, str]) -> str:
    """The error loading the shipped settings with each (old, new) text replaced once."""
    text = load_settings().text
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / "settings.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_settings(tmp_path / "settings.toml")
    return str(error.value).removeprefix(f"settings file {tmp_path / 'settings.toml'}: ")


def test_a_misspelt_setting_or_section_is_refused_with_the_nearest_name(tmp_path):
    assert _problems(tmp_path, ("\ndocuments = true", "\ndocumnets = false")) == (
        "unknown setting in [pack]: 'documnets' (did you mean 'documents'?)")
    assert _problems(tmp_path, ("[publish]", "[publsh]")) == "unknown section '[publsh]' (did you mean '[publish]'?)"
    assert _problems(tmp_path, ("[sources.asb]", "[sources.antisocial]")) == (
        "unknown source '[sources.antisocial]'")


def test_values_of_the_wrong_type_or_form_are_refused(tmp_path):
    assert _problems(tmp_path, ("\ndocuments = true", '\ndocuments = "false"'), ("workers = 2", "workers = 2.5")) == (
        "[pack] documents = 'false': expected true or false; [publish] workers = 2.5: expected a whole number")
    assert _problems(tmp_path, ('[sources.police_crime]\nwindow_end = "auto"',
                                '[sources.police_crime]\nwindow_end = "2025-13"')) == (
        "[sources.police_crime] window_end = '2025-13': expected \"auto\" or a month, \"YYYY-MM\"")


def test_prefect_runs_are_kept_a_day_at_least(tmp_path):
    assert _problems(tmp_path, ("prefect_keep_days = 90", "prefect_keep_days = 0")) == (
        "[schedule] prefect_keep_days = 0: expected 1 or more days")


def test_a_required_setting_is_missing(tmp_path):
    assert _problems(tmp_path, ('name = "Kent"', "")) == "[area] name is missing"


def test_a_disclosure_rule_must_name_real_area_levels_and_every_setting(tmp_path):
    """A misspelt level would have left that level's counts unprotected without a word."""
    assert _problems(tmp_path, ('levels = ["lsoa", "district", "neighbour"]', 'levels = ["lsoa", "distict"]')) == (
        "[disclosure.small_counts] levels: unknown area level 'distict' "
        "(the levels: county, district, lsoa, neighbour)")
    assert _problems(tmp_path, ("round_to = 5", "round_to = 0")) == (
        "[disclosure.hes] round_to = 0: expected 1 (no rounding) or more")
    assert _problems(tmp_path, ("# 1-4 suppressed below county level\nsuppress_up_to = 4", "")) == (
        "[disclosure.small_counts] suppress_up_to is missing")


def test_a_settings_file_that_is_not_toml_says_which_file_and_where(tmp_path):
    (tmp_path / "settings.toml").write_text("[area\nname = 'Kent'\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"settings file .*settings.toml is not valid TOML: .*line 1"):
        load_settings(tmp_path / "settings.toml")


def test_the_shipped_settings_file_is_checked_too(tmp_path, monkeypatch):
    """config/settings.toml, the file the analyst edits, was the definition it was checked against: its
    misspellings passed, a level among them that left district counts unprotected."""
    edited = tmp_path / "settings.toml"
    monkeypatch.setattr(csp.config, "DEFAULT_SETTINGS", edited)
    for old, new, problem in [
            ("districts = true", "distrcts = false", "unknown setting in [marts]: 'distrcts' (did you mean 'districts'?)"),
            ("\ndocuments = true", '\ndocuments = "false"', "[pack] documents = 'false': expected true or false"),
            ('levels = ["lsoa", "district", "neighbour"]', 'levels = ["lsoa", "distrct", "neighbour"]',
             "[disclosure.small_counts] levels: unknown area level 'distrct' (the levels: county, district, lsoa, neighbour)"),
            ('label = "OFFICIAL-SENSITIVE"', 'lable = "OFFICIAL-SENSITIVE"',
             "unknown setting in [marking]: 'lable' (did you mean 'label'?); [marking] label is missing")]:
        edited.write_text(csp.config.REPO_ROOT.joinpath("config", "settings.toml").read_text().replace(old, new, 1))
        with pytest.raises(InputError) as error:
            load_settings()
        assert str(error.value) == f"settings file {edited}: {problem}"


def test_the_shipped_file_has_every_setting_there_is():
    shipped = tomllib.loads(load_settings().text)
    assert {section: set(values) for section, values in shipped.items() if section in SCHEMA} == {
        section: set(kinds) for section, kinds in SCHEMA.items()}
    assert set(shipped) - set(SCHEMA) == {"sources", "disclosure"}


def test_a_quarterly_window_ends_at_a_quarters_last_month(tmp_path):
    """A youth offending window ending in August was labelled September - August while its quarters'
    values (each on the quarter's first month) were October - September's."""
    youth = '[sources.youth_offending]\n# quarterly (financial-year quarters): "auto" ends at the latest complete quarter; ' \
            "a fixed end must be\n# a quarter's last month, March, June, September or December (any other is refused)\n"
    assert _problems(tmp_path, (youth + 'window_end = "auto"', youth + 'window_end = "2025-08"')) == (
        "[sources.youth_offending] window_end = '2025-08': its data comes by the quarter, so the window must end at a "
        "quarter's last month: March, June, September or December")
    for month in ("2025-03", "2025-06", "2025-09", "2025-12"):
        path = tmp_path / f"{month}.toml"
        path.write_text(load_settings().text.replace(youth + 'window_end = "auto"', youth + f'window_end = "{month}"'))
        assert load_settings(path).window_end["youth_offending"] == month
    assert _problems(tmp_path, ('[sources.asb]\nwindow_end = "auto"', '[sources.asb]\nwindow_end = "2025-08"'),
                     (youth + 'window_end = "auto"', youth + 'window_end = "2025-07"')) == (
        "[sources.youth_offending] window_end = '2025-07': its data comes by the quarter, so the window must end at a "
        "quarter's last month: March, June, September or December")   # a monthly source's end: any month


def test_a_fixed_window_end_must_have_ended_by_the_run_date():
    settings = load_settings()
    ok = csp.config.Settings(**{**settings.__dict__, "window_end": {"police_crime": "2026-10", "asb": "auto"}})
    check_window_ends(ok, dt.date(2026, 11, 23))
    late = csp.config.Settings(**{**settings.__dict__, "window_end": {"police_crime": "2026-11", "youth_offending": "2026-12"}})
    with pytest.raises(InputError) as error:
        check_window_ends(late, dt.date(2026, 11, 23))
    assert str(error.value) == (
        "settings: [sources.police_crime] window_end = '2026-11'; [sources.youth_offending] window_end = '2026-12': "
        "the refresh is as of 23 November 2026, so a window can end in October 2026 at the latest (a month counts "
        "once it has ended); set an earlier month or \"auto\"")


def test_a_refresh_with_a_window_end_after_its_run_month_is_refused_before_it_starts(settings):
    import dataclasses

    from csp.pipeline import run_refresh

    with pytest.raises(InputError, match=r"window_end = '2026-12'.* as of 23 November 2026"):
        run_refresh(dataclasses.replace(settings, window_end={"youth_offending": "2026-12"}), dt.date(2026, 11, 23))
    assert not settings.warehouse.exists()
