"""Excel workbooks that carry their protective marking: in every sheet's header and footer, above
every table, and in the file's properties. Written with xlsxwriter (no repair prompts in Excel)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xlsxwriter

# number formats by column name suffix / name
PERCENT_COLUMNS = ("pct_change",)
RATE_SUFFIX = "_per_1000"


@dataclass
class Sheet:
    name: str                      # Excel sheet name (<= 31 characters)
    title: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)   # lines shown above the table (period, source...)


def write_workbook(path: Path, sheets: list[Sheet], marking: str, title: str, stamp: dt.datetime) -> None:
    """`stamp` is the time recorded in the file's properties: the run that produced the data,
    so the same data always gives the same bytes."""
    # text is always written as text: a partner's value starting with "=" or "http" must not become a
    # formula or a link; in memory: no temporary files (faster, and nothing left in /tmp)
    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True, "remove_timezone": True, "in_memory": True,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({
        "title": title, "subject": marking, "keywords": marking, "category": marking,
        "comments": f"Protective marking: {marking}", "created": stamp, "author": "CSP assessment pipeline",
    })
    wb.set_custom_property("Classification", marking)
    bold = wb.add_format({"bold": True})
    marking_fmt = wb.add_format({"bold": True, "font_color": "#9C0006", "font_size": 12})
    header_fmt = wb.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, "valign": "top"})
    formats = {
        "int": wb.add_format({"num_format": "#,##0"}),
        "rate": wb.add_format({"num_format": "0.00"}),
        "pct": wb.add_format({"num_format": "0.0"}),
        "text": wb.add_format({}),
        "date": wb.add_format({"num_format": "mmm yyyy"}),
    }
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name[:31])
        ws.set_header(f"&C&\"Calibri,Bold\"{marking}")
        ws.set_footer(f"&L{marking}&C{sheet.title}&RPage &P of &N")
        ws.write(0, 0, marking, marking_fmt)
        ws.write(1, 0, sheet.title, bold)
        for i, line in enumerate(sheet.notes):
            ws.write(2 + i, 0, line)
        top = 3 + len(sheet.notes)
        frame = sheet.frame
        for c, col in enumerate(frame.columns):
            ws.write(top, c, col, header_fmt)
            kind = _kind(col, frame[col])
            width = max(len(str(col)), *(len(str(v)) for v in frame[col].head(200))) if len(frame) else len(col)
            ws.set_column(c, c, min(max(width + 2, 10), 60), formats[kind])
        for r, row in enumerate(frame.itertuples(index=False), start=top + 1):
            for c, value in enumerate(row):
                if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
                    ws.write_blank(r, c, None)
                elif isinstance(value, (dt.date, pd.Timestamp)):
                    ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), formats["date"])
                else:
                    ws.write(r, c, value.item() if hasattr(value, "item") else value)
        ws.freeze_panes(top + 1, 0)
        if len(frame.columns):
            ws.autofilter(top, 0, top + len(frame), len(frame.columns) - 1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(top)
    wb.close()


def _kind(col: str, series: pd.Series) -> str:
    if col in PERCENT_COLUMNS:
        return "pct"
    if col.endswith(RATE_SUFFIX):
        return "rate"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"
