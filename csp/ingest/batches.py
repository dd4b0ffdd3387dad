"""Landing a run of plain CSV deliveries in one scan.

Most deliveries are plain: a UTF-8 CSV whose header fits one of the contract's layouts and whose
last row ends with a line break. A run of such files with the same header (a backfill; 43 forces'
files for a month) is read by one multi-file read_csv rather than file by file: at national scale
the statements and transactions of each file cost far more than reading it. A file the batch read
finds anything wrong with (a line that does not split or is not UTF-8, a blank row, no data rows)
is landed again on its own by the per-file reader (readers.py), which explains it row by row, so
every file ends up as the per-file reader would leave it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from csp.contracts import Contract
from csp.ingest.errors import UnreadableDelivery
from csp.ingest.readers import TEXT_SUFFIXES, ZIP_MAGIC
from csp.ingest.text_files import BOM, CHUNK, header_row
from csp.validate import SHAPE_REPEATS, SHAPE_ROWS, shape_columns
from csp.warehouse import run

BATCH_BYTES = 512 << 20   # a batch's CSVs: the temporary table of one batch stays well inside memory_limit


@dataclass(frozen=True)
class PlainCsv:
    path: Path
    checksum: str
    headers: tuple[str, ...]
    with_bom: bool
    size: int

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
    if contract.identify_form(set(contract.map_headers(headers)[0].values()))[0] is None:
        return None
    return PlainCsv(path, checksum, tuple(headers), head.startswith(BOM), size)


@dataclass(frozen=True)
class CleanFile:
    data_rows: int
    first_read: int   # read order of the file's first row in batch_read


def read_batch(con: duckdb.DuckDBPyConnection, batch: list[PlainCsv]) -> dict[Path, CleanFile]:
    """Read the batch into the temp table batch_read; returns the files it read cleanly (the others,
    and every file if DuckDB refuses the scan, are for the per-file reader)."""
    run(con, "ops/drop_batch_rejects")
    try:
        run(con, "ops/land_batch", {"paths": [str(f.path) for f in batch],
                                    "columns": {h: "VARCHAR" for h in batch[0].headers}})
    except duckdb.Error:
        return {}
    return {Path(path): CleanFile(rows, first) for path, rows, first in run(con, "ops/batch_files")}


def record_batch_deliveries(con: duckdb.DuckDBPyConnection, landed: list[tuple[PlainCsv, int, CleanFile]]) -> None:
    """The temp table batch_deliveries: each clean file's path, the delivery it was registered as,
    and where its rows start in batch_read, for landing its rows (deliveries.insert_raw_rows)."""
    run(con, "ops/batch_deliveries", {
        "paths": [str(f.path) for f, _, _ in landed], "file_names": [f.path.name for f, _, _ in landed],
        "delivery_ids": [d for _, d, _ in landed], "checksums": [f.checksum for f, _, _ in landed],
        "first_reads": [c.first_read for _, _, c in landed]})


def batch_shape(con: duckdb.DuckDBPyConnection, contract: Contract, headers: tuple[str, ...], spec: dict,
                landed: list[tuple[PlainCsv, int, CleanFile]]) -> pd.DataFrame:
    """The clean files' shape, for the delivery suite `spec` restated on it (csp/validate.py): a column
    per contract column holding its distinct values where the suite checks values, each file's row
    count, and each file's rows repeating a key. Columns are padded with nulls, which GX leaves out."""
    header_of = {col: header for header, col in contract.map_headers(list(headers))[0].items()}
    value_columns, key_columns = shape_columns(spec)
    columns: dict[str, list] = {col: [] for col in contract.column_names}
    wanted = [header_of[c] for c in value_columns if c in header_of]
    if wanted:
        column_of = {header: col for col, header in header_of.items()}
        for header, value in run(con, "ops/batch_values", {"headers": wanted}):
            columns[column_of[header]].append(value)
    columns[SHAPE_ROWS] = [clean.data_rows for _, _, clean in landed]
    keys = [header_of[c] for c in key_columns if c in header_of]
    repeats = {(h, Path(f)): n for h, f, n in run(con, "ops/batch_repeats", {"headers": keys})} if keys else {}
    for col in key_columns:
        columns[SHAPE_REPEATS.format(column=col)] = [repeats.get((header_of.get(col), f.path), 0) for f, _, _ in landed]
    length = max(len(values) for values in columns.values())
    return pd.DataFrame({col: pd.Series(values + [None] * (length - len(values)), dtype=object)
                         for col, values in columns.items()})
