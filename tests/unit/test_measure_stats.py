"""The statistics step on small hand-made frames: KSI rounding, the FDR family, breaks, trends."""
from __future__ import annotations

import math
from math import comb

import numpy as np
import pandas as pd
import pytest

from transforms.measure_stats import NOT_AVAILABLE, NOT_COMPARABLE, change_statistics, trend_statistics, whole


def exact_p(previous: int, current: int) -> float:
    n, k = previous + current, min(previous, current)
    return min(1.0, 2 * sum(comb(n, i) for i in range(k + 1)) / 2 ** n)


def test_adjusted_ksi_totals_are_rounded_half_up_for_the_test():
    np.testing.assert_array_equal(whole(pd.Series([41.5, 41.49, 0.5, np.nan])), [42.0, 41.0, 1.0, np.nan])


def test_change_statistics_family_breaks_and_gaps():
    previous = pd.Series([40.6, 5.0, 100.0, 120.0, np.nan, 3.0])
    current = pd.Series([60.4, 9.0, 150.0, 200.0, 10.0, 4.0])
    breaks = pd.Series([None, None, None, "Series break from April 2024: changed", None, None])
    out = change_statistics(previous, current, breaks)
    p = [exact_p(41, 60), exact_p(5, 9), exact_p(100, 150)]
    np.testing.assert_allclose(out["p_value"].to_numpy()[:3], p, rtol=1e-12)
    assert out["p_value"].isna().tolist() == [False, False, False, True, True, False]
    # family: rows 0-2 (row 3 has a break, row 4 a gap, row 5 fewer than 10 across both periods): m = 3
    # Benjamini-Hochberg by hand: sorted p2 < p0 < p1, q = running minimum of p x 3 / rank from the top
    q1 = p[1]
    q0 = min(p[0] * 3 / 2, q1)
    q2 = min(p[2] * 3 / 1, q0)
    np.testing.assert_allclose(out["q_value"].to_numpy()[:3], [q0, q1, q2], rtol=1e-12)
    assert out["q_value"].isna().tolist() == [False, False, False, True, True, True]
    assert out["verdict"].tolist() == ["no significant change", "no significant change", "significant increase",
                                       NOT_COMPARABLE, NOT_AVAILABLE, "too few to say"]


def monthly_frame(values, first="2022-11-01", segment_start=None, source="s", measure="m", area="A"):
    months = pd.date_range(first, periods=len(values), freq="MS")
    return pd.DataFrame({"measure_id": measure, "area_code": area, "source": source, "month": months,
                         "value": np.asarray(values, dtype=float), "period_months": 1,
                         "segment_start": [pd.Timestamp(segment_start) if segment_start and m >= pd.Timestamp(segment_start)
                                           else pd.NaT for m in months]})


def test_trend_rises_over_three_years_and_stops_at_the_window_end():
    # Nov 2022 - Oct 2025 rising by one a year in every month, then two later months the window leaves out
    values = [10 + i // 12 for i in range(36)] + [500, 500]
    trend, profile = trend_statistics(monthly_frame(values), {"s": pd.Timestamp("2025-10-01")})
    row = trend.iloc[0]
    assert (row.first_month, row.last_month, row.months_used, row.starts_at_break) == (
        pd.Timestamp("2022-11-01"), pd.Timestamp("2025-10-01"), 36, False)
    # each calendar month has 3 years, all 3 pairs rising: S = 12 x 3 = 36, var S = 12 x (3 x 2 x 11 / 18) = 44,
    # z = (36 - 1) / sqrt(44) with the continuity correction, two-sided p = erfc(z / sqrt 2)
    assert row.direction == "rising" and row.slope_per_year == 1.0
    assert row.p_value == pytest.approx(math.erfc(35 / math.sqrt(44) / math.sqrt(2)), rel=1e-9)
    assert len(profile) == 12 and profile["index"].round(12).tolist() == [1.0] * 12
    assert profile["is_peak"].all()                    # a flat profile: every month ties


def test_the_trend_names_the_months_with_a_value_not_the_window_end():
    # November 2025 came in the public form, which cannot give the measure: the window ends in it, the values
    # (and the chart) in October 2025
    values = [10 + i // 12 for i in range(36)] + [np.nan]
    trend, profile = trend_statistics(monthly_frame(values), {"s": pd.Timestamp("2025-11-01")})
    assert trend[["first_month", "last_month", "months_used"]].values.tolist() == [
        [pd.Timestamp("2022-11-01"), pd.Timestamp("2025-10-01"), 36]]
    assert set(profile["last_month"]) == {pd.Timestamp("2025-10-01")}
    # a quarterly value is dated at its quarter's first month: the span ends with the quarter
    quarterly = monthly_frame([5.0, np.nan, np.nan] * 4 + [np.nan] * 3, first="2024-04-01").assign(period_months=3)
    trend, _ = trend_statistics(quarterly, {"s": pd.Timestamp("2025-06-01")})
    assert (trend.iloc[0].first_month, trend.iloc[0].last_month) == (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-01"))


def test_a_series_break_restarts_the_trend_and_blanks_a_short_profile():
    values = [100] * 14 + [10] * 22                    # recording changed in January 2024
    trend, profile = trend_statistics(monthly_frame(values, segment_start="2024-01-01"),
                                      {"s": pd.Timestamp("2025-10-01")})
    row = trend.iloc[0]
    assert (row.first_month, row.months_used, row.starts_at_break, row.direction) == (
        pd.Timestamp("2024-01-01"), 22, True, "too short to say")
    assert profile["mean_count"].isna().all() and not profile["is_peak"].any()


def test_no_window_end_no_trend():
    trend, profile = trend_statistics(monthly_frame([1.0] * 40), {})
    assert trend.empty and profile.empty


def test_a_quarterly_series_needs_twelve_quarters_not_thirty_six():
    # first-time entrants: one value per quarter in its first month, the other two months counted in it
    values = [v for year in range(3) for v in (30 + year, np.nan, np.nan) * 4]
    frame = monthly_frame(values, first="2022-04-01").assign(period_months=3)
    trend, profile = trend_statistics(frame, {"s": pd.Timestamp("2025-03-01")})
    row = trend.iloc[0]
    assert (row.months_used, row.direction, row.slope_per_year) == (36, "rising", 1.0)
    assert profile.loc[profile["mean_count"].notna(), "month_of_year"].tolist() == [1, 4, 7, 10]


def test_a_profile_needs_ten_events_a_month_on_average():
    # 36 months averaging 9.75 a month (9, 10, 10, 10 over and over): too few for a profile, whatever its peaks
    # (a trend is still tested); 10.0 a month is enough. A quarter's count is over its three months
    sparse = [9, 10, 10, 10] * 9
    trend, profile = trend_statistics(monthly_frame(sparse), {"s": pd.Timestamp("2025-10-01")})
    assert trend.iloc[0].months_used == 36 and trend.iloc[0].direction == "no clear trend"
    assert profile["mean_count"].isna().all() and profile["index"].isna().all() and not profile["is_peak"].any()
    _, profile = trend_statistics(monthly_frame([10] * 36), {"s": pd.Timestamp("2025-10-01")})
    assert profile["mean_count"].tolist() == [10.0] * 12
    quarterly = [v for _ in range(3) for v in (29, np.nan, np.nan) * 4]   # 9.67 a month
    _, profile = trend_statistics(monthly_frame(quarterly, first="2022-04-01").assign(period_months=3),
                                  {"s": pd.Timestamp("2025-03-01")})
    assert profile["mean_count"].isna().all()


def test_a_profile_needs_every_calendar_month_twice():
    # 26 months, November 2022 - December 2024, with March and April 2024 missing: 24 months with data,
    # but March and April seen once each. Without the gap every month is seen twice
    values = [20.0] * 26
    gappy = [np.nan if i in (16, 17) else v for i, v in enumerate(values)]
    _, profile = trend_statistics(monthly_frame(gappy), {"s": pd.Timestamp("2024-12-01")})
    assert profile["mean_count"].isna().all()
    _, profile = trend_statistics(monthly_frame(values[:24]), {"s": pd.Timestamp("2024-10-01")})
    assert profile["mean_count"].tolist() == [20.0] * 12
