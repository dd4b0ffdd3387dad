"""Assembling a pack from hand-built inputs: the verdicts the fixture cannot produce (significant
changes, a series break), a share, how the executive summary orders them, and the HTML that carries
them. County rows only, so no chart is drawn."""
import dataclasses
import datetime as dt

import pandas as pd
import pytest

from csp.publish.assemble import METHODS, assemble, methods_note
from csp.publish.model import (COMPARISON_COLUMNS, DELIVERY_COLUMNS, GAP_COLUMNS, GAPS_COMPARED_FIELDS,
                               MONTHLY_COLUMNS, PROFILE_COLUMNS, QUARANTINE_COLUMNS, ROLLING, SHARE_COLUMNS,
                               TREND_COLUMNS, PackInputs, Scope, Stamp)
from csp.publish.formats import SUPPRESSED_COLUMNS
from csp.publish.pack_html import write_html
from csp.publish.restricted_tables import window_lines
from transforms.measure_stats import NOT_COMPARABLE

PERIOD, PREVIOUS = "November 2024 – October 2025", "November 2023 – October 2024"
BREAK = "recording practice changed in April 2025 (the previous 12 months were recorded the old way)"


def measure(measure_id, name, aim, headline=True, polarity="bad", unit="count"):
    return {"measure_id": measure_id, "name": name, "aim": aim, "polarity": polarity, "headline": headline,
            "source": "police_crime", "unit": unit, "seasonality": False, "rate_note": None}


def county_row(measure_id, current, previous, verdict, series_break=None):
    row = dict.fromkeys(COMPARISON_COLUMNS)
    row.update(measure_id=measure_id, comparison_type=ROLLING, area_type="county", area_code="county", area_name="Kent",
               current_period=PERIOD, previous_period=PREVIOUS, current_value=current, previous_value=previous,
               change=current - previous, pct_change=round(100 * (current - previous) / previous, 1),
               population=1_610_251, population_mid_year=2023,
               current_rate_per_1000=round(1000 * current / 1_610_251, 2), rate_vs_county=None,
               verdict=verdict, series_break=series_break, status="available")
    return row


def county_share(measure_id, current, previous):
    row = dict.fromkeys(SHARE_COLUMNS)
    row.update(measure_id=measure_id, comparison_type=ROLLING, area_type="county", area_code="county", area_name="Kent",
               current_period=PERIOD, previous_period=PREVIOUS, current_share=current, current_share_lower=current - 0.01,
               current_share_upper=current + 0.01, previous_share=previous, change_points=100 * (current - previous),
               status="available")
    return row


@pytest.fixture
def inputs():
    return PackInputs(
        measures=pd.DataFrame([
            measure("asb", "Anti-social behaviour incidents", 1),
            measure("shoplifting", "Shoplifting", 1),
            measure("violence", "Violence against the person", 2),
            measure("robbery", "Robbery", 2, headline=False),
            measure("violent_share", "Violent crime as a share of all crime", 2, unit="share"),
        ]),
        aims={1: "Stronger, safer and resilient neighbourhoods", 2: "Reducing violence, abuse and high-harm offending",
              3: "Protecting vulnerable people"},
        comparisons=pd.DataFrame([
            county_row("asb", 30_100, 25_000, NOT_COMPARABLE, series_break=BREAK),
            county_row("shoplifting", 17_852, 15_589, "significant increase"),
            county_row("violence", 69_692, 72_378, "significant decrease"),
            county_row("robbery", 2_066, 2_001, "no significant change"),
        ]),
        shares=pd.DataFrame([county_share("violent_share", 0.4668, 0.4649)]),
        monthly=pd.DataFrame(columns=list(MONTHLY_COLUMNS)),
        trends=pd.DataFrame(columns=list(TREND_COLUMNS)),
        profiles=pd.DataFrame(columns=list(PROFILE_COLUMNS)),
        windows=pd.DataFrame([{
            "source": "police_crime", "source_title": "Police recorded crime", "current_first": dt.date(2024, 11, 1),
            "current_last": dt.date(2025, 10, 1), "previous_first": dt.date(2023, 11, 1),
            "previous_last": dt.date(2024, 10, 1), "current_period": PERIOD, "previous_period": PREVIOUS,
            "comparison_available": True, "comparison_status": "available",
            "first_month_with_data": dt.date(2022, 11, 1), "last_month_with_data": dt.date(2025, 10, 1),
            "complete_until": dt.date(2025, 10, 1), "data_to": "October 2025"}]),
        deliveries=pd.DataFrame([{
            "source": "police_crime", "file_name": "crime.csv", "status": "loaded", "reason": None,
            "rows_received": 10, "rows_loaded": 10, "rows_quarantined": 0, "rows_current": 10, "rows_no_location": 0,
            "rows_outside_area": 0, "first_month": dt.date(2022, 11, 1), "last_month": dt.date(2025, 10, 1)}],
            columns=list(DELIVERY_COLUMNS)),
        quarantine=pd.DataFrame(columns=list(QUARANTINE_COLUMNS)),
        gaps=pd.DataFrame(columns=list(GAP_COLUMNS)),
        series_breaks=pd.DataFrame([{"source": "police_crime", "measure_id": "asb", "from_month": dt.date(2025, 4, 1),
                                     "description": "ASB recording practice changed"}]),
        source_titles={"police_crime": "Police recorded crime"},
    )


@pytest.fixture
def pack(inputs, tmp_path):
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    return assemble(inputs, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")


def test_summary_counts_headline_verdicts_and_names_what_needs_attention(pack):
    assert pack.summary_line == (
        "Of the 3 headline counts and rates, 1 increased significantly, 1 decreased significantly and 1 was not "
        "comparable (series break). Significant changes in the direction that needs attention: Shoplifting."
        # the headline share (violent crime's) has no verdict: said, beside the counts' verdicts
        " The headline shares (a part of a whole, such as violent crime as a share of all crime) are given "
        "with their 95% intervals and not tested for a change: a share can move because its other part did.")
    assert pack.periods == ["Police recorded crime: November 2024 – October 2025 compared with November 2023 – "
                            "October 2024; data to October 2025"]


def test_the_summary_says_which_significant_changes_it_does_not_count_as_needing_attention(inputs, tmp_path):
    # a rise in a hidden harm (polarity neutral) is in the count of significant changes but needs no attention
    neutral = dataclasses.replace(
        inputs,
        measures=pd.concat([inputs.measures, pd.DataFrame([
            measure("domestic_abuse", "Domestic abuse-related offences", 2, polarity="neutral"),
            measure("vawg", "Violence against women and girls (VAWG) offences", 2, polarity="neutral"),
            measure("sexual_offences", "Sexual offences", 2, polarity="neutral")])], ignore_index=True),
        comparisons=pd.concat([inputs.comparisons, pd.DataFrame([
            county_row("domestic_abuse", 33_400, 31_002, "significant increase"),
            county_row("vawg", 21_000, 20_100, "significant increase"),
            county_row("sexual_offences", 3_010, 3_000, "no significant change")])], ignore_index=True))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    assert assemble(neutral, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").summary_line == (
        "Of the 6 headline counts and rates, 3 increased significantly, 1 decreased significantly, 1 remained at a "
        "similar level and 1 was not comparable (series break). Significant changes in the direction that needs "
        "attention: Shoplifting. Not counted as needing attention, though significant: Domestic abuse-related "
        "offences and Violence against women and girls (VAWG) offences (for these, more recorded may mean more "
        "reporting, not more harm). The headline shares (a part of a whole, such as violent crime as a share of all "
        "crime) are given with their 95% intervals and not tested for a change: a share can move because its other "
        "part did.")


def test_key_findings_put_what_needs_attention_first_and_never_compare_across_a_break(pack):
    aim1 = pack.key_findings[0]
    assert aim1.title == "1. Stronger, safer and resilient neighbourhoods"
    assert aim1.sentences == [
        "Shoplifting in Kent increased by 14.5% when compared with the previous year: 17,852 in November 2024 – "
        "October 2025 against 15,589 in November 2023 – October 2024.",
        f"Anti-social behaviour incidents in Kent in November 2024 – October 2025: 30,100. Not comparable with "
        f"November 2023 – October 2024 because of a series break: {BREAK}.",
    ]
    assert pack.key_findings[1].sentences == [
        "Violence against the person in Kent decreased by 3.7% when compared with the previous year: 69,692 in "
        "November 2024 – October 2025 against 72,378 in November 2023 – October 2024.",
        "Violent crime as a share of all crime in Kent: 46.7% in November 2024 – October 2025 (95% interval 45.7% "
        "to 47.7%), against 46.5% in November 2023 – October 2024."]
    assert pack.key_findings[2].sentences == [
        "No headline measure for this aim is available from the sources loaded so far."]


def test_sections_by_aim_with_tables_and_the_break_in_the_annex(pack):
    assert [s.title for s in pack.sections] == [
        "1. Stronger, safer and resilient neighbourhoods", "2. Reducing violence, abuse and high-harm offending",
        "3. Protecting vulnerable people"]
    assert pack.sections[2].intro == "No measure for this aim is available from the sources loaded so far."
    counts, shares = pack.sections[1].summaries
    assert counts.rows == [["Violence against the person", "72,378", "69,692", "−2,686", "−3.7", "43.28",
                            "significant decrease"],
                           ["Robbery", "2,001", "2,066", "+65", "+3.2", "1.28", "no significant change"]]
    assert shares.rows == [["Violent crime as a share of all crime", "46.5%", "46.7%", "45.7% to 47.7%", "+0.2"]]
    assert [m.measure.measure_id for m in pack.sections[1].measures] == ["violence", "violent_share", "robbery"]
    assert [m.charts for s in pack.sections for m in s.measures] == [[], [], [], [], []]
    breaks = next(t for t in pack.quality if t.title == "Series breaks")
    # the measure as the catalogue names it, not its id
    assert breaks.rows == [["Police recorded crime", "Anti-social behaviour incidents", "April 2025",
                            "ASB recording practice changed"]]


def test_no_change_is_printed_across_a_series_break(pack):
    """ASB's 30,100 against 25,000 is not comparable: its tables give the two counts and no change, which a
    reader would quote ('up 20.4%') whatever the verdict beside it says."""
    (summary,) = pack.sections[0].summaries
    assert summary.rows[0] == ["Anti-social behaviour incidents", "25,000", "30,100", "–", "–", "18.69",
                               "not comparable (series break)"]
    assert summary.rows[1][3:5] == ["+2,263", "+14.5"]   # shoplifting, with no break, keeps its change
    (own,) = [m for m in pack.sections[0].measures if m.measure.measure_id == "asb"]
    assert [row[3:5] for row in own.table.rows] == [["–", "–"]]


def test_a_count_summed_from_fractions_says_why_its_change_differs_from_the_counts_difference(inputs, tmp_path):
    """742.44 against 680.96 (adjusted severities) print as 742.4 and 681.0, and their change as −61.5."""
    comparisons = inputs.comparisons.astype({"current_value": float, "previous_value": float, "change": float})
    comparisons.loc[comparisons["measure_id"] == "robbery", ["current_value", "previous_value", "change"]] = [
        680.96, 742.44, 680.96 - 742.44]
    inputs = dataclasses.replace(inputs, comparisons=comparisons)
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    pack = assemble(inputs, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")
    counts, _ = pack.sections[1].summaries
    assert counts.rows[1][:4] == ["Robbery", "742.4", "681.0", "−61.5"]
    note = ("Robbery: a sum of fractions, not a whole number (the Department for Transport's adjusted severities count "
            "each casualty by the probability that it was killed or seriously injured); a change is worked out before "
            "rounding, so it can differ by 0.1 from the difference of the counts shown.")
    assert counts.notes[-1] == note
    (own,) = [m for m in pack.sections[1].measures if m.measure.measure_id == "robbery"]
    assert own.table.notes[-1] == note
    # whole counts carry no such note
    (violence,) = [m for m in pack.sections[1].measures if m.measure.measure_id == "violence"]
    assert not any("fractions" in n for n in violence.table.notes)


def test_html_carries_the_not_comparable_finding(pack, tmp_path):
    html = write_html(pack, tmp_path / "pack.html").read_text(encoding="utf-8")
    assert f"because of a series break: {BREAK}.</li>" in html
    assert html.count("<td>not comparable (series break)</td>") == 2   # aim summary and the measure's own table


def test_a_measure_without_district_rows_gets_no_district_sentences(pack):
    shoplifting = pack.sections[0].measures[1]
    assert shoplifting.findings == [
        "Shoplifting in Kent increased by 14.5% when compared with the previous year: 17,852 in November 2024 – "
        "October 2025 against 15,589 in November 2023 – October 2024."]


def test_the_annex_names_what_no_source_reads(pack, inputs, tmp_path):
    assert pack.quality_notes == ["1 delivery: 1 loaded, 0 quarantined. 10 rows received, 10 loaded and 0 "
                                  "quarantined with a reason."]
    stray = dataclasses.replace(inputs, not_read=(
        ("police/", "is not a source's folder, so its file is not read (did you mean police_crime?)"),
        ("2025-10.csv", "is not in a source's folder (<source>/ in the raw folder), so it is not read")))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    notes = assemble(stray, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").quality_notes
    assert notes[1] == ("Not read: police/ is not a source's folder, so its file is not read (did you mean "
                        "police_crime?); 2025-10.csv is not in a source's folder (<source>/ in the raw folder), so it "
                        "is not read. Files there are in none of the figures; the data-quality report lists them.")


def test_the_annex_says_how_many_loaded_rows_a_later_delivery_replaced(inputs, tmp_path):
    """September sent, then sent again corrected (8 rows for its 10): the figures use the 8 and the 20 of
    October, and the annex says so, where it gave only the 38 loaded."""
    def delivery(name, month, loaded, current):
        return {"source": "police_crime", "file_name": name, "status": "loaded", "reason": None,
                "rows_received": loaded, "rows_loaded": loaded, "rows_quarantined": 0, "rows_current": current,
                "rows_no_location": 0, "rows_outside_area": 0, "first_month": month, "last_month": month}
    september, october = dt.date(2025, 9, 1), dt.date(2025, 10, 1)
    rows = [delivery("2025-09.csv", september, 10, 0), delivery("2025-10.csv", october, 20, 20),
            delivery("2025-09_corrected.csv", september, 8, 8)]
    changed = dataclasses.replace(inputs, deliveries=pd.DataFrame(rows, columns=list(DELIVERY_COLUMNS)))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    pack = assemble(changed, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")
    assert pack.quality_notes == [
        "3 deliveries: 3 loaded, 0 quarantined. 38 rows received, 38 loaded and 0 quarantined with a reason.",
        "Of the rows loaded, 28 are current, in the figures: the other 10 are in months a later delivery replaced "
        "(kept, counted no longer)."]
    by_source = next(t for t in pack.quality if t.title == "Deliveries by source")
    assert by_source.columns[6] == "Rows current (in the figures)"
    assert by_source.rows == [["Police recorded crime", "3", "0", "38", "38", "0", "28", "September 2025 – October 2025"]]


def test_the_annex_lists_a_sources_latest_deliveries_with_rows_quarantined_and_counts_the_earlier_together(
        inputs, tmp_path):
    """Seven monthly police files with rows quarantined, one of them quarantined whole, and two fire files: the
    annex lists the latest three police files and the whole-file one, the four earlier as one row summed by hand
    (it gave a row for every delivery, one more each month); fire's two are listed as they are."""
    def delivery(source, month, quarantined, status="loaded", reason=None):
        received = 100 + month
        return {"source": source, "file_name": f"{source}_2025-{month:02d}.csv", "status": status, "reason": reason,
                "rows_received": received, "rows_loaded": 0 if status == "quarantined" else received - quarantined,
                "rows_quarantined": received if status == "quarantined" else quarantined,
                "rows_current": received - quarantined, "rows_no_location": 0, "rows_outside_area": 0,
                "first_month": dt.date(2025, month, 1), "last_month": dt.date(2025, month, 1)}
    rows = [delivery("fire_incidents", 1, 2), delivery("fire_incidents", 2, 1),
            *(delivery("police_crime", m, m) for m in (1, 2, 3)),
            delivery("police_crime", 4, 0, "quarantined", "no column Crime type"),
            *(delivery("police_crime", m, m) for m in (5, 6, 7, 8))]
    changed = dataclasses.replace(inputs, deliveries=pd.DataFrame(rows, columns=list(DELIVERY_COLUMNS)),
                                  source_titles={"police_crime": "Police recorded crime", "fire_incidents": "Fire"})
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    quality = assemble(changed, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").quality
    (table,) = [t for t in quality if t.title == "Deliveries with rows or the whole file quarantined"]
    below = "rows quarantined: reasons below"
    # the earlier four partly quarantined: received 101 + 102 + 103 + 105 = 411, quarantined 1 + 2 + 3 + 5 = 11
    assert table.rows == [
        ["Fire", "fire_incidents_2025-01.csv", "loaded", "101", "99", "2", below],
        ["Fire", "fire_incidents_2025-02.csv", "loaded", "102", "101", "1", below],
        ["Police recorded crime", "4 earlier deliveries (January 2025 – May 2025)", "loaded", "411", "400", "11",
         "rows quarantined in each: reasons below"],
        ["Police recorded crime", "police_crime_2025-04.csv", "quarantined", "104", "0", "104", "no column Crime type"],
        ["Police recorded crime", "police_crime_2025-06.csv", "loaded", "106", "100", "6", below],
        ["Police recorded crime", "police_crime_2025-07.csv", "loaded", "107", "100", "7", below],
        ["Police recorded crime", "police_crime_2025-08.csv", "loaded", "108", "100", "8", below]]
    assert table.notes == ["Earlier deliveries with rows quarantined are counted together, one row a source, after "
                           "the latest 3; each is in the workbook (Deliveries)."]


def test_the_annex_says_a_population_estimate_of_another_mid_year_is_in_no_rate(inputs, tmp_path):
    """Rates use mid-2023 (the comparisons' population_mid_year): a delivered mid-2024 estimate is listed as a
    delivery of June 2024, and the annex says why the newer estimate is not used; one all replaced is not named."""
    def delivery(name, year, current):
        june = dt.date(year, 6, 1)
        return {"source": "population", "file_name": name, "status": "loaded", "reason": None, "rows_received": 12,
                "rows_loaded": 12, "rows_quarantined": 0, "rows_current": current, "rows_no_location": 0,
                "rows_outside_area": 0, "first_month": june, "last_month": june}
    rows = [delivery("mid_2022.csv", 2022, 0), delivery("mid_2023.csv", 2023, 12), delivery("mid_2024.csv", 2024, 12)]
    changed = dataclasses.replace(inputs, deliveries=pd.DataFrame(rows, columns=list(DELIVERY_COLUMNS)))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    pack = assemble(changed, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")
    assert [n for n in pack.quality_notes if n.startswith("Population")] == [
        "Population: rates use the ONS mid-2023 estimates (the settings' population_mid_year); the mid-2024 "
        "estimates delivered are kept and in no rate."]


def test_a_trend_chart_says_in_words_what_it_shows_and_how_many_counts_are_hidden(inputs, tmp_path):
    """Violence in Kent over three months, August's count hidden by a mart (named in suppressed_columns) and no
    rolling total known: the chart's title does not claim one, and its alternative text counts the hidden."""
    months = [dt.date(2025, 8, 1), dt.date(2025, 9, 1), dt.date(2025, 10, 1)]
    monthly = pd.DataFrame([{**dict.fromkeys(MONTHLY_COLUMNS), "measure_id": "violence", "area_code": "county",
                             "area_name": "Kent", "month": pd.Timestamp(m), "period_months": 1, "value": value,
                             "suppressed_columns": hidden}
                            for m, value, hidden in zip(months, [None, 5_800.0, 6_100.0], ["value", "", ""])])
    pack = assemble(dataclasses.replace(inputs, monthly=monthly), Scope("county", "Kent", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"),
                    tmp_path / "charts")
    (trend,) = [c for s in pack.sections for m in s.measures if m.measure.measure_id == "violence" for c in m.charts]
    assert trend.title == "Violence against the person in Kent: monthly count"
    assert trend.described(figures_under=True) == ("Violence against the person in Kent: monthly count, August 2025 – October 2025. 1 of 3 "
                         "counts hidden by disclosure control. The figures are in the table under the chart and on the "
                         "workbook's Monthly_series sheet.")
    # the figures, for a reader who cannot see the chart (the HTML shows them under it)
    assert (trend.figures.columns, trend.figures.rows) == (
        ["Month", "Count"], [["August 2025", "hidden"], ["September 2025", "5,800"], ["October 2025", "6,100"]])


def test_a_trend_chart_gives_no_rolling_total_across_a_series_break(inputs, tmp_path):
    """ASB, its recording changed from April 2025 (series_break on April 2025 – March 2026): the rolling totals
    ending April 2025 – February 2026 add months of both practices and are not drawn nor given; March 2026's
    (April 2025 – March 2026) and March 2025's (all before the break) are."""
    months = pd.date_range("2024-03-01", "2026-03-01", freq="MS")
    monthly = pd.DataFrame([{**dict.fromkeys(MONTHLY_COLUMNS), "measure_id": "asb", "area_code": "county",
                             "area_name": "Kent", "month": m, "period_months": 1, "value": 100.0,
                             "rolling_12m": 1_200.0 if m >= pd.Timestamp("2025-02-01") else None,
                             "series_break": BREAK if pd.Timestamp("2025-04-01") <= m <= pd.Timestamp("2026-03-01") else None}
                            for m in months])
    pack = assemble(dataclasses.replace(inputs, monthly=monthly), Scope("county", "Kent", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"),
                    tmp_path / "charts")
    (trend,) = [c for s in pack.sections for m in s.measures if m.measure.measure_id == "asb" for c in m.charts]
    given = {row[0]: row[2] for row in trend.figures.rows if row[2] != "–"}
    assert given == {"February 2025": "1,200", "March 2025": "1,200", "March 2026": "1,200"}
    assert ("No 12-month rolling total is given where its 12 months run across a series break: it would add months "
            "recorded before the break to months recorded after it.") in trend.described(figures_under=True)
    # a second break six months on (October 2025), inside the first's twelve months of series_break: March 2026's
    # total (April 2025 – March 2026) runs across it, and is not given either
    breaks = pd.concat([inputs.series_breaks, pd.DataFrame([{
        "source": "police_crime", "measure_id": "asb", "from_month": dt.date(2025, 10, 1),
        "description": "ASB recording practice changed again"}])], ignore_index=True)
    pack = assemble(dataclasses.replace(inputs, monthly=monthly, series_breaks=breaks), Scope("county", "Kent", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"),
                    tmp_path / "charts2")
    (trend,) = [c for s in pack.sections for m in s.measures if m.measure.measure_id == "asb" for c in m.charts]
    assert {row[0] for row in trend.figures.rows if row[2] != "–"} == {"February 2025", "March 2025"}
    # the chart draws each break as a line; the table of its counts says each, as its counts change kind there
    assert trend.figures.notes == [
        f"Series break from {month}: {what}. The counts before it are not comparable with those from it."
        for month, what in (("April 2025", "ASB recording practice changed"),
                            ("October 2025", "ASB recording practice changed again"))]


def test_a_quarterly_trend_charts_figures_give_each_quarters_rolling_total(inputs, tmp_path):
    """Five quarters of violence, as a quarterly source stores them: each count at its quarter's first month,
    the 12-month rolling total (from the fourth quarter on) at its last. The table under the chart gives each
    quarter its rolling total, as the chart draws it, where it used to read the first month's (none)."""
    quarters = [dt.date(2024, 7, 1), dt.date(2024, 10, 1), dt.date(2025, 1, 1), dt.date(2025, 4, 1),
                dt.date(2025, 7, 1)]
    counts = [80.0, 70.0, 90.0, 95.0, 73.0]
    rows = []
    for i, (first, value) in enumerate(zip(quarters, counts)):
        last = dt.date(first.year + (first.month + 1) // 12, (first.month + 1) % 12 + 1, 1)
        rolling = sum(counts[i - 3:i + 1]) if i >= 3 else None   # 80+70+90+95 = 335; 70+90+95+73 = 328
        for month, v, r in ((first, value, None), (dt.date(last.year, last.month - 1, 1), None, None),
                            (last, None, rolling)):
            rows.append({**dict.fromkeys(MONTHLY_COLUMNS), "measure_id": "violence", "area_code": "county",
                         "area_name": "Kent", "month": pd.Timestamp(month), "period_months": 3, "value": v,
                         "rolling_12m": r})
    pack = assemble(dataclasses.replace(inputs, monthly=pd.DataFrame(rows)), Scope("county", "Kent", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"),
                    tmp_path / "charts")
    (trend,) = [c for s in pack.sections for m in s.measures if m.measure.measure_id == "violence" for c in m.charts]
    assert trend.title == "Violence against the person in Kent: quarterly count and 12-month rolling total"
    assert trend.figures.notes == []   # ASB's break is not violence's
    assert (trend.figures.columns, trend.figures.rows) == (
        ["Quarter", "Count", "12-month rolling total"],
        [["July – September 2024", "80", "–"], ["October – December 2024", "70", "–"],
         ["January – March 2025", "90", "–"], ["April – June 2025", "95", "335"],
         ["July – September 2025", "73", "328"]])


def test_a_financial_year_to_date_a_mart_hides_is_said_to_be_suppressed(inputs, tmp_path):
    """Shoplifting's financial year to date with its counts hidden by a district's mart (named in
    suppressed_columns) is said to be suppressed, where the sentence used to be left out unsaid; robbery's,
    with no count and none hidden (no month of the year has data), is still left out."""
    def year_to_date(measure_id, hidden):
        row = {**county_row(measure_id, 1, 1, None), "comparison_type": "financial year to date",
               "current_period": "April 2025 – October 2025", "previous_period": "April 2024 – October 2024"}
        row.update(dict.fromkeys(["current_value", "previous_value", "change", "pct_change"]))
        return {**row, "suppressed_columns": "current_value, previous_value, change, pct_change" if hidden else None}
    measures = inputs.measures.assign(headline=True)
    comparisons = pd.concat([inputs.comparisons, pd.DataFrame([year_to_date("shoplifting", True),
                                                               year_to_date("robbery", False)])], ignore_index=True)
    pack = assemble(dataclasses.replace(inputs, measures=measures, comparisons=comparisons),
                    Scope("county", "Kent", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"), tmp_path / "charts")
    said = {m.measure.measure_id: [f for f in m.findings if f.startswith("Financial year to date")]
            for s in pack.sections for m in s.measures}
    assert said["shoplifting"] == ["Financial year to date: Shoplifting in Kent in April 2025 – October 2025: suppressed; "
                                   "the comparison with April 2024 – October 2024 is suppressed (disclosure control)."]
    assert said["robbery"] == []


def test_the_annex_names_a_tab_in_a_quoted_value(inputs, tmp_path):
    """A reason quoting a partner's value with a trailing tab names the tab: on the page it read as allowed."""
    quarantine = pd.DataFrame([{"source": "police_crime", "reject_code": "unknown_offence", "rows": 1, "deliveries": 1,
                                "example_reason": "offence 'Burglary\t' is not a recognised offence group"}])
    pack = assemble(dataclasses.replace(inputs, quarantine=quarantine), Scope("county", "Kent", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"), tmp_path / "charts")
    (table,) = [t for t in pack.quality if t.title == "Rows quarantined, by reason"]
    assert table.rows == [["Police recorded crime", "unknown offence", "1", "1",
                           "offence 'Burglary[tab]' is not a recognised offence group"]]


def test_months_missing_inside_the_months_compared_are_said_with_the_periods_naming_no_other_district(inputs, tmp_path):
    """The county's pack names every district missing a month; Ashford's only its own and every district's
    months, as its pack names no other district."""
    from csp.publish.pack_inputs import for_scope

    runs = pd.DataFrame([("police_crime", span, districts, "November 2023 – October 2025", "available")
                         for span, districts in (("November 2024", ["Ashford", "Dover"]), ("January 2025", ["Dover"]),
                                                 ("March 2025", ["every district"]))],
                        columns=list(GAPS_COMPARED_FIELDS))
    with_gaps = dataclasses.replace(inputs, gaps_compared=runs)
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    effect = ("inside the months compared (November 2023 – October 2025): a district missing a month counts none in it, so "
              "its totals, and the county's, leave out that month's records and may read low")
    county = assemble(with_gaps, Scope("county", "Kent", "Kent"), stamp, tmp_path / "county").periods
    assert (f"Police recorded crime: missing November 2024 (Ashford, Dover); January 2025 (Dover); March 2025 (every "
            f"district), {effect}") in county
    ashford = Scope("E07000105", "Ashford", "Kent")
    district = assemble(for_scope(with_gaps, ashford), ashford, stamp, tmp_path / "ashford").periods
    assert f"Police recorded crime: missing November 2024 (Ashford); March 2025 (every district), {effect}" in district
    assert not any("Dover" in line for line in district)


def test_a_seasonal_profile_chart_carries_its_figures(inputs, tmp_path):
    """Violence's average of each calendar month against an average month: the chart's figures under it in the
    HTML, the peak month named, for a reader who cannot see the chart."""
    measures = inputs.measures.assign(seasonality=inputs.measures["measure_id"] == "violence")
    profile = pd.DataFrame([{**dict.fromkeys(PROFILE_COLUMNS), "measure_id": "violence", "area_code": "county",
                             "area_name": "Kent", "profile_period": "November 2022 – October 2025", "months_used": 36,
                             "month_of_year": m, "month_name": dt.date(2025, m, 1).strftime("%B"),
                             "mean_value": 6_000.0 + 100 * m, "seasonal_index": 1 + (m - 6.5) / 50,
                             "is_peak": m == 12} for m in range(1, 13)])
    pack = assemble(dataclasses.replace(inputs, measures=measures, profiles=profile), Scope("county", "Kent", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"),
                    tmp_path / "charts")
    (season,) = [c for s in pack.sections for m in s.measures if m.measure.measure_id == "violence" for c in m.charts]
    assert season.described(figures_under=True) == ("Violence against the person in Kent: seasonal profile, November 2022 – October 2025. The "
                          "figures are in the table under the chart and on the workbook's Seasonal_profiles sheet.")
    assert season.figures.columns == ["Month", "Average count", "Against an average month"]
    assert season.figures.rows[0] == ["January", "6,100", "0.89"]   # 1 - 5.5 / 50
    assert season.figures.rows[-1] == ["December", "7,200", "1.11 (peak)"]


def test_a_seasonal_profile_a_districts_mart_withholds_is_said_to_be_withheld(inputs, tmp_path):
    """A district's pack whose mart hides some of violence's months: its seasonal profile is blank, named in
    suppressed_columns, and the pack says why it is not shown, as it does of a withheld trend (it said nothing)."""
    measures = inputs.measures.assign(seasonality=inputs.measures["measure_id"] == "violence")
    profile = pd.DataFrame([{**dict.fromkeys(PROFILE_COLUMNS), "measure_id": "violence", "area_code": "E07000105",
                             "area_name": "Ashford", "profile_period": "November 2022 – October 2025", "months_used": 36,
                             "month_of_year": m, "month_name": dt.date(2025, m, 1).strftime("%B"),
                             SUPPRESSED_COLUMNS: "mean_value, seasonal_index, is_peak"} for m in range(1, 13)])
    comparisons = pd.concat([inputs.comparisons, inputs.comparisons.assign(area_type="district", area_code="E07000105",
                                                                           area_name="Ashford")], ignore_index=True)
    pack = assemble(dataclasses.replace(inputs, measures=measures, profiles=profile, comparisons=comparisons),
                    Scope("E07000105", "Ashford", "Kent"),
                    Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1"), tmp_path / "charts")
    (violence,) = [m for s in pack.sections for m in s.measures if m.measure.measure_id == "violence"]
    assert violence.findings[-1] == ("The seasonal profile of Violence against the person in Ashford is not shown: "
                                    "some of its months are hidden or rounded to protect small numbers, and an "
                                    "average of each calendar month could give them away.")
    assert not any("seasonal profile" in c.title for c in violence.charts)


OVERDUE = ("data to October 2025 — 13 months behind the run date; expected within 1 (November 2025 – October 2026 "
           "overdue)")


def test_data_older_than_its_source_allows_is_said_on_the_cover_and_in_the_annex(inputs, tmp_path):
    stale = dataclasses.replace(inputs, windows=inputs.windows.assign(overdue=OVERDUE))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2026, 12, 6, 9, 0), "v1", dt.date(2026, 12, 6))
    pack = assemble(stale, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")
    assert pack.produced == "Produced by run run1 (06 December 2026 09:00) as of 6 December 2026, data version v1"
    assert pack.periods == ["Police recorded crime: November 2024 – October 2025 compared with November 2023 – "
                            f"October 2024; {OVERDUE}"]
    assert pack.quality_notes[0] == f"Police recorded crime: {OVERDUE}."
    gaps = next(t for t in pack.quality if t.title == "Gaps: months missing or incomplete")
    # the overdue months are the annex's first note, above its tables
    assert gaps.notes == ["No gaps: no month inside any source's span of data is missing or incomplete. Months "
                          "overdue after a source's latest are listed at the top of this annex."]
    html = write_html(pack, tmp_path / "pack.html").read_text(encoding="utf-8")
    annex = html[html.index('<section id="data-quality"'):]
    assert annex.index(f"Police recorded crime: {OVERDUE}.") < annex.index("are listed at the top of this annex.")



def test_data_older_than_its_source_allows_is_said_on_the_workbooks_cover_too(inputs):
    """The Cover sheet of the county's workbook, a district pack's and a mart's names each source's months of data:
    an overdue source's line says how late it is, as the pack's cover does (it gave the months alone, so a reader
    of the workbook saw youth offending to December 2025 in June 2026 with no word that a quarter was overdue)."""
    assert window_lines(inputs.windows)[1] == ["Police recorded crime: November 2022 – October 2025"]
    assert window_lines(inputs.windows.assign(overdue=OVERDUE))[1] == [
        "Police recorded crime: November 2022 – October 2025 — 13 months behind the run date; expected within 1 "
        "(November 2025 – October 2026 overdue)"]
    assert window_lines(inputs.windows.assign(overdue=None))[1] == ["Police recorded crime: November 2022 – October 2025"]

MIXED = ("the months compared come from two layouts of the data — the force's restricted extract (November 2023 – "
         "September 2025) and data.police.uk's public files (October 2025); where the two differ in level, part of a "
         "change may be the layout's, not a real change")


def test_months_compared_from_two_layouts_are_said_with_the_periods(inputs, pack, tmp_path):
    mixed = dataclasses.replace(inputs, windows=inputs.windows.assign(mixed_forms=MIXED))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    shown = assemble(mixed, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")
    assert shown.periods == ["Police recorded crime: November 2024 – October 2025 compared with November 2023 – "
                             "October 2024; data to October 2025", f"Police recorded crime: {MIXED}"]
    assert shown.summary_line == pack.summary_line + (
        " Police recorded crime: the months compared come from more than one layout of the data (see Period); part of "
        "a change may be the layout's, not a real change.")
    assert shown.sections[1].summaries[0].notes == [
        "Police recorded crime: latest 12 months November 2024 – October 2025, previous 12 months November 2023 – "
        f"October 2024; data to October 2025. {MIXED[:1].upper()}{MIXED[1:]}. Rates per 1,000 residents use ONS "
        "mid-2023 population estimates."]
    windows = next(t for t in shown.quality if t.title == "Comparison windows")
    assert windows.rows[0][-1] == f"available; {MIXED}"
    # the verdicts stand: a caveat, not a series break
    assert [g.sentences for g in shown.key_findings] == [g.sentences for g in pack.key_findings]
    # one layout: the annex's status as before
    assert next(t for t in pack.quality if t.title == "Comparison windows").rows[0][-1] == "available"


def test_counts_a_districts_pack_shows_rounded_say_so(inputs, tmp_path):
    """A rounded 50 reads as counted: the district pack's tables say how their source's counts are shown."""
    rounded = dataclasses.replace(inputs, rounded={"police_crime": "Counts rounded (a test's words)."})
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    notes = assemble(rounded, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").sections[1].summaries[0].notes
    assert notes[0].endswith("Rates per 1,000 residents use ONS mid-2023 population estimates. Counts rounded (a "
                             "test's words).")


def test_a_measures_rate_note_follows_its_rates_against_the_county(inputs, tmp_path):
    """First-time entrants' rates are per 1,000 residents of all ages, not the Youth Justice Board's per 100,000
    aged 10-17: the catalogue's rate_note is said after the districts' rates against the county's, and only there."""
    note = "These rates are of all ages (a test's words)."
    measures = inputs.measures.assign(rate_note=[note if m == "shoplifting" else None
                                                 for m in inputs.measures["measure_id"]])
    districts = []
    for measure_id in ("shoplifting", "violence"):
        row = county_row(measure_id, 2_000, 1_900, "no significant change")
        row.update(area_type="district", area_code="E07000106", area_name="Canterbury", population=157_432,
                   current_rate_per_1000=12.7, rate_vs_county="significantly higher")
        districts.append(row)
    with_districts = dataclasses.replace(inputs, measures=measures,
                                         comparisons=pd.concat([inputs.comparisons, pd.DataFrame(districts)]))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    pack = assemble(with_districts, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")
    sentences = {s.measure.measure_id: s.findings for section in pack.sections for s in section.measures}
    rates = "Compared with the Kent rate of 11.09 per 1,000 residents (November 2024 – October 2025), the rate in " \
            "Canterbury (12.70) was significantly higher."
    assert sentences["shoplifting"][-2:] == [rates, note]
    assert note not in sentences["violence"] and sentences["violence"][-1].startswith("Compared with the Kent rate of ")
    assert all(note not in s for m in ("asb", "robbery") for s in sentences[m])


def test_a_verdict_withheld_beside_counts_shown_reads_withheld_not_suppressed(inputs, tmp_path):
    """A district's pack shows hospital counts rounded and withholds their comparison (the test would be of the true
    counts): its tables' verdict beside the counts shown reads "withheld", as its sentence says, where it read
    "suppressed" beside them (a reader's review); with the counts hidden too it reads "suppressed"."""
    comparisons = inputs.comparisons.copy()
    comparisons.loc[comparisons["measure_id"] == "shoplifting", ["verdict", "change", "pct_change"]] = None
    comparisons.loc[comparisons["measure_id"] == "violence", ["verdict", "change", "pct_change", "current_value",
                                                              "previous_value"]] = None
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    pack = assemble(dataclasses.replace(inputs, comparisons=comparisons), Scope("county", "Kent", "Kent"), stamp,
                    tmp_path / "charts")
    verdicts = {row[0]: row[-1] for s in pack.sections for t in s.summaries for row in t.rows}
    assert (verdicts["Shoplifting"], verdicts["Violence against the person"]) == ("withheld", "suppressed")
    said = {m.measure.measure_id: m.findings[0] for s in pack.sections for m in s.measures}
    assert said["shoplifting"] == ("Shoplifting in Kent in November 2024 – October 2025: 17,852; the comparison with "
                                   "November 2023 – October 2024 is withheld (disclosure control: it would be worked "
                                   "out from counts hidden or rounded here).")


def test_blank_rates_say_why(inputs, pack, tmp_path):
    assert pack.sections[1].summaries[0].notes == [
        "Police recorded crime: latest 12 months November 2024 – October 2025, previous 12 months November 2023 – "
        "October 2024; data to October 2025. Rates per 1,000 residents use ONS mid-2023 population estimates."]
    blank = dataclasses.replace(inputs, without_population=("Kent", "Ashford"))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    notes = assemble(blank, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").sections[1].summaries[0].notes
    assert notes == [
        "Police recorded crime: latest 12 months November 2024 – October 2025, previous 12 months November 2023 – "
        "October 2024; data to October 2025. Rates are blank for Kent, Ashford: no ONS mid-2023 population estimate "
        "is loaded for them (the settings' population_mid_year; a county's rate needs every district's)."]


def test_the_annex_names_deliveries_whose_file_is_gone_and_where_unplaced_rows_go(inputs, tmp_path):
    rows = [{"source": source, "file_name": f"{source}.csv", "status": "loaded", "reason": None, "rows_received": 10,
             "rows_loaded": 10, "rows_quarantined": 0, "rows_current": 10, "rows_no_location": 1, "rows_outside_area": 2,
             "first_month": dt.date(2025, 10, 1), "last_month": dt.date(2025, 10, 1)}
            for source in ("fire_incidents", "hospital_admissions", "police_crime", "hospital_admissions")]
    rows[3].update(rows_outside_area=None)   # a district's pack hides a count of 1 to 7 (HES): so is their total
    changed = dataclasses.replace(
        inputs, deliveries=pd.DataFrame(rows, columns=list(DELIVERY_COLUMNS)), gone=(("police_crime/2025-09.csv", 3),),
        source_titles={"police_crime": "Police recorded crime", "hospital_admissions": "Hospital admissions (HES)",
                       "fire_incidents": "Fire incidents"})
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    notes = assemble(changed, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").quality_notes
    assert notes[2:] == [
        "No longer in the raw folder, their rows kept and used as before unless replaced or quarantined: police_crime/2025-09.csv (delivery 3). Raw extracts "
        "are never changed: the data-quality report lists them, and the README says how to withdraw a delivery.",
        "Fire incidents: 3 loaded incidents with no location, or one outside the area (attended across the border): "
        "counted in no district and not in the county.",
        "Hospital admissions (HES): loaded admissions of patients living outside the area, or with no residence "
        "recorded (admissions are placed by where the patient lives), a number hidden by disclosure control: counted "
        "in no district and not in the county.",
        "Police recorded crime: 3 loaded crimes with no location, or one outside the area (kept in the force's own "
        "records): counted in no district and not in the county."]


def test_the_annex_says_which_asb_months_come_from_police_street_files(inputs, tmp_path):
    """Two street files supply ASB for months no ASB delivery holds, March and April 2025 and October 2025: the
    deliveries table's ASB row (its own deliveries' months) is not all of ASB's months."""
    def street(name, month, asb_month):
        return {"source": "police_crime", "file_name": name, "status": "loaded", "rows_received": 5, "rows_loaded": 5,
                "rows_quarantined": 0, "first_month": month, "last_month": month, "asb_first_month": asb_month,
                "asb_last_month": asb_month}
    rows = [street("2025-03-kent-street.csv", dt.date(2025, 3, 1), dt.date(2025, 3, 1)),
            street("2025-04-kent-street.csv", dt.date(2025, 4, 1), dt.date(2025, 4, 1)),
            street("2025-09-kent-street.csv", dt.date(2025, 9, 1), None),   # its ASB rows' month an ASB delivery holds
            street("2025-10-kent-street.csv", dt.date(2025, 10, 1), dt.date(2025, 10, 1))]
    changed = dataclasses.replace(inputs, deliveries=pd.DataFrame(rows, columns=list(DELIVERY_COLUMNS)),
                                  source_titles={"police_crime": "Police recorded crime",
                                                 "asb": "Anti-social behaviour incidents"})
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    quality = assemble(changed, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").quality
    by_source = next(t for t in quality if t.title == "Deliveries by source")
    assert by_source.notes == [
        "Every delivery is listed in the workbook (Deliveries).",
        "Anti-social behaviour incidents: also counted from the anti-social behaviour rows of data.police.uk street "
        "files delivered as police recorded crime, for the months no ASB delivery holds: March 2025 – April 2025; "
        "October 2025."]


def test_no_asb_note_without_street_files_supplying_asb(pack):
    by_source = next(t for t in pack.quality if t.title == "Deliveries by source")
    assert by_source.notes == ["Every delivery is listed in the workbook (Deliveries)."]


def test_a_pack_made_from_generated_sample_data_says_so_first(inputs, tmp_path):
    """A pack of `csp synth`'s made-up extracts read as a real assessment of Kent; it says it is not, first on its
    cover (the PDF's and the HTML's), naming the sources whose figures are made up. A pack of real data says nothing."""
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    sample = dataclasses.replace(inputs, sample_sources=("Police recorded crime", "Road casualties (STATS19)"))
    pack = assemble(sample, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts")
    line = ("Sample data, not real: the figures of police recorded crime and road casualties (STATS19) come from "
            "extracts made up by csp synth to show how the pipeline works, not from partners, and are no evidence "
            "about Kent.")
    assert pack.sample_line == line
    html = write_html(pack, tmp_path / "pack.html").read_text(encoding="utf-8")
    assert html.index(f"<strong>{line}</strong>") < html.index("Assessment pack for the Community Safety Partnership")
    assert assemble(inputs, Scope("county", "Kent", "Kent"), stamp, tmp_path / "real").sample_line == ""


NOTE = ("each district{and_neighbours}. Packs are of {county} and its districts only{neighbour_rows}. All areas (the "
        "county, the districts{and_names}).{neighbour_rates} End.")


def test_the_methods_note_names_the_county_and_its_neighbours_whatever_their_number():
    """Portability review: the note said Kent and Medway in every county's pack. Kent's words are the same as before."""
    assert methods_note(NOTE, "Kent", ("Medway",)) == (
        "each district and Medway (a neighbouring area, never added to Kent). Packs are of Kent and its districts "
        "only: Medway's rows are in the county pack's table files (CSV and Parquet) and workbook, and in the district "
        "marts' comparison tables. All areas (the county, the districts and Medway). Medway's rate is compared in the "
        "same way, in the files named at the top of this note, not in the pack. End.")
    assert methods_note(NOTE, "Essex", ("Southend-on-Sea", "Thurrock")) == (
        "each district and Southend-on-Sea and Thurrock (neighbouring areas, never added to Essex). Packs are of Essex "
        "and its districts only: the rows of Southend-on-Sea and Thurrock are in the county pack's table files (CSV "
        "and Parquet) and workbook, and in the district marts' comparison tables. All areas (the county, the districts "
        "and Southend-on-Sea and Thurrock). The rates of Southend-on-Sea and Thurrock are compared in the same way, in "
        "the files named at the top of this note, not in the pack. End.")
    assert methods_note(NOTE, "Surrey", ()) == (
        "each district. Packs are of Surrey and its districts only. All areas (the county, the districts). End.")
    # the shipped note: every name in braces filled in, Kent and Medway only where the county and neighbours are
    for county, neighbours in (("Wealdshire", ("Stour Unitary",)), ("Surrey", ())):
        text = methods_note(METHODS.read_text(encoding="utf-8"), county, neighbours)
        assert "{" not in text and "Kent" not in text.replace("(Medway for Kent)", "")
        assert "Medway" not in text.replace("(Medway for Kent)", "")


def test_a_trend_whose_months_came_in_two_layouts_says_so(inputs, tmp_path):
    layouts = ("two layouts of the data — the force's restricted extract and data.police.uk's public files; where "
               "the two differ in level, part of the trend may be the layout's, not a real change")
    trend = dict.fromkeys(TREND_COLUMNS)
    trend.update(measure_id="shoplifting", area_code="county", area_name="Kent",
                 trend_period="November 2022 – October 2025", months_used=36, direction="rising", p_value=0.01,
                 slope_per_year=25.0, trend_layouts=layouts, status="available")
    short = {**trend, "measure_id": "violence", "months_used": 30, "direction": "too short to say"}
    two = dataclasses.replace(inputs, trends=pd.DataFrame([trend, short]))
    stamp = Stamp("OFFICIAL-SENSITIVE", "Kent", "run1", dt.datetime(2025, 11, 23, 9, 0), "v1")
    sections = {m.measure.measure_id: m.findings
                for s in assemble(two, Scope("county", "Kent", "Kent"), stamp, tmp_path / "charts").sections
                for m in s.measures}
    assert sections["shoplifting"][-1] == (
        "Shoplifting in Kent showed a rising trend over the 36 months November 2022 – October 2025, a typical change "
        f"of +300 a year in its 12-month total. Its months come from {layouts}.")
    # too few months for a trend: nothing to read the layouts into
    assert sections["violence"][-1] == ("There are 30 months of data for Kent (November 2022 – October 2025), too few "
                                        "(under 36) to describe a longer-term trend.")
