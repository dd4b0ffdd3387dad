"""Text encodings partners send: UTF-8, with or without a byte-order mark, and Windows-1252.

DuckDB reads UTF-8 (a BOM included) but not Windows-1252, so such a file is transcoded into a
UTF-8 copy in a temporary folder; the delivery itself is only ever read.
"""
from __future__ import annotations

import codecs
import csv
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from csp.ingest.errors import UnreadableDelivery

BOM = codecs.BOM_UTF8
CHUNK = 1 << 20


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
    copy = workdir / f"{path.stem}.utf8.csv"
    if head.startswith(BOM):
        return _mixed(path, copy)
    try:
        with path.open(encoding="cp1252", newline="") as src, copy.open("w", encoding="utf-8", newline="") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
    except UnicodeDecodeError as exc:
        raise UnreadableDelivery(f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{exc.object[exc.start]:02X} "
                                 "cannot be read): send it as UTF-8") from exc
    return Utf8Text(copy, "Windows-1252")


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
        first = next(csv.reader(fh), None)
    if not first or not any(h.strip() for h in first):
        raise UnreadableDelivery("the file has no header row (its first line is blank)")
    headers: list[str] = []
    for i, raw in enumerate(first, start=1):
        name = raw.strip() or f"column {i}"
        base, n = name, 1
        while name in headers:
            n += 1
            name = f"{base} ({n})"
        headers.append(name)
    return headers


def ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        return fh.read(1) in (b"\n", b"\r")


def line_breaks(data: bytes) -> int:
    """The line breaks in `data`, as DuckDB reads them: CR LF, LF, or CR alone."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
