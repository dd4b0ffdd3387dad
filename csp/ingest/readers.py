"""Reading a delivery file into the temporary `landing` table: every value as text, with the
file's own headers and the row number of each data row."""
from __future__ import annotations

from pathlib import Path

import duckdb

from csp.warehouse import run

READABLE_SUFFIXES = {".csv", ".txt"}


class UnreadableDelivery(Exception):
    """The file cannot be read as a table; the message says why in words."""


def read_into_landing(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Land the file in temp table `landing`; return its headers in file order."""
    if path.suffix.lower() not in READABLE_SUFFIXES:
        raise UnreadableDelivery(f"files of type '{path.suffix}' are not accepted (send CSV)")
    if path.stat().st_size == 0:
        raise UnreadableDelivery("the file is empty (0 bytes)")
    try:
        run(con, "ops/land_csv", {"path": str(path)})
    except duckdb.Error as exc:
        raise UnreadableDelivery(f"the file could not be read as CSV: {str(exc).splitlines()[0]}") from exc
    return con.table("landing").columns[1:]
