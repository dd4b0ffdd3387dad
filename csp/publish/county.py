"""The county outputs of a refresh: comparison tables (workbook + CSV) and the trend chart."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from csp.publish.charts import trend_chart
from csp.publish.workbook import Sheet, write_workbook


@dataclass(frozen=True)
class Stamp:
    """What every output says about where it came from."""

    marking: str
    area_name: str
    run_id: str          # the run that first produced this data version
    run_at: dt.datetime
    data_version: str

    @property
    def words(self) -> str:
        return f"Produced by run {self.run_id} ({self.run_at:%d %B %Y %H:%M}), data version {self.data_version}"


def marked(frame: pd.DataFrame, marking: str) -> pd.DataFrame:
    """The table with its protective marking as the first column of every row."""
    return pd.concat([pd.DataFrame({"protective_marking": [marking] * len(frame)}, index=frame.index), frame], axis=1)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def publish_county(con: duckdb.DuckDBPyConnection, out: Path, stamp: Stamp) -> list[Path]:
    window = con.table("facts.source_windows").filter("source = 'police_crime'").df().iloc[0]
    comparison = con.table("comparisons.crime_rolling_12m").df().convert_dtypes()
    trend = con.table("comparisons.crime_trend").df()
    latest = window["last_month_with_data"]
    period_line = (f"Period: {window['current_period']} compared with {window['previous_period']}"
                   if window["comparison_available"] else
                   f"Period: {window['current_period']}. {window['comparison_status']}")
    notes = [
        period_line,
        f"Source: police recorded crime (latest month of data: {latest:%B %Y})" if pd.notna(latest) else "Source: police recorded crime",
        "Rates per 1,000 residents use ONS mid-year population estimates "
        f"(mid-{int(comparison['population_mid_year'].iloc[0])})" if len(comparison) else "",
        stamp.words,
    ]
    table = marked(comparison, stamp.marking)
    written = []
    csv_path = out / "crime_rolling_12m.csv"
    write_csv(csv_path, table)
    xlsx_path = out / "assessment_tables.xlsx"
    write_workbook(
        xlsx_path,
        [Sheet("Crime rolling 12m", f"Police recorded crime: rolling 12 months, {stamp.area_name} and districts",
               table, [n for n in notes if n])],
        marking=stamp.marking, title=f"{stamp.area_name} community safety strategic assessment tables",
        stamp=stamp.run_at,
    )
    written += [csv_path, xlsx_path]
    county = trend[(trend.area_type == "county") & (trend.offence_group == "All crime")]
    if len(county):
        png = out / "chart_crime_trend_county.png"
        current = (window["current_first"], window["current_last"]) if pd.notna(window["current_last"]) else None
        previous = (window["previous_first"], window["previous_last"]) if window["comparison_available"] else None
        trend_chart(png, county, f"Police recorded crime in {stamp.area_name}: monthly and 12-month rolling total",
                    period_line.removeprefix("Period: "), stamp.marking, current, previous)
        written.append(png)
    return written
