"""A district mart's DuckDB file, written on the warehouse's connection (csp.marts.publish._write_tables)."""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from csp.marts.districts import District
from csp.marts.publish import Mart, _write_tables
from csp.publish.model import Stamp


def _mart(tmp_path) -> Mart:
    folder = tmp_path / "dover"
    folder.mkdir()
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    return Mart(District("E07000108", "Dover"), folder, folder / "dover.duckdb", stamp)


def test_a_mart_is_written_and_detached(tmp_path):
    con = duckdb.connect()
    parquet = _write_tables(con, _mart(tmp_path), {"counts": pd.DataFrame({"n": [1, 2]})},
                            {"about": pd.DataFrame({"line": ["a"]})})
    assert [p.name for p in parquet] == ["counts.parquet"]
    assert con.sql("SELECT database_name FROM duckdb_databases() WHERE database_name = 'mart'").fetchall() == []
    with duckdb.connect(str(tmp_path / "dover" / "dover.duckdb"), read_only=True) as mart:
        assert mart.sql("SELECT sum(n) FROM counts").fetchall() == [(3,)]


def test_a_failure_mid_transaction_is_raised_as_itself_and_leaves_the_connection_usable(tmp_path):
    """A table DuckDB cannot write (here a column of complex numbers; in a refresh, Ctrl-C) aborts the mart's
    transaction, and the clean-up then failed with "Current transaction is aborted", which hid what stopped the run
    (a Ctrl-C ended in that traceback, exit 1, not one line and exit 130: an adversarial review)."""
    con = duckdb.connect()
    with pytest.raises(duckdb.NotImplementedException, match="complex128"):
        _write_tables(con, _mart(tmp_path), {"counts": pd.DataFrame({"n": [1]}),
                                             "bad": pd.DataFrame({"z": np.array([1 + 2j])})}, {})
    assert con.sql("SELECT database_name FROM duckdb_databases() WHERE database_name = 'mart'").fetchall() == []
    assert con.sql("SELECT 1").fetchall() == [(1,)]   # no transaction left open or aborted
