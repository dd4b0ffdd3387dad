"""Build the warehouse's derived tables by running the SQL models in dependency order."""
from __future__ import annotations

import logging

import duckdb

from csp.warehouse import run

log = logging.getLogger(__name__)

# One SQL file per table, in the order they depend on each other.
REFERENCE_MODELS = [
    "reference/districts",
    "reference/lsoa_district",
    "reference/population",
    "reference/offence_groups",
    "reference/areas",
]
MODELS = [
    "staging/police_crime_checked",
    "staging/police_crime",
    "facts/crime_monthly",
    "facts/source_windows",
    "comparisons/crime_rolling_12m",
    "comparisons/crime_trend",
    "dq/deliveries",
    "dq/quarantined_rows",
]


def build_reference(con: duckdb.DuckDBPyConnection) -> None:
    for name in REFERENCE_MODELS:
        run(con, name)


def build_models(con: duckdb.DuckDBPyConnection) -> None:
    for name in MODELS:
        log.info("building %s", name.replace("/", "."))
        run(con, name)
