"""Unchanged history is not re-read: a file found again with the same path, size and modification
time is known from meta.deliveries without reading it to checksum it."""
from __future__ import annotations

import os

import pytest

from csp.ingest import deliveries
from csp.warehouse import connect
from csp.pipeline import run_refresh
from tests.conftest import AS_OF, query, workspace
from tests.integration.test_bad_deliveries import POLICE, csv_text, police


def test_a_file_seen_before_is_not_read_again_and_a_changed_one_is(tmp_path, monkeypatch):
    settings = workspace(tmp_path)
    folder = settings.raw_dir / "police_crime"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text(csv_text(POLICE, police("2024-01", "A")), encoding="utf-8")
    (folder / "b.csv").write_text(csv_text(POLICE, police("2024-02", "B")), encoding="utf-8")
    read = []
    checksum = deliveries.sha256
    monkeypatch.setattr(deliveries, "sha256", lambda path: read.append(path.name) or checksum(path))
    with connect(settings.warehouse) as con:
        first = deliveries.ingest_source(con, "police_crime", settings.raw_dir, "one")
        assert sorted(read) == ["a.csv", "b.csv"] and [r.status for r in first] == ["loaded", "loaded"]

        read.clear()
        again = deliveries.ingest_source(con, "police_crime", settings.raw_dir, "two")
        assert read == [] and [r.status for r in again] == ["unchanged", "unchanged"]

        # b.csv corrected in place: another size and time, so it is read, and it is a new delivery
        corrected = police("2024-02", "B")[:15]
        (folder / "b.csv").write_text(csv_text(POLICE, corrected), encoding="utf-8")
        stat = (folder / "b.csv").stat()
        os.utime(folder / "b.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        read.clear()
        third = deliveries.ingest_source(con, "police_crime", settings.raw_dir, "three")
        assert read == ["b.csv"]
        assert [(r.file_name, r.status, r.rows) for r in third] == [("a.csv", "unchanged", 0), ("b.csv", "loaded", 15)]
    assert query(settings, "SELECT count(*) FROM meta.deliveries") == [(3,)]


def test_a_file_that_grows_between_the_counting_and_the_landing_scan_fails_the_batch(tmp_path, monkeypatch):
    """Row numbers of a batch come from its first scan's counts: a file appended to before the second
    scan (a partner's copy still being written) must not land with the next file's rows misnumbered."""
    settings = workspace(tmp_path)
    folder = settings.raw_dir / "police_crime"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text(csv_text(POLICE, police("2024-01", "A")), encoding="utf-8")
    (folder / "b.csv").write_text(csv_text(POLICE, police("2024-02", "B")), encoding="utf-8")
    counted = deliveries.read_batch

    def count_then_grow(con, batch):
        clean = counted(con, batch)
        with (folder / "a.csv").open("a", encoding="utf-8") as fh:
            fh.write(csv_text(POLICE, police("2024-01", "X")[:1]).split("\n", 1)[1])
        return clean

    monkeypatch.setattr(deliveries, "read_batch", count_then_grow)
    with connect(settings.warehouse) as con:
        with pytest.raises(RuntimeError, match=r"a file among a.csv … b.csv changed while being read \(41 rows, 40 counted\)"):
            deliveries.ingest_source(con, "police_crime", settings.raw_dir, "one")
    assert query(settings, "SELECT (SELECT count(*) FROM meta.deliveries), (SELECT count(*) FROM raw.police_crime)") == [(0, 0)]



def test_a_file_sent_again_under_another_name_leaves_the_original_a_delivery_not_a_copy(tmp_path):
    """a.csv, then b.csv (a correction) for its month, then a.csv's bytes again as a_again.csv, which lands as
    the latest delivery (the README's way back). a.csv, read from its own path, is not a copy of a_again.csv
    on any later run: from the run after, it was listed as one (not read, in none of the figures), and that
    run's data version changed with nothing new."""
    settings = workspace(tmp_path)
    folder = settings.raw_dir / "police_crime"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text(csv_text(POLICE, police("2024-01", "A")), encoding="utf-8")
    run_refresh(settings, AS_OF)
    (folder / "b.csv").write_text(csv_text(POLICE, police("2024-01", "B")[:5]), encoding="utf-8")
    run_refresh(settings, AS_OF)
    (folder / "a_again.csv").write_bytes((folder / "a.csv").read_bytes())
    resent = run_refresh(settings, AS_OF)
    assert query(settings, "SELECT file_name, rows_current FROM dq.deliveries ORDER BY delivery_id") == [
        ("a.csv", 0), ("b.csv", 0), ("a_again.csv", 20)]
    after = [run_refresh(settings, AS_OF) for _ in range(2)]
    assert [(r.not_read, r.data_version) for r in after] == [((), resent.data_version)] * 2
    # a copy of the current delivery under a name never read is still one
    (folder / "a_copy.csv").write_bytes((folder / "a.csv").read_bytes())
    assert [(n.path, n.why) for n in run_refresh(settings, AS_OF).not_read] == [
        ("police_crime/a_copy.csv", "holds the same bytes as a_again.csv (delivery 3, already read): not read again")]
