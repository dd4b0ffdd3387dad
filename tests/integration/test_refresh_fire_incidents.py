"""Fire and rescue incidents on the hand-counted fixture (tests/fixtures/fire_incidents/README.md)."""
from __future__ import annotations

import datetime as dt

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, drop, query, workspace


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = workspace(tmp_path_factory.mktemp("fire_incidents"))
    drop(settings, "fire_incidents", "kfrs_incidents_2025-07.csv")
    run_refresh(settings, AS_OF)
    return settings


def test_incidents_by_district_type_motive_and_dwelling(settings):
    assert query(settings, """
        SELECT d.lad_name, incident_type, motive, is_dwelling, incidents
        FROM facts.fire_incidents_monthly JOIN ref.districts AS d USING (lad_code)
        WHERE month = DATE '2025-07-01' ORDER BY lad_name, incident_type, motive NULLS FIRST""") == [
        ("Ashford", "Primary fire", "Accidental", True, 1),
        ("Ashford", "Primary fire", "Deliberate", True, 1),
        ("Ashford", "Secondary fire", "Accidental", False, 1),
        ("Dover", "False alarm", None, False, 1),
        ("Dover", "Primary fire", "Unknown", False, 1),
        ("Medway", "Special service", None, False, 1),
        ("Thanet", "Secondary fire", "Deliberate", False, 3),
    ]


def test_indicators_and_date_times(settings):
    assert query(settings, """
        SELECT count(*) FILTER (WHERE incident_type = 'Secondary fire' AND motive = 'Deliberate'),
               count(*) FILTER (WHERE incident_type = 'Primary fire' AND motive = 'Accidental' AND is_dwelling),
               count(*) FILTER (WHERE incident_type = 'Primary fire' AND motive = 'Accidental' AND is_dwelling
                                AND lad_code IS NOT NULL)
        FROM staging.fire_incidents""") == [(3, 2, 1)]
    assert query(settings, """SELECT incident_number, incident_datetime FROM staging.fire_incidents
                              WHERE incident_number IN ('F07', 'F12') ORDER BY 1""") == [
        ("F07", dt.datetime(2025, 7, 7, 9, 0)), ("F12", dt.datetime(2025, 7, 31, 23, 59))]


def test_every_row_lands_or_is_quarantined_with_a_reason(settings):
    assert query(settings, "SELECT rows_received, rows_loaded, rows_quarantined, balanced FROM dq.deliveries") == [
        (13, 10, 3, True)]
    assert query(settings, "SELECT row_number, reject_code, reject_reason FROM dq.quarantined_rows ORDER BY row_number") == [
        (10, "unknown_incident_type",
         "incident type 'Chimney fire' is not one of: Primary fire, Secondary fire, False alarm, Special service"),
        (11, "unknown_property_type", "property type 'Shed' is not one of: Dwelling, Other residential, Non-residential, "
                                      "Road vehicle, Outdoor, Outdoor structure"),
        (13, "future_date", "dated 01/07/2027, after the run date 23/11/2026"),
    ]
