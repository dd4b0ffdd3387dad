"""The monthly refresh as plain functions: ingest every source, build the models, publish.

The Prefect flow (flows/monthly_refresh.py) calls these same steps as tasks; tests call them
directly. Each step opens the warehouse itself, so steps can run as separate tasks.

A refresh is safe to kill at any moment and to re-run:
- one run at a time (csp/runlock.py); a run that finds the lock left by a dead run takes it over;
- each delivery (or batch of plain CSVs read together) lands in one transaction, and the derived
  tables are built in one transaction,
  so the warehouse holds the previous build or the new one, never half of one;
- all outputs are published by one atomic rename (csp/publish/release.py);
- a re-run with nothing new skips the build (same data version) and renders nothing (the release
  already holds that data version; rendering again would give the same bytes).
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from csp import InputError
from csp.catalogue import load_catalogue
from csp.config import Settings, check_window_ends
from csp.contracts import available_sources, load_contract
from csp.ingest.deliveries import DeliveryResult, Gone, NotRead, copies, gone, gone_words, ingest_source, misplaced
from csp.marts.publish import finish_district_marts, submit_district_marts
from csp.publish import chart_cache
from csp.publish.data_docs import delivery_pages, publish_data_docs
from csp.publish.assemble import sample_line
from csp.publish.manifest import published, release_about, released_as_of, write_manifest
from csp.publish.model import Stamp
from csp.publish.pack import write_pack
from csp.publish.pack_inputs import county_scope, load_pack_inputs
from csp.publish.quality_report import (gap_lines, gaps_compared, mixed_forms_lines, overdue_lines,
                                        write_quality_report)
from csp.publish.release import current_release, restricted_umask, run_release
from csp.publish.workers import warm_up, workers
from csp.runlock import run_lock
from csp.runs import code_version, data_version, new_run_id, rules_version
from csp.stop_signals import as_stop
from csp.synth import sample_checksums
from csp.warehouse import connect, records, run as run_sql, set_variables, transaction
from transforms.build import Since, build_models, build_reference

log = logging.getLogger("csp")


@dataclass(frozen=True)
class Run:
    settings: Settings
    run_id: str
    started_at: dt.datetime
    as_of: dt.date
    not_read: tuple[NotRead, ...] = ()   # what lies in the raw folder where no source reads it
    gone: tuple[Gone, ...] = ()          # loaded deliveries whose file is no longer in the raw folder
    removed: tuple[Gone, ...] = ()       # quarantined ones likewise (a copy removed, as the report advises)

    @contextlib.contextmanager
    def warehouse(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one step, closed when the block ends; a query interrupted there by Ctrl-C or
        SIGTERM ends the step as that stop, not as DuckDB's error."""
        with as_stop(), connect(self.settings.warehouse, self.settings.memory_limit) as con:
            set_variables(con, self.settings, self.as_of)
            yield con


@dataclass(frozen=True)
class Published:
    outputs_dir: Path
    outputs: list[Path]
    comparison: str
    changed: bool          # False: the new files were identical to the release already there
    stamp_run_id: str      # the first run that produced this data version
    quality_report: Path   # the data-quality report (HTML) of the release


@dataclass(frozen=True)
class RunReport:
    """What a run did, for the analyst: read back from the warehouse after publishing, for the flow run's
    artifacts, which Prefect keeps outside the restricted warehouse and outputs: counts, codes and row numbers,
    no partner's value (a reason quotes one; the data-quality report gives them)."""
    deliveries: list[dict]    # this run's deliveries: rows received, loaded, quarantined (a reason: withheld)
    quarantines: list[dict]   # their quarantined rows by file and reason code, with the first row's number
    headlines: list[dict]     # the county's rolling 12-month changes by offence group
    windows: list[str]        # what the log warned of the months compared (window_warnings): for a scheduled run's page

    def deliveries_in_words(self) -> str:
        """This run's new deliveries: '2 (1 loaded, 1 quarantined whole); 17,196 rows loaded, 11 rows
        quarantined', or 'none'; with those landed by a run that stopped before publishing, said so."""
        if not self.deliveries:
            return "none"
        quarantined = sum(d["status"] == "quarantined" for d in self.deliveries)
        earlier = sum(d["earlier_run"] for d in self.deliveries)
        return (f"{len(self.deliveries)} ({len(self.deliveries) - quarantined} loaded, {quarantined} quarantined "
                f"whole); {sum(d['rows_loaded'] for d in self.deliveries):,} rows loaded, "
                f"{sum(d['rows_quarantined'] for d in self.deliveries):,} rows quarantined"
                + (f" ({earlier} of the deliveries landed by a refresh that stopped before publishing)" if earlier
                   else ""))


@dataclass
class RefreshSummary:
    run_id: str
    data_version: str
    built: bool
    published: Published
    report: RunReport
    deliveries: list[DeliveryResult] = field(default_factory=list)
    not_read: tuple[NotRead, ...] = ()   # what lies in the raw folder where no source reads it

    @property
    def outputs_dir(self) -> Path:
        return self.published.outputs_dir

    @property
    def outputs(self) -> list[Path]:
        return self.published.outputs

    @property
    def comparison(self) -> str:
        return self.published.comparison


def start_run(settings: Settings, as_of: dt.date | None, run_id: str, started_at: dt.datetime,
              not_read: tuple[NotRead, ...] = ()) -> Run:
    """Record the run; runs left 'running' by a process that died are marked abandoned (the caller
    holds the lock, so no other run is alive), or succeeded where the current outputs are theirs
    (it died after swapping them in, before it could say so)."""
    run = Run(settings, run_id, started_at, as_of or started_at.date(), not_read)
    published_by = published(settings.marts_dir / "county", "produced_by_run")
    with run.warehouse() as con:
        stopped = run_sql(con, "ops/abandon_runs", {"run_id": run_id, "now": started_at, "published_by": published_by})
        run_sql(con, "ops/start_run", {"run_id": run_id, "started_at": started_at, "code_version": code_version(),
                                        "as_of": run.as_of})
    for old_id, old_start, status in stopped:
        if status == "succeeded":
            log.warning("run %s (started %s) stopped after publishing its outputs, before recording that: "
                        "recorded as succeeded", old_id, f"{old_start:%d %B %Y %H:%M}")
        else:
            log.warning("run %s (started %s) stopped without finishing: recorded as abandoned; nothing it "
                        "left half done is in use", old_id, f"{old_start:%d %B %Y %H:%M}")
    log.info("run %s started (as of %s)", run.run_id, run.as_of.isoformat())
    return run


def _say_uncommitted(version: str) -> None:
    """A run from a checkout with changes not committed (`git describe --dirty`): its outputs name a commit that does
    not hold the code that made them (the manifest's code_fingerprint tells it apart, but no checkout gives it)."""
    if version.endswith("-dirty"):
        log.warning("the code has changes not committed (%s): the outputs will name a commit that does not hold the "
                    "code that made them, so no checkout can rerun them (README, \"Reproducing a release\"). Commit "
                    "the changes before a refresh whose outputs go out", version)


def ingest(run: Run, source: str) -> list[DeliveryResult]:
    with run.warehouse() as con:
        results = ingest_source(con, source, run.settings.raw_dir, run.run_id)
    new = [r for r in results if r.status != "unchanged"]
    log.info("%s: %d file(s), %d new (%d loaded, %d quarantined whole)", source, len(results), len(new),
             sum(r.status == "loaded" for r in new), sum(r.status == "quarantined" for r in new))
    return results


def build(run: Run) -> tuple[str, bool]:
    """Build the derived tables in one transaction, unless they already hold this data version:
    incrementally if the last build used the same rules (only new deliveries are checked), else in
    full. Returns (data version, whether a build ran)."""
    with run.warehouse() as con:
        checksums = [r[0] for r in run_sql(con, "ops/delivery_checksums")]
        rules = rules_version(run.settings)
        version = data_version(checksums, run.settings, run.as_of, run.not_read, run.gone + run.removed,
                               sample_checksums(run.settings.raw_dir))
        run_sql(con, "ops/stamp_run", {"run_id": run.run_id, "data_version": version})
        last = next(iter(run_sql(con, "ops/last_build")), None)
        if last and last[0] == version:
            log.info("nothing new since run %s: the derived tables already hold data version %s", last[1], version)
            _say_windows(con)
            return version, False
        since = Since(last[4] or 0, last[3]) if last and last[2] == rules else None
        log.info("building the derived tables %s", "from what changed since run " + last[1] if since
                 else "in full" + (" (the code, settings or reference data changed)" if last else ""))
        catalogue = load_catalogue(run.settings.catalogue, run.settings.series_breaks)
        outcomes = {d[0]: d[4] for d in run_sql(con, "ops/delivery_outcomes")}
        with transaction(con, "build:commit"):
            build_reference(con)
            build_models(con, catalogue, since)
            run_sql(con, "ops/record_build", {"run_id": run.run_id, "built_at": dt.datetime.now(),
                                              "data_version": version, "rules_version": rules})
        missing = [name for _, name, _ in run_sql(con, "ops/areas_without_population")]
        replaced = run_sql(con, "ops/replaced_in_run", {"run_id": run.run_id})
        months_replaced = run_sql(con, "ops/months_replaced", {"run_id": run.run_id})
        checked = records(con, "ops/run_row_checks", {"run_id": run.run_id})
        changed = [d for d in run_sql(con, "ops/delivery_outcomes")
                   if d[3] != run.run_id and d[0] in outcomes and outcomes[d[0]] != d[4]]
        log.info("derived tables built: data version %s", version)
        _say_row_checks(checked)
        _say_outcomes_changed(changed, outcomes, run.as_of)
        _say_windows(con)
    for source, file_name, rows, later in replaced:
        log.warning("%s: %s, landed in this run, has %d rows replaced by a later file landed with it (%s). A "
                    "delivery for a month replaces the month as a whole: if the files are parts of one month, put "
                    "all its rows in one file and send that. Files landed together are taken in the order of their "
                    "file times, then names: if those times do not show the order the files arrived in (copied "
                    "without them, restored from a backup), check that the right one is current (dq.deliveries: "
                    "rows_current)", source, file_name, rows, later)
    for source, file_name, replaced_file, months, rows_now, rows_before, fewer, _ in months_replaced:
        said = (f"{source}: {file_name} replaces {months} of {replaced_file} ({rows_before:,} rows) with "
                f"{rows_now:,} rows")
        if fewer:
            log.warning("%s. A delivery for a month replaces the month as a whole, as a corrected file should: if this "
                        "file adds to the month (late additions, a part), put all the month's rows in one file and "
                        "send that", said)
        else:
            log.info("%s (a corrected file)", said)
    if missing:
        log.warning("no mid-%d population for %s: their rates are left blank (a county's needs every district's)",
                    run.settings.population_mid_year, ", ".join(missing))
    return version, True


def _say_row_checks(checked: list[dict]) -> None:
    """What the row checks made of each delivery this run loaded: the ingest said "landed (N rows)" as the
    file landed, before its rows were checked; a delivery quarantined whole by the checks, or with rows
    quarantined, is said again here with how many rows and the main reason."""
    for d in checked:
        if d["status"] == "quarantined":
            log.warning("%s: %s quarantined once its rows were checked: %s", d["source"],
                        d["file_name"], d["reason"])
        else:
            log.info("%s: %s: %s of %s rows quarantined, most of them (%s) %s: e.g. %s", d["source"], d["file_name"],
                     f"{d['rows_quarantined']:,}", f"{d['rows_received']:,}", f"{d['main_rows']:,}", d["main_code"],
                     d["example"])


def _say_outcomes_changed(changed: list[tuple], before: dict[int, str], as_of: dt.date) -> None:
    """Deliveries of earlier runs whose row checks came out otherwise in this build than in the last: a delivery
    loaded before and quarantined now (an as-of date earlier than its rows' dates makes them future-dated), or
    the other way round. Otherwise only dq.deliveries and the data-quality report would show it."""
    for delivery_id, source, file_name, _, status, reason in changed:
        if status == "quarantined":
            log.warning("%s: %s (delivery %d), %s by an earlier run, is quarantined by this run's row checks (as of "
                        "%s): %s", source, file_name, delivery_id, before[delivery_id], as_of.isoformat(), reason)
        else:
            log.warning("%s: %s (delivery %d), %s by an earlier run, is %s by this run's row checks (as of %s)",
                        source, file_name, delivery_id, before[delivery_id], status, as_of.isoformat())


def _say_windows(con: duckdb.DuckDBPyConnection) -> None:
    for line in window_warnings(con):
        log.warning("%s", line)


def window_warnings(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each source whose latest complete month is older than its contract expects at the run's as-of date, each
    missing months inside the months compared, and each whose months compared came in more than one layout (the
    pack says all three: under Period, in the annex's gaps)."""
    return overdue_lines(con) + list(gap_lines(gaps_compared(con)).values()) + mixed_forms_lines(con)


def publish(run: Run, version: str, built: bool = True) -> Published:
    """Write every output (the county pack, the district marts) into a new release and make it
    current in one step, if anything in it changed. When nothing was built (the warehouse already
    held this data version) and the current release holds it too, nothing is rendered."""
    settings = run.settings
    catalogue = load_catalogue(settings.catalogue, settings.series_breaks)
    before = current_release(settings.marts_dir)
    destination = settings.marts_dir / "county"
    with run.warehouse() as con:
        first = run_sql(con, "ops/first_run_of_version", {"data_version": version, "run_id": run.run_id})[0]
        stamp = Stamp(settings.marking, settings.area_name, first[0], first[1], version, first[2])
        if not built and published(destination, "data_version") == version:
            # the data version covers the deliveries, code and output settings: rendering again would
            # write these very bytes (the idempotence tests), so it is not done
            _say_unchanged(settings, stamp)
            return Published(destination, sorted(p for p in destination.rglob("*") if p.is_file()),
                             comparison_words(con), False, stamp.run_id, destination / QUALITY_FOLDER / "report.html")
        kept_charts = settings.cache("charts")
        charts_before, charts_from = chart_cache.names(kept_charts), time.time()
        with run_release(settings.marts_dir, run.run_id) as release, \
                workers(_worker_count(settings)) as pool:
            county = release / "county"
            county.mkdir()
            # read once: the county pack's and the district packs'
            sample = tuple(load_contract(source).title for (source,) in run_sql(
                con, "publish/sample_sources", {"sample": sorted(sample_checksums(settings.raw_dir))}))
            inputs = dataclasses.replace(load_pack_inputs(con), not_read=run.not_read, gone=run.gone,
                                         sample_sources=sample)
            about = release_about(catalogue, settings)   # every manifest's, the county's and the marts'
            scope = county_scope(stamp.area_name)
            pack = pool.submit(write_pack, inputs, scope, county, stamp, settings.pack_documents,
                               kept_charts)
            marts = submit_district_marts(con, settings, stamp, release, about, inputs, pool) if settings.district_marts else None
            # here while the workers write the packs: the district jobs wait for disclosure control, not for this
            quality = publish_quality(con, county / QUALITY_FOLDER, stamp, settings.cache("data_docs"),
                                      run.not_read, run.gone, run.removed, sample_line(sample, settings.area_name))
            if marts:
                finish_district_marts(con, marts)
            files = pack.result() + quality
            comparison = comparison_words(con)
            files.append(write_manifest(con, county, stamp, files, **about))
    chart_cache.prune(kept_charts, charts_from)   # once the release is out: a failed run leaves the cache as it was
    charts_now = chart_cache.names(kept_charts)
    if settings.pack_documents:
        log.info("charts: %d drawn, %d unchanged since an earlier run and copied", len(charts_now - charts_before),
                 len(charts_now & charts_before))
    changed = current_release(settings.marts_dir) != before
    if changed:
        log.info("published the outputs to %s (county%s; data version %s)", settings.marts_dir,
                 ", district marts" if settings.district_marts else "", version)
    else:
        _say_unchanged(settings, stamp)
    return Published(destination, [destination / f.relative_to(county) for f in files], comparison, changed, stamp.run_id,
                     destination / QUALITY_FOLDER / "report.html")


QUALITY_FOLDER = "data_quality"


def _worker_count(settings: Settings) -> int:
    """Worker processes only when there are district marts: the county pack alone is one job."""
    return settings.publish_workers if settings.district_marts else 1


def _say_unchanged(settings: Settings, stamp: Stamp) -> None:
    log.info("outputs unchanged: %s already holds data version %s, first produced by run %s",
             settings.marts_dir, stamp.data_version, stamp.run_id)


def comparison_words(con: duckdb.DuckDBPyConnection) -> str:
    window = con.table("facts.source_windows").filter("source = 'police_crime'").df().iloc[0]
    return (f"{window['current_period']} compared with {window['previous_period']}"
            if window["comparison_available"] else str(window["comparison_status"]))


def publish_quality(con: duckdb.DuckDBPyConnection, folder: Path, stamp: Stamp, docs_cache: Path,
                    not_read: tuple[NotRead, ...] = (), files_gone: tuple[Gone, ...] = (),
                    files_removed: tuple[Gone, ...] = (), sample: str = "") -> list[Path]:
    """The run's data-quality report and, beside it, the GX Data Docs of every delivery validated. `sample`: what
    the report says first of figures from generated sample data (assemble.sample_line)."""
    docs = publish_data_docs(con, folder / "data_docs", docs_cache, stamp.marking)
    index = folder / "data_docs" / "index.html"
    pages = delivery_pages(con, folder / "data_docs") if docs else {}
    return [write_quality_report(con, folder, stamp, index if docs else None, not_read, files_gone, files_removed,
                                 pages, sample),
            *docs]


class NoExtracts(InputError):
    """No partner extract anywhere: in the raw folder or in the warehouse."""


def _nothing_to_report_on(run: Run) -> None:
    """With no file in any source's raw folder, refuse if the warehouse holds no delivery either
    (a wrong --raw or a fresh clone: the pack would be empty, replacing any release published from
    the same marts folder) or if the raw folder is not there at all; otherwise say that the outputs
    come from what was delivered before."""
    with run.warehouse() as con:
        held = len(run_sql(con, "ops/delivery_checksums"))
    where = run.settings.raw_dir
    if not held:
        raise NoExtracts(f"no partner extracts: every source folder under {where} is empty or missing, and the "
                         f"warehouse holds none. Put each partner's files in {where}/<source>/ (sources: "
                         f"{', '.join(available_sources())}), or run `csp demo` for generated sample data")
    if not where.is_dir():
        # an empty folder is the analyst's choice; one that is not there is a mistyped path or a share not
        # mounted, and a release made now would list every delivery's file as gone
        raise NoExtracts(f"the raw folder {where} does not exist, though the warehouse holds {held} "
                         f"{'delivery' if held == 1 else 'deliveries'} read from it: check --raw or the settings' "
                         "[paths] raw (is a network share not mounted?). Nothing was published")
    log.warning("no files in any source folder under %s: the outputs come from the %d %s already in the warehouse",
                where, held, "delivery" if held == 1 else "deliveries")


def report(run: Run) -> RunReport:
    this_run = {"run_id": run.run_id}
    with run.warehouse() as con:
        return RunReport(records(con, "ops/run_deliveries", this_run), records(con, "ops/run_quarantines", this_run),
                         records(con, "ops/headlines"), window_warnings(con))


def finish_run(run: Run, status: str) -> None:
    with run.warehouse() as con:
        run_sql(con, "ops/finish_run", {"run_id": run.run_id, "status": status, "finished_at": dt.datetime.now()})


def run_refresh(settings: Settings, as_of: dt.date | None = None, *,
                steps: tuple[Callable, Callable, Callable] = (ingest, build, publish)) -> RefreshSummary:
    """The whole refresh, holding the refresh lock. `steps` (ingest, build, publish) lets the
    Prefect flow run each step as a task; by default they run as plain calls in this process."""
    do_ingest, do_build, do_publish = steps
    started_at = dt.datetime.now().replace(microsecond=0)
    check_window_ends(settings, as_of or started_at.date())
    run_id = new_run_id(dt.datetime.now())
    # the warehouse (OFFICIAL-SENSITIVE, as the outputs are), its folder and the caches beside it: created restricted
    with restricted_umask(), run_lock(settings.warehouse, settings.marts_dir, run_id, started_at) as stale:
        if stale:
            log.warning("the previous refresh, %s, stopped without releasing its lock: taking it over", stale.words())
        run = start_run(settings, as_of, run_id, started_at, tuple(misplaced(settings.raw_dir, available_sources())))
        _say_uncommitted(code_version())
        if (released := released_as_of(settings.marts_dir / "county")) and run.as_of < released:
            log.warning("this refresh is as of %s, before the release it will replace (as of %s): the outputs go "
                        "back to the earlier date, and rows dated after it are refused as in the future", run.as_of,
                        released)
        warm_up(_worker_count(settings))   # while the ingest and build leave a core idle
        try:
            for not_read in run.not_read:
                log.warning(not_read.words(settings.raw_dir))
            ingested = {source: do_ingest(run, source) for source in available_sources()}
            deliveries = [r for results in ingested.values() for r in results]
            if again := copies(ingested):   # in the data version, the pack's notes and the quality report
                for copy in again:
                    log.warning(copy.words(settings.raw_dir))
                run = dataclasses.replace(run, not_read=run.not_read + again)
            with run.warehouse() as con:   # raw extracts are never changed: a loaded file gone is an anomaly
                run = dataclasses.replace(run, gone=gone(con, settings.raw_dir),
                                          removed=gone(con, settings.raw_dir, "quarantined"))
            if not deliveries:
                _nothing_to_report_on(run)
            for words in gone_words(run.gone, settings.raw_dir):
                log.warning(words)
            version, built = do_build(run)
            published = do_publish(run, version, built)
            summary = RefreshSummary(run.run_id, version, built, published, report(run), deliveries, run.not_read)
        except BaseException:
            finish_run(run, "failed")
            raise
        finish_run(run, "succeeded")
    return summary
