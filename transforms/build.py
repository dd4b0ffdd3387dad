"""Build the warehouse's derived tables by running the SQL models under sql/.

Each file sql/<layer>/<name>.sql builds one table, <schema>.<name>; a template sql/<layer>/<name>.sql.j2
does the same once compiled from the measures catalogue (transforms/templates.py). Layers run in a
fixed order; within a layer, a model runs after any model of the same layer whose table it
mentions, so adding a table is adding a file. The macros the models share (sql/macros/*.sql, one per
file) are defined first. The statistics that SQL is the wrong tool for run between the facts and the
comparisons (transforms/measure_stats.py).
"""
from __future__ import annotations

import logging
import re

import duckdb

from csp.catalogue import Catalogue
from csp.config import SQL_DIR
from csp.warehouse import execute, run
from transforms import measure_stats, templates

log = logging.getLogger(__name__)

# layer folder -> schema of the tables it builds, in build order
LAYERS = {"reference": "ref", "staging": "staging", "facts": "facts", "comparisons": "comparisons", "dq": "dq"}
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


def build_models(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    for layer in list(LAYERS)[1:]:
        if layer == "comparisons":
            log.info("computing the comparison statistics")
            measure_stats.build(con)
        for name in models(layer):
            log.info("building %s", name.replace("/", "."))
            build_model(con, name, catalogue)
