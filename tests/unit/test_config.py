"""Settings: paths given on the command line are taken from the current folder, once; a settings file
with a mistake in it is refused, saying what and where."""
from __future__ import annotations

from pathlib import Path

import pytest

from csp.config import load_settings


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
