"""The public data.police.uk layout, on real Kent Police files (../shared/data/police_uk_kent_2025)."""
from __future__ import annotations

import csv
import dataclasses

import pytest

from csp.pipeline import run_refresh
from tests.conftest import AS_OF, SHARED_DATA, drop, query

KENT_2025 = SHARED_DATA / "police_uk_kent_2025"
pytestmark = pytest.mark.skipif(not KENT_2025.is_dir(), reason="real data.police.uk sample not present")


def independent_counts(path, lsoa_codes):
    """Count the file with the csv module, not the pipeline."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    crimes = [r for r in rows if r["Crime type"] != "Anti-social behaviour"]
    return {
        "rows": len(rows),
        "asb": len(rows) - len(crimes),
        "crimes": len(crimes),
        "no_location": sum(1 for r in crimes if not r["LSOA code"]),
        "outside": sum(1 for r in crimes if r["LSOA code"] and r["LSOA code"] not in lsoa_codes),
    }


def test_one_real_month_lands_every_row(settings):
    with (settings.reference_dir / "lsoa21_lookup.csv").open() as fh:
        lsoa = {r["LSOA21CD"] for r in csv.DictReader(fh)}
    path = KENT_2025 / "2025-01-kent-street.csv"
    expected = independent_counts(path, lsoa)
    drop(settings, "police_crime", path)
    run_refresh(dataclasses.replace(settings, window_end={"police_crime": "auto"}), AS_OF)

    assert query(settings, "SELECT form, status, rows_received, rows_loaded, rows_quarantined FROM dq.deliveries") == [
        ("police_uk", "loaded", expected["rows"], expected["rows"], 0)]
    (staged,) = query(settings, """
        SELECT count(*), count(*) FILTER (WHERE geography = 'no location'), count(*) FILTER (WHERE geography = 'outside area')
        FROM staging.police_crime""")
    assert staged == (expected["crimes"], expected["no_location"], expected["outside"])
    assert expected["asb"] > 0 and expected["no_location"] > 0 and expected["outside"] > 0  # the real quirks are there
    # ASB rows have no Crime ID and are not counted as crime
    assert query(settings, """SELECT count(*) FROM staging.police_crime_checked
                              WHERE is_asb AND crime_reference IS NULL""") == [(expected["asb"],)]
    # the same ASB rows are the ASB source's data.police.uk form, landed once: the delivery still balances
    assert query(settings, "SELECT form, count(*), count(incident_date), count(asb_category) FROM staging.asb GROUP BY ALL") == [
        ("police_uk", expected["asb"], 0, 0)]
    assert query(settings, "SELECT balanced FROM dq.deliveries") == [(True,)]
    # twelve months are not there: no change is shown against a missing year
    (status,) = query(settings, "SELECT comparison_status FROM facts.source_windows WHERE source = 'police_crime'")
    assert status[0].startswith("only 1 of the 12 months")


def test_london_file_with_kent_lookup_is_out_of_area_but_for_cross_border_rows(settings):
    with (settings.reference_dir / "lsoa21_lookup.csv").open() as fh:
        lsoa = {r["LSOA21CD"] for r in csv.DictReader(fh)}
    path = SHARED_DATA / "police_uk_samples" / "2024-10-metropolitan-street.csv"
    expected = independent_counts(path, lsoa)
    drop(settings, "police_crime", path)
    run_refresh(settings, AS_OF)
    (row,) = query(settings, """SELECT count(*), count(*) FILTER (WHERE geography = 'outside area'),
                                       count(*) FILTER (WHERE lad_code IS NOT NULL) FROM staging.police_crime""")
    in_kent = expected["crimes"] - expected["no_location"] - expected["outside"]
    assert row == (expected["crimes"], expected["outside"], in_kent)
    assert in_kent < 5 and expected["outside"] > 4000   # a Met burglary file: almost all of it is outside Kent
