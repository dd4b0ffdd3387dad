"""Build the warehouse's derived tables by running the SQL models under sql/.

Each file sql/<layer>/<name>.sql builds one table, <schema>.<name> (or a view, where a table would
only copy another table's rows again); a template sql/<layer>/<name>.sql.j2
does the same once compiled from the measures catalogue (transforms/templates.py). Layers run in a
fixed order; within a layer, a model runs after any model of the same layer whose table it
mentions, so adding a table is adding a file. The macros the models share (sql/macros/*.sql, one per
file) are defined first. The statistics that SQL is the wrong tool for run between the facts and the
comparisons (transforms/measure_stats.py).

A checked table (staging.<source>_checked, staging.asb_restricted_checked) whose model says
`-- materialized: incremental by delivery` is built incrementally: only the deliveries that arrived
since the last build are checked, plus every delivery sharing a month with them (which delivery is
current for a month depends on all of them), and their rows replace those deliveries' rows. That
gives what a full build gives as long as each of the model's checks looks only at its own delivery
or at the month (as every check in sql/macros/checked_rows.sql does); a model that matches rows
across deliveries (road casualties find their collision in another file) must not say it. Every
other table is rebuilt in full: they read the checked tables, which is cheap next to checking
millions of rows again.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import duckdb

from csp.catalogue import Catalogue
from csp.checkpoints import checkpoint
from csp.config import SQL_DIR
from csp.warehouse import execute, reporting, run, sql
from transforms import measure_stats, templates

log = logging.getLogger(__name__)

# layer folder -> schema of the tables it builds, in build order
LAYERS = {"reference": "ref", "staging": "staging", "facts": "facts", "comparisons": "comparisons", "marts": "marts",
          "dq": "dq"}
TEMPLATE_SUFFIX = ".sql.j2"


def _model_files(layer: str) -> dict[str, str]:
    """name -> text of the layer's models (SQL files and templates)."""
    files = {}
    for path in sorted((SQL_DIR / layer).iterdir()):
        if path.name.endswith((".sql", TEMPLATE_SUFFIX)):
            files[path.name.removesuffix(TEMPLATE_SUFFIX).removesuffix(".sql")] = path.read_text(encoding="utf-8")
    return files


def models(layer: str) -> list[str]:
    """The layer's model names ('staging/police_crime', ...) in dependency order."""
    schema = LAYERS[layer]
    files = _model_files(layer)
    graph = {
        name: {other for other in files
               if other != name and re.search(rf"\b{schema}\.{re.escape(other)}\b", text)}
        for name, text in files.items()
    }
    ordered: list[str] = []
    while graph:  # Kahn's algorithm, alphabetical among the ready ones so the order never varies
        ready = sorted(name for name, deps in graph.items() if not deps - set(ordered))
        if not ready:
            raise ValueError(f"SQL models in sql/{layer}/ refer to each other in a cycle: {sorted(graph)}")
        ordered += ready
        graph = {name: deps for name, deps in graph.items() if name not in ready}
    return [f"{layer}/{name}" for name in ordered]


def build_model(con: duckdb.DuckDBPyConnection, name: str, catalogue: Catalogue) -> None:
    if not (SQL_DIR / f"{name}{TEMPLATE_SUFFIX}").exists():
        view = re.search(r"CREATE OR REPLACE VIEW (\w+)\.(\w+) AS", sql(name))
        if view and _exists(con, f"{view[1]}.{view[2]}"):   # a warehouse built when the model made a table
            execute(con, f"DROP TABLE {view[1]}.{view[2]}")
        run(con, name)
        return
    table_columns = dict(run(con, "ops/table_columns"))
    compiled = templates.render(name, catalogue, table_columns)
    execute(con, compiled)
    layer, table = name.split("/")
    run(con, "ops/store_compiled_model", {"model": f"{LAYERS[layer]}.{table}", "catalogue_sha256": catalogue.sha256,
                                          "compiled_sql": compiled})


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted((SQL_DIR / "macros").glob("*.sql")):
        run(con, f"macros/{path.stem}")


def build_reference(con: duckdb.DuckDBPyConnection) -> None:
    define_macros(con)
    for name in models("reference"):
        run(con, name)


INCREMENTAL = "-- materialized: incremental by delivery"


@dataclass(frozen=True)
class Since:
    """What the last build covered, for an incremental build."""
    last_delivery_id: int
    as_of: dt.date


def build_models(con: duckdb.DuckDBPyConnection, catalogue: Catalogue, since: Since | None = None) -> None:
    """Build every table; with `since`, check only what changed in the incremental checked tables."""
    execute(con, "SET VARIABLE build_deliveries = NULL")
    for layer in list(LAYERS)[1:]:
        if layer == "comparisons":
            log.info("computing the comparison statistics")
            measure_stats.build(con)
        for name in models(layer):
            table = f"{LAYERS[layer]}.{name.split('/')[1]}"
            if since and INCREMENTAL in _model_files(layer)[name.split("/")[1]] and _exists(con, table):
                with reporting(con, f"checking the new deliveries into {table}"):
                    _check_incrementally(con, name, table, since)
            else:
                log.info("building %s", table)
                with reporting(con, f"building {table}"):
                    build_model(con, name, catalogue)
            checkpoint("build:model")


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return run(con, "ops/table_exists", {"schema": schema, "name": name})[0][0]


def _check_incrementally(con: duckdb.DuckDBPyConnection, name: str, table: str, since: Since) -> None:
    checking = [r[0] for r in run(con, "ops/deliveries_to_check", {
        "checked_table": table, "last_delivery_id": since.last_delivery_id, "previous_as_of": since.as_of})]
    if not checking:
        log.info("%s: nothing new to check", table)
        return
    # the model as it is, its rows kept in a temp table instead of replacing the checked table
    into_increment, found = re.subn(rf"CREATE OR REPLACE TABLE {re.escape(table)} AS",
                                    "CREATE OR REPLACE TEMP TABLE increment AS", sql(name), count=1)
    if not found:   # run as it is, the model would replace the whole checked table with the new deliveries' rows
        raise ValueError(f"sql/{name}.sql does not open 'CREATE OR REPLACE TABLE {table} AS': it cannot be built "
                         "incrementally")
    while True:
        execute(con, "SET VARIABLE build_deliveries = $ids", {"ids": checking})
        execute(con, into_increment)
        sharing = [r[0] for r in run(con, "ops/deliveries_sharing_months",
                                     {"checked_table": table, "build_deliveries": checking})]
        if not sharing:
            break
        checking = sorted(checking + sharing)
    execute(con, sql("ops/delete_checked_rows").format(checked_table=table), {"build_deliveries": checking})
    execute(con, sql("ops/insert_checked_rows").format(checked_table=table))
    execute(con, "SET VARIABLE build_deliveries = NULL")
    # the deliveries counted are the table's own: `checking` holds every source's new deliveries
    rows, deliveries = run(con, "ops/increment_counts")[0]
    if rows:
        log.info("%s: %d %s checked (%s rows), the rows of the others kept", table, deliveries,
                 "delivery" if deliveries == 1 else "deliveries", f"{rows:,}")
    else:
        log.info("%s: nothing new to check", table)
