"""A cube's cells as disclosure control takes them (docs/disclosure.md): the counts of its cell
tables, each with the rule protecting it, and the measures of the catalogue that are sums of
offence groups as totals over those groups; the totals data.police.uk publishes over groups the
marts show apart (violence and sexual offences), as public totals every reader knows, with the 0s
the LSOA table needs so that its rows give no hidden count away (with_zero_cells); and which
measures are subsets of which (race hate crime of hate crime). The catalogue is where measures are defined, so all of it comes from it
rather than being typed again."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from csp import InputError
from csp.catalogue import Catalogue
from csp.marts.disclosure import Rule
from csp.marts.spec import Cube

POLICE = "police_crime"
ALL_CRIME = "All crime"   # the offence-group total in marts.crime_cells
LSOA = "lsoa"             # the level of the LSOA table's counts (sql/marts/crime_cells.sql)
OFFENCE_COLUMNS = {"offence_group", "police_uk_category"}
# a public total's measure in the cube: not the public form's offence group of the same name, which is
# one of its parts (a month delivered in the public form has that group, not the two it merges)
PUBLIC = "{} (data.police.uk)"


def cube_cells(con: duckdb.DuckDBPyConnection, cube: Cube, catalogue: Catalogue, rules: dict[str, Rule]) -> pd.DataFrame:
    cells = pd.concat([con.table(table).df() for table in cube.cells], ignore_index=True)
    offence_groups = con.table("ref.offence_groups").df()
    links = group_measures(catalogue, offence_groups)
    measure_rule = {m.id: m.disclosure for m in catalogue.measures.values()}
    unknown = set(measure_rule.values()) - set(rules)
    if unknown:
        raise InputError(f"the catalogue's disclosure rule(s) {sorted(unknown)} have no [disclosure.<rule>] in the settings")

    def rule(measure: str) -> str:
        """A measure's own rule; an offence group's, the strictest of the measures it is part of
        (if a sensitive measure is a sum of groups, showing the groups would show it)."""
        if measure in measure_rule:
            return measure_rule[measure]
        names = [measure_rule[m] for m in links.get(measure, [])] or [cube.default_rule]
        return max(names, key=lambda name: (rules[name].suppress_up_to, rules[name].round_to))

    merged = public_categories(offence_groups)
    restricted = set(offence_groups.loc[offence_groups["form"] == "restricted", "offence_group"])
    # the public form's own group of that name has no month with a sexual offences row of its own
    cells = with_zero_cells(cells, [[g for g in groups if g in restricted] for groups in merged.values()],
                            lambda group: rules[rule(group)].hides_at(LSOA))
    # worked out once per measure (and parent), not per count: a county's cube has ~300,000 counts
    # read as Python lists: iterating pandas' string arrays goes value by value through their __getitem__;
    # the counts of one measure and parent share one list (protect only reads them)
    parent = cells["measure_parent"].astype(object).where(cells["measure_parent"].notna(), None).tolist()
    measure = cells["measure"].tolist()
    public = {group: [PUBLIC.format(category)] for category, groups in merged.items() for group in groups}
    parents = {(p, m): ([] if p is None else [p]) + links.get(m, []) + public.get(m, [])
               for p, m in set(zip(parent, measure))}
    cells["measure_parent"] = [parents[key] for key in zip(parent, measure)]
    cells["rule"] = cells["measure"].map({m: rule(m) for m in cells["measure"].unique()})
    cells["public"] = False
    return pd.concat([cells, *(public_cells(cells, category, groups) for category, groups in merged.items())],
                     ignore_index=True)


def with_zero_cells(cells: pd.DataFrame, merges: list[list[str]], hides) -> pd.DataFrame:
    """`cells` with `may_be_zero` and `hide` (protect), and a count of 0 (its `zero_beside`: the group
    it is beside, for the table: tables.with_zero_rows) in the LSOA months where the LSOA table's rows
    would otherwise give a count away. `merges`: the groups of the restricted layout each public total
    (data.police.uk's violence and sexual offences) is made of; `hides`: whether a rule hides a group's
    LSOA counts (sexual offences). The LSOA table has a row only where there are crimes, so a row says
    "at least 1" and no row "0", and with the public total beside them:
    - a group merged with a hidden one (violence against the person) gets a 0 in each LSOA month where
      the hidden one has a count and it has none: without it, the public total is the hidden count,
      whatever the mart hides;
    - a hidden group (sexual offences) gets a 0 in each LSOA month whose public total is 1 and where it
      has none: without it, its row alone says the one crime is a sexual offence. Such a 0 is
      hidden (`hide`), as the 1 it stands beside is then: the mart shows the same two hidden rows in
      every such LSOA month, whichever group the crime is in.
    Every count of the groups in those LSOA months is then at least 0, not 1 (`may_be_zero`), an
    added 0 or not: a reader cannot tell which. Only there: a row of every group in every LSOA month
    would add nothing a reader needs (and 18,552 rows to the sample marts)."""
    keys = ["area_code", "period"]
    # ~300,000 counts: compared as numpy arrays of objects (pandas compares its string arrays value by value)
    lsoa = cells["level"].to_numpy(dtype=object) == LSOA
    measure = cells["measure"].to_numpy(dtype=object)
    may_be_zero = np.zeros(len(cells), dtype=bool)
    zeros = []
    for groups in merges:
        hidden = [g for g in groups if hides(g)]
        if not hidden:
            continue
        merged = cells[lsoa & np.isin(measure, groups)]
        public = merged.groupby(keys, sort=False)["value"].sum()
        ones = public.index[public == 1]
        for group in groups:
            others = [g for g in groups if g != group]
            # the LSOA months where a row of `group` must not say "at least 1"
            beside_hidden = merged["measure"].isin(hidden) & merged["measure"].ne(group)
            at = ones.union(pd.MultiIndex.from_frame(merged.loc[beside_hidden, keys]))
            own = np.flatnonzero(lsoa & (measure == group))
            present = pd.MultiIndex.from_frame(cells.iloc[own][keys])
            may_be_zero[own[present.isin(at)]] = True
            # the counts a 0 of `group` goes beside, one per LSOA month: the 0 takes their parents
            beside = merged[merged["measure"].isin(others)].drop_duplicates(keys)
            where = pd.MultiIndex.from_frame(beside[keys])
            missing = beside[where.isin(at) & ~where.isin(present)]
            zeros.append(missing.assign(zero_beside=missing["measure"], measure=group, value=0, hide=group in hidden))
    return pd.concat([cells.assign(may_be_zero=may_be_zero, hide=False), *(z.assign(may_be_zero=True) for z in zeros)],
                     ignore_index=True)


def public_categories(offence_groups: pd.DataFrame) -> dict[str, list[str]]:
    """data.police.uk crime type -> the offence groups it is made of, for each crime type that merges
    groups the restricted layout keeps apart: Violence and sexual offences = violence against the
    person + sexual offences (+ the public form's own group of that name, where a month came in that
    form). Every other crime type is one offence group (ref.offence_groups)."""
    restricted = offence_groups[offence_groups["form"] == "restricted"]
    split = restricted.groupby("police_uk_category")["offence_group"].nunique()
    return {category: sorted(set(offence_groups.loc[offence_groups["police_uk_category"] == category, "offence_group"]))
            for category in sorted(split.index[split > 1])}


def public_cells(cells: pd.DataFrame, category: str, groups: list[str]) -> pd.DataFrame:
    """data.police.uk's count of `category` wherever the cube has a count of one of its offence
    groups (LSOA, district and county; each month and each 12 months): their sum, with the same area
    and period totals. No mart shows it, but data.police.uk publishes it by LSOA and month (and so
    by any sum of those): disclosure control takes it as known, never to be hidden (`public`), so that
    a group shown beside it cannot give away a hidden one (public less violence against the person
    is sexual offences)."""
    parts = cells[cells["measure"].isin(groups)]
    keys = ["level", "area_code", "period"]
    totals = parts.drop_duplicates(keys)[keys + ["area_parent", "period_parent"]].set_index(keys)
    totals["value"] = parts.groupby(keys, sort=False, dropna=False)["value"].sum()
    return totals.reset_index().assign(measure=PUBLIC.format(category), measure_parent=[[] for _ in range(len(totals))],
                                       rule="none", public=True, may_be_zero=False, hide=False)


def group_measures(catalogue: Catalogue, offence_groups: pd.DataFrame) -> dict[str, list[str]]:
    """Offence group -> the police measures that are sums of offence groups and include it; the
    measure counting every crime is the 'All crime' total. Measures on flags (domestic abuse, hate
    crime, knife, VAWG) are not sums of groups and link to none."""
    groups = offence_groups[["offence_group", "police_uk_category"]].drop_duplicates()
    links: dict[str, list[str]] = {}
    for m in catalogue.measures.values():
        if m.source != POLICE or m.is_share or m.value or not set(m.filters) <= OFFENCE_COLUMNS:
            continue
        keep = np.logical_and.reduce([groups[column].isin(values) for column, values in m.filters.items()]) \
            if m.filters else None
        members = sorted(set(groups.loc[keep, "offence_group"])) if m.filters else [ALL_CRIME]
        for group in members:
            links.setdefault(group, []).append(m.id)
    return links


def subset_measures(catalogue: Catalogue, offence_groups: pd.DataFrame) -> list[tuple[str, tuple[str, ...]]]:
    """(measure, its subsets) for protect: each police count measure whose filter is a restriction of
    another's (knife crime with victims under 18 of knife crime: every condition of the measure's
    filter holds for the subset's rows), with the measure it is a subset of directly (no measure in
    between), in families of subsets that are disjoint from each other (victims under 18 and aged
    18-25: two values of one column), one family a line. Where both are sums of offence groups the
    groups' lines already hold it (group_measures)."""
    groups = offence_groups[["offence_group", "police_uk_category"]].drop_duplicates()
    conditions = {}
    for m in catalogue.measures.values():
        if m.source != POLICE or m.is_share or m.value:
            continue
        # the offence columns as the set of offence groups they keep (None: every group)
        offence = {column: values for column, values in m.filters.items() if column in OFFENCE_COLUMNS}
        kept = frozenset(groups.loc[np.logical_and.reduce([groups[c].isin(v) for c, v in offence.items()]),
                                    "offence_group"]) if offence else None
        other = {column: frozenset([values] if isinstance(values, bool) else values)
                 for column, values in m.filters.items() if column not in OFFENCE_COLUMNS}
        conditions[m.id] = (kept, other)

    def within(a: str, b: str) -> bool:   # every row of a is a row of b
        (a_groups, a_other), (b_groups, b_other) = conditions[a], conditions[b]
        return (b_groups is None or (a_groups is not None and a_groups <= b_groups)) \
            and all(column in a_other and a_other[column] <= values for column, values in b_other.items())

    def disjoint(a: str, b: str) -> bool:   # no row is in both
        (a_groups, a_other), (b_groups, b_other) = conditions[a], conditions[b]
        return (a_groups is not None and b_groups is not None and not a_groups & b_groups) \
            or any(not a_other[column] & b_other[column] for column in a_other.keys() & b_other.keys())

    ids = sorted(conditions)
    subset = {(a, b) for a in ids for b in ids if a != b and within(a, b) and not within(b, a)}
    direct = {(a, b) for a, b in subset if not any((a, c) in subset and (c, b) in subset for c in ids)}
    made_of_groups = {m for ms in group_measures(catalogue, offence_groups).values() for m in ms}
    families = []
    for measure in ids:
        parts = [a for a in ids if (a, measure) in direct and not {a, measure} <= made_of_groups]
        family_of: list[list[str]] = []
        for part in parts:   # each into the first family it is disjoint from, in the measures' order
            family = next((f for f in family_of if all(disjoint(part, other) for other in f)), None)
            if family is None:
                family_of.append([part])
            else:
                family.append(part)
        families += [(measure, tuple(f)) for f in family_of]
    return families
