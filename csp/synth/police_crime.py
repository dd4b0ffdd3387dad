"""Generated sample of the restricted police crime extract: one CSV per month in
data/raw/police_crime/, deterministic for a seed.

Volumes follow each district's mid-year population (Kent ~13.5k crimes a month, Medway in
proportion), with offence-group mixes, seasonal peaks and yearly trends of the kind police
recorded crime shows, and the flags the contract needs (domestic abuse, hate crime with strand,
VAWG, knife). It is sample data for demonstrating and testing the pipeline, not an estimate.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from csp.periods import add_months

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
# crime per resident relative to the county, and a yearly drift, by district: real districts differ
# (coastal towns and urban centres higher, the rural west lower), so the sample does too
DISTRICT_PROFILE = {
    "E07000105": (1.00, 0.01), "E07000106": (1.05, 0.00), "E07000107": (1.10, 0.03), "E07000108": (1.05, -0.01),
    "E07000112": (1.10, 0.02), "E07000109": (1.15, 0.00), "E07000110": (1.10, 0.04), "E07000111": (0.70, -0.02),
    "E07000113": (1.15, 0.02), "E07000114": (1.35, 0.05), "E07000115": (0.80, 0.00), "E07000116": (0.75, -0.03),
    "E06000035": (1.15, 0.01),
}


def _expected(share: float, amplitude: float, peak: int, trend: float, month: dt.date, first: dt.date) -> float:
    years = ((month.year - first.year) * 12 + month.month - first.month) / 12
    season = 1 + amplitude * math.cos(2 * math.pi * (month.month - peak) / 12)
    return share * season * (1 + trend) ** years


def month_frame(rng: np.random.Generator, month: dt.date, first: dt.date, lsoas: pd.DataFrame,
                pop_share: pd.Series) -> pd.DataFrame:
    """One month of crimes for every district."""
    years = ((month.year - first.year) * 12 + month.month - first.month) / 12
    profile = np.array([DISTRICT_PROFILE.get(lad, (1.0, 0.0)) for lad in pop_share.index])
    pop_share = pop_share * profile[:, 0] * (1 + profile[:, 1]) ** years
    parts = []
    days = (add_months(month, 1) - month).days
    for group, (share, amp, peak, trend, codes) in OFFENCE_GROUPS.items():
        mean = COUNTY_CRIMES_PER_MONTH * _expected(share, amp, peak, trend, month, first)
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
    # an LSOA inside each crime's district, uniformly
    df["lsoa_code"] = ""
    for lad, idx in df.groupby("lad_code").groups.items():
        codes = lsoas.loc[lsoas.lad_code == lad, "lsoa_code"].to_numpy()
        df.loc[idx, "lsoa_code"] = rng.choice(codes, len(idx))
    # about 0.3% of crimes have no recorded location, as in real extracts
    df.loc[rng.random(len(df)) < 0.003, "lsoa_code"] = ""
    df["recorded_date"] = [f"{month:%Y-%m}-{d:02d}" for d in df["day"]]
    df["crime_reference"] = [f"46/{month:%y%m}/{i:06d}" for i in range(1, len(df) + 1)]
    yn = {True: "Y", False: "N"}
    for flag in ("domestic_abuse", "hate_crime", "vawg", "knife"):
        df[flag] = df[flag].map(yn)
    return df.sort_values(["recorded_date", "crime_reference"])[COLUMNS]


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write `months` monthly extracts starting at `first_month`; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    districts = pd.read_csv(reference_dir / "districts.csv")
    pop = pd.read_csv(reference_dir / "population_mid_year.csv")
    pop = pop[pop.mid_year == population_mid_year].set_index("lad_code")["population"]
    in_county = districts.loc[districts.in_county, "lad_code"]
    weight = pop * pd.Series({lad: DISTRICT_PROFILE.get(lad, (1.0, 0.0))[0] for lad in pop.index})
    pop_share = (pop[districts.lad_code] / weight[in_county].sum()).rename_axis("lad_code")
    lsoas = pd.read_csv(reference_dir / "lsoa21_lookup.csv").rename(columns={"LSOA21CD": "lsoa_code", "LAD22CD": "lad_code"})
    first = dt.date.fromisoformat(f"{first_month}-01")
    written = []
    for i in range(months):
        month = add_months(first, i)
        frame = month_frame(rng, month, first, lsoas, pop_share)
        path = out_dir / f"police_crime_{month:%Y-%m}.csv"
        frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        written.append(path)
    return written
