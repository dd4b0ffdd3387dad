"""The PDF's contents page, laid out in the document's one build.

A heading's page is known only once the heading is placed, pages after the contents are drawn.
reportlab's TableOfContents builds the whole document twice for it, the first time only to learn
the page numbers. Here each entry draws its page number as a form XObject (named page content,
which a PDF may use before it is defined) and the document defines the form as it places the
heading (`define_page_number`). The entries are known before the build, so the contents take the
same room whatever the numbers; the dot leaders stop at a column wide enough for any page number.
An entry's leader and number are drawn after its text (_Entry), so that they follow it in the page's
content: text is read in that order (a screen reader, a copy), and each number then goes with its entry.
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
        ends: list[tuple[float, float]] = []

        def ended(canv, _kind: str, _label: str) -> None:   # called where an entry's text ends, before it is drawn
            ends.append((canv._curr_tx_info["cur_x"], canv._curr_tx_info["cur_y"]))

        self.canv.setNamedCB(_CALLBACK, ended)
        rows = [[_Entry(Paragraph(f'<a href="#{key}">{escape(text)}</a><onDraw name="{_CALLBACK}" label="{key}"/>',
                                  self.styles[level]), self.styles[level], key, available_width, ends)]
                for level, text, key in self.entries]
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


class _Entry(Flowable):
    """A contents entry: its paragraph, then the dot leader from where its text ends (`ends`, which the
    paragraph's callback appends to as it is drawn) and its page number."""

    def __init__(self, paragraph: Paragraph, style: ParagraphStyle, key: str, width: float,
                 ends: list[tuple[float, float]]):
        super().__init__()
        self.paragraph, self.style, self.key, self.line_width, self.ends = paragraph, style, key, width, ends

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.paragraph.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)
        _draw_leader(self.canv, self.style, self.key, self.line_width, *self.ends.pop())


def _draw_leader(canv, style: ParagraphStyle, key: str, width: float, x: float, y: float) -> None:
    """Dots from (x, y), where the entry's text ends, to the page number's column, then the page number."""
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
