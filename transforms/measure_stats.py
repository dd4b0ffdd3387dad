"""The statistics behind every comparison: the part of the build SQL is the wrong tool for.

Reads the facts the SQL models built (facts.measure_periods, facts.share_periods,
facts.measure_area_monthly, facts.source_windows) and writes, keyed like them, the statistics:

    stats.measure_periods   rate intervals, district vs county, change test, FDR q-value, verdict
    stats.share_periods     Wilson intervals, district vs county
    stats.measure_monthly   each month against the same month a year earlier: test, q-value, verdict
    stats.measure_trend     seasonal Mann-Kendall direction and Sen slope over the series
    stats.seasonal_profile  the average month-of-year pattern

sql/comparisons/measure_*.sql join them back to the facts to make the published comparison tables.
The methods are in transforms/stats.py and explained in docs/methods.md.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from csp.warehouse import write_table
from transforms import stats

NOT_COMPARABLE = "not comparable (series break)"
NOT_AVAILABLE = "not available"
#: every verdict a comparison table can hold
VERDICTS = (*stats.VERDICTS, NOT_COMPARABLE, NOT_AVAILABLE)
#: a seasonal profile needs every calendar month at least twice, and on average this many events a
#: month: with fewer, a calendar month's average is a handful of events and its "peak" is chance
MIN_PROFILE_MONTHS = 24
MIN_PROFILE_PER_MONTH = 10

#: the rows of stats.measure_periods adjusted together for false discovery: one family per comparison
#: type (stats.measure_monthly is one family)
PERIOD_FAMILY = ["comparison_type"]

TREND_COLUMNS = ["measure_id", "area_code", "first_month", "last_month", "months_used", "starts_at_break",
                 "direction", "p_value", "slope_per_year"]
PROFILE_COLUMNS = ["measure_id", "area_code", "first_month", "last_month", "months_used", "starts_at_break",
                   "month_of_year", "mean_count", "index", "is_peak"]


def whole(values: pd.Series) -> np.ndarray:
    """Totals as whole numbers for the change test. KSI from adjusted severities is a sum of
    probabilities (e.g. 41.6 casualties): it is rounded to the nearest whole casualty, half up."""
    return np.floor(values.to_numpy(dtype=float, na_value=np.nan) + 0.5)


def change_statistics(previous: pd.Series, current: pd.Series, series_break: pd.Series) -> pd.DataFrame:
    """p-value, FDR q-value and verdict for one family of count comparisons (one table's grid).

    Every comparison with both totals and no series break between them is tested. The q-values
    adjust across those with at least MIN_TOTAL events in the two periods together: the test is
    exact given that total, so leaving out the small ones (which are "too few to say" whatever
    their p-value) keeps the false discovery control and stops them diluting the rest.
    """
    prev, cur = whole(previous), whole(current)
    both = np.isfinite(prev) & np.isfinite(cur)
    broken = series_break.notna().to_numpy()
    tested = both & ~broken
    p = stats.poisson_change_test(np.where(tested, prev, np.nan), np.where(tested, cur, np.nan))
    q = stats.benjamini_hochberg(np.where(tested & (prev + cur >= stats.MIN_TOTAL), p, np.nan))
    verdict = stats.change_verdicts(prev, cur, q)
    verdict = np.where(~both, NOT_AVAILABLE, np.where(broken, NOT_COMPARABLE, verdict))
    return pd.DataFrame({"p_value": p, "q_value": q, "verdict": verdict}, index=previous.index)


def published_statistics(shown: pd.DataFrame, previous: str, current: str, family: list[str]) -> pd.DataFrame:
    """A comparison table as disclosure control left it (`shown`: a blank p-value where a count it
    comes from is hidden or rounded), its q-values and verdicts worked out again over the p-values
    it shows, family by family (`family`: the columns grouping them; none: one family). Adjusted
    over every p-value, hidden ones too, the shown q-values would tell a reader how many hidden
    p-values there are, each one's rank among them, and so that each hidden comparison's two
    counts add up to at least MIN_TOTAL (caveat 84). A row showing no q-value keeps its verdict
    (no test, too few, a series break, or hidden)."""
    out = shown.copy()
    q_column, verdict_column = out.columns.get_loc("q_value"), out.columns.get_loc("verdict")
    families = shown.groupby(family, sort=False).indices.values() if family else [np.arange(len(shown))]
    for rows in families:
        g = shown.iloc[rows]
        adjusted = g["q_value"].notna().to_numpy()   # in the family: tested, with enough events, shown
        rows, g = rows[adjusted], g[adjusted]
        q = stats.benjamini_hochberg(g["p_value"].to_numpy(dtype=float, na_value=np.nan))
        out.iloc[rows, q_column] = q
        out.iloc[rows, verdict_column] = stats.change_verdicts(whole(g[previous]), whole(g[current]), q)
    return out


def period_statistics(periods: pd.DataFrame) -> pd.DataFrame:
    """stats.measure_periods: for each measure x area x comparison."""
    out = periods[["measure_id", "area_code", "comparison_type"]].copy()
    for when in ("current", "previous"):
        _, out[f"{when}_rate_lower"], out[f"{when}_rate_upper"] = stats.rate_ci(
            periods[f"{when}_value"], periods["population"])
    out["rate_vs_county"] = _against_county(periods, out, "current_rate_per_1000", "current_rate")
    tests = [change_statistics(g["previous_value"], g["current_value"], g["series_break"])
             for _, g in periods.groupby(PERIOD_FAMILY, sort=False)]
    return out.join(pd.concat(tests) if tests else pd.DataFrame(columns=["p_value", "q_value", "verdict"]))


def share_statistics(shares: pd.DataFrame) -> pd.DataFrame:
    """stats.share_periods: for each share x area x comparison."""
    out = shares[["measure_id", "area_code", "comparison_type"]].copy()
    for when in ("current", "previous"):
        _, out[f"{when}_share_lower"], out[f"{when}_share_upper"] = stats.wilson_ci(
            shares[f"{when}_numerator"], shares[f"{when}_denominator"])
    out["share_vs_county"] = _against_county(shares, out, "current_share", "current_share")
    return out


def _against_county(facts: pd.DataFrame, limits: pd.DataFrame, value: str, limit: str) -> pd.Series:
    """Each non-county area's interval against the county's value for the same measure and comparison."""
    keys = ["measure_id", "comparison_type"]
    county = facts.loc[facts["area_type"] == "county", [*keys, value]].rename(columns={value: "county_value"})
    benchmark = facts[keys].merge(county, on=keys, how="left")["county_value"].to_numpy(dtype=float, na_value=np.nan)
    words = stats.compare_with_benchmark(limits[f"{limit}_lower"].to_numpy(dtype=float, na_value=np.nan),
                                         limits[f"{limit}_upper"].to_numpy(dtype=float, na_value=np.nan), benchmark)
    words[(facts["area_type"] == "county").to_numpy()] = None
    return pd.Series(words, index=facts.index, dtype=object)


def monthly_statistics(monthly: pd.DataFrame) -> pd.DataFrame:
    """stats.measure_monthly: each month against the same month a year earlier (one FDR family)."""
    out = monthly[["measure_id", "area_code", "month"]].copy()
    return out.join(change_statistics(monthly["value_year_earlier"], monthly["value"], monthly["series_break"]))


def _segments(monthly: pd.DataFrame, window_end: dict[str, pd.Timestamp]) -> pd.DataFrame:
    """The months each trend and profile describes: up to its source's latest complete month, and from the
    latest series break before it (a break's earlier months measure something else)."""
    end = pd.to_datetime(monthly["source"].map(window_end))
    upto = monthly[monthly["month"] <= end]
    start = upto.groupby(["measure_id", "area_code"], sort=False)["segment_start"].transform("max")
    return upto[start.isna() | (upto["month"] >= start)].sort_values(["measure_id", "area_code", "month"])


def _span(months: np.ndarray, period_months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last month of the values dated `months` (a quarter's value is dated at its first month)."""
    return pd.Timestamp(months.min()), pd.Timestamp(months.max()) + pd.DateOffset(months=period_months - 1)


def trend_statistics(monthly: pd.DataFrame, window_end: dict[str, pd.Timestamp]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """stats.measure_trend and stats.seasonal_profile for each measure x area."""
    seg = _segments(monthly, window_end)
    keys = seg[["measure_id", "area_code"]].drop_duplicates()
    starts = np.flatnonzero(seg[["measure_id", "area_code"]].ne(seg[["measure_id", "area_code"]].shift()).any(axis=1))
    value = seg["value"].to_numpy(dtype=float, na_value=np.nan)
    month = seg["month"].to_numpy()
    month_of_year = seg["month"].dt.month.to_numpy()
    at_break = seg["segment_start"].notna().to_numpy()
    period_months = seg["period_months"].to_numpy()
    trends, profiles = [], []
    for (measure_id, area_code), lo, hi in zip(keys.itertuples(index=False), starts, [*starts[1:], len(seg)]):
        values, months = value[lo:hi], month_of_year[lo:hi]
        known = np.isfinite(values)
        # a quarterly value covers three months: three years is 12 quarters
        used = int(known.sum()) * int(period_months[lo])
        direction, p, slope = stats.seasonal_mann_kendall(values, months,
                                                          min_values=stats.MIN_TREND_MONTHS // int(period_months[lo]))
        means, index, is_peak = stats.seasonal_index(values, months)
        per_month = values[known].sum() / used if used else 0.0
        # every calendar month (every quarter) seen at least twice: 24 months with gaps may see one only once
        seen = np.bincount(months[known], minlength=13)[1:]
        twice = (seen > 0).sum() == 12 // int(period_months[lo]) and (seen[seen > 0] >= 2).all()
        if used < MIN_PROFILE_MONTHS or not twice or per_month < MIN_PROFILE_PER_MONTH:
            means, index, is_peak = np.full(12, np.nan), np.full(12, np.nan), np.zeros(12, dtype=bool)
        # the months fitted on, as the trend chart spans them: not the window end, which a month the measure
        # lacks (a public-form month has no domestic abuse flag) would take past the last value
        first, last = _span(month[lo:hi][known], int(period_months[lo])) if used else (pd.NaT, pd.NaT)
        row = (measure_id, area_code, first, last, used, at_break[lo:hi].any())
        trends.append((*row, direction, p, slope))
        profiles += [(*row, m, means[m - 1], index[m - 1], is_peak[m - 1]) for m in range(1, 13)]
    return pd.DataFrame(trends, columns=TREND_COLUMNS), pd.DataFrame(profiles, columns=PROFILE_COLUMNS)


def build(con: duckdb.DuckDBPyConnection) -> None:
    periods = con.table("facts.measure_periods").df()
    shares = con.table("facts.share_periods").df()
    monthly = con.table("facts.measure_area_monthly").df()
    windows = con.table("facts.source_windows").df()
    write_table(con, "stats.measure_periods", period_statistics(periods))
    write_table(con, "stats.share_periods", share_statistics(shares))
    write_table(con, "stats.measure_monthly", monthly_statistics(monthly))
    # trends run to the latest complete month, past a window that must end in June (KSI)
    complete_until = {source: end for source, end in zip(windows["source"], pd.to_datetime(windows["complete_until"]))
                      if pd.notna(end)}
    trend, profile = trend_statistics(monthly, complete_until)
    write_table(con, "stats.measure_trend", trend)
    write_table(con, "stats.seasonal_profile", profile)
