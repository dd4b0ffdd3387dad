"""The district marts: for each district of the county, its own fine-grained data and the county and
other areas as comparators, as Parquet, a workbook and a DuckDB file, published all at once under
data/marts/districts/<district>/ (README "District marts")."""
from __future__ import annotations

import contextlib
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from csp.config import Settings
from csp.catalogue import load_catalogue
from csp.marts.cube import cube_cells, subset_measures
from csp.marts.disclosure import protect, rules_from_settings
from csp.marts.dq_counts import county_rules, protected as dq_protected
from csp.marts.districts import District, mart_districts
from csp.marts.pack import PACK_FOLDER, district_pack_inputs, district_scope, write_district_pack
from csp.marts.readme import NO_COUNTS, about_lines, csv_file, disclosure_line, readme_frame, readme_markdown, table_notes
from csp.marts.spec import ABOUT_TABLE, README_SHEET, README_TABLE, MartTable, load_spec
from csp.marts.tables import (FROM_SERIES, altered_series, district_rows, protect_table, published_cells, readjusted,
                               with_zero_rows, withhold_series)
from csp.publish.formats import spreadsheet_safe
from csp.publish.model import DELIVERY_COUNTS, PackInputs, Stamp, marked
from csp.publish.pack_inputs import load_pack_inputs
from csp.publish.manifest import release_about, write_manifest
from csp.publish.release import current_release
from csp.publish.restricted_tables import window_lines
from csp.publish.workbook import COLUMNS, COVER, Cover, Sheet, write_workbook
from csp.publish.workers import Workers
from csp.warehouse import copy_to_parquet, execute, literal, run, sql

log = logging.getLogger("csp")
MARTS_FOLDER = "districts"
# the files holding a mart's tables under their column names, which its workbook heads in words
DATA_FILES = "DuckDB tables, Parquet and CSV files"
WORKBOOK_HEADINGS = (f"The sheets head their columns in words; the {COLUMNS} sheet gives each heading's column name "
                     f"in the {DATA_FILES}.")


@dataclass(frozen=True)
class Mart:
    """One district's mart as written: what a later output for the district (its pack) starts from."""

    district: District
    folder: Path
    database: Path      # the mart's DuckDB file: every table, already under disclosure control
    stamp: Stamp
    previous: Path | None = None   # the same file in the current release, if there is one


@dataclass(frozen=True)
class PendingMarts:
    """District marts whose workbooks, READMEs and packs were handed to the workers: what
    finish_district_marts needs to wait for them and write their manifests."""

    destination: Path
    started: float
    tables: list[MartTable]
    deliveries: pd.DataFrame
    written: list            # (mart, its Parquet files, the future of its write_mart_files job)
    documents: bool
    about: dict              # what every manifest says the release was made from (release_about)


def publish_district_marts(con: duckdb.DuckDBPyConnection, settings: Settings, stamp: Stamp, release: Path,
                           inputs: PackInputs | None = None, pool: Workers | None = None) -> Path:
    """Protect every mart table once for the whole county, then write each district's cut of them
    into release/districts/; they are published with the rest of the run's release, all at once."""
    made_from = release_about(load_catalogue(settings.catalogue, settings.series_breaks), settings)
    return finish_district_marts(con, submit_district_marts(con, settings, stamp, release, made_from, inputs, pool))


def submit_district_marts(con: duckdb.DuckDBPyConnection, settings: Settings, stamp: Stamp, release: Path,
                          made_from: dict, inputs: PackInputs | None = None, pool: Workers | None = None) -> PendingMarts:
    """Disclosure control, then each district's job handed to `pool` (worker processes; without
    one, done here) as soon as its rows are cut, and its DuckDB and Parquet files written here (on
    the warehouse connection) while the job runs. `made_from`: what the release was made from
    (release_about), as the county's manifest says it. `inputs`: the county's pack inputs, if already
    read (else read here). The caller may go on with other work before finish_district_marts."""
    started = time.perf_counter()
    pool = pool or Workers(None)
    documents = settings.pack_documents and settings.district_pack_documents
    kept_charts = settings.cache("charts")
    rules = rules_from_settings(settings.disclosure)
    tables = load_spec(rule_names=set(rules))
    catalogue = load_catalogue(settings.catalogue, settings.series_breaks)
    cells = {}
    subsets = subset_measures(catalogue, con.table("ref.offence_groups").df())
    for name, cube in {t.cube.name: t.cube for t in tables}.items():
        protecting = time.perf_counter()
        cells[name] = protect(cube_cells(con, cube, catalogue, rules), rules, subsets)
        # the public totals (data.police.uk's) are known, never hidden, and in no mart: not counted
        counts = cells[name][~cells[name]["public"]]
        log.info("disclosure control on %s: %d of %d counts suppressed (%d public total(s) taken as known) in %.1f s",
                 ", ".join(cube.cells), int(counts["suppressed"].sum()), len(counts), len(cells[name]) - len(counts),
                 time.perf_counter() - protecting)
    # the 0s the cube adds in LSOA months (beside sexual offences and the like) are rows of the LSOA table too
    warehouse = {t.name: with_zero_rows(con.table(t.table).df(), t, cells[t.cube.name]) for t in tables}
    published = {name: published_cells(cube) for name, cube in cells.items()}
    protected = {t.name: readjusted(t.name, protect_table(warehouse[t.name], t, published[t.cube.name]), t.areas)
                 for t in tables}
    measure_rules = {name: cube.drop_duplicates("measure").set_index("measure")["rule"] for name, cube in cells.items()}
    # the measures whose rule rounds the counts it shows (HES): every month of theirs is altered
    rounded = frozenset(m for by_measure in measure_rules.values() for m, rule in by_measure.items()
                        if rules[rule].round_to > 1)
    for name, (series, columns) in FROM_SERIES.items():
        if name in protected:
            protected[name] = withhold_series(protected[name], altered_series(warehouse[series], protected[series],
                                                                              rounded), columns)
    disclosure = {t.name: disclosure_line(_rules_of(warehouse[t.name], t, measure_rules[t.cube.name]), rules)
                  if t.counts else NO_COUNTS for t in tables}
    areas = con.table("facts.areas").project("area_type, area_code, area_name").distinct().df()
    windows = con.table("facts.source_windows").df().set_index("source")
    destination = settings.marts_dir / MARTS_FOLDER
    districts = mart_districts(con)
    (release / MARTS_FOLDER).mkdir(mode=0o750)
    current = current_release(settings.marts_dir)
    pack_inputs = load_pack_inputs(con) if inputs is None else inputs
    # county-wide counts of each source's records: under a rule covering the county, shown as it shows counts
    dq_rules = county_rules(catalogue, rules)
    deliveries = dq_protected(con.table("dq.deliveries").df(), DELIVERY_COUNTS, dq_rules)
    written = []
    for district in districts:
        codes = _area_codes(areas, district)
        folder = release / MARTS_FOLDER / district.slug
        database = folder / f"{district.slug}.duckdb"
        previous = current / database.relative_to(release) if current else None
        mart = Mart(district, folder, database, stamp, previous)
        frames = {t.name: district_rows(protected[t.name], t, codes) for t in tables}
        about = about_lines(district, settings.area_name, stamp.marking, stamp.words)
        readme = marked(readme_frame(tables, district, areas, windows, disclosure), stamp.marking)
        job = MartFiles(mart, tables, {name: marked(_dates(frame), stamp.marking) for name, frame in frames.items()},
                        readme, about, areas, windows, disclosure, settings.area_name,
                        district_pack_inputs(pack_inputs, district_scope(district, settings.area_name), tables, frames,
                                             dq_rules, rounded),
                        documents, kept_charts)
        mart.folder.mkdir()
        files = pool.submit(write_mart_files, job)   # first, so that a worker starts on it at once
        extra = {README_TABLE: readme, ABOUT_TABLE: marked(pd.DataFrame({"line": about}), stamp.marking)}
        parquet = _write_tables(con, mart, job.frames, extra)
        written.append((mart, parquet, files))
    return PendingMarts(destination, started, tables, deliveries, written, documents, made_from)


def finish_district_marts(con: duckdb.DuckDBPyConnection, pending: PendingMarts) -> Path:
    """Wait for each district's job, then write its manifest (checksums of every file of the mart)."""
    pack_seconds = 0.0
    for mart, parquet, files in pending.written:
        (workbook, csvs, readme_md, pack), seconds = files.result()
        pack_seconds += seconds
        write_manifest(con, mart.folder, mart.stamp, [mart.database, workbook, *csvs, *parquet, readme_md, *pack],
                       pending.deliveries, district={"name": mart.district.name, "lad_code": mart.district.lad_code,
                                                     "slug": mart.district.slug},
                       tables=[t.name for t in pending.tables], **pending.about)
    # the packs' seconds are summed over the workers, so with two they can exceed the wall time
    log.info("district marts: %d written for %s in %.1f s (their packs took %.1f s of work)%s", len(pending.written),
             pending.destination, time.perf_counter() - pending.started, pack_seconds,
             "" if pending.documents else " (their packs' tables only: their documents are off)")
    return pending.destination


@dataclass(frozen=True)
class MartFiles:
    """What a district's workbook, README and pack are written from: plain data, so that a worker
    process can write them (each district's files are independent of the others')."""

    mart: Mart
    tables: list[MartTable]
    frames: dict[str, pd.DataFrame]       # the mart's tables, under disclosure control, marked
    readme: pd.DataFrame                  # the README table, marked
    about: list[str]
    areas: pd.DataFrame
    windows: pd.DataFrame
    disclosure: dict[str, str]
    area_name: str
    pack_inputs: PackInputs              # the district's own (district_pack_inputs)
    documents: bool
    kept_charts: Path | None             # the chart cache's folder (csp.publish.chart_cache)


def write_mart_files(job: MartFiles) -> tuple[tuple[Path, list[Path], Path, list[Path]], float]:
    """The mart's workbook (and CSV files of the tables not in it), README.md and pack; returns them
    and the seconds the pack took."""
    mart, tables = job.mart, job.tables
    district, stamp = mart.district, mart.stamp
    marking, area_name, about, readme = stamp.marking, job.area_name, job.about, job.readme
    workbook = mart.folder / f"{district.slug}.xlsx"
    said = [line for line in about if line != stamp.words]   # the run: the last line above every sheet's table
    periods, sources = window_lines(job.pack_inputs.windows)
    in_csv = ", ".join(f"`{t.name}`" for t in tables if not t.sheet)
    cover = Cover(
        [*said, f"The {README_SHEET} sheet lists every table: what it holds, its grain, period, rows and disclosure, "
                "and where it is (a sheet of this workbook, or a CSV file beside it)."],
        ["A monthly table runs from its source's first month with data (below, under Sources); a comparison table "
         "compares each source's latest 12 months with the 12 months before:", *periods],
        [*sources, "Partners' extracts, under disclosure control for the marts (the README sheet's Disclosure column)."])
    write_workbook(
        workbook,
        [Sheet(README_SHEET, f"{district.name} district data mart: read me", readme, [*said, WORKBOOK_HEADINGS]),
         *(Sheet(t.name, t.title, job.frames[t.name],
                 table_notes(t, district, job.areas, job.windows, job.disclosure[t.name]))
           for t in tables if t.sheet)],
        marking=marking, title=f"{district.name} district data mart ({area_name})", stamp=stamp.run_at,
        produced=stamp.words, files=DATA_FILES, cover=cover,
    )
    # a table with too many rows for a sheet: a CSV beside the workbook, every row marked
    csvs = [mart.folder / csv_file(t) for t in tables if not t.sheet]
    for t, path in zip([t for t in tables if not t.sheet], csvs):
        # alone of the mart's files a CSV has nowhere else to name its run (Parquet: metadata; workbook: README)
        spreadsheet_safe(job.frames[t.name].assign(produced_by_run=stamp.run_id)).to_csv(
            path, index=False, lineterminator="\n", encoding="utf-8")
    files = {
        mart.database.name: f"every table below, plus `{README_TABLE}` and `{ABOUT_TABLE}` (DuckDB 2.0 storage: open with "
                            "DuckDB 2.0 or later)",
        workbook.name: f"a {COVER} sheet and a {README_SHEET} sheet, then one sheet per table (Excel)"
                       + (f", but {in_csv}" if in_csv else "")
                       + f"; the sheets head their columns in words, and the last, {COLUMNS}, gives each heading's "
                         "column name; each sheet states the marking and the run above its table (the other files "
                         "give the marking on every row)",
        **{path.name: f"the table `{path.stem}` (CSV, UTF-8): too many rows for a workbook sheet" for path in csvs},
        "parquet/": "one Parquet file per table, with the marking in its metadata (Power BI: Get data > Parquet)",
        f"{PACK_FOLDER}/": f"{district.name}'s own assessment pack: the county pack's tables (and, when the run makes "
                           f"documents, its PDF, HTML and charts) for {district.name} with {area_name} as comparator, "
                           "from this mart's numbers",
        "run_manifest.json": "what the mart was made from, and every file's sha256 checksum",
    }
    readme_md = mart.folder / "README.md"
    readme_md.write_text(readme_markdown(district, about, files, readme, marking), encoding="utf-8")
    started = time.perf_counter()
    # from the mart's frames (under disclosure control), so the pack shows no more than the mart;
    # listed in the manifest, so `csp marts pull` copies and checks it with the rest
    pack = write_district_pack(job.pack_inputs, district, area_name, mart.folder / PACK_FOLDER, stamp, job.documents,
                               job.kept_charts)
    return (workbook, csvs, readme_md, pack), time.perf_counter() - started


def _write_tables(con: duckdb.DuckDBPyConnection, mart: Mart, tables: dict[str, pd.DataFrame],
                  extra: dict[str, pd.DataFrame]) -> list[Path]:
    """The mart's DuckDB file (the tables and `extra`), and a Parquet copy of each table. The file is
    attached to the warehouse connection and filled in one transaction: opening a connection of its
    own costs three times as much. Generated statements, as a table or file name cannot be a
    parameter: table names are checked in config/marts.yml (or fixed here), paths built from them
    and quoted."""
    stamp, district = mart.stamp, mart.district
    metadata = {"protective_marking": stamp.marking, "district": district.name, "lad_code": district.lad_code,
                "produced_by_run": stamp.run_id, "data_version": stamp.data_version}
    (mart.folder / "parquet").mkdir()
    parquet = [mart.folder / "parquet" / f"{name}.parquet" for name in tables]
    con.execute(f"ATTACH {literal(str(mart.database))} AS mart (STORAGE_VERSION 'v2.0.0')")
    try:
        con.execute("BEGIN")
        for name, frame in {**tables, **extra}.items():
            con.register("mart_frame", frame)
            con.execute(f"CREATE TABLE mart.{name} AS SELECT * FROM mart_frame")
        con.execute("COMMIT")
        for name, path in zip(tables, parquet):
            copy_to_parquet(con, f"mart.{name}", path, metadata)
    except BaseException:
        # an error or a Ctrl-C mid-transaction leaves it aborted, and then the clean-up fails too: rolled back
        # first, and the clean-up's own errors not raised, so that the run ends with what stopped it (a Ctrl-C:
        # one line and exit 130), not with "Current transaction is aborted" and a traceback
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        with contextlib.suppress(duckdb.Error):
            _detach(con)
        raise
    _detach(con)
    _keep_identical_database(con, mart.database, mart.previous)
    return parquet


def _detach(con: duckdb.DuckDBPyConnection) -> None:
    con.unregister("mart_frame")
    con.execute("DETACH mart")


def _keep_identical_database(con: duckdb.DuckDBPyConnection, new: Path, previous: Path | None) -> None:
    """DuckDB writes a random identifier into every database file, so the same tables never give the
    same bytes twice. When the current release's file holds exactly the same tables, columns and rows,
    its bytes replace the new file's: a re-run with nothing new then changes no byte of the mart (nor
    its manifest's checksum), and the release is recognised as unchanged."""
    if previous is None or not previous.is_file():
        return
    con.execute(f"ATTACH {literal(str(new))} AS new_mart (READ_ONLY)")
    con.execute(f"ATTACH {literal(str(previous))} AS previous_mart (READ_ONLY)")
    try:
        tables = run(con, "ops/database_tables", {"database": "new_mart"})
        same = tables == run(con, "ops/database_tables", {"database": "previous_mart"}) and all(
            execute(con, sql("ops/tables_differ").format(table=f'"{name}"'))[0][0] == 0 for name, _ in tables)
    finally:
        con.execute("DETACH new_mart")
        con.execute("DETACH previous_mart")
    if same:
        shutil.copyfile(previous, new)


def _rules_of(frame: pd.DataFrame, table: MartTable, rules: pd.Series) -> pd.Series:
    """measure -> rule name, for the measures the table's counts are of (`rules`: every measure's in its cube)."""
    measures = {m for cell in table.counts.values() if not cell.measure.startswith("'")
                for m in frame[cell.measure].unique()}
    return rules[rules.index.isin(measures)]


def _area_codes(areas: pd.DataFrame, district: District) -> dict[str, set[str]]:
    """The district's area codes of each kind a mart table can ask for (config/marts.yml `areas`)."""
    of_type = {kind: set(codes) for kind, codes in areas.groupby("area_type")["area_code"]}
    return {"own": {district.lad_code}, "county": of_type.get("county", set()),
            "other_districts": of_type.get("district", set()) - {district.lad_code},
            "neighbours": of_type.get("neighbour", set())}


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Warehouse DATE columns come back from pandas as datetimes: keep them dates in every file."""
    dates = {c: frame[c].dt.date.astype(object).where(frame[c].notna(), None)
             for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])}
    return frame.assign(**dates)
