"""What every sample-data generator needs about the area and about how volumes vary: the districts,
their populations and LSOAs (all from data/reference), and a district x month expected count built
from a county volume, district rate profiles, a seasonal cycle and a yearly trend.

Not a generator itself (the leading underscore keeps `csp synth` from running it).
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from csp.periods import add_months

# Relative rate per resident and yearly drift by district, for sources that follow the general
# pattern of crime and disorder: coastal towns and urban centres higher, the rural west lower.
# Sources with a different geography (road casualties, falls) pass their own.
URBAN_PROFILE = {
    "E07000105": (1.00, 0.01), "E07000106": (1.05, 0.00), "E07000107": (1.10, 0.03), "E07000108": (1.05, -0.01),
    "E07000112": (1.10, 0.02), "E07000109": (1.15, 0.00), "E07000110": (1.10, 0.04), "E07000111": (0.70, -0.02),
    "E07000113": (1.15, 0.02), "E07000114": (1.35, 0.05), "E07000115": (0.80, 0.00), "E07000116": (0.75, -0.03),
    "E06000035": (1.15, 0.01),
}

# the residents the generators' county volumes are for (COUNTY_CRIMES_PER_MONTH, ...): Kent's 12 districts at
# mid-2023, so that another county's sample data has volumes in proportion to its own residents
VOLUME_RESIDENTS = 1_610_251


@dataclass(frozen=True)
class Area:
    districts: pd.DataFrame          # lad_code, lad_name, in_county
    population: pd.Series            # lad_code -> residents at the chosen mid-year
    lsoas: pd.DataFrame              # lsoa_code, lad_code (2021 LSOAs)

    @property
    def in_county(self) -> pd.Series:
        return self.districts.loc[self.districts.in_county, "lad_code"]

    def weights(self, profile: dict[str, tuple[float, float]], years: float = 0.0) -> pd.Series:
        """lad_code -> share of the county volume, every district of the force area included: population
        x relative rate x drift^years, scaled so the county's districts sum to its residents over
        VOLUME_RESIDENTS at year 0 (1 for Kent; neighbours such as Medway come on top, in proportion), as
        the generators' volumes are Kent's: another county's are in proportion to its residents."""
        rate = pd.Series({lad: profile.get(lad, (1.0, 0.0))[0] for lad in self.population.index})
        drift = pd.Series({lad: profile.get(lad, (1.0, 0.0))[1] for lad in self.population.index})
        base = self.population * rate
        scale = self.population[self.in_county].sum() / VOLUME_RESIDENTS
        shares = (base / base[self.in_county].sum()) * scale * (1 + drift) ** years
        return shares[self.districts.lad_code].rename_axis("lad_code")

    def pick_lsoas(self, rng: np.random.Generator, lad_codes: np.ndarray) -> np.ndarray:
        """An LSOA inside each district given, uniformly."""
        out = np.empty(len(lad_codes), dtype=object)
        for lad in np.unique(lad_codes):
            idx = np.flatnonzero(lad_codes == lad)
            out[idx] = rng.choice(self.lsoas.loc[self.lsoas.lad_code == lad, "lsoa_code"].to_numpy(), len(idx))
        return out


def load_area(reference_dir, population_mid_year: int) -> Area:
    districts = pd.read_csv(reference_dir / "districts.csv")
    pop = pd.read_csv(reference_dir / "population_mid_year.csv")
    pop = pop[pop.mid_year == population_mid_year].set_index("lad_code")["population"]
    lsoas = pd.read_csv(reference_dir / "lsoa21_lookup.csv").rename(columns={"LSOA21CD": "lsoa_code", "LAD22CD": "lad_code"})
    return Area(districts, pop, lsoas[["lsoa_code", "lad_code"]])


# where the yearly trends and drifts start (the default sample's first month), the same for every
# window: a month's expected volumes do not depend on the months generated with it
TRENDS_FROM = dt.date(2022, 11, 1)


def source_rng(seed: int, source: str) -> np.random.Generator:
    """A random stream of its own for each source, so one seed gives every source different numbers."""
    return np.random.default_rng([seed, zlib.crc32(source.encode())])


def month_rng(seed: int, source: str, month: dt.date) -> np.random.Generator:
    """A random stream of its own for each source and month: a month's rows are the same whether it is
    generated alone or with others (a stream running through the window made a month generated alone
    repeat the first month of a longer window)."""
    return np.random.default_rng([seed, zlib.crc32(source.encode()), month.year, month.month])


def month_list(first_month: str, months: int) -> list[dt.date]:
    first = dt.date.fromisoformat(f"{first_month}-01")
    return [add_months(first, i) for i in range(months)]


def write_monthly(out_dir: Path, source: str, name: str, first_month: str, months: int, seed: int,
                  month_frame: Callable[[np.random.Generator, dt.date], pd.DataFrame],
                  header: bool | Sequence[str] = True) -> list[Path]:
    """Write one extract a month, `months` months from `first_month`, each from the month's own random
    stream (`month_rng`), as `name` formatted with the month (`"asb_incidents_{:%Y-%m}.csv"`); returns the
    files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for month in month_list(first_month, months):
        path = out_dir / name.format(month)
        month_frame(month_rng(seed, source, month), month).to_csv(
            path, index=False, header=header, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        written.append(path)
    return written


def trend_years(month: dt.date) -> float:
    """Years from TRENDS_FROM to the month (negative before it)."""
    return ((month.year - TRENDS_FROM.year) * 12 + month.month - TRENDS_FROM.month) / 12


def seasonal(month: dt.date, amplitude: float, peak: int) -> float:
    """1 + amplitude at the peak month, 1 - amplitude six months later."""
    return 1 + amplitude * math.cos(2 * math.pi * (month.month - peak) / 12)


def random_days(rng: np.random.Generator, month: dt.date, n: int) -> np.ndarray:
    """n dates in the month, uniformly."""
    days = (add_months(month, 1) - month).days
    return np.array([month + dt.timedelta(days=int(d)) for d in rng.integers(0, days, n)], dtype=object)
