"""District marts from the refresh, on the hand-counted fixture (tests/fixtures/marts/README.md):
every table of every district's mart, in every format, holds no other district's fine-grained rows,
nor does its pack; the hidden LSOA counts cannot be worked out from the district total, and the
pack shows no count the mart hides; the files are marked and restricted; `csp marts pull` hands
over only an intact mart."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import os
import shutil
import stat

import duckdb
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from csp.cli import main
from csp.catalogue import load_catalogue
from csp.config import load_settings
from csp.marts.disclosure import rules_from_settings
from csp.marts.dq_counts import county_rules
from csp.marts.districts import District
from csp.marts.pack import district_pack_inputs, district_scope, write_district_pack
from csp.marts.spec import load_spec
from csp.pipeline import run_refresh
from csp.publish.headings import unlabelled
from csp.publish.model import Stamp
from csp.publish.pack_inputs import load_pack_inputs
from csp.warehouse import connect, set_variables
from tests.conftest import AS_OF, FIXTURES, drop, workbook_tables

MARKING = "OFFICIAL-SENSITIVE"
ASHFORD = "E07000105"
SEXUAL = "Sexual offences"
VIOLENCE = "Violence against the person"
NOT_AVAILABLE = "Period: November 2024 – October 2025. only 1 of the 12 months November 2024 – October 2025 has data"


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """One refresh for the module, under the most permissive umask (modes must not depend on it);
    the districts' packs are their tables only (documents: test_district_pack_document_*)."""
    tmp = tmp_path_factory.mktemp("marts")
    settings = dataclasses.replace(
        load_settings().with_paths(raw_dir=tmp / "raw", marts_dir=tmp / "marts", warehouse=tmp / "warehouse" / "csp.duckdb"),
        window_end={"police_crime": "2025-10"}, pack_documents=False)
    drop(settings, "police_crime", FIXTURES / "marts" / "october_2025.csv")
    drop(settings, "hospital_admissions", FIXTURES / "marts" / "hes_admissions_2025-10.csv")
    umask = os.umask(0)
    try:
        run_refresh(settings, AS_OF)
    finally:
        os.umask(umask)
    return settings


@pytest.fixture(scope="module")
def districts():
    with (load_settings().reference_dir / "districts.csv").open() as fh:
        return {r["lad_name"]: r["lad_code"] for r in csv.DictReader(fh) if r["in_county"] == "true"}


@pytest.fixture(scope="module")
def lsoa_district():
    reference = load_settings().reference_dir
    lookup = {}
    for name, code, lad in (("lsoa11_lookup.csv", "LSOA11CD", "LAD20CD"), ("lsoa21_lookup.csv", "LSOA21CD", "LAD22CD")):
        with (reference / name).open() as fh:
            lookup |= {r[code]: r[lad] for r in csv.DictReader(fh)}
    return lookup


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def every_table(folder) -> dict[str, pd.DataFrame]:
    """Every table of a mart, by format: Parquet files, DuckDB tables, workbook sheets (or, for a table
    with too many rows for a sheet, the CSV file beside the workbook, under the sheet's name)."""
    name = folder.name
    tables = {}
    with duckdb.connect() as con:
        for path in sorted((folder / "parquet").glob("*.parquet")):
            tables[f"parquet {path.stem}"] = con.execute("SELECT * FROM read_parquet($p)", {"p": str(path)}).df()
    with duckdb.connect(str(folder / f"{name}.duckdb"), read_only=True) as con:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
            tables[f"duckdb {table}"] = con.table(table).df()
    # headed in words: read under the column names its Columns sheet gives
    for sheet, frame in workbook_tables(folder / f"{name}.xlsx").items():
        tables[f"xlsx {sheet}"] = frame
    for path in sorted(folder.glob("*.csv")):
        tables[f"xlsx {path.stem}"] = pd.read_csv(path, dtype={"lsoa_code": str})
    return tables


def pack_tables(folder) -> dict[str, pd.DataFrame]:
    """Every table of a mart's pack, by format: CSV and Parquet files, workbook sheets."""
    tables = {}
    with duckdb.connect() as con:
        for path in sorted((folder / "pack" / "tables").iterdir()):
            read = "read_parquet" if path.suffix == ".parquet" else "read_csv"
            tables[f"pack {path.name}"] = con.execute(f"SELECT * FROM {read}($p)", {"p": str(path)}).df()
    for sheet, frame in workbook_tables(folder / "pack" / "assessment_tables.xlsx").items():
        tables[f"pack xlsx {sheet}"] = frame
    return tables


def test_every_mart_holds_only_its_own_fine_grained_rows(refreshed, districts, lsoa_district):
    marts = refreshed.marts_dir / "districts"
    assert sorted(p.name for p in marts.iterdir()) == sorted(slug(n) for n in districts)
    for name, code in districts.items():
        tables = every_table(marts / slug(name))
        assert len(tables) == 7 + 9 + 8, name   # 7 Parquet files; 7 tables, readme, about; README + 6 sheets + 1 CSV
        own_lsoa_rows = {}
        for where, frame in tables.items():
            if "lsoa_code" in frame:
                districts_of_rows = frame["lsoa_code"].map(lsoa_district)
                assert (districts_of_rows == code).all(), f"{name}, {where}: another district's LSOA rows"
                own_lsoa_rows[where] = len(frame)
            if "month" in frame and "area_code" in frame:
                assert set(frame["area_code"]) == {code, "county"}, f"{name}, {where}: another area's monthly rows"
        expected = 7 if code == ASHFORD else 1   # Ashford's: 6, and violence against the person of 0 beside 006A's and 007A's sexual offences
        assert own_lsoa_rows == {"parquet crime_lsoa_monthly": expected, "duckdb crime_lsoa_monthly": expected,
                                 "xlsx crime_lsoa_monthly": expected}, name
        pack = pack_tables(marts / slug(name))
        assert len(pack) == 76 + 38, name   # 38 tables as CSV and Parquet, and as workbook sheets
        by_area = {where: frame for where, frame in pack.items() if "area_code" in frame}
        assert len(by_area) == 3 * 33, name   # the 30 measures with rows, monthly series, trends, seasonal profiles
        for where, frame in by_area.items():
            assert set(frame["area_code"]) == {code, "county"}, f"{name}, {where}: another area's rows"
            # a workbook's sheet states the marking above its table (test_marts_are_marked...), the files on every row
            assert ("protective_marking" not in frame) if " xlsx " in where else (
                set(frame["protective_marking"]) == {MARKING}), f"{name}, {where}"
        for fmt in ("parquet", "duckdb", "xlsx"):
            assert len(tables[f"{fmt} crime_trend"]) == 8   # own and county: burglary, sexual offences, violence, all crime
            assert len(tables[f"{fmt} measure_monthly"]) == 2 * 20   # own and county, the 20 measures with data
            assert len(tables[f"{fmt} measure_trend"]) == 2 * 25
            assert len(tables[f"{fmt} measure_change"]) == 14 * 25 * 2   # every area, both comparison types
            assert len(tables[f"{fmt} measure_shares"]) == 14 * 5 * 2
            rolling = tables[f"{fmt} crime_rolling_12m"]
            assert len(rolling) == 14 * 4 and rolling["area_code"].nunique() == 14   # every area: 3 offence groups and All crime


def test_hidden_lsoa_counts_cannot_be_worked_out_from_the_district_total(refreshed):
    tables = every_table(refreshed.marts_dir / "districts" / "ashford")
    for fmt in ("parquet", "duckdb", "xlsx"):
        lsoa = tables[f"{fmt} crime_lsoa_monthly"]
        rows = {(r.lsoa_name, r.offence_group): (None if pd.isna(r.crimes) else int(r.crimes),
                                                 None if pd.isna(r.suppressed_columns) else r.suppressed_columns)
                for r in lsoa.itertuples()}
        # 006A and 007A have no violence against the person, but a row of it (0) beside sexual offences: hidden
        # beside a hidden count, data.police.uk's violence and sexual offences less it cannot give the count;
        # 007A's 0 is the second count hidden in Ashford's violence (1), and its 9 then beside it
        # (tests/fixtures/marts/README.md, docs/disclosure.md)
        assert rows == {("Ashford 006A", "Burglary"): (1, None), ("Ashford 006A", SEXUAL): (None, "crimes"),
                        ("Ashford 006A", VIOLENCE): (None, "crimes"), ("Ashford 005A", SEXUAL): (None, "crimes"),
                        ("Ashford 005A", VIOLENCE): (None, "crimes"), ("Ashford 007A", SEXUAL): (None, "crimes"),
                        ("Ashford 007A", VIOLENCE): (None, "crimes")}, fmt
        trend = tables[f"{fmt} crime_trend"].set_index(["area_code", "offence_group"])
        district_total = int(trend.loc[(ASHFORD, SEXUAL), "crimes"])
        assert district_total == 17 and int(trend.loc[(ASHFORD, "All crime"), "crimes"]) == 19
        assert int(trend.loc[(ASHFORD, VIOLENCE), "crimes"]) == 1
        assert lsoa.loc[lsoa.offence_group == SEXUAL, "crimes"].isna().all()   # 17 over three hidden counts
        assert int(trend.loc[("county", "All crime"), "crimes"]) == 30   # the county's month, never suppressed
        # October 2025 is 1 of the 12 months November 2024 - October 2025: no 12-month totals, blank not 0
        rolling = tables[f"{fmt} crime_rolling_12m"]
        assert rolling["current_count"].isna().all() and rolling["previous_count"].isna().all()
        assert {"Kent", "Medway", "Dover"} <= set(rolling["area_name"])
        monthly = tables[f"{fmt} measure_monthly"]
        police = monthly[monthly.source == "police_crime"].set_index(["area_code", "measure_id"])
        assert police["suppressed_columns"].isna().all()      # the same 17 as crime_trend, not small
        assert [police.loc[(ASHFORD, m), "value"] for m in ("sexual_offences", "violent_crime", "vawg", "all_crime")] \
            == [17, 18, 17, 19]


# measure_monthly's columns worked out from a month's count, by name and by the workbook's headings: its rolling
# total is not among them, as the fixture's one month has none (no data, not withheld)
DERIVED = "change, pct_change, p_value, q_value, verdict"
DERIVED_HEADINGS = "Change; Change (%); p-value; Adjusted p-value (q); Verdict"


@pytest.mark.parametrize("district, code, expected", [
    ("ashford", ASHFORD, None), ("thanet", "E07000114", None), ("dover", "E07000108", 0)])
def test_hospital_counts_follow_the_hes_rule(refreshed, district, code, expected):
    tables = every_table(refreshed.marts_dir / "districts" / district)
    for fmt in ("parquet", "duckdb", "xlsx"):
        monthly = tables[f"{fmt} measure_monthly"]
        assault = monthly[monthly.measure_id == "hospital_admissions_assault"].set_index("area_code")
        shown = {area: None if pd.isna(v) else float(v) for area, v in assault["value"].items()}
        assert shown == {"county": 10.0, code: expected}, fmt   # 12 rounded to 5; 3 suppressed, 9 with it
        # what is worked out from the true count is withheld wherever the count is rounded, and named so whether it
        # has a value or not (this month's change and q-value have none: which are blank would say more)
        assert assault.loc[code, "suppressed_columns"] == (DERIVED if expected == 0 else f"value, {DERIVED}"), fmt
        # so is the trend worked out from the months where one is hidden or rounded: the county's (12 rounded)
        # and a district's with 3 (hidden), not Dover's, whose 0 is shown as it is
        trend = tables[f"{fmt} measure_trend"]
        trend = trend[trend.measure_id == "hospital_admissions_assault"].set_index("area_code")
        withheld = {area: trend.loc[area, ["direction", "p_value", "slope_per_year"]].isna().all()
                    and trend.loc[area, "suppressed_columns"] == "direction, p_value, slope_per_year" for area in trend.index}
        assert withheld == {"county": True, code: expected is None}, fmt
        police = tables[f"{fmt} measure_trend"].set_index(["measure_id", "area_code"]).loc[("all_crime", "county")]
        assert police["direction"] == "too short to say" and pd.isna(police["suppressed_columns"]), fmt


def test_a_count_the_mart_hides_is_blank_in_the_district_pack(refreshed):
    """Ashford's 3 hospital admissions for assault are hidden in its mart (and the county's 12 rounded
    to 10): its pack shows the same, in every format, and withholds the verdict worked out from them."""
    tables = pack_tables(refreshed.marts_dir / "districts" / "ashford")
    for where in ("pack monthly_series.csv", "pack monthly_series.parquet", "pack xlsx Monthly_series"):
        monthly = tables[where]
        assault = monthly[monthly.measure_id == "hospital_admissions_assault"].set_index("area_code")
        assert {area: None if pd.isna(v) else float(v) for area, v in assault["value"].items()} == {
            "county": 10.0, ASHFORD: None}, where
        assert assault["verdict"].isna().all(), where
        assert assault["suppressed_columns"].to_dict() == {"county": DERIVED, ASHFORD: f"value, {DERIVED}"}, where


def test_district_pack_document_is_marked_on_every_page_and_titled_for_the_district(refreshed, tmp_path):
    """With documents on, one district's pack from its published mart (the DuckDB file's tables)."""
    tables = load_spec(rule_names=set(rules_from_settings(refreshed.disclosure)))
    with duckdb.connect(str(refreshed.marts_dir / "districts" / "ashford" / "ashford.duckdb"), read_only=True) as mart:
        frames = {t.name: mart.table(t.name).df() for t in tables}
    frames = {name: f.assign(month=pd.to_datetime(f["month"])) if "month" in f else f for name, f in frames.items()}
    with connect(refreshed.warehouse) as con:
        set_variables(con, refreshed, AS_OF)
        inputs = load_pack_inputs(con)
    stamp = Stamp(MARKING, "Kent", "run", dt.datetime(2026, 11, 23, 9), "v")
    ashford = District(ASHFORD, "Ashford")
    rules = county_rules(load_catalogue(refreshed.catalogue, refreshed.series_breaks), rules_from_settings(refreshed.disclosure))
    files = write_district_pack(district_pack_inputs(inputs, district_scope(ashford, "Kent"), tables, frames, rules),
                                ashford, "Kent", tmp_path / "pack", stamp, documents=True)
    assert tmp_path / "pack" / "assessment_pack.pdf" in files and tmp_path / "pack" / "assessment_pack.html" in files
    pdf = PdfReader(tmp_path / "pack" / "assessment_pack.pdf")
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) > 10 and all(text.count(MARKING) >= 2 for text in pages)
    assert " ".join(pages[0].replace(MARKING, "").split()).startswith(
        "Ashford community safety strategic assessment Assessment pack for the Community Safety Partnership "
        "Working Group: Ashford, with Kent as its comparator.")
    text = " ".join(pages)
    assert "nan" not in text.split() and "None" not in text.split()
    # the trend of admissions the mart hides is withheld, and the pack says so
    assert ("The longer-term trend of Hospital admissions for assault in Ashford is not shown: some of its months are "
            "hidden or rounded to protect small numbers") in " ".join(text.split())
    # the district's own trends and seasons; no chart comparing districts (it would show one bar)
    charts = {p.stem.rsplit("_", 1)[-1] for p in (tmp_path / "pack" / "charts").glob("*.png")}
    assert "trend" in charts and charts <= {"trend", "seasonality"}
    html = (tmp_path / "pack" / "assessment_pack.html").read_text(encoding="utf-8")
    assert ('alt="Violent crime in Ashford: monthly count, October 2025. The figures are in the table under the chart '
            'and on the workbook&#39;s Monthly_series sheet."') in html   # one month: no rolling total drawn, none said


def test_mart_workbook_heads_columns_in_words_and_its_files_keep_their_names(refreshed):
    folder = refreshed.marts_dir / "districts" / "ashford"
    workbook = openpyxl.load_workbook(folder / "ashford.xlsx")
    headings = {}
    for sheet in ("README", "crime_rolling_12m", "measure_change", "Columns"):
        (table,) = workbook[sheet].tables.values()
        top = int(table.ref.split(":")[0][1:])   # the table's heading row, right under the notes
        headings[sheet] = tuple(c.name for c in table.tableColumns)
        headings[f"{sheet} notes"] = [workbook[sheet].cell(r, 1).value for r in range(1, top)]
    assert headings["README"] == ("Table", "Title", "Description", "Grain", "Period", "Rows",
                                  "Disclosure", "Parquet file", "In the workbook")
    assert ("The sheets head their columns in words; the Columns sheet gives each heading's column name in the "
            "DuckDB tables, Parquet and CSV files.") in headings["README notes"]
    assert headings["crime_rolling_12m"][:10] == (
        "Area type", "Area code", "Area", "Offence group", "Latest period", "Previous period",
        "Periods compared", "Crimes, latest period", "Crimes, previous period", "Change")
    change = headings["measure_change"]
    assert change[change.index("Count, latest period"):change.index("Count, latest period") + 4] == (
        "Count, latest period", "Count, previous period", "Change", "Change (%)")
    assert {"Rate per 1,000 residents, latest period", "Adjusted p-value (q)", "p-value", "Verdict",
            "Rate per 1,000, previous period: upper 95% limit", "Columns suppressed"} <= set(change)
    assert headings["Columns"] == ("Heading in this workbook",
                                   "Column name in the DuckDB tables, Parquet and CSV files")
    assert ("Columns suppressed names a row's withheld values by their headings in this workbook, separated by "
            "semicolons; the DuckDB tables, Parquet and CSV files name them by their column names, separated by "
            "commas.") in headings["Columns notes"]
    # Ashford's 3 hospital admissions for assault, hidden, and the verdict worked out from them: in words in the
    # workbooks (the mart's and its pack's), by name in the files (as every_table and pack_tables read them back)
    for path, sheet in [(folder / "ashford.xlsx", "measure_monthly"),
                        (folder / "pack" / "assessment_tables.xlsx", "Monthly_series")]:
        workbook = openpyxl.load_workbook(path)
        rows = list(workbook[sheet].iter_rows(values_only=True))
        (table,) = workbook[sheet].tables.values()
        top = int(table.ref.split(":")[0][1:]) - 1
        measure, area, listed = (rows[top].index(h) for h in ("Measure ID", "Area code", "Columns suppressed"))
        assert {(r[measure], r[area]): r[listed] for r in rows[top + 1:]
                if r[measure] == "hospital_admissions_assault"} == {
            ("hospital_admissions_assault", "county"): DERIVED_HEADINGS,
            ("hospital_admissions_assault", ASHFORD): f"Count; {DERIVED_HEADINGS}"}, path.name
    # the Parquet files, DuckDB tables and CSV keep the column names, and each has a heading in words
    tables = every_table(folder)
    for fmt in ("parquet", "duckdb", "xlsx"):
        # the marking on every row of the files; a workbook's sheet states it above its table
        assert list(tables[f"{fmt} measure_change"].columns[:4]) == (
            ["measure_id", "measure_name", "unit", "aim_number"] if fmt == "xlsx"
            else ["protective_marking", "measure_id", "measure_name", "unit"]), fmt
        assert {"current_rate_per_1000", "q_value", "pct_change", "previous_value", "suppressed_columns"} <= set(
            tables[f"{fmt} measure_change"].columns), fmt
    with (folder / "crime_lsoa_monthly.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["protective_marking", "lad_code", "lsoa_code", "lsoa_name", "month",
                                        "offence_group", "crimes", "suppressed_columns", "produced_by_run"]
    for name in ("ashford", "dover"):
        written = [c for where, frame in [*every_table(folder.parent / name).items(),
                                          *pack_tables(folder.parent / name).items()]
                   if not where.startswith("duckdb about") for c in frame.columns]
        assert unlabelled(written) == [], name


def test_marts_are_marked_and_explain_their_tables_and_periods(refreshed):
    folder = refreshed.marts_dir / "districts" / "ashford"
    for where, frame in every_table(folder).items():
        if where.startswith("xlsx ") and where != "xlsx crime_lsoa_monthly":   # a sheet, not the CSV beside it
            assert "protective_marking" not in frame, where   # stated above the table (below), not on every row
        else:
            assert set(frame["protective_marking"]) == {MARKING}, where
    with duckdb.connect() as con:
        for path in (folder / "parquet").glob("*.parquet"):
            metadata = dict(con.execute("SELECT key::VARCHAR, value::VARCHAR FROM parquet_kv_metadata($p)",
                                        {"p": str(path)}).fetchall())
            assert metadata["protective_marking"] == MARKING and metadata["district"] == "Ashford"
        # and the district's pack's tables, in their footers as well as on every row
        packs = sorted((folder / "pack" / "tables").glob("*.parquet"))
        assert len(packs) == 38
        for path in packs:
            metadata = dict(con.execute("SELECT key::VARCHAR, value::VARCHAR FROM parquet_kv_metadata($p)",
                                        {"p": str(path)}).fetchall())
            assert (metadata["protective_marking"], metadata["area"]) == (MARKING, "Ashford"), path.name
    workbook = openpyxl.load_workbook(folder / "ashford.xlsx")
    assert workbook.sheetnames == ["Cover", "README", "crime_trend", "crime_rolling_12m",   # crime_lsoa_monthly: a CSV
                                   "measure_change", "measure_shares", "measure_monthly", "measure_trend", "Columns"]
    with (folder / "crime_lsoa_monthly.csv").open(encoding="utf-8") as fh:
        header, first, *_ = csv.reader(fh)
    assert (header[0], header[-1]) == ("protective_marking", "produced_by_run")
    run_id = json.loads((folder / "run_manifest.json").read_text())["produced_by_run"]
    assert (first[0], first[-1]) == (MARKING, run_id)
    readme_sheet = [row for row in workbook["README"].iter_rows(values_only=True)]
    assert any(row[-1] == "not in the workbook: crime_lsoa_monthly.csv" for row in readme_sheet)
    assert workbook.properties.subject == MARKING
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == MARKING
        assert MARKING in sheet.oddHeader.center.text and MARKING in sheet.oddFooter.left.text
        assert sheet.freeze_panes is None, sheet.title
    for sheet in workbook.worksheets[1:]:   # the run: the last line above each table, right above its headings
        (table,) = sheet.tables.values()
        top = int(table.ref.split(":")[0][1:])
        assert sheet.cell(top - 1, 1).value.startswith(f"Produced by run {run_id} ("), sheet.title
        assert all(sheet.cell(r, 1).value for r in range(1, top)), f"{sheet.title}: a blank row above its table"
    cover = [c.value for (c,) in workbook["Cover"].iter_rows(max_col=1)]
    assert cover[:8] == [
        MARKING, "Ashford district data mart (Kent)",
        f"{MARKING}: for the Ashford Community Safety Partnership's strategic assessment only. Do not share beyond the "
        "partnership, and keep it on systems cleared for OFFICIAL-SENSITIVE data.",
        "Ashford (E07000105) district data mart, Kent: the district's own data at fine grain; the county and other "
        "areas only as comparators at district level.",
        "The README sheet lists every table: what it holds, its grain, period, rows and disclosure, and where it is "
        "(a sheet of this workbook, or a CSV file beside it).",
        "Protective marking",
        f"{MARKING}: every sheet says so in its first cell and in its header and footer, and so do the file's "
        "properties.",
        "Period covered"]
    assert cover[cover.index("Run and data version") + 1].startswith(f"Produced by run {run_id} (")
    assert cover[-1] == "[c] marks a value withheld to protect small numbers; a blank cell has no data."
    notes = [workbook["crime_rolling_12m"].cell(r, 1).value for r in range(1, 10)]
    assert NOT_AVAILABLE in notes
    assert "Months: October 2025 – October 2025" in [workbook["crime_trend"].cell(r, 1).value for r in range(1, 10)]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# Ashford district data mart — {MARKING}\n")
    for text in ("### `crime_lsoa_monthly`", "### `crime_trend`", "### `crime_rolling_12m`", NOT_AVAILABLE,
                 "Rows: Ashford's own LSOAs only", "Rows: Ashford and Kent (the county)",
                 "Rows: Ashford, Kent (the county), the other 11 districts of the county and Medway",
                 "Sexual offences: counts of 1 to 4 in LSOAs, districts, neighbouring areas suppressed",
                 "hospital_admissions_assault: counts of 1 to 7 in LSOAs, districts, neighbouring areas, the "
                 "county suppressed, others rounded to the nearest 5",
                 "Periods: each row names its own", "Disclosure: no counts in this table",
                 "CSV `crime_lsoa_monthly.csv` (too many rows for a workbook sheet)",
                 "near the 0.05 line a verdict can differ from the county pack's for the same counts"):
        assert text in readme
    with duckdb.connect(str(folder / "ashford.duckdb"), read_only=True) as con:
        assert con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'ashford'"
                           ).fetchall() == [("v2.0.0+",)]
        assert con.execute("SELECT table_name FROM readme").fetchall() == [
            ("crime_lsoa_monthly",), ("crime_trend",), ("crime_rolling_12m",), ("measure_change",),
            ("measure_shares",), ("measure_monthly",), ("measure_trend",)]


def test_mart_files_are_readable_by_owner_and_group_only(refreshed):
    marts = refreshed.marts_dir / "districts"
    paths = [marts, *marts.rglob("*")]
    assert len(paths) == 1 + 12 * (14 + 79)   # each mart: 6 files, parquet/ and its 7 files, pack/ and its 78
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == (0o750 if path.is_dir() else 0o640), path


def test_manifest_lists_every_file_with_its_checksum(refreshed):
    folder = refreshed.marts_dir / "districts" / "dover"
    manifest = json.loads((folder / "run_manifest.json").read_text())
    assert manifest["district"] == {"name": "Dover", "lad_code": "E07000108", "slug": "dover"}
    assert manifest["protective_marking"] == MARKING
    assert sorted(o["file"] for o in manifest["outputs"]) == sorted([
        "README.md", "dover.duckdb", "dover.xlsx", "crime_lsoa_monthly.csv", "parquet/crime_lsoa_monthly.parquet",
        "parquet/crime_rolling_12m.parquet", "parquet/crime_trend.parquet", "parquet/measure_change.parquet",
        "parquet/measure_monthly.parquet", "parquet/measure_shares.parquet", "parquet/measure_trend.parquet",
        *sorted(f"pack/{p.relative_to(folder / 'pack')}" for p in (folder / "pack").rglob("*") if p.is_file())])
    assert sum(o["file"].startswith("pack/") for o in manifest["outputs"]) == 1 + 76   # workbook, tables/
    assert sorted((i["file"], i["rows_loaded"]) for i in manifest["inputs"]) == [
        ("hes_admissions_2025-10.csv", 30), ("october_2025.csv", 33)]
    # the rows the numbers use, and their months (HES's counts under its rule, to the nearest 5)
    assert sorted((i["file"], i["rows_current"], i["first_month"], i["last_month"]) for i in manifest["inputs"]) == [
        ("hes_admissions_2025-10.csv", 30, "2025-10", "2025-10"), ("october_2025.csv", 33, "2025-10", "2025-10")]
    county = json.loads((refreshed.marts_dir / "county" / "run_manifest.json").read_text())
    for key in ("catalogue_version", "measures", "reference_data"):
        assert manifest[key] == county[key]
    # every measure of the catalogue, in its order (25 counts and rates, 5 shares)
    assert manifest["measures"][:3] == ["all_crime", "asb_incidents", "shoplifting"] and len(manifest["measures"]) == 30
    assert {"ksi_casualties", "first_time_entrants", "violent_share"} <= set(manifest["measures"])
    assert [r["file"] for r in manifest["reference_data"]] == sorted(
        p.name for p in refreshed.reference_dir.iterdir() if p.is_file())


def pull(settings, district, to) -> int:
    return main(["--marts", str(settings.marts_dir), "marts", "pull", "--district", district, "--to", str(to)])


@pytest.fixture
def own_copy(refreshed, tmp_path):
    """The published marts copied, so a test can tamper with them."""
    shutil.copytree(refreshed.marts_dir, tmp_path / "marts")
    return refreshed.with_paths(marts_dir=tmp_path / "marts")


@pytest.mark.parametrize("name", ["Tunbridge Wells", "  TUNBRIDGE   wells ", "tunbridge-wells", "e07000116"])
def test_pull_copies_a_mart_that_matches_its_manifest(refreshed, tmp_path, capsys, name):
    assert pull(refreshed, name, tmp_path / "out") == 0
    copy = tmp_path / "out" / "tunbridge-wells"
    manifest = json.loads((copy / "run_manifest.json").read_text())
    source = refreshed.marts_dir / "districts" / "tunbridge-wells"
    for output in manifest["outputs"]:
        assert (copy / output["file"]).read_bytes() == (source / output["file"]).read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o750
    assert "Tunbridge Wells mart copied to" in capsys.readouterr().out


def test_pull_refuses_a_tampered_file_and_copies_nothing(own_copy, tmp_path, capsys):
    with duckdb.connect(str(own_copy.marts_dir / "districts" / "ashford" / "ashford.duckdb")) as con:
        con.execute("UPDATE crime_lsoa_monthly SET crimes = 2, suppressed_columns = NULL WHERE crimes IS NULL")
    assert pull(own_copy, "Ashford", tmp_path / "out") == 2
    assert "ashford.duckdb in the Ashford mart does not match its checksum" in capsys.readouterr().err
    assert list((tmp_path / "out").iterdir()) == []


def test_pull_to_a_file_or_before_a_refresh_is_one_line(refreshed, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert pull(refreshed, "Ashford", tmp_path / "notes.txt") == 2   # was a FileExistsError's traceback
    assert capsys.readouterr().err == f"csp: error: {tmp_path / 'notes.txt'} is a file: give the folder to copy the mart into\n"
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert pull(refreshed.with_paths(marts_dir=tmp_path / "none"), "Ashford", tmp_path / "out") == 2
    assert capsys.readouterr().err == (f"csp: error: no mart for Ashford in {tmp_path / 'none' / 'districts'}: run the "
                                       "refresh first\n")
    # a folder that cannot be made (inside a file): one line, exit 2, where it was the refresh's words and exit 1
    assert pull(refreshed, "Ashford", tmp_path / "notes.txt" / "marts") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"csp: error: cannot copy the mart into {tmp_path / 'notes.txt' / 'marts'}: Not a directory (")
    assert err.endswith("); nothing was copied: give a folder this user can write in\n")


def test_pull_refuses_a_file_the_manifest_does_not_list(own_copy, tmp_path, capsys):
    (own_copy.marts_dir / "districts" / "ashford" / "parquet" / "extra.parquet").write_bytes(b"PAR1")
    assert pull(own_copy, "ashford", tmp_path / "out") == 2
    assert "not listed ['parquet/extra.parquet']: refused" in capsys.readouterr().err


def test_pull_refuses_a_link_inside_the_mart(own_copy, tmp_path, capsys):
    (own_copy.marts_dir / "districts" / "ashford" / "pack" / "dover").symlink_to("../../dover")
    assert pull(own_copy, "ashford", tmp_path / "out") == 2
    assert "the Ashford mart holds ['pack/dover'], which are not files: refused" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("into", ["districts/dover", ".", ".current/county"])
def test_pull_refuses_to_copy_into_the_published_outputs(own_copy, tmp_path, capsys, into):
    dover = sorted(p.name for p in (own_copy.marts_dir / "districts" / "dover").iterdir())
    assert pull(own_copy, "ashford", own_copy.marts_dir / into) == 2
    assert "is inside the published outputs" in capsys.readouterr().err
    assert sorted(p.name for p in (own_copy.marts_dir / "districts" / "dover").iterdir()) == dover


@pytest.mark.parametrize("into", ["tunbridge-wells", "tunbridge-wells/pack/more"])
def test_pull_refuses_to_copy_into_a_mart_pulled_before(refreshed, tmp_path, capsys, into):
    """Ashford's mart inside Tunbridge Wells's copy would be a file its manifest does not list."""
    assert pull(refreshed, "Tunbridge Wells", tmp_path / "share") == 0
    pulled = tmp_path / "share" / "tunbridge-wells"
    before = sorted(p.relative_to(pulled) for p in pulled.rglob("*"))
    assert pull(refreshed, "Ashford", tmp_path / "share" / into) == 2
    assert capsys.readouterr().err == (
        f"csp: error: {tmp_path / 'share' / into / 'ashford'} is inside {pulled}, which holds Tunbridge Wells's mart "
        "(run_manifest.json): pull the mart to a folder outside it\n")
    assert sorted(p.relative_to(pulled) for p in pulled.rglob("*")) == before


def test_pull_replaces_only_the_same_districts_mart_pulled_before(refreshed, tmp_path, capsys):
    """The pull replaces <to>/<district> as a whole: again over the same district's earlier copy, but not over
    another district's mart, a folder of other files, or an earlier copy holding files of the reader's own
    (each would be deleted with it)."""
    share = tmp_path / "share"
    assert pull(refreshed, "Tunbridge Wells", share) == 0
    assert pull(refreshed, "Tunbridge Wells", share) == 0   # a second pull: the same mart, replaced
    capsys.readouterr()
    pulled = share / "tunbridge-wells"
    (pulled / "my_notes.txt").write_text("questions for the county team")
    assert pull(refreshed, "Tunbridge Wells", share) == 2
    assert capsys.readouterr().err == (
        f"csp: error: {pulled} holds files besides the Tunbridge Wells mart pulled there before (my_notes.txt): "
        "move them out first (the pull replaces the folder, and would delete them)\n")
    assert (pulled / "my_notes.txt").is_file()
    (pulled / "my_notes.txt").unlink()
    # ... nor over an earlier copy's file changed since, such as its workbook saved with the reader's own work
    (pulled / "tunbridge-wells.xlsx").write_bytes(b"PK my pivot tables")
    assert pull(refreshed, "Tunbridge Wells", share) == 2
    assert capsys.readouterr().err == (
        f"csp: error: {pulled} holds the Tunbridge Wells mart pulled there before, changed since "
        "(tunbridge-wells.xlsx): move them out first (the pull replaces the folder, and would overwrite them)\n")
    assert (pulled / "tunbridge-wells.xlsx").read_bytes() == b"PK my pivot tables"
    # Tonbridge and Malling's mart copied where Tunbridge Wells's would go
    shutil.copytree(refreshed.marts_dir / "districts" / "tonbridge-and-malling", tmp_path / "other" / "tunbridge-wells")
    assert pull(refreshed, "Tunbridge Wells", tmp_path / "other") == 2
    assert capsys.readouterr().err == (f"csp: error: {tmp_path / 'other' / 'tunbridge-wells'} holds Tonbridge and "
                                       "Malling's mart: pull Tunbridge Wells's to another folder\n")
    budget = tmp_path / "work" / "thanet" / "budget.xlsx"
    budget.parent.mkdir(parents=True)
    budget.write_bytes(b"PK")
    assert pull(refreshed, "Thanet", tmp_path / "work") == 2
    assert "already holds files and is not a mart pulled there" in capsys.readouterr().err
    assert budget.read_bytes() == b"PK"


def test_pull_refuses_to_copy_into_other_published_outputs(refreshed, own_copy, capsys):
    """Another refresh's outputs folder (here a copy of the published one) is published outputs too."""
    dover = sorted(p.name for p in (own_copy.marts_dir / "districts" / "dover").iterdir())
    assert pull(refreshed, "Dover", own_copy.marts_dir / "districts") == 2
    assert "is inside published outputs" in capsys.readouterr().err
    assert sorted(p.name for p in (own_copy.marts_dir / "districts" / "dover").iterdir()) == dover


def test_pull_refuses_a_manifest_pointing_outside_the_mart(own_copy, tmp_path, capsys):
    path = own_copy.marts_dir / "districts" / "ashford" / "run_manifest.json"
    manifest = json.loads(path.read_text())
    manifest["outputs"][0]["file"] = "../dover/dover.duckdb"
    path.write_text(json.dumps(manifest))
    assert pull(own_copy, "ashford", tmp_path / "out") == 2
    assert "lists '../dover/dover.duckdb', which is not a file inside the mart: refused" in capsys.readouterr().err


def test_pull_copies_one_release_while_a_refresh_swaps_in_another(refreshed, tmp_path, monkeypatch, capsys):
    """A refresh makes a new release current while a district's mart is being copied: every file
    still comes from the release the pull began with (it used to read the rest from the new one,
    and refuse, the files no longer matching the manifest it had read)."""
    import csp.marts.pull

    marts = tmp_path / "marts"
    shutil.copytree(refreshed.marts_dir, marts, symlinks=True)
    before = (marts / ".current").resolve()
    newer = before.parent / "newer"
    copy, swapped = shutil.copyfile, []

    def swap_then_copy(source, destination, **options):
        if not swapped:   # the refresh's swap, just before the first file is copied
            swapped.append(True)
            shutil.copytree(before, newer, symlinks=True)
            with (newer / "districts" / "ashford" / "README.md").open("a", encoding="utf-8") as readme:
                readme.write("\nA newer release.\n")
            os.symlink(f"{before.parent.name}/newer", marts / "link")
            os.replace(marts / "link", marts / ".current")
            assert (marts / ".current").resolve() == newer
        return copy(source, destination, **options)
    monkeypatch.setattr(csp.marts.pull.shutil, "copyfile", swap_then_copy)
    assert pull(refreshed.with_paths(marts_dir=marts), "Ashford", tmp_path / "out") == 0, capsys.readouterr().err
    pulled = tmp_path / "out" / "ashford"
    assert (pulled / "README.md").read_bytes() == (before / "districts" / "ashford" / "README.md").read_bytes()
    manifest = "districts/ashford/run_manifest.json"
    assert (pulled / "run_manifest.json").read_bytes() == (before / manifest).read_bytes()


@pytest.mark.parametrize("name", ["../ashford", "ashford/../dover", "/etc/passwd", ".", "", "Medway", "Ashfordd",
                                  "Kent", "districts"])
def test_pull_refuses_names_that_are_not_a_district(refreshed, tmp_path, capsys, name):
    assert pull(refreshed, name, tmp_path / "out") == 2
    error = capsys.readouterr().err
    assert f"{name!r} is not a district with a mart; valid names: Ashford, Canterbury, Dartford, Dover, " \
           "Folkestone and Hythe, Gravesham, Maidstone, Sevenoaks, Swale, Thanet, Tonbridge and Malling, " \
           "Tunbridge Wells" in error
    assert not (tmp_path / "out").exists()


def test_marts_written_by_worker_processes_are_the_same_bytes_as_written_in_one_process(refreshed, tmp_path):
    """[publish] workers: the workbooks, CSV files, READMEs and packs written by two worker processes
    are byte for byte those written in the refresh's own process (the DuckDB files too: the current
    release's, whose tables are the same, are kept). With `[marts] pack_documents` off, the district
    packs are their tables only even where the county pack has its documents: the marts published
    with every pack's documents off, byte for byte."""
    from csp.marts.publish import publish_district_marts
    from csp.publish.release import current_release
    from csp.publish.workers import workers

    current = current_release(refreshed.marts_dir)
    manifest = json.loads((current / "districts" / "dover" / "run_manifest.json").read_text())
    stamp = Stamp(manifest["protective_marking"], refreshed.area_name, manifest["produced_by_run"],
                  dt.datetime.fromisoformat(manifest["produced_at"]), manifest["data_version"],
                  dt.date.fromisoformat(manifest["as_of"]))
    written = {}
    for count in (1, 2):
        release = tmp_path / str(count)
        release.mkdir()
        with connect(refreshed.warehouse) as con, workers(count) as pool:
            set_variables(con, refreshed, AS_OF)
            settings = dataclasses.replace(refreshed, publish_workers=count, pack_documents=True,
                                           district_pack_documents=False)
            publish_district_marts(con, settings, stamp, release, pool=pool)
        written[count] = {p.relative_to(release): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}
    assert written[1].keys() == written[2].keys() and len(written[1]) > 12 * 80
    assert [name for name in written[1] if name.suffix in (".pdf", ".html", ".png")] == []
    assert [name for name in written[1] if written[1][name] != written[2][name]] == []
    # and both are the published marts, byte for byte; their manifests but for the settings' fingerprint, which
    # here names [pack] documents on where the refresh had it off
    published = {p.relative_to(current): p.read_bytes() for p in sorted((current / "districts").rglob("*")) if p.is_file()}
    assert written[2].keys() == published.keys()
    assert [name for name in published if name.name != "run_manifest.json" and written[2][name] != published[name]] == []
    for name in (name for name in published if name.name == "run_manifest.json"):
        republished, manifest = json.loads(written[2][name]), json.loads(published[name])
        assert republished.pop("settings_fingerprint") != manifest.pop("settings_fingerprint")
        assert republished == manifest
