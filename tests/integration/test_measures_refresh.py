"""The measure comparisons on the hand-counted fixture (tests/fixtures/measures/README.md): exact rows."""
from __future__ import annotations

import dataclasses
from math import comb

import pytest

from csp.config import load_settings
from csp.pipeline import run_refresh
from tests.conftest import AS_OF, FIXTURES, drop, query
from transforms.measure_stats import VERDICTS

ROLLING = "November 2024 – October 2025 compared with November 2023 – October 2024"
FYTD = "April 2025 – October 2025 compared with April 2024 – October 2024"
FIXTURE = FIXTURES / "measures"


def refreshed_workspace(tmp_path_factory, name: str, files: list[str]):
    """The measures fixture refreshed once. These tests read the warehouse only: the pack's document
    and the district marts, which read the same tables, are left out (as in tests/conftest.py)."""
    base = tmp_path_factory.mktemp(name)
    settings = dataclasses.replace(
        load_settings().with_paths(raw_dir=base / "raw", marts_dir=base / "marts", warehouse=base / "csp.duckdb"),
        window_end={"police_crime": "2025-10"}, series_breaks=FIXTURE / "series_breaks.yml",
        pack_documents=False, district_marts=False)
    for f in files:   # delivered in this order: a later file replaces the months it covers
        drop(settings, "police_crime", FIXTURE / f)
    run_refresh(settings, AS_OF)
    return settings


@pytest.fixture(scope="module")
def restricted(tmp_path_factory):
    return refreshed_workspace(tmp_path_factory, "restricted", ["previous_year.csv", "current_year.csv"])


@pytest.fixture(scope="module")
def public_october(tmp_path_factory):
    return refreshed_workspace(tmp_path_factory, "public", ["previous_year.csv", "current_year.csv",
                                                            "october_2025_public.csv"])


def change(settings, measure, area, comparison_type="rolling 12 months", columns="current_value, previous_value"):
    rows = query(settings, f"""SELECT {columns} FROM comparisons.measure_change
                               WHERE measure_id = $m AND area_name = $a AND comparison_type = $c""",
                 {"m": measure, "a": area, "c": comparison_type})
    assert len(rows) == 1
    return rows[0]


def exact_p(previous: int, current: int) -> float:
    """The exact conditional test by hand: 2 P(X <= min), X ~ Binomial(n, 1/2)."""
    n, k = previous + current, min(previous, current)
    return min(1.0, 2 * sum(comb(n, i) for i in range(k + 1)) / 2 ** n)


def test_rolling_12_months_counts_and_verdicts(restricted):
    cols = "current_value, previous_value, change, round(pct_change, 1), verdict, comparison, status"
    assert change(restricted, "all_crime", "Kent", columns=cols) == (
        34, 17, 17, 100.0, "significant increase", ROLLING, "available")
    assert change(restricted, "all_crime", "Ashford", columns=cols) == (
        19, 5, 14, 280.0, "significant increase", ROLLING, "available")
    assert change(restricted, "all_crime", "Thanet", columns=cols) == (
        12, 12, 0, 0.0, "no significant change", ROLLING, "available")
    assert change(restricted, "all_crime", "Dover", columns=cols) == (3, 0, 3, None, "too few to say", ROLLING, "available")
    assert change(restricted, "all_crime", "Tunbridge Wells", columns=cols) == (
        0, 0, 0, None, "too few to say", ROLLING, "available")
    # Medway is shown on its own and never counted in Kent
    assert change(restricted, "all_crime", "Medway", columns=cols) == (1, 2, -1, -50.0, "too few to say", ROLLING, "available")
    assert change(restricted, "violent_crime", "Kent") == (19, 5)
    assert change(restricted, "violence_against_the_person", "Ashford") == (16, 4)   # 31 Oct 2024 previous, 1 Nov 2024 current
    assert change(restricted, "domestic_abuse", "Kent", columns="current_value, previous_value, verdict") == (
        10, 2, "no significant change")
    assert change(restricted, "knife_crime_victim_18_25", "Kent") == (3, 0)
    assert change(restricted, "knife_crime_victim_under_18", "Kent") == (1, 1)
    assert change(restricted, "race_hate_crime", "Kent") == (1, 1)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Written out: the i-th smallest p-value's q-value is the least of p(j) * m / j over j >= i."""
    m, q, least = len(p_values), [0.0] * len(p_values), 1.0
    ranked = sorted(range(m), key=lambda i: p_values[i])
    for rank in range(m, 0, -1):
        least = min(least, p_values[ranked[rank - 1]] * m / rank)
        q[ranked[rank - 1]] = least
    return q


def test_p_values_and_fdr_across_the_grid(restricted):
    cols = "round(p_value, 12)"
    assert change(restricted, "all_crime", "Ashford", columns=cols) == (round(exact_p(5, 19), 12),)
    assert change(restricted, "violence_against_the_person", "Kent", columns=cols) == (round(exact_p(4, 16), 12),)
    assert change(restricted, "all_crime", "Kent", columns=cols) == (round(exact_p(17, 34), 12),)
    assert change(restricted, "domestic_abuse", "Kent", columns=cols) == (round(158 / 4096, 12),)
    assert change(restricted, "domestic_abuse", "Ashford", columns=cols) == (round(134 / 2048, 12),)
    # tested but below 10 across both periods: a p-value, no q-value (not in the family)
    assert change(restricted, "vawg", "Kent", columns="round(p_value, 12), q_value, verdict") == (
        round(exact_p(2, 7), 12), None, "too few to say")
    # the family: every rolling comparison with 10 or more across both periods, its q-values adjusted together
    family = query(restricted, """SELECT measure_id, area_name, previous_value, current_value, q_value
                                  FROM comparisons.measure_change
                                  WHERE comparison_type = 'rolling 12 months' AND p_value IS NOT NULL
                                    AND previous_value + current_value >= 10 ORDER BY ALL""")
    assert len(family) == 11 and all(q is not None for *_, q in family)
    by_hand = benjamini_hochberg([exact_p(int(previous), int(current)) for _, _, previous, current, _ in family])
    assert [round(q, 12) for *_, q in family] == [round(q, 12) for q in by_hand]


def test_series_break_stops_the_rolling_comparison_but_not_the_financial_year(restricted):
    note = "Series break from February 2024: shoplifting recording changed (fixture)"
    assert change(restricted, "shoplifting", "Kent", columns="current_value, previous_value, p_value, verdict, series_break") == (
        12, 12, None, "not comparable (series break)", note)
    assert change(restricted, "shoplifting", "Kent", "financial year to date",
                  columns="current_value, previous_value, verdict, series_break, comparison") == (
        7, 7, "no significant change", None, FYTD)
    months = query(restricted, """SELECT period, verdict, series_break IS NOT NULL FROM comparisons.measure_monthly
                                  WHERE measure_id = 'shoplifting' AND area_name = 'Kent'
                                    AND month IN ('2025-01-01', '2025-02-01') ORDER BY month""")
    assert months == [("January 2025", "not comparable (series break)", True), ("February 2025", "too few to say", False)]
    # the trend starts at the break
    assert query(restricted, """SELECT trend_period, months_used, direction, series_break FROM comparisons.measure_trend
                                WHERE measure_id = 'shoplifting' AND area_name = 'Kent'""") == [
        ("February 2024 – October 2025", 21, "too short to say", "measured from the latest series break")]


def test_financial_year_to_date_starts_in_april(restricted):
    cols = "current_value, previous_value, comparison"
    assert change(restricted, "all_crime", "Kent", "financial year to date", cols) == (16, 10, FYTD)
    # 31 March 2025 is outside, 1 April 2025 inside
    assert change(restricted, "violence_against_the_person", "Ashford", "financial year to date", cols) == (6, 2, FYTD)
    # its q-value adjusted over the financial year's own family, by hand as the rolling one's
    family = query(restricted, """SELECT measure_id, area_name, previous_value, current_value, q_value
                                  FROM comparisons.measure_change
                                  WHERE comparison_type = 'financial year to date' AND p_value IS NOT NULL
                                    AND previous_value + current_value >= 10 ORDER BY ALL""")
    by_hand = dict(zip([(m, a) for m, a, *_ in family],
                       benjamini_hochberg([exact_p(int(previous), int(current)) for _, _, previous, current, _ in family])))
    assert [round(q, 12) for *_, q in family] == [round(q, 12) for q in by_hand.values()]
    assert change(restricted, "all_crime", "Kent", "financial year to date", "verdict") == ("no significant change",)
    assert by_hand[("all_crime", "Kent")] > 0.05


def test_month_boundaries_and_the_leap_day(restricted):
    rows = query(restricted, """SELECT period, value, value_year_earlier, comparison FROM comparisons.measure_monthly
                                WHERE measure_id = 'all_crime' AND area_name = 'Kent'
                                  AND month IN ('2024-02-01', '2025-02-01') ORDER BY month""")
    assert rows == [("February 2024", 2, None, "February 2024 compared with February 2023"),
                    ("February 2025", 3, 2, "February 2025 compared with February 2024")]
    ashford = query(restricted, """SELECT strftime(month, '%Y-%m'), value FROM comparisons.measure_monthly
                                   WHERE measure_id = 'violence_against_the_person' AND area_name = 'Ashford'
                                     AND month IN ('2024-10-01', '2024-11-01', '2025-03-01', '2025-04-01') ORDER BY month""")
    assert ashford == [("2024-10", 1), ("2024-11", 2), ("2025-03", 2), ("2025-04", 2)]
    (rolling,) = query(restricted, """SELECT rolling_12m, rolling_12m_period FROM comparisons.measure_monthly
                                      WHERE measure_id = 'all_crime' AND area_name = 'Kent' AND month = '2025-10-01'""")
    assert rolling == (34, "November 2024 – October 2025")


def test_rates_intervals_and_district_against_county(restricted):
    cols = "population, current_rate_per_1000, current_rate_lower, current_rate_upper, rate_vs_county"
    pop, rate, lower, upper, vs = change(restricted, "all_crime", "Ashford", columns=cols)
    assert pop == 138283 and rate == pytest.approx(19 / 138283 * 1000, rel=1e-12)
    # Byar (19 >= 10): 11.439 to 29.672 crimes, per 1,000 residents
    assert (round(lower * 138283 / 1000, 3), round(upper * 138283 / 1000, 3)) == (11.434, 29.672)
    assert vs == "significantly higher"                         # county: 34 / 1,610,251 x 1,000 = 0.0211
    pop, rate, lower, upper, vs = change(restricted, "all_crime", "Tunbridge Wells", columns=cols)
    # exact Poisson for 0: 0 to -ln(0.025) = 3.689
    assert (pop, rate, lower, round(upper * pop / 1000, 3), vs) == (117020, 0.0, 0.0, 3.689, "similar")
    assert change(restricted, "all_crime", "Kent", columns="population, rate_vs_county") == (1610251, None)


def test_shares_with_wilson_intervals(restricted):
    rows = query(restricted, """SELECT measure_id, current_numerator, current_denominator, round(current_share, 4),
                                       round(current_share_lower, 3), round(current_share_upper, 3), status
                                FROM comparisons.measure_shares
                                WHERE area_name = 'Kent' AND comparison_type = 'rolling 12 months' ORDER BY measure_id""")
    assert rows == [
        ("domestic_abuse_violent_share", 9, 10, 0.9, 0.596, 0.982, "available"),
        ("race_hate_share", 1, 2, 0.5, 0.095, 0.905, "available"),
        ("vawg_domestic_abuse_share", 6, 7, 0.8571, 0.487, 0.974, "available"),
        ("vawg_share", 7, 34, 0.2059, 0.103, 0.368, "available"),
        ("violent_share", 19, 34, 0.5588, 0.395, 0.711, "available"),
    ]
    assert query(restricted, """SELECT previous_numerator, previous_denominator, round(change_points, 2), comparison
                                FROM comparisons.measure_shares WHERE measure_id = 'violent_share' AND area_name = 'Kent'
                                  AND comparison_type = 'rolling 12 months'""") == [(5, 17, 26.47, ROLLING)]
    # nothing to take a share of: blank, not 0%
    assert query(restricted, """SELECT current_share, share_vs_county FROM comparisons.measure_shares
                                WHERE measure_id = 'violent_share' AND area_name = 'Tunbridge Wells'
                                  AND comparison_type = 'rolling 12 months'""") == [(None, None)]


def test_no_seasonal_profile_of_a_handful_of_events(restricted):
    # Kent's sexual offences: 3 in 25 months (June twice, December once), a "peak" in June that is chance.
    # A profile needs 10 events a month on average (tests/unit/test_measure_stats.py has profiles with peaks)
    rows = query(restricted, """SELECT months_used, count(*), count(mean_value), count(seasonal_index), bool_or(is_peak)
                                FROM comparisons.measure_seasonal_profile
                                WHERE measure_id = 'sexual_offences' AND area_name = 'Kent' GROUP BY ALL""")
    assert rows == [(25, 12, 0, 0, False)]


def test_sources_with_no_data_are_unavailable_not_zero(restricted):
    rows = query(restricted, """SELECT DISTINCT measure_id, current_value, verdict, status FROM comparisons.measure_change
                                WHERE source <> 'police_crime' ORDER BY measure_id""")
    assert [r[0] for r in rows] == ["accidental_dwelling_fires", "asb_incidents", "deliberate_secondary_fires",
                                    "first_time_entrants", "hospital_admissions_assault", "ksi_casualties"]
    assert {r[1:3] for r in rows} == {(None, "not available")}
    assert ("asb_incidents", None, "not available", "not available: no anti-social behaviour data has been loaded") in rows
    assert query(restricted, """SELECT DISTINCT direction, status FROM comparisons.measure_trend
                                WHERE measure_id = 'ksi_casualties'""") == [
        (None, "not available: no road casualties (STATS19) data has been loaded")]


def test_every_row_names_its_period_and_the_grid_is_complete(restricted):
    (counts,) = query(restricted, """SELECT count(*), count(DISTINCT measure_id), count(DISTINCT area_code),
                                            count(*) FILTER (WHERE source = 'police_crime' AND comparison IS NULL)
                                     FROM comparisons.measure_change""")
    assert counts == (25 * 14 * 2, 25, 14, 0)   # 25 count measures x (Kent, 12 districts, Medway) x 2 comparisons
    assert query(restricted, "SELECT count(*) FROM comparisons.measure_monthly WHERE comparison IS NULL") == [(0,)]
    verdicts = {v for (v,) in query(restricted, """SELECT verdict FROM comparisons.measure_change UNION
                                                   SELECT verdict FROM comparisons.measure_monthly""")}
    # every verdict is one the pack words; the fixture shows all but a significant decrease
    assert verdicts == set(VERDICTS) - {"significant decrease"}
    (compiled,) = query(restricted, "SELECT model, length(catalogue_sha256), compiled_sql LIKE '%\"domestic_abuse\"%' "
                                    "FROM meta.compiled_models")
    assert compiled == ("facts.measure_monthly", 64, True)


def test_public_form_month_makes_flag_measures_unavailable_not_zero(public_october):
    assert change(public_october, "all_crime", "Kent") == (35, 17)
    assert change(public_october, "violent_crime", "Kent") == (20, 5)
    # the previous 12 months have every month restricted: their total is shown, with no change against the gap
    assert change(public_october, "domestic_abuse", "Kent",
                  columns="current_value, previous_value, change, pct_change, p_value, verdict, status") == (
        None, 2, None, None, None, "not available",
        "not available: the public data.police.uk form has no domestic abuse flag (October 2025: 1 of the 12 months)")
    assert change(public_october, "domestic_abuse", "Ashford", columns="previous_value, round(previous_rate_per_1000, 6)") == (
        2, round(2 / 138283 * 1000, 6))
    (status,) = change(public_october, "violence_against_the_person", "Kent", columns="status")
    assert status == ("not available: the public data.police.uk form records violence against the person and sexual "
                      "offences together as 'Violence and sexual offences' (October 2025: 1 of the 12 "
                      "months)")
    # the financial year to date needs October 2025 too
    assert change(public_october, "vawg", "Kent", "financial year to date", "current_value") == (None,)
    assert query(public_october, """SELECT measure_id, round(current_share, 4), status FROM comparisons.measure_shares
                                    WHERE area_name = 'Kent' AND comparison_type = 'rolling 12 months'
                                      AND measure_id IN ('violent_share', 'vawg_share') ORDER BY measure_id""") == [
        ("vawg_share", None, "not available: the public data.police.uk form has no VAWG flag (October 2025: 1 of the 12 "
                        "months)"),
        ("violent_share", round(20 / 35, 4), "available")]
    assert change(public_october, "vawg", "Kent", columns="previous_value") == (2,)
    assert query(public_october, """SELECT round(previous_share, 4), change_points FROM comparisons.measure_shares
                                    WHERE measure_id = 'vawg_share' AND area_name = 'Kent'
                                      AND comparison_type = 'rolling 12 months'""") == [(round(2 / 17, 4), None)]
    assert query(public_october, """SELECT value, status FROM comparisons.measure_monthly
                                    WHERE measure_id = 'domestic_abuse' AND area_name = 'Kent' AND month = '2025-10-01'""") == [
        (None, "not available: the public data.police.uk form has no domestic abuse flag")]


def test_a_trend_names_the_months_it_has_not_the_public_month(public_october):
    # October 2025 is in the window for every measure, but only all crime has a figure for it: a flag
    # measure's trend and seasonal profile end in September 2025, as its chart does
    assert query(public_october, """SELECT measure_id, trend_period, months_used FROM comparisons.measure_trend
                                    WHERE area_name = 'Kent' AND measure_id IN ('all_crime', 'domestic_abuse')
                                    ORDER BY measure_id""") == [
        ("all_crime", "October 2023 – October 2025", 25),
        ("domestic_abuse", "October 2023 – September 2025", 24)]
    assert query(public_october, """SELECT DISTINCT profile_period, months_used FROM comparisons.measure_seasonal_profile
                                    WHERE measure_id = 'sexual_offences' AND area_name = 'Kent'""") == [
        ("October 2023 – September 2025", 24)]
