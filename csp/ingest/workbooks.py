"""Excel workbooks (.xlsx) sent instead of CSV: one sheet written out as a UTF-8 CSV copy, every
value as text, so the workbook lands through the same reader as any CSV.

The sheet is the one with a row, among its top 20, that matches a layout of the source's contract
(title rows above a table are common; two such sheets refuse the workbook); else the first sheet with
anything in it, headed by its first non-empty row. Dates become ISO text (YYYY-MM-DD, with HH:MM:SS when there is a time), whole
numbers lose Excel's '.0'.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from csp.ingest.errors import UnreadableDelivery
from csp.ingest.headers import find_header


@dataclass(frozen=True)
class SheetCopy:
    path: Path
    sheet: str
    header_row: int    # the sheet's row number holding the headers
    matches: bool      # whether they match the contract (else they are the first sheet's first non-empty row)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(ws) -> Iterator[list[str]]:
    for row in ws.iter_rows(values_only=True):
        yield [cell_text(v) for v in row]


def _header(ws, matches_contract: Callable[[list[str]], bool]) -> tuple[int, list[str], bool] | None:
    """(row number, headers, whether they match the contract): the first of the sheet's top rows that
    matches, else its first non-empty row (headers.find_header); None for an empty sheet."""
    return find_header(enumerate(_rows(ws), start=1), matches_contract)


# a part of a workbook that unpacks to more than UNPACK_BYTES, and to more than UNPACK_RATIO times its packed size, is
# refused unread: a workbook of 1.9 MB unpacking to 500 MB of sheet held a refresh for 155 s and 1.6 GB (security
# review), and a bigger one would hold it for hours. A real sheet's XML packs 5-20 times; Kent's monthly extracts
# unpack to ~10 MB
UNPACK_BYTES = 100 * 2**20
UNPACK_RATIO = 100


def _refuse_bomb(fh) -> None:
    """Refuse a workbook a part of which unpacks as no sheet of data does (UNPACK_BYTES, UNPACK_RATIO): sizes as the
    archive states them, which also bound what is read of each part."""
    try:
        parts = zipfile.ZipFile(fh).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return   # openpyxl says what is wrong with it
    finally:
        fh.seek(0)
    for part in parts:
        if part.file_size > UNPACK_BYTES and part.file_size > UNPACK_RATIO * max(part.compress_size, 1):
            raise UnreadableDelivery(
                f"the Excel workbook's {part.filename} unpacks to {part.file_size / 2**20:,.0f} MB from "
                f"{part.compress_size / 2**20:,.1f} MB ({part.file_size // max(part.compress_size, 1):,} times), as a "
                f"compressed-file bomb does (a sheet of data packs 5-20 times): not read. Send the rows as CSV, or "
                "the workbook saved again from Excel")


@contextlib.contextmanager
def _opened(path: Path):
    import openpyxl

    with path.open("rb") as fh:   # a handle, so a workbook named .csv opens too
        _refuse_bomb(fh)
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnreadableDelivery(f"the Excel workbook could not be opened (damaged, cut short or password "
                                     f"protected): {exc}") from exc
        for ws in wb.worksheets:
            # read every row and cell the sheet holds, not those its stated size (<dimension>) covers: a tool that
            # writes a stale one ("A1:D2" on 20 rows) had the rows past it dropped without a word
            ws.reset_dimensions()
        try:
            yield wb
        finally:
            wb.close()


def sheet_as_csv(path: Path, workdir: Path, matches_contract: Callable[[list[str]], bool]) -> SheetCopy:
    with _opened(path) as wb:
        return _copy_sheet(wb, path, workdir, matches_contract)


def matching_headers(path: Path, matches: Callable[[list[str]], bool]) -> list[str] | None:
    """The headers of the first sheet with a row among its top rows that `matches` accepts, or None."""
    with _opened(path) as wb:
        return next((found[1] for ws in wb.worksheets if (found := _header(ws, matches)) and found[2]), None)


def _copy_sheet(wb, path: Path, workdir: Path, matches_contract: Callable[[list[str]], bool]) -> SheetCopy:
    headed = [(ws, found) for ws in wb.worksheets if (found := _header(ws, matches_contract))]
    if not headed:
        raise UnreadableDelivery("the Excel workbook has no sheet with anything in it")
    matching = [ws.title for ws, h in headed if h[2]]
    if len(matching) > 1:   # one read, the others' rows lost without a word: a month in parts, say
        raise UnreadableDelivery(
            f"the Excel workbook has {len(matching)} sheets with this source's columns "
            f"({', '.join(repr(t) for t in matching)}): one sheet of a workbook is read, and which should be "
            "cannot be told. Put the rows in one sheet, or send each sheet as a file of its own")
    ws, (header_at, headers, matched) = next(((ws, h) for ws, h in headed if h[2]), headed[0])
    copy = workdir / "sheet.csv"   # not named after the delivery, whose name may be near 255 bytes
    width = len(headers)
    with copy.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        for number, row in enumerate(_rows(ws), start=1):
            if number < header_at:
                continue
            # cells past the header's width are kept only when they hold something (a malformed row)
            while len(row) > width and not row[-1]:
                row.pop()
            out.writerow(row + [""] * (width - len(row)))
    return SheetCopy(copy, ws.title, header_at, matched)
