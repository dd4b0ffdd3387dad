"""Workbooks head their columns in words (csp.publish.headings), list each heading's column name on a
Columns sheet, and still choose number formats by the column name. Every column the outputs write is
checked for a heading by the pack and marts integration tests (tests/integration/test_pack.py,
test_district_marts.py: every column of every table file); here, the columns the code names."""
from __future__ import annotations

import datetime as dt
import logging

import openpyxl
import pandas as pd
import pytest

from csp.marts.spec import columns_of, load_spec
from csp.publish import model
from csp.publish.headings import HEADINGS, heading, unlabelled
from csp.publish.workbook import COLUMNS, Sheet, write_workbook
from tests.conftest import workbook_tables

STAMP = dt.datetime(2025, 11, 5, 6, 0)


def test_every_column_the_pack_and_marts_name_has_a_heading():
    # every PackInputs frame written as a table (not the catalogue's MEASURE_COLUMNS)
    named = [c for name in dir(model) if name.endswith("_COLUMNS") and name != "MEASURE_COLUMNS"
             for c in getattr(model, name)]
    for table in load_spec():
        named += [table.area_column, *table.counts, *table.derived]
        named += [c for cell in table.counts.values() for part in (cell.area, cell.measure, cell.period)
                  for c in columns_of(part)]
    assert unlabelled(named) == []


def test_each_heading_names_one_column_and_is_no_column_name():
    """A reader maps a heading back to one column; a heading that is a name reads as one not given words."""
    words = list(HEADINGS.values())
    assert len(set(words)) == len(words)
    assert not set(words) & set(HEADINGS)
    assert all(w and w == w.strip() for w in words)


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "protective_marking": ["OFFICIAL-SENSITIVE"] * 2, "area_name": ["Kent", "Ashford"],
        "current_value": [22.0, 16.0], "pct_change": [37.5, 23.1], "current_rate_per_1000": [0.0137, 0.1157],
        "p_value": [0.4177, 0.01], "q_value": [0.5, 0.02], "current_share": [0.727, 0.5],
        "month": pd.to_datetime(["2025-10-01", "2025-09-01"]), "new_column": ["x", "y"],
    })


@pytest.fixture
def written(tmp_path, caplog):
    path = tmp_path / "tables.xlsx"
    sheets = [Sheet("Table_1_01", "All crime", _frame(), ["Period: a note"], "1. Aim"),
              Sheet("Trends", "Trends", _frame()[["protective_marking", "month"]], [], "Series")]
    with caplog.at_level(logging.WARNING, logger="csp"):
        write_workbook(path, sheets, "OFFICIAL-SENSITIVE", "Test tables", STAMP, produced="run 1")
    return path, sheets, [r.getMessage() for r in caplog.records]


def test_headings_in_words_and_formats_by_column_name(written):
    path, _, _ = written
    ws = openpyxl.load_workbook(path)["Table_1_01"]
    headings = [c.value for c in ws[5]]   # under the marking, title, note and run: no blank row between
    assert headings == ["Area", "Count, latest period", "Change (%)",
                        "Rate per 1,000 residents, latest period", "p-value", "Adjusted p-value (q)",
                        "Share, latest period", "Month", "new_column"]
    kent = {h: c for h, c in zip(headings, ws[6])}
    assert [kent[h].number_format for h in headings[1:8]] == ["#,##0", "0.0", "0.00", "0.0000", "0.0000", "0.0%",
                                                                "mmm yyyy"]
    assert ws.freeze_panes is None
    # every heading fits: its longest word in its column, its lines in the row's height
    assert all(ws.column_dimensions[c.column_letter].width >= max(len(w) for w in c.value.split()) + 2 for c in ws[5])
    assert ws.row_dimensions[5].height == 3 * 15   # "Rate per 1,000 residents, latest period" on 3 lines


def test_columns_sheet_maps_each_heading_to_its_column_name(written):
    path, sheets, warnings = written
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Cover", "Contents", "Table_1_01", "Trends", COLUMNS]
    contents = list(wb["Contents"].iter_rows(min_row=5, values_only=True))
    assert contents[-1] == (COLUMNS, "Headings and column names", "Column names")
    rows = list(wb[COLUMNS].iter_rows(values_only=True))
    assert rows[2:5] == [
        ("Each heading of this workbook's tables, and the name of its column in the CSV and Parquet files: the same "
         "tables under these names.", None),
        ("The CSV and Parquet files also give each row's protective marking (protective_marking): this workbook "
         "states them above each table instead, not on every row.", None),
        ("run 1", None)]
    assert rows[5] == ("Heading in this workbook", "Column name in the CSV and Parquet files")
    # each column once, but the marking the sheets state above their tables
    assert rows[6:] == [(heading(c), c) for c in sheets[0].frame.columns[1:]]
    # read back under the names, as the CSV has them (its marking on every row, where the sheet says it once)
    tables = workbook_tables(path)
    pd.testing.assert_frame_equal(tables["Table_1_01"], sheets[0].frame.drop(columns="protective_marking"),
                                  check_dtype=False)
    # a column with no heading yet: under its name, and said in the log
    assert warnings == ["tables.xlsx: no heading in words for new_column (csp/publish/headings.py): written under "
                        "the column name"]


def test_columns_suppressed_lists_headings_in_the_workbook_and_names_in_the_files(tmp_path):
    """A row's withheld columns are named in a sheet by the headings it gives them, a semicolon between two
    (a heading may hold a comma); the frame, which the CSV and Parquet files are written from, keeps the
    names that formats.withheld reads."""
    frame = pd.DataFrame({
        "protective_marking": ["OFFICIAL-SENSITIVE"] * 4, "crimes": [None, None, 4.0, None],
        "current_rate_per_1000": [None, 0.5, 0.4, None], "current_value": [None, None, None, None],
        "verdict": [None, None, "similar", None],
        "suppressed_columns": ["crimes, current_rate_per_1000", "crimes", None, "current_value, verdict"]})
    kept = frame.copy()
    path = tmp_path / "mart.xlsx"
    write_workbook(path, [Sheet("measure_change", "Change", frame)], "OFFICIAL-SENSITIVE", "Mart", STAMP,
                   files="DuckDB tables, Parquet and CSV files")
    wb = openpyxl.load_workbook(path)
    rows = list(wb["measure_change"].iter_rows(min_row=3, values_only=True))
    assert rows[0][-1] == "Columns suppressed"
    assert [row[-1] for row in rows[1:]] == ["Crimes; Rate per 1,000 residents, latest period", "Crimes", None,
                                             "Count, latest period; Verdict"]
    # each withheld value marked [c] (the statistical shorthand for confidential): a blank cell is no data
    assert [row[:4] for row in rows[1:]] == [("[c]", "[c]", None, None), ("[c]", 0.5, None, None),
                                             (4, 0.4, None, "similar"), (None, None, "[c]", "[c]")]
    notes = [row[0] for row in wb[COLUMNS].iter_rows(min_row=3, max_row=6, values_only=True)]
    assert notes[3] == ("[c] marks a value withheld to protect small numbers (blank in the DuckDB tables, Parquet and "
                        "CSV files); a blank cell has no data.")
    assert notes[2] == ("Columns suppressed names a row's withheld values by their headings in this workbook, "
                        "separated by semicolons; the DuckDB tables, Parquet and CSV files name them by their column "
                        "names, separated by commas.")
    pd.testing.assert_frame_equal(frame, kept)
    # read back under the names, as the CSV has them
    back = workbook_tables(path)["measure_change"]["suppressed_columns"]
    assert [v if isinstance(v, str) else None for v in back] == [
        "crimes, current_rate_per_1000", "crimes", None, "current_value, verdict"]


def test_same_tables_give_the_same_bytes(written, tmp_path):
    path, sheets, _ = written
    again = tmp_path / "again.xlsx"
    write_workbook(again, sheets, "OFFICIAL-SENSITIVE", "Test tables", STAMP, produced="run 1")
    assert again.read_bytes() == path.read_bytes()


def test_a_sheet_of_rows_is_an_excel_table_and_one_without_keeps_a_filter(tmp_path):
    """A screen reader in Excel reads a table's cell with its column heading: each sheet's rows are a table under
    the sheet's headings. Excel's tables need a data row, so a sheet with none has a filter on its headings."""
    rows = pd.DataFrame({"protective_marking": ["OFFICIAL-SENSITIVE"] * 2, "area_name": ["Kent", "Dover"],
                         "current_value": [10, 2]})
    path = tmp_path / "tables.xlsx"
    write_workbook(path, [Sheet("Table_1_01", "Counts", rows), Sheet("Gaps", "None", rows.iloc[:0]),
                          Sheet("R1C1", "A name Excel reads as a cell", rows)], "OFFICIAL-SENSITIVE", "Tables", STAMP)
    wb = openpyxl.load_workbook(path)
    (table,) = wb["Table_1_01"].tables.values()
    assert (table.name, table.ref, [c.name for c in table.tableColumns]) == (
        "Table_1_01", "A3:B5", ["Area", "Count, latest period"])
    assert table.tableStyleInfo.name == "TableStyleLight1" and wb["Table_1_01"].auto_filter.ref is None
    assert not wb["Gaps"].tables and wb["Gaps"].auto_filter.ref == "A4:B4"   # under "This table has no rows in this run."
    assert list(wb["R1C1"].tables) == ["Table_R1C1"]
    (columns,) = wb[COLUMNS].tables.values()
    assert columns.name == "Columns"
