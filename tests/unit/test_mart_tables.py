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
        ("X", None, None, None, "crimes, rate"),
        ("X", 6, None, 0.6, "rolling_3m"),       # February is in March's three months
        ("X", 7, None, 0.7, "rolling_3m"),       # ... and in April's
        ("X", 8, 21, 0.8, None),                 # March - May: shown
        ("Y", 10, None, None, "rate"),           # rounded to 5: a rate from 12 would give 12 away
    ]


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
