"""A worksheet that writes a table's rows as XML a column at a time, where xlsxwriter would go cell by
cell: a Kent refresh writes ~1.3 M cells into its workbooks, and xlsxwriter's per-cell calls cost
~8 µs a cell, about a sixth of the refresh's CPU.

The XML is xlsxwriter's own for the same values, byte for byte (tests/unit/test_workbook_rows.py
writes every kind of value both ways). That rests on xlsxwriter's internals, version 3.3.1 locked in
uv.lock: the worksheet's `_write_rows` (called while the workbook closes), `row_spans`, `col_info`,
`str_table`, `_check_dimensions`, `_convert_date_time` and `fh`. A value this writer does not take
(see `FrameSheet.write_frame`) leaves the table to xlsxwriter's per-cell calls.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# a longer string may need truncating to Excel's limit, which xlsxwriter's own call does
LONGEST_STRING = 16383
NUMBER, DATE, STRING, BOOLEAN = "number", "date", "string", "boolean"


@dataclass
class _Rows:
    first_row: int
    # per column: its index, its values' kinds (NUMBER, DATE, STRING, BOOLEAN or None where missing)
    # and values (a number, a date's Excel serial number, a shared string's index, or 1 / 0)
    columns: list[tuple[int, list, list]]
    present: np.ndarray       # rows x columns: where a value is written
    date_format: object


class FrameSheet(Worksheet):
    """A worksheet with at most one table written by `write_frame`, below every other cell."""

    def __init__(self):
        super().__init__()
        self._rows: _Rows | None = None

    def write_frame(self, first_row: int, frame: pd.DataFrame, date_format) -> bool:
        """The frame's values from `first_row` down, as `workbook._write_cells` writes them: numbers
        and text and booleans with the column's format, dates with `date_format`, missing values (NaN,
        NA, NaT, None) left empty. False, writing nothing, when a value needs xlsxwriter's own
        handling (infinity, a very long string, a type other than these) or the table would pass
        Excel's last row."""
        if self._rows is not None or first_row + len(frame) > self.xls_rowmax or len(frame.columns) > self.xls_colmax:
            return False
        kinds = []
        for col in frame.columns:
            kind = _kinds(frame[col])
            if kind is None:
                return False
            kinds.append(kind)
        columns = [(c, k, v) for c, (k, v) in enumerate(kinds)]
        present = np.array([[kind is not None for kind in k] for _, k, _ in columns], dtype=bool).T.reshape(
            len(frame), len(columns))
        # shared strings take their indices in the order xlsxwriter's calls would meet them: row by row
        text = [(c, k, v) for c, k, v in columns if STRING in k]
        for i in range(len(frame)) if text else ():
            for _, k, v in text:
                if k[i] is STRING:
                    v[i] = self.str_table._get_shared_string_index(v[i])
        for _, k, v in columns:
            for i, kind in enumerate(k):
                if kind is DATE:
                    v[i] = self._convert_date_time(v[i])
        rows, cols = np.nonzero(present)
        if len(rows):
            self._check_dimensions(first_row + int(rows.min()), int(cols.min()))
            self._check_dimensions(first_row + int(rows.max()), int(cols.max()))
        self._rows = _Rows(first_row, columns, present, date_format)
        return True

    def _write_rows(self) -> None:
        if self._rows is None:
            super()._write_rows()
            return
        first = self._rows.first_row
        if self.dim_rowmin is not None and self.dim_rowmin < first:
            # the rows above the table (marking, title, notes, header) as xlsxwriter writes them
            rowmax = self.dim_rowmax
            self.dim_rowmax = first - 1
            try:
                super()._write_rows()
            finally:
                self.dim_rowmax = rowmax
        else:
            self.row_spans = {}
            self._add_table_spans()
        self.fh.write(self._table_xml())

    def _calculate_spans(self) -> None:
        super()._calculate_spans()
        if self._rows is not None:
            self._add_table_spans()

    def _add_table_spans(self) -> None:
        """Each block of 16 rows' first and last column with a value (1-based), as xlsxwriter's
        `_calculate_spans` gives them: the table's cells join those of the rows above in a shared block."""
        present = self._rows.present
        blocks = (np.arange(len(present)) + self._rows.first_row) // 16
        for block in np.unique(blocks):
            cols = np.flatnonzero(present[blocks == block].any(axis=0))
            if not len(cols):
                continue
            low, high = int(cols.min()) + 1, int(cols.max()) + 1
            if int(block) in self.row_spans:
                a, b = map(int, self.row_spans[int(block)].split(":"))
                low, high = min(low, a), max(high, b)
            self.row_spans[int(block)] = f"{low}:{high}"

    def _table_xml(self) -> str:
        rows = self._rows
        numbers = [str(r + 1) for r in range(rows.first_row, rows.first_row + len(rows.present))]
        # the date format only where a date is written: xlsxwriter's own calls give it a style of the
        # workbook's (an xf index) only then, and a table with none (a Columns sheet) must not add one
        date = _style(rows.date_format) if any(DATE in kinds for _, kinds, _ in rows.columns) else ""
        cells = []
        for c, kinds, values in rows.columns:
            name = xl_col_to_name(c)
            # a number or text takes its column's format, as xlsxwriter's cell without a format of its own
            plain = _style(self.col_info[c].column_format if c in self.col_info else None)
            cells.append([
                "" if kind is None
                else f'<c r="{name}{number}"{plain} t="s"><v>{value}</v></c>' if kind is STRING
                else f'<c r="{name}{number}"{plain} t="b"><v>{value}</v></c>' if kind is BOOLEAN
                else f'<c r="{name}{number}"{date if kind is DATE else plain}><v>{value:.16G}</v></c>'
                for kind, value, number in zip(kinds, values, numbers)])
        out = []
        for i, row_cells in enumerate(zip(*cells)):
            if rows.present[i].any():
                r = rows.first_row + i
                out.append(f'<row r="{r + 1}" spans="{self.row_spans[r // 16]}">{"".join(row_cells)}</row>')
        return "".join(out)


def _style(cell_format) -> str:
    return "" if cell_format is None else f' s="{cell_format._get_xf_index()}"'


def _kinds(series: pd.Series) -> tuple[list, list] | None:
    """A column's values and each one's kind (None where missing), or None when one is not taken."""
    missing = series.isna().to_numpy()
    if pd.api.types.is_bool_dtype(series):
        return [None if m else BOOLEAN for m in missing], [0 if m else int(bool(v)) for v, m in zip(series.tolist(), missing)]
    if pd.api.types.is_datetime64_any_dtype(series):
        values = list(series.dt.to_pydatetime())
        return [None if m else DATE for m in missing], values
    if pd.api.types.is_numeric_dtype(series):
        values = series.tolist()
        if any(not m and math.isinf(v) for v, m in zip(values, missing)):
            return None
        return [None if m else NUMBER for m in missing], values
    kinds, values = [], series.tolist()
    for i, (value, m) in enumerate(zip(values, missing)):
        if m:
            kinds.append(None)
        elif isinstance(value, str):
            if len(value) > LONGEST_STRING:
                return None
            kinds.append(STRING)
        elif isinstance(value, (dt.date, pd.Timestamp)):
            kinds.append(DATE)
            values[i] = pd.Timestamp(value).to_pydatetime()
        else:
            # as xlsxwriter's write() dispatches on the exact type (a Decimal or other is not taken)
            value = value.item() if hasattr(value, "item") else value
            if type(value) is bool:
                kinds.append(BOOLEAN)
                values[i] = int(value)
            elif type(value) in (int, float) and not math.isinf(value):
                kinds.append(NUMBER)
                values[i] = value
            else:
                return None
    return kinds, values
