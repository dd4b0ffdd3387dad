"""sql/macros/is_allowed.sql: whether a value is one its contract column allows, as the staging models
ask it: NULL is never allowed, nor is anything for a column the contracts give no allowed values."""
import duckdb
import pytest

from csp.warehouse import run


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        con.execute("SET VARIABLE allowed_values = MAP {'s.sex': ['Female', 'Male', ''], 's.band': ['0-9']}")
        run(con, "macros/is_allowed")
        yield con


@pytest.mark.parametrize("column, value, allowed", [
    ("s.sex", "Female", True), ("s.sex", "", True), ("s.sex", "female", False), ("s.sex", None, False),
    ("s.band", "0-9", True), ("s.band", "10-17", False), ("s.other", "Female", False), ("s.other", None, False),
])
def test_a_value_is_allowed_only_when_its_column_lists_it(con, column, value, allowed):
    assert con.execute("SELECT is_allowed($column, $value)", {"column": column, "value": value}).fetchone()[0] is allowed
