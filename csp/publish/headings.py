"""Each output column's heading in words: one place, read by every workbook (the county pack's
assessment_tables.xlsx, each district mart's workbook and its pack's) and by the pack's own tables
where they show a column as it is (Area, Change, Verdict, the data-quality annex's counts...).

The CSV, Parquet and DuckDB files keep the column names (other tools join on them); a workbook heads
each column in words, lists every heading with its column name on its Columns sheet, and names a row's
withheld columns (Columns suppressed) by their headings too.

A measure sheet holds both comparisons (rolling 12 months and financial year to date), so a value of
one period is headed "latest period" or "previous period", and the row's Latest period and Previous
period name its months. The pack's tables show the rolling 12 months only, and there say "Latest 12
months"; where they join two columns into one cell ("95% interval") they head it in their own words.

A column with no heading here is written under its name, with a warning in the log; the tests fail
on every column the outputs write that has none (tests/unit/test_headings.py and the pack and marts
integration tests), so add one here with any new column.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger("csp")

HEADINGS: dict[str, str] = {
    # on every row
    "protective_marking": "Protective marking",
    "produced_by_run": "Produced by run",
    "suppressed_columns": "Columns suppressed",
    # the measure
    "measure_id": "Measure ID",
    "measure_name": "Measure",
    "unit": "Unit",
    "aim_number": "Strategic aim",
    "headline": "Headline measure",
    "source": "Source ID",
    "source_title": "Source",
    "numerator": "Numerator (measure ID)",
    "denominator": "Denominator (measure ID)",
    "offence_group": "Offence group",
    # the area
    "area_type": "Area type",
    "area_code": "Area code",
    "area_name": "Area",
    "lad_code": "District code",
    "lsoa_code": "LSOA code",
    "lsoa_name": "LSOA name",
    # periods
    "comparison_type": "Comparison",
    "comparison": "Periods compared",
    "comparison_order": "Comparison order",
    "comparison_available": "Comparison available",
    "comparison_status": "Comparison status",
    "current_period": "Latest period",
    "previous_period": "Previous period",
    "current_first": "Latest period: first month",
    "current_last": "Latest period: last month",
    "previous_first": "Previous period: first month",
    "previous_last": "Previous period: last month",
    "period_months": "Months per value (3: quarterly)",
    "current_months": "Months with data, latest period",
    "previous_months": "Months with data, previous period",
    # counts and change
    "current_value": "Count, latest period",
    "previous_value": "Count, previous period",
    "current_count": "Crimes, latest period",
    "previous_count": "Crimes, previous period",
    "crimes": "Crimes",
    "change": "Change",
    "pct_change": "Change (%)",
    # rates per 1,000 residents
    "population": "Residents (population estimate)",
    "population_mid_year": "Population estimate (mid-year)",
    "current_rate_per_1000": "Rate per 1,000 residents, latest period",
    "current_rate_lower": "Rate per 1,000, latest period: lower 95% limit",
    "current_rate_upper": "Rate per 1,000, latest period: upper 95% limit",
    "previous_rate_per_1000": "Rate per 1,000 residents, previous period",
    "previous_rate_lower": "Rate per 1,000, previous period: lower 95% limit",
    "previous_rate_upper": "Rate per 1,000, previous period: upper 95% limit",
    "rate_vs_county": "Rate against the county",
    # shares
    "current_numerator": "Numerator, latest period",
    "current_denominator": "Denominator, latest period",
    "previous_numerator": "Numerator, previous period",
    "previous_denominator": "Denominator, previous period",
    "current_share": "Share, latest period",
    "current_share_lower": "Share, latest period: lower 95% limit",
    "current_share_upper": "Share, latest period: upper 95% limit",
    "previous_share": "Share, previous period",
    "previous_share_lower": "Share, previous period: lower 95% limit",
    "previous_share_upper": "Share, previous period: upper 95% limit",
    "change_points": "Change (percentage points)",
    "share_vs_county": "Share against the county",
    # is the change real?
    "p_value": "p-value",
    "q_value": "Adjusted p-value (q)",
    "verdict": "Verdict",
    "series_break": "Series break",
    "status": "Status",
    # monthly series
    "month": "Month",
    "period": "Period",
    "value": "Count",
    "rolling_12m": "Rolling 12-month total",
    "rolling_12m_period": "Rolling 12-month total: period",
    "value_year_earlier": "Count a year earlier",
    # trends and seasons
    "trend_period": "Trend period",
    "months_used": "Months used",
    "direction": "Direction of trend",
    "slope_per_year": "Typical change a year in one month's count (Sen slope)",
    "profile_period": "Profile period",
    "month_of_year": "Month number",
    "month_name": "Calendar month",
    "mean_value": "Average count",
    "seasonal_index": "Seasonal index (1 = average month)",
    "is_peak": "Peak month",
    # data quality
    "first_month_with_data": "Data from",
    "last_month_with_data": "Last month with data",
    "complete_until": "Last complete month",
    "data_to": "Data to",
    "overdue": "Overdue",
    "mixed_forms": "Layouts of the months compared",
    "trend_layouts": "Layouts of the trend's months",
    "file_name": "File",
    "reason": "Reason",
    "rows_received": "Rows received",
    "rows_loaded": "Rows loaded",
    "rows_quarantined": "Rows quarantined",
    "rows_current": "Rows current (in the figures)",
    "rows_no_location": "Rows with no location",
    "rows_outside_area": "Rows outside the area",
    "first_month": "First month",
    "last_month": "Last month",
    "asb_first_month": "First month its ASB rows are counted in",
    "asb_last_month": "Last month its ASB rows are counted in",
    "loaded_in": "Filed in the wrong folder: loaded in",
    "reject_code": "Reason (code)",
    "rows": "Rows",
    "deliveries": "Deliveries",
    "example_reason": "Example",
    "months": "Number of months",
    "fewest_districts": "Fewest districts with data",
    "most_districts": "Most districts with data",
    "districts_expected": "Districts expected",
    "from_month": "From",
    "description": "Description",
    # a district mart's README
    "table_name": "Table",
    "title": "Title",
    "grain": "Grain",
    "disclosure": "Disclosure",
    "parquet_file": "Parquet file",
    "workbook": "In the workbook",
}


def heading(column: str) -> str:
    """The column's heading in words (its name when it has none: see unlabelled)."""
    return HEADINGS.get(column, column)


def unlabelled(columns: Iterable[str]) -> list[str]:
    """The columns with no heading in words, each once, in their order."""
    return [c for c in dict.fromkeys(columns) if c not in HEADINGS]


def warn_unlabelled(columns: Iterable[str], where: str) -> None:
    """A line in the log naming the columns `where` writes under their names, for want of a heading."""
    missing = unlabelled(columns)
    if missing:
        log.warning("%s: no heading in words for %s (csp/publish/headings.py): written under the column name",
                    where, ", ".join(missing))
