"""Generated sample of a population delivery: ONS mid-year estimates by district for the mid-year
after the latest bundled one, in the bundled file's columns (lad_code, lad_name, mid_year,
population), written to data/raw/population/. Deterministic for a seed.

The figures are illustrative, not ONS estimates: each district's latest bundled figure grows by
0.5-1.5%. They only show that a delivery supersedes the bundled figures. Rates use the mid-year set
in the settings (population_mid_year), so a demo with the default 2023 is not affected; the
analyst's real ONS download replaces this file.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from csp.synth._area import source_rng


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write one delivery of the mid-year after the latest bundled one; returns the file written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = source_rng(seed, "population")
    bundled = pd.read_csv(reference_dir / "population_mid_year.csv")
    latest = bundled[bundled.mid_year == bundled.mid_year.max()].sort_values("lad_code")
    growth = 1 + rng.uniform(0.005, 0.015, len(latest))
    frame = latest.assign(mid_year=latest.mid_year + 1, population=(latest.population * growth).round().astype(int))
    path = out_dir / f"population_mid_year_{int(frame.mid_year.iloc[0])}.csv"
    frame[["lad_code", "lad_name", "mid_year", "population"]].to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL,
                                                                     lineterminator="\n")
    return [path]
