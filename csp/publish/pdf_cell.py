"""A table cell's text in the PDF: drawn as one line where it fits, as a Paragraph where it wraps.

A pack's PDF has some 2,000 table cells, nearly all a number or a few words on one line. A reportlab
Paragraph parses its text as markup, breaks it into lines (the table asks about three times) and
draws it word by word: about two thirds of the cost of writing the PDF. A line that fits is drawn
here with one string at the place a Paragraph draws it (its baseline a font size below the top of a
box one `leading` tall; right-aligned to the width it is given), so the page looks the same
(tests/unit/test_pdf_cell.py reads the text's positions back from both).
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Flowable, Paragraph


class CellText(Flowable):
    """`text` (plain, not markup) in `style` (left or right aligned, no indents)."""

    def __init__(self, text: str, style: ParagraphStyle):
        super().__init__()
        if style.alignment not in (TA_LEFT, TA_RIGHT) or style.leftIndent or style.rightIndent or style.firstLineIndent:
            raise ValueError(f"CellText draws left- or right-aligned text without indents, not style {style.name}")
        self.text = " ".join(text.split())   # as a Paragraph joins its words
        self.style = style
        self._paragraph: Paragraph | None = None
        self._width = stringWidth(self.text, style.fontName, style.fontSize)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._width > available_width:   # more than a line: a Paragraph breaks it as it would
            self._paragraph = self._paragraph or Paragraph(escape(self.text), self.style)
            return self._paragraph.wrap(available_width, available_height)
        self._paragraph = None
        self.width, self.height = available_width, (self.style.leading if self.text else 0)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return self._paragraph.split(available_width, available_height) if self._paragraph else []

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        if self._paragraph:
            self._paragraph.drawOn(canvas, x, y, _sW)
        else:
            super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        if not self.text:
            return
        style, canvas = self.style, self.canv
        canvas.setFont(style.fontName, style.fontSize, style.leading)
        canvas.setFillColor(style.textColor)
        # reportlab's default places a Paragraph's first baseline a font size below its top, or an ascent
        drop = style.fontSize if rl_config.paraFontSizeHeightOffset else getAscentDescent(style.fontName, style.fontSize)[0]
        baseline = self.height - drop
        x = self.width - self._width if style.alignment == TA_RIGHT else 0
        canvas.drawString(x, baseline, self.text)
