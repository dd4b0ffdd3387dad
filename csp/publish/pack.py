"""The assessment pack of one scope (the county, or one district): restricted tables, charts, and
the pack document as HTML and PDF, written into one folder."""
from __future__ import annotations

from pathlib import Path

import duckdb

from csp.publish.assemble import assemble
from csp.publish.model import PackInputs, Scope, Stamp
from csp.publish.pack_html import write_html
from csp.publish.pack_inputs import county_scope, load_pack_inputs
from csp.publish.pack_pdf import write_pdf
from csp.publish.restricted_tables import restricted_tables, write_restricted_tables

PACK_HTML = "assessment_pack.html"
PACK_PDF = "assessment_pack.pdf"
CHARTS_DIR = "charts"


def publish_pack(con: duckdb.DuckDBPyConnection, out: Path, stamp: Stamp, documents: bool = True) -> list[Path]:
    """The county's pack from the warehouse, as the refresh writes it (a district's comes with its mart)."""
    return write_pack(load_pack_inputs(con), county_scope(stamp.area_name), out, stamp, documents)


def write_pack(inputs: PackInputs, scope: Scope, out: Path, stamp: Stamp, documents: bool = True,
               kept_charts: Path | None = None) -> list[Path]:
    """Every file of the pack, from inputs already restricted to the scope; returns the files written.
    Without `documents`, only the restricted tables (no charts, HTML or PDF). `kept_charts`: the
    chart cache's folder (csp.publish.chart_cache), or None to draw every chart."""
    files = write_restricted_tables(restricted_tables(inputs, scope, stamp), out, stamp, scope, inputs.windows)
    if documents:
        pack = assemble(inputs, scope, stamp, out / CHARTS_DIR, kept_charts)
        files += [c.png for section in pack.sections for m in section.measures for c in m.charts]
        files += [write_html(pack, out / PACK_HTML), write_pdf(pack, out / PACK_PDF, PACK_HTML)]
    return files
