"""Statistical helpers for the Community Safety Partnership strategic assessment.

Everything here is a plain function over numbers, numpy arrays or pandas
Series, so the pipeline can apply it to a whole district x measure grid at
once.  The methods follow the conventions that partners already know from
public-health reporting (PHE / APHO "Technical Guide: Confidence Intervals",
Eayres 2008), so a figure produced here matches what an analyst would get
from the Fingertips tools.  docs/methods.md explains each choice in plain
English for the Working Group.

Conventions shared by every function:

* Missing or impossible inputs (NaN count, population 0, n = 0 ...) give NaN,
  never an exception, because one bad cell must not stop the whole grid.
* A scalar in gives Python floats out; an array in gives numpy arrays out; a
  pandas Series in gives Series out with the same index.

Runtime dependencies: numpy, scipy, pandas only.
"""

from __future__ import annotations

from typing import Any, Sequence, Union

import numpy as np
import pandas as pd
from scipy import stats as _st

ArrayLike = Union[float, int, Sequence[float], np.ndarray, pd.Series]

__all__ = [
    "SIGNIFICANT_INCREASE",
    "SIGNIFICANT_DECREASE",
    "NO_SIGNIFICANT_CHANGE",
    "TOO_FEW_TO_SAY",
    "VERDICTS",
    "RISING",
    "FALLING",
    "NO_CLEAR_TREND",
    "TOO_SHORT_TO_SAY",
    "TREND_DIRECTIONS",
    "SIGNIFICANTLY_HIGHER",
    "SIGNIFICANTLY_LOWER",
    "SIMILAR",
    "BENCHMARK_COMPARISONS",
    "MIN_TOTAL",
    "BYAR_THRESHOLD",
    "MIN_TREND_MONTHS",
    "poisson_exact_ci",
    "byar_ci",
    "rate_ci",
    "wilson_ci",
    "poisson_change_test",
    "benjamini_hochberg",
    "change_verdict",
    "change_verdicts",
    "compare_with_benchmark",
    "seasonal_mann_kendall",
    "seasonal_profile",
    "seasonal_index",
]

# --- verdict wording (the exact strings the report shows) -------------------
SIGNIFICANT_INCREASE = "significant increase"
SIGNIFICANT_DECREASE = "significant decrease"
NO_SIGNIFICANT_CHANGE = "no significant change"
TOO_FEW_TO_SAY = "too few to say"
VERDICTS = (SIGNIFICANT_INCREASE, SIGNIFICANT_DECREASE, NO_SIGNIFICANT_CHANGE, TOO_FEW_TO_SAY)

# --- trend wording ----------------------------------------------------------
RISING = "rising"
FALLING = "falling"
NO_CLEAR_TREND = "no clear trend"
TOO_SHORT_TO_SAY = "too short to say"
TREND_DIRECTIONS = (RISING, FALLING, NO_CLEAR_TREND, TOO_SHORT_TO_SAY)

# --- an area against a benchmark (a district against the county) ------------
SIGNIFICANTLY_HIGHER = "significantly higher"
SIGNIFICANTLY_LOWER = "significantly lower"
SIMILAR = "similar"
BENCHMARK_COMPARISONS = (SIGNIFICANTLY_HIGHER, SIGNIFICANTLY_LOWER, SIMILAR)

#: PHE convention: Byar's approximation from this count upwards, exact below.
BYAR_THRESHOLD = 10
#: Below this many events across both periods a change verdict means little: "too few to say".
MIN_TOTAL = 10
#: Seasonal Mann-Kendall needs at least three full years of months.
MIN_TREND_MONTHS = 36


# ---------------------------------------------------------------------------
# small internal helpers
# ---------------------------------------------------------------------------
def _as_float_array(x: Any) -> np.ndarray:
    """Numeric view of x as float (None / pd.NA / non-numeric -> NaN)."""
    if isinstance(x, pd.Series):
        return pd.to_numeric(x, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if x is None or x is pd.NA:
        return np.asarray(np.nan)
    arr = np.asarray(x)
    if arr.dtype == object:
        return pd.to_numeric(pd.Series(arr.ravel()), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan).reshape(arr.shape)
    return arr.astype(float)


def _template(*inputs: Any) -> Any:
    """First Series among the inputs (to copy its index), else None."""
    for x in inputs:
        if isinstance(x, pd.Series):
            return x
    return None


def _is_scalar_input(*inputs: Any) -> bool:
    return all(np.ndim(x) == 0 and not isinstance(x, pd.Series) for x in inputs)


def _out(values: np.ndarray, template: Any, scalar: bool, name: str | None = None) -> Any:
    """Shape a result like the caller's input: float, ndarray or Series."""
    if scalar:
        return float(np.asarray(values).reshape(()))
    if template is not None:
        return pd.Series(np.asarray(values), index=template.index, name=name)
    return np.asarray(values)


def _z(alpha: float) -> float:
    """Two-sided standard normal critical value (1.959964... for alpha 0.05)."""
    return float(_st.norm.ppf(1.0 - alpha / 2.0))


# ---------------------------------------------------------------------------
# 1. exact Poisson interval
# ---------------------------------------------------------------------------
def _exact_limits(o: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        bad = ~np.isfinite(o) | (o < 0)
        safe = np.where(bad, 0.0, o)
        lower = np.where(safe == 0, 0.0, _st.chi2.ppf(alpha / 2.0, 2.0 * np.maximum(safe, 1e-300)) / 2.0)
        upper = _st.chi2.ppf(1.0 - alpha / 2.0, 2.0 * safe + 2.0) / 2.0
        lower = np.where(bad, np.nan, lower)
        upper = np.where(bad, np.nan, upper)
    return lower, upper


def poisson_exact_ci(count: ArrayLike, alpha: float = 0.05) -> tuple[Any, Any]:
    """Exact (Garwood) confidence interval for a Poisson count.

    Uses the chi-square link: lower = chi2(alpha/2, 2O)/2,
    upper = chi2(1-alpha/2, 2O+2)/2, with lower = 0 when O = 0.  This is
    the method PHE prescribes for counts under 10, where normal-style
    approximations are poor.  Negative or missing counts give NaN.
    """
    scalar = _is_scalar_input(count)
    tpl = _template(count)
    lower, upper = _exact_limits(_as_float_array(count), alpha)
    return _out(lower, tpl, scalar, "lower"), _out(upper, tpl, scalar, "upper")


# ---------------------------------------------------------------------------
# 2. Byar's approximation
# ---------------------------------------------------------------------------
def _byar_limits(o: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    z = _z(alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        bad = ~np.isfinite(o) | (o < 0)
        lower = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * np.sqrt(o))) ** 3
        lower = np.where(o == 0, 0.0, lower)
        o1 = o + 1.0
        upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
        lower = np.where(bad, np.nan, lower)
        upper = np.where(bad, np.nan, upper)
    return lower, upper


def byar_ci(count: ArrayLike, alpha: float = 0.05) -> tuple[Any, Any]:
    """Byar's approximation to the exact Poisson interval (PHE Technical Guide).

    lower = O (1 - 1/(9O) - z/(3 sqrt O))^3
    upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3
    with z the exact normal quantile (1.959964 for 95%).  PHE uses it for
    counts of 10 or more, where it is within 0.2% of the exact limits.  It
    is returned as calculated for any count (lower = 0 at O = 0); use
    rate_ci for the PHE switch between Byar and exact.
    """
    scalar = _is_scalar_input(count)
    tpl = _template(count)
    lower, upper = _byar_limits(_as_float_array(count), alpha)
    return _out(lower, tpl, scalar, "lower"), _out(upper, tpl, scalar, "upper")


# ---------------------------------------------------------------------------
# 3. crude rate with interval
# ---------------------------------------------------------------------------
def rate_ci(
    count: ArrayLike, population: ArrayLike, per: float = 1000, alpha: float = 0.05
) -> tuple[Any, Any, Any]:
    """Crude rate per `per` residents with its confidence interval.

    The count's interval is Byar's for counts >= 10 and exact Poisson below
    10 (the PHE convention), then divided by population and scaled.  A
    population of 0, negative or missing, or a missing count, gives NaN in
    all three outputs rather than an error or an infinite rate.
    """
    scalar = _is_scalar_input(count, population)
    tpl = _template(count, population)
    o, pop = np.broadcast_arrays(_as_float_array(count), _as_float_array(population))
    o = o.astype(float)
    pop = pop.astype(float)
    b_lo, b_hi = _byar_limits(o, alpha)
    e_lo, e_hi = _exact_limits(o, alpha)
    use_byar = o >= BYAR_THRESHOLD
    lo = np.where(use_byar, b_lo, e_lo)
    hi = np.where(use_byar, b_hi, e_hi)
    valid = np.isfinite(pop) & (pop > 0) & np.isfinite(o) & (o >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(valid, per / np.where(valid, pop, 1.0), np.nan)
        rate = o * scale
        lower = lo * scale
        upper = hi * scale
    return (
        _out(rate, tpl, scalar, "rate"),
        _out(lower, tpl, scalar, "lower"),
        _out(upper, tpl, scalar, "upper"),
    )


# ---------------------------------------------------------------------------
# 4. Wilson score interval for a proportion
# ---------------------------------------------------------------------------
def wilson_ci(successes: ArrayLike, n: ArrayLike, alpha: float = 0.05) -> tuple[Any, Any, Any]:
    """Proportion with Wilson score interval (Newcombe 1998 method 3, no continuity correction).

    This is PHE's method for shares (e.g. the share of a district's crime
    that is violent): unlike the simple p +/- 1.96 SE it never strays below
    0 or above 1 and behaves well for small n or extreme shares.  n <= 0,
    missing values, or successes outside 0..n give NaN.
    """
    scalar = _is_scalar_input(successes, n)
    tpl = _template(successes, n)
    o, nn = np.broadcast_arrays(_as_float_array(successes), _as_float_array(n))
    o = o.astype(float)
    nn = nn.astype(float)
    z = _z(alpha)
    z2 = z * z
    valid = np.isfinite(o) & np.isfinite(nn) & (nn > 0) & (o >= 0) & (o <= nn)
    with np.errstate(invalid="ignore", divide="ignore"):
        nsafe = np.where(valid, nn, 1.0)
        osafe = np.where(valid, o, 0.0)
        p = osafe / nsafe
        root = z * np.sqrt(z2 + 4.0 * osafe * (1.0 - p))
        denom = 2.0 * (nsafe + z2)
        lower = (2.0 * osafe + z2 - root) / denom
        upper = (2.0 * osafe + z2 + root) / denom
        # the closed form is exact at 0 and n; clip tiny rounding excursions
        lower = np.clip(lower, 0.0, 1.0)
        upper = np.clip(upper, 0.0, 1.0)
    nan = np.nan
    return (
        _out(np.where(valid, p, nan), tpl, scalar, "proportion"),
        _out(np.where(valid, lower, nan), tpl, scalar, "lower"),
        _out(np.where(valid, upper, nan), tpl, scalar, "upper"),
    )


# ---------------------------------------------------------------------------
# 5. test of change between two periods
# ---------------------------------------------------------------------------
def _check_counts(values: np.ndarray, what: str) -> None:
    finite = values[np.isfinite(values)]
    bad = finite[(finite < 0) | (finite != np.floor(finite))]
    if bad.size:
        raise ValueError(f"{what} must be a non-negative whole number, got {bad[0]!r}")


def _equal_exposure_p(k_prev: np.ndarray, k_cur: np.ndarray) -> np.ndarray:
    """binomtest's two-sided p for Binomial(n, 1/2), vectorised: the distribution is symmetric, so
    the outcomes no likelier than the one seen are the two tails beyond it: p = 2 P(X <= min)."""
    total = k_prev + k_cur
    smaller = np.minimum(k_prev, k_cur)
    with np.errstate(invalid="ignore"):
        p = np.minimum(1.0, 2.0 * _st.binom.cdf(smaller, total, 0.5))
    return np.where(k_prev == k_cur, 1.0, p)


def poisson_change_test(previous: ArrayLike, current: ArrayLike, exposure_ratio: ArrayLike = 1.0) -> Any:
    """Two-sided p-value for 'did the count change?' between two periods.

    Exact conditional test: if both periods share one underlying rate, then
    given the total n = previous + current, current ~ Binomial(n, p0) with
    p0 = exposure_ratio / (1 + exposure_ratio) (exposure_ratio = current
    period exposure / previous period exposure; 1.0 for two equal 12-month
    windows).  scipy's binomtest gives the two-sided (minimum-likelihood)
    p-value; for equal exposures (p0 = 1/2) the same value comes from the
    symmetric closed form 2 P(X <= min(previous, current)), computed for a
    whole grid at once.  Exact, so valid for the small counts a district
    often has, and it can only err on the conservative side.

    n = 0 gives p = 1.0 (no evidence of anything).  Missing counts or a
    non-positive / missing exposure ratio give NaN.  Negative or fractional
    counts are data errors and raise ValueError.
    """
    scalar = _is_scalar_input(previous, current, exposure_ratio)
    tpl = _template(previous, current, exposure_ratio)
    arrays = np.broadcast_arrays(_as_float_array(previous), _as_float_array(current), _as_float_array(exposure_ratio))
    shape = arrays[0].shape
    a, b, r = (np.atleast_1d(np.asarray(x, dtype=float)).ravel() for x in arrays)
    _check_counts(a, "previous")
    _check_counts(b, "current")
    usable = np.isfinite(a) & np.isfinite(b) & np.isfinite(r) & (r > 0)
    out = np.full(a.shape, np.nan)
    equal = usable & (r == 1.0)
    out[equal] = _equal_exposure_p(a[equal], b[equal])
    for i in np.flatnonzero(usable & ~equal):
        k_prev, k_cur = int(a[i]), int(b[i])
        p0 = r[i] / (1.0 + r[i])
        out[i] = 1.0 if k_prev + k_cur == 0 else _st.binomtest(k_cur, k_prev + k_cur, p0).pvalue
    return _out(out.reshape(shape), tpl, scalar, "p_value")


# ---------------------------------------------------------------------------
# 6. Benjamini-Hochberg false discovery rate
# ---------------------------------------------------------------------------
def benjamini_hochberg(p_values: ArrayLike) -> Any:
    """Benjamini-Hochberg adjusted p-values (q-values) across the whole grid.

    q_(i) = min over j >= i of (m / j) p_(j), capped at 1 (step-up, so the
    q-values keep the order of the p-values).  NaN p-values stay NaN and do
    not count towards m, so a cell with no test does not dilute the rest.
    Any shape is accepted; the adjustment is over all cells together.
    """
    scalar = _is_scalar_input(p_values)
    tpl = _template(p_values)
    p = _as_float_array(p_values)
    flat = p.ravel()
    q = np.full(flat.shape, np.nan)
    ok = np.isfinite(flat)
    m = int(ok.sum())
    if m:
        pv = flat[ok]
        order = np.argsort(pv, kind="mergesort")
        ranked = pv[order] * m / np.arange(1, m + 1)
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        adj = np.empty(m)
        adj[order] = np.minimum(ranked, 1.0)
        q[ok] = adj
    return _out(q.reshape(p.shape), tpl, scalar, "q_value")


# ---------------------------------------------------------------------------
# 7. verdict wording
# ---------------------------------------------------------------------------
def _verdict_one(prev: float, cur: float, q: float, alpha: float, min_total: float) -> str:
    if not (np.isfinite(prev) and np.isfinite(cur)):
        return TOO_FEW_TO_SAY
    if prev + cur < min_total:
        return TOO_FEW_TO_SAY
    if np.isfinite(q) and q < alpha:
        if cur > prev:
            return SIGNIFICANT_INCREASE
        if cur < prev:
            return SIGNIFICANT_DECREASE
    return NO_SIGNIFICANT_CHANGE


def change_verdicts(
    previous: ArrayLike, current: ArrayLike, q_value: ArrayLike, alpha: float = 0.05, min_total: int = MIN_TOTAL
) -> Any:
    """Vectorised change_verdict: ndarray of strings, or a Series for Series input."""
    tpl = _template(previous, current, q_value)
    a, b, q = np.broadcast_arrays(
        _as_float_array(previous), _as_float_array(current), _as_float_array(q_value)
    )
    flat = [
        _verdict_one(float(x), float(y), float(z), alpha, min_total)
        for x, y, z in zip(a.ravel(), b.ravel(), q.ravel())
    ]
    res = np.array(flat, dtype=object).reshape(a.shape)
    if tpl is not None:
        return pd.Series(res.ravel(), index=tpl.index, name="verdict", dtype=object)
    return res


def change_verdict(
    previous: Any, current: Any, q_value: Any, alpha: float = 0.05, min_total: int = MIN_TOTAL
) -> Any:
    """Plain-English verdict on the change from the previous to the current period.

    * "too few to say"  - previous + current < min_total (or a count is
      missing): too little data for any verdict to mean much, even if the
      test happened to be significant.
    * "significant increase" / "significant decrease" - the FDR-adjusted
      q-value is below alpha; direction from the raw counts.
    * "no significant change" - otherwise (includes q missing).

    Scalars give a str; arrays or Series are passed to change_verdicts.
    """
    if not _is_scalar_input(previous, current, q_value):
        return change_verdicts(previous, current, q_value, alpha=alpha, min_total=min_total)
    return _verdict_one(
        float(_as_float_array(previous)),
        float(_as_float_array(current)),
        float(_as_float_array(q_value)),
        alpha,
        min_total,
    )


def compare_with_benchmark(lower: ArrayLike, upper: ArrayLike, benchmark: ArrayLike) -> Any:
    """An area's value against a benchmark (e.g. a district's rate against the county's).

    The PHE / Fingertips convention: "significantly higher" when the area's
    confidence interval lies wholly above the benchmark value, "significantly
    lower" when wholly below, "similar" when it contains it.  A missing limit
    or benchmark gives None.  A str for scalars, an ndarray of objects for
    arrays, a Series for Series input.
    """
    tpl = _template(lower, upper, benchmark)
    lo, hi, bm = np.broadcast_arrays(_as_float_array(lower), _as_float_array(upper), _as_float_array(benchmark))
    known = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(bm)
    with np.errstate(invalid="ignore"):
        words = np.where(lo > bm, SIGNIFICANTLY_HIGHER, np.where(hi < bm, SIGNIFICANTLY_LOWER, SIMILAR)).astype(object)
    words[~known] = None
    if tpl is not None:
        return pd.Series(words.ravel(), index=tpl.index, name="compared_with_benchmark", dtype=object)
    return words.item() if _is_scalar_input(lower, upper, benchmark) else words


# ---------------------------------------------------------------------------
# 8. seasonal Mann-Kendall trend test with seasonal Sen slope
# ---------------------------------------------------------------------------
def _year_index(months: np.ndarray) -> np.ndarray:
    """Year number for each month in chronological order (new year when month wraps)."""
    years = np.zeros(len(months), dtype=int)
    for i in range(1, len(months)):
        years[i] = years[i - 1] + (1 if months[i] <= months[i - 1] else 0)
    return years


def _tie_term(values: np.ndarray) -> float:
    _, counts = np.unique(values, return_counts=True)
    t = counts[counts > 1].astype(float)
    return float(np.sum(t * (t - 1.0) * (2.0 * t + 5.0)))


def seasonal_mann_kendall(
    monthly_counts: ArrayLike, months_of_year: ArrayLike, alpha: float = 0.05, min_values: int = MIN_TREND_MONTHS
) -> tuple[str, float, float]:
    """Direction of the long-run trend, allowing for the seasonal pattern.

    Seasonal Mann-Kendall (Hirsch, Slack & Smith 1982): each calendar month
    is compared only with the same month in other years, so a summer peak
    is not mistaken for a trend.  S and its variance are summed over the 12
    months (seasons treated as independent, as in the 1982 paper), the
    variance corrected for tied values; Z uses the usual continuity
    correction and p is two-sided normal.  The slope is the seasonal
    Kendall (Sen) slope: the median of all same-month year-on-year slopes,
    in counts per year.

    Inputs must be in chronological order; the year of each value is taken
    from where the month-of-year wraps round, so a missing month simply
    drops out.  NaN counts are ignored.  Returns (direction, p, slope):
    "rising"/"falling" when p < alpha, "no clear trend" otherwise, and
    ("too short to say", nan, nan) with fewer than min_values usable values
    (36: three years of months; a quarterly series passes 12).
    """
    x = _as_float_array(monthly_counts).ravel()
    mo = _as_float_array(months_of_year).ravel()
    if x.shape != mo.shape:
        raise ValueError("monthly_counts and months_of_year must be the same length")
    keep_mo = np.isfinite(mo)
    x, mo = x[keep_mo], mo[keep_mo].astype(int)
    years = _year_index(mo)
    use = np.isfinite(x)
    x, mo, years = x[use], mo[use], years[use]
    if len(x) < min_values:
        return TOO_SHORT_TO_SAY, float("nan"), float("nan")

    s_total = 0.0
    var_total = 0.0
    slopes: list[np.ndarray] = []
    for m in np.unique(mo):
        sel = mo == m
        xs, ys = x[sel], years[sel].astype(float)
        k = len(xs)
        if k < 2:
            continue
        i, j = np.triu_indices(k, 1)
        s_total += float(np.sum(np.sign(xs[j] - xs[i])))
        var_total += (k * (k - 1.0) * (2.0 * k + 5.0) - _tie_term(xs)) / 18.0
        dy = ys[j] - ys[i]
        good = dy != 0
        slopes.append((xs[j][good] - xs[i][good]) / dy[good])

    all_slopes = np.concatenate(slopes) if slopes else np.array([])
    sen = float(np.median(all_slopes)) if all_slopes.size else float("nan")

    if var_total <= 0:
        return NO_CLEAR_TREND, 1.0, sen
    if s_total > 0:
        z = (s_total - 1.0) / np.sqrt(var_total)
    elif s_total < 0:
        z = (s_total + 1.0) / np.sqrt(var_total)
    else:
        z = 0.0
    p = float(min(1.0, 2.0 * _st.norm.sf(abs(z))))
    if p < alpha:
        direction = RISING if s_total > 0 else FALLING
    else:
        direction = NO_CLEAR_TREND
    return direction, p, sen


# ---------------------------------------------------------------------------
# 9. seasonal profile
# ---------------------------------------------------------------------------
def seasonal_profile(counts: ArrayLike, months_of_year: ArrayLike) -> pd.DataFrame:
    """Average count for each calendar month and how it compares with a typical month.

    Columns: month_of_year (1..12, always 12 rows), mean_count, index
    (mean_count / the average of the monthly means, so 1.0 = an average
    month and 1.2 = 20% busier than average) and is_peak (True for the
    month(s) with the highest index; ties are all True).  Averaging the
    monthly means rather than all values keeps the index fair when some
    months appear once more than others.  Months with no data get NaN
    and is_peak False.
    """
    means, index, is_peak = seasonal_index(counts, months_of_year)
    return pd.DataFrame({"month_of_year": np.arange(1, 13), "mean_count": means, "index": index, "is_peak": is_peak})


def seasonal_index(counts: ArrayLike, months_of_year: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """seasonal_profile's three columns as arrays of 12 (January first): mean, index, is_peak.
    Plain numpy, for the pipeline's thousands of measure x area series."""
    x = _as_float_array(counts).ravel()
    mo = _as_float_array(months_of_year).ravel()
    if x.shape != mo.shape:
        raise ValueError("counts and months_of_year must be the same length")
    keep = np.isfinite(x) & np.isin(mo, np.arange(1, 13))
    slot = mo[keep].astype(int) - 1
    totals = np.bincount(slot, weights=x[keep], minlength=12)
    seen = np.bincount(slot, minlength=12)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(seen > 0, totals / np.maximum(seen, 1), np.nan)
        overall = np.nanmean(means) if (seen > 0).any() else np.nan  # skips months with no data
        index = means / overall if overall and np.isfinite(overall) else np.full(12, np.nan)
    top = np.nanmax(index) if np.isfinite(index).any() else np.nan
    is_peak = np.isclose(index, top, rtol=1e-9, atol=0.0) if np.isfinite(top) else np.zeros(12, dtype=bool)
    return means, index, is_peak.astype(bool)
