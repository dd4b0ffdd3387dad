"""Settings: paths given on the command line are taken from the current folder, once."""
from __future__ import annotations

from pathlib import Path

from csp.config import load_settings


def test_relative_paths_become_absolute_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings().with_paths(marts_dir=Path("out/marts"), warehouse=Path("wh/csp.duckdb"), raw_dir=None)
    assert settings.marts_dir == tmp_path / "out" / "marts"
    assert settings.warehouse == tmp_path / "wh" / "csp.duckdb"
    assert settings.raw_dir == load_settings().raw_dir


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
