"""comparisons.crime_trend and comparisons.crime_rolling_12m (the marts' offence-group tables): an offence group a
month's form does not count on its own is blank that month, never 0. data.police.uk's files have violence against
the person and sexual offences only together; the restricted extract never has them together. Shown as 0, a
year of public files read as every sexual offence gone (-100%) and violence and sexual offences as new."""
from __future__ import annotations

import datetime as dt

import pytest

from csp.warehouse import execute, run
from tests.conftest import hand_built, police_crime_only

RESTRICTED, POLICE_UK = 1, 2   # hand_built's restricted delivery, and a data.police.uk file added below


@pytest.fixture
def groups(tmp_path):
    """Every county district, November 2023 – October 2025: the first 12 months from the force's restricted
    extract (10 violence against the person, 2 sexual offences, 5 shoplifting a month), the last 12 from
    data.police.uk's files (12 violence and sexual offences, 5 shoplifting). Run on 20 November 2025: November
    2024 – October 2025 against November 2023 – October 2024."""
    with hand_built(tmp_path / "w.duckdb", dt.date(2025, 11, 20)) as con:
        execute(con, """INSERT INTO meta.deliveries (delivery_id, source, form, file_name, file_path, checksum,
                                                     size_bytes, received_at, run_id, status, rows_received)
                        VALUES (2, 'police_crime', 'police_uk', 'g', 'g', 'y', 1, now(), 'r', 'loaded', 1)""")
        execute(con, """CREATE TABLE facts.crime_monthly AS
            WITH months AS (
                SELECT CAST(m AS DATE) AS month FROM range(DATE '2023-11-01', DATE '2025-11-01', INTERVAL 1 MONTH) AS r (m)
            )
            SELECT d.lad_code, m.month, g.offence_group, g.crimes
            FROM months AS m CROSS JOIN ref.districts AS d
            JOIN (VALUES (false, 'Violence against the person', 10), (false, 'Sexual offences', 2),
                         (false, 'Shoplifting', 5), (true, 'Violence and sexual offences', 12), (true, 'Shoplifting', 5))
                 AS g (public, offence_group, crimes) ON g.public = (m.month >= DATE '2024-11-01')
            WHERE d.in_county""")
        execute(con, """CREATE TABLE staging.police_crime_checked AS
            SELECT DISTINCT 'police_crime' AS source, month, lad_code, true AS is_current,
                   CASE WHEN month >= DATE '2024-11-01' THEN $police_uk ELSE $restricted END AS _delivery_id
            FROM facts.crime_monthly""", {"police_uk": POLICE_UK, "restricted": RESTRICTED})
        police_crime_only(con)
        execute(con, "CREATE SCHEMA IF NOT EXISTS comparisons")
        for model in ("facts/source_months", "facts/source_windows", "facts/population", "facts/areas",
                      "facts/crime_groups_unrecorded", "comparisons/crime_trend", "comparisons/crime_rolling_12m"):
            run(con, model)
        yield con


def test_the_groups_a_months_form_lacks(groups):
    assert execute(groups, """SELECT offence_group, min(month), max(month), count(*) FROM facts.crime_groups_unrecorded
                              GROUP BY ALL ORDER BY ALL""") == [
        ("Sexual offences", dt.date(2024, 11, 1), dt.date(2025, 10, 1), 12),
        ("Violence against the person", dt.date(2024, 11, 1), dt.date(2025, 10, 1), 12),
        ("Violence and sexual offences", dt.date(2023, 11, 1), dt.date(2024, 10, 1), 12),
    ]


def test_a_month_that_does_not_count_a_group_leaves_it_blank(groups):
    rows = execute(groups, """SELECT offence_group, month, crimes, rolling_12m FROM comparisons.crime_trend
                              WHERE area_name = 'Ashford' AND month IN (DATE '2024-10-01', DATE '2024-11-01')
                              ORDER BY offence_group, month""")
    assert rows == [
        ("All crime", dt.date(2024, 10, 1), 17, 204), ("All crime", dt.date(2024, 11, 1), 17, 204),
        ("Sexual offences", dt.date(2024, 10, 1), 2, 24), ("Sexual offences", dt.date(2024, 11, 1), None, None),
        ("Shoplifting", dt.date(2024, 10, 1), 5, 60), ("Shoplifting", dt.date(2024, 11, 1), 5, 60),
        ("Violence against the person", dt.date(2024, 10, 1), 10, 120),
        ("Violence against the person", dt.date(2024, 11, 1), None, None),
        ("Violence and sexual offences", dt.date(2024, 10, 1), None, None),
        ("Violence and sexual offences", dt.date(2024, 11, 1), 12, None),
    ]


def test_a_period_with_such_a_month_has_no_count_and_no_change(groups):
    rows = execute(groups, """SELECT offence_group, current_count, previous_count, change, pct_change,
                                     current_rate_per_1000 IS NULL, previous_rate_per_1000 IS NULL, comparison_status
                              FROM comparisons.crime_rolling_12m WHERE area_type = 'county' ORDER BY offence_group""")
    assert rows == [
        ("All crime", 2448, 2448, 0, 0.0, False, False, "available"),   # 12 districts x 12 months x 17
        ("Sexual offences", None, 288, None, None, True, False,
         "not available: Sexual offences is not counted on its own in the latest 12 months (some of them came in a "
         "layout without this offence group)"),
        ("Shoplifting", 720, 720, 0, 0.0, False, False, "available"),
        ("Violence against the person", None, 1440, None, None, True, False,
         "not available: Violence against the person is not counted on its own in the latest 12 months (some of "
         "them came in a layout without this offence group)"),
        ("Violence and sexual offences", 1728, None, None, None, False, True,
         "comparison not available: Violence and sexual offences is not counted on its own in the previous 12 months "
         "(some of them came in a layout without this offence group)"),
    ]
