"""The assessment pack as a tagged PDF (PDF/UA-1), laid out by Typst (the `typst` wheel: no system libraries).

Laid out from the same Pack as the HTML, by templates/pack.typ. The PDF is tagged: a screen reader
follows its headings, lists and tables (heading rows as header cells) and reads each chart's
alternative text; it is checked against PDF/UA-1 as it is written (Typst refuses to write a PDF that
breaks it, such as an image without alternative text). The protective marking is the page header and
footer of every page, and is in the cover's text and the document's title.

The pack goes to the template as JSON: no partner's or reader's string is ever read as Typst markup.
Fonts are the DejaVu family that ships inside matplotlib, and no other (the machine's fonts are
ignored): the charts and the text match, symbols such as √, χ² and ≥ print, and the same pack gives
the same bytes on any machine (no date is written).
"""
from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import typst
from matplotlib.ft2font import FT2Font, LoadFlags

from csp.publish.markdown_blocks import for_readers
from csp.publish.model import Chart, Pack, Table

TEMPLATE = Path(__file__).parent / "templates" / "pack.typ"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# only these: neither the machine's fonts nor those built into Typst (it has a DejaVu Sans Mono of its own)
_FONT_BOOK = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS)])
# a table's text (pack.typ's pack-table): its size, a cell's left and right insets and a point to spare, and the
# width tables are laid out in (A4 less 20 mm margins), in points
CELL_SIZE, CELL_PADDING, PAGE_WIDTH = 8.0, 2 * 3.5 + 1, (210 - 2 * 20) / 25.4 * 72
_CELL_FACES = {bold: FT2Font(str(FONTS / f"DejaVuSans{'-Bold' if bold else ''}.ttf")) for bold in (False, True)}
for _face in _CELL_FACES.values():
    _face.set_size(CELL_SIZE, 72)   # 72 dpi: a pixel is a point
AUTHOR = "CSP assessment pipeline"
STANDARD = "ua-1"
# The characters every face the text is set in can draw. PDF/UA refuses a character no font draws (Typst
# stops with an error): a partner's string holding one (a control character, an emoji) must not stop the
# pack, so each such character is shown as U+FFFD, the replacement character, a line break as a space, and
# an invisible formatting character (a byte-order mark, a zero-width space) not at all.
_GLYPHS = frozenset.intersection(*(frozenset(FT2Font(str(FONTS / f"{face}.ttf")).get_charmap())
                                   for face in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")))


def write_pdf(pack: Pack, path: Path, html_name: str) -> Path:
    """`html_name`: the pack as a web page beside it, which the cover names."""
    # Typst reads only files under its root: the charts are found from the folder holding them and the PDF
    root = Path(os.path.commonpath([path.parent.resolve(), *(c.png.parent.resolve() for c in _charts(pack))]))
    data = _shown(_document(pack, html_name, root))
    typst.compile(TEMPLATE.read_bytes(), output=str(path), root=str(root), font_paths=_FONT_BOOK,
                  ignore_system_fonts=True, sys_inputs={"pack": json.dumps(data, ensure_ascii=False)},
                  pdf_standards=STANDARD)
    return path


def _shown(value):
    """`value` (JSON data) with every string drawable (_GLYPHS), but a chart's path, which is not shown."""
    if isinstance(value, str):
        return _drawn(value)
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "path" else _shown(v) for k, v in value.items()}
    return value


def _drawn(text: str) -> str:
    """`text` as the PDF shows it: every character drawable (_character)."""
    return text if text.isascii() and text.isprintable() else "".join(map(_character, text))


def _character(c: str) -> str:
    kind = unicodedata.category(c)
    if c.isspace() and kind in ("Cc", "Zl", "Zp"):   # a tab or line break (a no-break space is kept)
        return " "
    if kind == "Cf":   # invisible: a byte-order mark, a zero-width space
        return ""
    return c if ord(c) in _GLYPHS and kind != "Cc" else "\ufffd"


def _charts(pack: Pack) -> list[Chart]:
    return [c for section in pack.sections for m in section.measures for c in m.charts]


def _document(pack: Pack, html_name: str, root: Path) -> dict:
    """What the template lays out, as plain JSON data."""
    return {
        "document_title": f"{pack.marking}: {pack.title}",
        "author": AUTHOR,
        "keywords": [pack.marking],
        "marking": pack.marking,
        "title": pack.title,
        "scope_line": pack.scope_line,
        "sample_line": pack.sample_line,
        "periods": pack.periods,
        "produced": f"{pack.produced}.",
        "handling": pack.handling,
        "html_line": f"The same pack as a web page, for a browser or to reflow at any size: {html_name}, beside this file.",
        "summary_line": pack.summary_line,
        "key_findings": [{"title": g.title, "sentences": g.sentences} for g in pack.key_findings],
        "sections": [{
            "title": s.title,
            "intro": s.intro,
            "summaries": [_table(t) for t in s.summaries],
            "measures": [{
                "name": m.measure.name,
                "findings": m.findings,
                "table": _table(m.table),
                "charts": [_chart(c, root) for c in m.charts],
            } for m in s.measures],
        } for s in pack.sections],
        "methods": _methods(pack.methods_markdown),
        "quality_notes": pack.quality_notes,
        "quality": [_table(t) for t in pack.quality],
    }


def _table(table: Table | None) -> dict | None:
    if table is None:
        return None
    return _grid(table.title, table.columns, [[str(v) for v in row] for row in table.rows], table.numeric, table.notes)


# A table at most this tall with its title and notes (points: its rows' tallest cells, wrapped at its columns'
# widths) is kept on one page: the page's 728 (A4 less 20 mm margins) with a tenth to spare for the estimate. A
# taller one breaks across pages, its heading row repeated.
WHOLE_TABLE_HEIGHT = 650
LINE_PITCH, ROW_INSETS = 10.1, 1.0   # a line at CELL_SIZE with pack.typ's leading; what a row adds (as drawn)


def _grid(title: str, columns: list, rows: list[list], numeric: list[bool], notes: list[str]) -> dict:
    widths, squeezed = _widths(columns, rows, numeric)
    return {"title": title, "columns": columns, "rows": rows, "numeric": numeric, "notes": notes, "widths": widths,
            "squeezed": squeezed, "whole": _height(columns, rows, widths, [title, *notes]) <= WHOLE_TABLE_HEIGHT}


def _height(columns: list, rows: list[list], widths: list[float], lines_around: list[str]) -> float:
    """A table's height in points with its title and notes (`lines_around`, across the page), about: each row
    (the heading row too) as tall as its most wrapped cell, a cell's text wrapped at its column's width with a
    fifth to spare for breaks between words."""
    def lines(cell, share: float, bold: bool) -> int:
        text = cell if isinstance(cell, str) else "".join(run["text"] for run in cell)
        room = max(share * PAGE_WIDTH - CELL_PADDING, 1.0)
        return max(1, math.ceil(1.2 * (_width(text, bold) - CELL_PADDING) / room))
    table = sum(ROW_INSETS + LINE_PITCH * max(lines(cell, share, bold) for cell, share in zip(row, widths))
                for row, bold in [(columns, True), *((row, False) for row in rows)])
    return table + sum(ROW_INSETS + LINE_PITCH * lines(text, 1.0, True) for text in lines_around)


def _widths(columns: list, rows: list[list], numeric: list[bool]) -> tuple[list[float], bool]:
    """Each column's share of the page's width: numbers never wrap, headings and text wrap only between words,
    and spare width goes to the columns whose text would otherwise wrap most. With them, whether the table is
    squeezed: too wide even with every column as narrow as its longest word. A cell is a string or, in the
    methods note, runs of text (_runs)."""
    def text(cell) -> str:
        return cell if isinstance(cell, str) else "".join(run["text"] for run in cell)

    def longest_word(s: str, bold: bool) -> float:
        return max((_width(word, bold) for word in s.split()), default=_width("", bold))

    natural, smallest = [], []
    for i, (heading, is_number) in enumerate(zip(columns, numeric)):
        cells, head = [text(row[i]) for row in rows], text(heading)
        natural.append(max([_width(head, True), *(_width(c, False) for c in cells)]))
        smallest.append(max([longest_word(head, True),
                             *((_width(c, False) if is_number else longest_word(c, False)) for c in cells)]))
    if sum(natural) <= PAGE_WIDTH:
        return [w / sum(natural) for w in natural], False
    spare = PAGE_WIDTH - sum(smallest)
    if spare <= 0:   # cannot fit even word by word: shrink every column alike
        return [w / sum(smallest) for w in smallest], True
    wants = [n - s for n, s in zip(natural, smallest)]
    return [(s + spare * w / sum(wants)) / PAGE_WIDTH for s, w in zip(smallest, wants)], False


@cache   # a cell is measured for its column's width and again for its row's height; most cells recur across tables
def _width(text: str, bold: bool) -> float:
    """A cell's width in points as pack.typ sets it: its text as drawn (a partner's tab or a character no font
    has, measured as what stands for it) at CELL_SIZE (without kerning) and its insets."""
    return sum(_advance(c, bold) for c in _drawn(text)) + CELL_PADDING


@cache
def _advance(c: str, bold: bool) -> float:
    face = _CELL_FACES[bold]
    return face.load_char(ord(c), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536


def _chart(chart: Chart, root: Path) -> dict:
    # a path from the root, as Typst reads it (with "/" whatever the machine)
    return {"path": "/" + chart.png.resolve().relative_to(root).as_posix(), "alt": chart.described(False),
            "caption": chart.caption}


def _methods(markdown: str) -> list[dict]:
    """The methods note's blocks, their inline HTML (strong, em, code) as runs of text."""
    out: list[dict] = []
    for b in for_readers(markdown):
        if b.kind == "heading":
            out.append({"kind": "heading", "text": _runs(b.html)})
        elif b.kind == "paragraph":
            out.append({"kind": "paragraph", "text": _runs(b.html)})
        elif b.kind == "list":
            out.append({"kind": "list", "items": [_runs(item) for item in b.items]})
        elif b.kind == "table":
            out.append({"kind": "table", "table": _grid("", [_runs(h) for h in b.header],
                                                        [[_runs(c) for c in r] for r in b.rows], [False] * len(b.header), [])})
    return out


class _Runs(HTMLParser):
    """Inline HTML as runs of text: {"text", and "bold", "italic", "code" or "href" where they apply}."""

    STYLES = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[dict] = []
        self.open: list[tuple[str, str | bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.STYLES:
            self.open.append((self.STYLES[tag], True))
        elif tag == "a":
            self.open.append(("href", dict(attrs).get("href") or ""))
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        key = "href" if tag == "a" else self.STYLES.get(tag)
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == key:
                del self.open[i]
                break

    def handle_data(self, data: str) -> None:
        data = re.sub(r"\s+", " ", data)   # as a browser shows it: a line break in the source is a space
        style = dict(self.open)
        if self.runs and {k: v for k, v in self.runs[-1].items() if k != "text"} == style:
            self.runs[-1]["text"] += data
        else:
            self.runs.append({"text": data, **style})


def _runs(html: str) -> list[dict]:
    parser = _Runs()
    parser.feed(html)
    parser.close()
    return parser.runs
