"""The restricted tables behind the pack: one table per measure, grouped by strategic aim, plus the
monthly trend behind the charts and the data-quality annex. Written as one workbook (a sheet per
table, after a Cover and Contents sheet) and as CSV and Parquet files (a file per table), each row of the
files carrying the marking and the run, which each sheet states above its table instead."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from csp.publish import formats as fmt
from csp.publish.model import PackInputs, Scope, Stamp, marked
from csp.publish.workbook import Cover, Sheet, write_workbook
from csp.warehouse import copy_to_parquet

WORKBOOK = "assessment_tables.xlsx"
TABLES_DIR = "tables"
# the sheets of the figures behind the pack's trend and seasonal charts, which the charts' text names
MONTHLY_SHEET, SEASONAL_SHEET = "Monthly_series", "Seasonal_profiles"


@dataclass(frozen=True)
class RestrictedTable:
    stem: str          # file name of its CSV and Parquet files, without the suffix
    sheet: Sheet


def restricted_tables(inputs: PackInputs, scope: Scope, stamp: Stamp) -> list[RestrictedTable]:
    windows = inputs.windows.set_index("source")
    rates_note = inputs.rates_words().removesuffix(".")
    tables = []
    numbering: dict[int, int] = {}
    for m in inputs.measures.sort_values("aim", kind="stable").itertuples():
        numbering[m.aim] = numbering.get(m.aim, 0) + 1
        source = inputs.shares if m.unit == "share" else inputs.comparisons
        rows = source[source["measure_id"] == m.measure_id]
        if rows.empty:
            continue
        frame = rows.assign(measure_name=m.name)[["measure_id", "measure_name",
                                                  *[c for c in rows.columns if c != "measure_id"]]]
        window = windows.loc[m.source]
        mixed = fmt.mixed_forms(window)
        notes = [*_periods(rows), fmt.source_note(window), f"{window['source_title']}: {mixed}" if mixed else "",
                 "" if m.unit == "share" else rates_note]
        tables.append(RestrictedTable(f"{m.aim}_{numbering[m.aim]:02d}_{m.measure_id}", Sheet(
            f"Table_{m.aim}_{numbering[m.aim]:02d}",   # the measure's name is the sheet's title and in the contents
            f"{m.name}: rolling 12 months and financial year to date, {_areas(scope)}",
            _marked(frame, stamp), [n for n in notes if n], f"{m.aim}. {inputs.aims[m.aim]}")))
    headline = inputs.measures.loc[inputs.measures["headline"], "measure_id"]
    series, annex = "Monthly series, trends and seasons", "Annex: data quality"
    tables += [
        RestrictedTable("monthly_series", Sheet(
            MONTHLY_SHEET, f"Headline measures by month: 12-month rolling total and the same month a year "
                           f"earlier, {_areas(scope)}",
            _marked(inputs.monthly[inputs.monthly["measure_id"].isin(headline)], stamp),
            ["A month with no data is blank, not zero; a rolling total is given only when all 12 of its months "
             "have data"], series)),
        RestrictedTable("trends", Sheet(
            "Trends", f"Direction of each measure's longer-term trend (seasonal Mann-Kendall), {_areas(scope)}",
            _marked(inputs.trends, stamp), [], series)),
        RestrictedTable("seasonal_profiles", Sheet(
            SEASONAL_SHEET, f"Average of each calendar month against an average month, {_areas(scope)}",
            _marked(inputs.profiles, stamp), [], series)),
        RestrictedTable("dq_comparison_windows", Sheet(
            "Comparison_windows", "Each source's comparison window and data coverage",
            _marked(inputs.windows, stamp), [], annex)),
        RestrictedTable("dq_deliveries", Sheet(
            "Deliveries", "Every delivery: rows received, loaded and quarantined",
            _marked(inputs.deliveries, stamp), [], annex)),
        RestrictedTable("dq_quarantined_rows", Sheet(
            "Quarantined_rows", "Rows quarantined, by source and reason",
            _marked(inputs.quarantine, stamp), [], annex)),
        RestrictedTable("dq_gaps", Sheet(
            "Gaps", "Months missing or incomplete (by each source's completeness rule)",
            _marked(inputs.gaps, stamp), [], annex)),
        RestrictedTable("dq_series_breaks", Sheet(
            "Series_breaks", "Recording changes the comparisons are not read across",
            _marked(inputs.series_breaks, stamp), [], annex)),
    ]
    return tables


def write_restricted_tables(tables: list[RestrictedTable], out: Path, stamp: Stamp, scope: Scope,
                            windows: pd.DataFrame) -> list[Path]:
    """The workbook, and a CSV and a Parquet file per table under tables/."""
    workbook = out / WORKBOOK
    write_workbook(workbook, [t.sheet for t in tables], marking=stamp.marking,
                   title=f"{scope.area_name} community safety strategic assessment tables", stamp=stamp.run_at,
                   produced=stamp.words, cover=_cover(windows, scope))
    folder = out / TABLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = [workbook]
    metadata = {"protective_marking": stamp.marking, "area": scope.area_name, "produced_by_run": stamp.run_id,
                "data_version": stamp.data_version}
    with duckdb.connect() as con:
        for table in tables:
            csv, parquet = folder / f"{table.stem}.csv", folder / f"{table.stem}.parquet"
            # with a byte-order mark: without one, Excel reads UTF-8 as Windows-1252 ("November 2024 â€“ October 2025")
            fmt.spreadsheet_safe(table.sheet.frame).to_csv(csv, index=False, lineterminator="\n", encoding="utf-8-sig")
            con.register("pack_table", table.sheet.frame)
            copy_to_parquet(con, "pack_table", parquet, metadata)
            con.unregister("pack_table")
            files += [csv, parquet]
    return files


def _cover(windows: pd.DataFrame, scope: Scope) -> Cover:
    periods, sources = window_lines(windows)
    return Cover(
        [f"The restricted tables behind {scope.area_name}'s community safety strategic assessment pack, for "
         f"{_areas(scope)}: a table for each measure, grouped by strategic aim (counts, change, rates with their 95% "
         "intervals, p and q values, verdicts), the monthly series, trends and seasonal profiles behind its charts, "
         "and its data-quality annex.",
         f"The same tables are in the {TABLES_DIR}/ folder beside this workbook, a CSV and a Parquet file each."],
        ["Each measure's latest 12 months against the 12 months before, and its financial year to date against the "
         "same months a year earlier, in its source's window (below); each sheet names its own periods.", *periods],
        [*sources, "Partners' extracts, each checked against its source's data contract: the Deliveries sheet lists "
                   "every file received."])


def window_lines(windows: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Each source's latest 12 months and the 12 before ("Police recorded crime: November 2024 – October 2025
    against November 2023 – October 2024"), and its months of data ("Police recorded crime: November 2022 –
    October 2025"), from the source windows (PackInputs.windows): for a workbook's Cover sheet. Data older than
    its source's contract expects by the run date says so, as the pack's cover does ("Youth offending (…): January
    2023 – December 2025 — 5 months behind the run date; expected within 2 (January 2026 – March 2026 overdue)")."""
    periods, sources = [], []
    for w in windows.sort_values("source_title").to_dict("records"):
        title = w["source_title"]
        periods.append(f"{title}: {w['current_period']} against {w['previous_period']}" if w["comparison_available"]
                       else f"{title}: {w['comparison_status']}" if fmt.missing(w["current_period"])
                       else f"{title}: {w['current_period']} ({w['comparison_status']})")
        first, overdue = w["first_month_with_data"], w.get("overdue")
        # facts.source_windows.overdue is "data to <month> — <how late>": the month is data_to's
        late = "" if fmt.missing(overdue) else " — " + str(overdue).split(" — ", 1)[-1]
        sources.append(f"{title}: no data yet" if fmt.missing(first) or fmt.missing(w["data_to"])
                       else f"{title}: {pd.Timestamp(first):%B %Y} – {w['data_to']}{late}")
    return periods, sources


def _marked(frame: pd.DataFrame, stamp: Stamp) -> pd.DataFrame:
    """The table with its protective marking as the first column and the run as the last, on every row."""
    return marked(frame.reset_index(drop=True).assign(produced_by_run=stamp.run_id), stamp.marking)


def _areas(scope: Scope) -> str:
    return f"{scope.county_name} and districts" if scope.is_county else f"{scope.area_name} and {scope.county_name}"


def _periods(rows: pd.DataFrame) -> list[str]:
    """'Period (rolling 12 months): November 2024 – October 2025 compared with November 2023 – October 2024'."""
    periods = rows[["comparison_type", "current_period", "previous_period"]].dropna().drop_duplicates()
    return [f"Period ({p.comparison_type}): {p.current_period} compared with {p.previous_period}"
            for p in periods.itertuples()]
