"""National-scale police extracts for the benchmark: all 43 forces of England and Wales.

Every force but Kent in the data.police.uk street-level layout (`YYYY-MM-<force>-street.csv`), Kent
in the restricted layout (`YYYY-MM-kent-restricted.csv`), ~550k rows a month between them, split
by force population. Deterministic for a seed (rows come from hashes, not a random stream), and
written by DuckDB so 36 months (~3.8 GB) take about a minute rather than ten.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from csp.periods import add_months

BENCH_DIR = Path(__file__).resolve().parent
ROWS_PER_MONTH = 550_000
RESTRICTED_FORCES = {"kent"}


def _sql(name: str) -> str:
    return (BENCH_DIR / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def _connect(reference_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE TEMP TABLE bench_forces AS SELECT *, row_number() OVER () AS force_number FROM read_csv($p)",
                {"p": str(BENCH_DIR / "forces.csv")})
    con.execute(_sql("lsoas"), {"reference_dir": str(reference_dir)})
    return con


def monthly_rows(con: duckdb.DuckDBPyConnection, scale: float) -> dict[str, tuple[str, int]]:
    """force id -> (force name, rows a month), shared out by population."""
    forces = con.execute("SELECT force_id, force_name, population_m FROM bench_forces ORDER BY force_id").fetchall()
    total = sum(f[2] for f in forces)
    return {f[0]: (f[1], max(1, round(ROWS_PER_MONTH * scale * f[2] / total))) for f in forces}


def file_name(month: dt.date, force_id: str) -> str:
    layout = "restricted" if force_id in RESTRICTED_FORCES else "street"
    return f"{month:%Y-%m}-{force_id}-{layout}.csv"


def generate(out_dir: Path, reference_dir: Path, first_month: dt.date, months: int, scale: float = 1.0,
             seed: int = 43, progress=print) -> list[Path]:
    """Write `months` months of every force into out_dir; existing files are kept (same seed, same bytes)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with _connect(reference_dir) as con:
        forces = monthly_rows(con, scale)
        for m in range(months):
            month = add_months(first_month, m)
            for force_id, (force_name, rows) in forces.items():
                path = out_dir / file_name(month, force_id)
                if not path.exists():
                    params = {"seed": seed, "force_id": force_id, "month": f"{month:%Y-%m}", "rows": rows}
                    if force_id in RESTRICTED_FORCES:
                        query = _sql("restricted_month")
                    else:
                        query, params["force_name"] = _sql("police_uk_month"), force_name
                    partial = path.with_suffix(".part")
                    con.sql(query, params=params).write_csv(str(partial), header=True)
                    partial.replace(path)
                written.append(path)
            progress(f"generated {month:%B %Y}: {sum(r for _, r in forces.values()):,} rows in {len(forces)} files")
    return written
