"""Reading a delivery file into the temporary `landing` table: every value as text, under the file's
own headers, each data row with its row number in the file.

What the reader answers for itself (deliveries.py decides what the delivery's status is):
- encoding: UTF-8 (a byte-order mark is dropped) or Windows-1252 (read through a UTF-8 copy);
- an Excel workbook (.xlsx, or a workbook named .csv): its sheet read as text (workbooks.py);
- title lines above a CSV's headers (its first line not a header row of the contract's, one of its first
  20 is): read from the headers on, as a workbook's sheet is, the lines above named in a note;
- rows the header's fields do not fit (too few, too many, a quote never closed, a line too long) are
  set aside in `landing_malformed`, the other rows read; a malformed last row in a file that does not
  end with a line break is a file cut short (`cut_row`);
- a quoted value not closed on its line runs on over the lines after it, to the next quote or to the
  end of the file, and those lines are read into that one row instead of as rows (DuckDB keeps only
  the first 10,000 characters of it): the lines of the file the rows do not account for say how far
  (`unclosed_quote`); run on to a stray quote closing it, where that makes a row of the header's fields, the
  row is read, a value of it holding whole rows' commas (`_quote_run_on`; not a workbook's, whose cells
  have no quotes to run on and may hold a line break and commas);
- rows with nothing in any field are dropped and counted (`blank_rows`): they hold no data.
Raw files are only ever read; copies go to a temporary folder removed after landing.
"""
from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from csp.ingest.errors import UnreadableDelivery
from csp.ingest.text_files import (as_utf8, empty_lines, ends_with_newline, from_line, header_line, header_row,
                                   line_breaks, lines_in, longest_line, refuse_wide_rows, title_lines_words,
                                   uniform_line_breaks)
from csp.ingest.headers import HEADER_SEARCH_ROWS
from csp.ingest.workbooks import matching_headers, sheet_as_csv
from csp.warehouse import run

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".csv", ".txt"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
ZIP_MAGIC = b"PK\x03\x04"   # an .xlsx is a zip file


@dataclass(frozen=True)
class UnclosedQuote:
    """A row whose quoted value is not closed on its line, so the lines after it were read into it."""
    row: int           # its data row number
    line: int          # the line of the file it begins on (the quote opens), as an editor numbers them
    lines_after: int   # the lines after it read into it rather than as rows
    to_the_end: bool   # they run to the end of the file: no row was read after it

    def words(self) -> str:
        lines = f"{self.lines_after:,} line{'s' if self.lines_after != 1 else ''}"
        if self.to_the_end:
            return (f"a quoted field opened on line {self.line} is never closed: the rest of the file ({lines}) "
                    "cannot be read as rows; fix the quote and send the file again")
        return (f"a quoted field opened on line {self.line} is not closed on that line: the {lines} after it "
                "were read into it, not as rows; fix the quote and send the file again")


@dataclass(frozen=True)
class LinesNotRead:
    """Lines of a file DuckDB neither read as rows nor rejected: it skips a line of more than about 32 MB
    without a word (found in December 2026: a row of 33 MB, in the middle of a file or at its end, was lost)."""
    lines: int
    longest: int   # bytes of the file's longest line

    def words(self) -> str:
        lines = f"{self.lines:,} line{'s' if self.lines != 1 else ''}"
        return (f"{lines} of the file could not be read, as rows or as rows set aside (its longest line is "
                f"{self.longest / 1e6:,.1f} MB: a line of more than about 32 MB is skipped): loading it would "
                "undercount its months; check the file and send it again")


@dataclass
class Landed:
    headers: list[str]
    file_type: str                  # how it was read, in words: "CSV, Windows-1252", "Excel workbook, sheet 'Crimes'"
    rows_read: int                  # rows in `landing` (blank rows already dropped)
    malformed_rows: int             # rows in `landing_malformed` that are not blank
    blank_rows: list[int] = field(default_factory=list)
    cut_row: int | None = None      # the last row, cut short: the file was truncated
    notes: list[str] = field(default_factory=list)   # warnings about how it was read
    unclosed_quote: UnclosedQuote | None = None   # the first row a quote not closed ran on from over other lines
    lines_above: int = 0            # a CSV's lines above its headers (title lines), not read as rows
    no_header_in: int = 0           # the top lines of a CSV, or rows of a workbook's sheets, none of which is a
                                    # header row of the contract's (the first with anything in it was read as the headers)
    headers_at: str = "line 1"      # where the headers were read: "line 4", "row 3 of sheet 'Data'"
    not_read: LinesNotRead | None = None   # lines of a CSV its rows do not account for (none: every line is)

    @property
    def rows_received(self) -> int:
        return self.rows_read + self.malformed_rows


def read_into_landing(con: duckdb.DuckDBPyConnection, path: Path,
                      matches_contract: Callable[[list[str]], bool]) -> Landed:
    """Land the file in temp tables `landing` and `landing_malformed`. `matches_contract(headers)` picks
    a workbook's sheet and finds the header row under title lines."""
    suffix = path.suffix.lower()
    if suffix == ".zip":   # as data.police.uk's downloads come
        raise UnreadableDelivery("the file is a zip archive: extract the CSV files it holds into this folder (the "
                                 "files themselves: a folder inside a source's folder is not read)")
    if suffix not in TEXT_SUFFIXES | WORKBOOK_SUFFIXES:
        raise UnreadableDelivery(f"files of type '{path.suffix or '(none)'}' are not accepted: send CSV or an "
                                 "Excel .xlsx workbook")
    if path.stat().st_size == 0:
        raise UnreadableDelivery("the file is empty (0 bytes)")
    is_workbook = _is_workbook(path)
    with tempfile.TemporaryDirectory(prefix="csp-landing-") as tmp:
        notes, header_note, above, no_header_in, headers_at = [], None, 0, 0, "line 1"
        if is_workbook:
            sheet = sheet_as_csv(path, Path(tmp), matches_contract)
            text_path, file_type = sheet.path, f"Excel workbook, sheet '{sheet.sheet}'"
            if suffix in TEXT_SUFFIXES:
                notes.append(f"the file is an Excel workbook named {suffix}; sheet '{sheet.sheet}' was read")
            no_header_in = 0 if sheet.matches else HEADER_SEARCH_ROWS
            headers_at = f"row {sheet.header_row} of sheet '{sheet.sheet}'"
            if sheet.header_row > 1:
                header_note = f"the headers are on {headers_at}; the rows above them were ignored"
        else:
            text = uniform_line_breaks(as_utf8(path, Path(tmp)), Path(tmp))
            text_path, file_type = text.path, f"CSV, {text.encoding}"
            header = header_line(text_path, matches_contract)
            no_header_in = 0 if header.matches else header.lines_read
            if header.line > 1:   # read from the headers on: row numbers count from them, as in a workbook
                text_path, lines = from_line(text_path, Path(tmp), header.line)
                above, header_note = len(lines), title_lines_words(header.line, lines)
            headers_at = f"line {header.line}"
        if header_note:
            notes.append(header_note)
            log.info("%s: %s: %s", path.parent.name, path.name, header_note)
        headers = header_row(text_path)
        refuse_wide_rows(text_path)   # before DuckDB, which takes hours over a row of a million fields
        _read(con, text_path, headers)
        unsplit = run(con, "ops/malformed_rows")
        malformed = [row for row, is_blank, _ in unsplit if not is_blank]
        rows_read = con.table("landing").shape[0]
        last_row = rows_read + len(unsplit)
        unclosed = (_unclosed_quote(con, text_path, above)
                    if any(quote for _, is_blank, quote in unsplit if not is_blank) else None
                    ) or (None if is_workbook else _quote_run_on(con, len(headers), above))
        not_read = None if unclosed or is_workbook else _lines_not_read(con, text_path)
        cut = last_row if malformed and malformed[-1] == last_row and not ends_with_newline(text_path) else None
        if unclosed and unclosed.row == cut:   # the quote ran on to the end, which has no line break
            cut = None
    dropped = [r[0] for r in run(con, "ops/drop_blank_rows")]
    blank = sorted(dropped + [row for row, is_blank, _ in unsplit if is_blank])
    if blank:
        notes.append(_blank_note(blank, last_row))
    return Landed(headers, file_type, rows_read - len(dropped), len(malformed), blank, cut, notes,
                  unclosed_quote=unclosed, lines_above=above, no_header_in=no_header_in, headers_at=headers_at,
                  not_read=not_read)


def headers_matching(path: Path, matches: Callable[[list[str]], bool]) -> list[str] | None:
    """The headers among the file's top rows (a CSV's first lines, a workbook's sheets' first rows) that `matches`
    accepts, or None: for finding whose a file that fits no layout of its own folder's source is."""
    try:
        if _is_workbook(path):
            return matching_headers(path, matches)
        found = header_line(path, matches, errors="replace")
    except UnreadableDelivery:
        return None
    return found.headers if found.matches else None


def _is_workbook(path: Path) -> bool:
    """An Excel workbook by its bytes (a zip file), whatever its name: a workbook named .csv is read as one."""
    with path.open("rb") as fh:
        return fh.read(4) == ZIP_MAGIC


def _read(con, path: Path, headers: list[str]) -> None:
    run(con, "ops/drop_landing_rejects")
    try:
        run(con, "ops/land_csv", {"path": str(path), "columns": {h: "VARCHAR" for h in headers}})
    except duckdb.Error as exc:
        raise UnreadableDelivery(f"the file could not be read as CSV: {str(exc).splitlines()[0]}") from exc
    run(con, "ops/land_numbered")


def _unclosed_quote(con, path: Path, lines_above: int) -> UnclosedQuote | None:
    """The first malformed row whose quoted value, not closed on its line, ran on over lines after it.
    DuckDB counts rows, not lines, and keeps only the first 10,000 characters of a row it rejects, so
    the lines it took are what is left of the file's lines once the line the row begins on (from its
    byte position), the lines before it and the lines of the rows after it are counted
    (sql/ops/unclosed_quotes.sql). A quoted value with line breaks in a row read takes its own lines
    and so is not taken for one; a row rejected for its number of fields received as more than one
    line is (a quote run on to a stray quote that closed it: its lines cannot be told from a quoted
    line break's); a row whose quote is not closed but on its own line (as the last line of a file)
    took no other line. Run only for a file
    with such a row: it reads the file again. `lines_above`: the delivery's lines above the copy `path`
    begins at (title lines), which the line it names counts."""
    rows = run(con, "ops/unclosed_quotes")
    data = path.read_bytes()
    lines = lines_in(data)
    for row, byte_position, lines_after in rows:
        line = line_breaks(data[:byte_position]) + 1
        taken = lines - line - int(lines_after)
        if taken > 0:
            return UnclosedQuote(row, lines_above + line, taken, to_the_end=lines_after == 0)
    return None


def _quote_run_on(con, fields: int, lines_above: int) -> UnclosedQuote | None:
    """The first row read whose quoted value ran on over whole rows to a stray quote closing it, making a row of
    the header's number of fields (sql/ops/quote_run_on_rows.sql); `lines_above` as for _unclosed_quote."""
    found = run(con, "ops/quote_run_on_rows", {"separators": fields - 1})
    if not found:
        return None
    row, line, lines_after = found[0]
    return UnclosedQuote(row, lines_above + int(line), int(lines_after), to_the_end=False)


def _lines_not_read(con, path: Path) -> LinesNotRead | None:
    """The lines of the file (from its headers on) that neither its rows read, blank ones included, nor its
    malformed rows account for (sql/ops/landing_lines.sql), its empty lines aside: DuckDB skips those, as it
    does a line too long for it. A quoted value holding an empty line counts it twice, and could hide as many
    lines not read: these sources' values hold none. Run before blank rows are dropped."""
    data = path.read_bytes()
    ((accounted,),) = run(con, "ops/landing_lines")
    missing = lines_in(data) - 1 - empty_lines(data) - int(accounted)
    return LinesNotRead(missing, longest_line(data)) if missing > 0 else None


def _blank_note(rows: list[int], last_row: int) -> str:
    trailing = rows == list(range(last_row - len(rows) + 1, last_row + 1))
    where = "at the end of the file" if trailing else "rows " + ", ".join(map(str, rows[:10])) + ("…" if len(rows) > 10 else "")
    return f"{len(rows)} blank row{'s' if len(rows) > 1 else ''} ({where}) ignored: they hold no data"
