"""The national-scale benchmark: `./run python -m bench.national` (on demand, not in CI).

Generates 36 months of all 43 forces (~550k rows a month, ~4.6 GB) under bench/work/, then measures
in one run (`--scale 0.1` generates a tenth; the area's counts are then a tenth of Kent's, and
disclosure control of so many small counts takes ~30 CPU seconds, against ~1 s at scale 1: docs/disclosure.md):
  (a) DuckDB raw-scan floor: count(*) over the same CSVs
  (a2) DuckDB load floor: the same CSVs written once into a table of a warehouse file, as text, with
       nothing checked and nothing else kept: what storing every row as it was sent costs on this
       machine (the raw layer keeps every value as text, so a malformed one is kept as it came)
  (a3) the same with the columns typed by DuckDB's own detection (coordinates as numbers): what
       storing the rows costs at the least, below which no build that keeps them can go
  (b) naive pandas baseline: read each file, group by month x LSOA x type
  (c) our full build: the refresh (no Prefect) on an empty warehouse, every row validated
  (d) our one-new-month refresh: a 37th month of all 43 forces arrives
  (e) peak memory of (c) and (d)
and, at Kent scale, the refresh through Prefect (temporary server start included): the full build
of 36 months and the one-new-month refresh (the median of five runs from the same full build).
Prints the ratios against the targets; `--record` appends the table to bench/RESULTS.md. Every figure is with the CSVs in the page cache (the
script reads them once first), so disk speed does not decide the ratios.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.generate import BENCH_DIR, ROWS_PER_MONTH, generate
from csp.config import REPO_ROOT, load_settings
from csp.periods import add_months

FIRST_MONTH = dt.date(2022, 11, 1)
MONTHS = 36
AS_OF = dt.date(2025, 11, 20)            # October 2025 is the latest complete month of the 36
AS_OF_NEXT = dt.date(2025, 12, 20)       # after the 37th month (November 2025) arrives
BYTES_PER_MONTH = 125e6                  # generated CSV at scale 1
KENT_REPEATS = 5                         # one-new-month runs at Kent scale, of which the median is reported
TARGETS = {"c_over_a": 4.0, "d_over_c": 0.1, "peak_gb": 2.0, "kent_s": 30.0}


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _run_phase(phase: str, args: argparse.Namespace) -> dict:
    """Run one measured phase in its own process, so its peak memory is its own (and the files written
    before it on disk first, so that writing them back does not slow it)."""
    os.sync()
    out = subprocess.run([sys.executable, "-m", "bench.national", "--phase", phase, "--work", str(args.work),
                          "--scale", str(args.scale)],
                         cwd=REPO_ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def phase(name: str, work: Path) -> dict:
    """(c) 'full' or (d) 'next': the refresh without Prefect, in this process."""
    import logging

    from csp.pipeline import run_refresh

    logging.basicConfig(level=logging.WARNING)
    settings = load_settings().with_paths(raw_dir=work / "raw", marts_dir=work / "marts",
                                          warehouse=work / "warehouse" / "csp.duckdb")
    steps = {"ingest": 0.0, "build": 0.0, "publish": 0.0}
    seconds, summary = _timed(lambda: run_refresh(settings, AS_OF if name == "full" else AS_OF_NEXT,
                                                  steps=tuple(_step_timer(steps, s) for s in steps)))
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        # the pack must count the area's crimes: a build that lets one force's file replace another's
        # month counted none of them, and every timing looked fine
        (counted,) = con.execute("SELECT coalesce(sum(crimes), 0) FROM facts.crime_monthly").fetchone()
    if not counted:
        raise SystemExit(f"phase {name}: the refresh counted no crimes in the area")
    return {"seconds": seconds, "steps": steps, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "area_crimes": int(counted),
            "rows_loaded": sum(d["rows_loaded"] for d in summary.report.deliveries),
            "rows_quarantined": sum(d["rows_quarantined"] for d in summary.report.deliveries),
            "deliveries": len(summary.report.deliveries), "comparison": summary.comparison}


def _step_timer(spent: dict[str, float], name: str):
    """The pipeline step `name` (csp.pipeline.ingest, build or publish), adding its time to spent[name]."""
    import csp.pipeline

    fn = getattr(csp.pipeline, name)

    def step(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
    return step


def load_floor(files: list[Path], warehouse: Path, memory_limit: str, typed: bool = False) -> float:
    """(a2) the CSVs into one table of a new DuckDB file, every column as text, under the refresh's memory
    limit: writing the rows once, as the raw layer keeps them; (a3) with `typed`, the columns as DuckDB
    detects them, fewer bytes to write (the least any build that keeps the rows in the warehouse pays)."""
    warehouse.unlink(missing_ok=True)
    by_layout = _by_layout(files)
    try:
        with duckdb.connect(str(warehouse)) as con:
            con.execute("SET enable_progress_bar = false")
            if memory_limit:
                con.execute(f"SET memory_limit = '{memory_limit}'")
            seconds, _ = _timed(lambda: [
                con.execute(f"CREATE TABLE rows_{layout} AS SELECT * FROM read_csv($f, all_varchar = {not typed})",
                            {"f": group})
                for layout, group in by_layout.items()])
    finally:
        warehouse.unlink(missing_ok=True)
    return seconds


def _by_layout(files: list[Path]) -> dict[str, list[str]]:
    """The CSVs by layout ('street', 'restricted': the end of their names), each read with its own header."""
    by_layout: dict[str, list[str]] = {}
    for f in files:
        by_layout.setdefault(f.stem.rsplit("-", 1)[1], []).append(str(f))
    return by_layout


def _split(steps: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())


def _landed(phase_result: dict) -> float:
    return phase_result["steps"]["ingest"] + phase_result["steps"]["build"]


def raw_scan(files: list[Path]) -> tuple[float, int]:
    """(a) count(*) over the CSVs, one read_csv per layout (as DuckDB would be used by hand)."""
    by_layout = _by_layout(files)
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        seconds, rows = _timed(lambda: sum(
            con.execute("SELECT count(*) FROM read_csv($f, all_varchar = true)", {"f": group}).fetchone()[0]
            for group in by_layout.values()))
    return seconds, rows


def pandas_baseline(files: list[Path]) -> tuple[float, int]:
    """(b) the naive way: pandas reads each file and groups it by month x LSOA x type."""
    import pandas as pd

    def run() -> int:
        parts = []
        for f in files:
            df = pd.read_csv(f, dtype=str, keep_default_na=False)
            if "Crime type" in df.columns:
                keys = [df["Month"], df["LSOA code"], df["Crime type"]]
            else:
                keys = [df["recorded_date"].str[:7], df["lsoa_code"], df["offence_group"]]
            parts.append(df.groupby(keys).size())
        return int(pd.concat(parts).sum())

    return _timed(run)


def kent_timings(work: Path, district_documents: bool = True, repeats: int = 1) -> dict:
    """Kent-scale refresh through Prefect, as the analyst runs it: full build, then one new month,
    `repeats` times from the same full build (the run-to-run spread here is ~2 s, so one run says
    little about a 30 s target); "next" is the median, "next_runs" every run.
    Without `district_documents`, with the shipped settings but `[marts] pack_documents = false`."""
    raw, next_dir = work / "raw", work / "next"
    cli = [sys.executable, "-m", "csp.cli", "--raw", str(raw), "--marts", str(work / "marts"),
           "--warehouse", str(work / "warehouse" / "csp.duckdb")]
    if not district_documents:
        settings = work / "settings-district-tables-only.toml"
        shipped = (REPO_ROOT / "config" / "settings.toml").read_text(encoding="utf-8")
        settings.write_text(shipped.replace("\npack_documents = true", "\npack_documents = false", 1), encoding="utf-8")
        cli += ["--settings", str(settings)]
    if not (raw / "police_crime").is_dir():
        subprocess.run([*cli, "synth", "--months", str(MONTHS + 1)], cwd=REPO_ROOT, check=True, capture_output=True)
        next_dir.mkdir(parents=True, exist_ok=True)
        newest = sorted((raw / "police_crime").glob("*.csv"))[-1]
        newest.replace(next_dir / newest.name)
    built = work / "after-full-build"
    for folder in ("warehouse", "marts"):
        shutil.rmtree(work / folder, ignore_errors=True)
        shutil.rmtree(built / folder, ignore_errors=True)

    def refresh(as_of: dt.date) -> float:
        os.sync()   # the copies just made (warehouse, marts) written out first, not during the timed run
        seconds, out = _timed(lambda: subprocess.run([*cli, "refresh", "--as-of", as_of.isoformat()], cwd=REPO_ROOT,
                                                     capture_output=True, text=True))
        if out.returncode != 0:
            raise SystemExit(f"Kent refresh failed:\n{out.stderr[-4000:]}")
        return seconds

    timings = {"full": refresh(AS_OF), "next_runs": []}
    for folder in ("warehouse", "marts"):
        shutil.copytree(work / folder, built / folder, symlinks=True)
    for f in next_dir.glob("*.csv"):
        shutil.copy2(f, raw / "police_crime" / f.name)
    try:
        for _ in range(repeats):
            for folder in ("warehouse", "marts"):   # each run from the same full build
                shutil.rmtree(work / folder)
                shutil.copytree(built / folder, work / folder, symlinks=True)
            timings["next_runs"].append(refresh(AS_OF_NEXT))
    finally:
        for f in next_dir.glob("*.csv"):   # back to 36 months for the next benchmark run
            (raw / "police_crime" / f.name).unlink()
        shutil.rmtree(built, ignore_errors=True)
    timings["next"] = statistics.median(timings["next_runs"])
    if not (work / "marts" / "county" / "assessment_pack.pdf").is_file():   # the timed runs must end with the pack
        raise SystemExit("the Kent refresh published no assessment_pack.pdf: is [pack] documents false?")
    return timings


def compile_bytecode() -> None:
    """Compile the environment's modules once, as `uv sync --compile-bytecode` does. Where
    PYTHONDONTWRITEBYTECODE is set, every measured process would otherwise compile its ~2,000
    modules again (~17 s here), which no analyst's refresh pays twice."""
    import sysconfig

    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", sysconfig.get_paths()["purelib"],
                    "csp", "transforms", "flows"], cwd=REPO_ROOT, check=True, capture_output=True)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return (f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GB RAM; Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="share of the national volume (default 1: ~550k rows a month)")
    p.add_argument("--work", type=Path, default=BENCH_DIR / "work", help="where data and warehouses go (git-ignored)")
    p.add_argument("--skip-kent", action="store_true", help="leave out the Kent-scale Prefect timings")
    p.add_argument("--kent-only", action="store_true",
                   help="only the Kent-scale Prefect timings (the 30 s target; a few minutes, no national data)")
    p.add_argument("--record", action="store_true", help="append the results table to bench/RESULTS.md")
    p.add_argument("--phase", choices=["full", "next"], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    national = args.work / (f"national-{args.scale:g}" if args.scale != 1 else "national")
    if args.phase:
        print(json.dumps(phase(args.phase, national)))
        return 0
    if args.kent_only:
        compile_bytecode()
        return _report("Kent scale only", _kent_rows(args.work / "kent"), args.record)

    source_dir, next_dir = national / "raw" / "police_crime", national / "next"
    needed = BYTES_PER_MONTH * args.scale * (MONTHS + 1) * 2   # the CSVs and a warehouse of about their size
    have = sum(f.stat().st_size for f in national.rglob("*") if f.is_file()) if national.exists() else 0
    free = shutil.disk_usage(args.work if args.work.exists() else args.work.parent).free
    if needed - have > free:
        raise SystemExit(f"not enough disk: {needed / 1e9:.1f} GB needed under {args.work}, {free / 1e9:.1f} GB free "
                         "(--scale 0.1 needs a tenth)")
    print(f"generating {MONTHS} + 1 months of {ROWS_PER_MONTH * args.scale:,.0f} rows a month under {national} "
          "(kept for the next run)")
    files = generate(source_dir, REPO_ROOT / "data" / "reference", FIRST_MONTH, MONTHS, args.scale)
    generate(next_dir, REPO_ROOT / "data" / "reference", add_months(FIRST_MONTH, MONTHS), 1, args.scale, progress=lambda m: None)
    for stale in next_dir.glob("*.csv"):               # a 37th month left by an interrupted run
        (source_dir / stale.name).unlink(missing_ok=True)
    size_gb = sum(f.stat().st_size for f in files) / 1e9
    compile_bytecode()
    for f in files:                                    # into the page cache, for every measurement alike
        f.read_bytes()

    a_s, rows = raw_scan(files)
    print(f"(a) DuckDB count(*) over {len(files)} files, {size_gb:.2f} GB: {rows:,} rows in {a_s:.1f} s")
    a2_s = load_floor(files, national / "load-floor.duckdb", load_settings().memory_limit)
    print(f"(a2) DuckDB load into a warehouse table, as text, nothing checked: {a2_s:.1f} s")
    a3_s = load_floor(files, national / "load-floor.duckdb", load_settings().memory_limit, typed=True)
    print(f"(a3) the same, the columns typed by DuckDB's detection: {a3_s:.1f} s")
    b_s, counted = pandas_baseline(files)
    print(f"(b) pandas read + group by, file by file: {b_s:.1f} s ({counted:,} rows grouped)")
    shutil.rmtree(national / "warehouse", ignore_errors=True)
    shutil.rmtree(national / "marts", ignore_errors=True)
    full = _run_phase("full", args)
    print(f"(c) full build: {full['seconds']:.1f} s, {full['rows_loaded']:,} rows loaded, "
          f"{full['rows_quarantined']:,} quarantined, {full['deliveries']} deliveries, {full['area_crimes']:,} crimes counted "
          f"in the area; peak {full['peak_mb']:,.0f} MB ({_split(full['steps'])})")
    for f in next_dir.glob("*.csv"):
        shutil.copy2(f, source_dir / f.name)
    try:
        nxt = _run_phase("next", args)
    finally:
        for f in next_dir.glob("*.csv"):
            (source_dir / f.name).unlink()
    print(f"(d) one new month: {nxt['seconds']:.1f} s, {nxt['rows_loaded']:,} rows loaded, {nxt['deliveries']} deliveries; "
          f"peak {nxt['peak_mb']:,.0f} MB ({_split(nxt['steps'])})")
    peak_gb = max(full["peak_mb"], nxt["peak_mb"]) / 1024
    print(f"(e) peak memory: {peak_gb:.2f} GB")

    rows_out = [
        ("(a) DuckDB count(*) floor", f"{a_s:.1f} s", ""),
        ("(a2) DuckDB load floor: into a warehouse table as text, nothing checked", f"{a2_s:.1f} s", f"{a2_s / a_s:.1f}× (a)"),
        ("(a3) DuckDB load floor, typed: as (a2), the columns as DuckDB detects them", f"{a3_s:.1f} s",
         f"{a3_s / a_s:.1f}× (a)"),
        ("(b) pandas read + group by", f"{b_s:.1f} s", f"{b_s / a_s:.1f}× (a)"),
        ("(c) full build, every row validated", f"{full['seconds']:.1f} s",
         f"{full['seconds'] / a_s:.2f}× (a) (target ≤ {TARGETS['c_over_a']:g}×); {full['seconds'] / a2_s:.1f}× (a2)"),
        ("(c) by step", _split(full["steps"]), ""),
        ("(d) one-new-month refresh", f"{nxt['seconds']:.1f} s",
         f"{nxt['seconds'] / full['seconds']:.3f}× (c) (target ≤ {TARGETS['d_over_c']:g}×)"),
        ("(d) by step", _split(nxt["steps"]),
         f"ingest and build {_landed(nxt) / _landed(full):.3f}× (c)'s; publish {nxt['steps']['publish'] / full['steps']['publish']:.2f}× (c)'s"),
        ("(e) peak memory", f"{peak_gb:.2f} GB", f"target ≤ {TARGETS['peak_gb']:g} GB"),
    ]
    if not args.skip_kent:
        rows_out += _kent_rows(args.work / "kent")
    return _report(f"scale {args.scale:g} ({rows:,} rows, {len(files)} files, {size_gb:.2f} GB)", rows_out, args.record)


def _kent_rows(work: Path) -> list[tuple[str, str, str]]:
    """The Kent-scale refresh through Prefect: the full build, one new month (the median of
    KENT_REPEATS runs), and one new month with the district packs' documents left out."""
    kent = kent_timings(work, repeats=KENT_REPEATS)
    kent_tables = kent_timings(work, district_documents=False)
    return [("Kent, 36 months, full build via Prefect", f"{kent['full']:.1f} s", "temporary server start included"),
            ("Kent, one new month via Prefect", f"{kent['next']:.1f} s",
             f"target ≤ {TARGETS['kent_s']:g} s, temporary server start included; median of "
             f"{', '.join(f'{t:.1f}' for t in kent['next_runs'])} s"),
            ("Kent, one new month via Prefect, district packs without documents", f"{kent_tables['next']:.1f} s",
             "`[marts] pack_documents = false`: the county pack's PDF, the districts' tables")]


def _report(what: str, rows_out: list[tuple[str, str, str]], record: bool) -> int:
    """Print the results table (and append it to bench/RESULTS.md when `record`)."""
    table = "\n".join(["| measure | time | ratio |", "|---|---:|---|", *(f"| {m} | {t} | {r} |" for m, t, r in rows_out)])
    heading = f"## {dt.date.today():%d %B %Y}: {what}\n\nMachine: {machine()}. Page cache warm.\n"
    print("\n" + heading + "\n" + table)
    if record:
        with (BENCH_DIR / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write("\n" + heading + "\n" + table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
