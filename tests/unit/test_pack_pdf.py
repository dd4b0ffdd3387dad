"""The pack's PDF from a small hand-built Pack: partners' strings printed as they are (never read as
Typst markup), a character no font draws not stopping the pack, and the PDF tagged (PDF/UA-1) with the
same bytes each time."""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import PIL.Image
from pypdf import PdfReader

from csp.publish.model import (AimSection, Chart, KeyFindings, Measure, MeasureSection, Pack, Scope, Table)
from csp.publish.pack_pdf import write_pdf

MARKING = "OFFICIAL-SENSITIVE"
# every character Typst's markup gives a meaning to, and quotes, in a partner's string
AWKWARD = 'Smith & Sons #1 $5 *not bold* _not italic_ @ref <label> [box] back\\slash `code` "quoted" \'single\' = ~ -- ...'


def pack(tmp_path, finding: str = AWKWARD, cell: str = AWKWARD) -> Pack:
    (tmp_path / "charts").mkdir()
    png = tmp_path / "charts" / "m_trend.png"
    PIL.Image.fromarray(np.full((40, 80), 128, dtype=np.uint8)).save(png)
    measure = Measure("m", "Measure #1", 1, "bad", True, "police_crime", "count", False)
    table = Table(f"Table of {AWKWARD}", ["Area", "Count"], [[cell, "1,234"], ["Kent", "–"]], [False, True],
                  notes=[f"Note: {AWKWARD}"])
    chart = Chart("Trend", f"Source: {AWKWARD}", png, f"Alt text: {AWKWARD}",
                  Table("Trend: the figures", ["Month", "Count"], [["October 2025", "12"]], [False, True]),
                  "Monthly_series")
    return Pack(
        title=f"Kent <assessment> #{AWKWARD}",
        scope=Scope("county", "Kent", "Kent"),
        marking=MARKING,
        periods=[f"Period: {AWKWARD}"],
        produced="Produced by run r1",
        summary_line=f"Summary: {AWKWARD}",
        key_findings=[KeyFindings("1. Aim", [finding])],
        sections=[AimSection("1-aim", "1. Aim", f"Intro: {AWKWARD}", [table],
                             [MeasureSection(measure, "m", [finding], table, [chart])])],
        methods_markdown="# Methods\n\n## How *we* count\n\nA **bold** claim, an _aside_ and `code_name`; "
                         "a line\nbroken in the source.\n\n*Code:* `transforms/stats.py`.\n\n- one\n- two\n\n"
                         "| a | b |\n|---|---|\n| `x` | y |\n",
        quality=[table],
        quality_notes=[f"Quality: {AWKWARD}"],
        produced_at=dt.datetime(2026, 11, 23, 9),
        sample_line=f"Sample data, not real: {AWKWARD}",
    )


def text_of(path) -> str:
    return re.sub(r"[ \n]+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


def test_partners_strings_are_printed_as_they_are(tmp_path):
    path = write_pdf(pack(tmp_path), tmp_path / "pack.pdf", "pack.html")
    text = text_of(path)
    for words in (f"Sample data, not real: {AWKWARD}", f"Period: {AWKWARD}", f"Summary: {AWKWARD}", f"Intro: {AWKWARD}", f"Note: {AWKWARD}",
                  f"Quality: {AWKWARD}", f"Source: {AWKWARD}", f"Table of {AWKWARD}"):
        assert words in text, words
    # the methods' markdown: its title left to the section's heading, inline code and emphasis as text, a
    # line break in the source as a space
    assert "How we count" in text and "A bold claim, an aside and code_name; a line broken in the source." in text
    # a paragraph for the maintainers, where the method is in the code, is not the readers'
    assert "transforms/stats.py" not in text and "Code:" not in text
    assert PdfReader(path).metadata["/Title"] == f"{MARKING}: Kent <assessment> #{AWKWARD}"


def test_a_character_no_font_draws_does_not_stop_the_pack(tmp_path):
    # PDF/UA refuses a glyph no font has; a control character, a byte-order mark or a private-use
    # character in a partner's string is shown as the replacement character, or not at all: in a sentence,
    # and in a table's cell (a quarantined row's reason quotes the value), which is measured as it is shown
    odd = "\ufeffOdd\x00one\U000f0000,\ttabbed\nand a no-break\u00a0space"
    path = write_pdf(pack(tmp_path, odd, cell=f"Deliberate\t, \x01 \u9b3c {odd}"), tmp_path / "pack.pdf", "pack.html")
    text = text_of(path)
    # the finding (key findings, the measure's section) and the table (the aim's, the measure's, the annex's)
    assert text.count("Odd\ufffdone\ufffd, tabbed and a no-break\u00a0space") == 5
    assert "Deliberate , \ufffd \ufffd Odd" in text


def test_the_pdf_is_tagged_and_its_bytes_are_the_same_each_time(tmp_path):
    first = write_pdf(pack(tmp_path), tmp_path / "first.pdf", "pack.html").read_bytes()
    assert write_pdf(pack_again(tmp_path), tmp_path / "second.pdf", "pack.html").read_bytes() == first
    reader = PdfReader(tmp_path / "first.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en-GB"
    assert "<pdfuaid:part>1</pdfuaid:part>" in root["/Metadata"].get_object().get_data().decode()
    kinds, alts = [], []

    def walk(element):
        element = element.get_object()
        kinds.append(element["/S"])
        if element["/S"] == "/Figure":
            alts.append(element["/Alt"])
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid)

    walk(root["/StructTreeRoot"]["/K"][0])
    # the chart's figures are left to the workbook and the HTML, as its alternative text says
    assert alts == [f"Alt text: {AWKWARD} The figures are on the workbook's Monthly_series sheet and under the chart "
                    "in the HTML pack."]
    assert kinds.count("/H1") == 1 and kinds.count("/TH") == 2 * 4   # 4 tables' headings, no figures table
    assert {"/H2", "/H3", "/L", "/LI", "/Table", "/THead", "/TD", "/Caption", "/TOC", "/Link"} <= set(kinds)


def pack_again(tmp_path) -> Pack:
    again = tmp_path / "again"
    again.mkdir()
    return pack(again)


def test_a_word_too_wide_for_its_column_breaks_rather_than_running_over(tmp_path):
    # ten columns of a long file name: even word by word the table is wider than the page
    name = "a_very_long_delivery_file_name_without_any_spaces_from_the_partner_2025-10.csv"
    squeezed = pack(tmp_path)
    squeezed.quality = [Table("Wide", [f"Column {i}" for i in range(10)], [[name] * 10], [False] * 10)]
    reader = PdfReader(write_pdf(squeezed, tmp_path / "pack.pdf", "pack.html"))
    text = "".join(page.extract_text() for page in reader.pages)
    assert name not in text and name * 10 in text.replace("\n", "").replace("\u200b", "")   # in pieces, each in its own column


def test_a_short_table_is_kept_whole_and_a_tall_one_breaks():
    """Kept on one page, a table of 20 rows with long reasons ran off it (some 17 lines a row): what is kept
    whole is a table short in lines, not in rows."""
    from csp.publish.pack_pdf import _grid

    kent_and_district = _grid("t", ["Area", "Count"], [["Kent", "1,234"], ["Ashford", "98"]], [False, True], [])
    assert kent_and_district["whole"]
    reason = "the date 45839 is not a date in the form the contract gives; it looks like an Excel serial number " * 3
    quarantined = _grid("t", ["Source", "File", "Rows", "Reason"],
                        [["Police recorded crime", f"police_crime_2025-{m:02}.csv", "12", reason] for m in range(1, 21)],
                        [False, False, True, False], [])
    assert not quarantined["whole"]
    # a county and its 12 districts: whole; 36 months a line each fit a page; 60 do not
    county = _grid("t", ["Area", "Previous 12 months", "Latest 12 months", "Verdict"],
                   [[f"District {i}", "1,234", "1,302", "no significant change"] for i in range(13)],
                   [False, True, True, False], [])
    assert county["whole"]
    assert _grid("t", ["Month", "Count"], [[f"Month {i}", "1"] for i in range(36)], [False, True], [])["whole"]
    assert not _grid("t", ["Month", "Count"], [[f"Month {i}", "1"] for i in range(60)], [False, True], [])["whole"]
