"""An independent disclosure attack on the published district marts (docs/disclosure.md):

    ./run python -m bench.disclosure_attack data/marts [--warehouse data/warehouse/csp.duckdb] [--csv bounds.csv]

It reads only what the marts' readers have together (all 12 districts' marts, as if they colluded:
<marts>/districts/<slug>/parquet/*.parquet, or the mart's .duckdb where there is no Parquet) and
data.police.uk's "Violence and sexual offences" by LSOA and month. That public count is violence
against the person + sexual offences of the restricted data (+ the public form's group of that name),
so it is summed here from the warehouse's facts.crime_lsoa_monthly (opened read-only): this stands in
for downloading data.police.uk. Nothing else is taken from the warehouse for the attack; its true
counts (marts.crime_cells, marts.measure_cells) are read afterwards only to check that every bound
holds them (an attacker assuming too much would report false leaks). Nothing is imported from
csp.marts: the definitions are read as a reader has them (catalogue/measures.yml,
data/reference/offence_groups.csv, the rules in config/settings.toml).

What the attacker knows:
- every shown count; a hidden one is blank with its column named in `suppressed_columns`;
- totals: an LSOA's counts add up to its district's month (crime_lsoa_monthly -> crime_trend),
  districts to the county, offence groups to All crime and to the measures made of them (violent
  crime = violence against the person + sexual offences + robbery), months to each 12 months and
  year to date they are in (crime_rolling_12m, measure_change), a measure is at least its subsets
  (race hate crime <= hate crime; knife crime with victims under 18 + aged 18-25 <= knife crime), and
  data.police.uk's count for each LSOA month. No other LSOA total is published, so the other offence
  groups' LSOA counts bound sexual offences only through their district's totals;
- a row in the LSOA table means a count of 1 or more, no row none; but violence against the person
  in an LSOA month with a row of sexual offences may be a 0 the pipeline adds ("Zeros beside sexual
  offences"): hidden there it is at least 0; and so is either group in an LSOA month whose public
  count is 1, where the marts show a row of each (a 0 of sexual offences added beside violence
  against the person: main since de85286). A reader sees which: if every such LSOA month has both
  rows, the marts add those 0s (--sexual-zeros-up-to sets it instead). Every other
  hidden count is at least 1 (a zero is never hidden); a count under a rounding rule (hospital
  data, to 5) is within 2 of what is shown.

The attacks, each giving every hidden count a least and a largest possible value:
1. the public count alone: the LSOA month's line on its own (what docs/disclosure.md's "Known
   limits" already explains);
2. closed form: each total alone (x_i = total less the others, each between its bounds, rounded
   inwards: counts are whole), repeated until no bound moves: the LSOA month's public count less
   its other rows, the district month's total less its other LSOAs, and so on;
3. a linear programme (scipy's linprog, HiGHS, as tests/unit/test_disclosure.py's attacker_max) for
   the least and the largest value of each hidden count over its group of totals linked by hidden
   counts (an LSOA month's lines with its district month's; with other months and districts where a
   district's count is hidden too). A solution found on the way that already reaches a closed-form
   bound proves it without a programme of its own. Then, for the counts under a rule that the
   programmes leave at threshold + 1, the largest value in whole numbers (scipy's milp).

It prints, for hidden LSOA-month sexual offences and for every other kind of hidden count, how many
are recovered exactly, how many are proved within their rule's threshold (small_counts: at most 4),
the (least, largest) distribution, and any count under a rule recovered exactly or proved small
beyond what its public count alone gives: that would be a leak. On the demo (`./run csp demo`) it
takes about a minute on one core, ~16,000 programmes.
"""
from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("crime_lsoa_monthly", "crime_trend", "crime_rolling_12m", "measure_monthly", "measure_change")
SEXUAL, ALL_CRIME, PUBLIC = "Sexual offences", "All crime", "Violence and sexual offences"
POLICE = "police_crime"
EPS = 1e-6


# --- what the attacker knows beside the marts: definitions, rules ---------------------------------------

def knowledge(root: Path = ROOT) -> dict:
    """The published definitions: offence groups and data.police.uk's crime types, the catalogue's
    measures (which are sums of groups, which are subsets of which) and the disclosure rules."""
    groups = pd.read_csv(root / "data/reference/offence_groups.csv")
    category = dict(zip(groups["offence_group"], groups["police_uk_category"]))
    catalogue = yaml.safe_load((root / "catalogue/measures.yml").read_text())["measures"]
    rules = tomllib.loads((root / "config/settings.toml").read_text())["disclosure"]
    police = [m for m in catalogue if m["source"] == POLICE and "numerator" not in m and "value" not in m]

    def offence(filters) -> frozenset | None:   # the offence groups a filter keeps (None: all)
        kept = None
        for column, to in (("offence_group", lambda g: g), ("police_uk_category", category.get)):
            if column in filters:
                these = frozenset(g for g in category if to(g) in filters[column])
                kept = these if kept is None else kept & these
        return kept

    conditions = {m["id"]: (offence(m["filter"]), {c: frozenset([v] if isinstance(v, bool) else v)
                                                   for c, v in m["filter"].items()
                                                   if c not in ("offence_group", "police_uk_category")})
                  for m in police}
    sums = {m: sorted(g) if g is not None else [ALL_CRIME] for m, (g, other) in conditions.items() if not other}

    def within(a, b):   # every crime a counts, b counts
        (ga, oa), (gb, ob) = conditions[a], conditions[b]
        return (gb is None or (ga is not None and ga <= gb)) and all(c in oa and oa[c] <= v for c, v in ob.items())

    subsets = []   # (parts, whole): parts together at most whole
    for b in conditions:
        inside = [a for a in conditions if a != b and within(a, b) and not within(b, a)
                  and not (a in sums and b in sums)]   # two sums of groups: their equations hold it
        subsets += [([a], b) for a in inside]
        for column in {c for a in inside for c in conditions[a][1]} - set(conditions[b][1]):
            family = [a for a in inside if column in conditions[a][1]]
            values = [conditions[a][1][column] for a in family]
            if len(family) > 1 and sum(map(len, values)) == len(frozenset().union(*values)):   # disjoint
                subsets.append((family, b))

    def rule(measure: str) -> dict:
        """A measure's rule; an offence group's, the strictest of the sums of groups holding it."""
        names = [m["disclosure"] for m in catalogue if m["id"] == measure] or \
            [m["disclosure"] for m in catalogue if m["id"] in sums and measure in sums[m["id"]]] or ["none"]
        return max((rules.get(n, {}) for n in names), key=lambda r: r.get("suppress_up_to", 0))

    public_groups = sorted(g for g, c in category.items() if c == PUBLIC)
    return {"sums": sums, "subsets": subsets, "rule": rule, "public_groups": public_groups,
            "groups": sorted(category)}


# --- the marts as one long table of counts ------------------------------------------------------------

def read_marts(marts: Path) -> dict[str, pd.DataFrame]:
    """Every table of every district's mart, all districts' rows together."""
    folders = sorted(p for p in (marts / "districts").iterdir() if p.is_dir())
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    con = duckdb.connect()
    for folder in folders:
        database = folder / f"{folder.name}.duckdb"
        for table in TABLES:
            parquet = folder / "parquet" / f"{table}.parquet"
            if parquet.exists():
                frames[table].append(con.read_parquet(str(parquet)).df())
            elif database.exists():
                with duckdb.connect(str(database), read_only=True) as mart:
                    frames[table].append(mart.table(table).df())
    print(f"read {len(folders)} district marts from {marts}", flush=True)
    return {t: pd.concat(f, ignore_index=True) for t, f in frames.items() if f}


def _month(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.strftime("%Y-%m")


def _hidden(frame: pd.DataFrame, column: str) -> pd.Series:
    named = frame["suppressed_columns"].fillna("").str.split(", ")
    return named.map(lambda names: column in names)


def mart_cells(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, dict]:
    """The counts the marts show or hide, one row per (area, measure, period), with their level,
    parent area (an LSOA's district; a district's county), value (NaN if hidden) and whether hidden;
    and the months of each window period (measure, period) -> [months]. A count no mart has (a blank
    with no column named: no data) is left out."""
    parts, windows = [], {}

    def add(frame, level, area, parent, measure, period, column, table):
        hidden = _hidden(frame, column)
        keep = hidden | frame[column].notna()
        parts.append(pd.DataFrame({"level": level[keep], "area": area[keep], "parent": parent[keep],
                                   "measure": measure[keep], "period": period[keep],
                                   "value": frame[column].where(~hidden)[keep].astype(float),
                                   "hidden": hidden[keep], "table": table}))

    if "crime_lsoa_monthly" in tables:
        f = tables["crime_lsoa_monthly"]
        add(f, pd.Series("lsoa", f.index), f["lsoa_code"], f["lad_code"], f["offence_group"], _month(f["month"]),
            "crimes", "crime_lsoa_monthly")
    if "crime_trend" in tables:
        f = tables["crime_trend"]
        add(f, f["area_type"], f["area_code"], _county(f), f["offence_group"], _month(f["month"]), "crimes", "crime_trend")
    if "crime_rolling_12m" in tables:
        f = tables["crime_rolling_12m"]
        for column, when in (("current_count", "current"), ("previous_count", "previous")):
            add(f, f["area_type"], f["area_code"], _county(f), f["offence_group"],
                pd.Series(f"rolling 12 months: {when}", f.index), column, "crime_rolling_12m")
    if "measure_monthly" in tables:
        f = tables["measure_monthly"]
        add(f, f["area_type"], f["area_code"], _county(f), f["measure_id"], _month(f["month"]), "value", "measure_monthly")
    if "measure_change" in tables:
        f = tables["measure_change"]
        for when in ("current", "previous"):
            period = f["comparison_type"] + f": {when}"
            add(f, f["area_type"], f["area_code"], _county(f), f["measure_id"], period, f"{when}_value", "measure_change")
            dated = f.dropna(subset=[f"{when}_first"]).drop_duplicates(["measure_id", "comparison_type"])
            for m, p, first, last in zip(dated["measure_id"], dated["comparison_type"] + f": {when}",
                                         dated[f"{when}_first"], dated[f"{when}_last"]):
                windows[m, p] = [str(x) for x in pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq="M")]
    cells = pd.concat(parts, ignore_index=True)
    # a county row and a comparator's are in every mart: one cell each (measure_change's q-values differ
    # from mart to mart, its counts must not)
    keys = ["area", "measure", "period"]
    clash = cells.groupby(keys)["value"].nunique(dropna=False) > 1
    if clash.any():
        print(f"warning: {clash.sum()} counts differ between marts, e.g. {clash[clash].index[0]}", flush=True)
    cells = cells.drop_duplicates(keys).reset_index(drop=True)
    # offence groups' 12 months are the police measures' (crime_rolling_12m's period is all crime's)
    for (m, p), months in list(windows.items()):
        if m == "all_crime" and p.startswith("rolling 12 months"):
            for g in cells.loc[cells["table"] == "crime_rolling_12m", "measure"].unique():
                windows[g, p] = months
    return cells, windows


def _county(frame: pd.DataFrame) -> pd.Series:
    """A district adds up to the county (a neighbour, Medway, to nothing)."""
    return pd.Series(np.where(frame["area_type"] == "district", "county", None), index=frame.index)


def public_totals(warehouse: Path) -> pd.DataFrame:
    """data.police.uk's violence and sexual offences by LSOA and month: stands in for downloading it
    (the sum of its groups in the warehouse is what data.police.uk publishes)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(f"""
            SELECT c.lsoa_code AS area, strftime(c.month, '%Y-%m') AS period, sum(c.crimes)::DOUBLE AS value
            FROM facts.crime_lsoa_monthly AS c
            WHERE c.offence_group IN (SELECT offence_group FROM ref.offence_groups
                                      WHERE police_uk_category = '{PUBLIC}')
            GROUP BY ALL""").df()


def true_values(warehouse: Path) -> dict:
    """The true counts (not part of the attack: only to check the bounds hold them)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql("SELECT area_code, measure, period, value FROM marts.crime_cells UNION ALL "
                       "SELECT area_code, measure, period, value FROM marts.measure_cells").fetchall()
    return {(a, m, p): v for a, m, p, v in rows}


# --- the attacker's equations ---------------------------------------------------------------------------

def equations(cells: pd.DataFrame, windows: dict, public: pd.DataFrame, know: dict):
    """Every total a reader knows as rows (cell indices, coefficients, constant, kind): the sum of
    coefficient x count equals the constant ('=') or is at most it ('<=')."""
    index = {k: i for i, k in enumerate(zip(cells["area"], cells["measure"], cells["period"]))}
    rows = []

    def total(whole, parts, kind):
        parts = [p for p in parts if p is not None]
        if whole is not None and parts:
            rows.append(([*parts, whole], [1.0] * len(parts) + [-1.0], 0.0, kind))

    by_parent = cells.groupby(["parent", "measure", "period"], dropna=True).indices   # positions in cells
    for (parent, measure, period), members in by_parent.items():   # area: LSOA -> district -> county
        total(index.get((parent, measure, period)), members.tolist(), "area")
    by_place = cells.groupby(["area", "period"]).indices
    for (area, period), members in by_place.items():                # measure: groups -> sums of groups
        have = {cells.at[i, "measure"]: i for i in members}
        groups = [have[g] for g in know["groups"] if g in have]
        if ALL_CRIME in have and groups:
            total(have[ALL_CRIME], groups, "measure")
        for m, sum_of in know["sums"].items():
            if m in have:
                total(have[m], [have.get(g) for g in sum_of], "measure")
        for parts, whole in know["subsets"]:
            if whole in have and any(p in have for p in parts):
                found = [have[p] for p in parts if p in have]
                rows.append(([*found, have[whole]], [1.0] * len(found) + [-1.0], 0.0, "subset"))
    for i, (area, measure, period) in enumerate(zip(cells["area"], cells["measure"], cells["period"])):
        if (measure, period) in windows:                              # period: months -> 12 months, year to date
            total(i, [index.get((area, measure, month)) for month in windows[measure, period]], "period")
    lsoa = cells[cells["level"] == "lsoa"]
    known = public[public["area"].isin(set(lsoa["area"]))]
    seen = set(zip(known["area"], known["period"]))
    extra = lsoa[lsoa["measure"].isin(know["public_groups"])][["area", "period"]].drop_duplicates()
    extra = extra[[k not in seen for k in zip(extra["area"], extra["period"])]].assign(value=0.0)
    for area, period, value in zip(*(pd.concat([known, extra])[c] for c in ("area", "period", "value"))):
        parts = [index.get((area, g, period)) for g in know["public_groups"]]
        rows.append(([p for p in parts if p is not None], [1.0] * sum(p is not None for p in parts), value, "public"))
    return rows


def adds_sexual_zeros(cells: pd.DataFrame, public: pd.DataFrame, know: dict) -> bool:
    """Whether the marts add a 0 of sexual offences beside violence against the person where the public
    count is 1, as a reader sees: every such LSOA month of theirs then has a row of each group (without
    the 0s, one whose one crime is violence has that row alone)."""
    merged = cells[(cells["level"] == "lsoa") & cells["measure"].isin(know["public_groups"])]
    groups = merged.groupby(["area", "period"])["measure"].nunique()
    ones = public.loc[public["value"] == 1].set_index(["area", "period"]).index
    ones = ones[ones.isin(groups.index)]
    return len(ones) > 0 and bool((groups.reindex(ones) >= 2).all())


def variables(cells: pd.DataFrame, know: dict, public: pd.DataFrame, zero_up_to: int = 0):
    """Which counts are unknown (hidden, or shown rounded) and the bounds the attacker has for each:
    a hidden count at least 1, but violence against the person beside a row of sexual offences in an
    LSOA month at least 0 (it may be an added 0); with `zero_up_to`, sexual offences beside a row of
    violence against the person where the public count is at most that also at least 0 (for a
    pipeline adding 0s of sexual offences there too). A rounded count is within half the rounding of
    what is shown."""
    rules = {m: know["rule"](m) for m in cells["measure"].unique()}
    measure, level = cells["measure"].to_numpy(), cells["level"].to_numpy()
    value, hidden = cells["value"].to_numpy(), cells["hidden"].to_numpy()
    rounding = np.array([rules[m].get("round_to", 1) for m in measure])
    covered = np.array([lvl in rules[m].get("levels", []) for lvl, m in zip(level, measure)])
    rounded = ~hidden & (rounding > 1) & covered & (value > 0)   # a shown 0 is 0
    # LSOA months with a row of a group merged into the public count that a rule hides (sexual
    # offences), and with one no rule hides (violence against the person)
    lsoa, merged = level == "lsoa", np.isin(measure, know["public_groups"])
    protected = np.array([rules[m].get("suppress_up_to", 0) > 0 for m in measure])
    months = list(zip(cells["area"], cells["period"]))
    with_protected = set(k for k, yes in zip(months, lsoa & merged & protected) if yes)
    with_other = set(k for k, yes in zip(months, lsoa & merged & ~protected) if yes)
    small = set(k for k, v in zip(zip(public["area"], public["period"]), public["value"]) if v <= zero_up_to)
    may_be_zero = lsoa & merged & np.array(
        [(k in with_protected and not p) or (p and k in with_other and k in small) for k, p in zip(months, protected)])
    half = rounding // 2
    lower = np.where(rounded, np.maximum(value - half, 0), np.where(may_be_zero, 0.0, 1.0))
    upper = np.where(rounded, value + half, np.inf)
    return hidden | rounded, lower, upper


def system(cells: pd.DataFrame, rows, unknown: np.ndarray):
    """The equations over the unknown counts only (shown ones moved into the constants): a sparse
    matrix, constants, whether each row is an equation, each row's kind; and how many rows without
    an unknown do not add up (a model the marts contradict)."""
    column = np.full(len(cells), -1)
    column[unknown] = np.arange(unknown.sum())
    value = cells["value"].to_numpy()
    r, c, v, rhs, equal, kinds, broken = [], [], [], [], [], [], Counter()
    for idx, coef, constant, kind in rows:
        idx, coef = np.asarray(idx, dtype=int), np.asarray(coef)
        var = column[idx] >= 0
        constant = constant - float(coef[~var] @ value[idx[~var]])
        if not var.any():
            if constant < -0.5 if kind == "subset" else abs(constant) > 0.5:
                broken[kind] += 1
            continue
        n = len(rhs)
        r += [n] * int(var.sum())
        c += column[idx[var]].tolist()
        v += coef[var].tolist()
        rhs.append(constant)
        equal.append(kind != "subset")
        kinds.append(kind)
    a = coo_matrix((v, (r, c)), shape=(len(rhs), int(unknown.sum()))).tocsr()
    a.sum_duplicates()
    a.eliminate_zeros()
    return a, np.array(rhs), np.array(equal), np.array(kinds), broken


# --- closed form: each total alone, until nothing moves ---------------------------------------------------------

def propagate(a: csr_matrix, rhs: np.ndarray, equal: np.ndarray, lower: np.ndarray, upper: np.ndarray,
              rounds: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Bounds from each row alone, repeated until none moves: in a row sum(a_j x_j) = r, a_i x_i is
    r less the other terms, each between its least and largest value (only "at most r" for a row
    '<=': the other terms at their least). Counts are whole numbers: bounds are rounded inwards."""
    lo, hi = lower.copy(), upper.copy()
    coo = a.tocoo()
    row, col, coef = coo.row, coo.col, coo.data
    n = len(rhs)

    def others(term):   # the row's sum of `term` less the term itself; inf where another term is infinite
        infinite = np.isinf(term)
        finite = np.where(infinite, 0.0, term)
        total, count = np.bincount(row, finite, n), np.bincount(row, infinite, n)
        return np.where(count[row] - infinite > 0, np.inf, total[row] - finite)

    for _ in range(rounds):
        least = others(np.where(coef > 0, coef * lo[col], coef * hi[col]))   # -> a_i x_i <= r - least
        most = others(np.where(coef > 0, coef * hi[col], coef * lo[col]))    # -> a_i x_i >= r - most ('=')
        new_lo, new_hi = lo.copy(), hi.copy()
        with np.errstate(invalid="ignore"):
            for bound, ok, at_most in (((rhs[row] - least) / coef, np.isfinite(least), True),
                                       ((rhs[row] - most) / coef, np.isfinite(most) & equal[row], False)):
                up = ok & ((coef > 0) == at_most)   # dividing by a negative coefficient turns the bound over
                down = ok & ((coef > 0) != at_most)
                np.minimum.at(new_hi, col[up], np.floor(bound[up] + EPS))
                np.maximum.at(new_lo, col[down], np.ceil(bound[down] - EPS))
        if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
            break
        lo, hi = new_lo, new_hi
    return lo, hi


# --- linear programmes, per group of linked totals -----------------------------------------------

def _groups(a: csr_matrix, targets: np.ndarray):
    """The groups of rows linked by shared unknowns that hold a target: (its targets, its rows, its
    columns), each in ascending order."""
    rows, cols = a.nonzero()
    square = coo_matrix((np.ones(len(rows)), (rows, a.shape[0] + cols)), shape=(a.shape[0] + a.shape[1],) * 2)
    label = connected_components(square, directed=False)[1]
    row_label, col_label = label[:a.shape[0]], label[a.shape[0]:]
    rows_of = pd.Series(np.arange(a.shape[0])).groupby(row_label).apply(np.array)
    cols_of = pd.Series(np.arange(a.shape[1])).groupby(col_label).apply(np.array)
    for g, members in pd.Series(targets).groupby(col_label[targets]):
        if g in rows_of.index:   # a target in no row: its bounds are its own
            yield members.to_numpy(), rows_of[g], cols_of[g]


def programmes(a: csr_matrix, rhs: np.ndarray, equal: np.ndarray, lower: np.ndarray, upper: np.ndarray,
               lo: np.ndarray, hi: np.ndarray, targets: np.ndarray, progress: bool = True):
    """The least and largest value of each target (column) where all the rows hold together, solved
    per group of rows linked by shared unknowns; `lo`, `hi` (propagate's) are bounds the programme can
    only tighten, so a solution reaching one proves it. Returns (least, largest, programmes run)."""
    least, largest = lo.copy(), hi.copy()
    solved, started = 0, time.perf_counter()
    groups = list(_groups(a, targets))
    if progress:
        sizes = sorted(len(cols) for _, _, cols in groups)
        print(f"  {len(groups)} groups of linked totals; unknowns in the largest: {sizes[-3:]}", flush=True)
    for done, (members, rows, cols) in enumerate(groups, 1):
        sub, eq, b = a[rows][:, cols], equal[rows], rhs[rows]
        given = {**(dict(A_eq=sub[eq], b_eq=b[eq]) if eq.any() else {}),
                 **(dict(A_ub=sub[~eq], b_ub=b[~eq]) if (~eq).any() else {})}
        bounds = list(zip(lower[cols], np.where(np.isinf(upper[cols]), None, upper[cols])))
        seen_lo, seen_hi = np.full(len(cols), np.inf), np.full(len(cols), -np.inf)
        for c in members:
            j = np.searchsorted(cols, c)
            for sense in (1, -1):   # least, then largest
                reached = seen_lo[j] <= least[c] + EPS if sense == 1 else seen_hi[j] >= largest[c] - EPS
                if least[c] == largest[c] or reached:
                    continue   # already proved: some solution reaches the closed-form bound
                objective = np.zeros(len(cols))
                objective[j] = sense
                result = linprog(objective, bounds=bounds, method="highs", **given)
                solved += 1
                if result.status == 2:
                    raise ValueError(f"a group of {len(cols)} unknowns has no solution: the attacker's model does not fit")
                if result.status != 0:
                    continue   # unbounded: no better than the closed form
                seen_lo, seen_hi = np.minimum(seen_lo, result.x), np.maximum(seen_hi, result.x)
                if sense == 1:
                    least[c] = max(least[c], np.ceil(result.fun - EPS))
                else:
                    largest[c] = min(largest[c], np.floor(-result.fun + EPS))
        if progress and (done % 100 == 0 or done == len(groups)):
            print(f"  programmes: {done} of {len(groups)} groups, {solved} solved, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    return least, largest, solved


def whole_largest(a: csr_matrix, rhs: np.ndarray, equal: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                  targets: np.ndarray, seconds: float = 20.0) -> dict[int, float]:
    """The largest value of each target in whole numbers (scipy's milp): a linear programme's 5 can
    be a 4 once every count must be whole, which rounding the programme's value down does not see.
    Only for a few targets (those the programmes leave just above their threshold); a target whose
    programme does not finish in `seconds` is left out."""
    found = {}
    for members, rows, cols in _groups(a, targets):
        sub, eq = a[rows][:, cols], equal[rows]
        constraint = LinearConstraint(sub, np.where(eq, rhs[rows], -np.inf), rhs[rows])
        for c in members:
            objective = np.zeros(len(cols))
            objective[np.searchsorted(cols, c)] = -1
            result = milp(objective, constraints=constraint, integrality=np.ones(len(cols)),
                          bounds=Bounds(lower[cols], upper[cols]), options={"time_limit": seconds})
            if result.status == 0:
                found[c] = round(-result.fun)
    return found


# --- the attack and its report --------------------------------------------------------------------------

def attack(tables: dict[str, pd.DataFrame], public: pd.DataFrame, know: dict | None = None,
           lp: bool = True, progress: bool = False, zero_up_to: int | None = None) -> pd.DataFrame:
    """Every hidden count of the marts with the attacker's bounds: closed-form (least_closed,
    largest_closed), the programmes' (least, largest), the bounds from the LSOA month's public count
    alone (least_public, largest_public: what docs/disclosure.md already explains) and its rule's
    threshold (0 where no rule hides it). `zero_up_to`: sexual offences beside violence against the
    person may be an added 0 where the LSOA month's public count is at most that (None: 1 if the marts
    show they add such 0s, else 0)."""
    know = know or knowledge()
    cells, windows = mart_cells(tables)
    if zero_up_to is None:
        zero_up_to = int(adds_sexual_zeros(cells, public, know))
        if progress:
            print(f"the marts {'add' if zero_up_to else 'add no'} 0s of sexual offences where the public count is 1",
                  flush=True)
    rows = equations(cells, windows, public, know)
    unknown, lower, upper = variables(cells, know, public, zero_up_to)
    a, rhs, equal, kinds, broken = system(cells, rows, unknown)
    if broken:
        print(f"warning: totals without a hidden count that do not add up: {dict(broken)}", flush=True)
    lower, upper = lower[unknown], upper[unknown]
    if progress:
        print(f"{len(cells):,} counts, {int(cells['hidden'].sum()):,} hidden, {unknown.sum():,} unknown "
              f"(hidden or rounded); {len(rhs):,} totals with an unknown: {dict(Counter(map(str, kinds)))}", flush=True)
    hidden = cells["hidden"].to_numpy()[unknown]
    targets = np.flatnonzero(hidden)
    lo, hi = propagate(a, rhs, equal, lower, upper)
    only = kinds == "public"
    lo_pub, hi_pub = propagate(a[only], rhs[only], equal[only], lower, upper)
    least, largest, solved = programmes(a, rhs, equal, lower, upper, lo, hi, targets, progress) if lp else (lo, hi, 0)
    out = cells[unknown].iloc[targets].reset_index(drop=True)
    threshold = out["measure"].map(lambda m: know["rule"](m).get("suppress_up_to", 0))
    covered = [lvl in know["rule"](m).get("levels", []) for lvl, m in zip(out["level"], out["measure"])]
    out = out.assign(least_closed=lo[targets], largest_closed=hi[targets], least=least[targets],
                     largest=largest[targets], least_public=lo_pub[targets], largest_public=hi_pub[targets],
                     threshold=np.where(covered, threshold, 0))
    # in whole numbers, those the programmes leave one above their threshold: could they be at most it?
    edge = np.flatnonzero(out["threshold"].gt(0) & (out["largest"] == out["threshold"] + 1)) if lp else []
    if progress and len(edge):
        print(f"  whole numbers (milp) for {len(edge):,} counts the programmes put at threshold + 1", flush=True)
    whole = whole_largest(a, rhs, equal, lower, upper, targets[edge]) if len(edge) else {}
    out["largest_whole"] = out["largest"]
    out.loc[edge, "largest_whole"] = [whole.get(c, np.nan) for c in targets[edge]]
    out.attrs["programmes"], out.attrs["lp"] = solved, lp
    return out.drop(columns=["value", "hidden"])


def _distribution(frame: pd.DataFrame, least: str, largest: str) -> str:
    capped = frame[largest].clip(upper=10).map(lambda v: "10+" if v >= 10 else f"{v:.0f}")
    table = pd.crosstab(frame[least].clip(upper=10).astype(int).rename("least"), capped.rename("largest"))
    return table[sorted(table.columns, key=lambda c: (len(c), c))].to_string()


def summary(bounds: pd.DataFrame, least: str = "least", largest: str = "largest") -> dict:
    """Counts of hidden cells: all, exact, proved within the threshold, and those not explained by the
    LSOA month's public count alone."""
    small = bounds["threshold"].gt(0) & bounds[largest].le(bounds["threshold"])
    exact = bounds[least] == bounds[largest]
    by_public_exact = bounds["least_public"] == bounds["largest_public"]
    by_public_small = bounds["threshold"].gt(0) & bounds["largest_public"].le(bounds["threshold"])
    return {"hidden": len(bounds), "exact": int(exact.sum()), "small": int(small.sum()),
            "exact_unexplained": int((exact & ~by_public_exact).sum()),
            "small_unexplained": int((small & ~by_public_small).sum())}


def leaks(bounds: pd.DataFrame) -> pd.Series:
    """The hidden counts under a rule that the attack recovers exactly or proves within their rule's
    threshold beyond what the LSOA month's public count alone gives (docs/disclosure.md's guarantee
    covers the latter; the former are counts above the threshold, hidden as secondary ones)."""
    exact = (bounds["least"] == bounds["largest"]) & (bounds["least_public"] < bounds["largest_public"])
    small = bounds["largest_whole"].le(bounds["threshold"]) & bounds["largest_public"].gt(bounds["threshold"])
    return bounds["threshold"].gt(0) & (exact | small)


def true_counts(bounds: pd.DataFrame, truth: dict) -> np.ndarray:
    """Each hidden count's true value (true_values), to check the attack against: not part of it."""
    return np.array([truth.get(k, 0.0) for k in zip(bounds["area"], bounds["measure"], bounds["period"])])


def report(bounds: pd.DataFrame, truth: dict | None) -> None:
    sexual = (bounds["level"] == "lsoa") & (bounds["measure"] == SEXUAL)
    so = bounds[sexual]
    print(f"\n== hidden LSOA-month sexual offences: {len(so):,}")
    for name, lo, hi in (("public count alone", "least_public", "largest_public"),
                         ("closed form", "least_closed", "largest_closed"),
                         ("linear programmes", "least", "largest"))[:3 if bounds.attrs.get("lp", True) else 2]:
        s = summary(so, lo, hi)
        print(f"{name:>20}: exact {s['exact']:,}, proved <= threshold {s['small']:,}; beyond what the public count "
              f"alone gives: exact {s['exact_unexplained']:,}, proved <= threshold {s['small_unexplained']:,}")
    whole = so["largest_whole"].le(so["threshold"]) & so["largest"].gt(so["threshold"])
    if bounds.attrs.get("lp", True):
        print(f"{'whole numbers':>20}: {int(whole.sum())} more proved <= threshold (milp, of those the programmes put at "
              f"threshold + 1)")
    print("(least, largest) in the end; rows: least, columns: largest")
    print(_distribution(so, "least", "largest"))
    print("\n== every other hidden count (by table, level, measure)")
    other = bounds[~sexual].assign(exact=lambda d: d["least"] == d["largest"],
                                   small=lambda d: d["threshold"].gt(0) & d["largest_whole"].le(d["threshold"]),
                                   exact_by_public=lambda d: d["least_public"] == d["largest_public"])
    table = other.groupby(["table", "level", "measure"]).agg(
        hidden=("area", "size"), threshold=("threshold", "max"), exact=("exact", "sum"),
        exact_by_public=("exact_by_public", "sum"), proved_small=("small", "sum"), min_largest=("largest", "min"))
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(table.to_string())
    ruled, beyond = bounds["threshold"].gt(0), leaks(bounds)
    print(f"\n== counts under a rule recovered exactly or proved <= threshold beyond what the public count "
          f"alone gives: {int(beyond.sum())}")
    with pd.option_context("display.width", 200, "display.max_rows", 60):
        columns = ["level", "area", "measure", "period", "table", "least_closed", "largest_closed", "least", "largest",
                   "threshold"]
        if beyond.any():
            print(bounds.loc[beyond, columns].head(60).to_string())
    if truth is not None:
        true = true_counts(bounds, truth)
        outside = (true < bounds["least"] - EPS) | (true > bounds["largest"] + EPS)
        primary = ruled & (true >= 1) & (true <= bounds["threshold"])
        small = primary & bounds["largest_whole"].le(bounds["threshold"])
        print(f"\ncheck against the warehouse's true counts (not part of the attack): {int(outside.sum())} hidden "
              f"count(s) outside their bounds (must be 0). Primary (true count within its rule's range): "
              f"{int(primary.sum()):,}; proved <= threshold {int(small.sum()):,}, of them beyond the public count "
              f"alone {int((small & beyond).sum())} (docs/disclosure.md's guarantee: 0). Hidden counts recovered "
              f"exactly whose true count is above the threshold: {int((beyond & ~primary).sum())}")
        if outside.any():
            print(bounds[outside].assign(true=true[outside]).head(20).to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("marts", type=Path, help="the published marts' folder (holding districts/)")
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data/warehouse/csp.duckdb",
                        help="read-only: data.police.uk's LSOA totals are summed from it (and the bounds checked)")
    parser.add_argument("--no-lp", action="store_true", help="the closed form only")
    parser.add_argument("--csv", type=Path, help="write every hidden count's bounds here")
    parser.add_argument("--sexual-zeros-up-to", type=int, metavar="N",
                        help="a row of sexual offences beside violence against the person may be an added 0 where "
                             "the LSOA month's public count is at most N (default: 1 if the marts show they add "
                             "those 0s, else 0)")
    args = parser.parse_args()
    started = time.perf_counter()
    tables = read_marts(args.marts)
    public = public_totals(args.warehouse)
    print(f"{len(public):,} LSOA-month public counts (data.police.uk's violence and sexual offences)", flush=True)
    bounds = attack(tables, public, lp=not args.no_lp, progress=True, zero_up_to=args.sexual_zeros_up_to)
    print(f"attack: {bounds.attrs['programmes']:,} linear programmes, {time.perf_counter() - started:.1f} s in all",
          flush=True)
    report(bounds, true_values(args.warehouse))
    if args.csv:
        bounds.to_csv(args.csv, index=False)


if __name__ == "__main__":
    sys.exit(main())
