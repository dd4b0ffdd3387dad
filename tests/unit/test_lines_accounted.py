"""Every line of a CSV is a row read, a row set aside, or an empty line (csp/ingest/readers.py): what DuckDB reads
without complaint and yet loses is found. A quote run on to a stray quote closing it, where the row it makes has
the header's number of fields (_quote_run_on): DuckDB reads that row, the whole rows between the quotes one value
of it. A line too long for DuckDB's read buffer (_lines_not_read): it skips it without a word."""
from __future__ import annotations

import io

import duckdb
import openpyxl

import pytest

from csp.ingest.readers import read_into_landing

HEADER = "ref,date,group,lsoa\n"
ROWS = [f"R{i},2025-10-0{i},Burglary,E0102465{i}\n" for i in range(1, 7)]


def _land(path):
    with duckdb.connect() as con:
        return read_into_landing(con, path, lambda headers: headers[:2] == ["ref", "date"])


def test_a_quote_run_on_over_whole_rows_to_a_stray_quote_is_told_from_its_line(tmp_path):
    lines = list(ROWS)
    lines[1] = lines[1].replace(",Burglary,", ',"Burglary,')            # opens on line 3 (row 2)
    lines[4] = lines[4].replace(",Burglary,", ',Burglary",')            # closes in row 5: 4 fields again
    path = tmp_path / "run_on.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    landed = _land(path)
    assert (landed.rows_read, landed.malformed_rows) == (3, 0)        # rows 1, 2 (5's end in it), 6: 3 lost
    quote = landed.unclosed_quote
    assert (quote.row, quote.line, quote.lines_after, quote.to_the_end) == (2, 3, 3, False)


def test_a_quoted_line_break_with_a_few_commas_is_a_value(tmp_path):
    # 2 commas in the value, where a whole row brings 3: an address over two lines, not rows run together
    lines = list(ROWS)
    lines[2] = lines[2].replace(",Burglary,", ',"Burglary, shed,\nrear garden",')
    path = tmp_path / "line_break.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    landed = _land(path)
    assert (landed.rows_read, landed.unclosed_quote) == (6, None)


def test_a_workbook_cell_with_a_line_break_and_commas_is_a_value(tmp_path):
    # a workbook has no quotes to run on: its cells hold what was typed, line breaks and commas alike
    wb = openpyxl.Workbook()
    rows = [line.strip().split(",") for line in [HEADER, *ROWS]]
    rows[3][2] = "Burglary, shed, garage,\nrear garden"
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "cell.xlsx"
    path.write_bytes(out.getvalue())
    landed = _land(path)
    assert (landed.rows_read, landed.unclosed_quote) == (6, None)


@pytest.mark.parametrize("at_the_end", [False, True])
def test_a_line_longer_than_duckdb_reads_is_a_line_not_read(tmp_path, at_the_end):
    # 33 MB: over DuckDB's read buffer (~32 MB; a line of 3 MB is a malformed row, as asb_long_line.csv's)
    lines = list(ROWS)
    long = lines.pop(2).replace(",Burglary,", ",Burglary" + "x" * 33_000_000 + ",")
    lines.insert(len(lines) if at_the_end else 2, long.rstrip("\n") if at_the_end else long)
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    landed = _land(path)
    assert (landed.rows_read, landed.malformed_rows) == (5, 0)
    assert (landed.not_read.lines, landed.not_read.longest) == (1, len(long.rstrip("\n")))


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\r"])
def test_empty_lines_and_blank_rows_are_lines_accounted_for(tmp_path, breaks):
    # DuckDB skips an empty line (no row); a row of empty fields is a row, dropped as blank; a quoted line
    # break is a line of its row
    text = (HEADER + ROWS[0] + "\n" + ROWS[1] + ",,,\n\n\n" + ROWS[2].replace("Burglary", '"Burglary\nshed"')
            + ROWS[3] + "\n\n")
    path = tmp_path / "blank.csv"
    path.write_bytes(text.replace("\n", breaks).encode())
    landed = _land(path)
    assert (landed.rows_read, landed.blank_rows, landed.not_read) == (4, [3], None)


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("chunk", [16, 1 << 20])   # lines and line breaks cut across chunks, or read whole
def test_a_files_lines_and_widest_row_in_one_read(tmp_path, monkeypatch, breaks, chunk):
    """line_shape: the lines as DuckDB counts them, the last without a break; a row of more than MAX_COLUMNS fields
    (the batch path reads it alone, which refuses it) found where it spans chunks; a row of MAX_COLUMNS fields
    (a comma short of MAX_COLUMNS) not counted, too few to slow DuckDB down."""
    from csp.ingest import text_files
    from csp.ingest.text_files import MAX_COLUMNS, line_shape

    monkeypatch.setattr(text_files, "CHUNK", chunk)
    path = tmp_path / "wide.csv"
    wide, widest_read = ",".join(["x"] * (MAX_COLUMNS + 5)), ",".join(["y"] * MAX_COLUMNS)
    lines = [HEADER.strip(), *(r.strip() for r in ROWS[:3]), wide, "", ROWS[3].strip()]
    path.write_bytes(breaks.join(lines).encode())   # no break after the last line
    assert line_shape(path) == text_files.LineShape(lines=7, widest=MAX_COLUMNS + 5)
    path.write_bytes((breaks.join([HEADER.strip(), widest_read]) + breaks).encode())
    assert line_shape(path) == text_files.LineShape(lines=2, widest=0)
