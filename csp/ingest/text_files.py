"""Text encodings partners send: UTF-8, with or without a byte-order mark, and Windows-1252.

DuckDB reads UTF-8 (a BOM included) but not Windows-1252, so such a file is transcoded into a
UTF-8 copy in a temporary folder; the delivery itself is only ever read.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import threading
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from csp.ingest.errors import UnreadableDelivery
from csp.ingest.headers import HEADER_SEARCH_ROWS, find_header

BOM = codecs.BOM_UTF8
CHUNK = 1 << 20
# the most columns a header row may have: DuckDB's reader took minutes to hours over a file of 20,000 (a header line
# of ~200 KB), 1,000 take seconds, and every source's layout has under 100
MAX_COLUMNS = 1_000


@dataclass(frozen=True)
class Utf8Text:
    path: Path         # a UTF-8 file DuckDB can read: the delivery itself or a transcoded copy
    encoding: str      # the delivery's own encoding, in words


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def as_utf8(path: Path, workdir: Path) -> Utf8Text:
    """The delivery as UTF-8 text: itself when it is UTF-8, else a Windows-1252 transcoding."""
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
    if b"\x00" in head:
        raise UnreadableDelivery("the file is not a text file (it holds binary data, or is UTF-16 text): "
                                 "send CSV in UTF-8 or Windows-1252, or an Excel .xlsx workbook")
    if _is_utf8(path):
        return Utf8Text(path, "UTF-8 with byte-order mark" if head.startswith(BOM) else "UTF-8")
    copy = workdir / "transcoded.utf8.csv"   # not named after the delivery: a name near 255 bytes would be too long
    if head.startswith(BOM):
        return _mixed(path, copy)
    try:
        with path.open(encoding="cp1252", newline="") as src, copy.open("w", encoding="utf-8", newline="") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
    except UnicodeDecodeError as exc:
        raise UnreadableDelivery(f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{exc.object[exc.start]:02X} "
                                 "cannot be read): send it as UTF-8") from exc
    return Utf8Text(copy, "Windows-1252")


def uniform_line_breaks(text: Utf8Text, workdir: Path) -> Utf8Text:
    """The text with its line breaks of one kind. DuckDB refuses a file whose line breaks are of more than one kind
    (CR LF and LF: rows added in another editor, files joined) outside quoted values ("The CSV Parser state machine
    reached an invalid state"), so such a file is read through a copy with each CR LF and lone CR made LF, as
    line_breaks() counts them (one line each: row and line numbers stay the file's); a line break inside a quoted
    value of such a file is made LF too."""
    if len(kinds := _line_break_kinds(text.path)) < 2:
        return text
    copy = workdir / "line_breaks.utf8.csv"   # not named after the delivery, whose name may be near 255 bytes
    with text.path.open("rb") as src, copy.open("wb") as dst:
        for chunk in _whole_line_breaks(src):
            dst.write(chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    return Utf8Text(copy, f"{text.encoding}, line breaks mixed ({' and '.join(sorted(kinds))}) read as LF")


def _line_break_kinds(path: Path) -> set[str]:
    """The kinds of line break in the file: "CR LF", "LF", "CR"."""
    kinds: set[str] = set()
    with path.open("rb") as fh:
        for chunk in _whole_line_breaks(fh):
            crlf = chunk.count(b"\r\n")
            for kind, n in (("CR LF", crlf), ("LF", chunk.count(b"\n") - crlf), ("CR", chunk.count(b"\r") - crlf)):
                if n:
                    kinds.add(kind)
    return kinds


def _whole_line_breaks(fh) -> Iterator[bytes]:
    """The file's bytes in chunks none of which ends with a CR whose LF begins the next."""
    held = b""
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        chunk = held + chunk
        held = b"\r" if chunk.endswith(b"\r") else b""
        yield chunk[:-1] if held else chunk
    if held:
        yield held


def _mixed(path: Path, copy: Path) -> Utf8Text:
    """A file that says it is UTF-8 (it starts with the byte-order mark) but holds bytes that are not: a
    Windows-1252 value pasted into a UTF-8 file. Read as UTF-8, each such byte as Windows-1252 (read whole
    as Windows-1252, the mark would become three letters in front of the first column's name, and every
    accented letter two others)."""
    _read_as_cp1252.bytes = 0
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors=_FALLBACK)
    with path.open("rb") as src, copy.open("w", encoding="utf-8", newline="") as dst:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))
    n = _read_as_cp1252.bytes
    return Utf8Text(copy, f"UTF-8 with byte-order mark, {n} byte{'s' if n != 1 else ''} not UTF-8 read as Windows-1252")


_FALLBACK = "csp-cp1252-fallback"
_read_as_cp1252 = threading.local()   # bytes the handler read, per thread: a file is transcoded in one


def _as_cp1252(exc: UnicodeDecodeError) -> tuple[str, int]:
    try:
        text = exc.object[exc.start:exc.end].decode("cp1252")
    except UnicodeDecodeError as bad:
        raise UnreadableDelivery(f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{bad.object[0]:02X} "
                                 "cannot be read): send it as UTF-8") from None
    _read_as_cp1252.bytes += exc.end - exc.start
    return text, exc.end


codecs.register_error(_FALLBACK, _as_cp1252)


def header_row(path: Path) -> list[str]:
    """The first line's fields, cleaned: no BOM or spaces around; blanks and repeats given distinct names
    (DuckDB needs one name per column; the contract then reports them as unrecognised)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            first = next(csv.reader(fh), None)
        except csv.Error as e:   # a field over the csv module's size limit: no header row, whatever it is
            raise UnreadableDelivery("the file's first line is not a header row: a field of it is longer than "
                                     f"{csv.field_size_limit():,} characters (is it a data file?)") from e
    if not first or not any(h.strip() for h in first):
        raise UnreadableDelivery("the file has no header row (its first line is blank)")
    if len(first) > MAX_COLUMNS:
        raise UnreadableDelivery(f"the file's header row has {len(first):,} columns: the most read is {MAX_COLUMNS:,} "
                                 "(every source's layout has under 100); send the columns of the extract only")
    headers: list[str] = []
    for i, raw in enumerate(first, start=1):
        name = raw.strip() or f"column {i}"
        base, n = name, 1
        while name in headers:
            n += 1
            name = f"{base} ({n})"
        headers.append(name)
    return headers


@dataclass(frozen=True)
class LineShape:
    lines: int    # the file's lines, as DuckDB reads them (line_breaks), the last counted whether or not it ends with one
    widest: int   # the most fields a row has, counted only on a line of MAX_COLUMNS commas or more (0 where none is)


def line_shape(path: Path) -> LineShape:
    """The file's lines and widest row, in one read of it (a batch of plain CSVs needs both of every file, ~2 ms a MB
    each read apart). The widest row: a data row far wider than its header held DuckDB's reader as a wide header
    did, which records each field past the header's as rejected in a time growing with their square (one row of
    200,000 fields, a file of 400 KB: 95 s to read; a million fields, ~40 minutes)."""
    breaks, last, widest, open_line = 0, b"", 0, []   # open_line: the pieces of a line not yet ended
    with path.open("rb") as fh:
        for chunk in _whole_line_breaks(fh):
            breaks, last = breaks + line_breaks(chunk), chunk[-1:]
            ends = max(chunk.rfind(b"\n"), chunk.rfind(b"\r")) + 1
            if not ends:   # a line longer than a chunk: joined once it ends, not again with every chunk
                open_line.append(chunk)
                continue
            started = sum(map(len, open_line))
            text = b"".join([*open_line, chunk]) if open_line else chunk
            widest = max(widest, _widest(text, started + ends))
            open_line = [chunk[ends:]] if ends < len(chunk) else []
    rest = b"".join(open_line)
    return LineShape(breaks + (0 if last in (b"\n", b"\r", b"") else 1), max(widest, _widest(rest, len(rest))))


def _widest(data: bytes, end: int) -> int:
    """The most fields of a row among the lines of data[:end] (whole lines) with MAX_COLUMNS commas or more; the
    lines that short cannot hold as many are found in numpy, not one by one in Python."""
    codes = np.frombuffer(data, np.uint8, count=end)
    bounds = np.concatenate(([-1], np.flatnonzero((codes == 10) | (codes == 13)), [end]))
    widest = 0
    for i in np.flatnonzero(np.diff(bounds) > MAX_COLUMNS):
        line = data[bounds[i] + 1:bounds[i + 1]]
        if line.count(b",") >= MAX_COLUMNS:
            text = line.decode("utf-8", "replace")
            try:
                fields = max(len(row) for row in csv.reader(io.StringIO(text, newline="")))
            except (csv.Error, ValueError):   # a field over the csv module's limit: count its commas
                fields = line.count(b",") + 1
            widest = max(widest, fields)
    return widest


def refuse_wide_rows(path: Path) -> None:
    """Refuse, in words, a file with a row of more than MAX_COLUMNS fields (line_shape), before DuckDB reads it."""
    if (fields := line_shape(path).widest) > MAX_COLUMNS:
        raise UnreadableDelivery(f"a row of the file has {fields:,} fields: the most read is {MAX_COLUMNS:,} (every "
                                 "source's layout has under 100); send the columns of the extract only")


@dataclass(frozen=True)
class HeaderLine:
    line: int          # the line of the file the headers are on, as an editor numbers them
    matches: bool      # whether they match a layout of the contract
    lines_read: int    # the lines looked at to find it
    headers: list[str]


def header_line(path: Path, matches_contract: Callable[[list[str]], bool], errors: str = "strict") -> HeaderLine:
    """Where the file's headers are: its first line when that matches the contract (the one line read, as
    for nearly every file), else as in a workbook's sheet (headers.find_header) among its first 20 lines:
    the first that matches, else the first with anything in it. Each line is split on its own, so a quote
    not closed in a title line does not run on into the lines after it. errors="replace" reads a file
    in another encoding (Windows-1252) well enough to find its headers."""
    lines_read = 0

    def rows() -> Iterator[tuple[int, list[str]]]:
        nonlocal lines_read
        for lines_read, line in enumerate(islice(fh, HEADER_SEARCH_ROWS), start=1):
            yield lines_read, _fields(line)

    with path.open(encoding="utf-8-sig", errors=errors, newline="") as fh:
        found = find_header(rows(), matches_contract)
    if found is None and lines_read == 0:   # nothing but a byte-order mark (an empty file is refused before)
        raise UnreadableDelivery("the file is empty (it holds only a byte-order mark)")
    if found is None:
        raise UnreadableDelivery("the file has no header row (its first line is blank)" if lines_read == 1 else
                                 f"the file has no header row (its first {lines_read} lines are blank)")
    return HeaderLine(found[0], found[2], lines_read, found[1])


def _fields(line: str) -> list[str]:
    """A line's fields, stripped (a line of commas has none with anything in it); a line the csv module
    cannot split (a field over its size limit) as one field."""
    try:
        return [f.strip() for f in next(csv.reader([line]), [])]
    except csv.Error:
        return [line.strip()]


def from_line(path: Path, workdir: Path, line: int) -> tuple[Path, list[str]]:
    """A UTF-8 copy of the file from `line` on, and the lines above it as received. A copy rather than
    DuckDB's `skip`, which reads a quote in a title line as opening a value (`Crimes "recorded` took the
    rest of the file with it, no row read and none rejected)."""
    copy = workdir / f"from_line_{line}.csv"   # not named after the delivery, whose name may be near 255 bytes
    with path.open(encoding="utf-8-sig", newline="") as src, copy.open("w", encoding="utf-8", newline="") as dst:
        above = list(islice(src, line - 1))   # lines as DuckDB counts them: CR LF, LF or CR alone ends one
        shutil.copyfileobj(src, dst, CHUNK)
    return copy, above


def title_lines_words(line: int, above: list[str]) -> str:
    """The lines above a CSV's headers, in words: each with something in it quoted (without the trailing
    separators of a spreadsheet's export), the blank ones counted."""
    titles = [t[:100] + ("…" if len(t) > 100 else "") for text in above
              if not re.fullmatch(r'[\s,"]*', text) and (t := text.strip().rstrip(", \t"))]
    blank = len(above) - len(titles)
    named = [f"'{t}'" for t in titles] + ([f"{blank} blank line{'s' if blank > 1 else ''}"] if blank else [])
    listed = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else named[0]
    lines = f"the {len(above)} lines above them were" if len(above) > 1 else "the line above them was"
    return (f"the headers are on line {line}; {lines} ignored, not read as rows: {listed} (rows are numbered "
            f"from the headers: row 1 is line {line + 1})")


def ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        return fh.read(1) in (b"\n", b"\r")


def line_breaks(data: bytes) -> int:
    """The line breaks in `data`, as DuckDB reads them: CR LF, LF, or CR alone."""
    returns = data.count(b"\r")
    return data.count(b"\n") + returns - (data.count(b"\r\n") if returns else 0)   # most files have no CR


def lines_in(data: bytes) -> int:
    """The lines of `data`, as line_shape counts a file's."""
    return line_breaks(data) + (0 if data.endswith((b"\n", b"\r")) else 1)


# a line break with another straight after it, so an empty line between (a CR LF's CR is not a break of its own)
EMPTY_LINE = re.compile(rb"(?:\r\n|\r(?!\n)|\n)(?=[\r\n])")
LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def empty_lines(data: bytes) -> int:
    """The lines of `data` with nothing on them, which DuckDB skips rather than read as rows."""
    return len(EMPTY_LINE.findall(data))


def longest_line(data: bytes) -> int:
    """The bytes of the longest line of `data`."""
    return max(map(len, LINE_BREAK.split(data)))
