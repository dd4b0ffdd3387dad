"""A district's copy of the data-quality counts: a source under a rule covering the county (HES) has its
deliveries' row counts shown as the rule shows counts; the other sources' as counted."""
import dataclasses

import pandas as pd

from csp.catalogue import load_catalogue
from csp.config import load_settings
from csp.marts.disclosure import rules_from_settings
from csp.marts.dq_counts import QUARANTINE_COUNTS, WITHHELD_REASON, county_rules, protected
from csp.publish.model import DELIVERY_COUNTS, MEASURE_COLUMNS, PackInputs
from csp.publish.quality import quality_notes, quality_tables


def rules():
    settings = load_settings()
    return county_rules(load_catalogue(settings.catalogue, settings.series_breaks), rules_from_settings(settings.disclosure))


def test_only_hospital_admissions_follow_a_rule_at_county_level():
    # police small_counts covers lsoa, district and neighbour only; the other sources' measures have none
    assert {source: (r.name, r.suppress_up_to, r.round_to) for source, r in rules().items()} == {
        "hospital_admissions": ("hes", 7, 5)}


def test_hes_counts_hidden_from_1_to_7_and_rounded_to_5():
    deliveries = pd.DataFrame({"source": ["hospital_admissions"] * 2 + ["police_crime"],
                               "file_name": ["hes_1.csv", "hes_2.csv", "police.csv"],
                               "rows_received": [1379, 12, 1379], "rows_loaded": [1372, 8, 1376],
                               "rows_quarantined": [7, 4, 3], "rows_no_location": [0, 13, 2],
                               "rows_outside_area": [1, 2, 1]})
    shown = protected(deliveries, DELIVERY_COUNTS, rules())
    assert shown[list(DELIVERY_COUNTS)].astype(object).where(shown[list(DELIVERY_COUNTS)].notna(), None).values.tolist() == [
        [1380, 1370, None, 0, None],     # 1372 -> 1370 (nearest 5); 7 and 1 hidden; 0 is shown
        [10, 10, None, 15, None],        # 12 -> 10, 8 -> 10, 13 -> 15
        [1379, 1376, 3, 2, 1]]           # police: as counted
    assert deliveries["rows_quarantined"].tolist() == [7, 4, 3]   # the county's own frame untouched


def test_quarantine_examples_of_a_protected_source_are_withheld():
    quarantine = pd.DataFrame({"source": ["hospital_admissions", "police_crime"], "reject_code": ["bad_lsoa"] * 2,
                               "rows": [3, 3], "deliveries": [1, 1],
                               "example_reason": ["LSOA 'E0102' is not a code", "LSOA 'X' is not a code"]})
    shown = protected(quarantine, QUARANTINE_COUNTS, rules())
    assert shown["rows"].isna().tolist() == [True, False]
    assert shown["example_reason"].tolist() == [WITHHELD_REASON, "LSOA 'X' is not a code"]


def test_the_annex_shows_hidden_counts_and_their_totals_as_hidden():
    deliveries = protected(pd.DataFrame({
        "source": ["hospital_admissions", "hospital_admissions", "police_crime"], "file_name": ["h1.csv", "h2.csv", "p.csv"],
        "status": "loaded", "reason": None, "rows_received": [1379, 1500, 100], "rows_loaded": [1376, 1500, 100],
        "rows_quarantined": [3, 0, 0], "rows_no_location": [0, 0, 2], "rows_outside_area": [0, 0, 0],
        "first_month": pd.Timestamp("2025-09-01"), "last_month": pd.Timestamp("2025-10-01"), "asb_first_month": pd.NaT,
        "asb_last_month": pd.NaT}), DELIVERY_COUNTS, rules())
    empty = pd.DataFrame(columns=["source"])
    inputs = PackInputs(measures=pd.DataFrame(columns=list(MEASURE_COLUMNS)), aims={}, comparisons=empty, shares=empty, monthly=empty, trends=empty,
                        profiles=empty, windows=pd.DataFrame(columns=["source_title"]), deliveries=deliveries,
                        quarantine=empty.assign(reject_code=[], rows=[], deliveries=[], example_reason=[]),
                        gaps=empty, series_breaks=empty, source_titles={})
    by_source, flagged = quality_tables(inputs)[1:3]
    assert by_source.rows == [["hospital_admissions", "2", "0", "2,880", "2,875", "–", "September 2025 – October 2025"],
                              ["police_crime", "1", "0", "100", "100", "0", "September 2025 – October 2025"]]
    assert [row[:6] for row in flagged.rows] == [["hospital_admissions", "h1.csv", "loaded", "1,380", "1,375", "–"]]
    notes = quality_notes(dataclasses.replace(inputs, not_read=[]))
    assert notes[0] == "3 deliveries: 3 loaded, 0 quarantined. 2,980 rows received, 2,975 loaded and – quarantined with a reason."
    assert notes[1].startswith("Counts of a source under a disclosure rule are shown as the rule shows them")
    assert notes[2] == ("police_crime: 2 loaded crimes with no location, or one outside the area (kept in the force's "
                        "own records): counted in no district and not in the county.")
