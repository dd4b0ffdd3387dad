"""A cube's cells as disclosure control takes them (docs/disclosure.md): the counts of its cell
tables, each with the rule protecting it, and the measures of the catalogue that are sums of
offence groups as totals over those groups. The catalogue is where measures are defined, so both
come from it rather than being typed again."""
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
OFFENCE_COLUMNS = {"offence_group", "police_uk_category"}


def cube_cells(con: duckdb.DuckDBPyConnection, cube: Cube, catalogue: Catalogue, rules: dict[str, Rule]) -> pd.DataFrame:
    cells = pd.concat([con.table(table).df() for table in cube.cells], ignore_index=True)
    links = group_measures(catalogue, con.table("ref.offence_groups").df())
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

    # worked out once per measure (and parent), not per count: a county's cube has ~300,000 counts
    # read as Python lists: iterating pandas' string arrays goes value by value through their __getitem__;
    # the counts of one measure and parent share one list (protect only reads them)
    parent = cells["measure_parent"].astype(object).where(cells["measure_parent"].notna(), None).tolist()
    measure = cells["measure"].tolist()
    parents = {(p, m): ([] if p is None else [p]) + links.get(m, []) for p, m in set(zip(parent, measure))}
    cells["measure_parent"] = [parents[key] for key in zip(parent, measure)]
    cells["rule"] = cells["measure"].map({m: rule(m) for m in cells["measure"].unique()})
    return cells


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
