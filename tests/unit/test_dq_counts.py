"""A district's copy of the data-quality counts: a source under a rule covering the county (HES) has its
deliveries' row counts shown as the rule shows counts; the other sources' as counted."""
import dataclasses

import pandas as pd

from csp.catalogue import load_catalogue
from csp.config import load_settings
from csp.marts.disclosure import rules_from_settings
from csp.marts.dq_counts import QUARANTINE_COUNTS, WITHHELD_WORDS, county_rules, protected, without_records
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
                               "rows_quarantined": [7, 4, 3], "rows_current": [1372, 3, 1376], "rows_no_location": [0, 13, 2],
                               "rows_outside_area": [1, 2, 1]})
    shown = protected(deliveries, DELIVERY_COUNTS, rules())
    assert shown[list(DELIVERY_COUNTS)].astype(object).where(shown[list(DELIVERY_COUNTS)].notna(), None).values.tolist() == [
        [1380, 1370, None, 1370, 0, None],     # 1372 -> 1370 (nearest 5); 7 and 1 hidden; 0 is shown
        [10, 10, None, None, 15, None],        # 12 -> 10, 8 -> 10, 13 -> 15; 4 and 3 hidden
        [1379, 1376, 3, 1376, 2, 1]]           # police: as counted
    assert deliveries["rows_quarantined"].tolist() == [7, 4, 3]   # the county's own frame untouched
    # each row names its hidden counts, as the marts' tables do, so the workbook marks them [c], not blank
    assert shown["suppressed_columns"].fillna("").tolist() == [
        "rows_quarantined, rows_outside_area", "rows_quarantined, rows_current, rows_outside_area", ""]


def test_reasons_and_examples_are_withheld_from_every_source():
    """They quote records of every district (a crime reference, a spell ID) and exact counts ('800 of 1,917')."""
    quarantine = pd.DataFrame({"source": ["hospital_admissions", "police_crime"], "reject_code": ["bad_lsoa"] * 2,
                               "rows": [3, 3], "deliveries": [1, 1],
                               "example_reason": ["LSOA 'E0102' is not a code", "crime reference '46/2510/006496' "
                                                  "appears 2 times with different content"]})
    shown = without_records(protected(quarantine, QUARANTINE_COUNTS, rules()))
    assert shown["rows"].isna().tolist() == [True, False]
    assert shown["example_reason"].tolist() == [WITHHELD_WORDS, WITHHELD_WORDS]
    deliveries = pd.DataFrame({"source": ["hospital_admissions", "police_crime"], "reason": [
        "61% of rows have a date that cannot be read (919 of 1,517; e.g. row 1: ...)", None]})
    assert without_records(deliveries)["reason"].fillna("-").tolist() == [WITHHELD_WORDS, "-"]
    assert quarantine["example_reason"].str.contains("46/2510").any()   # the county's own frame untouched
