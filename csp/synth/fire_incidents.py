"""Generated sample of the Kent Fire and Rescue Service incident extract: one CSV per month in
data/raw/fire_incidents/, deterministic for a seed.

The volumes are illustrative, not estimates. There are about 1,400 incidents a month in Kent and
Medway: false alarms about 45%, special services (road traffic collisions, flooding, assisting
other agencies) about 20%, secondary fires about 20% and primary fires about 15%. Secondary fires
(grass, refuse, derelict structures, mostly deliberate) peak strongly in spring and summer.
Dwelling fires peak in winter, and accidental dwelling fires come to about 55 a month. Deliberate
fires are more common in the coastal towns and urban centres. Calls peak in the early evening.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from csp.synth._area import URBAN_PROFILE, load_area, random_days, seasonal, trend_years, write_monthly

# (incident type, monthly county volume, seasonal amplitude, peak month, yearly trend,
#  property types and their shares, motives and their shares (None: not a fire), follows URBAN_PROFILE)
COMPONENTS = [
    ("Primary fire", 60, 0.10, 1, -0.01, (["Dwelling"], [1.0]), (["Accidental", "Deliberate", "Unknown"], [0.82, 0.14, 0.04]), False),
    ("Primary fire", 120, 0.20, 7, -0.01,
     (["Road vehicle", "Non-residential", "Outdoor", "Other residential", "Outdoor structure"], [0.45, 0.25, 0.20, 0.05, 0.05]),
     (["Accidental", "Deliberate", "Unknown"], [0.60, 0.35, 0.05]), True),
    ("Secondary fire", 240, 0.60, 6, -0.02, (["Outdoor", "Outdoor structure", "Road vehicle"], [0.72, 0.20, 0.08]),
     (["Deliberate", "Accidental", "Unknown"], [0.60, 0.30, 0.10]), True),
    ("False alarm", 540, 0.06, 7, 0.00, (["Dwelling", "Non-residential", "Other residential"], [0.45, 0.40, 0.15]), None, False),
    ("Special service", 240, 0.10, 12, 0.02, (["Road vehicle", "Dwelling", "Outdoor", "Non-residential"], [0.35, 0.35, 0.20, 0.10]), None, False),
]
# share of calls by hour of day: low overnight, rising through the day to an early-evening peak
HOURLY = np.array([3, 2, 2, 1.5, 1.5, 1.5, 2, 3, 4, 4.5, 5, 5, 5, 5, 5.5, 6, 6.5, 7, 7, 6.5, 6, 5, 4, 3.5])
HEADER = ["Incident Number", "Call Date Time", "Incident Type", "Motive", "Property Type", "LSOA Code"]
FLAT = {lad: (1.0, 0.0) for lad in URBAN_PROFILE}


def month_frame(rng: np.random.Generator, month: dt.date, area) -> pd.DataFrame:
    years = trend_years(month)
    parts = []
    for itype, volume, amp, peak, trend, properties, motives, urban in COMPONENTS:
        weights = area.weights(URBAN_PROFILE if urban else FLAT, years)
        mean = volume * seasonal(month, amp, peak) * (1 + trend) ** years
        lad = np.repeat(weights.index.to_numpy(), rng.poisson(mean * weights.to_numpy()))
        n = len(lad)
        parts.append(pd.DataFrame({
            "lad_code": lad,
            "incident_type": itype,
            "property_type": rng.choice(properties[0], n, p=properties[1]),
            "motive": rng.choice(motives[0], n, p=motives[1]) if motives else "",
        }))
    frame = pd.concat(parts, ignore_index=True)
    n = len(frame)
    days = random_days(rng, month, n)
    hours = rng.choice(24, n, p=HOURLY / HOURLY.sum())
    minutes = rng.integers(0, 60, n)
    frame["when"] = [dt.datetime(d.year, d.month, d.day, int(h), int(m)) for d, h, m in zip(days, hours, minutes)]
    frame["lsoa_code"] = area.pick_lsoas(rng, frame["lad_code"].to_numpy())
    frame = frame.sort_values("when", kind="stable").reset_index(drop=True)
    frame.insert(0, "incident_number", [f"{month:%y%m}{i:05d}" for i in range(1, n + 1)])
    frame["when"] = [w.strftime("%d/%m/%Y %H:%M") for w in frame["when"]]
    return frame[["incident_number", "when", "incident_type", "motive", "property_type", "lsoa_code"]]


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write one extract per month, `months` months from `first_month`; returns the files written."""
    area = load_area(reference_dir, population_mid_year)
    return write_monthly(out_dir, "fire_incidents", "kfrs_incidents_{:%Y-%m}.csv", first_month, months, seed,
                         lambda rng, month: month_frame(rng, month, area), HEADER)
