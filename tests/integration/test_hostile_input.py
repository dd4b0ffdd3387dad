"""Partners' text that would run where an analyst opens the outputs (security review): a file name or a value
shaped as a spreadsheet formula or as HTML, carried into the data files, the data-quality report and the Data Docs
by a refresh of the hand-counted police fixture and one such delivery."""
from __future__ import annotations

import csv

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, drop, workspace
from tests.integration.test_bad_deliveries import POLICE, csv_text, police

# a file name a spreadsheet would run as a formula (DDE: it starts a program), and a value HTML would run
NAME = "=cmd|' -C calc'!A0 <img src=x onerror=alert(1)>.csv"
VALUE = "<img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("hostile"))
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    rows = police("2022-10", "H")
    for row in rows[:3]:   # no offence group of the contract's, in more rows than its 10%: GX fails the delivery,
        row[3] = VALUE     # and its page names the values it found
    (settings.raw_dir / "police_crime" / NAME).write_text(csv_text(POLICE, rows), encoding="utf-8")
    return settings, run_refresh(settings, AS_OF)


def test_a_file_name_shaped_as_a_formula_is_text_in_the_csv_files(refreshed):
    """A spreadsheet runs a CSV cell starting with =, +, -, @ (or a tab or carriage return before one): the data
    files give such a value with an apostrophe in front, as text; the Parquet file keeps it as it is."""
    import duckdb

    settings, summary = refreshed
    tables = summary.outputs_dir / "tables"
    with (tables / "dq_deliveries.csv").open(encoding="utf-8-sig", newline="") as fh:
        names = [row["file_name"] for row in csv.DictReader(fh)]
    assert names.count("'" + NAME) == 1 and NAME not in names
    assert not [v for name in tables.glob("*.csv") for row in csv.reader(name.open(encoding="utf-8-sig"))
                for v in row if v[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(v)]
    parquet = duckdb.sql(f"SELECT file_name FROM '{tables / 'dq_deliveries.parquet'}' WHERE file_name LIKE '=%'")
    assert parquet.fetchall() == [(NAME,)]


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def test_a_value_and_a_file_name_shaped_as_html_are_text_in_the_report_and_data_docs(refreshed):
    """The data-quality report escapes what it quotes (jinja2); GX's Data Docs wrote the unexpected values a check
    found into the page as HTML, so a partner's value ran in the reader's browser (security review)."""
    _, summary = refreshed
    quality = summary.outputs_dir / "data_quality"
    pages = list((quality / "data_docs").rglob("*.html"))
    text = {p: p.read_text(encoding="utf-8") for p in [quality / "report.html", *pages]}
    assert not [p for p, t in text.items() if "<img src=x" in t]
    assert [p.name for p in pages if "&lt;img src=x onerror=alert(2)&gt;" in text[p]]   # the value GX found
