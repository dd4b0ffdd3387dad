"""Landing a run of plain CSV deliveries in one transaction, with two multi-file scans.

Most deliveries are plain: a UTF-8 CSV whose header fits one of the contract's layouts and whose
last row ends with a line break. A run of such files with the same header (a backfill; 43 forces'
files for a month) is read by multi-file read_csv rather than file by file: at national scale the
statements and transactions of each file cost far more than reading it. The first scan only counts
each file's data rows and blank rows (sql/ops/count_batch.sql); the second reads the files it read
cleanly straight into raw.<source> (sql/ops/land_batch.sql): no row is held in a temporary table or
sorted, and writing the rows to the warehouse is most of the cost. A file the first scan finds
anything wrong with (a line that does not split or is not UTF-8, a blank row, no data rows, rows
that do not take one line each) is landed again on its own by the per-file reader (readers.py),
which explains it row by row, so every file ends up as the per-file reader would leave it.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import duckdb
import pandas as pd

from csp.contracts import Contract
from csp.ingest.errors import UnreadableDelivery
from csp.ingest.readers import TEXT_SUFFIXES, ZIP_MAGIC
from csp.ingest.text_files import BOM, CHUNK, MAX_COLUMNS, header_row, line_shape
from csp.validate import SHAPE_REPEATS, SHAPE_ROWS, shape_columns, share_column, tolerant
from csp.warehouse import run

BATCH_BYTES = 512 << 20   # a batch's CSVs: bounds what one transaction holds uncommitted, and a failure rolls back


@dataclass(frozen=True)
class PlainCsv:
    path: Path
    checksum: str
    headers: tuple[str, ...]
    with_bom: bool
    size: int
    lines: int   # as DuckDB reads them (text_files.line_shape)

    @property
    def file_type(self) -> str:
        return "CSV, UTF-8 with byte-order mark" if self.with_bom else "CSV, UTF-8"


def plain_csv(contract: Contract, path: Path, checksum: str) -> PlainCsv | None:
    """The file as a plain CSV of one of the contract's layouts, or None if it needs the per-file reader."""
    size = path.stat().st_size
    if path.suffix.lower() not in TEXT_SUFFIXES or size == 0:
        return None
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
        fh.seek(-1, 2)
        last = fh.read(1)
    if head.startswith(ZIP_MAGIC) or b"\x00" in head or last not in (b"\n", b"\r"):
        return None
    try:
        headers = header_row(path)
    except (UnreadableDelivery, UnicodeDecodeError):
        return None
    if contract.header_form(headers) is None:
        return None
    shape = line_shape(path)
    if shape.widest > MAX_COLUMNS:   # the per-file reader refuses it
        return None
    return PlainCsv(path, checksum, tuple(headers), head.startswith(BOM), size, shape.lines)


@dataclass(frozen=True)
class BatchFile:
    plain: PlainCsv
    delivery_id: int
    data_rows: int


def read_batch(con: duckdb.DuckDBPyConnection, batch: list[PlainCsv]) -> dict[Path, int]:
    """Count each file's rows in one scan of the batch; returns the data rows of the files it read
    cleanly, each row one line of the file after its header (the others, and every file if DuckDB
    refuses the scan, are for the per-file reader). The
    scan runs on a cursor of its own, outside the caller's transaction: a scan DuckDB refuses (a file
    whose line breaks are mixed, "state machine reached an invalid state") would otherwise abort that
    transaction, and the per-file reader after it would fail (fuzz review)."""
    scan = con.cursor()
    try:
        run(scan, "ops/drop_batch_rejects")
        try:
            run(scan, "ops/count_batch", {"paths": [str(f.path) for f in batch], "columns": _columns(batch[0].headers)})
        except duckdb.Error:
            return {}
        counted = {Path(path): rows for path, rows in run(scan, "ops/batch_files")}
    finally:
        scan.close()
    lines = {f.path: f.lines for f in batch}
    # a file whose rows do not take one line each is read alone, which accounts for its lines (a quoted line
    # break; a quote never closed, whose rejected row a scan of five files or more does not record: DuckDB 2.0
    # drops it, and the lines after the quote, silently, and the file loaded with its rows after the quote lost)
    return {path: rows for path, rows in counted.items() if lines[path] == rows + 1}


def define_batch_rows(con: duckdb.DuckDBPyConnection, landed: list[BatchFile]) -> dict:
    """Ready the table macro batch_rows (sql/ops/land_batch.sql) for the clean files `landed`, in batch
    order; returns batch_rows' parameters, for landing their rows (deliveries.insert_raw_rows)."""
    paths = [str(f.plain.path) for f in landed]
    run(con, "ops/batch_deliveries", {
        "paths": paths, "file_names": [f.plain.path.name for f in landed],
        "delivery_ids": [f.delivery_id for f in landed], "checksums": [f.plain.checksum for f in landed],
        "rows_before": list(accumulate((f.data_rows for f in landed[:-1]), initial=0))})
    run(con, "ops/land_batch")
    return {"paths": paths, "columns": _columns(landed[0].plain.headers)}


def _columns(headers: tuple[str, ...]) -> dict[str, str]:
    return {h: "VARCHAR" for h in headers}


def checked_cells(contract: Contract) -> str:
    """The temporary view of raw.<source> holding each column as its suite checks it (define_checked_cells)."""
    return f"checked_cells_{contract.source}"


def define_checked_cells(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Ready the view checked_cells(contract): raw.<source> with every contract column as the row checks
    read it (Contract.checked_expression: trimmed, codes upper-cased, dates as the SQL parses them...),
    which both a delivery's validation and a batch's shape are read from. Its macros are those the
    staging models use (sql/macros/parse_timestamp.sql, read_as.sql), defined here as the build does;
    batch_cells (sql/ops/batch_cells.sql), which a batch's shape is read with, is defined here too: a
    batch none of whose files the scan read cleanly (each with a blank row) validates the files the
    per-file reader landed together, and stopped the refresh when it was defined only with clean files
    (fuzz review)."""
    for name in ("macros/parse_timestamp", "macros/read_as", "ops/batch_cells"):
        run(con, name)
    columns = ", ".join(f'{contract.checked_expression(col)} AS "{col}"' for col in contract.column_names)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {checked_cells(contract)} AS "
                f"SELECT _delivery_id, {columns} FROM raw.{contract.source}")


def landed_cells(contract: Contract, landed: list[BatchFile]) -> dict:
    """batch_cells' table and deliveries for the landed files (sql/ops/batch_cells.sql), their values as
    their suite checks them (define_checked_cells); the query adds the columns."""
    return {"table": checked_cells(contract), "delivery_ids": [f.delivery_id for f in landed]}


def batch_shape(con: duckdb.DuckDBPyConnection, contract: Contract, spec: dict, landed: list[BatchFile],
                unexpected: dict[str, list] | None = None) -> pd.DataFrame:
    """The landed files' shape, for the delivery suite `spec` restated on it (csp/validate.py): a column
    per contract column holding its distinct values where the suite checks values, each file's row
    count, and each file's rows repeating a key. Read from raw.<source> (the batch's transaction sees
    its rows). Columns are padded with nulls, which GX leaves out.
    With `unexpected` (a check's share column -> the unexpected values the shape's validation named
    for it), also each file's share of values passing each check that allows a share, for
    shape_suite(shares=True): (values - unexpected) / values, as GX works out a delivery's; none
    for a file holding no value in the column (GX passes it)."""
    value_columns, key_columns = shape_columns(spec)
    batch = landed_cells(contract, landed)
    columns: dict[str, list] = {col: [] for col in contract.column_names}
    if value_columns:
        for col, value in run(con, "ops/batch_values", {**batch, "columns": value_columns}):
            columns[col].append(value)
    columns[SHAPE_ROWS] = [f.data_rows for f in landed]
    repeats = ({(col, d): n for col, d, n in run(con, "ops/batch_repeats", {**batch, "columns": key_columns})}
               if key_columns else {})
    for col in key_columns:
        columns[SHAPE_REPEATS.format(column=col)] = [repeats.get((col, f.delivery_id), 0) for f in landed]
    if unexpected is not None:
        checks = [e for e in spec["expectations"] if tolerant(e)]
        non_null = {(d, col): n for d, col, n in run(con, "ops/batch_non_null", {
            **batch, "columns": list(dict.fromkeys(e["kwargs"]["column"] for e in checks))})}
        for exp in checks:
            col, share = exp["kwargs"]["column"], share_column(exp)
            if exp["type"] == "expect_column_values_to_be_unique":
                found = {d: n for (c, d), n in repeats.items() if c == col}
            else:
                found = dict(run(con, "ops/batch_unexpected", {**batch, "column": col, "values": unexpected[share]})
                             if unexpected.get(share) else [])
            columns[share] = [_share(non_null.get((f.delivery_id, col), 0), found.get(f.delivery_id, 0)) for f in landed]
    length = max(len(values) for values in columns.values())
    return pd.DataFrame({col: pd.Series(values + [None] * (length - len(values)), dtype=object)
                         for col, values in columns.items()})


def files_holding(con: duckdb.DuckDBPyConnection, contract: Contract, landed: list[BatchFile], column: str,
                  values: list) -> set[int]:
    """The deliveries among the landed files holding any of `values` in the contract column `column`."""
    return {d for d, _ in run(con, "ops/batch_unexpected", {**landed_cells(contract, landed), "column": column,
                                                            "values": values})}


def _share(values: int, unexpected: int) -> float | None:
    """GX's share of a file's values passing a check, the same floating-point steps (_mostly_success)."""
    return (float(values) - float(unexpected)) / float(values) if values else None
