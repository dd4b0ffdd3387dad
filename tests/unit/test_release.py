"""Publishing a release: one atomic swap, nothing changed when nothing is new, failures leave no trace."""
from __future__ import annotations

import os
import stat

import pytest

from csp.publish.release import CURRENT, RELEASES, current_release, run_release, staged_release


def publish(root, run_id, files: dict[str, str]):
    """Write files (paths like 'county/a.csv') into a run's release."""
    with run_release(root, run_id) as folder:
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)


def releases(root) -> list[str]:
    return sorted(p.name for p in (root / RELEASES).iterdir())


def test_first_release_links_every_top_level_folder_through_current(tmp_path):
    publish(tmp_path, "run-1", {"county/a.csv": "1\n", "districts/ashford/b.csv": "2\n"})
    assert os.readlink(tmp_path / CURRENT) == f"{RELEASES}/run-1"
    assert os.readlink(tmp_path / "county") == f"{CURRENT}/county"
    assert os.readlink(tmp_path / "districts") == f"{CURRENT}/districts"
    assert (tmp_path / "county" / "a.csv").read_text() == "1\n"
    assert (tmp_path / "districts" / "ashford" / "b.csv").read_text() == "2\n"


def test_release_is_readable_by_owner_and_group_only(tmp_path):
    publish(tmp_path, "run-1", {"county/a.csv": "1\n"})
    folder = current_release(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    assert stat.S_IMODE((folder / "county").stat().st_mode) == 0o750
    assert stat.S_IMODE((folder / "county" / "a.csv").stat().st_mode) == 0o640


def test_identical_files_leave_the_current_release_untouched(tmp_path):
    publish(tmp_path, "run-1", {"county/a.csv": "1\n"})
    mtime = (tmp_path / "county" / "a.csv").stat().st_mtime_ns
    publish(tmp_path, "run-2", {"county/a.csv": "1\n"})
    assert current_release(tmp_path).name == "run-1"
    assert (tmp_path / "county" / "a.csv").stat().st_mtime_ns == mtime
    assert releases(tmp_path) == ["run-1"]


def test_new_release_swaps_in_and_keeps_only_the_one_before(tmp_path):
    publish(tmp_path, "run-1", {"county/a.csv": "1\n"})
    publish(tmp_path, "run-2", {"county/a.csv": "2\n"})
    (tmp_path / RELEASES / "run-dead").mkdir()     # a run that died before its swap
    publish(tmp_path, "run-3", {"county/a.csv": "3\n", "county/c.csv": "new\n"})
    assert current_release(tmp_path).name == "run-3"
    assert (tmp_path / "county" / "a.csv").read_text() == "3\n"
    assert releases(tmp_path) == ["run-2", "run-3"]
    assert not list(tmp_path.glob(".*.link-*"))


def test_a_failure_while_writing_changes_nothing(tmp_path):
    publish(tmp_path, "run-1", {"county/a.csv": "1\n"})
    with pytest.raises(RuntimeError):
        with run_release(tmp_path, "run-2") as folder:
            (folder / "county").mkdir()
            (folder / "county" / "a.csv").write_text("half")
            raise RuntimeError("chart failed")
    assert (tmp_path / "county" / "a.csv").read_text() == "1\n"
    assert releases(tmp_path) == ["run-1"]


def test_plain_folder_from_an_earlier_version_is_replaced_by_a_link(tmp_path):
    (tmp_path / "county").mkdir()
    (tmp_path / "county" / "a.csv").write_text("old\n")
    publish(tmp_path, "run-1", {"county/a.csv": "new\n"})
    assert (tmp_path / "county").is_symlink() and (tmp_path / "county" / "a.csv").read_text() == "new\n"
    assert releases(tmp_path) == ["run-1"]     # the old outputs were set aside, then cleared after the swap


def test_staged_release_replaces_a_plain_folder(tmp_path):
    destination = tmp_path / "copy"
    with staged_release(destination, "run-1") as folder:
        (folder / "a.csv").write_text("1\n")
    with staged_release(destination, "run-2") as folder:
        (folder / "a.csv").write_text("2\n")
    assert not destination.is_symlink()
    assert (destination / "a.csv").read_text() == "2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]


def test_staged_release_repairs_a_run_killed_between_its_two_renames(tmp_path):
    destination = tmp_path / "copy"
    with staged_release(destination, "run-1") as folder:
        (folder / "a.csv").write_text("1\n")
    os.replace(destination, tmp_path / ".copy.previous-run-2")   # what a kill after the first rename leaves
    with pytest.raises(RuntimeError):
        with staged_release(destination, "run-3"):
            raise RuntimeError("failed before the swap")
    assert (destination / "a.csv").read_text() == "1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]
