"""sql/macros/read_as.sql: a value passes its Great Expectations pattern or allowed set, as checked_<kind> gives
it, exactly when the row checks read it (the suites and the SQL share one normalisation), but for a value
in a form the SQL reads that is no date (2025-13, 31/06/2023), which passes the suite and fails the row check."""
import re

import duckdb
import pytest

from csp.contracts import PATTERNS, load_contract
from csp.warehouse import run


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        run(con, "macros/parse_timestamp")
        run(con, "macros/read_as")
        yield con


def _checked(con, contract, column, value):
    expression = contract.checked_expression(column).replace(f'"{column}"', "$value")
    return con.execute(f"SELECT {expression}", {"value": value}).fetchone()[0]


# (source, column, the SQL the row checks read the value with, {value: read by the row checks})
CASES = [
    ("police_crime", "lsoa_code", "regexp_full_match(code_value($value), '[EW]0[0-9]{7}')",
     {"E01024500": True, " e01024500 ": True, "E0102450": False, "X01024500": False}),
    ("police_crime", "recorded_date", "parse_timestamp($value) IS NOT NULL",
     {"2025-10-01": True, " 01/10/2025 ": True, "01-Oct-2025": True, "2025-10-01 00:55": True,
      "2025-10-01T00:55:00Z": True, "2025-10-01 00:55:00+01": True, "01/10/2025 9:05 AM": False,
      "2025-10-01T00:55:00 BST": False, "yesterday": False, "": False}),
    ("police_crime", "month", "month_start($value) IS NOT NULL",
     {"2025-10": True, "2025-10-01": True, "01/10/2025": True, "2025-10-02": False, "": False}),
    ("population", "lad_code", "regexp_full_match(code_value($value), '[EWSN][0-9]{8}')",
     {"E07000105": True, "e07000105 ": True, "E0700010": False, "": False}),
    ("population", "population", "whole_number($value) IS NOT NULL",
     {"289742": True, "289,742": True, "289742.0": True, " 289742 ": True, "289742.5": False, "2,89,742": False,
      "1e3": False}),
    ("youth_offending", "quarter", "quarter_start($value) IS NOT NULL",
     {"2025/26 Q2": True, "2025/26 q2": True, "Q2 2025-26": True, "2025-07-01": True, "01/07/2025": True,
      "2025/27 Q2": False, "2025-08-01": False, "2025 Q2": False}),
    ("hospital_admissions", "cause_code", "regexp_full_match(icd10_value($value), '[A-Z][0-9]{2}[0-9A-Z]{0,2}')",
     {"Y04": True, "y04.0": True, "X99.1": True, "Y0": False, "": False}),
]


@pytest.mark.parametrize("source, column, reads, values", CASES, ids=[f"{s}.{c}" for s, c, _, _ in CASES])
def test_a_pattern_passes_what_the_row_checks_read(con, source, column, reads, values):
    contract = load_contract(source)
    pattern = PATTERNS[contract.columns[column]["type"]]
    for value, read in values.items():
        assert con.execute(f"SELECT coalesce({reads}, false)", {"value": value}).fetchone()[0] is read, value
        checked = _checked(con, contract, column, value)
        assert (checked is not None and re.search(pattern, checked) is not None) is read, (value, checked)


@pytest.mark.parametrize("source, column, values", [
    ("police_crime", "domestic_abuse", {"Y": "Y", " n ": "N", "": "", "Yes": "YES"}),
    ("police_crime", "hate_strand", {" Race ": "Race", "": None, "race": "race"}),   # "" allowed: blank is missing
    ("hospital_admissions", "sex", {" Female": "Female", "": ""}),                  # "" not allowed: blank fails
    ("road_casualties", "accident_severity", {" 1 ": "1", "1.0": "1.0"}),           # compared as sent, trimmed
])
def test_allowed_values_are_compared_as_is_allowed_compares_them(con, source, column, values):
    contract = load_contract(source)
    for value, checked in values.items():
        assert _checked(con, contract, column, value) == checked, value
