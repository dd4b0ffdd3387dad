"""Ingest: every file in data/raw/<source>/ becomes a delivery in meta.deliveries.

A file already seen (same checksum) is skipped. A new file is read as text (readers.py: encodings,
workbooks, malformed and blank rows), its columns renamed through the contract's aliases, landed in
raw.<source> with provenance (file, checksum, row number) and checked against its Great Expectations
suite. A delivery that cannot be used is quarantined with a reason (empty, no data rows, a layout
of no form, another source's layout, cut short, failing its contract); its rows stay in the
warehouse (raw.<source>, raw.unrecognised_rows, raw.malformed_rows). Columns the contract does not
know are not loaded (they may hold data the partnership should not keep) and named in the
delivery's warnings. Raw files are only ever read.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb

from csp.checkpoints import checkpoint
from csp.contracts import Contract, available_sources, load_contract
from csp.ingest.errors import UnreadableDelivery
from csp.ingest.readers import Landed, read_into_landing
from csp.validate import DeliveryValidator
from csp.warehouse import execute, run

log = logging.getLogger(__name__)

IGNORED_NAMES = {"readme.md", "readme.txt", ".gitkeep", "md5sums"}


@dataclass(frozen=True)
class DeliveryResult:
    file_name: str
    status: str            # loaded | quarantined | unchanged
    delivery_id: int | None
    form: str | None
    rows: int
    reason: str = ""
    warnings: tuple[str, ...] = ()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def discover(raw_dir: Path, source: str) -> list[Path]:
    """Delivery files of a source, oldest first (a resubmission lands after the file it corrects)."""
    folder = raw_dir / source
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir()
             if p.is_file() and not p.name.startswith(".") and p.name.lower() not in IGNORED_NAMES]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def ensure_raw_table(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """raw.<source>: provenance plus every contract column as text (DDL generated from the contract)."""
    cols = ", ".join(f'"{c}" VARCHAR' for c in contract.column_names)
    execute(
        con,
        f"CREATE TABLE IF NOT EXISTS raw.{contract.source} (_delivery_id INTEGER NOT NULL, "
        f"_source_file VARCHAR NOT NULL, _checksum VARCHAR NOT NULL, _row_number BIGINT NOT NULL, {cols})"
    )
    existing = set(con.table(f"raw.{contract.source}").columns)
    for col in contract.column_names:
        if col not in existing:  # a contract grew a column: older deliveries have it empty
            execute(con, f'ALTER TABLE raw.{contract.source} ADD COLUMN "{col}" VARCHAR')


def _land_rows(con, contract: Contract, mapping: dict[str, str], delivery_id: int, path: Path, checksum: str) -> None:
    """Copy the landing rows into raw.<source> under the contract's column names."""
    renamed = ", ".join(f'"{header.replace(chr(34), chr(34) * 2)}" AS "{col}"' for header, col in mapping.items())
    execute(
        con,
        f"INSERT INTO raw.{contract.source} BY NAME SELECT $delivery_id AS _delivery_id, "
        f"$file AS _source_file, $checksum AS _checksum, _row_number, {renamed} FROM landing",
        {"delivery_id": delivery_id, "file": path.name, "checksum": checksum},
    )


def ingest_file(con, contract: Contract, path: Path, run_id: str, validator_factory) -> DeliveryResult:
    checksum = sha256(path)
    seen = next(iter(run(con, "ops/find_delivery", {"source": contract.source, "checksum": checksum})), None)
    if seen:
        return DeliveryResult(path.name, "unchanged", seen[0], None, 0,
                              f"same bytes as delivery {seen[0]} ({seen[2]}), already {seen[1]}")

    record = {"source": contract.source, "file_name": path.name, "file_path": str(path), "checksum": checksum,
              "size_bytes": path.stat().st_size, "received_at": dt.datetime.now(), "run_id": run_id}
    execute(con, "BEGIN TRANSACTION")
    try:
        try:
            landed = read_into_landing(con, path, lambda headers: contract.identify_form(
                set(contract.map_headers(headers)[0].values()))[0] is not None)
        except UnreadableDelivery as exc:
            delivery_id = run(con, "ops/register_delivery", {
                **record, "form": None, "status": "quarantined", "reason": str(exc), "rows_received": 0,
                "file_type": None, "warnings": [], "extra_columns": [], "blank_rows": 0,
            })[0][0]
            execute(con, "COMMIT")
            return DeliveryResult(path.name, "quarantined", delivery_id, None, 0, str(exc))

        mapping, extra = contract.map_headers(landed.headers)
        form, why = contract.identify_form(set(mapping.values()))
        reason = delivery_problem(contract, path, landed, form, why)
        status = "quarantined" if reason else "loaded"
        warnings = landed.notes + ([f"columns not in the data contract were not loaded: {', '.join(extra)}"]
                                   if extra and form else [])
        delivery_id = run(con, "ops/register_delivery", {
            **record, "form": form, "status": status, "reason": reason, "rows_received": landed.rows_received,
            "file_type": landed.file_type, "warnings": warnings, "extra_columns": extra if form else [],
            "blank_rows": len(landed.blank_rows),
        })[0][0]
        run(con, "ops/store_malformed_rows", {"delivery_id": delivery_id, "cut_row": landed.cut_row})
        if form is None:
            run(con, "ops/delivery_rows", {"delivery_id": delivery_id})
        else:
            _land_rows(con, contract, mapping, delivery_id, path, checksum)
            if status == "loaded" and landed.rows_read:
                df = con.table(f"raw.{contract.source}").filter(f"_delivery_id = {delivery_id}").df()
                outcome = validator_factory().validate(contract.source, form, df)
                run(con, "ops/store_validation", {"delivery_id": delivery_id, "suite": f"{contract.source}.{form}",
                                                  "success": outcome.success, "result": outcome.result_json})
                if not outcome.success:
                    status, reason = "quarantined", f"failed its data contract: {outcome.reason}"
                    run(con, "ops/quarantine_delivery", {"delivery_id": delivery_id, "reason": reason})
        checkpoint("ingest:landed")
        execute(con, "COMMIT")
    except BaseException:
        execute(con, "ROLLBACK")
        raise
    return DeliveryResult(path.name, status, delivery_id, form, landed.rows_received, reason or "", tuple(warnings))


def delivery_problem(contract: Contract, path: Path, landed: Landed, form: str | None, why: str) -> str | None:
    """Why the whole delivery cannot be used, in words for the partner; None when it can."""
    if landed.rows_received == 0:
        blank = f" (only {len(landed.blank_rows)} blank rows)" if landed.blank_rows else ""
        return f"the file has a header row but no data rows{blank}"
    if form is None:
        return wrong_folder(contract, path, landed.headers) or why
    if landed.cut_row:
        return (f"the file is cut short: it ends part-way through row {landed.cut_row}, so rows after it are "
                "probably missing and loading it would undercount its months; please send the complete file again")
    return None


def wrong_folder(contract: Contract, path: Path, headers: list[str]) -> str | None:
    """A file whose columns fit another source's contract (and not this one's) was put in the wrong folder."""
    for other in available_sources():
        if other == contract.source:
            continue
        theirs = load_contract(other)
        form, _ = theirs.identify_form(set(theirs.map_headers(headers)[0].values()))
        if form:
            return (f"this looks like a {other} extract ({theirs.title}, '{form}' layout), not {contract.title}: "
                    f"move it to {path.parent.parent.name}/{other}/")
    return None


def ingest_source(con, source: str, raw_dir: Path, run_id: str, validator_factory=None) -> list[DeliveryResult]:
    """Ingest every new file of one source; returns what happened to each file."""
    contract = load_contract(source)
    ensure_raw_table(con, contract)
    validator_factory = validator_factory or _shared_validator
    results = []
    for path in discover(raw_dir, source):
        result = ingest_file(con, contract, path, run_id, validator_factory)
        log.info("%s: %s %s%s", source, path.name, result.status,
                 f" ({result.rows} rows)" if result.status != "unchanged" else "")
        if result.status == "quarantined":
            log.warning("%s: %s quarantined: %s", source, path.name, result.reason)
        results.append(result)
    return results


_validator: DeliveryValidator | None = None


def _shared_validator() -> DeliveryValidator:
    """One GX context per process, created only when a new delivery needs checking."""
    global _validator
    if _validator is None:
        _validator = DeliveryValidator()
    return _validator
