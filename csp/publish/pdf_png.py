"""A chart's PNG in the PDF as it is. A PNG's compressed rows (its IDAT data) are a valid PDF image
stream (FlateDecode with PNG predictors), so they are copied in rather than decoded and compressed
again, which is what reportlab's drawImage does and most of the cost of writing a PDF of charts.
Only what the charts are written as is accepted: 8-bit greyscale or RGB, not interlaced."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream
from reportlab.platypus import Flowable

SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOUR_SPACES = {0: ("DeviceGray", 1), 2: ("DeviceRGB", 3)}   # IHDR colour type: PDF colour space, samples a pixel


class PngImage(Flowable):
    """The PNG at `path`, drawn `width` points wide (its height in proportion)."""

    def __init__(self, path: Path, width: float):
        super().__init__()
        self.pixels, self.rows, self.colour, self.data = _read(path)
        self.name = f"png-{path.name}"   # a chart's file name is unique within its pack
        self.width, self.height = width, width * self.rows / self.pixels

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if not self.canv.hasForm(self.name):   # once per document, however often it is drawn
            self.canv._doc.addForm(self.name, _ImageXObject(self.pixels, self.rows, self.colour, self.data))
        self.canv.saveState()
        self.canv.scale(self.width, self.height)   # an image fills the unit square
        self.canv.doForm(self.name)
        self.canv.restoreState()


class _ImageXObject(PDFObject):
    def __init__(self, pixels: int, rows: int, colour: int, data: bytes):
        self.pixels, self.rows, self.colour, self.data = pixels, rows, colour, data

    def format(self, document) -> bytes:
        space, samples = COLOUR_SPACES[self.colour]
        return PDFStream(PDFDictionary({
            "Type": PDFName("XObject"), "Subtype": PDFName("Image"), "Width": self.pixels, "Height": self.rows,
            "ColorSpace": PDFName(space), "BitsPerComponent": 8, "Filter": PDFArray([PDFName("FlateDecode")]),
            "DecodeParms": PDFDictionary({"Predictor": 15, "Colors": samples, "BitsPerComponent": 8,
                                          "Columns": self.pixels}),
        }), self.data).format(document)


def _read(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, colour type, the IDAT chunks' data joined) of an 8-bit greyscale or RGB,
    non-interlaced PNG."""
    png = path.read_bytes()
    if not png.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    at, header, data = len(SIGNATURE), None, []
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        body = png[at + 8:at + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0]:
            raise ValueError(f"{path}: damaged {kind.decode('latin-1')} chunk")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            data.append(body)
        at += 12 + length
    if header is None or header[2] != 8 or header[3] not in COLOUR_SPACES or header[4:] != (0, 0, 0) or not data:
        raise ValueError(f"{path}: only 8-bit greyscale or RGB PNG files, not interlaced, can be copied into the PDF")
    return header[0], header[1], header[3], b"".join(data)
