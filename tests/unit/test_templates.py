"""The catalogue compiled into SQL: quoting, column checks, and exact counts from a tiny table."""
from __future__ import annotations


import duckdb
import pytest

from csp.catalogue import CatalogueError, parse_catalogue
from transforms.templates import ident, literal, render

CATALOGUE = """
aims: {a: {number: 1, name: Aim}}
disclosure_rules: {none: {description: as is}}
sources:
  s:
    title: a source
    table: staging.s
    form_column: form
  absent: {title: not loaded yet, table: staging.absent}
measures:
  - {id: every_row, name: Every row, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}
  - {id: odd_kind, name: "O'Neil's kind", source: s, unit: count, polarity: bad, aim: a, disclosure: none,
     filter: {kind: ["it's", b]}}
  - {id: not_flagged, name: Not flagged, source: s, unit: count, polarity: bad, aim: a, disclosure: none,
     filter: {flag: false}}
  - {id: weight_flagged, name: Weights, source: s, unit: count, value: weight, polarity: bad, aim: a,
     disclosure: none, filter: {flag: true, kind: [b]}}
  - {id: share, name: Share, source: s, unit: share, numerator: odd_kind, denominator: every_row, polarity: bad,
     aim: a, disclosure: none}
  - {id: later, name: Later, source: absent, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}
"""
COLUMNS = {"staging.s": ["month", "lad_code", "form", "kind", "flag", "weight"]}


def staging(con):
    con.execute("CREATE SCHEMA staging; CREATE SCHEMA facts")
    con.execute("""CREATE TABLE staging.s AS SELECT * FROM (VALUES
        (DATE '2025-01-01', 'L1', 'f', 'it''s', true, 0.5),
        (DATE '2025-01-01', 'L1', 'f', 'b', true, 0.25),
        (DATE '2025-01-01', 'L1', 'f', 'b', false, 0.75),
        (DATE '2025-01-01', NULL, 'f', 'b', true, 9.0),      -- no district: counted nowhere
        (DATE '2025-02-01', 'L2', 'f', 'c', NULL, 1.0)
    ) AS t (month, lad_code, form, kind, flag, weight)""")


def test_quoting():
    assert ident('odd"name') == '"odd""name"'
    assert literal("it's") == "'it''s'"
    assert literal(True) == "true" and literal(3) == "'3'"


def test_compiled_sql_counts_exactly():
    cat = parse_catalogue(CATALOGUE, "breaks: []")
    sql = render("facts/measure_monthly", cat, COLUMNS)
    assert """CAST(count(*) FILTER (WHERE "kind" IN ('it''s', 'b')) AS DOUBLE) AS "odd_kind\"""" in sql
    assert """CAST(sum(CAST("weight" AS DECIMAL(38, 9))) FILTER (WHERE "flag" AND "kind" IN ('b')) AS DOUBLE) AS "weight_flagged\"""" in sql
    assert "-- O'Neil's kind" in sql
    assert "staging.absent" not in sql          # its table does not exist: left out, not an error
    with duckdb.connect() as con:
        staging(con)
        con.execute(sql)
        rows = con.execute("SELECT source, measure_id, lad_code, strftime(month, '%Y-%m'), form, value "
                           "FROM facts.measure_monthly").fetchall()
    assert rows == [
        ("s", "every_row", "L1", "2025-01", "f", 3.0),
        ("s", "every_row", "L2", "2025-02", "f", 1.0),
        ("s", "not_flagged", "L1", "2025-01", "f", 1.0),
        ("s", "not_flagged", "L2", "2025-02", "f", 0.0),          # NULL flag is not "false"
        ("s", "odd_kind", "L1", "2025-01", "f", 3.0),
        ("s", "odd_kind", "L2", "2025-02", "f", 0.0),
        ("s", "weight_flagged", "L1", "2025-01", "f", 0.25),       # a sum, not a count
    ]


def test_no_source_loaded_still_gives_the_table():
    sql = render("facts/measure_monthly", parse_catalogue(CATALOGUE, "breaks: []"), {})
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA facts")
        con.execute(sql)
        assert con.execute("SELECT count(*) FROM facts.measure_monthly").fetchall() == [(0,)]
        assert [c[0] for c in con.execute("DESCRIBE facts.measure_monthly").fetchall()] == [
            "source", "measure_id", "lad_code", "month", "form", "value"]


def test_a_column_the_table_lacks_stops_the_build_with_the_measure_named():
    columns = {"staging.s": ["month", "lad_code", "form", "kind", "weight"]}
    with pytest.raises(CatalogueError) as err:
        render("facts/measure_monthly", parse_catalogue(CATALOGUE, "breaks: []"), columns)
    assert str(err.value) == ("staging.s has no column flag (measure 'not_flagged'), flag (measure 'weight_flagged'): "
                              "check catalogue/measures.yml against the table's columns")
