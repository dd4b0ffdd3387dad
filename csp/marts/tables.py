"""A mart table's rows: disclosure control applied to the whole warehouse table once (so every mart
shows the same values), then each district's rows cut out of it."""
from __future__ import annotations

import string

import numpy as np
import pandas as pd

from csp.marts.disclosure import KEYS
from csp.marts.spec import MartTable
from csp.publish.formats import SUPPRESSED_COLUMNS
from transforms.measure_stats import PERIOD_FAMILY, published_statistics


def published_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Disclosure control's answer for a cube's cells (disclosure.protect), looked up by their keys:
    made once for all the tables of the cube."""
    return cells.set_index(list(KEYS))[["suppressed", "round_to", "published"]]


def with_zero_rows(frame: pd.DataFrame, table: MartTable, cells: pd.DataFrame) -> pd.DataFrame:
    """The table's rows and a row for each 0 its cube adds (cube.with_zero_cells: violence against the
    person beside sexual offences in an LSOA month, sexual offences beside violence against the person
    where data.police.uk's count is 1) beside a count the table has a row for: a copy
    of that row with the 0's measure and a count of 0, in the table's order (the LSOA table's; no
    other table has a row of such a count). A 0 adds nothing to any total."""
    if len(table.counts) != 1 or "zero_beside" not in cells:
        return frame
    (column, cell), = table.counts.items()
    if not {cell.area, cell.measure, cell.period} <= set(frame.columns):
        return frame
    zeros = cells[cells["zero_beside"].isin(frame[cell.measure].unique())]
    if zeros.empty:
        return frame
    at = pd.MultiIndex.from_arrays([_part(frame, cell.area), _part(frame, cell.measure), _part(frame, cell.period)])
    row = pd.Series(np.arange(len(frame)), index=at)[~at.duplicated()]
    beside = pd.MultiIndex.from_arrays([zeros["area_code"], zeros["zero_beside"], zeros["period"]])
    found = beside.isin(row.index)
    if not found.any():
        return frame
    added = frame.iloc[row[beside[found]].to_numpy()].assign(**{cell.measure: zeros["measure"].to_numpy()[found],
                                                                column: 0})
    order = list(dict.fromkeys([table.area_column, cell.area, cell.period, cell.measure]))
    return pd.concat([frame, added], ignore_index=True).sort_values(order, kind="stable", ignore_index=True)


def protect_table(frame: pd.DataFrame, table: MartTable, published: pd.DataFrame) -> pd.DataFrame:
    """The table as the marts show it: hidden counts blank, counts rounded where their rule rounds,
    derived columns blank where a count they come from is hidden or rounded (a change or a rate
    from the true count would give the count away), and `suppressed_columns` naming the columns
    withheld in each row (blank when none). `published`: the table's cube's published_cells. Every
    count must be a cell of the cube, or it would be published without disclosure control."""
    out = frame.copy()
    withheld: dict[str, np.ndarray] = {}
    altered: dict[str, np.ndarray] = {}
    for column, cell in table.counts.items():
        keys = pd.MultiIndex.from_arrays([_part(frame, cell.area), _part(frame, cell.measure), _part(frame, cell.period)])
        found = published.reindex(keys)
        counted = frame[column].notna().to_numpy()
        absent = counted & found["round_to"].isna().to_numpy()
        if absent.any():
            example = keys[np.flatnonzero(absent)[0]]
            raise ValueError(f"{table.table}.{column}: {absent.sum()} count(s) are not cells of {' and '.join(table.cube.cells)}, "
                             f"e.g. {example}: they would leave without disclosure control")
        hidden = found["suppressed"].fillna(False).to_numpy(dtype=bool)
        values = pd.Series(np.where(counted, found["published"].to_numpy(dtype=float), np.nan), index=frame.index)
        # whole counts stay whole; a sum of probabilities (KSI from adjusted severities) stays a fraction
        out[column] = values.astype("Int64") if pd.api.types.is_integer_dtype(frame[column]) else values
        withheld[column] = hidden
        altered[column] = hidden | (found["round_to"].fillna(1).to_numpy() > 1)
    for column, derived in table.derived.items():
        blank = np.logical_or.reduce([altered[c] for c in derived.inputs])
        if derived.trailing > 1 or derived.lag:
            blank = _along_series(frame, next(iter(table.counts.values())), blank, derived)
            # a rolling total or a year-earlier value exists where its months have data, which the rows shown say:
            # one that does not is no data, not withheld (a series' first 11 months)
            blank &= frame[column].notna().to_numpy()
        # any other is named withheld whether or not it has a value: which of them are blank anyway (a q-value a
        # count too small to test has none) would tell a reader the hidden counts are small
        out[column] = _blanked(frame[column], blank)
        withheld[column] = altered[column] = blank
    names = np.array(list(withheld))
    flags = np.column_stack(list(withheld.values())) if withheld else np.zeros((len(frame), 0), dtype=bool)
    listed = np.full(len(frame), None, dtype=object)
    for i in np.flatnonzero(flags.any(axis=1)):   # most rows withhold nothing
        listed[i] = ", ".join(names[flags[i]])
    out[SUPPRESSED_COLUMNS] = pd.array(listed, dtype="str")
    return out


# a table whose q-values and verdicts are worked out again over the p-values it shows (protect_table
# blanks the others) -> its previous and current counts and the columns of one family, as in the stats
READJUSTED = {"measure_change": ("previous_value", "current_value", PERIOD_FAMILY),
              "measure_monthly": ("value_year_earlier", "value", [])}


def readjusted(name: str, shown: pd.DataFrame, areas: tuple[str, ...] = ("neighbours",)) -> pd.DataFrame:
    """`shown` (protect_table's frame of table `name`) with q-values and verdicts over the p-values
    the marts show, where the table has them (READJUSTED). `areas`: the kinds of area the table gives a
    district (MartTable.areas): a neighbour's rows (Medway's), where no mart holds them, are left out of
    the adjustment, as its q-values would otherwise hang on p-values no district sees."""
    if name not in READJUSTED:
        return shown
    previous, current, family = READJUSTED[name]
    if "neighbours" in areas or "area_type" not in shown:
        return published_statistics(shown, previous, current, family)
    in_marts = (shown["area_type"] != "neighbour").to_numpy()
    out = shown.copy()
    out.loc[in_marts] = published_statistics(shown[in_marts], previous, current, family)
    return out


# a table worked out from a whole monthly series -> that series' mart table and the table's columns from it
FROM_SERIES = {"measure_trend": ("measure_monthly", ("direction", "p_value", "slope_per_year"))}


def altered_series(true_monthly: pd.DataFrame, shown_monthly: pd.DataFrame,
                   rounded: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
    """The (measure_id, area_code) series of which disclosure control hides or rounds any month
    (the same rows of measure_monthly before and after protect_table). A fraction shown to the
    nearest whole number (KSI's sums of probabilities, under no rule) is not altered: only a change of
    more than half (a count hidden, or rounded to 5) is. So is every month but a 0 of a measure whose rule
    rounds (`rounded`), shown as counted or not: a trend shown where every month happened to be a multiple
    of 5 would tell the reader each was exact."""
    true, shown = (f["value"].to_numpy(dtype=float, na_value=np.nan) for f in (true_monthly, shown_monthly))
    altered = ~np.isnan(true) & (np.isnan(shown) | (np.abs(true - shown) > 0.5)
                                 | ((true != 0) & true_monthly["measure_id"].isin(rounded).to_numpy()))
    return set(zip(true_monthly.loc[altered, "measure_id"], true_monthly.loc[altered, "area_code"]))


def withhold_series(frame: pd.DataFrame, altered: set[tuple[str, str]], columns: tuple[str, ...]) -> pd.DataFrame:
    """`frame` (one row per measure x area, or per calendar month of one) with `columns` blank where
    its series is in `altered`: a trend's slope and p-value, or a seasonal profile, worked out from
    hidden or rounded months, is a derived value like any other (caveat 42). They are named in its
    suppressed_columns (added if the frame has none), as a reader of the table or the pack is told."""
    if frame.empty:
        return frame
    withheld = pd.Series([key in altered for key in zip(frame["measure_id"], frame["area_code"])],
                         index=frame.index, dtype=bool)
    out = frame.assign(**{c: frame[c].mask(withheld) for c in columns})
    listed = out[SUPPRESSED_COLUMNS] if SUPPRESSED_COLUMNS in out else pd.Series(None, index=out.index, dtype="str")
    out[SUPPRESSED_COLUMNS] = listed.mask(withheld, ", ".join(columns))
    return out


def district_rows(frame: pd.DataFrame, table: MartTable, area_codes: dict[str, set[str]]) -> pd.DataFrame:
    """The rows of `table` one district gets; `area_codes` maps each area kind (own, county,
    other_districts, neighbours) to that district's codes of that kind."""
    codes = set().union(*(area_codes[kind] for kind in table.areas))
    return frame[frame[table.area_column].isin(codes)].reset_index(drop=True)


def _part(frame: pd.DataFrame, part: str) -> pd.Index:
    """A cell key part: a quoted constant, a column, or text naming columns in braces."""
    if part.startswith("'"):
        return pd.Index([part.strip("'")] * len(frame))
    if "{" not in part:
        return pd.Index(_text(frame[part]))
    text = pd.Series("", index=frame.index)
    for literal, field, _, _ in string.Formatter().parse(part):
        text = text + literal + (_text(frame[field]) if field else "")
    return pd.Index(text)


def _text(column: pd.Series) -> pd.Series:
    """A key column as the cube writes it: a date as its month ('YYYY-MM'), anything else as text."""
    if pd.api.types.is_datetime64_any_dtype(column):
        # each distinct month formatted once: strftime goes value by value (~0.1 s for the LSOA table's
        # 270,000 rows, before the first district's mart can start)
        codes, months = pd.factorize(column, use_na_sentinel=False)
        return pd.Series(months.strftime("%Y-%m").take(codes), index=column.index, name=column.name)
    return column.astype(str)


def _along_series(frame: pd.DataFrame, cell, blank: np.ndarray, derived) -> np.ndarray:
    """Blank along each series (same area and measure, in period order): where any of the
    `trailing` rows up to this one is blank (a rolling total holding a hidden count), or where the
    row `lag` rows before is (a year-earlier value)."""
    partition = [p for p in (cell.area, cell.measure) if not p.startswith("'")]
    ordered = frame.sort_values([*partition, cell.period]).index
    flags = pd.Series(blank.astype(float), index=frame.index).loc[ordered]
    series = flags.groupby([frame.loc[ordered, p] for p in partition], sort=False)
    if derived.lag:
        moved = series.shift(derived.lag).fillna(0)
    else:
        moved = series.rolling(derived.trailing, min_periods=1).max().droplevel(list(range(len(partition))))
    return moved.reindex(frame.index).to_numpy() > 0


def _blanked(column: pd.Series, blank: np.ndarray) -> pd.Series:
    if pd.api.types.is_integer_dtype(column):
        column = column.astype("Int64")
    return column.mask(blank)
