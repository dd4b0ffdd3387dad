"""CellText puts a table cell's text where a Paragraph would: the same strings at the same places."""
from __future__ import annotations

from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from csp.publish.pack_pdf import STYLES
from csp.publish.pdf_cell import CellText

ROWS = [
    ["Dover", "1,234", "+12.5%", "significant increase"],
    ["Folkestone  and Hythe", "7", "–", ""],                       # runs of spaces are one space
    ["Swale & <Sheppey>", "0.53", "-3.0%", "no significant change between the two periods at all"],  # wraps
    ["", "12,345,678", "n/a", "√ χ² ≥"],
]
NUMERIC = [False, True, True, False]


def _texts(tmp_path, cell) -> list[tuple[str, float, float]]:
    grid = Table([[cell(v, STYLES["cell_num" if n else "cell"]) for v, n in zip(row, NUMERIC)] for row in ROWS],
                 colWidths=[90, 60, 45, 80])
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ROWBACKGROUNDS", (0, 0), (-1, -1), ["white", "grey"]),
                              ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    path = tmp_path / f"{cell.__name__}.pdf"
    SimpleDocTemplate(str(path)).build([grid])
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # the text's origin on the page: its matrix times the current transformation
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text, round(x, 2), round(y, 2)))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return found


def test_cells_are_drawn_where_paragraphs_draw_them(tmp_path):
    def paragraph(text, style):
        return Paragraph(escape(text), style)

    def cell_text(text, style):
        return CellText(text, style)

    expected = _texts(tmp_path, paragraph)
    assert len(expected) >= 14   # every cell with text, the long one over two lines
    assert _texts(tmp_path, cell_text) == expected
