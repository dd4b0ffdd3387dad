"""Generated sample of a hospital admissions extract (HES, admissions with an external cause of
injury): one CSV per month in data/raw/hospital_admissions/, deterministic for a seed.

The volumes are illustrative, not estimates. There are about 1,500 injury admissions a month for
residents of Kent and Medway. About 60 a month are for assault (ICD-10 X85-Y09): mostly men aged
15-44, more in summer and in the coastal towns and urban centres. Falls (W00-W19), mostly older
people, peak in winter and make up about half. The rest are transport, self-harm, other accidental
and undetermined causes. About 2% of patients live outside the area, and 0.5% have no residence
recorded. Each admission carries a pseudonymised spell identifier.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from csp.synth._area import URBAN_PROFILE, load_area, random_days, seasonal, trend_years, write_monthly

AGE_BANDS = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
             "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"]
# age band weights: young adults, older people, everyone
AGES = {
    "young": np.array([0.2, 0.3, 1, 6, 9, 9, 8, 7, 6, 4, 3, 2, 1.5, 1, 0.5, 0.3, 0.2, 0.1]),
    "older": np.array([1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.7, 0.8, 1, 1.3, 1.7, 2.3, 3.2, 4.5, 6.5, 8.5, 11]),
    "all": np.array([3, 2, 2, 3, 3.5, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
}
# cause group: (monthly county volume, ICD-10 codes and shares, ages, share male, seasonal amplitude,
#  peak month, yearly trend, follows URBAN_PROFILE)
CAUSES = {
    "assault": (51, (["Y04", "X99", "Y00", "Y08", "Y09", "X85"], [0.50, 0.15, 0.15, 0.10, 0.05, 0.05]), "young", 0.78, 0.15, 7, 0.02, True),
    "falls": (610, (["W19", "W01", "W10", "W06", "W18"], [0.45, 0.25, 0.15, 0.08, 0.07]), "older", 0.40, 0.08, 1, 0.01, False),
    "transport": (115, (["V89", "V23", "V03", "V47", "V18"], [0.30, 0.20, 0.20, 0.20, 0.10]), "young", 0.62, 0.06, 10, -0.02, False),
    "self-harm": (125, (["X60", "X61", "X62", "X78"], [0.15, 0.35, 0.30, 0.20]), "young", 0.38, 0.05, 5, 0.01, True),
    "mechanical forces": (125, (["W22", "W25", "W26", "W45"], [0.30, 0.30, 0.25, 0.15]), "all", 0.60, 0.05, 7, 0.00, False),
    "other accidental": (155, (["X59", "X58", "W54", "X10"], [0.40, 0.30, 0.15, 0.15]), "all", 0.50, 0.05, 7, 0.00, False),
    "undetermined intent": (25, (["Y33", "Y34", "Y20"], [0.40, 0.40, 0.20]), "young", 0.60, 0.05, 7, 0.00, True),
    "complications of care": (64, (["Y83", "Y84", "Y60"], [0.45, 0.40, 0.15]), "older", 0.50, 0.03, 1, 0.00, False),
}
HEADER = ["Spell ID", "Admission Date", "Cause Code", "Patient LSOA", "Age Band", "Sex"]
FLAT = {lad: (1.0, 0.0) for lad in URBAN_PROFILE}


def _outside_lsoas(area) -> np.ndarray:
    """LSOA codes of neighbouring areas, outside the lookup: patients who live elsewhere."""
    codes = np.array([f"E0102{n:04d}" for n in range(2000)])
    return codes[~np.isin(codes, area.lsoas.lsoa_code.to_numpy())]


def month_frame(rng: np.random.Generator, month: dt.date, area, outside: np.ndarray) -> pd.DataFrame:
    years = trend_years(month)
    parts = []
    for volume, (codes, code_p), ages, male, amp, peak, trend, urban in CAUSES.values():
        weights = area.weights(URBAN_PROFILE if urban else FLAT, years)
        mean = volume * seasonal(month, amp, peak) * (1 + trend) ** years
        lad = np.repeat(weights.index.to_numpy(), rng.poisson(mean * weights.to_numpy()))
        n = len(lad)
        # a fourth character (the ICD-10 subdivision), as HES writes cause codes
        cause = [f"{c}{d}" for c, d in zip(rng.choice(codes, n, p=code_p), rng.integers(0, 10, n))]
        parts.append(pd.DataFrame({
            "lad_code": lad,
            "cause": cause,
            "age_band": rng.choice(AGE_BANDS, n, p=AGES[ages] / AGES[ages].sum()),
            "sex": np.where(rng.random(n) < male, "Male", "Female"),
        }))
    frame = pd.concat(parts, ignore_index=True)
    n = len(frame)
    frame["date"] = random_days(rng, month, n)
    lsoa = area.pick_lsoas(rng, frame["lad_code"].to_numpy())
    where = rng.random(n)
    lsoa[where < 0.02] = rng.choice(outside, int((where < 0.02).sum()))
    lsoa[(where >= 0.02) & (where < 0.025)] = ""
    frame["lsoa"] = lsoa
    frame.loc[rng.random(n) < 0.003, "age_band"] = "Unknown"
    frame.loc[rng.random(n) < 0.002, "sex"] = "Unknown"
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    frame["spell_id"] = [f"{x:012x}" for x in rng.integers(0, 2**48, n)]
    frame["date"] = [d.isoformat() for d in frame["date"]]
    return frame[["spell_id", "date", "cause", "lsoa", "age_band", "sex"]]


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write one extract per month, `months` months from `first_month`; returns the files written."""
    area = load_area(reference_dir, population_mid_year)
    outside = _outside_lsoas(area)
    return write_monthly(out_dir, "hospital_admissions", "hes_injury_admissions_{:%Y-%m}.csv", first_month, months,
                         seed, lambda rng, month: month_frame(rng, month, area, outside), HEADER)
