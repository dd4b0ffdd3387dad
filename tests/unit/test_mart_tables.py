"""Applying protected cells to a mart table: counts, derived columns, rolling totals, districts' rows."""
from __future__ import annotations

import pandas as pd
import pytest

from csp.marts.spec import Cell, Cube, Derived, MartTable
from csp.marts.tables import district_rows, protect_table, published_cells

CUBE = Cube("counts", ("marts.crime_cells",), "none")
TREND = MartTable(
    "trend", "comparisons.trend", "Trend", "Monthly.", "area x month", "months", "area_code", ("own", "county"), CUBE,
    counts={"crimes": Cell("area_code", "offence_group", "month")},
    derived={"rolling_3m": Derived(("crimes",), trailing=3), "rate": Derived(("crimes",))})
MONTHS = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01"])


def cells(rows):
    return pd.DataFrame(rows, columns=["area_code", "measure", "period", "suppressed", "round_to", "published"])


@pytest.fixture
def trend():
    frame = pd.DataFrame({
        "area_code": ["X"] * 5 + ["Y"],
        "offence_group": ["G"] * 6,
        "month": [*MONTHS, MONTHS[0]],
        "crimes": [5, 2, 6, 7, 8, 12],
        "rolling_3m": [None, None, 13, 15, 21, None],
        "rate": [0.5, 0.2, 0.6, 0.7, 0.8, 1.2],
    })
    protected = cells([
        ("X", "G", "2025-01", False, 1, 5), ("X", "G", "2025-02", True, 1, None), ("X", "G", "2025-03", False, 1, 6),
        ("X", "G", "2025-04", False, 1, 7), ("X", "G", "2025-05", False, 1, 8), ("Y", "G", "2025-01", False, 5, 10)])
    return frame.iloc[::-1].reset_index(drop=True), protected   # reversed: order must not matter


def test_hidden_counts_blank_their_rows_and_the_rolling_totals_holding_them(trend):
    frame, protected = trend
    out = protect_table(frame, TREND, published_cells(protected)).sort_values(["area_code", "month"])
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in
            out[["area_code", "crimes", "rolling_3m", "rate", "suppressed_columns"]].itertuples(index=False)]
    assert rows == [
        ("X", 5, None, 0.5, None),
        # February's rolling total has no value (two months): no data, as the months shown say, not withheld
        ("X", None, None, None, "crimes, rate"),
        ("X", 6, None, 0.6, "rolling_3m"),       # February is in March's three months
        ("X", 7, None, 0.7, "rolling_3m"),       # ... and in April's
        ("X", 8, 21, 0.8, None),                 # March - May: shown
        ("Y", 10, None, None, "rate"),           # rounded to 5: a rate from 12 would give 12 away
    ]


def test_a_derived_value_a_hidden_count_gives_is_named_withheld_whether_or_not_it_has_one(trend):
    """A rate (any derived value but a rolling total or a year-earlier one) blank anyway beside a hidden count is
    named withheld all the same: which are blank would bound the count (a q-value too few to test has none)."""
    frame, protected = trend
    frame = frame.assign(rate=frame["rate"].mask(frame["month"] == MONTHS[1]))   # February's rate: none anyway
    out = protect_table(frame, TREND, published_cells(protected)).set_index(["area_code", "month"])
    assert out.loc[("X", MONTHS[1]), "suppressed_columns"] == "crimes, rate"


def test_a_count_that_is_not_a_cell_is_refused(trend):
    frame, protected = trend
    with pytest.raises(ValueError, match="1 count.* not cells of marts.crime_cells.*without disclosure control"):
        protect_table(frame, TREND, published_cells(protected.iloc[:-1]))


def test_a_district_gets_the_rows_of_the_area_kinds_its_table_lists(trend):
    frame, _ = trend
    codes = {"own": {"X"}, "county": {"county"}, "other_districts": {"Y"}, "neighbours": set()}
    assert set(district_rows(frame, TREND, codes)["area_code"]) == {"X"}
    everyone = MartTable(**{**TREND.__dict__, "areas": ("own", "other_districts")})
    assert len(district_rows(frame, everyone, codes)) == 6


def test_q_values_and_verdicts_are_worked_out_again_over_the_p_values_a_mart_shows():
    """Rolling 12 months: A and B shown, C's counts hidden (so its p-value, q-value and verdict are
    blank), D too few to be in the family. Over the three tested (p 0.01, 0.03, 0.001) A's q-value
    was 0.015; over the two shown it is 0.02 (0.01 x 2 / 1) and B's 0.03 (0.03 x 2 / 2). The year
    to date is a family of its own: E alone keeps its p-value as its q-value, 0.06, not significant."""
    from csp.marts.tables import readjusted
    from transforms.stats import NO_SIGNIFICANT_CHANGE, SIGNIFICANT_DECREASE, SIGNIFICANT_INCREASE, TOO_FEW_TO_SAY

    shown = pd.DataFrame({
        "area_code": ["A", "B", "C", "D", "E"],
        "comparison_type": ["rolling_12m"] * 4 + ["fytd"],
        "previous_value": [20, 40, None, 3, 30],
        "current_value": [40, 20, None, 2, 45],
        "p_value": [0.01, 0.03, None, 0.5, 0.06],
        "q_value": [0.015, 0.03, None, None, 0.02],
        "verdict": [SIGNIFICANT_INCREASE, SIGNIFICANT_DECREASE, None, TOO_FEW_TO_SAY, SIGNIFICANT_INCREASE],
    })
    out = readjusted("measure_change", shown)
    assert out["q_value"].round(6).tolist()[:2] == [0.02, 0.03] and out["q_value"].iloc[4] == 0.06
    assert out["q_value"].iloc[2:4].isna().all()
    assert out["verdict"].fillna("blank").tolist() == [SIGNIFICANT_INCREASE, SIGNIFICANT_DECREASE, "blank",
                                                       TOO_FEW_TO_SAY, NO_SIGNIFICANT_CHANGE]
    assert readjusted("crime_trend", shown) is shown   # a table with no q-values


def test_a_neighbours_p_values_no_mart_holds_are_left_out_of_the_adjustment():
    """measure_monthly gives a district its own rows and the county's: Medway's (a neighbour's) are in no mart, so
    the q-values shown are adjusted over the others' p-values alone (0.01 x 2 / 1, 0.03 x 2 / 2), where Medway's
    0.001 made them 0.015 and 0.03, hanging on a p-value no district sees."""
    from csp.marts.tables import readjusted
    from transforms.stats import SIGNIFICANT_INCREASE

    shown = pd.DataFrame({
        "area_code": ["A", "county", "M"], "area_type": ["district", "county", "neighbour"], "month": "2025-10",
        "value_year_earlier": [20, 40, 10], "value": [40, 20, 40],
        "p_value": [0.01, 0.03, 0.001], "q_value": [0.015, 0.03, 0.003], "verdict": [SIGNIFICANT_INCREASE] * 3,
    })
    out = readjusted("measure_monthly", shown, ("own", "county"))
    assert out["q_value"].round(6).tolist() == [0.02, 0.03, 0.003]   # Medway's as it was: in no mart
    assert readjusted("measure_monthly", shown, ("own", "county", "neighbours"))["q_value"].round(6).tolist() == [
        0.015, 0.03, 0.003]
