"""sql/macros/parse_timestamp.sql: the date formats partners send, and what is not a date."""
import datetime as dt

import duckdb
import pytest

from csp.warehouse import run


@pytest.mark.parametrize("text, expected", [
    ("2025-10-01", dt.datetime(2025, 10, 1)),
    (" 03/04/2025 ", dt.datetime(2025, 4, 3)),                      # UK day-first: 3 April
    ("03/04/2025 14:05", dt.datetime(2025, 4, 3, 14, 5)),
    ("2025-10-01 00:00:00.000", dt.datetime(2025, 10, 1)),           # an export with milliseconds
    ("2025-10-01T10:00:00.123456", dt.datetime(2025, 10, 1, 10, 0, 0, 123456)),
    ("01-Feb-2024", dt.datetime(2024, 2, 1)),
    ("2025-10-01T09:05", dt.datetime(2025, 10, 1, 9, 5)),
    # a moment with a UTC offset or Z: its UK local time (BST in summer, GMT in winter)
    ("2025-09-30T23:30:00Z", dt.datetime(2025, 10, 1, 0, 30)),
    ("2025-10-01 00:55:00+01", dt.datetime(2025, 10, 1, 0, 55)),
    ("2025-10-01T10:00:00.5+01:00", dt.datetime(2025, 10, 1, 10, 0, 0, 500000)),
    ("2025-12-31T23:30:00Z", dt.datetime(2025, 12, 31, 23, 30)),
    ("01/10/2025 9:05 AM", None),
    ("01/02/24", None),              # a two-digit year: not the year 24
    ("0025-09-01", None),
    ("1899-12-31", None),
    ("2025-13-01", None),
    ("", None),
])
def test_parse_timestamp(text, expected):
    with duckdb.connect() as con:
        run(con, "macros/parse_timestamp")
        assert con.execute("SELECT parse_timestamp($text)", {"text": text}).fetchone() == (expected,)
