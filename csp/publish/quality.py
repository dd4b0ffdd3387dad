"""The pack's data-quality annex: comparison windows, deliveries, rows quarantined, gaps, series breaks.

Deliveries are summarised by source, and only those with rows (or the whole file) quarantined are
listed: a source's latest few one by one, its earlier ones together. Every delivery is in the workbook.
"""
from __future__ import annotations

import pandas as pd

from csp.ingest.deliveries import WHILE_GONE
from csp.publish import formats as fmt
from csp.publish.headings import HEADINGS as H
from csp.publish.model import DELIVERY_COUNTS, PackInputs, Table


def quality_tables(inputs: PackInputs) -> list[Table]:
    def title(source: str) -> str:
        return inputs.source_titles.get(source, source)

    d = _counted(inputs.deliveries)
    by_source = d.groupby("source", sort=True).agg(
        deliveries=("file_name", "size"), quarantined=("status", lambda s: int((s == "quarantined").sum())),
        received=("rows_received", _total), loaded=("rows_loaded", _total), rows_quarantined=("rows_quarantined", _total),
        current=("rows_current", _total), first=("first_month", "min"), last=("last_month", "max")).reset_index()
    flagged, grouped = _flagged_rows(inputs.deliveries, title)
    q, g, b = inputs.quarantine, inputs.gaps, inputs.series_breaks
    # a break of one measure named as the catalogue names it, as the pack's sections do
    measure_names = dict(zip(inputs.measures["measure_id"], inputs.measures["name"]))
    return [
        Table("Comparison windows", [H["source_title"], "Latest 12 months", "Previous 12 months",
                                     H["first_month_with_data"], H["data_to"], "Status"],
              [[w.source_title, fmt.text(w.current_period) or "–", fmt.text(w.previous_period) or "–",
                _month(w.first_month_with_data), fmt.text(w.data_to) or "–", _status(w)]
               for _, w in inputs.windows.iterrows()],
              [False] * 6),
        Table("Deliveries by source", [H["source_title"], H["deliveries"], "Deliveries quarantined", H["rows_received"],
                                       H["rows_loaded"], H["rows_quarantined"], H["rows_current"], "Months covered"],
              [[title(r.source), fmt.count(r.deliveries), fmt.count(r.quarantined), fmt.count(r.received),
                fmt.count(r.loaded), fmt.count(r.rows_quarantined), fmt.count(r.current),
                fmt.months_span(r.first, r.last, r.source)]
               for r in by_source.itertuples()],
              [False, True, True, True, True, True, True, False],
              ["Every delivery is listed in the workbook (Deliveries).", *_asb_from_street_files(d, title)]),
        Table("Deliveries with rows or the whole file quarantined",
              [H["source_title"], H["file_name"], H["status"], H["rows_received"], H["rows_loaded"],
               H["rows_quarantined"], H["reason"]],
              flagged, [False, False, False, True, True, True, False],
              ([f"Earlier deliveries with rows quarantined are counted together, one row a source, after the latest "
                f"{LISTED_ONE_BY_ONE}; each is in the workbook (Deliveries)."] if grouped else [])
              + ([] if flagged else ["Every delivery loaded in full."])),
        Table("Rows quarantined, by reason", [H["source_title"], "Reason", H["rows"], H["deliveries"],
                                              H["example_reason"]],
              [[title(r.source), r.reject_code.replace("_", " "), fmt.count(r.rows), fmt.count(r.deliveries),
                fmt.visible(fmt.text(r.example_reason))]
               for r in q.itertuples()],
              [False, False, True, True, False], [] if len(q) else ["No rows were quarantined."]),
        Table("Gaps: months missing or incomplete", [H["source_title"], "Months", H["months"], "Districts with data"],
              [[title(r.source), fmt.months_span(r.first_month, r.last_month), fmt.count(r.months),
                _districts(r.fewest_districts, r.most_districts, r.districts_expected)] for r in g.itertuples()],
              [False, False, True, False],
              [] if len(g) else ["No gaps: no month inside any source's span of data is missing or incomplete."
                                 + (" Months overdue after a source's latest are listed at the top of this annex."
                                    if _overdue(inputs) else "")]),
        Table("Series breaks", [H["source_title"], H["measure_name"], H["from_month"], "What changed"],
              [[title(r.source), measure_names.get(r.measure_id, fmt.text(r.measure_id)) or "every measure of the source",
                _month(r.from_month), r.description] for r in b.itertuples()],
              [False] * 4, [] if len(b) else ["No series break is recorded for the sources in this pack."]),
    ]


# The latest of a source's deliveries with rows quarantined (by months) listed one by one, the earlier ones as one
# row, so that the annex does not grow by a row every month (a delivery quarantined whole, or with a reason of
# its own, is always listed)
LISTED_ONE_BY_ONE = 3


def _flagged_rows(deliveries: pd.DataFrame, title) -> tuple[list[list[str]], bool]:
    """The rows of the annex's deliveries with rows or the whole file quarantined, in the order given (by source
    and months), and whether any source's earlier ones were counted together."""
    # a hidden count (a district's pack, csp.marts.dq_counts) is 1 or more; a file filed in the wrong folder
    # too, with its reason (which says where it loaded)
    flagged = deliveries[(deliveries["status"] == "quarantined") | (deliveries["rows_quarantined"].fillna(1) > 0)]
    rows, grouped = [], False
    for source, of_source in flagged.groupby("source", sort=False):
        # only rows quarantined, nothing else to say (a delivery filed in the wrong folder has its reason)
        partly = of_source[(of_source["status"] == "loaded") & of_source["reason"].isna()]
        earlier = partly.iloc[:-LISTED_ONE_BY_ONE] if len(partly) > LISTED_ONE_BY_ONE + 1 else partly.iloc[:0]
        if len(earlier):
            grouped = True
            rows.append([title(source), f"{len(earlier)} earlier deliveries "
                         f"({fmt.months_span(earlier['first_month'].min(), earlier['last_month'].max(), source)})",
                         "loaded",
                         *(fmt.count(_total(earlier[c])) for c in ("rows_received", "rows_loaded", "rows_quarantined")),
                         "rows quarantined in each: reasons below"])
        rows += [[title(r.source), r.file_name, r.status, fmt.count(r.rows_received), fmt.count(r.rows_loaded),
                  fmt.count(r.rows_quarantined), fmt.visible(fmt.text(r.reason)) or "rows quarantined: reasons below"]
                 for r in of_source.drop(earlier.index).itertuples()]
    return rows, grouped


def quality_notes(inputs: PackInputs) -> list[str]:
    d = _counted(inputs.deliveries)
    elsewhere = len(inputs.deliveries) - len(d)
    notes = [f"{line}." for line in _overdue(inputs)]
    notes += [f"{len(d)} {'delivery' if len(d) == 1 else 'deliveries'}: {int((d['status'] == 'loaded').sum())} loaded, "
              f"{int((d['status'] == 'quarantined').sum())} quarantined"
              + (f" ({elsewhere} more filed in the wrong folder, counted where {'it' if elsewhere == 1 else 'they'} "
                 "loaded)" if elsewhere else "") + f". {fmt.count(_total(d['rows_received']))} rows "
              f"received, {fmt.count(_total(d['rows_loaded']))} loaded and {fmt.count(_total(d['rows_quarantined']))} "
              "quarantined with a reason."]
    loaded, current = _total(d["rows_loaded"]), _total(d["rows_current"])
    if not (fmt.missing(loaded) or fmt.missing(current)) and current < loaded:   # unknown where hidden: not said
        notes.append(f"Of the rows loaded, {fmt.count(current)} are current, in the figures: the other "
                     f"{fmt.count(loaded - current)} are in months a later delivery replaced (kept, counted no longer).")
    if d[list(DELIVERY_COUNTS)].isna().any(axis=None):
        notes.append("Counts of a source under a disclosure rule are shown as the rule shows them (hospital data: "
                     "1–7 hidden, others rounded to the nearest 5); a total with a hidden count in it is hidden too.")
    if inputs.not_read:
        notes.append("Not read: " + "; ".join(f"{path} {why}" for path, why in inputs.not_read) + ". Files there are "
                     "in none of the figures; the data-quality report lists them.")
    if inputs.gone:
        notes.append(f"No longer in the raw folder, their rows kept and {WHILE_GONE}: " + "; ".join(
            f"{path} (delivery {delivery_id})" for path, delivery_id in inputs.gone) + ". Raw extracts are never "
            "changed: the data-quality report lists them, and the README says how to withdraw a delivery.")
    notes += _other_mid_years(d, inputs.population_mid_year)
    for source, rows in d.groupby("source", sort=True):
        no_place = _total(rows["rows_no_location"]) + _total(rows["rows_outside_area"])
        if fmt.missing(no_place) or no_place:
            what = NO_PLACE.get(source, "rows with no location, or one outside the area")
            unplaced = (f"loaded {what}, a number hidden by disclosure control" if fmt.missing(no_place)
                        else f"{fmt.count(no_place)} loaded {what}")
            notes.append(f"{inputs.source_titles.get(source, source)}: {unplaced}: counted in no district and not in "
                         "the county.")
    return notes


def _other_mid_years(d: pd.DataFrame, mid_year: int | None) -> list[str]:
    """Population estimates delivered for a mid-year the rates do not use: loaded and current, in no rate (the
    annex lists their delivery, and a reader asks why the newer estimate was not used). The deliveries give the
    first and last mid-year each holds, not those between: the years named are those."""
    held = d[(d["source"] == "population") & (d["rows_current"].fillna(1) > 0)].dropna(subset=["first_month"])
    years = sorted({y for r in held.itertuples() for y in (r.first_month.year, r.last_month.year)} - {mid_year})
    if not mid_year or not years:
        return []
    return [f"Population: rates use the ONS mid-{mid_year} estimates (the settings' population_mid_year); the "
            f"{fmt.join_words([f'mid-{y}' for y in years])} estimates delivered are kept and in no rate."]


# What a loaded row with no location or outside the area is, by source (where each source places a row)
NO_PLACE = {
    "police_crime": "crimes with no location, or one outside the area (kept in the force's own records)",
    "asb": "incidents with no location, or one outside the area (kept in the force's own records)",
    "hospital_admissions": "admissions of patients living outside the area, or with no residence recorded "
                           "(admissions are placed by where the patient lives)",
    "fire_incidents": "incidents with no location, or one outside the area (attended across the border)",
    "road_casualties": "casualties of collisions with no location, or in a district outside the area",
    "youth_offending": "rows with no district, or one not recognised as the area's",
}


def _asb_from_street_files(d: pd.DataFrame, title) -> list[str]:
    """The note that anti-social behaviour is counted, for some months, from the ASB rows of data.police.uk street
    files delivered as police recorded crime (its months are not all in the ASB deliveries' row above)."""
    spans = d.dropna(subset=["asb_first_month"])
    if spans.empty:
        return []
    months = sorted({m for r in spans.itertuples() for m in pd.period_range(r.asb_first_month, r.asb_last_month, freq="M")})
    runs: list[list] = []
    for month in months:
        if runs and month == runs[-1][1] + 1:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    named = [fmt.months_span(first.to_timestamp(), last.to_timestamp()) for first, last in runs]
    return [f"{title('asb')}: also counted from the anti-social behaviour rows of data.police.uk street files "
            f"delivered as {fmt.in_sentence(title('police_crime'))}, for the months no ASB delivery holds: "
            f"{'; '.join(named)}."]


def _status(window: pd.Series) -> str:
    """The comparison's status, and the layouts its months came in when more than one ("available; the months
    compared come from two layouts of the data — …")."""
    mixed = fmt.mixed_forms(window)
    return window["comparison_status"] + (f"; {mixed}" if mixed else "")


def _overdue(inputs: PackInputs) -> list[str]:
    """'<source>: data to <month> — n months behind the run date; …' for each source whose data is older
    than its contract expects (facts.source_windows.overdue)."""
    if "overdue" not in inputs.windows:
        return []
    return [f"{w.source_title}: {w.overdue}" for w in inputs.windows.itertuples() if not fmt.missing(w.overdue)]


def _counted(deliveries: pd.DataFrame) -> pd.DataFrame:
    """The deliveries whose rows count: not a file filed in the wrong folder (its rows count where they loaded,
    dq.deliveries' loaded_in), as the data-quality report counts them."""
    return deliveries[deliveries["loaded_in"].isna()]


def _total(counts: pd.Series):
    """The counts' sum, or missing if any is hidden (a sum of the others would read as the whole)."""
    return counts.sum() if counts.notna().all() else pd.NA


def _month(value) -> str:
    return "–" if fmt.missing(value) else f"{pd.Timestamp(value):%B %Y}"


def _districts(fewest, most, expected) -> str:
    if most == 0:
        return "none"
    span = str(fewest) if fewest == most else f"{fewest}–{most}"
    return f"{span} of {expected}"
