"""Which files in a source's raw folder are deliveries, in which order they land, what lies
outside every source's folder (and is not read), and how loaded files gone from it are told."""
from __future__ import annotations

import os

from csp.ingest.deliveries import Gone, discover, gone_words, misplaced


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


def test_what_no_source_reads_is_named_with_the_nearest_source(tmp_path):
    for folder in ("police_crime/2024", "police_crime/.old", "police_crime/empty", "police", "Fire", "archive/x",
                   "polise_crime", "empty", ".trash"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("README.md", "2025-10-kent-street.csv", ".DS_Store", "police_crime/2025-10.csv",
                 "police_crime/2024/2024-01.csv", "police_crime/2024/2024-02.csv", "police_crime/.old/a.csv",
                 "police/a.csv", "Fire/a.csv", "Fire/b.csv", "archive/x/a.csv", "polise_crime/a.csv",
                 "empty/README.md", ".trash/a.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    sources = ["asb", "fire_incidents", "police_crime"]
    found = misplaced(tmp_path, sources)
    assert [(n.path, n.why) for n in found] == [
        ("2025-10-kent-street.csv", "is not in a source's folder (<source>/ in the raw folder), so it is not read"),
        ("Fire/", "is not a source's folder, so its 2 files are not read (did you mean fire_incidents?)"),
        ("archive/", "is not a source's folder, so its file is not read (sources: asb, fire_incidents, police_crime)"),
        ("police/", "is not a source's folder, so its file is not read (did you mean police_crime?)"),
        ("police_crime/2024/", "is a folder inside police_crime's folder, so its 2 files are not read: only files "
                               "directly in police_crime/ are"),
        ("polise_crime/", "is not a source's folder, so its file is not read (did you mean police_crime?)"),
    ]   # folders holding no file (or only notes) lose nothing, and hidden ones are left alone
    assert found[1].words(tmp_path) == f"{tmp_path / 'Fire'} is not a source's folder, so its 2 files are not read " \
                                       "(did you mean fire_incidents?)"
    assert misplaced(tmp_path / "missing", sources) == []


def test_files_gone_are_told_one_a_line_but_a_source_with_many_in_one(tmp_path):
    files_gone = (Gone("asb/asb_2025-01.csv", 1), Gone("asb/asb_2025-02.csv", 2),
                  *(Gone(f"police_crime/2025-{m:02d}.csv", 2 + m) for m in range(1, 5)))
    assert gone_words(files_gone, tmp_path) == [
        f"{tmp_path}/asb/asb_2025-01.csv (delivery 1) is no longer in the raw folder: its rows stay in the warehouse, used as before unless replaced or quarantined (see the "
        "README to withdraw a delivery or start afresh)",
        f"{tmp_path}/asb/asb_2025-02.csv (delivery 2) is no longer in the raw folder: its rows stay in the warehouse, used as before unless replaced or quarantined (see the "
        "README to withdraw a delivery or start afresh)",
        f"{tmp_path}/police_crime/: the files of 4 loaded deliveries (2025-01.csv … 2025-04.csv) are no longer there: "
        "their rows stay in the warehouse, used as before unless replaced or quarantined (see the README to withdraw a delivery or start afresh); the data-quality report "
        "lists each"]


def test_a_file_whose_name_is_not_utf8_is_not_read_but_named(tmp_path):
    """A name of bytes that are not UTF-8 (a Latin-1 "café" copied from an old share) cannot go into the warehouse,
    the reports or the data version, which hold text: it stopped the refresh with a traceback at every run
    (security review). It is not a delivery; what lies in the raw folder where nothing reads it names it."""
    folder = tmp_path / "asb"
    folder.mkdir()
    (folder / "2025-10.csv").write_text("x", encoding="utf-8")
    root = os.fsencode(tmp_path)
    open(os.path.join(root, b"asb", b"caf\xe9 \xff.csv"), "wb").close()
    os.mkdir(os.path.join(root, b"\xe9t\xe9"))
    open(os.path.join(root, b"\xe9t\xe9", b"a.csv"), "wb").close()
    assert [p.name for p in discover(tmp_path, "asb")] == ["2025-10.csv"]
    assert [(n.path, n.why) for n in misplaced(tmp_path, ["asb"])] == [
        ("asb/caf\\xe9 \\xff.csv", "has a name that is not UTF-8 text (each \\xNN a byte that is not), so it is not "
                                   "read: rename it, and it is read at the next refresh"),
        ("\\xe9t\\xe9/", "is not a source's folder, so its file is not read (sources: asb)")]


def test_a_link_to_a_file_outside_the_raw_folder_is_not_read_but_named(tmp_path):
    """A link in a source's folder to a file elsewhere (/etc/passwd, another area's extract) was followed and the file
    loaded into the warehouse (security review): it is not a delivery, and is named without where it leads. A link
    to a file in the raw folder is read, and so is every file of a source's folder that is itself a link (to a share)."""
    raw, outside = tmp_path / "raw", tmp_path / "elsewhere"
    (raw / "asb").mkdir(parents=True)
    (outside / "police").mkdir(parents=True)
    for path in (outside / "secret.csv", outside / "police" / "2025-10.csv", raw / "asb" / "2025-10.csv"):
        path.write_text("x", encoding="utf-8")
    (raw / "asb" / "secret.csv").symlink_to(outside / "secret.csv")
    (raw / "asb" / "again.csv").symlink_to(raw / "asb" / "2025-10.csv")
    (raw / "police_crime").symlink_to(outside / "police", target_is_directory=True)
    assert sorted(p.name for p in discover(raw, "asb")) == ["2025-10.csv", "again.csv"]
    assert [p.name for p in discover(raw, "police_crime")] == ["2025-10.csv"]
    assert [(n.path, n.why) for n in misplaced(raw, ["asb", "police_crime"])] == [
        ("asb/secret.csv", "is a link to a file outside the raw folder, so it is not read: put the file itself in the "
                           "folder, and it is read at the next refresh")]
