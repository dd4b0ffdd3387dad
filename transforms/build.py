"""Build the warehouse's derived tables by running the SQL models under sql/.

Each file sql/<layer>/<name>.sql builds one table, <schema>.<name>. Layers run in a fixed order;
within a layer, a model runs after any model of the same layer whose table it mentions, so adding a
table is adding a file. The macros the models share (sql/macros/*.sql, one per file) are defined
first.
"""
from __future__ import annotations

import logging
import re

import duckdb

from csp.config import SQL_DIR
from csp.warehouse import run

log = logging.getLogger(__name__)

# layer folder -> schema of the tables it builds, in build order
LAYERS = {"reference": "ref", "staging": "staging", "facts": "facts", "comparisons": "comparisons", "dq": "dq"}


def models(layer: str) -> list[str]:
    """The layer's model names ('staging/police_crime', ...) in dependency order."""
    schema = LAYERS[layer]
    files = {p.stem: p.read_text(encoding="utf-8") for p in sorted((SQL_DIR / layer).glob("*.sql"))}
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


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted((SQL_DIR / "macros").glob("*.sql")):
        run(con, f"macros/{path.stem}")


def build_reference(con: duckdb.DuckDBPyConnection) -> None:
    define_macros(con)
    for name in models("reference"):
        run(con, name)


def build_models(con: duckdb.DuckDBPyConnection) -> None:
    for layer in list(LAYERS)[1:]:
        for name in models(layer):
            log.info("building %s", name.replace("/", "."))
            run(con, name)
