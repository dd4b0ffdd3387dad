"""Plain CSVs read in one scan are validated together on their shape (csp/validate.py), and alone only
where the shape points at them: the verdicts must be those of validating each file alone."""
from __future__ import annotations

import os

from csp.ingest import deliveries
from csp.warehouse import connect
from tests.conftest import query, workspace
from tests.integration.test_bad_deliveries import POLICE, csv_text, police


def _deliver(settings, name: str, rows: list[list[str]], order: int) -> None:
    path = settings.raw_dir / "police_crime" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(POLICE, rows), encoding="utf-8")
    os.utime(path, ns=(1_700_000_000_000_000_000 + order * 10**9,) * 2)


def test_only_the_files_the_shape_points_at_are_validated_alone(tmp_path, monkeypatch):
    settings = workspace(tmp_path)
    clean = police("2024-01", "A")
    few_bad = police("2024-02", "B")
    few_bad[0][3] = "Violence"                                   # 1 of 20 not allowed: within the 90% share
    many_bad = police("2024-03", "C")
    for row in many_bad[:5]:
        row[4] = "E0102"                                          # 5 of 20 LSOAs malformed: fails the contract
    repeated = police("2024-04", "D")
    for row in repeated[:4]:
        row[0] = "D00"                                            # 4 of 20 rows share a key: 20% repeated
    for order, (name, rows) in enumerate([("a.csv", clean), ("b.csv", few_bad), ("c.csv", many_bad),
                                          ("d.csv", repeated)]):
        _deliver(settings, name, rows, order)
    alone = []
    one = deliveries.validate_delivery
    monkeypatch.setattr(deliveries, "validate_delivery",
                        lambda con, contract, form, delivery_id, factory: alone.append(delivery_id)
                        or one(con, contract, form, delivery_id, factory))
    with connect(settings.warehouse) as con:
        results = deliveries.ingest_source(con, "police_crime", settings.raw_dir, "run")
    assert [(r.file_name, r.status) for r in results] == [
        ("a.csv", "loaded"), ("b.csv", "loaded"), ("c.csv", "quarantined"), ("d.csv", "quarantined")]
    assert "column 'lsoa_code': 25.0% of values are not in the expected format (e.g. 'E0102')" in results[2].reason
    assert "column 'crime_reference': 20.0% of values are repeated keys" in results[3].reason
    # the clean file passed with the batch; the three the shape pointed at were validated alone
    assert sorted(alone) == [2, 3, 4]
    assert query(settings, "SELECT delivery_id, suite, success FROM meta.validations ORDER BY 1") == [
        (1, "police_crime.restricted.batch", True), (2, "police_crime.restricted", True),
        (3, "police_crime.restricted", False), (4, "police_crime.restricted", False)]


def test_files_the_scan_sends_to_the_per_file_reader_are_validated_with_their_batch(tmp_path, monkeypatch):
    """A file with a short row lands by the per-file reader (the row quarantined), then joins its batch's
    shape check: one GX validation for the batch, and alone only the file the shape points at."""
    settings = workspace(tmp_path)
    clean = police("2024-01", "A")
    short = police("2024-02", "B")
    short[3] = short[3][:3]                                       # a row with 3 of 12 fields: malformed
    short_and_bad = police("2024-03", "C")
    short_and_bad[0] = short_and_bad[0][:5]
    for row in short_and_bad[1:6]:
        row[4] = "E0102"                                          # 5 of 19 LSOAs malformed: fails the contract
    for order, (name, rows) in enumerate([("a.csv", clean), ("b.csv", short), ("c.csv", short_and_bad)]):
        _deliver(settings, name, rows, order)
    per_file, validated = [], []
    land, validate = deliveries._land_one, deliveries.validate_delivery
    monkeypatch.setattr(deliveries, "_land_one", lambda con, c, path, *a: per_file.append(path.name) or land(con, c, path, *a))
    monkeypatch.setattr(deliveries, "validate_delivery",
                        lambda con, contract, form, delivery_id, factory: validated.append(delivery_id)
                        or validate(con, contract, form, delivery_id, factory))
    with connect(settings.warehouse) as con:
        results = deliveries.ingest_source(con, "police_crime", settings.raw_dir, "run")
    assert per_file == ["b.csv", "c.csv"]
    assert [(r.file_name, r.status, r.rows) for r in results] == [
        ("a.csv", "loaded", 20), ("b.csv", "loaded", 20), ("c.csv", "quarantined", 20)]
    assert "column 'lsoa_code': 26.3% of values are not in the expected format (e.g. 'E0102')" in results[2].reason
    assert validated == [3]
    assert query(settings, "SELECT delivery_id, suite, success FROM meta.validations ORDER BY 1") == [
        (1, "police_crime.restricted.batch", True), (2, "police_crime.restricted.batch", True),
        (3, "police_crime.restricted", False)]
    assert query(settings, "SELECT _delivery_id, count(*) FROM raw.malformed_rows GROUP BY 1 ORDER BY 1") == [(2, 1), (3, 1)]
