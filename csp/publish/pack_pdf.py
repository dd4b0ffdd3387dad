"""The assessment pack as PDF (reportlab: pure Python, no system libraries).

Laid out from the same Pack as the HTML. The protective marking is drawn at the top and bottom of
every page by the page template, so no page can leave without it. Fonts are the DejaVu family that
ships inside matplotlib: the charts and the text match, and symbols such as √, χ² and ≥ print.
"""
from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table as RLTable, TableStyle)

from csp.publish.markdown_blocks import blocks
from csp.publish.model import Pack, Table
from csp.publish.pdf_cell import CellText
from csp.publish.pdf_contents import Contents, define_page_number
from csp.publish.pdf_png import PngImage

MARGIN = 20 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN          # 170 mm: the width the charts are drawn at
FONT, BOLD, ITALIC, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSansMono"


def _register_fonts() -> None:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in (FONT, BOLD, ITALIC, "DejaVuSans-BoldOblique", MONO):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="DejaVuSans-BoldOblique")


_register_fonts()
rl_config.useA85 = 0   # binary image streams: ASCII85 only makes the file bigger, and is slow in pure Python

STYLES = {
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, spaceAfter=5),
    "finding": ParagraphStyle("finding", fontName=FONT, fontSize=9.5, leading=13.5, spaceAfter=4, leftIndent=10,
                              bulletIndent=0, bulletFontName=FONT),
    "note": ParagraphStyle("note", fontName=FONT, fontSize=7.5, leading=10, textColor=colors.HexColor("#333333"),
                           spaceAfter=2),
    "caption": ParagraphStyle("caption", fontName=ITALIC, fontSize=8, leading=10, spaceAfter=8),
    "h1": ParagraphStyle("h1", fontName=BOLD, fontSize=16, leading=20, spaceBefore=4, spaceAfter=10),
    "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=6),
    "h3": ParagraphStyle("h3", fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=4,
                         keepWithNext=1),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5),
    "cell_num": ParagraphStyle("cell_num", fontName=FONT, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
    "head": ParagraphStyle("head", fontName=BOLD, fontSize=7.5, leading=9.5),
    "head_num": ParagraphStyle("head_num", fontName=BOLD, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
    "cover_title": ParagraphStyle("cover_title", fontName=BOLD, fontSize=24, leading=30, spaceBefore=30, spaceAfter=12),
    "stamp": ParagraphStyle("stamp", fontName=BOLD, fontSize=16, leading=20, borderWidth=2, borderColor=colors.black,
                            borderPadding=8, alignment=1, spaceAfter=12),
    "toc1": ParagraphStyle("toc1", fontName=FONT, fontSize=9.5, leading=14),
    "toc2": ParagraphStyle("toc2", fontName=FONT, fontSize=8.5, leading=12, leftIndent=14),
}
CELL_PADDING = 2 * 4 + 1          # left and right padding (set in _table), and a point to spare
GREY_HEAD, GREY_ROW, GREY_RULE = colors.HexColor("#D9D9D9"), colors.HexColor("#F2F2F2"), colors.HexColor("#999999")


class _Heading(Paragraph):
    """A heading that appears in the contents and the PDF's bookmarks."""

    def __init__(self, text: str, level: int, key: str):
        super().__init__(escape(text), STYLES["h1" if level == 0 else "h2" if level == 1 else "h3"])
        self.toc_level, self.key, self.plain = level, key, text


class _Document(BaseDocTemplate):
    def __init__(self, path: Path, pack: Pack, contents: Contents):
        super().__init__(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=f"{pack.marking}: {pack.title}", author="CSP assessment pipeline",
                         subject=pack.marking, keywords=[pack.marking], creator="csp-assessment", lang="en-GB",
                         displayDocTitle=1,   # a viewer shows the title (and marking), not the file name
                         invariant=1)   # no time stamps or random ids: the same pack gives the same bytes
        self.pack, self.contents = pack, contents
        frame = Frame(MARGIN, MARGIN, FRAME_WIDTH, A4[1] - 2 * MARGIN, id="text", leftPadding=0, rightPadding=0)
        self.addPageTemplates([PageTemplate("cover", [frame], onPage=self._marking),
                               PageTemplate("body", [frame], onPage=self._marking_and_footer)])

    def _marking(self, canv: canvas.Canvas, _doc) -> None:
        canv.saveState()
        canv.setFont(BOLD, 10)
        canv.drawCentredString(A4[0] / 2, A4[1] - 11 * mm, self.pack.marking)
        canv.drawCentredString(A4[0] / 2, 7 * mm, self.pack.marking)
        canv.restoreState()

    def _marking_and_footer(self, canv: canvas.Canvas, doc) -> None:
        self._marking(canv, doc)
        canv.saveState()
        canv.setFont(FONT, 7)
        canv.drawString(MARGIN, 12.5 * mm, self.pack.title)
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.toc_level, closed=True)
            if self.contents.lists(flowable.toc_level):
                define_page_number(self.canv, self.contents.styles, flowable.toc_level, flowable.key, self.page)


class _NumberedCanvas(canvas.Canvas):
    """Writes 'Page n of N' once the number of pages is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 7)
            self.drawRightString(A4[0] - MARGIN, 12.5 * mm, f"Page {number} of {len(self._pages)}")
            super().showPage()
        super().save()


def write_pdf(pack: Pack, path: Path, html_name: str) -> Path:
    """Built once: the contents' page numbers are filled in as the headings are placed (pdf_contents).
    `html_name`: the pack as a web page beside it, which the cover points screen-reader users to."""
    contents = Contents([STYLES["toc1"], STYLES["toc2"]])

    def heading(text: str, level: int, key: str) -> _Heading:
        if contents.lists(level):
            contents.add(level, text, key)
        return _Heading(text, level, key)

    story: list[Flowable] = [*_cover(pack, html_name), NextPageTemplate("body"), PageBreak(),
                             Paragraph("Contents", STYLES["h1"]), contents, PageBreak()]
    story += _summary(pack, heading("Executive summary", 0, "summary"))
    for section in pack.sections:
        story += [PageBreak(), heading(section.title, 0, section.anchor), Paragraph(escape(section.intro), STYLES["body"])]
        for summary in section.summaries:
            story += _table(summary)
        for m in section.measures:
            story += [CondPageBreak(60 * mm),
                      KeepTogether([heading(m.measure.name, 1, m.anchor), *_findings(m.findings)])]
            story += _table(m.table)
            story += [KeepTogether([PngImage(c.png, FRAME_WIDTH), Paragraph(escape(c.caption), STYLES["caption"])])
                      for c in m.charts]
    story += [PageBreak(), heading("Methods", 0, "methods"), *_markdown(pack.methods_markdown)]
    story += [PageBreak(), heading("Annex: data quality", 0, "data-quality")]
    story += [Paragraph(escape(n), STYLES["body"]) for n in pack.quality_notes]
    for t in pack.quality:
        story += _table(t)
    _Document(path, pack, contents).build(story, canvasmaker=_NumberedCanvas)
    return path


def _cover(pack: Pack, html_name: str) -> list[Flowable]:
    scope = ("" if pack.scope.is_county
             else f": {pack.scope.area_name}, with {pack.scope.county_name} as its comparator")
    return [
        Spacer(1, 20 * mm),
        Paragraph(escape(pack.marking), STYLES["stamp"]),
        Paragraph(escape(pack.title), STYLES["cover_title"]),
        Paragraph(escape(f"Assessment pack for the Community Safety Partnership Working Group{scope}."), STYLES["body"]),
        Paragraph("Period", STYLES["h2"]),
        *_findings(pack.periods),
        Spacer(1, 6 * mm),
        Paragraph(escape(f"{pack.produced}."), STYLES["body"]),
        Spacer(1, 6 * mm),
        Paragraph(escape(f"{pack.marking}: for the partnership's Working Group and the analysts who support it. Do not "
                         "forward or publish; small numbers can identify people. The tables behind every figure are in "
                         "the workbook published with this pack."), STYLES["body"]),
        # reportlab writes no tagged PDF (no structure a screen reader can follow, no alternative text for charts)
        Paragraph(escape(f"For a screen reader or magnifier, read {html_name} beside this file: the same pack as a web "
                         "page, its tables marked up and its charts described."), STYLES["body"]),
    ]


def _summary(pack: Pack, heading: _Heading) -> list[Flowable]:
    out: list[Flowable] = [heading, Paragraph(escape(pack.summary_line), STYLES["body"])]
    for group in pack.key_findings:
        out += [KeepTogether([Paragraph(escape(group.title), STYLES["h3"]), *_findings(group.sentences)])]
    return out


def _findings(sentences: list[str]) -> list[Flowable]:
    return [Paragraph(escape(s), STYLES["finding"], bulletText="•") for s in sentences]


def _table(table: Table | None, markup: bool = False) -> list[Flowable]:
    """A table with its title above, heading row repeated on each page, notes below. `markup`:
    the cells are already reportlab markup (the methods), not plain text."""
    if table is None:
        return []
    text = (lambda s: s) if markup else escape
    head = [Paragraph(text(c), STYLES["head_num" if num else "head"]) for c, num in zip(table.columns, table.numeric)]
    cell = Paragraph if markup else CellText
    body = [[cell(str(v), STYLES["cell_num" if num else "cell"]) for v, num in zip(row, table.numeric)]
            for row in table.rows]
    out: list[Flowable] = [Paragraph(escape(table.title), STYLES["h3"])] if table.title else []
    if body:
        grid = RLTable([head, *body], colWidths=_widths(table), repeatRows=1, hAlign="LEFT")
        grid.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), GREY_HEAD),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, GREY_ROW]),
            ("GRID", (0, 0), (-1, -1), 0.4, GREY_RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]))
        out.append(grid)
    out += [Paragraph(escape(n), STYLES["note"]) for n in table.notes]
    out.append(Spacer(1, 4 * mm))
    return out


def _widths(table: Table) -> list[float]:
    """Column widths that fill the frame: numbers never wrap, headings and text wrap only between
    words, and spare width goes to the columns whose text would otherwise wrap most."""
    def width(text: str, font: str = FONT) -> float:
        return pdfmetrics.stringWidth(re.sub(r"<[^>]+>", "", text), font, STYLES["cell"].fontSize) + CELL_PADDING

    def longest_word(text: str, font: str = FONT) -> float:
        return max((width(word, font) for word in re.sub(r"<[^>]+>", "", text).split()), default=width(""))

    natural, smallest = [], []
    for i, (heading, numeric) in enumerate(zip(table.columns, table.numeric)):
        cells = [str(row[i]) for row in table.rows]
        natural.append(max([width(heading, BOLD), *(width(c) for c in cells)]))
        smallest.append(max([longest_word(heading, BOLD), *((width(c) if numeric else longest_word(c)) for c in cells)]))
    if sum(natural) <= FRAME_WIDTH:
        return [FRAME_WIDTH * w / sum(natural) for w in natural]
    spare = FRAME_WIDTH - sum(smallest)
    if spare <= 0:   # cannot fit even word by word: shrink everything alike
        return [FRAME_WIDTH * w / sum(smallest) for w in smallest]
    wants = [n - s for n, s in zip(natural, smallest)]
    return [s + spare * w / sum(wants) for s, w in zip(smallest, wants)]


def _markdown(markdown: str) -> list[Flowable]:
    """The methods note: headings, paragraphs, bullet lists and tables."""
    out: list[Flowable] = []
    for b in blocks(markdown):
        if b.kind == "heading" and b.level > 1:
            out.append(Paragraph(_inline(b.html), STYLES["h3"]))
        elif b.kind == "paragraph":
            out.append(Paragraph(_inline(b.html), STYLES["body"]))
        elif b.kind == "list":
            out += [Paragraph(_inline(item), STYLES["finding"], bulletText="•") for item in b.items]
        elif b.kind == "table":
            out += _table(Table("", [_inline(h) for h in b.header], [[_inline(c) for c in r] for r in b.rows],
                                [False] * len(b.header)), markup=True)
    return out


def _inline(html: str) -> str:
    """Markdown's inline HTML as reportlab paragraph markup."""
    for tag, markup in (("strong", "b"), ("em", "i")):
        html = html.replace(f"<{tag}>", f"<{markup}>").replace(f"</{tag}>", f"</{markup}>")
    return html.replace("<code>", f'<font face="{MONO}">').replace("</code>", "</font>")
