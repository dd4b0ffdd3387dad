"""Hospital admissions on the hand-counted fixture (tests/fixtures/hospital_admissions/README.md):
patient residence by LSOA or by district, assault = ICD-10 X85-Y09."""
from __future__ import annotations

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, drop, query, workspace


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("hospital_admissions"))
    drop(settings, "hospital_admissions", "hes_injury_admissions_2025-03.csv")
    drop(settings, "hospital_admissions", "hes_admissions_by_district_2025-04.csv")
    run_refresh(settings, AS_OF)
    return settings


def test_admissions_by_district_month_and_assault(settings):
    assert query(settings, """
        SELECT strftime(month, '%Y-%m'), d.lad_name, is_assault, admissions
        FROM facts.hospital_admissions_monthly JOIN ref.districts AS d USING (lad_code)
        ORDER BY month, lad_name, is_assault""") == [
        ("2025-03", "Ashford", True, 2),
        ("2025-03", "Dover", False, 2),
        ("2025-03", "Medway", True, 1),
        ("2025-03", "Thanet", False, 1),
        ("2025-03", "Thanet", True, 2),
        ("2025-04", "Ashford", True, 2),
        ("2025-04", "Thanet", True, 1),
        ("2025-04", "Tonbridge and Malling", False, 1),
    ]


def test_assault_range_and_geography(settings):
    assert query(settings, """
        SELECT cause_code, is_assault FROM staging.hospital_admissions
        WHERE admission_id IN ('H01', 'H03', 'H04', 'H05', 'H06', 'H09') ORDER BY admission_id""") == [
        ("X991", True), ("X85", True), ("Y09", True), ("X84", False), ("Y10", False), ("Y040", True)]
    assert query(settings, """
        SELECT strftime(month, '%Y-%m'), geography, count(*), count(*) FILTER (WHERE is_assault)
        FROM staging.hospital_admissions GROUP BY ALL ORDER BY 1, 2""") == [
        ("2025-03", "in area", 8, 5), ("2025-03", "no location", 1, 1), ("2025-03", "outside area", 1, 1),
        ("2025-04", "in area", 4, 3), ("2025-04", "no location", 1, 1), ("2025-04", "outside area", 1, 1)]


def test_every_row_lands_or_is_quarantined_with_a_reason(settings):
    assert query(settings, """
        SELECT file_name, form, rows_received, rows_loaded, rows_quarantined, balanced
        FROM dq.deliveries ORDER BY delivery_id""") == [
        ("hes_injury_admissions_2025-03.csv", "lsoa", 13, 10, 3, True),
        ("hes_admissions_by_district_2025-04.csv", "district", 6, 6, 0, True),
    ]
    assert query(settings, "SELECT row_number, reject_code, reject_reason FROM dq.quarantined_rows ORDER BY row_number") == [
        (11, "bad_cause_code", "cause 'ASSAULT' is not an ICD-10 code (e.g. X99 or Y04.0)"),
        (12, "unknown_age_band", "age band '90-94' is not one of: 0-4, 5-9, 10-14, 15-19, 20-24, 25-29, 30-34, "
                                 "35-39, 40-44, 45-49, 50-54, 55-59, 60-64, 65-69, 70-74, 75-79, 80-84, 85+, Unknown"),
        (13, "duplicate_row", "exact copy of an earlier row in the same file"),
    ]
