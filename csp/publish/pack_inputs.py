"""Read the numbers a pack is built from out of the warehouse (csp.publish.model.PackInputs)."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

from csp.contracts import available_sources, load_contract
from csp.publish.findings import rate_against_county
from csp.publish.model import (COMPARISON_COLUMNS, COUNTY, MEASURE_COLUMNS, NOT_AVAILABLE, SERIES_BREAK_COLUMNS,
                               TREND_COLUMNS, PackInputs, Scope)
from csp.warehouse import sql
from transforms.stats import benjamini_hochberg, change_verdicts, poisson_change_test, rate_ci

INTERIM_CATALOGUE = Path(__file__).with_name("interim_catalogue.yml")


def load_pack_inputs(con: duckdb.DuckDBPyConnection) -> PackInputs:
    """Everything a pack needs, for every area (restrict it with `for_scope`)."""
    catalogue = _catalogue()
    comparisons = _crime_comparisons(con, catalogue["measures"])
    titles = {source: load_contract(source).title for source in available_sources()}
    windows = _frame(con, "publish/windows")
    windows.insert(1, "source_title", windows["source"].map(titles))
    return PackInputs(
        measures=catalogue["measures"],
        aims=catalogue["aims"],
        comparisons=comparisons[list(COMPARISON_COLUMNS)],
        trend=_crime_trend(con, catalogue["measures"]),
        windows=windows,
        deliveries=_frame(con, "publish/deliveries"),
        quarantine=_frame(con, "publish/quarantine"),
        gaps=_frame(con, "publish/gaps"),
        series_breaks=pd.DataFrame(columns=list(SERIES_BREAK_COLUMNS)),
        population_mid_year=int(comparisons["population_mid_year"].iloc[0]),
        source_titles=titles,
    )


def catalogue_version() -> str:
    """The version of the measures catalogue the pack was built from (for the run manifest)."""
    return _catalogue()["version"]


def resolve_scope(inputs: PackInputs, area: str | None, county_name: str) -> Scope:
    """'county' / None, or a district's code or name (any case) -> its Scope."""
    if area in (None, COUNTY):
        return Scope(COUNTY, county_name, county_name)
    districts = inputs.comparisons[inputs.comparisons["area_type"] == "district"][["area_code", "area_name"]]
    match = districts[(districts["area_code"] == area) | (districts["area_name"].str.lower() == area.lower())]
    if match.empty:
        names = ", ".join(sorted(districts["area_name"].unique()))
        raise ValueError(f"'{area}' is not a district of {county_name}; the districts are: {names}")
    return Scope(match["area_code"].iloc[0], match["area_name"].iloc[0], county_name)


def for_scope(inputs: PackInputs, scope: Scope) -> PackInputs:
    """The inputs a pack for `scope` may hold: a district's pack has its own rows and the county's,
    never another district's."""
    if scope.is_county:
        return inputs
    keep = {scope.area_code, COUNTY}
    return PackInputs(**{**inputs.__dict__,
                         "comparisons": inputs.comparisons[inputs.comparisons["area_code"].isin(keep)],
                         "trend": inputs.trend[inputs.trend["area_code"].isin(keep)]})


def _frame(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute(sql(name)).df()


@cache
def _catalogue() -> dict:
    text = INTERIM_CATALOGUE.read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    measures = pd.DataFrame(spec["measures"]).assign(source="police_crime")
    measures["aim"] = measures["aim"].astype("Int64")
    return {"measures": measures[[*MEASURE_COLUMNS, "offence_group"]], "aims": spec["aims"],
            "version": f"interim-{hashlib.sha256(text.encode()).hexdigest()[:12]}"}


def _crime_comparisons(con: duckdb.DuckDBPyConnection, measures: pd.DataFrame) -> pd.DataFrame:
    """INTERIM: comparisons.crime_rolling_12m as measure rows in the measure tables' columns
    (docs/measures.md), with the change test, false discovery rate control over the whole area x
    measure grid, verdicts and rate intervals computed here until the measures branch provides them."""
    frame = con.table("comparisons.crime_rolling_12m").df().merge(
        measures[["measure_id", "offence_group"]], on="offence_group").rename(columns={
            "current_count": "current_value", "previous_count": "previous_value", "comparison_status": "status"})
    available = frame["status"] == "available"
    previous = frame["previous_value"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    current = frame["current_value"].astype(float).to_numpy()
    frame["p_value"] = poisson_change_test(previous, current)
    frame["q_value"] = benjamini_hochberg(frame["p_value"].to_numpy())
    frame["verdict"] = np.where(available, change_verdicts(previous, current, frame["q_value"].to_numpy()),
                                NOT_AVAILABLE)
    frame["series_break"] = None
    _, lower, upper = rate_ci(current, frame["population"].astype(float).to_numpy())
    # compared unrounded: the rates of small counts all round to 0.01
    county = frame["area_type"] == "county"
    county_rate = frame["measure_id"].map(
        frame[county].set_index("measure_id").eval("1000 * current_value / population"))
    frame["rate_vs_county"] = [rate_against_county(lo, hi, rate) for lo, hi, rate in zip(lower, upper, county_rate)]
    frame.loc[county, "rate_vs_county"] = None
    frame["current_rate_per_1000_lower"] = np.round(lower, 2)
    frame["current_rate_per_1000_upper"] = np.round(upper, 2)
    return frame


def _crime_trend(con: duckdb.DuckDBPyConnection, measures: pd.DataFrame) -> pd.DataFrame:
    """INTERIM: comparisons.crime_trend as measure rows (see _crime_comparisons)."""
    frame = con.table("comparisons.crime_trend").df().merge(measures[["measure_id", "offence_group"]],
                                                            on="offence_group")
    return frame.rename(columns={"crimes": "value"})[list(TREND_COLUMNS)]
