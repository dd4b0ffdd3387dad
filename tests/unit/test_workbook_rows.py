"""FrameSheet writes a table's rows as xlsxwriter's own per-cell calls would, byte for byte."""
import datetime as dt
import zipfile
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from csp.publish import workbook_rows
from csp.publish.workbook import Sheet, write_workbook

STAMP = dt.datetime(2025, 11, 5, 6, 0)


def _frame(rows: int) -> pd.DataFrame:
    i = np.arange(rows)
    return pd.DataFrame({
        "district": [["Dover", "Thanet", "Swale & <Sheppey>", 'the "county"', ""][k % 5] for k in i],
        "month": pd.to_datetime([f"2024-{k % 12 + 1:02d}-01" if k % 7 else None for k in i]),
        "count": i * 37,
        "rate": [k / 3 if k % 4 else np.nan for k in i],
        "tiny_and_huge": [(-1) ** k * 10.0 ** (k % 40 - 20) for k in i],
        "nullable": pd.array([k if k % 3 else None for k in i], dtype="Int64"),
        "mixed": [["text", dt.date(2023, 1, 1), np.float64(2.5), 7, None, pd.Timestamp("2024-02-01"), "Dover"][k % 7]
                  for k in i],
        "empty": [None] * rows,
        "headline": [k % 5 == 0 for k in i],
        "maybe": pd.array([None if k % 6 == 0 else k % 2 == 0 for k in i], dtype="boolean"),
        "mixed_too": [[True, "no", 3.5, np.bool_(False)][k % 4] for k in i],
        "": ["ü – ✓"] * rows,
    })


def _workbook(tmp_path, name, sheets, *, fast: bool, monkeypatch) -> dict[str, bytes]:
    taken = []
    real = workbook_rows.FrameSheet.write_frame

    def write_frame(self, *args):
        taken.append(real(self, *args) if fast else False)
        return taken[-1]

    monkeypatch.setattr(workbook_rows.FrameSheet, "write_frame", write_frame)
    path = tmp_path / name
    write_workbook(path, sheets, "OFFICIAL-SENSITIVE", "Test tables", STAMP, produced="run 1")
    monkeypatch.setattr(workbook_rows.FrameSheet, "write_frame", real)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    return {"taken": taken, "parts": parts, "bytes": path.read_bytes()}


def _same_both_ways(tmp_path, monkeypatch, sheets):
    fast = _workbook(tmp_path, "fast.xlsx", sheets, fast=True, monkeypatch=monkeypatch)
    slow = _workbook(tmp_path, "slow.xlsx", sheets, fast=False, monkeypatch=monkeypatch)
    for name, xml in slow["parts"].items():
        assert fast["parts"][name] == xml, name
    assert fast["bytes"] == slow["bytes"]
    return fast["taken"]


def test_every_kind_of_value_gives_xlsxwriters_own_bytes(tmp_path, monkeypatch):
    frame = _frame(70).drop(columns="headline")   # (a bool column cannot hold None)
    frame.loc[40:44, :] = None   # rows with nothing in them are left out altogether
    sheets = [
        Sheet("Values", "Every kind of value", frame, notes=["one note", "another"], group="Aim 1"),
        # 14 notes: the header row shares a block of 16 rows with the table's first rows
        Sheet("Shared_block", "Header in the table's first block", _frame(20), notes=["n"] * 14, group="Aim 1"),
        # nothing in the first and last columns: the shared block's span is the header's, the later ones narrower
        Sheet("Sparse_edges", "Values in the middle column only", _frame(40)[["empty", "count", "rate", "empty"]]
              .set_axis(["none", "count", "rate", "none either"], axis=1), notes=["n"] * 3, group="Aim 1"),
        Sheet("Long_notes", "Header in a later block", _frame(3), notes=["n"] * 30, group="Aim 2"),
        Sheet("No_rows", "An empty table", _frame(0), group="Aim 2"),
        Sheet("Strings_again", "Strings shared with earlier sheets", frame[["district", ""]].iloc[::-1], group="Aim 2"),
    ]
    assert _same_both_ways(tmp_path, monkeypatch, sheets) == [True] * 6 + [True]   # and the Columns sheet


@pytest.mark.parametrize("column", [
    [1.0, float("inf"), 2.0],                  # infinity: an error value
    ["short", "x" * 20000, None],              # may need cutting to Excel's longest string
    [dt.time(6, 0), None, None],               # a type write() dispatches
    [Decimal("1.5"), None, 2],
])
def test_values_it_does_not_take_are_written_cell_by_cell_with_the_same_result(tmp_path, monkeypatch, column):
    frame = pd.DataFrame({"a": [1, 2, 3], "odd": pd.Series(column, dtype=object if None in column else None)})
    sheets = [Sheet("Odd", "A value FrameSheet leaves to xlsxwriter", frame)]
    assert _same_both_ways(tmp_path, monkeypatch, sheets) == [False, True]   # and the Columns sheet, taken


def test_a_table_with_no_date_gives_the_date_format_no_style(tmp_path, monkeypatch):
    """xlsxwriter's own calls make the date format one of the workbook's styles only when a date is
    written: a workbook whose tables hold none has no such style either way."""
    sheets = [Sheet("No_dates", "Text and numbers only", _frame(20)[["district", "count", "rate"]])]
    assert _same_both_ways(tmp_path, monkeypatch, sheets) == [True, True]   # and the Columns sheet
