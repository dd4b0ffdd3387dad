"""Generated sample of the Youth Justice Service quarterly return: one CSV per financial-year
quarter in data/raw/youth_offending/, for every quarter that lies wholly inside the sample window,
deterministic for a seed.

Aggregate, as the service reports it: one row per Kent district x quarter x age band (10-14, 15-17),
with first-time entrants and proven offences, zeros included. Medway has its own youth justice
service and is not in this return. The volumes are illustrative, not estimates: about 80 first-time
entrants a quarter county-wide (about 70% aged 15-17), falling by about 4% a year, and about 280
proven offences. Districts are named as the service names them (by name, not ONS code).
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from csp.periods import add_months
from csp.synth._area import URBAN_PROFILE, load_area, month_list, month_rng, seasonal, trend_years

FTE_PER_QUARTER = 85
OFFENCES_PER_QUARTER = 280
AGE_SHARES = {"10-14": 0.30, "15-17": 0.70}
TRENDS = (-0.04, -0.02)            # first-time entrants, proven offences: change a year
HEADER = ["Local Authority", "Quarter", "Age Band", "First Time Entrants", "Proven Offences"]


def financial_quarter(start: dt.date) -> str:
    """date(2024, 4, 1) -> '2024/25 Q1' (the financial year starts in April)."""
    year = start.year if start.month >= 4 else start.year - 1
    return f"{year}/{(year + 1) % 100:02d} Q{(start.month - 4) % 12 // 3 + 1}"


def quarter_frame(rng: np.random.Generator, start: dt.date, area) -> pd.DataFrame:
    years = trend_years(start)
    weights = area.weights(URBAN_PROFILE, years)[area.in_county]
    names = area.districts.set_index("lad_code")["lad_name"]
    rows = []
    for lad, weight in weights.items():
        for band, share in AGE_SHARES.items():
            fte = FTE_PER_QUARTER * (1 + TRENDS[0]) ** years * weight * share * seasonal(start, 0.05, 10)
            offences = OFFENCES_PER_QUARTER * (1 + TRENDS[1]) ** years * weight * share
            rows.append((names[lad], financial_quarter(start), band, rng.poisson(fte), rng.poisson(offences)))
    return pd.DataFrame(rows, columns=HEADER)


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write one return per quarter lying wholly inside the window; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    area = load_area(reference_dir, population_mid_year)
    months_ = month_list(first_month, months)
    starts = [m for m in months_ if m.month in (1, 4, 7, 10) and add_months(m, 2) <= months_[-1]]
    written = []
    for start in starts:
        path = out_dir / f"yjs_quarterly_return_{financial_quarter(start).replace('/', '-').replace(' ', '_')}.csv"
        quarter_frame(month_rng(seed, "youth_offending", start), start, area).to_csv(
            path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        written.append(path)
    return written
