"""Generated sample of the restricted anti-social behaviour extract (Kent Police / district
councils): one CSV per month in data/raw/asb/, deterministic for a seed.

The volumes are illustrative, not estimates. There are about 2,700 incidents a month in Kent and
Medway at the start, with a strong summer peak. July is about 1.4 times an average month and January
about 0.6 times, close to real data.police.uk Kent data for 2025 (1,560 in January, 3,691 in July).
The series declines slowly, and district rates differ: coastal towns and urban centres are higher,
the rural west lower. From April 2024 a change in recording practice lowers the level by 15%
(RECORDING_CHANGE), so the series-break feature has a break to mark. Categories are about 70%
nuisance, 22% personal and 7% environmental, with 1% not recorded. About 1% of incidents have no
location.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from csp.synth._area import URBAN_PROFILE, load_area, random_days, seasonal, trend_years, write_monthly

COUNTY_PER_MONTH = 2_300            # the 12 Kent districts at the start; Medway comes on top
SEASON = (0.40, 7)                  # amplitude, peak month
YEARLY_TREND = -0.03
RECORDING_CHANGE = (dt.date(2024, 4, 1), 0.85)   # from this month, recorded volumes x 0.85
CATEGORIES = (["Nuisance", "Personal", "Environmental", ""], [0.70, 0.22, 0.07, 0.01])
# the extract's own headers (mapped to the contract's columns through its aliases)
HEADER = ["Incident Ref", "Incident Date", "ASB Category", "LSOA Code"]


def month_frame(rng: np.random.Generator, month: dt.date, area) -> pd.DataFrame:
    years = trend_years(month)
    level = COUNTY_PER_MONTH * seasonal(month, *SEASON) * (1 + YEARLY_TREND) ** years
    if month >= RECORDING_CHANGE[0]:
        level *= RECORDING_CHANGE[1]
    weights = area.weights(URBAN_PROFILE, years)
    lad = np.repeat(weights.index.to_numpy(), rng.poisson(level * weights.to_numpy()))
    n = len(lad)
    lsoa = area.pick_lsoas(rng, lad)
    lsoa[rng.random(n) < 0.01] = ""
    frame = pd.DataFrame({
        "date": random_days(rng, month, n),
        "category": rng.choice(CATEGORIES[0], n, p=CATEGORIES[1]),
        "lsoa": lsoa,
    }).sort_values("date", kind="stable")
    frame.insert(0, "reference", [f"ASB/{month:%y%m}/{i:05d}" for i in range(1, n + 1)])
    frame["date"] = [d.strftime("%d/%m/%Y") for d in frame["date"]]
    return frame


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write one extract per month, `months` months from `first_month`; returns the files written."""
    area = load_area(reference_dir, population_mid_year)
    return write_monthly(out_dir, "asb", "asb_incidents_{:%Y-%m}.csv", first_month, months, seed,
                         lambda rng, month: month_frame(rng, month, area), HEADER)
