"""The data-quality counts a district's mart and pack carry: each delivery's rows received, loaded
and quarantined (the pack's annex, the mart's manifest), and the rows quarantined by reason. They are
counts of the source's records for the whole county, so a disclosure rule that covers the county
level (HES: 1-7 hidden, the others to the nearest 5) applies to them as to the source's measures; the
county pack, inside the restricted set, keeps them as counted (caveat 38)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from csp.catalogue import Catalogue
from csp.marts.disclosure import Rule, rounded, small

QUARANTINE_COUNTS = ("rows",)
WITHHELD_REASON = "withheld: the source's disclosure rule"


def county_rules(catalogue: Catalogue, rules: dict[str, Rule]) -> dict[str, Rule]:
    """Each source whose measures follow a rule covering the county level -> that rule (the strictest
    of its measures' if they differ)."""
    by_source: dict[str, Rule] = {}
    for measure in catalogue.measures.values():
        rule = rules[measure.disclosure]
        if "county" in rule.levels:
            held = by_source.get(measure.source)
            if held is None or (rule.suppress_up_to, rule.round_to) > (held.suppress_up_to, held.round_to):
                by_source[measure.source] = rule
    return by_source


def protected(frame: pd.DataFrame, columns: tuple[str, ...], rules: dict[str, Rule]) -> pd.DataFrame:
    """`frame` (one row per delivery, or per source and reason) with the `columns` of each source under
    a rule as that rule shows counts (disclosure.small ones hidden, the others disclosure.rounded); a
    quarantine example's quoted value withheld with them."""
    out = frame.copy()
    for source, rule in rules.items():
        rows = (out["source"] == source).to_numpy()
        if not rows.any():
            continue
        for column in columns:
            value = out[column].to_numpy(dtype=float)
            hidden = rows & small(value, rule.suppress_up_to)
            shown = np.where(rows, rounded(value, rule.round_to), value)
            out[column] = pd.array(np.where(hidden, np.nan, shown), dtype="Int64")
        if "example_reason" in out:
            out["example_reason"] = out["example_reason"].mask(rows, WITHHELD_REASON)
    return out
