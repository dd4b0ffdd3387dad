"""`csp release-inputs`: a release's raw folder put together again from its manifest, however the raw folder has
moved on since (later months, corrections, a file overwritten)."""
import hashlib
import json

import pytest

from csp.cli import main
from csp.release_inputs import InputsRefused, assemble
from csp.synth import SAMPLE_MARKER, sample_checksums


def _sum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SEPT, OCT, SEPT_CORRECTED, NOV, ASB = b"sept\n", b"oct\n", b"sept corrected\n", b"nov\n", b"asb oct\n"


def _manifest(folder, inputs):
    path = folder / "run_manifest.json"
    path.write_text(json.dumps({"produced_by_run": "R1", "data_version": "v1", "code_version": "abc123", "as_of":
                                "2025-11-20", "inputs": [{"delivery_id": n, "source": s, "file": f, "sha256": _sum(b)}
                                                         for n, s, f, b in inputs]}))
    return path


@pytest.fixture
def moved_on(tmp_path):
    """A release of three deliveries, and the raw folder since: a correction, a later month, and the October
    police file's bytes only in an archive (overwritten in the raw folder)."""
    manifest = _manifest(tmp_path, [(1, "police_crime", "2025-09.csv", SEPT), (2, "asb", "asb_10.csv", ASB),
                                    (3, "police_crime", "2025-10.csv", OCT)])
    raw, archive = tmp_path / "raw", tmp_path / "archive" / "2025-10"
    for folder, name, data in [(raw / "police_crime", "2025-09.csv", SEPT), (raw / "asb", "asb_10.csv", ASB),
                               (raw / "police_crime", "2025-10.csv", b"oct overwritten\n"),
                               (raw / "police_crime", "2025-09_v2.csv", SEPT_CORRECTED),
                               (raw / "police_crime", "2025-11.csv", NOV), (archive, "police-oct.csv", OCT)]:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (raw / SAMPLE_MARKER).write_text(json.dumps({"sha256": [_sum(ASB), _sum(NOV)]}))
    return manifest, raw, tmp_path / "archive"


def test_the_release_inputs_alone_land_in_their_order(moved_on, tmp_path):
    manifest, raw, archive = moved_on
    to = tmp_path / "rerun"
    written = assemble(manifest, [raw, archive], to)

    assert [p.relative_to(to).as_posix() for p in written] == [
        "police_crime/2025-09.csv", "asb/asb_10.csv", "police_crime/2025-10.csv"]
    assert sorted(p.relative_to(to).as_posix() for p in to.rglob("*") if p.is_file()) == [
        SAMPLE_MARKER, "asb/asb_10.csv", "police_crime/2025-09.csv", "police_crime/2025-10.csv"]
    assert (to / "police_crime" / "2025-10.csv").read_bytes() == OCT   # the archive's bytes, not the overwrite's
    times = [p.stat().st_mtime_ns for p in written]
    assert times == sorted(times) and len(set(times)) == 3   # files landed together land by their times
    assert sample_checksums(to) == {_sum(ASB)}   # the sample data among the inputs, not the later month


def test_the_sample_data_is_named_from_a_raw_folder_inside_a_folder_given(moved_on, tmp_path):
    """An archive given with --from holding copies of the raw folder in subfolders (archive/2025-10/raw/): the sample
    list of each is read, as its files are found there (diff review: only a folder's own list was, so the rerun's
    folder named no sample data, and its outputs had another data version and did not say they were sample data)."""
    manifest, raw, archive = moved_on
    kept = archive / "2025-11" / "raw"
    raw.rename(kept.parent.mkdir(parents=True) or kept)
    to = tmp_path / "rerun"
    assemble(manifest, [archive], to)
    assert sample_checksums(to) == {_sum(ASB)}


def test_an_input_found_nowhere_is_named_and_nothing_is_written(moved_on, tmp_path):
    manifest, raw, _ = moved_on
    with pytest.raises(InputsRefused, match=r"1 of the release's 3 input\(s\) found in none of .*"
                                            r"police_crime/2025-10.csv \(sha256 " + _sum(OCT)):
        assemble(manifest, [raw], tmp_path / "rerun")
    assert not (tmp_path / "rerun").exists()


def test_two_inputs_of_one_name_or_a_folder_not_empty_are_refused(moved_on, tmp_path):
    manifest, raw, archive = moved_on
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("")
    with pytest.raises(InputsRefused, match="is not empty"):
        assemble(manifest, [raw, archive], tmp_path / "full")
    clash = _manifest(tmp_path / "full", [(1, "police_crime", "2025-10.csv", OCT),
                                          (2, "police_crime", "2025-10.csv", b"oct overwritten\n")])
    with pytest.raises(InputsRefused, match="police_crime/2025-10.csv: two deliveries of the release landed under "
                                            "the same name"):
        assemble(clash, [raw, archive], tmp_path / "rerun")


def test_the_command_says_how_to_rerun(moved_on, tmp_path, capsys, monkeypatch):
    manifest, raw, archive = moved_on
    monkeypatch.setenv("CSP_CALLER_DIR", str(tmp_path))
    assert main(["release-inputs", str(manifest), "--from", "raw", "--from", "archive", "--to", "rerun"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"3 input(s) of the release R1 (data version v1) copied to {tmp_path / 'rerun'}")
    assert "a fresh clone at abc123" in out and "--as-of 2025-11-20" in out
    # a file the release's raw folder held unread, or a delivery gone, is in its data version and not put back
    assert out.rstrip().endswith("the same data version when its code, settings, reference data and inputs are the "
                                 "same, and the release's data-quality report lists no file left unread in the raw "
                                 "folder and no delivery gone (README, \"Reproducing a release\")")
    assert main(["release-inputs", str(manifest), "--from", "raw", "--to", "again"]) == 2
