"""Excel workbooks that carry their protective marking: in every sheet's header and footer, in its first
cell, and in the file's properties. Written with xlsxwriter (no repair prompts in Excel).

Laid out as the Government Analysis Function's "Releasing statistics in spreadsheets" asks: a Cover sheet
first (what the workbook holds, its marking, periods, sources and run), a Contents sheet listing the tables
as an Excel table with links (when the sheets are grouped), then one table per sheet, each an Excel table
directly under its title and notes (no blank row, no frozen rows), and a last sheet, Columns. Sheet names
are short, start with a letter and hold only letters, digits and underscores ("Table_1_04"), so a formula
names a sheet without quotes; the full title is on the sheet and in the contents. A table's rows leave out
the marking and run the data files carry on every row (ROW_STAMP): the sheet states both above the table,
where a screen reader would otherwise read them out on every row."""
from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd
import xlsxwriter

from csp.publish.formats import SUPPRESSED_COLUMNS, join_words, withheld_rows
from csp.publish.headings import heading, warn_unlabelled
from csp.publish.workbook_rows import FrameSheet

# number formats by column name suffix / name (the name in the data files, never the heading in words)
PERCENT_COLUMNS = ("pct_change",)
RATE_PREFIXES = ("current_rate", "previous_rate")      # per 1,000 residents, with their interval limits
SHARE_PREFIXES = ("current_share", "previous_share")   # 0-1, shown as a percentage
PROBABILITY_COLUMNS = ("p_value", "q_value")
COVER = "Cover"       # the first sheet: what the workbook holds, its marking, periods, sources and run
CONTENTS = "Contents"
COLUMNS = "Columns"    # the last sheet: each heading in words and its column's name in the data files
COLUMNS_HEADINGS = ("Heading in this workbook", "Column name in the {files}")
# a withheld value in a workbook's cell, where the data files leave it blank: the Government Statistical
# Service's shorthand for confidential, so a blank cell means only "no data" (and a screen reader says so)
WITHHELD = "[c]"
NO_ROWS = "This table has no rows in this run."
# a row's withheld columns (SUPPRESSED_COLUMNS), by name in the data files, by heading in a workbook: this between
# two, as a heading may hold a comma ("Count, latest period")
HEADINGS_APART = "; "
# a heading wraps onto lines of about this many characters, unless its column's values are wider
HEADING_WIDTH = 20
LINE_HEIGHT = 15       # points, a line of Calibri 11
# every row's marking and run in the data files (a row extracted keeps them); a workbook states them above each
# table instead, in its first cell and notes, and in every header and footer
ROW_STAMP = ("protective_marking", "produced_by_run")
# a sheet's name: a letter first, then letters, digits and underscores, at most Excel's 31 characters (the
# Analysis Function's guidance: no spaces or other characters, which a formula must quote, nor a digit first)
SHEET_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
# the contents' table: each sheet after it, with a link; its title; the part of the workbook it is in
CONTENTS_HEADINGS = ("Sheet name", "Table title", "Section")


@dataclass
class Sheet:
    name: str                      # Excel sheet name (<= 31 characters)
    title: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)   # lines shown above the table (period, source...)
    group: str = ""                # the section it is listed under on the contents sheet (a strategic aim)


@dataclass
class Cover:
    """What the Cover sheet says beyond the marking, title, run and where to find the notes and columns: a
    line each, in column A."""
    about: list[str] = field(default_factory=list)     # what the workbook holds
    periods: list[str] = field(default_factory=list)   # the period(s) its tables cover
    sources: list[str] = field(default_factory=list)   # where the data come from


def write_workbook(path: Path, sheets: list[Sheet], marking: str, title: str, stamp: dt.datetime,
                   produced: str = "", files: str = "CSV and Parquet files", cover: Cover | None = None) -> None:
    """`stamp` is the time recorded in the file's properties: the run that produced the data,
    so the same data always gives the same bytes. A Cover sheet comes first (`cover`'s lines, the marking,
    `produced` and where the notes and columns are); sheets with a group get a contents sheet after it,
    listing them, with links, in a table. `produced` (the run and data version) is the last line above every
    sheet's table. Columns are headed in words (csp.publish.headings); a last sheet, Columns, gives each
    heading's column name in the `files` holding the same tables. Sheet names must be SHEET_NAME's, each once
    (ignoring case, as Excel does)."""
    _check_names([COVER, *([CONTENTS] if any(sheet.group for sheet in sheets) else []),
                  *(sheet.name for sheet in sheets), COLUMNS], path.name)
    # text is always written as text: a partner's value starting with "=" or "http" must not become a
    # formula or a link; in memory: no temporary files (faster, and nothing left in /tmp)
    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True, "remove_timezone": True, "in_memory": True,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({
        "title": title, "subject": marking, "keywords": marking, "category": marking,
        # the run's time is the machine's local time, and a workbook's is UTC (xlsxwriter writes it with a "Z")
        "comments": f"Protective marking: {marking}", "created": stamp.astimezone(dt.timezone.utc).replace(tzinfo=None),
        "author": "CSP assessment pipeline",
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
        "p": wb.add_format({"num_format": "0.0000"}),
        "share": wb.add_format({"num_format": "0.0%"}),
        "decimal": wb.add_format({"num_format": "#,##0.0"}),
    }
    every = list(dict.fromkeys(str(col) for sheet in sheets for col in sheet.frame.columns))
    warn_unlabelled(every, path.name)
    columns = _columns_sheet([n for n in every if n not in ROW_STAMP], files, [n for n in ROW_STAMP if n in every])
    contents = any(sheet.group for sheet in sheets)
    _cover(wb.add_worksheet(COVER), cover or Cover(), marking, title, produced, files, contents,
           SUPPRESSED_COLUMNS in every, marking_fmt, bold, wb.add_format({"bold": True, "font_size": 14}),
           wb.add_format({"text_wrap": True, "valign": "top"}))
    if contents:
        _contents(wb, [*sheets, columns], marking, title, produced, marking_fmt, bold, header_fmt)
    for sheet in [*sheets, columns]:
        _table(wb, sheet, marking, produced, bold, marking_fmt, header_fmt, formats)
    wb.close()


def _check_names(names: list[str], where: str) -> None:
    bad = [n for n in names if not SHEET_NAME.fullmatch(n)]
    if bad:
        raise ValueError(f"{where}: sheet names must start with a letter and hold only letters, digits and "
                         f"underscores, at most 31 characters: {', '.join(map(repr, bad))}")
    seen = [n.lower() for n in names]
    if len(set(seen)) < len(seen):
        raise ValueError(f"{where}: a sheet name used twice (Excel ignores case): {', '.join(names)}")


def _table(wb, sheet: Sheet, marking: str, produced: str, bold, marking_fmt, header_fmt, formats) -> None:
    """A sheet: the marking, title and notes (the run last), then the frame, its columns but ROW_STAMP headed
    in words (a number format and width for each column, chosen by its name in the frame), right under them."""
    ws = wb.add_worksheet(sheet.name, worksheet_class=FrameSheet)
    # a table with no rows says so: headings alone could be read as a table cut short
    notes = [*sheet.notes, *([NO_ROWS] if sheet.frame.empty else []), *([produced] if produced else [])]
    top = _above_table(ws, marking, sheet.title, sheet.title, notes, marking_fmt, bold)
    stamped = [c for c in ROW_STAMP if c in sheet.frame.columns]
    frame = sheet.frame.drop(columns=stamped) if stamped else sheet.frame
    frame = _suppressed_in_words(_withheld_marked(frame))
    headings = [heading(str(col)) for col in frame.columns]   # the Columns sheet's are words already
    sample = frame.head(200)   # a column's width is fitted to its first rows
    lines = 1
    for c, ((col, series), (_, first), text) in enumerate(zip(frame.items(), sample.items(), headings)):
        ws.write(top, c, text, header_fmt)
        kind = _kind(str(col), series)
        values = max((len(str(v)) for v in first), default=0)
        # a heading wraps between words: as wide as its values, its longest word, or HEADING_WIDTH
        words = max((len(w) for w in text.split()), default=0)
        width = min(max(max(values, words, min(len(text), HEADING_WIDTH)) + 2, 10), 60)
        ws.set_column(c, c, width, formats[kind])
        lines = max(lines, _lines(text, width))
    if lines > 1:   # tall enough for every heading's lines, whatever the reader's program does with wrapped text
        ws.set_row(top, lines * LINE_HEIGHT)
    if not ws.write_frame(top + 1, frame, formats["date"]):
        _write_cells(ws, top + 1, frame, formats["date"])
    # no frozen rows: with the notes above, they would fill a small screen or a zoomed one; an Excel table shows
    # its headings in place of the column letters once they scroll away
    if len(frame) and len(set(h.lower() for h in headings)) == len(headings):
        # Excel wants a data row and headings unlike each other
        _excel_table(ws, top, len(frame), headings, _table_name(sheet.name), header_fmt)
    elif len(frame.columns):
        ws.autofilter(top, 0, top + len(frame), len(frame.columns) - 1)


def _above_table(ws, marking: str, title: str, footer: str, notes: list[str], marking_fmt, bold) -> int:
    """A table's sheet down to its headings: the marking (header, footer with `footer`, first cell), the title and
    the notes, a line each in column A; printed landscape, a page wide, the headings on every page. Returns the
    headings' row: right under the notes, as a blank row between reads as the data's end to a reader's program."""
    _mark(ws, marking, footer)
    ws.write(0, 0, marking, marking_fmt)
    ws.write(1, 0, title, bold)
    for i, line in enumerate(notes):
        ws.write(2 + i, 0, line)
    top = 2 + len(notes)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
    return top


def _excel_table(ws, top: int, rows: int, headings: list[str] | tuple[str, ...], name: str, header_fmt) -> None:
    """`rows` rows under `headings` at row `top` as an Excel table, with its own filter: a screen reader reads each
    cell with its column's heading (the Analysis Function's guidance on spreadsheets)."""
    ws.add_table(top, 0, top + rows, len(headings) - 1, {
        "name": name, "style": "Table Style Light 1",
        "columns": [{"header": text, "header_format": header_fmt} for text in headings]})


def _table_name(sheet: str) -> str:
    """An Excel table's name, unique in the workbook and read out by some screen readers: its sheet's name (one
    table a sheet; a table's name may be its sheet's), unless Excel would take that for a cell ("A1", "R1C1")."""
    cell = re.fullmatch(r"[A-Za-z]{1,3}\d+|[RrCc]|[RrCc]\d+[RrCc]\d+", sheet)
    return f"Table_{sheet}" if cell else sheet


def _withheld_marked(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with WITHHELD in each value its row's suppressed_columns names (blank in the data files)."""
    if SUPPRESSED_COLUMNS not in frame:
        return frame
    named = {name for names in frame[SUPPRESSED_COLUMNS].dropna().unique() for name in str(names).split(", ")}
    marked = {}
    for col in sorted(named & set(map(str, frame.columns))):
        hidden = withheld_rows(frame, col).to_numpy(dtype=bool)
        if hidden.any():
            marked[col] = frame[col].astype(object).where(~hidden, WITHHELD)
    return frame.assign(**marked) if marked else frame


def _suppressed_in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its suppressed_columns naming the withheld columns by the headings the sheet gives them
    ("Count, latest period; Verdict"), not by their names ("current_value, verdict"), which the frame keeps
    for the data files written from it. Worked out once a distinct value: most rows share a few."""
    if SUPPRESSED_COLUMNS not in frame:
        return frame
    listed = frame[SUPPRESSED_COLUMNS]
    words = {names: HEADINGS_APART.join(heading(name) for name in names.split(", ")) if names else names
             for names in listed.dropna().unique()}
    return frame.assign(**{SUPPRESSED_COLUMNS: listed.map(words)}) if words else frame


def _lines(text: str, width: float) -> int:
    """The lines a bold heading takes in a column `width` characters wide (a bold character is taken
    as a tenth wider than the width's unit, less a character's margin)."""
    return len(textwrap.wrap(text, max(1, math.floor((width - 1) / 1.1)), break_long_words=False)) or 1


def _columns_sheet(names: list[str], files: str, stamped: list[str]) -> Sheet:
    """The sheet listing every column of the workbook's tables (`names`, each once, in the order they
    first come): its heading and its name. `stamped`: the ROW_STAMP columns the files have and the sheets
    state above their tables."""
    notes = [f"Each heading of this workbook's tables, and the name of its column in the {files}: the same tables "
             "under these names."]
    if stamped:
        notes.append(f"The {files} also give each row's " + join_words([_STAMP_WORDS[n] for n in stamped])
                     + f" ({', '.join(stamped)}): this workbook states them above each table instead, not on every row.")
    if SUPPRESSED_COLUMNS in names:
        notes.append(f"{heading(SUPPRESSED_COLUMNS)} names a row's withheld values by their headings in this workbook, "
                     f"separated by semicolons; the {files} name them by their column names, separated by commas.")
        notes.append(f"{WITHHELD} marks a value withheld to protect small numbers (blank in the {files}); a blank cell "
                     "has no data.")
    heading_words, name_words = COLUMNS_HEADINGS[0], COLUMNS_HEADINGS[1].format(files=files)
    frame = pd.DataFrame({heading_words: [heading(n) for n in names], name_words: names}, dtype=object)
    return Sheet(COLUMNS, "Headings and column names", frame, notes, "Column names")


_STAMP_WORDS = {"protective_marking": "protective marking", "produced_by_run": "run"}


def _write_cells(ws, first_row: int, frame: pd.DataFrame, date_fmt) -> None:
    """The frame's values cell by cell, for a table FrameSheet.write_frame does not take (and the
    reference its XML is tested against). Each column's type is settled once, so a number or a date
    goes straight to write_number / write_datetime rather than through write()'s per-cell dispatch.
    Missing values (NaN, NA, NaT, None) are left empty, as write_blank without a format does. Row by
    row, so strings are shared in the order Excel would list them."""
    columns = []
    for c, col in enumerate(frame.columns):
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            values, write = list(series.dt.to_pydatetime()), partial(ws.write_datetime, cell_format=date_fmt)
        elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            values, write = series.tolist(), ws.write_number
        else:
            values, write = series.tolist(), partial(_write_value, ws, date_fmt=date_fmt)
        columns.append((c, values, series.isna().tolist(), write))
    for i in range(len(frame)):
        r = first_row + i
        for c, values, missing, write in columns:
            if not missing[i]:
                write(r, c, values[i])


def _write_value(ws, r: int, c: int, value, date_fmt) -> None:
    """A value of a column of mixed or text type."""
    if isinstance(value, str):
        ws.write_string(r, c, value)
    elif isinstance(value, (dt.date, pd.Timestamp)):
        ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), date_fmt)
    else:
        ws.write(r, c, value.item() if hasattr(value, "item") else value)


def _mark(ws, marking: str, title: str) -> None:
    ws.set_header(f"&C&\"Calibri,Bold\"{marking}")
    ws.set_footer(f"&L{marking}&C{title}&RPage &P of &N")


def _cover(ws, cover: Cover, marking: str, title: str, produced: str, files: str, contents: bool, withheld: bool,
           marking_fmt, bold, title_fmt, wrap) -> None:
    """The first sheet: in column A, one item a row, under bold headings; no table, no merged cells."""
    _mark(ws, marking, COVER)
    where = ["Each table is on a sheet of its own, under its title and notes: its period, source and the run.",
             *(["The Contents sheet lists every table, with a link to its sheet."] if contents else []),
             f"The {COLUMNS} sheet, the last, gives each column's heading in words and its name in the {files}.",
             *([f"{WITHHELD} marks a value withheld to protect small numbers; a blank cell has no data."]
               if withheld else [])]
    lines = [(marking, marking_fmt), (title, title_fmt), *((line, None) for line in cover.about),
             ("Protective marking", bold),
             (f"{marking}: every sheet says so in its first cell and in its header and footer, and so do the file's "
              "properties.", None)]
    for words, items in [("Period covered", cover.periods), ("Sources", cover.sources),
                         ("Run and data version", [produced] if produced else []), ("Notes and columns", where)]:
        if items:
            lines += [(words, bold), *((item, None) for item in items)]
    for row, (text, cell_format) in enumerate(lines):
        ws.write_string(row, 0, text, *([cell_format] if cell_format else []))
    # a long line wraps within column A (Excel and LibreOffice fit the row's height), printed on the page with it
    ws.set_column(0, 0, 110, wrap)
    ws.fit_to_pages(1, 0)


def _contents(wb, sheets: list[Sheet], marking: str, title: str, produced: str, marking_fmt, bold,
              header_fmt) -> None:
    """The contents: each table's sheet (a link to it), its title and its section, as an Excel table under the
    workbook's title and a line saying what it lists."""
    ws = wb.add_worksheet(CONTENTS)
    notes = ["Each sheet after this one holds one table: its name (a link to it), the table's title and the "
             "section of the workbook it is in.", *([produced] if produced else [])]
    top = _above_table(ws, marking, f"{title}: contents", CONTENTS, notes, marking_fmt, bold)
    for i, sheet in enumerate(sheets, start=top + 1):
        ws.write_url(i, 0, f"internal:'{sheet.name}'!A1", string=sheet.name)
        ws.write_string(i, 1, sheet.title)
        ws.write_string(i, 2, sheet.group)
    _excel_table(ws, top, len(sheets), CONTENTS_HEADINGS, CONTENTS, header_fmt)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 90)
    ws.set_column(2, 2, 50)


def _kind(col: str, series: pd.Series) -> str:
    if col in PERCENT_COLUMNS:
        return "pct"
    if col.startswith(RATE_PREFIXES):
        return "rate"
    if col.startswith(SHARE_PREFIXES):
        return "share"
    if col in PROBABILITY_COLUMNS:
        return "p"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):   # counts are DOUBLE (KSI is a sum of probabilities)
        values = series.dropna()
        return "int" if (values == values.round()).all() else "decimal"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"
