"""Unit tests for transforms.stats.

Every test checks specific numbers: published/hand-worked values first, then
independent library references (statsmodels is a test-only dependency; the
reference tests skip if it is not installed, the hard-coded ones never do).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from transforms.stats import (
    FALLING,
    NO_CLEAR_TREND,
    NO_SIGNIFICANT_CHANGE,
    RISING,
    SIGNIFICANT_DECREASE,
    SIGNIFICANT_INCREASE,
    TOO_FEW_TO_SAY,
    TOO_SHORT_TO_SAY,
    VERDICTS,
    benjamini_hochberg,
    byar_ci,
    change_verdict,
    change_verdicts,
    compare_with_benchmark,
    poisson_change_test,
    poisson_exact_ci,
    rate_ci,
    seasonal_mann_kendall,
    seasonal_index,
    seasonal_profile,
    wilson_ci,
)


def sig3(x: float) -> float:
    """Round to 3 significant figures (how published tables quote limits)."""
    if x == 0:
        return 0.0
    return round(x, 2 - int(math.floor(math.log10(abs(x)))))


# ---------------------------------------------------------------------------
# exact Poisson
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "count, lower, upper",
    [
        # standard published exact (Garwood) 95% limits for a Poisson count
        (0, 0.0, 3.69),
        (1, 0.0253, 5.57),
        (5, 1.62, 11.7),
        (10, 4.80, 18.4),  # 4.795 - 18.39
        (20, 12.2, 30.9),
    ],
)
def test_poisson_exact_published_values(count, lower, upper):
    lo, hi = poisson_exact_ci(count)
    assert sig3(lo) == lower
    assert sig3(hi) == upper


def test_poisson_exact_count10_four_figures():
    lo, hi = poisson_exact_ci(10)
    assert lo == pytest.approx(4.795, abs=5e-4)
    assert hi == pytest.approx(18.39, abs=5e-3)


def test_poisson_exact_zero_lower_is_zero_and_bad_input_nan():
    lo, hi = poisson_exact_ci(np.array([0, -1, np.nan]))
    assert lo[0] == 0.0 and hi[0] == pytest.approx(3.6889, abs=1e-4)  # -ln(0.025)
    assert np.isnan(lo[1]) and np.isnan(hi[1]) and np.isnan(lo[2]) and np.isnan(hi[2])


def test_poisson_exact_against_statsmodels_and_scipy():
    rates = pytest.importorskip("statsmodels.stats.rates")
    from scipy.stats import chi2

    counts = np.array([0, 1, 2, 3, 7, 9, 10, 25, 150, 4000])
    lo, hi = poisson_exact_ci(counts)
    for c, a, b in zip(counts, lo, hi):
        ref_lo, ref_hi = rates.confint_poisson(int(c), 1, method="exact-c")
        assert a == pytest.approx(float(ref_lo), rel=1e-9, abs=1e-12)
        assert b == pytest.approx(float(ref_hi), rel=1e-9)
        assert b == pytest.approx(chi2.ppf(0.975, 2 * c + 2) / 2, rel=1e-12)
    # 99.8% limits (alpha = 0.002) as used for funnel plots
    lo998, hi998 = poisson_exact_ci(10, alpha=0.002)
    ref = rates.confint_poisson(10, 1, method="exact-c", alpha=0.002)
    assert lo998 == pytest.approx(float(ref[0]), rel=1e-9)
    assert hi998 == pytest.approx(float(ref[1]), rel=1e-9)


# ---------------------------------------------------------------------------
# Byar
# ---------------------------------------------------------------------------
def test_byar_count10_hand_worked():
    # PHE Technical Guide (Eayres 2008), Appendix 1, O = 10, z = 1.959964:
    # lower = 10 (1 - 1/90 - 1.959964/(3*sqrt(10)))^3
    #       = 10 (1 - 0.011111 - 0.206599)^3 = 10 * 0.782290^3 = 4.787
    # upper = 11 (1 - 1/99 + 1.959964/(3*sqrt(11)))^3
    #       = 11 (1 - 0.010101 + 0.196984)^3 = 11 * 1.186883^3 = 18.39
    lo, hi = byar_ci(10)
    assert lo == pytest.approx(4.787, abs=5e-4)
    assert hi == pytest.approx(18.39, abs=5e-3)
    assert sig3(lo) == 4.79 and sig3(hi) == 18.4


def test_byar_count100_hand_worked():
    # Byar's formulas (Breslow & Day 1987, as in the PHE guide) at O = 100:
    # lower = 100 (1 - 1/900 - 1.959964/30)^3 = 100 * 0.933557^3 = 81.36
    # upper = 101 (1 - 1/909 + 1.959964/(3*sqrt(101)))^3 = 101 * 1.063908^3 = 121.63
    lo, hi = byar_ci(100)
    assert lo == pytest.approx(81.36, abs=5e-3)
    assert hi == pytest.approx(121.63, abs=5e-3)


def test_byar_within_0_2_percent_of_exact_from_10():
    # The Technical Guide states Byar's 95% limits are within 0.2% of the
    # exact limits for counts of 10 or more.
    counts = np.arange(10, 1001)
    b_lo, b_hi = byar_ci(counts)
    e_lo, e_hi = poisson_exact_ci(counts)
    assert np.max(np.abs(b_lo / e_lo - 1)) < 0.002
    assert np.max(np.abs(b_hi / e_hi - 1)) < 0.002


def test_byar_zero_and_series():
    lo, hi = byar_ci(pd.Series([0, 10], index=["a", "b"]))
    assert list(lo.index) == ["a", "b"]
    assert lo["a"] == 0.0
    assert hi["a"] == pytest.approx(3.668, abs=1e-3)  # (1 - 1/9 + z/3)^3
    assert lo["b"] == pytest.approx(4.787, abs=5e-4)


# ---------------------------------------------------------------------------
# rate_ci
# ---------------------------------------------------------------------------
def test_rate_ci_uses_byar_at_10_and_exact_below():
    rate, lo, hi = rate_ci(10, 5000)  # 2.0 per 1,000
    assert rate == pytest.approx(2.0)
    assert lo == pytest.approx(4.7874 / 5, abs=1e-4)  # Byar, not exact 4.795
    assert hi == pytest.approx(18.3915 / 5, abs=1e-4)
    rate9, lo9, hi9 = rate_ci(9, 5000)
    e_lo, e_hi = poisson_exact_ci(9)  # exact: 4.115 - 17.08
    assert rate9 == pytest.approx(1.8)
    assert lo9 == pytest.approx(e_lo / 5, rel=1e-12)
    assert hi9 == pytest.approx(e_hi / 5, rel=1e-12)
    assert sig3(lo9 * 5) == 4.12 and sig3(hi9 * 5) == 17.1


def test_rate_ci_per_100000_and_zero_count():
    rate, lo, hi = rate_ci(0, 20000, per=100000)
    assert rate == 0.0 and lo == 0.0
    assert hi == pytest.approx(3.6889 / 20000 * 100000, abs=1e-3)  # 18.44


def test_rate_ci_bad_population_is_nan_not_crash():
    counts = pd.Series([5, 50, 7, 12], index=list("abcd"))
    pops = pd.Series([0, np.nan, -10, 1200], index=list("abcd"))
    rate, lo, hi = rate_ci(counts, pops)
    assert rate.isna().tolist() == [True, True, True, False]
    assert lo.isna().tolist() == [True, True, True, False]
    assert hi.isna().tolist() == [True, True, True, False]
    assert rate["d"] == pytest.approx(10.0)
    r, a, b = rate_ci(5, 0)
    assert math.isnan(r) and math.isnan(a) and math.isnan(b)
    r, a, b = rate_ci(5, None)
    assert math.isnan(r) and math.isnan(a) and math.isnan(b)


# ---------------------------------------------------------------------------
# Wilson
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "x, n, lower, upper",
    [
        # Newcombe (1998) Stat Med 17:857, Table II, method 3 (no CC)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_newcombe_table(x, n, lower, upper):
    p, lo, hi = wilson_ci(x, n)
    assert p == pytest.approx(x / n)
    assert round(lo, 4) == lower
    assert round(hi, 4) == upper


def test_wilson_hand_worked():
    # 7 of 20, z = 1.959964, z^2 = 3.841459, p = 0.35
    # root = z sqrt(z^2 + 4*7*0.65) = 1.959964 * sqrt(22.041459) = 9.201782
    # lower = (14 + 3.841459 - 9.201782) / (2 * 23.841459) = 8.639677 / 47.682918 = 0.1812
    # upper = (14 + 3.841459 + 9.201782) / 47.682918 = 27.043241 / 47.682918 = 0.5671
    p, lo, hi = wilson_ci(7, 20)
    assert p == 0.35
    assert lo == pytest.approx(0.1812, abs=5e-5)
    assert hi == pytest.approx(0.5671, abs=5e-5)


def test_wilson_against_statsmodels():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    xs = np.array([0, 1, 3, 7, 50, 99, 100, 2500])
    ns = np.array([10, 10, 40, 20, 100, 100, 100, 10000])
    p, lo, hi = wilson_ci(xs, ns)
    ref_lo, ref_hi = proportion.proportion_confint(xs, ns, alpha=0.05, method="wilson")
    np.testing.assert_allclose(lo, ref_lo, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hi, ref_hi, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(p, xs / ns)


def test_wilson_n_zero_and_invalid_nan():
    p, lo, hi = wilson_ci(np.array([0, 5, 3]), np.array([0, 4, np.nan]))
    assert np.isnan(p).all() and np.isnan(lo).all() and np.isnan(hi).all()
    p, lo, hi = wilson_ci(20, 20)
    assert p == 1.0 and hi == 1.0
    assert lo == pytest.approx(0.8389, abs=5e-5)  # mirror of 0/20 upper 0.1611


# ---------------------------------------------------------------------------
# change test
# ---------------------------------------------------------------------------
def test_change_test_hand_values():
    assert poisson_change_test(0, 0) == 1.0  # nothing happened either year
    # 3 -> 9: n = 12, X ~ Bin(12, 0.5); two-sided = 2 * P(X <= 3) = 2*299/4096
    assert poisson_change_test(3, 9) == pytest.approx(598 / 4096, rel=1e-12)
    # symmetric in the two periods when exposures are equal
    assert poisson_change_test(9, 3) == pytest.approx(598 / 4096, rel=1e-12)
    assert poisson_change_test(10, 10) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "previous, current, expected",
    [(3, 9, 0.145996), (120, 150, 0.0773894), (30000, 31000, 5.23415e-05), (5, 5, 1.0)],
)
def test_change_test_against_statsmodels(previous, current, expected):
    p = poisson_change_test(previous, current)
    assert p == pytest.approx(expected, rel=1e-5)
    rates = pytest.importorskip("statsmodels.stats.rates")
    ref = rates.test_poisson_2indep(current, 1.0, previous, 1.0, method="exact-cond").pvalue
    assert p == pytest.approx(float(ref), rel=1e-9)


def test_change_test_zero_zero_where_statsmodels_cannot():
    # statsmodels' exact-cond test (0.14/0.15) refuses n = 0 (binomial with no
    # trials); we define it as p = 1.0. If a later statsmodels answers, it must agree.
    rates = pytest.importorskip("statsmodels.stats.rates")
    assert poisson_change_test(0, 0) == 1.0
    try:
        ref = rates.test_poisson_2indep(0, 1.0, 0, 1.0, method="exact-cond").pvalue
    except ValueError:
        return
    assert float(ref) == pytest.approx(1.0)


def test_change_test_exposure_ratio_and_vectorised():
    rates = pytest.importorskip("statsmodels.stats.rates")
    # current period 1.5x as long as previous (e.g. 18 vs 12 months)
    p = poisson_change_test(20, 45, exposure_ratio=1.5)
    ref = rates.test_poisson_2indep(45, 1.5, 20, 1.0, method="exact-cond").pvalue
    assert p == pytest.approx(float(ref), rel=1e-9)
    prev = pd.Series([0, 3, 120, np.nan], index=list("wxyz"))
    cur = pd.Series([0, 9, 150, 4], index=list("wxyz"))
    out = poisson_change_test(prev, cur)
    assert list(out.index) == list("wxyz")
    assert out["w"] == 1.0
    assert out["x"] == pytest.approx(0.145996, rel=1e-5)
    assert out["y"] == pytest.approx(0.0773894, rel=1e-5)
    assert np.isnan(out["z"])
    with pytest.raises(ValueError):
        poisson_change_test(2.5, 3)


def test_change_test_grid_matches_scipy_binomtest_case_by_case():
    # the vectorised equal-window path against scipy's binomtest, one call per cell
    from scipy.stats import binomtest

    prev = np.array([0, 0, 1, 3, 7, 10, 12, 40, 99, 500, 12000, 30000])
    cur = np.array([0, 5, 1, 9, 2, 10, 25, 61, 120, 430, 12500, 31000])
    expected = [1.0 if a + b == 0 else binomtest(int(b), int(a + b), 0.5).pvalue for a, b in zip(prev, cur)]
    np.testing.assert_allclose(poisson_change_test(prev, cur), expected, rtol=1e-12)
    grid = poisson_change_test(prev.reshape(3, 4), cur.reshape(3, 4))
    assert grid.shape == (3, 4)
    np.testing.assert_allclose(grid.ravel(), expected, rtol=1e-12)


# ---------------------------------------------------------------------------
# Benjamini-Hochberg
# ---------------------------------------------------------------------------
def test_bh_hand_worked():
    # m = 4 (NaN not counted): sorted p 0.01, 0.03, 0.04, 0.5
    # raw m/j*p: 0.04, 0.06, 0.05333, 0.5 -> step-up min: 0.04, 0.05333, 0.05333, 0.5
    q = benjamini_hochberg([0.01, np.nan, 0.04, 0.03, 0.5])
    np.testing.assert_allclose(q, [0.04, np.nan, 0.16 / 3, 0.16 / 3, 0.5])


def test_bh_capped_at_one_and_empty():
    np.testing.assert_allclose(benjamini_hochberg([0.9, 1.0, 0.95]), [1.0, 1.0, 1.0])
    assert np.isnan(benjamini_hochberg([np.nan, np.nan])).all()
    assert benjamini_hochberg([]).shape == (0,)


def test_bh_against_statsmodels_with_nans():
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    rng = np.random.default_rng(20240501)
    p = np.concatenate([rng.uniform(0, 1, 40), rng.uniform(0, 0.01, 10), [np.nan] * 5])
    rng.shuffle(p)
    p2 = p.reshape(5, 11)  # a district x measure grid: adjusted all together
    q = benjamini_hochberg(p2)
    assert q.shape == (5, 11)
    ok = ~np.isnan(p)
    ref = multitest.multipletests(p[ok], method="fdr_bh")[1]
    np.testing.assert_allclose(q.ravel()[ok], ref, rtol=1e-12)
    assert np.isnan(q.ravel()[~ok]).all()
    s = pd.Series(p, index=[f"c{i}" for i in range(len(p))])
    qs = benjamini_hochberg(s)
    assert list(qs.index) == list(s.index)
    np.testing.assert_allclose(qs.to_numpy()[ok], ref, rtol=1e-12)


# ---------------------------------------------------------------------------
# verdicts
# ---------------------------------------------------------------------------
def test_verdict_constants():
    assert VERDICTS == (
        "significant increase",
        "significant decrease",
        "no significant change",
        "too few to say",
    )


def test_verdict_each_outcome():
    assert change_verdict(100, 150, 0.001) == SIGNIFICANT_INCREASE
    assert change_verdict(150, 100, 0.001) == SIGNIFICANT_DECREASE
    assert change_verdict(100, 110, 0.40) == NO_SIGNIFICANT_CHANGE
    assert change_verdict(3, 4, 0.001) == TOO_FEW_TO_SAY


def test_verdict_boundaries():
    # min_total edge: 9 is too few, 10 is enough
    assert change_verdict(4, 5, 0.001) == TOO_FEW_TO_SAY
    assert change_verdict(5, 5, 0.5) == NO_SIGNIFICANT_CHANGE
    assert change_verdict(2, 8, 0.01) == SIGNIFICANT_INCREASE
    # q exactly alpha is not significant; just below is
    assert change_verdict(20, 40, 0.05) == NO_SIGNIFICANT_CHANGE
    assert change_verdict(20, 40, 0.0499) == SIGNIFICANT_INCREASE
    # custom thresholds
    assert change_verdict(20, 40, 0.03, alpha=0.01) == NO_SIGNIFICANT_CHANGE
    assert change_verdict(20, 40, 0.001, min_total=100) == TOO_FEW_TO_SAY
    # missing q or missing count
    assert change_verdict(20, 40, float("nan")) == NO_SIGNIFICANT_CHANGE
    assert change_verdict(float("nan"), 40, 0.001) == TOO_FEW_TO_SAY


def test_verdicts_vectorised():
    prev = pd.Series([4, 5, 100, 150, 100], index=list("abcde"))
    cur = pd.Series([5, 5, 150, 100, 110], index=list("abcde"))
    q = pd.Series([0.001, 0.001, 0.001, 0.001, 0.4], index=list("abcde"))
    out = change_verdicts(prev, cur, q)
    assert list(out.index) == list("abcde")
    assert out.tolist() == [
        TOO_FEW_TO_SAY,
        NO_SIGNIFICANT_CHANGE,  # 5 -> 5 with small q: no direction to report
        SIGNIFICANT_INCREASE,
        SIGNIFICANT_DECREASE,
        NO_SIGNIFICANT_CHANGE,
    ]
    arr = change_verdict(np.array([4, 100]), np.array([5, 150]), np.array([0.001, 0.001]))
    assert arr.tolist() == [TOO_FEW_TO_SAY, SIGNIFICANT_INCREASE]


# ---------------------------------------------------------------------------
# seasonal Mann-Kendall
# ---------------------------------------------------------------------------
SEASON = np.array([30, 28, 33, 35, 40, 46, 52, 50, 41, 38, 34, 44], dtype=float)


def _months(n_years: int) -> np.ndarray:
    return np.tile(np.arange(1, 13), n_years)


def test_smk_clear_rise():
    # three years, seasonal shape plus ~10 a year and a little wobble
    wobble = np.array([1, -2, 0, 2, -1, 1, 0, -2, 2, 0, 1, -1] * 3, dtype=float)
    x = np.tile(SEASON, 3) + np.repeat([0.0, 10.0, 20.0], 12) + wobble
    direction, p, slope = seasonal_mann_kendall(x, _months(3))
    assert direction == RISING
    # every month rises each year: S = 36, Var = 12 * 3*2*11/18 = 44
    assert p == pytest.approx(2 * 6.585574e-08, rel=1e-4)  # Z = 35/sqrt(44) = 5.2764
    assert 8.0 <= slope <= 12.0


def test_smk_falling():
    x = np.tile(SEASON, 4) - np.repeat([0.0, 5.0, 10.0, 15.0], 12)
    direction, p, slope = seasonal_mann_kendall(pd.Series(x), pd.Series(_months(4)))
    assert direction == FALLING
    assert slope == pytest.approx(-5.0)
    # S = -72, Var = 12 * 4*3*13/18 = 104, Z = -71/sqrt(104)
    assert p == pytest.approx(2 * 1.3163e-12, rel=1e-3)


def test_smk_flat_seasonal_series():
    x = np.tile(SEASON, 3)  # same every year: all ties, variance 0
    direction, p, slope = seasonal_mann_kendall(x, _months(3))
    assert direction == NO_CLEAR_TREND
    assert p == 1.0
    assert slope == 0.0


def test_smk_flat_noisy_series():
    wobble = np.array(
        [2, -1, 0, 1, -2, 0, 1, 2, -1, 0, -2, 1,
         -1, 2, 1, -2, 0, 1, -1, 0, 2, -1, 1, 0,
         0, -1, -1, 1, 2, -1, 0, -2, -1, 1, 1, -1],
        dtype=float,
    )
    x = np.tile(SEASON, 3) + wobble
    direction, p, _ = seasonal_mann_kendall(x, _months(3))
    assert direction == NO_CLEAR_TREND
    assert p > 0.05


def test_smk_tie_corrected_variance():
    # each month: values a, a, a+5 -> S_g = 2; tie group of 2 in every month
    # Var_g = (3*2*11 - 2*1*9)/18 = 48/18; total S = 24, Var = 32
    # Z = (24 - 1)/sqrt(32) = 4.0659, p = 4.7855e-05
    x = np.concatenate([SEASON, SEASON, SEASON + 5])
    direction, p, slope = seasonal_mann_kendall(x, _months(3))
    assert direction == RISING
    assert p == pytest.approx(4.78548e-05, rel=1e-4)
    assert slope == pytest.approx(2.5)  # median of {0, 5, 2.5} in each month


def test_smk_sen_slope_exactly_12_per_year():
    x = np.tile(SEASON, 4) + np.repeat([0.0, 12.0, 24.0, 36.0], 12)
    direction, _, slope = seasonal_mann_kendall(x, _months(4))
    assert direction == RISING
    assert slope == 12.0
    # a missing month (dropped row) does not upset the year count
    keep = np.ones(48, dtype=bool)
    keep[17] = False  # June of year 2
    _, _, slope2 = seasonal_mann_kendall(x[keep], _months(4)[keep])
    assert slope2 == 12.0


def test_smk_too_short():
    x = np.tile(SEASON, 2) + np.repeat([0.0, 50.0], 12)
    direction, p, slope = seasonal_mann_kendall(x, _months(2))
    assert direction == TOO_SHORT_TO_SAY
    assert math.isnan(p) and math.isnan(slope)
    # 35 usable months is still too short
    y = np.tile(SEASON, 3)
    y[5] = np.nan
    assert seasonal_mann_kendall(y, _months(3))[0] == TOO_SHORT_TO_SAY


# ---------------------------------------------------------------------------
# seasonal profile
# ---------------------------------------------------------------------------
def test_seasonal_profile_known_peak():
    # two years; July is 30 then 34 (mean 32), every other month 8 then 12 (mean 10)
    base = np.full(12, 8.0)
    base[6] = 30.0
    x = np.concatenate([base, base + 4])
    prof = seasonal_profile(x, _months(2))
    assert list(prof.columns) == ["month_of_year", "mean_count", "index", "is_peak"]
    assert prof["month_of_year"].tolist() == list(range(1, 13))
    assert prof.loc[6, "mean_count"] == 32.0
    assert prof.loc[0, "mean_count"] == 10.0
    overall = (11 * 10 + 32) / 12  # 11.8333
    assert prof.loc[6, "index"] == pytest.approx(32 / overall)  # 2.704
    assert prof.loc[0, "index"] == pytest.approx(10 / overall)  # 0.845
    assert prof["index"].mean() == pytest.approx(1.0)
    assert prof["is_peak"].tolist() == [m == 7 for m in range(1, 13)]
    assert prof["is_peak"].dtype == bool


def test_seasonal_profile_ties_and_missing_month():
    months = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])  # no December
    x = np.array([5, 5, 9, 5, 5, 5, 9, 5, 5, 5, 5], dtype=float)
    prof = seasonal_profile(x, months)
    assert prof["is_peak"].tolist() == [m in (3, 7) for m in range(1, 13)]
    assert math.isnan(prof.loc[11, "mean_count"]) and math.isnan(prof.loc[11, "index"])
    assert prof.loc[2, "index"] == pytest.approx(9 / (63 / 11))


# ---------------------------------------------------------------------------
# an area against a benchmark (district against county)
# ---------------------------------------------------------------------------
def test_compare_with_benchmark():
    # a district's rate interval against the county rate of 2.0 (per 1,000)
    words = compare_with_benchmark([2.1, 1.0, 1.5, 2.0, np.nan], [3.0, 1.9, 2.5, 2.4, 3.0], 2.0)
    assert words.tolist() == ["significantly higher", "significantly lower", "similar", "similar", None]
    lower, upper = pd.Series([0.5], index=["Ashford"]), pd.Series([0.9], index=["Ashford"])
    out = compare_with_benchmark(lower, upper, pd.Series([np.nan], index=["Ashford"]))
    assert out.to_dict() == {"Ashford": None}


def test_compare_with_benchmark_on_phe_intervals():
    # 19 events in 138,283 people: 13.7 per 100,000 (Byar 8.27 to 21.5) against 20.0 and 5.0
    rate, lower, upper = rate_ci(19, 138283, per=100000)
    assert (sig3(rate), sig3(lower), sig3(upper)) == (13.7, 8.27, 21.5)
    assert compare_with_benchmark(lower, upper, [20.0, 5.0, 13.0]).tolist() == ["similar", "significantly higher", "similar"]
    assert compare_with_benchmark(lower, upper, 25.0) == "significantly lower"


def test_seasonal_index_is_the_profile_as_arrays():
    x = np.array([5, 5, 9, 5, 5, 5, 9, 5, 5, 5, 5], dtype=float)
    months = np.arange(1, 12)
    means, index, peak = seasonal_index(x, months)
    prof = seasonal_profile(x, months)
    np.testing.assert_array_equal(means, prof["mean_count"].to_numpy())
    np.testing.assert_array_equal(index, prof["index"].to_numpy())
    np.testing.assert_array_equal(peak, prof["is_peak"].to_numpy())
    means, index, peak = seasonal_index([np.nan, 0.0], [1, 2])   # all zero: no index, no peak
    assert np.isnan(index).all() and not peak.any() and means[1] == 0.0
