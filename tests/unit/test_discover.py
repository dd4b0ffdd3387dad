"""Which files in a source's raw folder are deliveries, and in which order they land."""
from __future__ import annotations

import os

from csp.ingest.deliveries import discover


def test_notes_and_what_windows_and_office_leave_are_not_deliveries(tmp_path):
    folder = tmp_path / "police_crime"
    (folder / "archive").mkdir(parents=True)
    names = ["2025-10.csv", "2025-09.xlsx", "README.md", "readme.txt", ".gitkeep", ".DS_Store", "MD5SUMS",
             "~$2025-09.xlsx", "Thumbs.db", "desktop.ini", "notes~$.csv"]
    for name in names:
        (folder / name).write_text("x", encoding="utf-8")
    assert sorted(p.name for p in discover(tmp_path, "police_crime")) == ["2025-09.xlsx", "2025-10.csv", "notes~$.csv"]


def test_deliveries_land_oldest_first_and_by_name_when_as_old(tmp_path):
    folder = tmp_path / "asb"
    folder.mkdir()
    for name, mtime in (("b.csv", 200), ("a.csv", 200), ("c.csv", 100)):
        (folder / name).write_text("x", encoding="utf-8")
        os.utime(folder / name, (mtime, mtime))
    assert [p.name for p in discover(tmp_path, "asb")] == ["c.csv", "a.csv", "b.csv"]
    assert discover(tmp_path, "no_such_source") == []
