"""Finding sentences: exact wording for every verdict, never a change the test calls noise."""
import math

import pytest

from csp.publish import findings
from csp.publish.model import Measure
from transforms.measure_stats import NOT_AVAILABLE, NOT_COMPARABLE

CRIME = Measure("all_crime", "All police recorded crime", 1, "bad", True, "police_crime", "rate", False)
SHOPLIFTING = Measure("shoplifting", "Shoplifting", 1, "bad", True, "police_crime", "count", False)
VIOLENT_SHARE = Measure("violent_share", "Violent crime as a share of all crime", 2, "bad", True, "police_crime",
                        "share", False)
PERIOD, PREVIOUS = "November 2024 – October 2025", "November 2023 – October 2024"


def row(area="Kent", current=22, previous=16, pct=37.5, verdict="no significant change", status="available", **extra):
    return {"area_name": area, "current_value": current, "previous_value": previous, "pct_change": pct,
            "verdict": verdict, "status": status, "series_break": None, "current_period": PERIOD,
            "previous_period": PREVIOUS, **extra}


def share_row(area="Kent", current=0.4668, previous=0.4649, series_break=None):
    return {"area_name": area, "current_share": current, "current_share_lower": 0.4645,
            "current_share_upper": 0.4691, "previous_share": previous, "series_break": series_break,
            "status": "available", "current_period": PERIOD, "previous_period": PREVIOUS}


def test_no_significant_change_is_a_similar_level_whatever_the_raw_difference():
    assert findings.change_sentence(CRIME, row()) == (
        "All police recorded crime in Kent remained at a similar level when compared with the previous year: "
        "22 in November 2024 – October 2025 against 16 in November 2023 – October 2024, a difference within what "
        "chance alone would produce.")


@pytest.mark.parametrize("verdict, word, current, previous", [("significant increase", "increased", "12,345", "10,000"),
                                                              ("significant decrease", "decreased", "10,000", "12,345")])
def test_significant_change_names_direction_size_and_period(verdict, word, current, previous):
    pct = 23.5 if word == "increased" else -19.0
    sentence = findings.change_sentence(SHOPLIFTING, row(current=int(current.replace(",", "")),
                                                         previous=int(previous.replace(",", "")), pct=pct, verdict=verdict))
    assert sentence == (f"Shoplifting in Kent {word} by {abs(pct)}% when compared with the previous year: {current} in "
                        f"November 2024 – October 2025 against {previous} in November 2023 – October 2024.")


def test_increase_from_zero_has_no_percentage_and_a_fraction_keeps_one_decimal_place():
    sentence = findings.change_sentence(CRIME, row(current=40.6, previous=0, pct=None, verdict="significant increase"))
    assert sentence == ("All police recorded crime in Kent increased when compared with the previous year: 40.6 in "
                        "November 2024 – October 2025 against 0 in November 2023 – October 2024.")


def test_too_few_to_say():
    assert findings.change_sentence(SHOPLIFTING, row(area="Dover", current=4, previous=0, pct=None,
                                                     verdict="too few to say")) == (
        "Shoplifting in Dover: too few to say whether there was a change (4 in November 2024 – October 2025 "
        "against 0 in November 2023 – October 2024).")


def test_comparison_not_available_gives_the_level_and_the_reason():
    status = ("comparison not available: the previous 12 months (November 2023 – October 2024) have data for only "
              "0 months; data starts November 2024")
    assert findings.change_sentence(CRIME, row(previous=None, pct=None, verdict=NOT_AVAILABLE, status=status)) == (
        "All police recorded crime in Kent in November 2024 – October 2025: 22. Comparison not available: the "
        "previous 12 months (November 2023 – October 2024) have data for only 0 months; data starts November 2024.")


def test_not_available_at_all_says_why():
    assert findings.change_sentence(CRIME, row(current=None, previous=None, pct=None, verdict=NOT_AVAILABLE,
                                               status="not available: no police recorded crime data has been loaded")) == (
        "All police recorded crime in Kent: not available (no police recorded crime data has been loaded).")


def test_series_break_is_not_comparable():
    sentence = findings.change_sentence(CRIME, row(verdict=NOT_COMPARABLE,
                                                   series_break="ASB recording practice changed in April 2025"))
    assert sentence == ("All police recorded crime in Kent in November 2024 – October 2025: 22. Not comparable with "
                        "November 2023 – October 2024 because of a series break: ASB recording practice changed in "
                        "April 2025.")
    # the register's own words (ref.series_breaks) read on from "a series break"
    sentence = findings.change_sentence(CRIME, row(verdict=NOT_COMPARABLE, series_break=(
        "Series break from April 2024: Kent Police changed how ASB is recorded")))
    assert sentence.endswith("because of a series break from April 2024: Kent Police changed how ASB is recorded.")


def test_unknown_verdict_is_an_error_not_a_sentence():
    with pytest.raises(ValueError, match="unknown verdict 'up a bit'"):
        findings.change_sentence(CRIME, row(verdict="up a bit"))


def test_district_changes_name_only_significant_ones():
    districts = [row("Ashford", 160, 100, 60.0, "significant increase"), row("Thanet", 50, 80, -37.5, "significant decrease"),
                 row("Dover", 4, 0, None, "too few to say"), row("Swale", 30, 28, 7.1)]
    assert findings.district_changes_sentence(districts) == (
        "By district: increased significantly in Ashford (60.0%) and decreased significantly in Thanet (37.5%); "
        "of the other districts, 1 remained at a similar level and 1 had too few to say.")
    assert findings.district_changes_sentence(districts[2:]) == (
        "No district changed significantly (1 remained at a similar level and 1 had too few to say).")
    assert findings.district_changes_sentence([row(verdict=NOT_AVAILABLE)]) == (
        "No district can be compared with its previous 12 months.")


def test_district_rates_sentence():
    county = {"area_name": "Kent", "current_rate_per_1000": 100.0, "current_period": PERIOD}
    districts = [{"area_name": "Thanet", "current_rate_per_1000": 140.0, "rate_vs_county": "significantly higher"},
                 {"area_name": "Sevenoaks", "current_rate_per_1000": 70.0, "rate_vs_county": "significantly lower"},
                 {"area_name": "Swale", "current_rate_per_1000": 101.0, "rate_vs_county": "similar"}]
    assert findings.district_comparison_sentence(county, districts, what="rate") == (
        "Compared with the Kent rate of 100.00 per 1,000 residents (November 2024 – October 2025), the rate was "
        "significantly higher in Thanet (140.00), significantly lower in Sevenoaks (70.00) and similar in 1 other "
        "district.")
    assert findings.district_comparison_sentence(county, districts[2:], what="rate") == (
        "Compared with the Kent rate of 100.00 per 1,000 residents (November 2024 – October 2025), the rate in "
        "Swale (101.00) was similar to it.")
    assert findings.district_comparison_sentence({**county, "current_rate_per_1000": 0.0}, districts, what="rate") == ""


def test_district_shares_sentence():
    county = {"area_name": "Kent", "current_share": 0.4668, "current_period": PERIOD}
    districts = [{"area_name": "Thanet", "current_share": 0.52, "share_vs_county": "significantly higher"},
                 {"area_name": "Swale", "current_share": 0.47, "share_vs_county": "similar"},
                 {"area_name": "Dover", "current_share": 0.46, "share_vs_county": "similar"}]
    assert findings.district_comparison_sentence(county, districts, what="share") == (
        "Compared with the Kent share of 46.7% (November 2024 – October 2025), the share was significantly higher "
        "in Thanet (52.0%) and similar in 2 other districts.")


def test_share_sentence_gives_level_interval_and_the_year_before_but_no_change():
    assert findings.share_sentence(VIOLENT_SHARE, share_row()) == (
        "Violent crime as a share of all crime in Kent: 46.7% in November 2024 – October 2025 (95% interval 46.5% "
        "to 46.9%), against 46.5% in November 2023 – October 2024.")
    assert findings.share_sentence(VIOLENT_SHARE, share_row(previous=None)) == (
        "Violent crime as a share of all crime in Kent: 46.7% in November 2024 – October 2025 (95% interval 46.5% "
        "to 46.9%).")
    assert findings.share_sentence(VIOLENT_SHARE, share_row(series_break="recording changed")) == (
        "Violent crime as a share of all crime in Kent: 46.7% in November 2024 – October 2025 (95% interval 46.5% "
        "to 46.9%); not comparable with November 2023 – October 2024 because of a series break: recording changed.")


def test_trend_sentences():
    span = "November 2022 – October 2025"
    # the slope is a month's count's change a year: the 12-month total changes 12 times as much
    assert findings.trend_sentence(CRIME, "Kent", "rising", 102.9, 36, span) == (
        "All police recorded crime in Kent showed a rising trend over the 36 months November 2022 – October 2025, "
        "a typical change of +1,235 a year in its 12-month total.")
    assert findings.trend_sentence(CRIME, "Kent", "falling", -0.5, 36, span) == (
        "All police recorded crime in Kent showed a falling trend over the 36 months November 2022 – October 2025, "
        "a typical change of −6.0 a year in its 12-month total.")
    # a quarterly source's slope is a quarter's count's: four quarters make the 12-month total
    assert findings.trend_sentence(CRIME, "Kent", "rising", 1.5, 36, span, period_months=3).endswith(
        "a typical change of +6.0 a year in its 12-month total.")
    assert findings.trend_sentence(CRIME, "Kent", "no clear trend", 3.0, 36, span) == (
        "All police recorded crime in Kent showed no clear trend over the 36 months November 2022 – October 2025.")
    assert findings.trend_sentence(CRIME, "Kent", "too short to say", math.nan, 24, span) == (
        "There are 24 months of data for Kent (November 2022 – October 2025), too few (under 36) to describe a "
        "longer-term trend.")
    # ... and its data and the minimum in quarters, as it comes: 33 months are 11 quarters, under 12
    assert findings.trend_sentence(CRIME, "Kent", "too short to say", math.nan, 33, "October 2022 – June 2025",
                                   period_months=3) == (
        "There are 11 quarters of data for Kent (October 2022 – June 2025), too few (under 12) to describe a "
        "longer-term trend.")
    assert findings.trend_sentence(CRIME, "Kent", "too short to say", math.nan, 3, "July – September 2025",
                                   period_months=3) == (
        "There is 1 quarter of data for Kent (July – September 2025), too few (under 12) to describe a longer-term "
        "trend.")
    assert findings.trend_sentence(CRIME, "Kent", "no clear trend", 3.0, 36, span, period_months=3) == (
        "All police recorded crime in Kent showed no clear trend over the 12 quarters November 2022 – October 2025.")


def test_seasonality_sentences():
    span = "November 2022 – October 2025"
    assert findings.seasonality_sentence(SHOPLIFTING, "Kent", [7, 8], 1.184, span) == (
        "Shoplifting in Kent peaked on average in July and August, 18% above an average month "
        "(November 2022 – October 2025).")
    assert findings.seasonality_sentence(SHOPLIFTING, "Kent", [1], 1.03, span) == (
        "Shoplifting in Kent showed little seasonal pattern: no calendar month is more than 5% above an average "
        "month (November 2022 – October 2025).")


def test_summary_line_and_attention():
    rows = [row(verdict="significant increase"), row(), row(),
            row(verdict=NOT_AVAILABLE, status="comparison not available: the previous period has no data"),
            row(verdict=NOT_AVAILABLE, status="not available: no data has been loaded")]
    assert findings.summary_line(rows) == (
        "Of the 5 headline counts and rates, 1 increased significantly, 2 remained at a similar level, 1 had no "
        "comparison available and 1 was not available.")
    assert findings.needs_attention(CRIME, "significant increase")
    assert not findings.needs_attention(CRIME, "significant decrease")
    assert not findings.needs_attention(CRIME, "no significant change")
    neutral = Measure("hate_crime", "Hate crime", 1, "neutral", True, "police_crime", "count", False)
    assert not findings.needs_attention(neutral, "significant increase")


def test_a_value_withheld_by_disclosure_control_is_said_to_be_suppressed_never_printed():
    """A district's pack takes its numbers from the mart: a hidden count or a verdict worked out from a
    hidden or rounded one is blank there."""
    assert findings.change_sentence(CRIME, row(area="Ashford", current=None, previous=None, pct=None, verdict=None)) == (
        "All police recorded crime in Ashford in November 2024 – October 2025: suppressed; the comparison with "
        "November 2023 – October 2024 is suppressed (disclosure control).")
    # shown (perhaps rounded, as hospital counts are), its comparison withheld: not itself "suppressed"
    assert findings.change_sentence(CRIME, row(area="Ashford", current=10, previous=None, pct=None, verdict=None)) == (
        "All police recorded crime in Ashford in November 2024 – October 2025: 10; the comparison with "
        "November 2023 – October 2024 is withheld (disclosure control: it would be worked out from counts hidden or "
        "rounded here).")
    hidden = {**share_row("Ashford", current=None), "suppressed_columns": "current_numerator, current_share"}
    assert findings.share_sentence(VIOLENT_SHARE, hidden) == (
        "Violent crime as a share of all crime in Ashford in November 2024 – October 2025: suppressed (disclosure "
        "control).")
    earlier = {**share_row("Ashford", previous=None), "suppressed_columns": "previous_share"}
    assert findings.share_sentence(VIOLENT_SHARE, earlier) == (
        "Violent crime as a share of all crime in Ashford: 46.7% in November 2024 – October 2025 (95% interval "
        "46.5% to 46.9%); November 2023 – October 2024 suppressed (disclosure control).")
    assert findings.summary_line([row(verdict=None), row()]) == (
        "Of the 2 headline counts and rates, 1 remained at a similar level and 1 was suppressed (disclosure control).")
