"""The PDF's contents page, laid out in the document's one build.

A heading's page is known only once the heading is placed, pages after the contents are drawn.
reportlab's TableOfContents builds the whole document twice for it, the first time only to learn
the page numbers. Here each entry draws its page number as a form XObject (named page content,
which a PDF may use before it is defined) and the document defines the form as it places the
heading (`define_page_number`). The entries are known before the build, so the contents take the
same room whatever the numbers; the dot leaders stop at a column wide enough for any page number.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

NUMBER_COLUMN = "0000"   # the widest page number the dot leaders leave room for
LEADER = " . "
_CALLBACK = "contents_leader"


class Contents(Flowable):
    """One line per entry (`add`), in the order added, styled by level (`styles[level]`)."""

    def __init__(self, styles: list[ParagraphStyle]):
        super().__init__()
        self.styles = styles
        self.entries: list[tuple[int, str, str]] = []   # (level, text, key of its bookmark)
        self._table: Table | None = None

    def lists(self, level: int) -> bool:
        """Whether headings of `level` have entries: those with a style. A listed heading's page number
        must be defined as it is placed (define_page_number), or its entry draws an undefined form."""
        return level < len(self.styles)

    def add(self, level: int, text: str, key: str) -> None:
        self.entries.append((level, text, key))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        def leader(canv, _kind: str, label: str) -> None:   # called where an entry's text ends
            level, key = int(label.split(",", 1)[0]), label.split(",", 1)[1]
            _draw_leader(canv, self.styles[level], key, available_width)

        self.canv.setNamedCB(_CALLBACK, leader)
        rows = [[Paragraph(f'<a href="#{key}">{escape(text)}</a><onDraw name="{_CALLBACK}" label="{level},{key}"/>',
                           self.styles[level])] for level, text, key in self.entries]
        self._table = Table(rows, colWidths=(available_width,), style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        self.width, self.height = self._table.wrapOn(self.canv, available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return self._table.splitOn(self.canv, available_width, available_height)

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        self._table.drawOn(canvas, x, y, _sW)


def define_page_number(canv, styles: list[ParagraphStyle], level: int, key: str, page: int) -> None:
    """The page number of the heading `key` for its contents entry: call as the heading is placed."""
    style = styles[level]
    canv.beginForm(_form(key), lowerx=-stringWidth(NUMBER_COLUMN, style.fontName, style.fontSize),
                   lowery=-style.fontSize, upperx=0, uppery=style.fontSize)
    canv.setFont(style.fontName, style.fontSize)
    canv.setFillColor(style.textColor)
    canv.drawRightString(0, 0, str(page))
    canv.endForm()


def _draw_leader(canv, style: ParagraphStyle, key: str, width: float) -> None:
    """Dots from the end of the entry's text to the page number's column, then the page number."""
    x, y = canv._curr_tx_info["cur_x"], canv._curr_tx_info["cur_y"]
    column = width - stringWidth(NUMBER_COLUMN, style.fontName, style.fontSize)
    dot = stringWidth(LEADER, style.fontName, style.fontSize)
    dots = int((column - x) / dot)
    if dots > 0:
        text = canv.beginText(column - dots * dot, y)
        text.setFont(style.fontName, style.fontSize)
        text.setFillColor(style.textColor)
        text.textLine(dots * LEADER)
        canv.drawText(text)
    canv.saveState()
    canv.translate(width, y)
    canv.doForm(_form(key))
    canv.restoreState()


def _form(key: str) -> str:
    return f"contents-page-{key}"
