"""The data-quality report of a run: one HTML page (templates/quality_report.html.j2) listing every
delivery of every source with rows received, loaded and quarantined, how the file was read, its
warnings and the reasons in words a partner can act on, and the months missing from each source's
series by district, and what lies in the raw folder where no source reads it. It links to the GX
Data Docs built beside it (data_docs.py).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pandas as pd

from csp.contracts import available_sources, load_contract
from csp.ingest.deliveries import WHILE_GONE, Gone, NotRead
from csp.publish import formats as fmt
from csp.publish.model import Stamp
from csp.warehouse import records, sql

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                          autoescape=True, undefined=jinja2.StrictUndefined)
_ENV.filters["month"] = lambda d: "–" if d is None else f"{d:%B %Y}"
_ENV.filters["count"] = lambda n: f"{n:,}"
_ENV.filters["visible"] = lambda s: s if s is None else fmt.visible(str(s))

# Reason codes in words: what happened to the rows, for a reader who does not know the codes.
CODE_WORDS = {
    "malformed_row": "rows that do not fit the header",
    "truncated_row": "the row the file was cut in",
}


def overdue_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each source whose latest complete month is older than its contract expects at the run's as-of
    date, in words ("Police recorded crime: data to ...")."""
    return [f"{load_contract(o['source']).title}: {o['overdue']}" for o in records(con, "publish/overdue")]


def gaps_compared(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Runs of months missing inside the months each source's comparison covers (publish/gaps_compared)."""
    return con.execute(sql("publish/gaps_compared")).df()


def gap_lines(runs: pd.DataFrame) -> dict[str, str]:
    """Source -> its months missing inside the 24 months its comparison covers, in words ("Fire and rescue
    incidents: missing January 2026 (every district), inside the months compared (March 2024 – February 2026):
    only 11 of the 12 months March 2025 – February 2026 have data"), from publish/gaps_compared's runs of
    months. A month only some districts miss leaves the comparison standing, with those districts counting
    none in it: the line says so, as their totals and the county's then read low."""
    lines = {}
    for source, of_source in runs.groupby("source", sort=True):
        missing = "; ".join(f"{r.span} ({', '.join(r.districts)})" for r in of_source.itertuples())
        first = of_source.iloc[0]
        said = (f": {first['comparison_status']}" if first["comparison_status"] != "available"
                else ": a district missing a month counts none in it, so its totals, and the county's, leave out "
                     "that month's records and may read low")
        lines[source] = (f"{load_contract(source).title}: missing {missing}, inside the months compared "
                         f"({first['months_compared']}){said}")
    return lines


def mixed_forms_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each source whose months compared came in more than one layout, in words ("Police recorded crime: the
    months compared come from two layouts of the data — …")."""
    return [f"{load_contract(m['source']).title}: {m['mixed_forms']}" for m in records(con, "publish/mixed_forms")]


def write_quality_report(con: duckdb.DuckDBPyConnection, folder: Path, stamp: Stamp, data_docs: Path | None,
                         not_read: tuple[NotRead, ...] = (), files_gone: tuple[Gone, ...] = (),
                         files_removed: tuple[Gone, ...] = (), docs_pages: dict[int, str] | None = None,
                         sample: str = "") -> Path:
    """`docs_pages`: each validated delivery's Data Docs page, from the Data Docs folder beside `data_docs`.
    `sample`: what the report says first where the figures come from generated sample data. `files_removed`: the
    quarantined deliveries whose file is no longer in the raw folder, each said so under its reason (which may
    advise removing it)."""
    deliveries = records(con, "publish/quality_deliveries")
    removed = {g.delivery_id for g in files_removed}
    # a month a delivery holds with under half the rows of the one it replaced (late additions sent as a file of
    # their own?): the log warns in the run that lands it; said here in every report while it holds the month
    shrunk = {r["delivery_id"]: r for r in records(con, "ops/months_replaced", {"run_id": None}) if r["fewer"]}
    for d in deliveries:
        page = (docs_pages or {}).get(d["delivery_id"])
        d["docs_page"] = page and (data_docs.parent / page).relative_to(folder).as_posix()
        d["removed"] = d["delivery_id"] in removed
        d["shrunk"] = shrunk.get(d["delivery_id"])
        # quarantined before any row was read (a zip, a file type not accepted, an encoding not read, 0 bytes): how
        # many rows it held is not known, and its 0 received would read as a count
        d["not_read"] = d["status"] == "quarantined" and d["file_type"] is None and d["moved_to"] is None
    gaps = records(con, "publish/quality_gaps")
    overdue = overdue_lines(con)
    by_id = {d["delivery_id"]: d for d in deliveries}
    gone = [{"path": g.path, "delivery_id": g.delivery_id, "rows_current": by_id[g.delivery_id]["rows_current"]}
            for g in files_gone]
    without_population = records(con, "ops/areas_without_population")
    counted = [d for d in deliveries if d["moved_to"] is None]   # a moved file's rows count where it loaded
    sources = []
    for source in available_sources():
        mine = [d for d in deliveries if d["source"] == source]
        for d in mine:
            d["months"] = fmt.months_span(d["first_month"], d["last_month"], source)
        here = [d for d in counted if d["source"] == source]
        sources.append({
            "source": source, "title": load_contract(source).title, "deliveries": mine, "counted": len(here),
            "received": sum(d["rows_received"] for d in here), "loaded": sum(d["rows_loaded"] for d in here),
            "quarantined": sum(d["rows_quarantined"] for d in here),
            "current": sum(d["rows_current"] for d in here),
            "gaps": [dict(g, span=fmt.months_span(g["first_month"], g["last_month"])) for g in gaps
                     if g["source"] == source],
            # ASB counted from data.police.uk street files' ASB rows, which their police crime deliveries list
            "street_asb": sum(d["rows_asb_counted"] for d in counted) if source == "asb" else 0,
        })
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.html"
    path.write_text(_ENV.get_template("quality_report.html.j2").render(
        stamp=stamp, sample=sample, sources=sources, code_words=CODE_WORDS, not_read=not_read, overdue=overdue, gone=gone,
        while_gone=WHILE_GONE,
        without_population=[a["area_name"] for a in without_population],
        population_mid_year=without_population[0]["mid_year"] if without_population else None,
        totals={"deliveries": len(counted), "quarantined": sum(d["status"] == "quarantined" for d in counted),
                "moved": len(deliveries) - len(counted),
                "received": sum(d["rows_received"] for d in counted),
                "loaded": sum(d["rows_loaded"] for d in counted),
                "rows_quarantined": sum(d["rows_quarantined"] for d in counted),
                "current": sum(d["rows_current"] for d in counted),
                "balanced": all(d["balanced"] for d in deliveries),
                "not_read": sum(d["not_read"] for d in counted),
                "gaps": len(gaps)},
        data_docs=data_docs and data_docs.relative_to(folder).as_posix()), encoding="utf-8")
    return path
