"""A district pack's inputs: its own and the county's rows, with every count and every column derived
from counts as the mart shows them; a seasonal profile and a trend withheld where the mart alters a monthly count."""
import pandas as pd

from csp.marts.disclosure import Rule
from csp.marts.dq_counts import WITHHELD_WORDS
from csp.marts.pack import district_pack_inputs
from csp.marts.spec import load_spec
from csp.marts.tables import altered_series
from csp.publish.model import PackInputs, Scope

OWN, OTHER = "E07000105", "E07000108"
MONTHS = pd.to_datetime(["2025-09-01", "2025-10-01"])


def comparisons(current, verdicts, suppressed=None):
    frame = pd.DataFrame({"measure_id": "hate_crime", "comparison_type": "rolling 12 months",
                          "area_code": ["county", OWN, OTHER], "current_value": current,
                          "previous_value": [20.0, 4.0, 6.0], "verdict": verdicts, "status": "available"})
    return frame if suppressed is None else frame.assign(suppressed_columns=suppressed)


def monthly(values, suppressed=None):
    frame = pd.DataFrame({"measure_id": "hate_crime", "area_code": ["county", "county", OWN, OWN, OTHER, OTHER],
                          "month": list(MONTHS) * 3, "value": values, "period_months": 1})
    return frame if suppressed is None else frame.assign(suppressed_columns=suppressed)


def profiles():
    return pd.DataFrame({"measure_id": "hate_crime", "area_code": ["county", OWN], "month_of_year": 10,
                         "mean_value": [12.0, 3.0], "seasonal_index": [1.2, 1.5], "is_peak": [True, True]})


def trends():
    return pd.DataFrame({"measure_id": "hate_crime", "area_code": ["county", OWN, OTHER],
                         "direction": "rising", "p_value": 0.01, "slope_per_year": 1.5})


def test_pack_inputs_take_the_marts_values_and_drop_other_districts():
    empty = pd.DataFrame()
    inputs = PackInputs(pd.DataFrame({"measure_id": ["hate_crime"]}), {1: "Aim"},
                        comparisons([30.0, 3.0, 9.0], ["no significant change", "too few to say", "too few to say"]),
                        empty.assign(measure_id=[], comparison_type=[], area_code=[]),
                        monthly([12.0, 18.0, 3.0, 0.0, 5.0, 4.0]), trends(), profiles(), empty,
                        pd.DataFrame({"source": ["police_crime"], "reason": ["3 rows ... e.g. row 4: crime reference "
                                                                             "'46/2510/006496' appears 2 times"]}),
                        pd.DataFrame({"source": ["police_crime"], "rows": [2], "example_reason": [
                            "crime reference '46/2510/006496' appears 2 times with different content"]}), empty, empty)
    frames = {"measure_change": comparisons([30.0, None, 9.0], ["no significant change", None, "too few to say"],
                                            [None, "current_value, verdict", None]),
              "measure_shares": pd.DataFrame(columns=["measure_id", "comparison_type", "area_code",
                                                      "suppressed_columns"]),
              "measure_monthly": monthly([12.0, 18.0, None, 0.0, 5.0, 4.0],
                                         [None, None, "value", None, None, None])}
    hes = Rule("hes", suppress_up_to=7, round_to=5, levels=("district", "county"))
    scoped = district_pack_inputs(inputs, Scope(OWN, "Ashford", "Kent"), load_spec(), frames, {"hospital_admissions": hes})
    assert scoped.rounded == {"hospital_admissions": "Counts as disclosure control shows them: 1 to 7 hidden, the "
                              "others rounded to the nearest 5 (changes and rates from them left blank)."}
    own = scoped.comparisons.set_index("area_code")
    assert list(own.index) == ["county", OWN]
    assert own["current_value"].isna().tolist() == [False, True] and own.loc["county", "current_value"] == 30.0
    assert pd.isna(own.loc[OWN, "verdict"]) and own.loc[OWN, "suppressed_columns"] == "current_value, verdict"
    assert own.loc[OWN, "previous_value"] == 4.0   # shown in the mart too
    assert scoped.monthly["value"].tolist()[:2] == [12.0, 18.0] and pd.isna(scoped.monthly["value"].iloc[2])
    assert list(scoped.monthly["area_code"]) == ["county", "county", OWN, OWN]
    # Ashford's September is hidden: its profile would give it away; the county's months are all shown
    profile = scoped.profiles.set_index("area_code")[["mean_value", "seasonal_index", "is_peak"]]
    assert profile.loc["county"].tolist() == [12.0, 1.2, True] and profile.loc[OWN].isna().all()
    # and so is its trend, worked out from the same months
    trend = scoped.trends.set_index("area_code")[["direction", "p_value", "slope_per_year"]]
    assert trend.loc["county"].tolist() == ["rising", 0.01, 1.5] and trend.loc[OWN].isna().all()
    # the data-quality annex's words quote county-wide records (here a crime of another district): withheld
    assert scoped.deliveries["reason"].tolist() == [WITHHELD_WORDS]
    assert scoped.quarantine["example_reason"].tolist() == [WITHHELD_WORDS] and scoped.quarantine["rows"].tolist() == [2]


def test_a_fraction_shown_whole_does_not_withhold_its_trend():
    """KSI from adjusted severities (a sum of probabilities, under no rule): the mart shows 6.25 as 6, which
    discloses nothing, so its trend stays; a count rounded to 5 (12 as 10) withholds it."""
    true = pd.DataFrame({"measure_id": ["ksi", "ksi", "hes", "hes"], "area_code": OWN,
                         "value": [6.25, 3.5, 10.0, 12.0]})
    shown = true.assign(value=[6.0, 4.0, 10.0, 10.0])
    assert altered_series(true, shown) == {("hes", OWN)}


def test_a_series_its_rule_rounds_withholds_its_trend_even_where_every_month_is_a_multiple_of_5():
    """Hospital admissions of 10 and 15, shown as counted: a trend shown from them would tell the reader each month
    was exact, where the rule says only 'rounded to the nearest 5'. A series of 0s (exact under the rule) keeps it."""
    true = pd.DataFrame({"measure_id": ["hes", "hes", "zeros", "zeros", "ksi"], "area_code": OWN,
                         "value": [10.0, 15.0, 0.0, 0.0, 6.0]})
    assert altered_series(true, true) == set()
    assert altered_series(true, true, frozenset({"hes", "zeros"})) == {("hes", OWN)}
