"""The DuckDB warehouse: connecting, and running the SQL files under sql/.

Every query and model the pipeline runs lives in sql/<folder>/<name>.sql; only control statements (SET,
BEGIN, ATTACH, DROP of a leftover) and statements generated from a contract are written in Python. Models (one file = one table,
CREATE OR REPLACE) read their settings from DuckDB variables set here, so each file runs as it is
in the DuckDB CLI after the same SET VARIABLE lines.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from functools import cache
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from csp.checkpoints import checkpoint
from csp.config import SQL_DIR, Settings

log = logging.getLogger(__name__)
REPORT_EVERY_S = 15.0


@cache
def sql(name: str) -> str:
    """The text of sql/<name>.sql."""
    path = SQL_DIR / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def connect(path: Path | str, memory_limit: str = "") -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse and make sure its bookkeeping tables exist."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    # progress kept (for `reporting`) but not drawn: the bars would go into the run's log
    execute(con, "SET enable_progress_bar = true")
    execute(con, "SET enable_progress_bar_print = false")
    if memory_limit:
        execute(con, "SET memory_limit = $limit", {"limit": memory_limit})
    run(con, "schema/warehouse")
    return con


@contextlib.contextmanager
def reporting(con: duckdb.DuckDBPyConnection, doing: str, every_s: float = REPORT_EVERY_S) -> Iterator[None]:
    """While the block runs, say every `every_s` seconds that it is still `doing` and how far DuckDB
    has got with the statement running on `con` (its own estimate of the share of the work done):
    a model over national data builds for close to a minute, which the log would pass in silence."""
    finished = threading.Event()
    started = time.monotonic()

    def report() -> None:
        while not finished.wait(every_s):
            done = con.query_progress()   # -1 between statements; 0 until DuckDB can tell
            log.info("still %s after %.0f s%s", doing, time.monotonic() - started,
                     f": about {done:.0f}% done" if done > 0 else "")

    reporter = threading.Thread(target=report, name="reporting", daemon=True)
    reporter.start()
    try:
        yield
    finally:
        finished.set()
        reporter.join()


def set_variables(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date) -> None:
    """The run's settings, visible to every model through getvariable()."""
    from csp.catalogue import load_catalogue
    from csp.contracts import PATTERNS, available_sources, load_contract

    contracts = {s: load_contract(s) for s in available_sources()}
    windowed = [s for s, c in contracts.items() if c.has_window]
    values = {
        # the measures catalogue and series-break register, checked, for the ref.measure* models
        "catalogue": load_catalogue(settings.catalogue, settings.series_breaks).as_json(),
        "reference_dir": str(settings.reference_dir),
        "area_name": settings.area_name,
        "police_force": settings.police_force,
        "population_mid_year": settings.population_mid_year,
        "as_of": as_of,
        # every source's staging.<source>_checked table, for the models that cover all sources
        "checked_tables": [f"staging.{s}_checked" for s in contracts],
        "period_min_share": {s: float(c.delivery_rules.get("period_min_share", 0.0)) for s, c in contracts.items()},
        # the share of a delivery's rows that must pass each row check, else the delivery is not used
        # (checked_rows()); without it in the contract, no share is required
        "min_valid_share": {s: float(c.delivery_rules.get("min_valid_share", 0.0)) for s, c in contracts.items()},
        # 'source/form' of the forms whose rows alone give no month data (delivery_rules.no_months_from), comma-joined
        "forms_without_months": ",".join(f"{s}/{form}" for s, c in contracts.items()
                                         for form in c.delivery_rules.get("no_months_from", [])),
        # the form of each column type (an LSOA code...), read by the row checks (matches_pattern) as by the suites
        "patterns": PATTERNS,
        # each contract's allowed values, 'source.column' -> list, read by the row checks (is_allowed)
        "allowed_values": {f"{s}.{col}": [v for v in c.allowed_for(col) if v != ""]
                           for s, c in contracts.items() for col in c.column_names if c.allowed_for(col) is not None},
        # the sources with a rolling comparison window (facts.source_windows) and how it is found
        "window_end_settings": {s: settings.window_end.get(s, "auto") for s in windowed},
        "complete_month": {s: contracts[s].complete_month for s in windowed},
        "period_months": {s: contracts[s].period_months for s in windowed},
        "expected_lag_months": {s: contracts[s].expected_lag_months for s in windowed},
        "lists_every_area": {s: c.lists_every_area for s, c in contracts.items()},
        # each form in words, 'source/form' -> title, for a comparison whose months came in more than one
        # (facts.source_windows.mixed_forms)
        "form_titles": {f"{s}/{form}": c.form_title(form) for s, c in contracts.items() for form in c.forms},
    }
    for name, value in values.items():
        if isinstance(value, dict):  # a MAP, so models can look a source up by a column value
            execute(con, f"SET VARIABLE {name} = map($keys, $values)", {"keys": list(value), "values": list(value.values())})
        else:
            execute(con, f"SET VARIABLE {name} = $value", {"value": value})


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[tuple]:
    """Run sql/<name>.sql and fetch everything it returns (DuckDB 2.0 refuses further work on a
    connection while an earlier result is unfetched)."""
    return con.execute(sql(name), params or {}).fetchall()


def records(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[dict]:
    """Run sql/<name>.sql and fetch its rows as {column: value} dicts."""
    cursor = con.execute(sql(name), params or {})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def execute(con: duckdb.DuckDBPyConnection, statement: str, params: dict | None = None) -> list[tuple]:
    """Run a generated statement (DDL built from a contract) and fetch its result."""
    return con.execute(statement, params or {}).fetchall()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection, kill_point: str) -> Iterator[None]:
    """The block's statements as one transaction: committed when the block ends (just after the
    checkpoint `kill_point`, where the crash tests stop a run), rolled back if anything in it fails."""
    execute(con, "BEGIN TRANSACTION")
    try:
        yield
        checkpoint(kill_point)
        execute(con, "COMMIT")
    except BaseException:
        execute(con, "ROLLBACK")
        raise


def literal(text: str) -> str:
    """`text` as a SQL string literal, where DuckDB takes no parameter (ATTACH's path, COPY's options)."""
    return "'" + text.replace("'", "''") + "'"


def copy_to_parquet(con: duckdb.DuckDBPyConnection, source: str, path: Path, metadata: dict[str, str]) -> None:
    """COPY `source` (a table, or a frame registered on `con`) to a Parquet file at `path`, with `metadata`
    (the protective marking and what the file is) in its footer, where a tool reading it finds them."""
    pairs = ", ".join(f"{key}: {literal(value)}" for key, value in metadata.items())
    con.execute(f"COPY {source} TO {literal(str(path))} (FORMAT parquet, KV_METADATA {{{pairs}}})")


def write_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Replace <schema>.<name> with a DataFrame's rows (the statistics step's outputs)."""
    con.register("frame_to_write", frame)
    try:
        execute(con, f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM frame_to_write")
    finally:
        con.unregister("frame_to_write")
