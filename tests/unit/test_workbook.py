"""A workbook's layout, as the Government Analysis Function's "Releasing statistics in spreadsheets" asks
(csp.publish.workbook): a Cover sheet first, a Contents sheet that is an Excel table, sheet names a
formula need not quote, each table right under its notes with nothing frozen, and no column repeating the
marking and run the sheet states above it (the data files keep them on every row)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from csp.publish.workbook import COLUMNS, Cover, Sheet, write_workbook

STAMP = dt.datetime(2025, 11, 5, 6, 0)
MARKING = "OFFICIAL-SENSITIVE"
RUN = "Produced by run 20251105T060000 (05 November 2025 06:00), data version abc123"


def _rows(n: int) -> pd.DataFrame:
    """Rows as the pack's tables have them: the marking first and the run last on each."""
    return pd.DataFrame({"protective_marking": [MARKING] * n, "area_name": ["Kent", "Dover", "Thanet"][:n],
                         "current_value": [10.0, 2.0, None][:n], "suppressed_columns": [None, None, "current_value"][:n],
                         "produced_by_run": ["20251105T060000"] * n})


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "tables.xlsx"
    sheets = [Sheet("Table_1_01", "All crime: rolling 12 months, Kent and districts", _rows(3),
                    ["Period (rolling 12 months): November 2024 – October 2025 compared with November 2023 – "
                     "October 2024", "Source: police recorded crime (data to October 2025)"], "1. Safer neighbourhoods"),
              Sheet("Monthly_series", "Headline measures by month", _rows(2), [], "Monthly series"),
              Sheet("Gaps", "Months missing", _rows(0), ["None this month"], "Annex: data quality")]
    frames = [sheet.frame.copy() for sheet in sheets]
    write_workbook(path, sheets, MARKING, "Kent tables", STAMP, produced=RUN, cover=Cover(
        ["The tables behind the pack."], ["Police recorded crime: November 2024 – October 2025"],
        ["Police recorded crime: November 2022 – October 2025"]))
    for sheet, frame in zip(sheets, frames):
        pd.testing.assert_frame_equal(sheet.frame, frame)   # the frames the data files are written from: unchanged
    return openpyxl.load_workbook(path)


def test_cover_sheet_first_says_what_the_workbook_holds_in_column_a(workbook):
    ws = workbook["Cover"]
    assert workbook.sheetnames == ["Cover", "Contents", "Table_1_01", "Monthly_series", "Gaps", COLUMNS]
    assert [(c.value, c.font.b) for (c,) in ws.iter_rows(max_col=1)] == [
        (MARKING, True),
        ("Kent tables", True),
        ("The tables behind the pack.", False),
        ("Protective marking", True),
        ("OFFICIAL-SENSITIVE: every sheet says so in its first cell and in its header and footer, and so do the "
         "file's properties.", False),
        ("Period covered", True),
        ("Police recorded crime: November 2024 – October 2025", False),
        ("Sources", True),
        ("Police recorded crime: November 2022 – October 2025", False),
        ("Run and data version", True),
        (RUN, False),
        ("Notes and columns", True),
        ("Each table is on a sheet of its own, under its title and notes: its period, source and the run.", False),
        ("The Contents sheet lists every table, with a link to its sheet.", False),
        ("The Columns sheet, the last, gives each column's heading in words and its name in the CSV and Parquet "
         "files.", False),
        ("[c] marks a value withheld to protect small numbers; a blank cell has no data.", False)]
    assert ws.max_column == 1 and not ws.merged_cells.ranges and not ws.tables
    assert ws["A3"].alignment.wrap_text and ws.column_dimensions["A"].width > 100   # a long line wraps in column A
    assert MARKING in ws.oddHeader.center.text and MARKING in ws.oddFooter.left.text


def test_contents_is_an_excel_table_of_links_under_its_title_and_notes(workbook):
    ws = workbook["Contents"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [
        (MARKING, None, None),
        ("Kent tables: contents", None, None),
        ("Each sheet after this one holds one table: its name (a link to it), the table's title and the section of "
         "the workbook it is in.", None, None),
        (RUN, None, None),
        ("Sheet name", "Table title", "Section"),
        ("Table_1_01", "All crime: rolling 12 months, Kent and districts", "1. Safer neighbourhoods"),
        ("Monthly_series", "Headline measures by month", "Monthly series"),
        ("Gaps", "Months missing", "Annex: data quality"),
        (COLUMNS, "Headings and column names", "Column names")]
    (table,) = ws.tables.values()
    assert (table.name, table.ref, [c.name for c in table.tableColumns]) == (
        "Contents", "A5:C9", ["Sheet name", "Table title", "Section"])
    assert [ws.cell(r, 1).hyperlink.location for r in range(6, 10)] == [
        "'Table_1_01'!A1", "'Monthly_series'!A1", "'Gaps'!A1", "'Columns'!A1"]
    assert ws.freeze_panes is None


def test_each_table_is_right_under_its_notes_without_the_marking_and_run_on_every_row(workbook):
    ws = workbook["Table_1_01"]
    rows = list(ws.iter_rows(values_only=True))
    # the marking, title, notes and run above the table, one a row, no blank row between them and the headings
    assert [row[0] for row in rows[:5]] == [
        MARKING, "All crime: rolling 12 months, Kent and districts",
        "Period (rolling 12 months): November 2024 – October 2025 compared with November 2023 – October 2024",
        "Source: police recorded crime (data to October 2025)", RUN]
    assert rows[5:] == [("Area", "Count, latest period", "Columns suppressed"), ("Kent", 10, None),
                        ("Dover", 2, None), ("Thanet", "[c]", "Count, latest period")]
    assert dict(ws.tables.items()) == {"Table_1_01": "A6:C9"}
    assert [row[0] for row in workbook["Monthly_series"].iter_rows(max_row=4, values_only=True)] == [
        MARKING, "Headline measures by month", RUN, "Area"]
    assert dict(workbook["Monthly_series"].tables.items()) == {"Monthly_series": "A4:C6"}
    # with no rows, a line saying so and a filter on the headings right under the notes
    assert [row[0] for row in workbook["Gaps"].iter_rows(values_only=True)] == [
        MARKING, "Months missing", "None this month", "This table has no rows in this run.", RUN, "Area"]
    assert workbook["Gaps"].auto_filter.ref == "A6:C6"
    for ws in workbook.worksheets:
        assert ws.freeze_panes is None, ws.title
        assert ws["A1"].value == MARKING, ws.title
        for table in ws.tables.values():
            assert not {"Protective marking", "Produced by run"} & {c.name for c in table.tableColumns}, ws.title
    # the Columns sheet lists neither, and says the files have them on every row
    listed = list(workbook[COLUMNS].iter_rows(values_only=True))
    assert listed[3] == ("The CSV and Parquet files also give each row's protective marking and run "
                         "(protective_marking, produced_by_run): this workbook states them above each table instead, "
                         "not on every row.", None)
    assert [row[1] for row in listed[listed.index(("Heading in this workbook",
                                                   "Column name in the CSV and Parquet files")) + 1:]] == [
        "area_name", "current_value", "suppressed_columns"]


@pytest.mark.parametrize("name", ["1.04 Theft (excluding…", "Table 1", "1_04", "Table_1_04_theft_excluding_shoplifting",
                                  "Table-1"])
def test_a_sheet_name_a_formula_would_quote_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match="sheet names must start with a letter and hold only letters, digits and "
                                         "underscores, at most 31 characters"):
        write_workbook(tmp_path / "t.xlsx", [Sheet(name, "Title", _rows(1))], MARKING, "T", STAMP)


def test_a_sheet_name_used_twice_ignoring_case_is_refused(tmp_path):
    with pytest.raises(ValueError, match="a sheet name used twice"):
        write_workbook(tmp_path / "t.xlsx", [Sheet("Gaps", "Title", _rows(1)), Sheet("gaps", "Title", _rows(1))],
                       MARKING, "T", STAMP)
    with pytest.raises(ValueError, match="a sheet name used twice"):
        write_workbook(tmp_path / "t.xlsx", [Sheet("cover", "Title", _rows(1))], MARKING, "T", STAMP)


def test_text_shaped_as_a_formula_or_a_link_is_a_text_cell(tmp_path):
    """A partner's value (a file name "=HYPERLINK(…)") in a workbook is a text cell, never a formula or a link: the
    workbooks need no apostrophe, unlike the CSV files (security review)."""
    path = tmp_path / "tables.xlsx"
    rows = pd.DataFrame({"file_name": ["=HYPERLINK(\"http://example.org\",\"x\")", "@SUM(1+1)", "http://example.org"]})
    write_workbook(path, [Sheet("Deliveries", "Deliveries", rows)], marking=MARKING, title="t", stamp=STAMP)
    ws = openpyxl.load_workbook(path)["Deliveries"]
    cells = [c for row in ws.iter_rows() for c in row if c.value in rows["file_name"].tolist()]
    assert [(c.value, c.data_type, c.hyperlink) for c in cells] == [(v, "s", None) for v in rows["file_name"]]


def test_the_time_in_the_workbooks_properties_is_the_runs_local_time_in_utc(tmp_path, monkeypatch):
    """The run's time is the machine's local time, and a workbook states its creation in UTC: a run at 12:00 in
    British Summer Time was stated as 12:00Z, an hour late (reproducibility review)."""
    import time
    import zipfile

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        write_workbook(tmp_path / "t.xlsx", [Sheet("Table_1", "A table", _rows(2))], "OFFICIAL-SENSITIVE", "Title",
                       dt.datetime(2025, 7, 1, 12, 0))
    finally:
        monkeypatch.undo()
        time.tzset()
    core = zipfile.ZipFile(tmp_path / "t.xlsx").read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2025-07-01T11:00:00Z</dcterms:created>' in core
