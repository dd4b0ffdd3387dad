"""Generated sample of the restricted police crime extract: one CSV per month in
data/raw/police_crime/, deterministic for a seed.

Volumes follow each district's mid-year population (Kent ~13.5k crimes a month, Medway in
proportion), with offence-group mixes, seasonal peaks and yearly trends of the kind police
recorded crime shows, and the flags the contract needs (domestic abuse, hate crime with strand,
VAWG, knife). It is sample data for demonstrating and testing the pipeline, not an estimate.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from csp.periods import add_months
from csp.synth._area import URBAN_PROFILE, load_area, seasonal, trend_years, write_monthly

# offence group: (share of crime, seasonal amplitude, peak month, yearly trend, HO codes)
OFFENCE_GROUPS = {
    "Violence against the person": (0.410, 0.08, 7, 0.02, ["8N", "8L", "105A", "5D", "8Q"]),
    "Sexual offences": (0.040, 0.12, 6, 0.01, ["17A", "19C", "22B", "88A"]),
    "Robbery": (0.012, 0.06, 11, 0.00, ["34A", "34B"]),
    "Burglary": (0.050, 0.10, 12, -0.03, ["28E", "30C"]),
    "Vehicle offences": (0.060, 0.05, 11, -0.04, ["45", "48", "126"]),
    "Theft from the person": (0.010, 0.08, 12, 0.03, ["39"]),
    "Bicycle theft": (0.010, 0.25, 7, -0.02, ["44"]),
    "Shoplifting": (0.080, 0.06, 12, 0.12, ["46"]),
    "All other theft offences": (0.070, 0.05, 8, 0.00, ["40", "49"]),
    "Criminal damage and arson": (0.100, 0.06, 5, -0.01, ["56A", "58A", "58C"]),
    "Drug offences": (0.025, 0.05, 6, 0.00, ["92A", "92D"]),
    "Possession of weapons offences": (0.015, 0.05, 7, 0.03, ["8A", "10A"]),
    "Public order offences": (0.095, 0.08, 7, 0.00, ["9A", "63", "66"]),
    "Miscellaneous crimes against society": (0.023, 0.03, 3, 0.01, ["33", "95", "99"]),
}
# per offence group: probability of domestic abuse, hate crime, knife, female victim
FLAG_RATES = {
    "Violence against the person": (0.40, 0.030, 0.020, 0.55),
    "Sexual offences": (0.25, 0.005, 0.005, 0.85),
    "Robbery": (0.02, 0.020, 0.180, 0.25),
    "Public order offences": (0.10, 0.080, 0.002, 0.45),
    "Criminal damage and arson": (0.12, 0.010, 0.000, 0.50),
}
DEFAULT_FLAGS = (0.02, 0.003, 0.0, 0.45)
HATE_STRANDS = (["Race", "Religion", "Sexual orientation", "Disability", "Transgender"], [0.72, 0.08, 0.11, 0.07, 0.02])
AGE_BANDS = (["Under 18", "18-25", "26-34", "35-49", "50-64", "65 and over", "Unknown"],
             [0.14, 0.17, 0.19, 0.25, 0.15, 0.07, 0.03])
COLUMNS = ["crime_reference", "recorded_date", "ho_offence_code", "offence_group", "lsoa_code",
           "domestic_abuse", "hate_crime", "hate_strand", "vawg", "knife", "victim_age_band", "victim_sex"]
COUNTY_CRIMES_PER_MONTH = 13_500
FAULTS_PER_MONTH = {"exported twice": 3, "no offence group": 2}   # means of Poisson counts


def month_frame(rng: np.random.Generator, month: dt.date, area) -> pd.DataFrame:
    """One month of crimes for every district."""
    years = trend_years(month)
    pop_share = area.weights(URBAN_PROFILE, years)
    parts = []
    days = (add_months(month, 1) - month).days
    for group, (share, amp, peak, trend, codes) in OFFENCE_GROUPS.items():
        mean = COUNTY_CRIMES_PER_MONTH * share * seasonal(month, amp, peak) * (1 + trend) ** years
        counts = rng.poisson(mean * pop_share.to_numpy())
        n = int(counts.sum())
        if n == 0:
            continue
        lad = np.repeat(pop_share.index.to_numpy(), counts)
        da_p, hate_p, knife_p, female_p = FLAG_RATES.get(group, DEFAULT_FLAGS)
        female = rng.random(n) < female_p
        da = rng.random(n) < da_p
        hate = rng.random(n) < hate_p
        # VAWG: sexual offences, domestic abuse and stalking/harassment against women and girls
        vawg = female & ((group == "Sexual offences") | da | ((group == "Violence against the person") & (rng.random(n) < 0.12)))
        parts.append(pd.DataFrame({
            "lad_code": lad,
            "offence_group": group,
            "ho_offence_code": rng.choice(codes, n),
            "day": rng.integers(1, days + 1, n),
            "domestic_abuse": da,
            "hate_crime": hate,
            "hate_strand": np.where(hate, rng.choice(HATE_STRANDS[0], n, p=HATE_STRANDS[1]), ""),
            "vawg": vawg,
            "knife": rng.random(n) < knife_p,
            "victim_age_band": rng.choice(AGE_BANDS[0], n, p=AGE_BANDS[1]),
            "victim_sex": np.where(female, "Female", np.where(rng.random(n) < 0.97, "Male", "Unknown")),
        }))
    df = pd.concat(parts, ignore_index=True)
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    df["lsoa_code"] = area.pick_lsoas(rng, df["lad_code"].to_numpy())
    # about 0.3% of crimes have no recorded location, as in real extracts
    df.loc[rng.random(len(df)) < 0.003, "lsoa_code"] = ""
    df["recorded_date"] = [f"{month:%Y-%m}-{d:02d}" for d in df["day"]]
    df["crime_reference"] = [f"46/{month:%y%m}/{i:06d}" for i in range(1, len(df) + 1)]
    yn = {True: "Y", False: "N"}
    for flag in ("domestic_abuse", "hate_crime", "vawg", "knife"):
        df[flag] = df[flag].map(yn)
    return _with_recording_faults(rng, df).sort_values(["recorded_date", "crime_reference"], kind="stable")[COLUMNS]


def _with_recording_faults(rng: np.random.Generator, df: pd.DataFrame) -> pd.DataFrame:
    """The few faults a real extract carries, so that the demo's data-quality report has something
    to say: records exported twice (exact copies) and records not yet given an offence group."""
    unclassified = rng.choice(len(df), rng.poisson(FAULTS_PER_MONTH["no offence group"]), replace=False)
    df.loc[unclassified, ["offence_group", "ho_offence_code"]] = ""
    copies = df.iloc[rng.choice(len(df), rng.poisson(FAULTS_PER_MONTH["exported twice"]), replace=False)]
    return pd.concat([df, copies], ignore_index=True)


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write `months` monthly extracts starting at `first_month`; returns the files written."""
    area = load_area(reference_dir, population_mid_year)
    return write_monthly(out_dir, "police_crime", "police_crime_{:%Y-%m}.csv", first_month, months, seed,
                         lambda rng, month: month_frame(rng, month, area))
