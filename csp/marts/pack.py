"""A district's own pack (README "District marts"): the county pack's generator scoped to the district,
fed the mart's rows, so it cannot show a number the mart hides.

The pack reads the same warehouse tables as the mart's measure tables. Rather than a second
disclosure control, the pack's inputs keep their own rows and shape (for_scope: the district and the
county) and take every count and every column derived from counts from the mart's protected table,
joined on the table's keys: one set of hidden cells for the mart and its pack."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from csp.marts.districts import District
from csp.marts.spec import MartTable
from csp.marts.tables import SUPPRESSED_COLUMNS
from csp.publish.model import PackInputs, Scope, Stamp
from csp.publish.pack import write_pack
from csp.publish.pack_inputs import for_scope

PACK_FOLDER = "pack"

# pack input -> the mart table holding its rows under disclosure control, and the keys of a row
PROTECTED = {
    "comparisons": ("measure_change", ["measure_id", "comparison_type", "area_code"]),
    "shares": ("measure_shares", ["measure_id", "comparison_type", "area_code"]),
    "monthly": ("measure_monthly", ["measure_id", "area_code", "month"]),
}
PROFILE_VALUES = ("mean_value", "seasonal_index", "is_peak")


def write_district_pack(inputs: PackInputs, district: District, county_name: str, out: Path, stamp: Stamp,
                        documents: bool, kept_charts: Path | None = None) -> list[Path]:
    """The district's pack in `out`, from its own `inputs` (district_pack_inputs: the mart's numbers)."""
    out.mkdir()
    return write_pack(inputs, district_scope(district, county_name), out, stamp, documents, kept_charts)


def district_scope(district: District, county_name: str) -> Scope:
    return Scope(district.lad_code, district.name, county_name)


def district_pack_inputs(inputs: PackInputs, scope: Scope, tables: list[MartTable],
                         frames: dict[str, pd.DataFrame]) -> PackInputs:
    scoped = for_scope(inputs, scope)
    spec = {t.name: t for t in tables}
    shown = {name: _protected(getattr(scoped, name), spec[table], frames[table], keys)
             for name, (table, keys) in PROTECTED.items()}
    profiles = _profiles(scoped.profiles, scoped.monthly, shown["monthly"])
    return dataclasses.replace(scoped, **shown, profiles=profiles)


def _protected(frame: pd.DataFrame, table: MartTable, protected: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`frame` with its counts and derived columns (and `suppressed_columns`) as the mart shows them.
    A row the mart lacks gets them blank: nothing leaves without disclosure control."""
    columns = [c for c in (*table.counts, *table.derived) if c in frame] + [SUPPRESSED_COLUMNS]
    rows = protected.set_index(keys)[columns].reindex(pd.MultiIndex.from_frame(frame[keys]))
    return frame.assign(**{c: rows[c].set_axis(frame.index) for c in columns})


def _profiles(profiles: pd.DataFrame, true_monthly: pd.DataFrame, shown_monthly: pd.DataFrame) -> pd.DataFrame:
    """The seasonal profiles are not in the mart but are worked out from the same monthly counts (a
    calendar month's mean, times its years, less the months shown, gives a hidden one): a measure's
    profile in an area is withheld wherever the mart hides or rounds any of its monthly counts there."""
    same = (true_monthly["value"] == shown_monthly["value"]).fillna(False).astype(bool)
    altered = true_monthly["value"].notna() & ~same
    hit = set(zip(true_monthly.loc[altered, "measure_id"], true_monthly.loc[altered, "area_code"]))
    withheld = pd.Series([key in hit for key in zip(profiles["measure_id"], profiles["area_code"])],
                         index=profiles.index, dtype=bool)
    return profiles.assign(**{c: profiles[c].mask(withheld) for c in PROFILE_VALUES})
