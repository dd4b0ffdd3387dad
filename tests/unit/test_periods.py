import datetime as dt

from csp.periods import add_months, parse_month


def test_parse_month_reads_the_year_and_month_of_a_date_or_month():
    assert parse_month("2025-10") == dt.date(2025, 10, 1)
    assert parse_month(" 2025-06-20") == dt.date(2025, 6, 1)


def test_add_months_crosses_years_both_ways():
    assert add_months(dt.date(2024, 12, 1), 1) == dt.date(2025, 1, 1)
    assert add_months(dt.date(2024, 1, 1), -13) == dt.date(2022, 12, 1)
