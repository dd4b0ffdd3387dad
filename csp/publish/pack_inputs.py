"""Read the numbers a pack is built from out of the warehouse (csp.publish.model.PackInputs): the
measure tables (docs/measures.md), the source windows and the data-quality tables, each through a
query in sql/publish/."""
from __future__ import annotations

import duckdb
import pandas as pd

from csp.contracts import available_sources, load_contract
from csp.publish.model import COUNTY, PackInputs, Scope
from csp.publish.quality_report import gaps_compared
from csp.warehouse import sql

EVERY_DISTRICT = "every district"   # dq.gaps' name for a month every district misses


def load_pack_inputs(con: duckdb.DuckDBPyConnection) -> PackInputs:
    """Everything a pack needs, for every area (restrict it with `for_scope`)."""
    titles = {source: load_contract(source).title for source in available_sources()}
    measures = _frame(con, "publish/measures")
    windows = _frame(con, "publish/windows")
    windows.insert(1, "source_title", windows["source"].map(titles))
    return PackInputs(
        measures=measures.drop(columns="aim_name"),
        aims=dict(zip(measures["aim"], measures["aim_name"])),
        comparisons=_frame(con, "publish/comparisons"),
        shares=_frame(con, "publish/shares"),
        monthly=_frame(con, "publish/monthly"),
        trends=_frame(con, "publish/trends"),
        profiles=_frame(con, "publish/seasonal_profiles"),
        windows=windows,
        deliveries=_frame(con, "publish/deliveries"),
        quarantine=_frame(con, "publish/quarantine"),
        gaps=_frame(con, "publish/gaps"),
        series_breaks=_frame(con, "publish/series_breaks"),
        source_titles=titles,
        without_population=tuple(name for _, name, _ in con.execute(sql("ops/areas_without_population")).fetchall()),
        gaps_compared=gaps_compared(con),
        neighbours=tuple(_frame(con, "publish/neighbours")["area_name"]),
    )


def county_scope(county_name: str) -> Scope:
    """The county's pack (a district's is csp.marts.pack.district_scope's)."""
    return Scope(COUNTY, county_name, county_name)


def for_scope(inputs: PackInputs, scope: Scope) -> PackInputs:
    """The inputs a pack for `scope` may hold: a district's pack has its own rows and the county's,
    never another district's."""
    if scope.is_county:
        return inputs
    keep = {scope.area_code, COUNTY}
    by_area = ("comparisons", "shares", "monthly", "trends", "profiles")
    # months missing inside the months compared: its own district's and every district's, naming no other
    gaps = inputs.gaps_compared.assign(districts=inputs.gaps_compared["districts"].map(
        lambda names: [n for n in names if n in (EVERY_DISTRICT, scope.area_name)]))
    return PackInputs(**{**inputs.__dict__,
                         **{name: getattr(inputs, name)[getattr(inputs, name)["area_code"].isin(keep)]
                            for name in by_area},
                         "gaps_compared": gaps[gaps["districts"].map(len) > 0]})


def _frame(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute(sql(name)).df()
