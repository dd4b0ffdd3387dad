"""Plain CSVs read in one scan are validated together on their shape (csp/validate.py), and alone only
where the shape points at them: the verdicts must be those of validating each file alone."""
from __future__ import annotations

import os

from csp.ingest import deliveries
from csp.validate import DeliveryValidator
from csp.warehouse import connect
from tests.conftest import query, workspace
from tests.integration.test_bad_deliveries import POLICE, csv_text, police


def _deliver(settings, name: str, rows: list[list[str]], order: int) -> None:
    path = settings.raw_dir / "police_crime" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(POLICE, rows), encoding="utf-8")
    os.utime(path, ns=(1_700_000_000_000_000_000 + order * 10**9,) * 2)


def _ingest(settings, monkeypatch, batch_bytes: int) -> tuple[list, list[int], list[str]]:
    """Ingest the police files with batches of at most `batch_bytes`: the results, the deliveries
    validated alone, and the kind of every GX validation made, in order."""
    alone, kinds = [], []
    one = deliveries.validate_delivery
    monkeypatch.setattr(deliveries, "BATCH_BYTES", batch_bytes)
    monkeypatch.setattr(deliveries, "validate_delivery",
                        lambda con, contract, form, delivery_id, factory: alone.append(delivery_id)
                        or one(con, contract, form, delivery_id, factory))
    validate = DeliveryValidator.validate
    monkeypatch.setattr(DeliveryValidator, "validate",
                        lambda self, *a, kind="delivery": kinds.append(kind) or validate(self, *a, kind=kind))
    with connect(settings.warehouse) as con:
        return deliveries.ingest_source(con, "police_crime", settings.raw_dir, "run"), alone, kinds


def test_only_the_files_the_shape_points_at_are_validated_alone(tmp_path, monkeypatch):
    """Files holding a few values their checks allow a share of (mostly 0.9) pass with the batch, on
    their shares; the verdicts are those of validating every file alone, at the bound too."""
    settings = workspace(tmp_path)
    files = {"a.csv": police("2024-01", "A")}                      # clean
    files["b.csv"] = police("2024-02", "B")
    files["b.csv"][0][3] = "Violence"                              # 1 of 20 not allowed: within the 90% share
    files["c.csv"] = police("2024-03", "C")
    for row in files["c.csv"][:2]:
        row[4] = "E0102"                                           # 2 of 20 LSOAs malformed: 90%, the bound
    files["d.csv"] = police("2024-04", "D")
    for row in files["d.csv"][:3]:
        row[4] = "E0102"                                           # 3 of 20: 85%, fails the contract
    files["e.csv"] = police("2024-05", "E")
    for row in files["e.csv"][:2]:
        row[0] = "E00"                                             # 2 of 20 rows share a key: 90% not repeated
    files["f.csv"] = police("2024-06", "F")
    for row in files["f.csv"][:4]:
        row[0] = "F00"                                             # 4 of 20 rows share a key: 20% repeated
    for order, (name, rows) in enumerate(files.items()):
        _deliver(settings, name, rows, order)

    results, alone, kinds = _ingest(settings, monkeypatch, deliveries.BATCH_BYTES)
    assert [(r.file_name, r.status) for r in results] == [
        ("a.csv", "loaded"), ("b.csv", "loaded"), ("c.csv", "loaded"), ("d.csv", "quarantined"), ("e.csv", "loaded"),
        ("f.csv", "quarantined")]
    assert "column 'lsoa_code': 15.0% of values are not in the expected format (e.g. 'E0102')" in results[3].reason
    assert "column 'crime_reference': 20.0% of values are repeated keys" in results[5].reason
    # the shape fails on b-f's few values; their shares point at d and f alone, and the four others are
    # checked again on their shares and recorded by that: four GX validations rather than one a file
    assert kinds == ["shape", "shares", "shares", "delivery", "delivery"]
    assert alone == [4, 6]
    assert query(settings, "SELECT delivery_id, suite, success FROM meta.validations ORDER BY 1") == [
        (1, "police_crime.restricted.batch_shares", True), (2, "police_crime.restricted.batch_shares", True),
        (3, "police_crime.restricted.batch_shares", True), (4, "police_crime.restricted", False),
        (5, "police_crime.restricted.batch_shares", True), (6, "police_crime.restricted", False)]

    by_batch = [(r.file_name, r.status, r.reason) for r in results]
    settings.warehouse.unlink()
    results, alone, kinds = _ingest(settings, monkeypatch, 1)      # every file a batch of its own
    assert kinds == ["delivery"] * 6
    assert [(r.file_name, r.status, r.reason) for r in results] == by_batch


def test_a_clean_batch_is_one_validation(tmp_path, monkeypatch):
    settings = workspace(tmp_path)
    for order, name in enumerate(["a.csv", "b.csv", "c.csv"]):
        _deliver(settings, name, police(f"2024-0{order + 1}", name[0].upper()), order)
    results, alone, kinds = _ingest(settings, monkeypatch, deliveries.BATCH_BYTES)
    assert [r.status for r in results] == ["loaded"] * 3 and alone == [] and kinds == ["shape"]
    assert query(settings, "SELECT suite, count(*) FROM meta.validations GROUP BY 1") == [
        ("police_crime.restricted.batch", 3)]


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
        (1, "police_crime.restricted.batch_shares", True), (2, "police_crime.restricted.batch_shares", True),
        (3, "police_crime.restricted", False)]
    assert query(settings, "SELECT _delivery_id, count(*) FROM raw.malformed_rows GROUP BY 1 ORDER BY 1") == [(2, 1), (3, 1)]
