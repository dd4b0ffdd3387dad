import datetime as dt

from csp.periods import RollingComparison, add_months, parse_month


def test_rolling_comparison_in_words():
    cmp = RollingComparison(parse_month("2025-10"))
    assert cmp.words == "November 2024 – October 2025 compared with November 2023 – October 2024"
    assert (cmp.previous.first, cmp.current.last) == (dt.date(2023, 11, 1), dt.date(2025, 10, 1))


def test_ksi_window_ends_in_june():
    assert RollingComparison(parse_month("2025-06")).current.words == "July 2024 – June 2025"


def test_add_months_crosses_years_both_ways():
    assert add_months(dt.date(2024, 12, 1), 1) == dt.date(2025, 1, 1)
    assert add_months(dt.date(2024, 1, 1), -13) == dt.date(2022, 12, 1)
