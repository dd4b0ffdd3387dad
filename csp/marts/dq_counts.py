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
from csp.publish.formats import SUPPRESSED_COLUMNS

QUARANTINE_COUNTS = ("rows",)
# what a district's pack says in place of a delivery's reason or a quarantine's example
WITHHELD_WORDS = ("withheld from a district's pack (it may quote another district's records): see the county's "
                  "data-quality report")


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
    a rule as that rule shows counts (disclosure.small ones hidden, the others disclosure.rounded)."""
    out = frame.copy()
    withheld = {column: np.zeros(len(out), dtype=bool) for column in columns}
    for source, rule in rules.items():
        rows = (out["source"] == source).to_numpy()
        if not rows.any():
            continue
        for column in columns:
            value = out[column].to_numpy(dtype=float)
            hidden = rows & small(value, rule.suppress_up_to)
            shown = np.where(rows, rounded(value, rule.round_to), value)
            out[column] = pd.array(np.where(hidden, np.nan, shown), dtype="Int64")
            withheld[column] |= hidden
    # named, as the marts' tables name theirs, so that the workbook marks them [c] rather than leave a blank
    # that its notes say has no data
    out[SUPPRESSED_COLUMNS] = pd.array([", ".join(c for c in columns if withheld[c][i]) or None
                                        for i in range(len(out))], dtype="str")
    return out


def without_records(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (deliveries, or quarantined rows by reason) with its reasons and examples in words withheld: they
    quote the county's records (a crime reference, a patient's spell ID, a value as sent) and the exact counts
    behind a share ('800 of 1,917'), of every district and under no disclosure rule, so no district's copy
    carries them."""
    out = frame.copy()
    for column in ("reason", "example_reason"):
        if column in out:
            out[column] = out[column].mask(out[column].notna(), WITHHELD_WORDS)
    return out
