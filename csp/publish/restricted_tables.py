"""The restricted tables behind the pack: one table per measure, grouped by strategic aim, plus the
monthly trend behind the charts and the data-quality annex. Written as one workbook (a sheet per
table) and as CSV and Parquet files (a file per table), each row carrying the marking and the run."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from csp.publish.model import PackInputs, Scope, Stamp
from csp.publish.workbook import Sheet, write_workbook

WORKBOOK = "assessment_tables.xlsx"
TABLES_DIR = "tables"


@dataclass(frozen=True)
class RestrictedTable:
    stem: str          # file name of its CSV and Parquet files, without the suffix
    sheet: Sheet


def restricted_tables(inputs: PackInputs, scope: Scope, stamp: Stamp) -> list[RestrictedTable]:
    windows = inputs.windows.set_index("source")
    rates_note = f"Rates per 1,000 residents use ONS mid-{inputs.population_mid_year} population estimates"
    tables = []
    measures = inputs.measures.assign(order=range(len(inputs.measures)))
    measures = measures.assign(aim_order=measures["aim"].fillna(0)).sort_values(["aim_order", "order"])
    numbering: dict[int, int] = {}
    for m in measures.itertuples():
        aim = 0 if pd.isna(m.aim) else int(m.aim)
        numbering[aim] = numbering.get(aim, 0) + 1
        rows = inputs.comparisons[inputs.comparisons["measure_id"] == m.measure_id]
        if rows.empty:
            continue
        frame = rows.assign(measure=m.name)[["measure_id", "measure", *[c for c in rows.columns if c != "measure_id"]]]
        window = windows.loc[m.source]
        tables.append(RestrictedTable(f"{aim}_{numbering[aim]:02d}_{m.measure_id}", Sheet(
            _sheet_name(f"{aim}.{numbering[aim]:02d} {m.name}"),
            f"{m.name}: rolling 12 months, {_areas(scope)}",
            _marked(frame, stamp),
            [_period(window), _source(window), rates_note, stamp.words],
            "Overview" if aim == 0 else f"{aim}. {inputs.aims[aim]}")))
    headline = inputs.measures.loc[inputs.measures["headline"], "measure_id"]
    trend = inputs.trend[inputs.trend["measure_id"].isin(headline)]
    names = inputs.comparisons[["area_code", "area_name"]].drop_duplicates()
    annex = "Annex: data quality"
    tables += [
        RestrictedTable("monthly_trend", Sheet(
            "Monthly trend", f"Headline measures by month with the 12-month rolling total, {_areas(scope)}",
            _marked(trend.merge(names, on="area_code")[["measure_id", "area_code", "area_name", "month", "value",
                                                        "rolling_12m"]], stamp),
            ["A month with no data is blank, not zero; a rolling total is given only when all 12 of its months "
             "have data", stamp.words], "Charts")),
        RestrictedTable("dq_comparison_windows", Sheet(
            "Comparison windows", "Each source's comparison window and data coverage",
            _marked(inputs.windows, stamp), [stamp.words], annex)),
        RestrictedTable("dq_deliveries", Sheet(
            "Deliveries", "Every delivery: rows received, loaded and quarantined",
            _marked(inputs.deliveries, stamp), [stamp.words], annex)),
        RestrictedTable("dq_quarantined_rows", Sheet(
            "Quarantined rows", "Rows quarantined, by source and reason",
            _marked(inputs.quarantine, stamp), [stamp.words], annex)),
        RestrictedTable("dq_gaps", Sheet(
            "Gaps", "Months missing or incomplete (by each source's completeness rule)", _marked(inputs.gaps, stamp), [stamp.words], annex)),
        RestrictedTable("dq_series_breaks", Sheet(
            "Series breaks", "Recording changes the comparisons are not read across",
            _marked(inputs.series_breaks, stamp), [stamp.words], annex)),
    ]
    return tables


def write_restricted_tables(tables: list[RestrictedTable], out: Path, stamp: Stamp, scope: Scope) -> list[Path]:
    """The workbook, and a CSV and a Parquet file per table under tables/."""
    workbook = out / WORKBOOK
    write_workbook(workbook, [t.sheet for t in tables], marking=stamp.marking,
                   title=f"{scope.area_name} community safety strategic assessment tables", stamp=stamp.run_at,
                   produced=stamp.words)
    folder = out / TABLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = [workbook]
    for table in tables:
        csv, parquet = folder / f"{table.stem}.csv", folder / f"{table.stem}.parquet"
        table.sheet.frame.to_csv(csv, index=False, lineterminator="\n", encoding="utf-8")
        duckdb.from_df(table.sheet.frame).to_parquet(str(parquet))
        files += [csv, parquet]
    return files


def _sheet_name(name: str) -> str:
    """Excel's 31 characters, cut at a word with an ellipsis rather than mid-word."""
    return name if len(name) <= 31 else name[:30].rsplit(" ", 1)[0] + "…"


def _marked(frame: pd.DataFrame, stamp: Stamp) -> pd.DataFrame:
    """The table with its protective marking as the first column and the run as the last, on every row."""
    return frame.reset_index(drop=True).assign(produced_by_run=stamp.run_id).pipe(
        lambda f: pd.concat([pd.DataFrame({"protective_marking": [stamp.marking] * len(f)}), f], axis=1))


def _areas(scope: Scope) -> str:
    return f"{scope.county_name} and districts" if scope.is_county else f"{scope.area_name} and {scope.county_name}"


def _period(window: pd.Series) -> str:
    if window["comparison_available"]:
        return f"Period: {window['current_period']} compared with {window['previous_period']}"
    return f"Period: {window['current_period']}. {window['comparison_status']}"


def _source(window: pd.Series) -> str:
    latest = window["last_month_with_data"]
    month = f" (latest month of data: {latest:%B %Y})" if pd.notna(latest) else ""
    return f"Source: {window['source_title'].lower()}{month}"
