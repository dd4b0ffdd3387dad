"""Publishing a release: one atomic swap, nothing changed when nothing is new, failures leave no trace."""
from __future__ import annotations

import os

import pytest

from csp.publish.release import current_release, releases_dir, staged_release


def publish(destination, run_id, files: dict[str, str]):
    with staged_release(destination, run_id) as release:
        for name, text in files.items():
            (release.folder / name).write_text(text)
    return release


def test_first_release_is_a_link_to_a_complete_folder(tmp_path):
    destination = tmp_path / "county"
    release = publish(destination, "run-1", {"a.csv": "1\n", "b.csv": "2\n"})
    assert release.changed is True
    assert os.readlink(destination) == ".county/run-1"
    assert sorted(p.name for p in destination.iterdir()) == ["a.csv", "b.csv"]


def test_identical_files_leave_the_release_untouched(tmp_path):
    destination = tmp_path / "county"
    publish(destination, "run-1", {"a.csv": "1\n"})
    mtime = (destination / "a.csv").stat().st_mtime_ns
    release = publish(destination, "run-2", {"a.csv": "1\n"})
    assert release.changed is False
    assert os.readlink(destination) == ".county/run-1"
    assert (destination / "a.csv").stat().st_mtime_ns == mtime
    assert sorted(p.name for p in releases_dir(destination).iterdir()) == ["run-1"]


def test_new_release_replaces_the_link_and_keeps_only_the_one_before(tmp_path):
    destination = tmp_path / "county"
    publish(destination, "run-1", {"a.csv": "1\n"})
    publish(destination, "run-2", {"a.csv": "2\n"})
    releases_dir(destination).joinpath("run-dead").mkdir()   # a run that died before its swap
    release = publish(destination, "run-3", {"a.csv": "3\n", "c.csv": "new\n"})
    assert release.changed is True
    assert current_release(destination) == (releases_dir(destination) / "run-3").resolve()
    assert (destination / "a.csv").read_text() == "3\n"
    assert sorted(p.name for p in releases_dir(destination).iterdir()) == ["run-2", "run-3"]
    assert not list(tmp_path.glob(".county.link-*"))


def test_a_failure_while_writing_changes_nothing(tmp_path):
    destination = tmp_path / "county"
    publish(destination, "run-1", {"a.csv": "1\n"})
    with pytest.raises(RuntimeError):
        with staged_release(destination, "run-2") as release:
            (release.folder / "a.csv").write_text("half")
            raise RuntimeError("chart failed")
    assert (destination / "a.csv").read_text() == "1\n"
    assert sorted(p.name for p in releases_dir(destination).iterdir()) == ["run-1"]


def test_plain_folder_from_an_earlier_version_becomes_the_previous_release(tmp_path):
    destination = tmp_path / "county"
    destination.mkdir()
    (destination / "a.csv").write_text("old\n")
    publish(destination, "run-1", {"a.csv": "new\n"})
    assert destination.is_symlink() and (destination / "a.csv").read_text() == "new\n"
    assert (releases_dir(destination) / "run-1.before" / "a.csv").read_text() == "old\n"
