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

from csp.marts.disclosure import Rule
from csp.marts.districts import District
from csp.marts.dq_counts import QUARANTINE_COUNTS, protected as dq_protected, without_records
from csp.marts.spec import MartTable
from csp.marts.tables import FROM_SERIES, altered_series, withhold_series
from csp.publish.formats import SUPPRESSED_COLUMNS
from csp.publish.model import DELIVERY_COUNTS, PackInputs, Scope, Stamp
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
                         frames: dict[str, pd.DataFrame], dq_rules: dict[str, Rule],
                         rounding: frozenset[str] = frozenset()) -> PackInputs:
    """The district's pack inputs as its mart shows them: the mart's disclosure-controlled numbers, and
    the data-quality annex's counts under `dq_rules` (dq_counts.county_rules). `rounding`: the measures whose
    rule rounds their counts (tables.altered_series)."""
    scoped = for_scope(inputs, scope)
    spec = {t.name: t for t in tables}
    shown = {name: _protected(getattr(scoped, name), spec[table], frames[table], keys)
             for name, (table, keys) in PROTECTED.items()}
    # worked out from whole monthly series: withheld wherever the mart hides or rounds a month of theirs
    # (a calendar month's mean, times its years, less the months shown, would give a hidden one)
    altered = altered_series(scoped.monthly, shown["monthly"], rounding)
    profiles = withhold_series(scoped.profiles, altered, PROFILE_VALUES)
    trends = withhold_series(scoped.trends, altered, FROM_SERIES["measure_trend"][1])
    rounded = {source: f"Counts as disclosure control shows them: 1 to {rule.suppress_up_to} hidden, the others "
                       f"rounded to the nearest {rule.round_to} (changes and rates from them left blank)."
               for source, rule in dq_rules.items() if rule.round_to > 1}
    return dataclasses.replace(scoped, **shown, profiles=profiles, trends=trends, rounded=rounded,
                               deliveries=without_records(dq_protected(scoped.deliveries, DELIVERY_COUNTS, dq_rules)),
                               quarantine=without_records(dq_protected(scoped.quarantine, QUARANTINE_COUNTS, dq_rules)))


def _protected(frame: pd.DataFrame, table: MartTable, protected: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`frame` with its counts and derived columns (and `suppressed_columns`) as the mart shows them.
    A row the mart lacks gets them blank: nothing leaves without disclosure control."""
    columns = [c for c in (*table.counts, *table.derived) if c in frame] + [SUPPRESSED_COLUMNS]
    rows = protected.set_index(keys)[columns].reindex(pd.MultiIndex.from_frame(frame[keys]))
    return frame.assign(**{c: rows[c].set_axis(frame.index) for c in columns})

