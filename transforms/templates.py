"""SQL templates: models whose SQL follows the measures catalogue (sql/<layer>/<name>.sql.j2).

The SQL lives in the template file; this module hands it the catalogue, quotes every name and value
the catalogue puts into it (so no catalogue entry can change what a statement does), and checks
that every column a measure uses exists in its source's staging table, so a typo in the catalogue
stops the build with the measure's name instead of quietly counting zero.
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from csp.catalogue import Catalogue, CatalogueError, Measure
from csp.config import SQL_DIR


def ident(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal: true/false, or a quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class SourceMeasures:
    id: str
    table: str
    form_column: str | None
    measures: list[Measure]


def measure_sources(catalogue: Catalogue, table_columns: dict[str, list[str]]) -> list[SourceMeasures]:
    """The catalogue's sources whose staging table exists, each with its count and rate measures."""
    present = []
    for source in catalogue.sources.values():
        columns = table_columns.get(source.table)
        measures = catalogue.counted(source.id)
        if columns is None or not measures:
            continue
        needed = {"month", "lad_code"} | ({source.form_column} if source.form_column else set())
        unknown = sorted(needed - set(columns))
        for m in measures:
            unknown += [f"{col} (measure '{m.id}')" for col in [*m.filters, *([m.value] if m.value else [])]
                        if col not in columns]
        if unknown:
            raise CatalogueError(f"{source.table} has no column {', '.join(unknown)}: "
                                 f"check catalogue/measures.yml against the table's columns")
        present.append(SourceMeasures(source.id, source.table, source.form_column, measures))
    return present


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(SQL_DIR), undefined=StrictUndefined, keep_trailing_newline=True,
                      autoescape=False)
    env.filters.update(ident=ident, literal=literal)
    return env


def render(model: str, catalogue: Catalogue, table_columns: dict[str, list[str]]) -> str:
    """The SQL of template model `model` ('facts/measure_monthly') for this catalogue and warehouse."""
    template = _environment().get_template(f"{model}.sql.j2")
    return template.render(sources=measure_sources(catalogue, table_columns), catalogue_sha256=catalogue.sha256)
