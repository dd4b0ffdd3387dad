"""The assessment pack, rendered once from the hand-counted police crime fixture
(tests/fixtures/police_crime/README.md: Kent all crime 22 against 16, +37.5%, which the change test
calls noise) and read back as a reader would: PDF text, workbook cells, tables, charts, manifest."""
from __future__ import annotations

import datetime as dt
import hashlib
import html as html_module
import json
import os
import re

import duckdb
import openpyxl
import pandas as pd
import PIL.Image
import pytest
from pypdf import PdfReader

from csp.marts.districts import District
from csp.marts.pack import district_scope
from csp.pipeline import QUALITY_FOLDER, publish_quality, run_refresh
from csp.publish.headings import unlabelled
from csp.publish.model import Stamp
from csp.publish.pack import publish_pack, write_pack
from csp.publish.pack_inputs import for_scope, load_pack_inputs
from csp.warehouse import connect, set_variables
from tests.conftest import AS_OF, drop, workbook_tables, workspace

MARKING = "OFFICIAL-SENSITIVE"
MM = 72 / 25.4   # points
PERIOD = "November 2024 – October 2025"
KENT_ALL_CRIME = ("All police recorded crime in Kent remained at a similar level when compared with the previous "
                  "year: 22 in November 2024 – October 2025 against 16 in November 2023 – October 2024, a difference "
                  "within what chance alone would produce.")


def refreshed(tmp_path_factory, *files: str):
    settings = workspace(tmp_path_factory.mktemp("pack"), pack_documents=True)
    for name in files:
        drop(settings, "police_crime", name)
    return settings, run_refresh(settings, AS_OF)


@pytest.fixture(scope="module")
def county(refreshed_once):
    return refreshed_once


@pytest.fixture(scope="module")
def pdf(county):
    return PdfReader(county[1].outputs_dir / "assessment_pack.pdf")


def words(text: str) -> str:
    """Text with line breaks and runs of spaces as single spaces (sentences wrap across lines)."""
    return re.sub(r"\s+", " ", text)


def test_marking_at_the_top_and_bottom_of_every_page(pdf):
    assert len(pdf.pages) > 10
    for number, page in enumerate(pdf.pages, start=1):
        heights = []
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: heights.append(tm[5] * cm[3] + cm[5])
                          if text.strip() == MARKING else None)
        top, bottom = float(page.mediabox.height) - 15 * MM, 15 * MM
        assert any(h > top for h in heights) and any(h < bottom for h in heights), f"page {number}"
    assert pdf.metadata["/Subject"] == MARKING and pdf.metadata["/Title"] == (
        f"{MARKING}: Kent community safety strategic assessment")
    # a viewer shows that title, not the file name; the cover names the same pack as a web page
    assert pdf.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    assert ("The same pack as a web page, for a browser or to reflow at any size: assessment_pack.html, beside this "
            "file.") in words(pdf.pages[0].extract_text())


def structure(pdf) -> list[tuple[str, int, dict]]:
    """The PDF's structure tree (its tags) in reading order: (type, depth, element)."""
    out = []

    def walk(element, depth):
        element = element.get_object()
        out.append((element["/S"], depth, element))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:   # not a marked-content reference
                walk(kid, depth + 1)

    root = pdf.trailer["/Root"]["/StructTreeRoot"]
    for top in root["/K"] if isinstance(root["/K"], list) else [root["/K"]]:
        walk(top, 0)
    return out


def tagged_text(pdf, element) -> str:
    """The text of a structure element, from the page content its marked-content ids point to."""
    ids, page = set(), None

    def collect(e):
        nonlocal page
        page = e.get("/Pg", page)
        kids = e.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                ids.add(kid)
            elif isinstance(kid, dict) and "/MCID" in kid:
                ids.add(int(kid["/MCID"]))
            elif isinstance(kid, dict) and "/S" in kid:
                collect(kid)

    collect(element.get_object())
    text, inside = [], []

    def before(operator, args, cm, tm):
        if operator == b"BDC":
            inside.append(isinstance(args[1], dict) and args[1].get("/MCID") in ids)
        elif operator == b"EMC" and inside:
            inside.pop()

    page = next(p for p in pdf.pages if p.indirect_reference.idnum == page.idnum)
    page.extract_text(visitor_operand_before=before, visitor_text=lambda t, *_: text.append(t) if any(inside) else None)
    return words("".join(text)).strip()


def test_pdf_is_tagged_for_a_screen_reader(pdf, county):
    """A tagged PDF (PDF/UA-1): the title as the document's one level-1 heading, the sections and measures
    under it, tables with header cells, and every chart a figure with the HTML's alternative text."""
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en-GB"
    assert "<pdfuaid:part>1</pdfuaid:part>" in root["/Metadata"].get_object().get_data().decode()
    tags = structure(pdf)
    headings = [(kind, tagged_text(pdf, e)) for kind, _, e in tags if kind in ("/H1", "/H2", "/H3")]
    assert headings[0] == ("/H1", "Kent community safety strategic assessment")
    assert [kind for kind, _ in headings].count("/H1") == 1
    assert [text for kind, text in headings if kind == "/H2"] == [
        "Period", "Contents", "Executive summary", "1. Stronger, safer and resilient neighbourhoods",
        "2. Reducing violence, abuse and high-harm offending", "3. Protecting vulnerable people", "Methods",
        "Annex: data quality"]
    assert ("/H3", "All police recorded crime") in headings and ("/H3", "Has it changed? (the change test)") in headings
    # each table's heading row: header cells (a screen reader reads a cell with its column's heading)
    header_cells = [tagged_text(pdf, e) for kind, _, e in tags if kind == "/TH"]
    assert {"Area", "Previous 12 months", "Latest 12 months", "Verdict"} <= set(header_cells)
    assert sum(kind == "/Table" for kind, _, _ in tags) == sum(kind == "/THead" for kind, _, _ in tags) > 10
    # every chart, with the alternative text the HTML pack gives it
    html = (county[1].outputs_dir / "assessment_pack.html").read_text(encoding="utf-8")
    alts = [html_module.unescape(a) for a in re.findall(r'<img src="data:image/png;base64,[^"]*" alt="([^"]*)"', html)]
    assert len(alts) == 19
    # but where the figures are: under the chart in the HTML; in print, on the workbook's sheet
    under, on_sheet = ("The figures are in the table under the chart and on the workbook's {} sheet.",
                       "The figures are on the workbook's {} sheet and under the chart in the HTML pack.")
    for sheet in ("Monthly_series", "Seasonal_profiles"):
        alts = [a.replace(under.format(sheet), on_sheet.format(sheet)) for a in alts]
    assert [e["/Alt"] for kind, _, e in tags if kind == "/Figure"] == alts
    assert sum(on_sheet.format("Monthly_series") in a for a in alts) == 6   # the trend charts
    text = words(" ".join(page.extract_text() for page in pdf.pages))
    assert "All police recorded crime in Kent: monthly count and 12-month rolling total: the figures" not in text


def test_pdf_findings_follow_the_verdicts(pdf):
    text = words(" ".join(page.extract_text() for page in pdf.pages))
    assert words(pdf.pages[0].extract_text()).count(MARKING) == 4   # top, bottom, cover stamp, handling note
    assert ("Police recorded crime: November 2024 – October 2025 compared with November 2023 – October 2024; "
            "data to October 2025") in text
    assert ("Of the 14 headline counts and rates, 2 remained at a similar level, 6 had too few to say and 6 were not "
            "available.") in text   # the fixture has police crime only
    assert text.count(KENT_ALL_CRIME) == 2          # executive summary and its section
    assert "crime in Kent increased" not in text      # +37.5% is within chance: never a rise
    assert ("Shoplifting in Kent: too few to say whether there was a change (2 in November 2024 – October 2025 "
            "against 4 in November 2023 – October 2024).") in text
    assert "No district changed significantly (1 remained at a similar level and 11 had too few to say)." in text
    assert ("Compared with the Kent rate of 0.01 per 1,000 residents (November 2024 – October 2025), the rate "
            "was significantly higher in Ashford (0.12) and similar in 11 other districts.") in text
    assert ("Financial year to date: All police recorded crime in Kent remained at a similar level when compared with "
            "the previous year: 11 in April 2025 – October 2025 against 8 in April 2024 – October 2024") in text
    assert ("Violent crime as a share of all crime in Kent: 72.7% in November 2024 – October 2025 (95% interval 51.8% "
            "to 86.8%), against 75.0% in November 2023 – October 2024.") in text   # 16 of 22, 12 of 16
    assert ("There are 25 months of data for Kent (October 2023 – October 2025), too few (under 36) to describe a "
            "longer-term trend.") in text
    assert ("3. Protecting vulnerable people • Accidental dwelling fires in Kent: not available (no fire and rescue "
            "incidents data has been loaded).") in text


def test_pdf_has_every_part_in_order(pdf):
    text = words(" ".join(page.extract_text() for page in pdf.pages))
    # each contents entry gives the page its heading is on, links to that page, and is a bookmark to it
    contents = pdf.pages[1].extract_text()
    listed = [(title, int(number)) for title, number in re.findall(r"(?m)^(.+?) ?\.{3,} ?(\d+)$", contents)]
    assert listed[:3] == [("Executive summary", 3), ("1. Stronger, safer and resilient neighbourhoods", 4),
                          ("All police recorded crime", 4)]
    # where Methods and the annex fall is the layout's (each entry's page is checked against the page below)
    assert [title for title, _ in listed[-2:]] == ["Methods", "Annex: data quality"] and len(listed) == 36
    assert 4 < listed[-2][1] < listed[-1][1] <= len(pdf.pages)
    pages = [page.indirect_reference for page in pdf.pages]
    links = [pages.index(a.get_object()["/Dest"][0]) + 1 for a in pdf.pages[1]["/Annots"]]
    assert links == [number for _, number in listed]

    def bookmarks(items):
        for item in items:
            yield from bookmarks(item) if isinstance(item, list) else [(item.title, pdf.get_destination_page_number(item) + 1)]

    assert list(bookmarks(pdf.outline)) == listed
    for title, number in listed:
        assert title in words(pdf.pages[number - 1].extract_text()), title
    body = text[text.index("Page 2 of"):]   # after the contents page
    parts = ["Executive summary", "1. Stronger, safer and resilient neighbourhoods",
             "2. Reducing violence, abuse and high-harm offending", "3. Protecting vulnerable people", "Methods",
             "Has it changed? (the change test)", "Annex: data quality"]
    positions = [body.index(part) for part in parts]
    assert positions == sorted(positions)
    annex = body[body.index("Annex: data quality"):]
    assert "2 deliveries: 2 loaded, 0 quarantined. 45 rows received, 42 loaded and 3 quarantined with a reason." in annex
    assert "unknown offence 1 1 offence 'Violence' is not a recognised offence group" in annex
    # a delivery loaded with some rows quarantined: its reasons are in the table below it
    assert "rows quarantined: reasons below" in annex
    assert ("Anti-social behaviour incidents every measure of the source April 2024 Kent Police changed how "
            "anti-social behaviour incidents are recorded (2024/25)") in annex   # catalogue/series_breaks.yml


def test_html_pack_has_marking_sections_and_findings(county):
    html = (county[1].outputs_dir / "assessment_pack.html").read_text(encoding="utf-8")
    # the marking as the page's banner and foot: landmarks a screen reader lists
    assert html.count(f'<header class="marking top">{MARKING}</header>') == 1
    assert html.count(f'<footer class="marking bottom">{MARKING}</footer>') == 1
    for anchor in ("summary", "1-stronger-safer-and-resilient-neighbourhoods",
                   "2-reducing-violence-abuse-and-high-harm-offending", "3-protecting-vulnerable-people", "methods",
                   "data-quality"):
        assert f'<section id="{anchor}"' in html
    assert f"<li>{KENT_ALL_CRIME}</li>" in html
    assert html.count('<img src="data:image/png;base64,') == 19   # test_charts_where_the_headline_measures_have_data
    assert "<h3>Has it changed? (the change test)</h3>" in html
    # each row is named by its first cell (a screen reader reads it with the row's values), and a link followed
    # or focused is not left under the fixed marking banners
    assert '<tr><th scope="row">Kent</th>' in html and "scroll-padding-top: 2.6rem" in html
    # a dash said in words to a screen reader; a wide table scrolled on its own, not the page
    assert '<span aria-hidden="true">–</span><span class="vh">no value</span>' in html
    assert html.count('<div class="table-scroll" role="region" aria-label="') == html.count("<table>")
    # a chart's alternative text says what it shows, over which months, and where its figures are
    assert ('alt="All police recorded crime in Kent: monthly count and 12-month rolling total, October 2023 – October '
            '2025. The figures are in the table under the chart and on the workbook&#39;s Monthly_series sheet."') in html
    assert html.count("<details><summary>The chart's figures</summary>") == 6   # the six trend charts
    assert ('alt="Shoplifting: change by district' not in html   # too few to test anywhere: no chart
            and 'alt="Shoplifting per 1,000 residents: districts against Kent, November 2024 – October 2025. The '
                'figures are in the table above."' in html)


def test_medway_is_in_the_table_files_not_the_pack_and_the_methods_say_so(county):
    out = county[1].outputs_dir
    html = (out / "assessment_pack.html").read_text(encoding="utf-8")
    methods = html.index('<section id="methods"')
    assert "Medway" not in html[:methods]   # every finding, table and chart: Kent and its districts
    text = words(re.sub(r"<[^>]+>", "", html[methods:html.index('<section id="data-quality"')]))
    assert ("worked out the same way for the county, each district and Medway (a neighbouring area, never added to "
            "Kent). A pack's findings, tables and charts are of Kent and its districts only: Medway's rows are in the "
            "county pack's table files (CSV and Parquet) and workbook, and in the district marts' comparison "
            "tables.") in text
    assert ("Medway's rate is compared in the same way, in the files named at the top of this note, not in the "
            "pack.") in text
    assert "For each district (and Medway)" not in text
    # the note's lines for the maintainers (where each method is in the code) are left out of the pack
    assert not re.search(r"Code:|transforms/|\.py|\.toml|\.yml|facts\.", text)
    assert "Medway" in set(pd.read_csv(out / "tables" / "1_01_all_crime.csv")["area_name"])
    sheet = openpyxl.load_workbook(out / "assessment_tables.xlsx", read_only=True)["Table_1_01"]
    assert any("Medway" in row for row in sheet.iter_rows(values_only=True))


def test_charts_where_the_headline_measures_have_data(county):
    charts = county[1].outputs_dir / "charts"
    # trend and district rates for every headline count with crimes in the fixture; change by district where
    # a district had enough to test (Ashford); district shares for every headline share
    expected = {"all_crime_trend", "all_crime_district_change", "all_crime_district_rates",
                "violent_crime_trend", "violent_crime_district_change", "violent_crime_district_rates",
                *(f"{m}_{chart}" for m in ("shoplifting", "domestic_abuse", "vawg", "knife_crime")
                  for chart in ("trend", "district_rates")),
                *(f"{m}_district_shares" for m in ("race_hate_share", "violent_share", "domestic_abuse_violent_share",
                                                   "vawg_share", "vawg_domestic_abuse_share"))}
    assert {p.name for p in charts.iterdir()} == {f"{name}.png" for name in expected}
    with PIL.Image.open(charts / "all_crime_trend.png") as png:
        assert png.text == {"Title": "All police recorded crime in Kent: monthly count and 12-month rolling total",
                            "Description": MARKING, "Comment": "October 2023 – October 2025"}


def test_workbook_sheets_marking_and_values(county):
    wb = openpyxl.load_workbook(county[1].outputs_dir / "assessment_tables.xlsx")
    assert len(wb.sheetnames) == 2 + 30 + 3 + 5 + 1   # cover, contents, every measure, series, annex, columns
    # short names a formula need not quote: a letter first, no spaces or ellipses (the title is on the sheet)
    assert wb.sheetnames[:5] == ["Cover", "Contents", "Table_1_01", "Table_1_02", "Table_1_03"]
    assert wb.sheetnames[-9:] == ["Monthly_series", "Trends", "Seasonal_profiles", "Comparison_windows",
                                  "Deliveries", "Quarantined_rows", "Gaps", "Series_breaks", "Columns"]
    assert wb.properties.subject == MARKING and wb.properties.keywords == MARKING
    for ws in wb.worksheets:
        assert ws["A1"].value == MARKING
        assert MARKING in ws.oddHeader.center.text and MARKING in ws.oddFooter.left.text
        assert ws.freeze_panes is None, ws.title
    run = next(c.value for (c,) in wb["Cover"].iter_rows(max_col=1) if str(c.value).startswith("Produced by run "))
    assert run.startswith(f"Produced by run {county[1].run_id} (") and run.endswith(
        f"data version {json.loads((county[1].outputs_dir / 'run_manifest.json').read_text())['data_version']}")
    cover = [c.value for (c,) in wb["Cover"].iter_rows(max_col=1)]
    assert cover == [
        MARKING, "Kent community safety strategic assessment tables",
        "The restricted tables behind Kent's community safety strategic assessment pack, for Kent and districts: a "
        "table for each measure, grouped by strategic aim (counts, change, rates with their 95% intervals, p and q "
        "values, verdicts), the monthly series, trends and seasonal profiles behind its charts, and its data-quality "
        "annex.",
        "The same tables are in the tables/ folder beside this workbook, a CSV and a Parquet file each.",
        "Protective marking",
        f"{MARKING}: every sheet says so in its first cell and in its header and footer, and so do the file's "
        "properties.",
        "Period covered",
        "Each measure's latest 12 months against the 12 months before, and its financial year to date against the "
        "same months a year earlier, in its source's window (below); each sheet names its own periods.",
        # only police recorded crime in the fixture
        "Anti-social behaviour incidents: no complete month of data",
        "Fire and rescue incidents: no complete month of data",
        "Hospital admissions (HES extract): no complete month of data",
        f"Police recorded crime: {PERIOD} against November 2023 – October 2024",
        "Road casualties (STATS19): no complete month of data",
        "Youth offending (first-time entrants and proven offences): no complete month of data",
        "Sources",
        "Anti-social behaviour incidents: no data yet",
        "Fire and rescue incidents: no data yet",
        "Hospital admissions (HES extract): no data yet",
        # the fixture's data is overdue by the run date: said as on the pack's cover
        "Police recorded crime: October 2023 – October 2025 — 12 months behind the run date; expected within 1 "
        "(November 2025 – September 2026 overdue)",
        "Road casualties (STATS19): no data yet",
        "Youth offending (first-time entrants and proven offences): no data yet",
        "Partners' extracts, each checked against its source's data contract: the Deliveries sheet lists every file "
        "received.",
        "Run and data version", run,
        "Notes and columns",
        "Each table is on a sheet of its own, under its title and notes: its period, source and the run.",
        "The Contents sheet lists every table, with a link to its sheet.",
        "The Columns sheet, the last, gives each column's heading in words and its name in the CSV and Parquet files."]
    # the contents: an Excel table of every table's sheet (a link), title and section, under the title and notes
    contents = list(wb["Contents"].iter_rows(values_only=True))
    assert contents[:7] == [
        (MARKING, None, None), ("Kent community safety strategic assessment tables: contents", None, None),
        ("Each sheet after this one holds one table: its name (a link to it), the table's title and the section of "
         "the workbook it is in.", None, None),
        (run, None, None),
        ("Sheet name", "Table title", "Section"),
        ("Table_1_01", "All police recorded crime: rolling 12 months and financial year to date, Kent and districts",
         "1. Stronger, safer and resilient neighbourhoods"),
        ("Table_1_02", "Anti-social behaviour incidents: rolling 12 months and financial year to date, Kent and "
                       "districts", "1. Stronger, safer and resilient neighbourhoods")]
    assert dict(wb["Contents"].tables.items()) == {"Contents": "A5:C44"}   # 39 sheets after it
    assert [row[0] for row in contents[5:]] == wb.sheetnames[2:]
    assert wb["Contents"]["A6"].hyperlink.location == "'Table_1_01'!A1"
    ws = wb["Table_1_01"]
    notes = [ws.cell(r, 1).value for r in range(2, 8)]
    assert notes[:5] == [
        "All police recorded crime: rolling 12 months and financial year to date, Kent and districts",
        "Period (rolling 12 months): November 2024 – October 2025 compared with November 2023 – October 2024",
        "Period (financial year to date): April 2025 – October 2025 compared with April 2024 – October 2024",
        "Source: police recorded crime (data to October 2025)",
        "Rates per 1,000 residents use ONS mid-2023 population estimates"]
    assert notes[5] == run
    # headed in words, as the pack's tables are, right under the notes (no blank row); the number formats still
    # follow the columns; no column repeats the marking or the run on every row
    headers = [c.value for c in ws[8]]
    assert headers == [
        "Measure ID", "Measure", "Comparison", "Area type", "Area code", "Area", "Latest period",
        "Previous period", "Count, latest period", "Count, previous period", "Change", "Change (%)",
        "Residents (population estimate)", "Population estimate (mid-year)", "Rate per 1,000 residents, latest period",
        "Rate per 1,000, latest period: lower 95% limit", "Rate per 1,000, latest period: upper 95% limit",
        "Rate per 1,000 residents, previous period", "Rate against the county", "p-value", "Adjusted p-value (q)",
        "Verdict", "Series break", "Status"]
    kent = {h: c for h, c in zip(headers, ws[9])}
    assert (kent["Area"].value, kent["Comparison"].value, kent["Latest period"].value,
            kent["Count, latest period"].value, kent["Count, previous period"].value, kent["Change"].value,
            kent["Change (%)"].value, kent["Verdict"].value) == (
        "Kent", "rolling 12 months", PERIOD, 22, 16, 6, 37.5, "no significant change")
    assert round(kent["p-value"].value, 4) == 0.4177
    assert (kent["Count, latest period"].number_format, kent["Change (%)"].number_format,
            kent["Rate per 1,000 residents, latest period"].number_format, kent["p-value"].number_format,
            kent["Adjusted p-value (q)"].number_format) == ("#,##0", "0.0", "0.00", "0.0000", "0.0000")
    # every heading fits its column: its longest word across, its lines within the heading row's height
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, len(headers) + 1)]
    assert all(width >= max(map(len, h.split())) + 2 for width, h in zip(widths, headers))
    assert ws.row_dimensions[8].height == 3 * 15
    # each sheet's rows are an Excel table, headed as the sheet is (a screen reader reads a cell with its heading);
    # a sheet with no rows keeps a filter on its heading row alone (Excel's tables need a row)
    (table,) = ws.tables.values()
    assert (table.name, table.ref) == ("Table_1_01", f"A8:X{ws.max_row}") and ws.max_row == 8 + 28
    assert [c.name for c in table.tableColumns] == headers and ws.auto_filter.ref is None
    untabled = [s.title for s in wb.worksheets[1:] if not s.tables]
    assert untabled == [] and not any(s.auto_filter.ref for s in wb.worksheets)
    # the Columns sheet, listed last on the contents sheet, gives each heading's name in the CSV, which also has
    # the marking and run on every row
    assert contents[-1] == ("Columns", "Headings and column names", "Column names")
    columns = list(wb["Columns"].iter_rows(min_row=6, values_only=True))
    assert columns[0] == ("Heading in this workbook", "Column name in the CSV and Parquet files")
    listed = dict(columns[1:])
    csv_columns = list(pd.read_csv(county[1].outputs_dir / "tables" / "1_01_all_crime.csv", nrows=0).columns)
    assert ["protective_marking", *[listed[h] for h in headers], "produced_by_run"] == csv_columns
    assert (listed["Adjusted p-value (q)"], listed["Share, latest period"], listed["Rows quarantined"]) == (
        "q_value", "current_share", "rows_quarantined")


def test_every_column_has_a_heading_and_the_files_keep_their_names(county):
    """Every column the pack's tables write has a heading in words; the CSV and Parquet files keep the
    column names, and the workbook holds the same tables under the headings."""
    out = county[1].outputs_dir
    csvs = sorted((out / "tables").glob("*.csv"))
    assert len(csvs) == 38
    written = [c for path in csvs for c in pd.read_csv(path, nrows=0).columns]
    assert unlabelled(written) == []
    crime = pd.read_csv(out / "tables" / "1_01_all_crime.csv", nrows=0)
    assert list(crime.columns[:4]) == ["protective_marking", "measure_id", "measure_name", "comparison_type"]
    assert {"current_rate_per_1000", "q_value", "pct_change", "previous_value"} <= set(crime.columns)
    parquet = duckdb.sql(f"SELECT * FROM '{out / 'tables' / '1_10_race_hate_share.parquet'}' LIMIT 0").columns
    assert parquet == list(pd.read_csv(out / "tables" / "1_10_race_hate_share.csv", nrows=0).columns)
    assert {"current_share", "change_points", "share_vs_county"} <= set(parquet)
    sheets = workbook_tables(out / "assessment_tables.xlsx")
    named = {"Monthly_series": "monthly_series", "Trends": "trends", "Seasonal_profiles": "seasonal_profiles",
             "Comparison_windows": "dq_comparison_windows", "Deliveries": "dq_deliveries",
             "Quarantined_rows": "dq_quarantined_rows", "Gaps": "dq_gaps", "Series_breaks": "dq_series_breaks"}
    stems = [p.stem for p in csvs if p.stem[0].isdigit()] + list(named.values())   # in the workbook's order
    assert len(sheets) == len(stems) == 38
    for (sheet, table), stem in zip(sheets.items(), stems):
        assert named.get(sheet, stem) == stem
        # the CSV's columns, but the marking and run it gives on every row and the sheet above its table
        assert ["protective_marking", *table.columns, "produced_by_run"] == list(
            pd.read_csv(out / "tables" / f"{stem}.csv", nrows=0).columns), sheet


def test_csv_and_parquet_hold_the_same_table(county):
    tables = county[1].outputs_dir / "tables"
    csv = pd.read_csv(tables / "1_01_all_crime.csv")
    parquet = duckdb.sql(f"SELECT * FROM '{tables / '1_01_all_crime.parquet'}'").df()
    assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet) == 28   # 14 areas x 2 comparisons
    assert set(csv["protective_marking"]) == {MARKING}
    rolling = parquet[(parquet["area_name"] == "Ashford") & (parquet["comparison_type"] == "rolling 12 months")]
    ashford = rolling.iloc[0]
    assert (ashford["current_value"], ashford["previous_value"], ashford["rate_vs_county"]) == (16, 13, "significantly higher")
    assert round(ashford["current_rate_per_1000"], 4) == round(1000 * 16 / 138_283, 4)


def test_manifest_lists_every_output_with_its_checksum(county):
    out = county[1].outputs_dir
    manifest = json.loads((out / "run_manifest.json").read_text())
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["catalogue_version"])
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"run_manifest.json"}
    assert {o["file"] for o in manifest["outputs"]} == files
    for o in manifest["outputs"]:
        assert o["sha256"] == hashlib.sha256((out / o["file"]).read_bytes()).hexdigest()


def test_same_data_and_stamp_give_the_same_bytes(county, tmp_path):
    settings, summary = county
    published = summary.outputs_dir
    manifest = json.loads((published / "run_manifest.json").read_text())
    stamp = Stamp(MARKING, "Kent", manifest["produced_by_run"], dt.datetime.fromisoformat(manifest["produced_at"]),
                  manifest["data_version"], dt.date.fromisoformat(manifest["as_of"]))
    with connect(settings.warehouse) as con:
        set_variables(con, settings, AS_OF)
        again = publish_pack(con, tmp_path, stamp) + publish_quality(
            con, tmp_path / QUALITY_FOLDER, stamp, settings.cache("data_docs"))
    assert {f.relative_to(tmp_path).as_posix(): f.read_bytes() for f in again} == {
        o["file"]: (published / o["file"]).read_bytes() for o in manifest["outputs"]}


def test_district_pack_holds_its_district_and_the_county_only(county, tmp_path):
    settings, summary = county
    with connect(settings.warehouse) as con:
        set_variables(con, settings, AS_OF)
        stamp = Stamp(MARKING, "Kent", summary.run_id, pd.Timestamp("2026-11-23 09:00").to_pydatetime(), "v")
        # as the refresh scopes a district's pack (its mart's disclosure control: test_district_marts.py)
        ashford = district_scope(District("E07000105", "Ashford"), "Kent")
        write_pack(for_scope(load_pack_inputs(con), ashford), ashford, tmp_path, stamp)
    for table in (tmp_path / "tables").glob("[0-9]_*.csv"):
        assert set(pd.read_csv(table)["area_name"]) <= {"Ashford", "Kent"}, table.name
    text = words(" ".join(page.extract_text() for page in PdfReader(tmp_path / "assessment_pack.pdf").pages))
    assert ("All police recorded crime in Ashford remained at a similar level when compared with the previous "
            "year: 16 in November 2024 – October 2025 against 13 in November 2023 – October 2024") in text
    assert ("Compared with the Kent rate of 0.01 per 1,000 residents (November 2024 – October 2025), the rate "
            "in Ashford (0.12) was significantly higher.") in text
    assert KENT_ALL_CRIME in text   # the county as comparator
    assert not re.search(r"Dover|Thanet|Medway|Canterbury", text[:text.index("Methods A short guide")])
    assert not (tmp_path / "charts" / "all_crime_district_change.png").exists()
    assert "Police recorded crime: missing" not in text   # Ashford has crimes in every month; the others' not named


def test_without_the_previous_year_the_pack_says_comparison_not_available(tmp_path_factory):
    _, summary = refreshed(tmp_path_factory, "current_year.csv")
    text = words(" ".join(p.extract_text() for p in PdfReader(summary.outputs_dir / "assessment_pack.pdf").pages))
    assert ("All police recorded crime in Kent in November 2024 – October 2025: 22. Comparison not available: "
            "the previous period (November 2023 – October 2024) has no data.") in text
    assert "Of the 14 headline counts and rates, 8 had no comparison available and 6 were not available." in text
    assert "remained at a similar level" not in text
    assert not list((summary.outputs_dir / "charts").glob("*_district_change.*"))


MIXED = ("the months compared come from two layouts of the data — the force's restricted extract (November 2023 – "
         "September 2025) and data.police.uk's public files (October 2025); where the two differ in level, part of a "
         "change may be the layout's, not a real change")


def test_months_compared_from_two_layouts_are_said_wherever_the_periods_are(tmp_path_factory, caplog):
    """data.police.uk's file for October 2025 after the force's extracts (tests/fixtures/police_crime/README.md):
    the comparison stands, and the pack says its months came in two layouts."""
    settings = workspace(tmp_path_factory.mktemp("pack"), pack_documents=True)
    for name in ("previous_year.csv", "current_year.csv", "2025-10-kent-street.csv"):
        drop(settings, "police_crime", name)
    street = settings.raw_dir / "police_crime" / "2025-10-kent-street.csv"
    later = street.stat().st_mtime + 60   # landed after the extract, whose October it replaces
    os.utime(street, (later, later))
    summary = run_refresh(settings, AS_OF)
    line = f"Police recorded crime: {MIXED}"
    assert line in [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    page = (summary.outputs_dir / "assessment_pack.html").read_text(encoding="utf-8")
    html, annex = (words(re.sub(r"<[^>]+>", " ", html_module.unescape(part)))
                   for part in (page, page[page.index('<section id="data-quality"'):]))
    cover = html[:html.index("Contents")]
    # a line of its own under Period, after the comparison's (the fixture's data is overdue by the run date)
    assert ("Police recorded crime: November 2024 – October 2025 compared with November 2023 – October 2024; data to "
            "October 2025 — 12 months behind the run date; expected within 1 (November 2025 – September 2026 overdue) "
            f"{line}") in cover
    assert ("Police recorded crime: the months compared come from more than one layout of the data (see Period); part "
            "of a change may be the layout's, not a real change.") in html   # the executive summary
    assert ("Police recorded crime: latest 12 months November 2024 – October 2025, previous 12 months November 2023 – "
            f"October 2024; data to October 2025. {MIXED[:1].upper()}{MIXED[1:]}.") in html   # under each table
    # the annex's Comparison windows: the row's status
    assert ("Police recorded crime November 2024 – October 2025 November 2023 – October 2024 October 2023 October "
            f"2025 available; {MIXED}") in annex
    # the verdict is still given: a caveat, not a series break
    assert "All police recorded crime in Kent remained at a similar level when compared with the previous year" in html
    windows = pd.read_csv(summary.outputs_dir / "tables" / "dq_comparison_windows.csv").set_index("source")
    assert windows.loc["police_crime", "mixed_forms"] == MIXED
    assert windows["mixed_forms"].drop("police_crime").isna().all()
    crime = openpyxl.load_workbook(summary.outputs_dir / "assessment_tables.xlsx")["Table_1_01"]
    assert line in [crime.cell(r, 1).value for r in range(3, 8)]
