"""A release's manifest says what made it: enough to check a rerun was given the same code, settings and data."""
import dataclasses
import hashlib
import platform

from csp.catalogue import load_catalogue
from csp.config import REPO_ROOT, load_settings
from csp.publish.manifest import release_about
from csp.runs import code_fingerprint, settings_fingerprint


def test_the_manifest_records_the_code_environment_settings_and_reference_data(tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "districts.csv").write_bytes(b"lad_code,lad_name,in_county\nE07000105,Ashford,true\n")
    settings = dataclasses.replace(load_settings(), reference_dir=reference)
    about = release_about(load_catalogue(settings.catalogue, settings.series_breaks), settings)

    assert about["code_fingerprint"] == code_fingerprint()
    assert about["environment"] == {
        "python": platform.python_version(),
        "uv_lock_sha256": hashlib.sha256((REPO_ROOT / "uv.lock").read_bytes()).hexdigest()}
    assert about["settings"] == (REPO_ROOT / "config" / "settings.toml").read_text(encoding="utf-8")
    assert about["settings_fingerprint"] == settings_fingerprint(settings)
    assert about["reference_data"] == [{
        "file": "districts.csv",
        "sha256": hashlib.sha256(b"lad_code,lad_name,in_county\nE07000105,Ashford,true\n").hexdigest()}]


def test_the_settings_fingerprint_follows_what_the_outputs_say_not_where_files_are(tmp_path):
    settings = load_settings()
    assert settings_fingerprint(settings.with_paths(raw_dir=tmp_path / "raw", marts_dir=tmp_path / "m")) == \
        settings_fingerprint(settings)
    assert settings_fingerprint(dataclasses.replace(settings, population_mid_year=2024)) != settings_fingerprint(settings)


def test_a_run_from_code_not_committed_is_warned_of(caplog):
    import logging

    from csp.pipeline import _say_uncommitted

    with caplog.at_level(logging.WARNING, logger="csp"):
        _say_uncommitted("95800b94633b")
        assert caplog.messages == []
        _say_uncommitted("95800b94633b-dirty")
    assert caplog.messages == [
        "the code has changes not committed (95800b94633b-dirty): the outputs will name a commit that does not hold "
        "the code that made them, so no checkout can rerun them (README, \"Reproducing a release\"). Commit the "
        "changes before a refresh whose outputs go out"]
